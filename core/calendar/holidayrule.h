#pragma once

#include "core/common/result.h"

#include <QDate>
#include <QJsonObject>

#include <vector>

namespace CalStudio {

/**
 * How the date of one holiday is found in a given year, read from the
 * "rule" object of a holiday data file (resources/holidays/<CODE>.json).
 *
 * Rule types (`"type"`):
 *
 * - `"fixed"`: `month` (1–12) and `day` — 25 December.
 * - `"nth-weekday"`: `month`, `weekday` ("monday" … "sunday") and `n`
 *   (1–5, or -1 for the last) — the third Monday of January. A fifth
 *   weekday that the month does not have yields no date.
 * - `"weekday-on-or-before"` / `"weekday-on-or-after"`: `month`, `day` and
 *   `weekday` — Canada's Victoria Day is the Monday on or before 24 May,
 *   i.e. the Monday preceding 25 May.
 * - `"easter"`: `offset` in days (-400–400, default 0) from Easter Sunday,
 *   `computus` "western" (default) or "orthodox" — Good Friday is offset -2.
 * - `"first-of"`: `rules`, a list of rules; the first one that yields a date
 *   wins. Together with the conditions below this expresses special cases as
 *   data, e.g. Ireland's St Brigid's Day (1 February if that is a Friday,
 *   else the first Monday of February) or the Dutch King's Day (27 April,
 *   26 April when the 27th is a Sunday).
 *
 * Every rule may carry conditions on the weekday of the date it computes:
 * `onlyOn` (a list of weekdays; any other weekday yields no date) and
 * `notOn` (a list of weekdays that yield no date).
 *
 * Parsing never throws: malformed rules become an Error that names the
 * offending field.
 */
class HolidayRule {
public:
    enum class Type { Fixed, NthWeekday, WeekdayOnOrBefore, WeekdayOnOrAfter, Easter, FirstOf };
    enum class Computus { Western, Orthodox };

    /// Years for which rules are evaluated: the Gregorian calendar from its first full year on.
    static constexpr int MinYear = 1583;
    static constexpr int MaxYear = 9999;

    /// Parses one "rule" object. `path` names it in error details ("holidays[3].rule").
    static Result<HolidayRule> fromJson(const QJsonObject &json, const QString &path);

    /// Rule builders, mainly for tests and code-defined regions.
    static HolidayRule fixed(int month, int day);
    static HolidayRule nthWeekday(int month, Qt::DayOfWeek weekday, int n);
    static HolidayRule weekdayOnOrBefore(int month, int day, Qt::DayOfWeek weekday);
    static HolidayRule weekdayOnOrAfter(int month, int day, Qt::DayOfWeek weekday);
    static HolidayRule easter(int offset, Computus computus = Computus::Western);
    static HolidayRule firstOf(std::vector<HolidayRule> rules);
    /// Returns a copy that yields a date only when it falls on one of `weekdays`.
    [[nodiscard]] HolidayRule onlyOn(std::initializer_list<Qt::DayOfWeek> weekdays) const;
    /// Returns a copy that yields no date when it falls on one of `weekdays`.
    [[nodiscard]] HolidayRule notOn(std::initializer_list<Qt::DayOfWeek> weekdays) const;

    /**
     * The date of this rule in `year`, or an invalid QDate when the rule has
     * no date that year (a condition excluded it, a fifth weekday does not
     * exist, 29 February in a common year, or `year` is outside
     * MinYear–MaxYear). Easter offsets may leave the year (none of the
     * shipped ones do); the date is returned as computed.
     */
    [[nodiscard]] QDate dateIn(int year) const;

    [[nodiscard]] Type type() const { return m_type; }

    /**
     * Western (Gregorian) Easter Sunday, by the Anonymous Gregorian algorithm
     * (Meeus/Jones/Butcher). Invalid QDate outside MinYear–MaxYear.
     */
    static QDate westernEaster(int year);

    /**
     * Orthodox Easter Sunday as a Gregorian date: Meeus' Julian algorithm
     * gives the Julian calendar date, which is then shifted by the Julian–
     * Gregorian difference of that century. Invalid QDate outside MinYear–MaxYear.
     */
    static QDate orthodoxEaster(int year);

    /// "monday" … "sunday" → Qt::DayOfWeek, 0 when not a weekday name.
    static int weekdayFromName(const QString &name);

private:
    [[nodiscard]] QDate unconditionalDateIn(int year) const;

    Type m_type = Type::Fixed;
    int m_month = 1;
    int m_day = 1;
    int m_weekday = Qt::Monday;
    int m_n = 1;
    int m_offset = 0;
    Computus m_computus = Computus::Western;
    /// Bit (1 << Qt::DayOfWeek) set for each weekday on which the rule yields a date.
    unsigned m_allowedWeekdays = 0xFE;
    std::vector<HolidayRule> m_rules;
};

} // namespace CalStudio
