#include "core/calendar/monthgrid.h"

namespace CalStudio {

MonthGrid MonthGrid::build(int year, int month, Qt::DayOfWeek firstDayOfWeek)
{
    MonthGrid grid;
    grid.m_year = year;
    grid.m_month = month;
    grid.m_firstDay = firstDayOfWeek;

    const QDate first(year, month, 1);
    if (!first.isValid())
        return grid;
    // Step back to the week start on or before the 1st.
    const int lead = (first.dayOfWeek() - int(firstDayOfWeek) + 7) % 7;
    QDate day = first.addDays(-lead);
    const QDate last(year, month, first.daysInMonth());
    while (day <= last) {
        Week week;
        for (QDate &d : week) {
            d = day;
            day = day.addDays(1);
        }
        grid.m_weeks.append(week);
    }
    return grid;
}

QList<std::pair<int, int>> MonthGrid::span(int year, int startMonth)
{
    QList<std::pair<int, int>> months;
    months.reserve(12);
    for (int i = 0; i < 12; ++i) {
        const int index = startMonth - 1 + i;
        months.append({year + index / 12, index % 12 + 1});
    }
    return months;
}

Qt::DayOfWeek MonthGrid::weekdayAt(int column) const
{
    return Qt::DayOfWeek((int(m_firstDay) - 1 + column) % 7 + 1);
}

bool MonthGrid::contains(const QDate &date) const
{
    return date.year() == m_year && date.month() == m_month;
}

int MonthGrid::isoWeekNumber(int row) const
{
    const Week &week = m_weeks.at(row);
    for (const QDate &d : week) {
        if (d.dayOfWeek() == Qt::Monday)
            return d.weekNumber();
    }
    return week.front().weekNumber();
}

} // namespace CalStudio
