#include "core/project/projectsettings.h"

#include "core/calendar/pagetheme.h"

#include <QCoreApplication>

namespace CalStudio {

QString weekStartId(WeekStart weekStart)
{
    switch (weekStart) {
    case WeekStart::LocaleDefault:
        return QStringLiteral("locale");
    case WeekStart::Monday:
        return QStringLiteral("monday");
    case WeekStart::Sunday:
        return QStringLiteral("sunday");
    case WeekStart::Saturday:
        return QStringLiteral("saturday");
    }
    return QStringLiteral("locale");
}

std::optional<WeekStart> weekStartFromId(const QString &id)
{
    const QString key = id.trimmed().toLower();
    if (key == QLatin1String("locale") || key == QLatin1String("default"))
        return WeekStart::LocaleDefault;
    if (key == QLatin1String("monday"))
        return WeekStart::Monday;
    if (key == QLatin1String("sunday"))
        return WeekStart::Sunday;
    if (key == QLatin1String("saturday"))
        return WeekStart::Saturday;
    return std::nullopt;
}

Qt::DayOfWeek resolvedFirstDayOfWeek(WeekStart weekStart, const QLocale &locale)
{
    switch (weekStart) {
    case WeekStart::Monday:
        return Qt::Monday;
    case WeekStart::Sunday:
        return Qt::Sunday;
    case WeekStart::Saturday:
        return Qt::Saturday;
    case WeekStart::LocaleDefault:
        break;
    }
    return locale.firstDayOfWeek();
}

ProjectSettings ProjectSettings::defaults(const QDate &today, const QLocale &systemLocale)
{
    ProjectSettings s;
    s.year = today.isValid() ? today.year() + 1 : 2027;
    s.startMonth = 1;
    s.weekStart = WeekStart::LocaleDefault;
    // "C" is not a language a person reads; fall back to English month names.
    s.locale = systemLocale.language() == QLocale::C ? QStringLiteral("en_US") : systemLocale.name();
    s.title = QCoreApplication::translate("ProjectSettings", "My Calendar %1").arg(s.year);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    s.createdAt = now;
    s.updatedAt = now;
    return s;
}

Status ProjectSettings::validate() const
{
    if (title.trimmed().isEmpty())
        return Error(QStringLiteral("invalid_title"),
                     QCoreApplication::translate("ProjectSettings", "Give the calendar a title."));
    if (title.size() > 200)
        return Error(QStringLiteral("invalid_title"),
                     QCoreApplication::translate("ProjectSettings",
                                                 "The title is too long; keep it under 200 characters."));
    if (year < MinYear || year > MaxYear)
        return Error(QStringLiteral("invalid_year"),
                     QCoreApplication::translate("ProjectSettings", "Choose a calendar year between %1 and %2.")
                         .arg(MinYear)
                         .arg(MaxYear));
    if (startMonth < 1 || startMonth > 12)
        return Error(QStringLiteral("invalid_start_month"),
                     QCoreApplication::translate("ProjectSettings", "The first month must be between 1 and 12."));
    const QLocale parsed(locale);
    if (locale.isEmpty() || (parsed.language() == QLocale::C && locale != QLatin1String("C")))
        return Error(QStringLiteral("invalid_locale"),
                     QCoreApplication::translate("ProjectSettings",
                                                 "“%1” is not a language Calendar Studio knows. Pick one from the list.")
                         .arg(locale));
    if (!pageLayoutFromId(pageLayout))
        return Error(QStringLiteral("invalid_layout"),
                     QCoreApplication::translate("ProjectSettings", "Choose one of the page layouts in the list."),
                     pageLayout);
    const auto &themes = PageTheme::builtIn();
    if (std::none_of(themes.begin(), themes.end(), [&](const PageTheme &t) { return t.id == pageTheme; }))
        return Error(QStringLiteral("invalid_theme"),
                     QCoreApplication::translate("ProjectSettings", "Choose one of the page themes in the list."),
                     pageTheme);
    return validateSpendCap(spendCapUsd);
}

Status ProjectSettings::validateSpendCap(double usd)
{
    // Written so that NaN fails too.
    if (!(usd >= 0 && usd <= MaxSpendCapUsd))
        return Error(QStringLiteral("invalid_spend_cap"),
                     QCoreApplication::translate("ProjectSettings",
                                                 "The spend limit must be between $0 (no limit) and $%1.")
                         .arg(MaxSpendCapUsd, 0, 'f', 0),
                     QString::number(usd));
    return Status::success();
}

std::pair<int, int> ProjectSettings::endYearMonth() const
{
    // Twelve consecutive months: the last one is eleven months after the first.
    const int index = (startMonth - 1) + 11;
    return {year + index / 12, index % 12 + 1};
}

bool ProjectSettings::sameContent(const ProjectSettings &other) const
{
    return title == other.title && year == other.year && startMonth == other.startMonth
        && weekStart == other.weekStart && locale == other.locale && holidayRegion == other.holidayRegion
        && pageLayout == other.pageLayout && pageTheme == other.pageTheme && weekNumbers == other.weekNumbers
        && notesLine == other.notesLine
        && spendCapUsd == other.spendCapUsd;
}

} // namespace CalStudio
