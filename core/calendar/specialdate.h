#pragma once

#include <QDate>
#include <QLocale>
#include <QString>

#include <optional>

namespace CalStudio {

/**
 * A personal date shown in the calendar: a birthday, an anniversary, the
 * user's own holiday or any other day, usually recurring every year.
 *
 * `date` keeps the original year (a birth date, a wedding day), which gives
 * "turns N" labels. A 29 February date shows on 28 February in other years,
 * or on 1 March if the user prefers (`leapRule`).
 */
struct SpecialDate {
    enum class Kind { Birthday, Anniversary, Holiday, Custom };
    enum class LeapRule { February28, March1 };

    qint64 id = 0; ///< row id in the project, 0 before it is stored
    QDate date;
    QString label; ///< "Anna", "Our wedding", "Sports day"
    Kind kind = Kind::Custom;
    bool recurring = true;
    LeapRule leapRule = LeapRule::February28;
    bool showAge = false; ///< "Anna turns 30", "10 years"

    static QString kindId(Kind kind);
    static std::optional<Kind> kindFromId(const QString &id);
    static QString leapRuleId(LeapRule rule);
    static std::optional<LeapRule> leapRuleFromId(const QString &id);

    /// The day this date falls on in `year`; invalid when it does not occur that year.
    [[nodiscard]] QDate occurrence(int year) const;
    /// Years since the original date at its occurrence in `year` (0 in the original year).
    [[nodiscard]] int yearsIn(int year) const;
    /**
     * Text for the calendar cell in `year`: the label, plus the age when
     * showAge is on — "Anna turns 30" / "Our wedding (10 years)" on English
     * pages, "Anna (30)" in the page's digits for other languages, which
     * reads right everywhere without a translation per language.
     */
    [[nodiscard]] QString cellText(int year, const QLocale &locale = QLocale(QLocale::English)) const;

    friend bool operator==(const SpecialDate &, const SpecialDate &) = default;
};

} // namespace CalStudio
