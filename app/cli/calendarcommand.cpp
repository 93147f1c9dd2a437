#include "app/cli/calendarcommand.h"

#include "app/cli/clicommands.h"
#include "core/calendar/calendarnames.h"
#include "core/calendar/holidaycalendar.h"
#include "core/calendar/icalendarfile.h"
#include "core/calendar/monthgrid.h"
#include "core/project/projectsettings.h"
#include "core/project/projectstore.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace CalStudio::Cli {

namespace {

struct Entry {
    QDate date;
    QString name;
    QString region; ///< empty for personal dates
    QString kind;
};

void printMonthText(QTextStream &out, const MonthGrid &grid, const CalendarNames &names, bool weekNumbers,
                    const QList<Entry> &entries)
{
    // Fixed-width columns of three characters as cal(1) prints them; a '*' after a number marks a day with an entry.
    const QString title = names.monthTitle(grid.year(), grid.month());
    const int width = 7 * 3 + (weekNumbers ? 3 : 0);
    out << QString((width - title.size()) / 2, QLatin1Char(' ')) << title << '\n';
    if (weekNumbers)
        out << "   ";
    for (int c = 0; c < 7; ++c)
    {
        QString label = names.dayName(grid.weekdayAt(c), CalendarNames::Form::Short);
        if (label.size() > 2) // "Mon", "الاثنين": the narrow form fits a column, a cut word may not
            label = names.dayName(grid.weekdayAt(c), CalendarNames::Form::Narrow);
        out << label.rightJustified(2) << ' ';
    }
    out << '\n';
    for (int r = 0; r < grid.rowCount(); ++r) {
        if (weekNumbers)
            out << QString::number(grid.isoWeekNumber(r)).rightJustified(2) << ' ';
        for (const QDate &d : grid.weeks().at(r)) {
            const bool marked = std::any_of(entries.begin(), entries.end(), [&](const Entry &e) { return e.date == d; });
            out << (grid.contains(d) ? names.number(d.day()).rightJustified(2) + QLatin1Char(marked ? '*' : ' ')
                                     : QStringLiteral("   "));
        }
        out << '\n';
    }
    for (const Entry &e : entries) {
        if (grid.contains(e.date))
            out << "  " << names.number(e.date.day()).rightJustified(2) << "  " << e.name << '\n';
    }
    out << '\n';
}

} // namespace

int calendarCommand(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose)
{
    QCommandLineParser p;
    const QCommandLineOption year(QStringLiteral("year"), QStringLiteral("Year of the first month"),
                                  QStringLiteral("year"));
    const QCommandLineOption startMonth(QStringLiteral("start-month"), QStringLiteral("First month 1-12"),
                                        QStringLiteral("month"), QStringLiteral("1"));
    const QCommandLineOption weekStart(QStringLiteral("week-start"), QStringLiteral("locale|monday|sunday|saturday"),
                                       QStringLiteral("day"), QStringLiteral("locale"));
    const QCommandLineOption locale(QStringLiteral("locale"), QStringLiteral("Language, e.g. de_DE"),
                                    QStringLiteral("name"), QStringLiteral("en_US"));
    const QCommandLineOption holidays(QStringLiteral("holidays"), QStringLiteral("Holiday region, e.g. DE"),
                                      QStringLiteral("code"));
    const QCommandLineOption ics(QStringLiteral("ics"), QStringLiteral("Personal dates from an iCalendar file"),
                                 QStringLiteral("file"));
    const QCommandLineOption weekNumbers(QStringLiteral("week-numbers"), QStringLiteral("Show ISO week numbers"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON"));
    const QCommandLineOption project(QStringLiteral("project"),
                                     QStringLiteral("Take settings, personal dates and holiday choices from a project"),
                                     QStringLiteral("file"));
    p.addOptions({year, startMonth, weekStart, locale, holidays, ics, weekNumbers, json, project});
    if (!p.parse(QStringList{QStringLiteral("calendar")} + args) || !p.positionalArguments().isEmpty()) {
        err << (p.errorText().isEmpty() ? QStringLiteral("calendar takes no positional arguments") : p.errorText())
            << Qt::endl;
        return ExitCode::Usage;
    }

    ProjectSettings s;
    s.title = QStringLiteral("calendar");
    bool ok = true;
    s.year = p.isSet(year) ? p.value(year).toInt(&ok) : QDate::currentDate().year();
    if (ok)
        s.startMonth = p.value(startMonth).toInt(&ok);
    const auto ws = weekStartFromId(p.value(weekStart));
    if (!ok || !ws) {
        err << "--year and --start-month need numbers; --week-start is locale, monday, sunday or saturday"
            << Qt::endl;
        return ExitCode::Usage;
    }
    s.weekStart = *ws;
    s.locale = p.value(locale);
    QString region = p.value(holidays);
    bool showWeekNumbers = p.isSet(weekNumbers);
    QList<SpecialDate> personalDates;
    QSet<QString> holidaysOff;
    if (p.isSet(project)) {
        auto store = ProjectStore::open(p.value(project), ProjectStore::Access::ReadOnly);
        if (!store) {
            err << "error: " << store.error().userMessage << Qt::endl;
            return ExitCode::Failed;
        }
        auto settings = (*store)->loadSettings();
        auto dates = (*store)->loadSpecialDates();
        auto off = (*store)->loadHolidaysOff();
        if (!settings || !dates || !off) {
            err << "error: the project could not be read" << Qt::endl;
            return ExitCode::Failed;
        }
        s = *settings;
        region = s.holidayRegion;
        showWeekNumbers = showWeekNumbers || s.weekNumbers;
        personalDates = *dates;
        holidaysOff = *off;
    }
    if (auto st = s.validate(); !st) {
        err << "error: " << st.error().userMessage << Qt::endl;
        return ExitCode::Failed;
    }

    const QLocale qlocale(s.locale);
    const CalendarNames names(qlocale);
    const Qt::DayOfWeek firstDay = resolvedFirstDayOfWeek(s.weekStart, qlocale);
    const auto span = MonthGrid::span(s.year, s.startMonth);
    const QDate from(span.first().first, span.first().second, 1);
    const QDate lastMonth(span.last().first, span.last().second, 1);
    const QDate to(lastMonth.year(), lastMonth.month(), lastMonth.daysInMonth());

    QList<Entry> holidayEntries;
    if (!region.isEmpty()) {
        auto calendar = HolidayCalendar::load(region);
        if (!calendar) {
            err << "error: " << calendar.error().userMessage << Qt::endl;
            if (verbose)
                err << "detail: " << calendar.error().detail << Qt::endl;
            return ExitCode::Failed;
        }
        for (const Holiday &h : calendar->between(from, to, s.locale)) {
            if (!holidaysOff.contains(h.region + QLatin1Char(':') + h.id))
                holidayEntries.append({h.date, h.name, h.region, QStringLiteral("holiday")});
        }
    }
    if (p.isSet(ics)) {
        auto imported = ICalendarFile::read(p.value(ics));
        if (!imported) {
            err << "error: " << imported.error().userMessage << Qt::endl;
            return ExitCode::Failed;
        }
        personalDates += imported->dates;
    }
    QList<Entry> personalEntries;
    {
        for (const SpecialDate &d : std::as_const(personalDates)) {
            for (int y = from.year(); y <= to.year(); ++y) {
                const QDate day = d.occurrence(y);
                if (day.isValid() && day >= from && day <= to)
                    personalEntries.append({day, d.cellText(y, qlocale), {}, SpecialDate::kindId(d.kind)});
            }
        }
        std::sort(personalEntries.begin(), personalEntries.end(),
                  [](const Entry &a, const Entry &b) { return a.date < b.date; });
    }

    if (p.isSet(json)) {
        QJsonArray months;
        for (const auto &[y, m] : span) {
            const MonthGrid grid = MonthGrid::build(y, m, firstDay);
            QJsonArray weeks;
            QJsonArray weekNumberArray;
            for (int r = 0; r < grid.rowCount(); ++r) {
                QJsonArray week;
                for (const QDate &d : grid.weeks().at(r))
                    week.append(d.toString(Qt::ISODate));
                weeks.append(week);
                weekNumberArray.append(grid.isoWeekNumber(r));
            }
            QJsonObject month{{QStringLiteral("year"), y},
                              {QStringLiteral("month"), m},
                              {QStringLiteral("name"), names.monthName(m)},
                              {QStringLiteral("title"), names.monthTitle(y, m)},
                              {QStringLiteral("weeks"), weeks}};
            if (showWeekNumbers)
                month[QStringLiteral("week_numbers")] = weekNumberArray;
            months.append(month);
        }
        QJsonArray weekdays;
        for (int c = 0; c < 7; ++c)
            weekdays.append(names.dayName(MonthGrid::build(s.year, s.startMonth, firstDay).weekdayAt(c),
                                          CalendarNames::Form::Short));
        QJsonArray holidayArray;
        for (const Entry &e : std::as_const(holidayEntries))
            holidayArray.append(QJsonObject{{QStringLiteral("date"), e.date.toString(Qt::ISODate)},
                                            {QStringLiteral("name"), e.name},
                                            {QStringLiteral("region"), e.region}});
        QJsonArray personalArray;
        for (const Entry &e : std::as_const(personalEntries))
            personalArray.append(QJsonObject{{QStringLiteral("date"), e.date.toString(Qt::ISODate)},
                                             {QStringLiteral("name"), e.name},
                                             {QStringLiteral("kind"), e.kind}});
        const QJsonObject root{{QStringLiteral("locale"), s.locale},
                               {QStringLiteral("week_start"), weekStartId(s.weekStart)},
                               {QStringLiteral("first_day_of_week"), int(firstDay)},
                               {QStringLiteral("direction"),
                                qlocale.textDirection() == Qt::RightToLeft ? QStringLiteral("rtl")
                                                                           : QStringLiteral("ltr")},
                               {QStringLiteral("weekdays"), weekdays},
                               {QStringLiteral("months"), months},
                               {QStringLiteral("holidays"), holidayArray},
                               {QStringLiteral("personal"), personalArray}};
        out << QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented));
        return ExitCode::Ok;
    }

    QList<Entry> all = holidayEntries + personalEntries;
    std::sort(all.begin(), all.end(), [](const Entry &a, const Entry &b) { return a.date < b.date; });
    for (const auto &[y, m] : span)
        printMonthText(out, MonthGrid::build(y, m, firstDay), names, showWeekNumbers, all);
    return ExitCode::Ok;
}

} // namespace CalStudio::Cli
