#include "core/project/calendardocument.h"
#include "core/project/project.h"

#include <QTemporaryDir>
#include <QTest>

using namespace CalStudio;

namespace {
ProjectSettings settings(const QString &locale, int startMonth, const QString &region)
{
    ProjectSettings s = ProjectSettings::defaults(QDate(2026, 11, 26), QLocale(locale));
    s.year = 2027;
    s.startMonth = startMonth;
    s.locale = locale;
    s.holidayRegion = region;
    s.weekStart = WeekStart::Monday;
    return s;
}

QList<MonthEntry> months()
{
    QList<MonthEntry> list;
    for (int m = 0; m < MonthEntry::PageCount; ++m)
        list.append(MonthEntry{m, m == 10 ? QStringLiteral("Autumn walk") : QString(), {}, {}, {}, 0});
    return list;
}
} // namespace

class TestCalendarDocument : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pagesFollowTheSpan()
    {
        const CalendarDocument doc(settings(QStringLiteral("de_DE"), 7, {}), months(), {}, {});
        QCOMPARE(doc.yearMonth(1), std::make_pair(2027, 7));
        QCOMPARE(doc.yearMonth(6), std::make_pair(2027, 12));
        QCOMPARE(doc.yearMonth(7), std::make_pair(2028, 1));
        QCOMPARE(doc.yearMonth(12), std::make_pair(2028, 6));
        QCOMPARE(doc.monthEntryIndex(0), 0);
        QCOMPARE(doc.monthEntryIndex(4), 10);
        QCOMPARE(doc.pageTitle(4), QStringLiteral("Oktober 2027"));
        QCOMPARE(doc.cover().subtitle, QStringLiteral("Juli 2027 – Juni 2028"));
        // The month's own title is its placeholder; otherwise the month name.
        QCOMPARE(doc.monthPage(4).placeholderTitle, QStringLiteral("Autumn walk"));
        QCOMPARE(doc.monthPage(5).placeholderTitle, QStringLiteral("November"));
        QCOMPARE(doc.monthPage(1).grid.firstDayOfWeek(), Qt::Monday);
    }

    void marksHolidaysAndPersonalDates()
    {
        SpecialDate leo;
        leo.date = QDate(2000, 2, 29);
        leo.label = QStringLiteral("Leo");
        leo.kind = SpecialDate::Kind::Birthday;
        leo.showAge = true;
        SpecialDate ownHoliday;
        ownHoliday.date = QDate(2027, 10, 15);
        ownHoliday.label = QStringLiteral("Family day");
        ownHoliday.kind = SpecialDate::Kind::Holiday;
        const CalendarDocument doc(settings(QStringLiteral("de_DE"), 7, QStringLiteral("DE")), months(),
                                   {leo, ownHoliday}, {QStringLiteral("DE:zweiter-weihnachtstag")});
        QVERIFY(doc.holidayError().isNull());

        const MonthPageContent october = doc.monthPage(4);
        QCOMPARE(october.marks.size(), 2);
        QCOMPARE(october.marks.at(0).text, QStringLiteral("Tag der Deutschen Einheit"));
        QVERIFY(october.marks.at(0).holiday);
        QCOMPARE(october.marks.at(1).text, QStringLiteral("Family day"));
        QVERIFY(october.marks.at(1).holiday);

        // The second Christmas day is switched off; the first stays.
        const MonthPageContent december = doc.monthPage(6);
        QCOMPARE(december.marks.size(), 1);
        QCOMPARE(december.marks.first().date, QDate(2027, 12, 25));

        // February 2028 is a leap year: Leo's day is the 29th.
        const MonthPageContent february = doc.monthPage(8);
        QCOMPARE(february.marks.size(), 1);
        QCOMPARE(february.marks.first().date, QDate(2028, 2, 29));
        QCOMPARE(february.marks.first().text, QStringLiteral("Leo (28)")); // a German page
    }

    void switchedOffHolidaysAreLeftOut()
    {
        const CalendarDocument all(settings(QStringLiteral("en_GB"), 1, QStringLiteral("GB")), months(), {}, {});
        const CalendarDocument fewer(settings(QStringLiteral("en_GB"), 1, QStringLiteral("GB")), months(), {},
                                     {QStringLiteral("GB:boxing-day")});
        auto names = [](const CalendarDocument &d) {
            QStringList n;
            for (const Holiday &h : d.holidays())
                n.append(h.name);
            return n.join(QLatin1Char('|'));
        };
        QVERIFY(names(all).contains(QLatin1String("Boxing Day")));
        QVERIFY(!names(fewer).contains(QLatin1String("Boxing Day")));
        QCOMPARE(fewer.holidays().size(), all.holidays().size() - 2); // the day and its substitute
    }

    void unknownRegionIsReportedNotFatal()
    {
        const CalendarDocument doc(settings(QStringLiteral("en_US"), 1, QStringLiteral("XX")), months(), {}, {});
        QVERIFY(!doc.holidayError().isNull());
        QVERIFY(doc.holidays().isEmpty());
        QCOMPARE(doc.monthPage(1).grid.rowCount() >= 4, true);
    }

    void fromProjectMatchesTheProject()
    {
        QTemporaryDir dir;
        auto project = Project::create(dir.filePath(QStringLiteral("p.calstudio")),
                                       settings(QStringLiteral("en_US"), 1, QStringLiteral("US")));
        QVERIFY(project);
        (*project)->setHolidayEnabled(QStringLiteral("US"), QStringLiteral("columbus-day"), false);
        const CalendarDocument doc = CalendarDocument::fromProject(**project);
        for (const Holiday &h : doc.holidays())
            QVERIFY(h.id != QLatin1String("columbus-day"));
        QCOMPARE(doc.settings().holidayRegion, QStringLiteral("US"));
    }
};

QTEST_MAIN(TestCalendarDocument)
#include "tst_calendardocument.moc"
