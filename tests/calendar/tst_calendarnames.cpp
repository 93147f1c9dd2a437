#include "core/calendar/calendarnames.h"

#include <QTest>

using namespace CalStudio;

class TestCalendarNames : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void names_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<int>("month");
        QTest::addColumn<QString>("longMonth");
        QTest::addColumn<QString>("mondayShort");
        QTest::addColumn<QString>("title");
        QTest::addColumn<int>("direction");
        QTest::newRow("en_US") << QStringLiteral("en_US") << 7 << QStringLiteral("July") << QStringLiteral("Mon")
                               << QStringLiteral("July 2027") << int(Qt::LeftToRight);
        QTest::newRow("de_DE") << QStringLiteral("de_DE") << 3 << QStringLiteral("März") << QStringLiteral("Mo")
                               << QStringLiteral("März 2027") << int(Qt::LeftToRight);
        // French writes month names in lower case; a page title starts with a capital.
        QTest::newRow("fr_FR") << QStringLiteral("fr_FR") << 8 << QStringLiteral("Août") << QStringLiteral("Lun.")
                               << QStringLiteral("Août 2027") << int(Qt::LeftToRight);
        // Ukrainian: the standalone nominative "Січень", not the genitive "січня".
        QTest::newRow("uk_UA") << QStringLiteral("uk_UA") << 1 << QStringLiteral("Січень") << QStringLiteral("Пн")
                               << QStringLiteral("Січень 2027") << int(Qt::LeftToRight);
        QTest::newRow("ja_JP") << QStringLiteral("ja_JP") << 7 << QStringLiteral("7月") << QStringLiteral("月")
                               << QStringLiteral("7月 2027") << int(Qt::LeftToRight);
        // Arabic (Egypt): right to left, Arabic-Indic digits.
        QTest::newRow("ar_EG") << QStringLiteral("ar_EG") << 7 << QStringLiteral("يوليو")
                               << QStringLiteral("الاثنين") << QStringLiteral("يوليو ٢٠٢٧") << int(Qt::RightToLeft);
    }
    void names()
    {
        QFETCH(QString, locale);
        QFETCH(int, month);
        QFETCH(QString, longMonth);
        QFETCH(QString, mondayShort);
        QFETCH(QString, title);
        QFETCH(int, direction);
        const CalendarNames names{QLocale(locale)};
        QCOMPARE(names.monthName(month), longMonth);
        QCOMPARE(names.dayName(Qt::Monday), mondayShort);
        QCOMPARE(names.monthTitle(2027, month), title);
        QCOMPARE(int(names.direction()), direction);
        QVERIFY(!names.dayName(Qt::Sunday, CalendarNames::Form::Narrow).isEmpty());
        QVERIFY(names.monthName(month, CalendarNames::Form::Short).size() <= longMonth.size());
    }

    void numbersUseTheLanguagesDigits()
    {
        QCOMPARE(CalendarNames(QLocale(QStringLiteral("de_DE"))).number(2027), QStringLiteral("2027"));
        QCOMPARE(CalendarNames(QLocale(QStringLiteral("ar_EG"))).number(31), QStringLiteral("٣١"));
    }
};

QTEST_GUILESS_MAIN(TestCalendarNames)
#include "tst_calendarnames.moc"
