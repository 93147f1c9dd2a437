#include "core/calendar/calendarnames.h"

namespace CalStudio {

namespace {
QLocale::FormatType formatType(CalendarNames::Form form)
{
    switch (form) {
    case CalendarNames::Form::Long:
        return QLocale::LongFormat;
    case CalendarNames::Form::Short:
        return QLocale::ShortFormat;
    case CalendarNames::Form::Narrow:
        return QLocale::NarrowFormat;
    }
    return QLocale::LongFormat;
}

/// Titles start with a capital where the script has case (CLDR standalone names are lower case in e.g. French).
QString titleCase(const QString &name, const QLocale &locale)
{
    if (name.isEmpty() || !name.at(0).isLower())
        return name;
    return locale.toUpper(name.left(1)) + name.mid(1);
}
} // namespace

CalendarNames::CalendarNames(const QLocale &locale)
    : m_locale(locale)
{
}

QString CalendarNames::monthName(int month, Form form) const
{
    return titleCase(m_locale.standaloneMonthName(month, formatType(form)), m_locale);
}

QString CalendarNames::dayName(int day, Form form) const
{
    return titleCase(m_locale.standaloneDayName(day, formatType(form)), m_locale);
}

QString CalendarNames::monthTitle(int year, int month) const
{
    // No thousands separator in a year ("2027", not "2.027").
    QLocale plain = m_locale;
    plain.setNumberOptions(QLocale::OmitGroupSeparator);
    return monthName(month) + QLatin1Char(' ') + plain.toString(year);
}

QString CalendarNames::number(int value) const
{
    QLocale plain = m_locale;
    plain.setNumberOptions(QLocale::OmitGroupSeparator);
    return plain.toString(value);
}

} // namespace CalStudio
