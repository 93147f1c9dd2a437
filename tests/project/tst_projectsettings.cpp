#include "core/project/projectsettings.h"

#include <QTest>

#include <limits>

using namespace CalStudio;

class TestProjectSettings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void span_data()
    {
        QTest::addColumn<int>("year");
        QTest::addColumn<int>("startMonth");
        QTest::addColumn<int>("endYear");
        QTest::addColumn<int>("endMonth");
        QTest::newRow("January start stays in the year") << 2027 << 1 << 2027 << 12;
        QTest::newRow("February start ends in January") << 2027 << 2 << 2028 << 1;
        QTest::newRow("July–June") << 2027 << 7 << 2028 << 6;
        QTest::newRow("December start") << 2027 << 12 << 2028 << 11;
        QTest::newRow("last supported year") << 2200 << 7 << 2201 << 6;
    }
    void span()
    {
        QFETCH(int, year);
        QFETCH(int, startMonth);
        QFETCH(int, endYear);
        QFETCH(int, endMonth);
        ProjectSettings s;
        s.year = year;
        s.startMonth = startMonth;
        QCOMPARE(s.endYearMonth(), std::make_pair(endYear, endMonth));
    }

    void weekStart_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("locale");
        QTest::addColumn<int>("day");
        QTest::newRow("German default is Monday") << QStringLiteral("locale") << QStringLiteral("de_DE") << 1;
        QTest::newRow("US default is Sunday") << QStringLiteral("locale") << QStringLiteral("en_US") << 7;
        QTest::newRow("Egypt default is Saturday") << QStringLiteral("locale") << QStringLiteral("ar_EG") << 6;
        QTest::newRow("explicit Monday in the US") << QStringLiteral("monday") << QStringLiteral("en_US") << 1;
        QTest::newRow("explicit Sunday in Germany") << QStringLiteral("sunday") << QStringLiteral("de_DE") << 7;
        QTest::newRow("explicit Saturday") << QStringLiteral("Saturday") << QStringLiteral("fr_FR") << 6;
    }
    void weekStart()
    {
        QFETCH(QString, id);
        QFETCH(QString, locale);
        QFETCH(int, day);
        const auto ws = weekStartFromId(id);
        QVERIFY(ws);
        QCOMPARE(int(resolvedFirstDayOfWeek(*ws, QLocale(locale))), day);
        QCOMPARE(weekStartFromId(weekStartId(*ws)), ws);
    }

    void unknownWeekStartIsRejected()
    {
        QVERIFY(!weekStartFromId(QStringLiteral("friday")));
        QVERIFY(!weekStartFromId(QString()));
    }

    void defaults()
    {
        const ProjectSettings s = ProjectSettings::defaults(QDate(2026, 11, 26), QLocale(QStringLiteral("fr_FR")));
        QCOMPARE(s.year, 2027);
        QCOMPARE(s.startMonth, 1);
        QCOMPARE(s.locale, QStringLiteral("fr_FR"));
        QVERIFY(s.title.contains(QLatin1String("2027")));
        QVERIFY(s.validate());
        // The C locale has no month names a person reads.
        QCOMPARE(ProjectSettings::defaults(QDate(2026, 1, 1), QLocale::c()).locale, QStringLiteral("en_US"));
    }

    void validation_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<bool>("valid");
        QTest::newRow("de_DE") << QStringLiteral("de_DE") << true;
        QTest::newRow("uk_UA") << QStringLiteral("uk_UA") << true;
        QTest::newRow("ja_JP") << QStringLiteral("ja_JP") << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("nonsense") << QStringLiteral("xx_nonsense") << false;
    }
    void validation()
    {
        QFETCH(QString, locale);
        QFETCH(bool, valid);
        ProjectSettings s = ProjectSettings::defaults(QDate(2026, 1, 1), QLocale(QStringLiteral("en_US")));
        s.locale = locale;
        QCOMPARE(s.validate().ok(), valid);
    }

    void spendCap_data()
    {
        QTest::addColumn<double>("usd");
        QTest::addColumn<bool>("valid");
        QTest::newRow("none") << 0.0 << true;
        QTest::newRow("a cent") << 0.01 << true;
        QTest::newRow("the maximum") << ProjectSettings::MaxSpendCapUsd << true;
        QTest::newRow("above the maximum") << ProjectSettings::MaxSpendCapUsd + 0.01 << false;
        QTest::newRow("negative") << -0.01 << false;
        QTest::newRow("not a number") << std::numeric_limits<double>::quiet_NaN() << false;
        QTest::newRow("infinite") << std::numeric_limits<double>::infinity() << false;
    }
    void spendCap()
    {
        QFETCH(double, usd);
        QFETCH(bool, valid);
        ProjectSettings s = ProjectSettings::defaults(QDate(2026, 1, 1), QLocale(QStringLiteral("en_US")));
        QCOMPARE(s.spendCapUsd, 0.0);
        s.spendCapUsd = usd;
        QCOMPARE(s.validate().ok(), valid);
        QCOMPARE(ProjectSettings::validateSpendCap(usd).ok(), valid);
        if (!valid)
            QCOMPARE(s.validate().error().code, QStringLiteral("invalid_spend_cap"));
        // The cap is something the user edits, so it is part of the content.
        const ProjectSettings before = ProjectSettings::defaults(QDate(2026, 1, 1), QLocale(QStringLiteral("en_US")));
        QCOMPARE(s.sameContent(before), usd == 0.0);
    }
};

QTEST_GUILESS_MAIN(TestProjectSettings)
#include "tst_projectsettings.moc"
