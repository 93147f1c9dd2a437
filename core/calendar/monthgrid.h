#pragma once

#include <QDate>
#include <QList>

#include <array>

namespace CalStudio {

/**
 * The weeks of one calendar month as printed: rows of seven dates starting
 * on the chosen weekday, including the leading and trailing days of the
 * neighbouring months, as many rows (4–6) as the month needs.
 */
class MonthGrid {
public:
    using Week = std::array<QDate, 7>;

    /// Builds the grid of `month` (1–12) of `year` with weeks starting on `firstDayOfWeek`.
    static MonthGrid build(int year, int month, Qt::DayOfWeek firstDayOfWeek);

    /**
     * The twelve consecutive (year, month) pairs of a calendar that starts in
     * `startMonth` of `year` (a July start runs to June of the next year).
     */
    static QList<std::pair<int, int>> span(int year, int startMonth);

    [[nodiscard]] int year() const { return m_year; }
    [[nodiscard]] int month() const { return m_month; }
    [[nodiscard]] Qt::DayOfWeek firstDayOfWeek() const { return m_firstDay; }
    [[nodiscard]] const QList<Week> &weeks() const { return m_weeks; }
    [[nodiscard]] int rowCount() const { return int(m_weeks.size()); }

    /// Weekday shown in column `column` (0–6).
    [[nodiscard]] Qt::DayOfWeek weekdayAt(int column) const;
    /// Whether `date` belongs to this month (and not to a neighbour shown for context).
    [[nodiscard]] bool contains(const QDate &date) const;

    /**
     * ISO 8601 week number for a row: the week of the row's Monday, which
     * holds the majority of the row's days whatever the week start.
     */
    [[nodiscard]] int isoWeekNumber(int row) const;

private:
    int m_year = 0;
    int m_month = 0;
    Qt::DayOfWeek m_firstDay = Qt::Monday;
    QList<Week> m_weeks;
};

} // namespace CalStudio
