#include "core/calendar/specialdate.h"

#include <QTest>

using namespace CalStudio;

class TestSpecialDate : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void occurrence_data()
    {
        QTest::addColumn<QDate>("date");
        QTest::addColumn<bool>("recurring");
        QTest::addColumn<int>("leapRule");
        QTest::addColumn<int>("year");
        QTest::addColumn<QDate>("expected");
        const int feb28 = int(SpecialDate::LeapRule::February28);
        const int mar1 = int(SpecialDate::LeapRule::March1);
        QTest::newRow("plain birthday") << QDate(1990, 7, 14) << true << feb28 << 2027 << QDate(2027, 7, 14);
        QTest::newRow("before it began") << QDate(1990, 7, 14) << true << feb28 << 1989 << QDate();
        QTest::newRow("29 Feb in a leap year") << QDate(2000, 2, 29) << true << feb28 << 2028 << QDate(2028, 2, 29);
        QTest::newRow("29 Feb → 28 Feb") << QDate(2000, 2, 29) << true << feb28 << 2027 << QDate(2027, 2, 28);
        QTest::newRow("29 Feb → 1 Mar") << QDate(2000, 2, 29) << true << mar1 << 2027 << QDate(2027, 3, 1);
        QTest::newRow("29 Feb, 1 Mar rule, leap year") << QDate(2000, 2, 29) << true << mar1 << 2032
                                                       << QDate(2032, 2, 29);
        QTest::newRow("2100 is not a leap year") << QDate(2000, 2, 29) << true << feb28 << 2100
                                                 << QDate(2100, 2, 28);
        QTest::newRow("one-off, its year") << QDate(2027, 9, 3) << false << feb28 << 2027 << QDate(2027, 9, 3);
        QTest::newRow("one-off, other year") << QDate(2027, 9, 3) << false << feb28 << 2028 << QDate();
    }
    void occurrence()
    {
        QFETCH(QDate, date);
        QFETCH(bool, recurring);
        QFETCH(int, leapRule);
        QFETCH(int, year);
        QFETCH(QDate, expected);
        SpecialDate d;
        d.date = date;
        d.recurring = recurring;
        d.leapRule = SpecialDate::LeapRule(leapRule);
        QCOMPARE(d.occurrence(year), expected);
    }

    void cellText_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<bool>("showAge");
        QTest::addColumn<int>("year");
        QTest::addColumn<QString>("text");
        QTest::newRow("birthday with age") << int(SpecialDate::Kind::Birthday) << true << 2027
                                           << QStringLiteral("Anna turns 37");
        QTest::newRow("birthday without age") << int(SpecialDate::Kind::Birthday) << false << 2027
                                              << QStringLiteral("Anna");
        QTest::newRow("birth year itself") << int(SpecialDate::Kind::Birthday) << true << 1990
                                           << QStringLiteral("Anna");
        QTest::newRow("anniversary") << int(SpecialDate::Kind::Anniversary) << true << 2027
                                     << QStringLiteral("Anna (37 years)");
    }
    void cellText()
    {
        QFETCH(int, kind);
        QFETCH(bool, showAge);
        QFETCH(int, year);
        QFETCH(QString, text);
        SpecialDate d;
        d.date = QDate(1990, 5, 2);
        d.label = QStringLiteral("Anna");
        d.kind = SpecialDate::Kind(kind);
        d.showAge = showAge;
        QCOMPARE(d.cellText(year), text);
    }

    void cellTextInOtherLanguages()
    {
        SpecialDate d;
        d.date = QDate(1990, 5, 2);
        d.label = QStringLiteral("Anna");
        d.kind = SpecialDate::Kind::Birthday;
        d.showAge = true;
        QCOMPARE(d.cellText(2027, QLocale(QStringLiteral("de_DE"))), QStringLiteral("Anna (37)"));
        QCOMPARE(d.cellText(2027, QLocale(QStringLiteral("ar_EG"))), QStringLiteral("Anna (٣٧)"));
        QCOMPARE(d.cellText(2027, QLocale(QStringLiteral("en_GB"))), QStringLiteral("Anna turns 37"));
    }

    void ids()
    {
        for (auto k : {SpecialDate::Kind::Birthday, SpecialDate::Kind::Anniversary, SpecialDate::Kind::Holiday,
                       SpecialDate::Kind::Custom})
            QCOMPARE(SpecialDate::kindFromId(SpecialDate::kindId(k)), k);
        QVERIFY(!SpecialDate::kindFromId(QStringLiteral("party")));
        QCOMPARE(SpecialDate::leapRuleFromId(QStringLiteral("mar1")), SpecialDate::LeapRule::March1);
        QVERIFY(!SpecialDate::leapRuleFromId(QStringLiteral("feb30")));
    }
};

QTEST_GUILESS_MAIN(TestSpecialDate)
#include "tst_specialdate.moc"
