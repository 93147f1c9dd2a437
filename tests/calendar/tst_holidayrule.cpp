#include "core/calendar/holidayrule.h"

#include <QCalendar>
#include <QJsonDocument>
#include <QTest>

using namespace CalStudio;

namespace {
Result<HolidayRule> parseRule(const char *json)
{
    return HolidayRule::fromJson(QJsonDocument::fromJson(QByteArray(json)).object(), QStringLiteral("rule"));
}
} // namespace

class TestHolidayRule : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Published Easter tables (e.g. the Astronomical Society of South Australia's Easter Dating Method tables).
    void westernEaster_data()
    {
        QTest::addColumn<int>("year");
        QTest::addColumn<QDate>("expected");
        const QDate dates[] = {
            { 2020, 4, 12 },
            { 2021, 4, 4 },
            { 2022, 4, 17 },
            { 2023, 4, 9 },
            { 2024, 3, 31 },
            { 2025, 4, 20 },
            { 2026, 4, 5 },
            { 2027, 3, 28 },
            { 2028, 4, 16 },
            { 2029, 4, 1 },
            { 2030, 4, 21 },
            { 2031, 4, 13 },
            { 2032, 3, 28 },
            { 2033, 4, 17 },
            { 2034, 4, 9 },
            { 2035, 3, 25 },
            // Extremes: earliest (22 March) and latest (25 April) possible dates.
            { 1818, 3, 22 },
            { 2285, 3, 22 },
            { 1943, 4, 25 },
            { 2038, 4, 25 },
            // First Gregorian Easter and a year whose paschal full moon needs the algorithm's corrections.
            { 1583, 4, 10 },
            { 1981, 4, 19 },
            { 2049, 4, 18 },
        };
        for (const QDate &d : dates)
            QTest::addRow("%d", d.year()) << d.year() << d;
    }
    void westernEaster()
    {
        QFETCH(int, year);
        QFETCH(QDate, expected);
        QCOMPARE(HolidayRule::westernEaster(year), expected);
    }

    void orthodoxEaster_data()
    {
        QTest::addColumn<int>("year");
        QTest::addColumn<QDate>("expected");
        // Gregorian dates of Orthodox Pascha as published by the churches.
        const QDate dates[] = {
            { 2020, 4, 19 },
            { 2021, 5, 2 },
            { 2022, 4, 24 },
            { 2023, 4, 16 },
            { 2024, 5, 5 },
            { 2025, 4, 20 },
            { 2026, 4, 12 },
            { 2027, 5, 2 },
            { 2028, 4, 16 },
            { 2029, 4, 8 },
            { 2030, 4, 28 },
            { 2031, 4, 13 },
            { 2032, 5, 2 },
            { 2033, 4, 24 },
            { 2034, 4, 9 },
            { 2035, 4, 29 },
            // 1900 is the first year of the 13-day difference; 2100 starts the 14-day one.
            { 1900, 4, 22 },
            { 2100, 5, 2 },
        };
        for (const QDate &d : dates)
            QTest::addRow("%d", d.year()) << d.year() << d;
    }
    void orthodoxEaster()
    {
        QFETCH(int, year);
        QFETCH(QDate, expected);
        QCOMPARE(HolidayRule::orthodoxEaster(year), expected);
    }

    // Properties every Easter must have, checked for every supported year.
    void easterIsAlwaysALegalSunday()
    {
        const QCalendar julian(QCalendar::System::Julian);
        for (int year = HolidayRule::MinYear; year <= HolidayRule::MaxYear; ++year) {
            const QDate western = HolidayRule::westernEaster(year);
            QVERIFY2(western.dayOfWeek() == Qt::Sunday, qPrintable(western.toString(Qt::ISODate)));
            QVERIFY(western >= QDate(year, 3, 22) && western <= QDate(year, 4, 25));

            // The Orthodox date, read in the Julian calendar (Qt's, an independent conversion), must fall
            // between Julian 22 March and 25 April: this checks the Julian→Gregorian shift of every century.
            const QDate orthodox = HolidayRule::orthodoxEaster(year);
            QVERIFY2(orthodox.dayOfWeek() == Qt::Sunday, qPrintable(orthodox.toString(Qt::ISODate)));
            const QCalendar::YearMonthDay j = julian.partsFromDate(orthodox);
            QCOMPARE(j.year, year);
            QVERIFY2((j.month == 3 && j.day >= 22) || (j.month == 4 && j.day <= 25),
                qPrintable(QStringLiteral("%1: Julian %2-%3").arg(year).arg(j.month).arg(j.day)));
            // The Orthodox Easter is never before the Western one.
            QVERIFY(orthodox >= western);
        }
    }

    void easterOutsideTheSupportedYears()
    {
        QVERIFY(!HolidayRule::westernEaster(1582).isValid());
        QVERIFY(!HolidayRule::orthodoxEaster(10000).isValid());
        QVERIFY(!HolidayRule::fixed(1, 1).dateIn(1500).isValid());
    }

    void dates_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<int>("year");
        QTest::addColumn<QDate>("expected");
        const QString fixed = QStringLiteral(R"({"type":"fixed","month":12,"day":25})");
        QTest::newRow("fixed") << fixed << 2027 << QDate(2027, 12, 25);
        QTest::newRow("29 Feb, leap") << QStringLiteral(R"({"type":"fixed","month":2,"day":29})") << 2028
                                      << QDate(2028, 2, 29);
        QTest::newRow("29 Feb, common year")
            << QStringLiteral(R"({"type":"fixed","month":2,"day":29})") << 2027 << QDate();
        // US Thanksgiving: 4th Thursday of November.
        const QString thanksgiving = QStringLiteral(R"({"type":"nth-weekday","month":11,"weekday":"thursday","n":4})");
        QTest::newRow("4th Thursday 2026") << thanksgiving << 2026 << QDate(2026, 11, 26);
        QTest::newRow("4th Thursday 2028") << thanksgiving << 2028 << QDate(2028, 11, 23);
        const QString firstMonday = QStringLiteral(R"({"type":"nth-weekday","month":9,"weekday":"monday","n":1})");
        QTest::newRow("1st Monday, month starts on Monday") << firstMonday << 2025 << QDate(2025, 9, 1);
        QTest::newRow("1st Monday, month starts on Tuesday") << firstMonday << 2026 << QDate(2026, 9, 7);
        const QString lastMonday = QStringLiteral(R"({"type":"nth-weekday","month":5,"weekday":"monday","n":-1})");
        QTest::newRow("last Monday of May 2027 (31st)") << lastMonday << 2027 << QDate(2027, 5, 31);
        QTest::newRow("last Monday of May 2026") << lastMonday << 2026 << QDate(2026, 5, 25);
        const QString fifthFriday = QStringLiteral(R"({"type":"nth-weekday","month":2,"weekday":"friday","n":5})");
        QTest::newRow("5th Friday exists") << fifthFriday << 2036 << QDate(2036, 2, 29);
        QTest::newRow("5th Friday missing") << fifthFriday << 2027 << QDate();
        // Victoria Day: the Monday preceding 25 May (published dates).
        const QString victoria
            = QStringLiteral(R"({"type":"weekday-on-or-before","month":5,"day":24,"weekday":"monday"})");
        const QDate victoriaDays[] = { { 2020, 5, 18 }, { 2021, 5, 24 }, { 2022, 5, 23 }, { 2023, 5, 22 },
            { 2024, 5, 20 }, { 2025, 5, 19 }, { 2026, 5, 18 }, { 2027, 5, 24 }, { 2028, 5, 22 } };
        for (const QDate &d : victoriaDays)
            QTest::addRow("Victoria Day %d", d.year()) << victoria << d.year() << d;
        const QString onOrAfter
            = QStringLiteral(R"({"type":"weekday-on-or-after","month":11,"day":2,"weekday":"tuesday"})");
        QTest::newRow("on or after, same day") << onOrAfter << 2027 << QDate(2027, 11, 2);
        QTest::newRow("on or after, later") << onOrAfter << 2026 << QDate(2026, 11, 3);
        QTest::newRow("Good Friday") << QStringLiteral(R"({"type":"easter","offset":-2})") << 2027
                                     << QDate(2027, 3, 26);
        QTest::newRow("Easter, default offset") << QStringLiteral(R"({"type":"easter"})") << 2026 << QDate(2026, 4, 5);
        QTest::newRow("Corpus Christi") << QStringLiteral(R"({"type":"easter","offset":60})") << 2026
                                        << QDate(2026, 6, 4);
        QTest::newRow("Orthodox Trinity")
            << QStringLiteral(R"({"type":"easter","offset":49,"computus":"orthodox"})") << 2027 << QDate(2027, 6, 20);
        // Ireland's St Brigid's Day: 1 February if a Friday, else the first Monday of February.
        const QString brigid = QStringLiteral(
            R"({"type":"first-of","rules":[{"type":"fixed","month":2,"day":1,"onlyOn":["friday"]},
                                          {"type":"nth-weekday","month":2,"weekday":"monday","n":1}]})");
        QTest::newRow("Brigid 2023") << brigid << 2023 << QDate(2023, 2, 6);
        QTest::newRow("Brigid 2026") << brigid << 2026 << QDate(2026, 2, 2);
        QTest::newRow("Brigid 2027, 1 Feb a Monday") << brigid << 2027 << QDate(2027, 2, 1);
        QTest::newRow("Brigid 2030, 1 Feb a Friday") << brigid << 2030 << QDate(2030, 2, 1);
        // Dutch King's Day: 27 April, or the 26th when the 27th is a Sunday.
        const QString kingsDay = QStringLiteral(
            R"({"type":"first-of","rules":[{"type":"fixed","month":4,"day":27,"notOn":["sunday"]},
                                          {"type":"fixed","month":4,"day":26}]})");
        QTest::newRow("Koningsdag 2025 (27th a Sunday)") << kingsDay << 2025 << QDate(2025, 4, 26);
        QTest::newRow("Koningsdag 2026") << kingsDay << 2026 << QDate(2026, 4, 27);
        QTest::newRow("onlyOn excludes") << QStringLiteral(R"({"type":"fixed","month":1,"day":1,"onlyOn":["monday"]})")
                                         << 2027 << QDate();
    }
    void dates()
    {
        QFETCH(QString, json);
        QFETCH(int, year);
        QFETCH(QDate, expected);
        const auto rule = parseRule(json.toUtf8().constData());
        QVERIFY2(rule.ok(), qPrintable(rule.ok() ? QString() : rule.error().detail));
        QCOMPARE(rule->dateIn(year), expected);
    }

    void buildersMatchParsedRules()
    {
        QCOMPARE(HolidayRule::nthWeekday(1, Qt::Monday, 3).dateIn(2027), QDate(2027, 1, 18));
        QCOMPARE(HolidayRule::weekdayOnOrBefore(5, 24, Qt::Monday).dateIn(2026), QDate(2026, 5, 18));
        QCOMPARE(HolidayRule::weekdayOnOrAfter(1, 1, Qt::Monday).dateIn(2028), QDate(2028, 1, 3));
        QCOMPARE(HolidayRule::easter(1, HolidayRule::Computus::Orthodox).dateIn(2027), QDate(2027, 5, 3));
        const HolidayRule brigid = HolidayRule::firstOf(
            { HolidayRule::fixed(2, 1).onlyOn({ Qt::Friday }), HolidayRule::nthWeekday(2, Qt::Monday, 1) });
        QCOMPARE(brigid.dateIn(2030), QDate(2030, 2, 1));
        QCOMPARE(brigid.dateIn(2028), QDate(2028, 2, 7));
        QCOMPARE(brigid.type(), HolidayRule::Type::FirstOf);
    }

    void malformedRules_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("detail");
        QTest::newRow("no type") << QStringLiteral(R"({"month":1,"day":1})") << QStringLiteral("missing \"type\"");
        QTest::newRow("unknown type") << QStringLiteral(R"({"type":"lunar"})")
                                      << QStringLiteral("unknown rule type \"lunar\"");
        QTest::newRow("typo in key") << QStringLiteral(R"({"type":"easter","ofset":1})")
                                     << QStringLiteral("unknown key \"ofset\"");
        QTest::newRow("month 13") << QStringLiteral(R"({"type":"fixed","month":13,"day":1})")
                                  << QStringLiteral("\"month\" must be a whole number from 1 to 12");
        QTest::newRow("month as text") << QStringLiteral(R"({"type":"fixed","month":"12","day":1})")
                                       << QStringLiteral("\"month\"");
        QTest::newRow("fractional day") << QStringLiteral(R"({"type":"fixed","month":1,"day":1.5})")
                                        << QStringLiteral("\"day\" must be a whole number");
        QTest::newRow("31 April") << QStringLiteral(R"({"type":"fixed","month":4,"day":31})")
                                  << QStringLiteral("there is no day 31 in month 4");
        QTest::newRow("missing day") << QStringLiteral(R"({"type":"fixed","month":4})")
                                     << QStringLiteral("missing \"day\"");
        QTest::newRow("n = 0") << QStringLiteral(R"({"type":"nth-weekday","month":1,"weekday":"monday","n":0})")
                               << QStringLiteral("\"n\" must be 1 to 5");
        QTest::newRow("n = 6") << QStringLiteral(R"({"type":"nth-weekday","month":1,"weekday":"monday","n":6})")
                               << QStringLiteral("\"n\" must be a whole number from -1 to 5");
        QTest::newRow("bad weekday") << QStringLiteral(R"({"type":"nth-weekday","month":1,"weekday":"Mon","n":1})")
                                     << QStringLiteral("\"weekday\" must be one of");
        QTest::newRow("bad computus") << QStringLiteral(R"({"type":"easter","computus":"julian"})")
                                      << QStringLiteral("\"computus\" must be");
        QTest::newRow("huge offset") << QStringLiteral(R"({"type":"easter","offset":100000})")
                                     << QStringLiteral("\"offset\" must be a whole number from -400 to 400");
        QTest::newRow("empty first-of") << QStringLiteral(R"({"type":"first-of","rules":[]})")
                                        << QStringLiteral("\"rules\" must be a non-empty list");
        QTest::newRow("bad nested rule") << QStringLiteral(R"({"type":"first-of","rules":[{"type":"fixed"}]})")
                                         << QStringLiteral("rule.rules[0]: missing \"month\"");
        QTest::newRow("nesting too deep")
            << QStringLiteral(R"({"type":"first-of","rules":[{"type":"first-of","rules":[{"type":"first-of","rules":[
                 {"type":"first-of","rules":[{"type":"first-of","rules":[{"type":"easter"}]}]}]}]}]})")
            << QStringLiteral("nest more than 4 deep");
        QTest::newRow("onlyOn not a list") << QStringLiteral(R"({"type":"easter","onlyOn":"friday"})")
                                           << QStringLiteral("\"onlyOn\" must be a non-empty list");
        QTest::newRow("notOn bad day") << QStringLiteral(R"({"type":"easter","notOn":["someday"]})")
                                       << QStringLiteral("\"someday\", which is not a weekday name");
        QTest::newRow("no weekday left") << QStringLiteral(
            R"({"type":"easter","onlyOn":["sunday"],"notOn":["sunday"]})")
                                         << QStringLiteral("exclude every weekday");
    }
    void malformedRules()
    {
        QFETCH(QString, json);
        QFETCH(QString, detail);
        const auto rule = parseRule(json.toUtf8().constData());
        QVERIFY(!rule.ok());
        QCOMPARE(rule.error().code, QStringLiteral("holidays_malformed"));
        QVERIFY2(rule.error().detail.contains(detail), qPrintable(rule.error().detail));
        QVERIFY(!rule.error().userMessage.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHolidayRule)
#include "tst_holidayrule.moc"
