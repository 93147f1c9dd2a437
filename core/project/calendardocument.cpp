#include "core/project/calendardocument.h"

#include "core/calendar/calendarnames.h"
#include "core/calendar/holidaycalendar.h"
#include "core/project/project.h"
#include "core/project/projectstore.h"

#include <QCoreApplication>

namespace CalStudio {

CalendarDocument::CalendarDocument(ProjectSettings settings, QList<MonthEntry> months,
                                   QList<SpecialDate> specialDates, QSet<QString> holidaysOff)
    : m_settings(std::move(settings))
    , m_months(std::move(months))
    , m_specialDates(std::move(specialDates))
    , m_locale(m_settings.locale)
{
    if (m_settings.holidayRegion.isEmpty())
        return;
    const auto [firstYear, firstMonth] = yearMonth(1);
    const auto [lastYear, lastMonth] = yearMonth(12);
    const QDate from(firstYear, firstMonth, 1);
    const QDate to(lastYear, lastMonth, QDate(lastYear, lastMonth, 1).daysInMonth());
    auto calendar = HolidayCalendar::load(m_settings.holidayRegion);
    if (!calendar) {
        m_holidayError = calendar.error();
        return;
    }
    for (const Holiday &h : calendar->between(from, to, m_settings.locale)) {
        if (!holidaysOff.contains(h.region + QLatin1Char(':') + h.id))
            m_holidays.append(h);
    }
}

CalendarDocument CalendarDocument::fromProject(const Project &project)
{
    return CalendarDocument(project.settings(), project.months(), project.specialDates(), project.holidaysOff());
}

Result<CalendarDocument> CalendarDocument::fromStore(const ProjectStore &store)
{
    auto settings = store.loadSettings();
    if (!settings)
        return settings.error();
    auto months = store.loadMonths();
    if (!months)
        return months.error();
    auto dates = store.loadSpecialDates();
    if (!dates)
        return dates.error();
    auto off = store.loadHolidaysOff();
    if (!off)
        return off.error();
    return CalendarDocument(*settings, *months, *dates, *off);
}

std::pair<int, int> CalendarDocument::yearMonth(int page) const
{
    const int index = m_settings.startMonth - 1 + qBound(1, page, 12) - 1;
    return {m_settings.year + index / 12, index % 12 + 1};
}

int CalendarDocument::monthEntryIndex(int page) const
{
    return page <= 0 ? MonthEntry::Cover : yearMonth(page).second;
}

QString CalendarDocument::pageTitle(int page) const
{
    if (page <= 0)
        return QCoreApplication::translate("CalendarDocument", "Cover");
    const auto [year, month] = yearMonth(page);
    return CalendarNames(m_locale).monthTitle(year, month);
}

MonthPageContent CalendarDocument::monthPage(int page) const
{
    const auto [year, month] = yearMonth(page);
    MonthPageContent c;
    c.locale = m_locale;
    c.grid = MonthGrid::build(year, month, resolvedFirstDayOfWeek(m_settings.weekStart, m_locale));
    c.weekNumbers = m_settings.weekNumbers;
    c.notesLine = m_settings.notesLine;
    const MonthEntry &entry = m_months.value(month);
    c.placeholderTitle = entry.title.isEmpty() ? CalendarNames(m_locale).monthName(month) : entry.title;
    for (const Holiday &h : m_holidays) {
        if (h.date.year() == year && h.date.month() == month)
            c.marks.append({h.date, h.name, true});
    }
    for (const SpecialDate &d : m_specialDates) {
        const QDate day = d.occurrence(year);
        if (day.isValid() && day.month() == month)
            c.marks.append({day, d.cellText(year, m_locale), d.kind == SpecialDate::Kind::Holiday});
    }
    std::stable_sort(c.marks.begin(), c.marks.end(), [](const DayMark &a, const DayMark &b) { return a.date < b.date; });
    return c;
}

CoverPageContent CalendarDocument::cover() const
{
    const auto [firstYear, firstMonth] = yearMonth(1);
    const auto [lastYear, lastMonth] = yearMonth(12);
    const CalendarNames names(m_locale);
    CoverPageContent c;
    c.locale = m_locale;
    c.title = m_settings.title;
    c.subtitle = firstYear == lastYear
        ? names.number(firstYear)
        : names.monthTitle(firstYear, firstMonth) + QStringLiteral(" – ") + names.monthTitle(lastYear, lastMonth);
    const MonthEntry &entry = m_months.value(MonthEntry::Cover);
    c.placeholderTitle = entry.title.isEmpty() ? m_settings.title : entry.title;
    return c;
}

PageComposer CalendarDocument::composer() const
{
    return PageComposer(pageLayoutFromId(m_settings.pageLayout).value_or(PageLayout::PhotoAbove),
                        PageTheme::find(m_settings.pageTheme));
}

} // namespace CalStudio
