#pragma once

#include <QLocale>
#include <QString>

namespace CalStudio {

/**
 * Month and weekday names, numbers and text direction for one language, as a
 * printed calendar needs them. Wraps QLocale (CLDR data), choosing the
 * standalone forms that languages such as Ukrainian, Polish or Czech use for
 * a month on its own ("Січень", not the genitive "січня").
 */
class CalendarNames {
public:
    enum class Form { Long, Short, Narrow };

    explicit CalendarNames(const QLocale &locale);

    [[nodiscard]] const QLocale &locale() const { return m_locale; }

    /// Month name as a page title (standalone form, capitalised as the language writes it at a line start).
    [[nodiscard]] QString monthName(int month, Form form = Form::Long) const;
    /// Weekday name as a column header (standalone form). `day` is Qt::DayOfWeek (1 = Monday).
    [[nodiscard]] QString dayName(int day, Form form = Form::Short) const;
    /// "Juli 2027", "July 2027", "يوليو ٢٠٢٧": the month's title with the year in the language's digits.
    [[nodiscard]] QString monthTitle(int year, int month) const;
    /// A day or year number in the language's digits.
    [[nodiscard]] QString number(int value) const;
    [[nodiscard]] Qt::LayoutDirection direction() const { return m_locale.textDirection(); }

private:
    QLocale m_locale;
};

} // namespace CalStudio
