#include "core/calendar/monthgrid.h"

#include <QTest>

#include <chrono>

using namespace CalStudio;
namespace chr = std::chrono;

namespace {
// An independent computation with std::chrono's civil calendar, not QDate.
struct Expected {
    chr::sys_days gridStart;
    int rows;
};

Expected expectedGrid(int y, unsigned m, unsigned startEncoding /* 0 = Sunday … 6 = Saturday */)
{
    const chr::sys_days first{chr::year{y} / chr::month{m} / chr::day{1}};
    const unsigned lead = (chr::weekday{first}.c_encoding() + 7 - startEncoding) % 7;
    const unsigned daysInMonth = unsigned((chr::year{y} / chr::month{m} / chr::last).day());
    return {first - chr::days{lead}, int((lead + daysInMonth + 6) / 7)};
}

QDate toQDate(chr::sys_days d)
{
    const chr::year_month_day ymd{d};
    return QDate(int(ymd.year()), int(unsigned(ymd.month())), int(unsigned(ymd.day())));
}
} // namespace

class TestMonthGrid : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyMonthAgainstChrono_data()
    {
        QTest::addColumn<int>("year");
        QTest::addColumn<int>("month");
        QTest::addColumn<int>("weekStart");
        const std::pair<const char *, int> starts[] = {{"mon", Qt::Monday}, {"sun", Qt::Sunday}, {"sat", Qt::Saturday}};
        for (int y = 2024; y <= 2032; ++y)
            for (int m = 1; m <= 12; ++m)
                for (const auto &[name, day] : starts)
                    QTest::addRow("%04d-%02d-%s", y, m, name) << y << m << day;
    }
    void everyMonthAgainstChrono()
    {
        QFETCH(int, year);
        QFETCH(int, month);
        QFETCH(int, weekStart);
        const MonthGrid grid = MonthGrid::build(year, month, Qt::DayOfWeek(weekStart));
        const Expected e = expectedGrid(year, unsigned(month), unsigned(weekStart % 7));

        QCOMPARE(grid.rowCount(), e.rows);
        QVERIFY(grid.rowCount() >= 4 && grid.rowCount() <= 6);
        int inMonth = 0;
        for (int r = 0; r < grid.rowCount(); ++r) {
            for (int c = 0; c < 7; ++c) {
                const QDate d = grid.weeks().at(r).at(size_t(c));
                QCOMPARE(d, toQDate(e.gridStart + chr::days{r * 7 + c}));
                QCOMPARE(d.dayOfWeek(), int(grid.weekdayAt(c)));
                inMonth += grid.contains(d) ? 1 : 0;
            }
        }
        QCOMPARE(inMonth, QDate(year, month, 1).daysInMonth());
        // Every row has at least one day of the month: no empty leading or trailing week.
        for (const auto &week : grid.weeks())
            QVERIFY(std::any_of(week.begin(), week.end(), [&](const QDate &d) { return grid.contains(d); }));
    }

    void edgeCases_data()
    {
        QTest::addColumn<int>("year");
        QTest::addColumn<int>("month");
        QTest::addColumn<int>("weekStart");
        QTest::addColumn<int>("rows");
        QTest::addColumn<QDate>("firstCell");
        QTest::addColumn<QDate>("lastCell");
        // 1 Feb 2015 is a Sunday: a 28-day February fills exactly four Sunday-start rows.
        QTest::newRow("four rows") << 2015 << 2 << int(Qt::Sunday) << 4 << QDate(2015, 2, 1) << QDate(2015, 2, 28);
        // 1 March 2026 is a Sunday, the last day of a Monday week: six rows.
        QTest::newRow("1st on the week's last day") << 2026 << 3 << int(Qt::Monday) << 6 << QDate(2026, 2, 23)
                                                    << QDate(2026, 4, 5);
        // 1 Jan 2027 is a Friday, the last day of a Saturday week.
        QTest::newRow("Saturday start, 1st on Friday") << 2027 << 1 << int(Qt::Saturday) << 6 << QDate(2026, 12, 26)
                                                       << QDate(2027, 2, 5);
        QTest::newRow("leap February") << 2024 << 2 << int(Qt::Monday) << 5 << QDate(2024, 1, 29)
                                       << QDate(2024, 3, 3);
        QTest::newRow("leap February 2028, Sunday start") << 2028 << 2 << int(Qt::Sunday) << 5
                                                          << QDate(2028, 1, 30) << QDate(2028, 3, 4);
        QTest::newRow("year 1970") << 1970 << 1 << int(Qt::Monday) << 5 << QDate(1969, 12, 29) << QDate(1970, 2, 1);
        QTest::newRow("year 2200") << 2200 << 12 << int(Qt::Monday) << 5 << QDate(2200, 12, 1)
                                   << QDate(2201, 1, 4);
    }
    void edgeCases()
    {
        QFETCH(int, year);
        QFETCH(int, month);
        QFETCH(int, weekStart);
        QFETCH(int, rows);
        QFETCH(QDate, firstCell);
        QFETCH(QDate, lastCell);
        const MonthGrid grid = MonthGrid::build(year, month, Qt::DayOfWeek(weekStart));
        QCOMPARE(grid.rowCount(), rows);
        QCOMPARE(grid.weeks().first().front(), firstCell);
        QCOMPARE(grid.weeks().last().back(), lastCell);
    }

    void spanCrossesTheYearBoundary()
    {
        const auto months = MonthGrid::span(2027, 7);
        QCOMPARE(months.size(), 12);
        QCOMPARE(months.first(), std::make_pair(2027, 7));
        QCOMPARE(months.at(5), std::make_pair(2027, 12));
        QCOMPARE(months.at(6), std::make_pair(2028, 1));
        QCOMPARE(months.last(), std::make_pair(2028, 6));
        QCOMPARE(MonthGrid::span(2027, 1).last(), std::make_pair(2027, 12));
    }

    void isoWeekNumbers_data()
    {
        QTest::addColumn<int>("year");
        QTest::addColumn<int>("month");
        QTest::addColumn<int>("weekStart");
        QTest::addColumn<QList<int>>("weeks");
        // 1 Jan 2027 (Friday) is in ISO week 53 of 2026.
        QTest::newRow("Jan 2027 Monday") << 2027 << 1 << int(Qt::Monday) << QList<int>{53, 1, 2, 3, 4};
        QTest::newRow("Jan 2027 Sunday") << 2027 << 1 << int(Qt::Sunday) << QList<int>{53, 1, 2, 3, 4, 5};
        QTest::newRow("Dec 2024 Monday") << 2024 << 12 << int(Qt::Monday) << QList<int>{48, 49, 50, 51, 52, 1};
    }
    void isoWeekNumbers()
    {
        QFETCH(int, year);
        QFETCH(int, month);
        QFETCH(int, weekStart);
        QFETCH(QList<int>, weeks);
        const MonthGrid grid = MonthGrid::build(year, month, Qt::DayOfWeek(weekStart));
        QList<int> actual;
        for (int r = 0; r < grid.rowCount(); ++r)
            actual.append(grid.isoWeekNumber(r));
        QCOMPARE(actual, weeks);
    }
};

QTEST_GUILESS_MAIN(TestMonthGrid)
#include "tst_monthgrid.moc"
