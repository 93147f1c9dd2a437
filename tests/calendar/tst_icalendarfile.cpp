#include "core/calendar/icalendarfile.h"

#include <QTemporaryDir>
#include <QTest>

using namespace CalStudio;

namespace {
SpecialDate make(QDate date, const QString &label, SpecialDate::Kind kind, bool recurring = true,
                 SpecialDate::LeapRule rule = SpecialDate::LeapRule::February28, bool showAge = false)
{
    SpecialDate d;
    d.date = date;
    d.label = label;
    d.kind = kind;
    d.recurring = recurring;
    d.leapRule = rule;
    d.showAge = showAge;
    return d;
}
} // namespace

class TestICalendarFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripKeepsEverything()
    {
        const QList<SpecialDate> dates{
            make(QDate(1990, 7, 14), QStringLiteral("Anna"), SpecialDate::Kind::Birthday, true,
                 SpecialDate::LeapRule::February28, true),
            make(QDate(2000, 2, 29), QStringLiteral("Leo"), SpecialDate::Kind::Birthday, true,
                 SpecialDate::LeapRule::March1, true),
            make(QDate(2004, 2, 29), QStringLiteral("Mia"), SpecialDate::Kind::Birthday),
            make(QDate(2015, 6, 20), QStringLiteral("Our wedding — Ærøskøbing"), SpecialDate::Kind::Anniversary, true,
                 SpecialDate::LeapRule::February28, true),
            make(QDate(2027, 9, 3), QStringLiteral("Sports day"), SpecialDate::Kind::Custom, false),
            make(QDate(2027, 11, 11), QStringLiteral("Family day"), SpecialDate::Kind::Holiday),
        };
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("dates.ics"));
        QVERIFY(ICalendarFile::write(path, dates));
        auto imported = ICalendarFile::read(path);
        QVERIFY2(imported, qPrintable(imported ? QString() : imported.error().toString()));
        QCOMPARE(imported->skipped, 0);
        QCOMPARE(imported->dates, dates);
    }

    void writesStandardICalendar()
    {
        const QByteArray ics = ICalendarFile::serialize(
            {make(QDate(2000, 2, 29), QStringLiteral("Leo"), SpecialDate::Kind::Birthday)});
        QVERIFY(ics.startsWith("BEGIN:VCALENDAR"));
        QVERIFY(ics.contains("VERSION:2.0"));
        QVERIFY(ics.contains("DTSTART;VALUE=DATE:20000229"));
        // Other programs understand the 28 February rule as "last day of February".
        QVERIFY(ics.contains("RRULE:FREQ=YEARLY;BYMONTHDAY=-1;BYMONTH=2"));
        QVERIFY(ics.contains("CATEGORIES:BIRTHDAY"));
    }

    // An address-book style export, as other programs write it.
    void importsForeignFiles()
    {
        const QByteArray ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//Contacts//EN\r\n"
                               "BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:19850312\r\nRRULE:FREQ=YEARLY\r\n"
                               "SUMMARY:Grandpa's birthday\r\nCATEGORIES:Birthday\r\nEND:VEVENT\r\n"
                               "BEGIN:VEVENT\r\nUID:2\r\nDTSTART:20270310T090000Z\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\n"
                               "BEGIN:VEVENT\r\nUID:3\r\nDTSTART;VALUE=DATE:20270101\r\nRRULE:FREQ=WEEKLY\r\n"
                               "SUMMARY:Gym\r\nEND:VEVENT\r\n"
                               "BEGIN:VEVENT\r\nUID:4\r\nDTSTART;VALUE=DATE:20270704\r\nSUMMARY:Barbecue\r\nEND:VEVENT\r\n"
                               "END:VCALENDAR\r\n";
        auto result = ICalendarFile::parse(ics);
        QVERIFY(result);
        QCOMPARE(result->dates.size(), 2);
        QCOMPARE(result->skipped, 2); // the timed appointment and the weekly event
        QCOMPARE(result->dates.at(0).label, QStringLiteral("Grandpa's birthday"));
        QCOMPARE(result->dates.at(0).kind, SpecialDate::Kind::Birthday);
        QVERIFY(result->dates.at(0).recurring);
        QCOMPARE(result->dates.at(1).date, QDate(2027, 7, 4));
        QVERIFY(!result->dates.at(1).recurring);
    }

    void rejectsWhatIsNotICalendar_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("text") << QByteArray("Anna 14.7.\nLeo 29.2.\n");
        QTest::newRow("vcard") << QByteArray("BEGIN:VCARD\r\nFN:Anna\r\nEND:VCARD\r\n");
        QTest::newRow("binary") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0", 12);
    }
    void rejectsWhatIsNotICalendar()
    {
        QFETCH(QByteArray, bytes);
        auto result = ICalendarFile::parse(bytes);
        QVERIFY(!result);
        QCOMPARE(result.error().code, QStringLiteral("not_icalendar"));
    }

    void survivesMalformedContent()
    {
        // Truncated in the middle of an event: what can be read is read, nothing crashes.
        const QByteArray ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270230\r\n"
                               "SUMMARY:Impossible day\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:2027";
        auto result = ICalendarFile::parse(ics);
        if (result)
            QVERIFY(result->dates.isEmpty());
        else
            QCOMPARE(result.error().code, QStringLiteral("not_icalendar"));
    }

    void missingFile()
    {
        auto result = ICalendarFile::read(QStringLiteral("/nonexistent/dates.ics"));
        QVERIFY(!result);
        QCOMPARE(result.error().code, QStringLiteral("unreadable"));
    }
};

QTEST_GUILESS_MAIN(TestICalendarFile)
#include "tst_icalendarfile.moc"
