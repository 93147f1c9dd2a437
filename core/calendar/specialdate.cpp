#include "core/calendar/specialdate.h"


namespace CalStudio {

QString SpecialDate::kindId(Kind kind)
{
    switch (kind) {
    case Kind::Birthday:
        return QStringLiteral("birthday");
    case Kind::Anniversary:
        return QStringLiteral("anniversary");
    case Kind::Holiday:
        return QStringLiteral("holiday");
    case Kind::Custom:
        break;
    }
    return QStringLiteral("custom");
}

std::optional<SpecialDate::Kind> SpecialDate::kindFromId(const QString &id)
{
    for (Kind k : {Kind::Birthday, Kind::Anniversary, Kind::Holiday, Kind::Custom}) {
        if (kindId(k) == id)
            return k;
    }
    return std::nullopt;
}

QString SpecialDate::leapRuleId(LeapRule rule)
{
    return rule == LeapRule::March1 ? QStringLiteral("mar1") : QStringLiteral("feb28");
}

std::optional<SpecialDate::LeapRule> SpecialDate::leapRuleFromId(const QString &id)
{
    if (id == QLatin1String("feb28"))
        return LeapRule::February28;
    if (id == QLatin1String("mar1"))
        return LeapRule::March1;
    return std::nullopt;
}

QDate SpecialDate::occurrence(int year) const
{
    if (!date.isValid())
        return {};
    if (!recurring)
        return date.year() == year ? date : QDate();
    if (year < date.year())
        return {};
    if (date.month() == 2 && date.day() == 29 && !QDate::isLeapYear(year))
        return leapRule == LeapRule::March1 ? QDate(year, 3, 1) : QDate(year, 2, 28);
    return QDate(year, date.month(), date.day());
}

int SpecialDate::yearsIn(int year) const
{
    return occurrence(year).isValid() ? year - date.year() : -1;
}

QString SpecialDate::cellText(int year, const QLocale &locale) const
{
    const int years = yearsIn(year);
    if (!showAge || years <= 0)
        return label;
    QLocale digits = locale;
    digits.setNumberOptions(QLocale::OmitGroupSeparator);
    if (locale.language() != QLocale::English)
        return QStringLiteral("%1 (%2)").arg(label, digits.toString(years));
    switch (kind) {
    case Kind::Birthday:
        return QStringLiteral("%1 turns %2").arg(label).arg(years);
    case Kind::Anniversary:
        return years == 1 ? QStringLiteral("%1 (1 year)").arg(label)
                          : QStringLiteral("%1 (%2 years)").arg(label).arg(years);
    case Kind::Holiday:
    case Kind::Custom:
        break;
    }
    return QStringLiteral("%1 (%2)").arg(label).arg(years);
}

} // namespace CalStudio
