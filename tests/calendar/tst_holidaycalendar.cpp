#include "core/calendar/holidaycalendar.h"

#include <QFile>
#include <QTest>

using namespace CalStudio;

namespace {

const QStringList shippedRegions = {
    QStringLiteral("AU"),
    QStringLiteral("CA"),
    QStringLiteral("DE"),
    QStringLiteral("ES"),
    QStringLiteral("FR"),
    QStringLiteral("GB"),
    QStringLiteral("IE"),
    QStringLiteral("IT"),
    QStringLiteral("NL"),
    QStringLiteral("PL"),
    QStringLiteral("UA"),
    QStringLiteral("US"),
};

/// "MM-DD id" per holiday, with " observed" appended for a substitute day: compact to write and to diff.
QStringList summary(const QList<Holiday> &holidays)
{
    QStringList lines;
    for (const Holiday &h : holidays)
        lines.append(
            h.date.toString(QStringLiteral("MM-dd ")) + h.id + (h.observed ? QStringLiteral(" observed") : QString()));
    return lines;
}

HolidayCalendar loaded(const QString &region)
{
    auto calendar = HolidayCalendar::load(region);
    if (!calendar) {
        qWarning() << calendar.error();
        return {};
    }
    return *calendar;
}

/// QStringList from UTF-8 literals (QT_NO_CAST_FROM_ASCII rules out QStringList{"…"}).
QStringList lines(std::initializer_list<const char *> items)
{
    QStringList list;
    for (const char *item : items)
        list.append(QString::fromUtf8(item));
    return list;
}

QByteArray minimalJson(const QByteArray &holidays)
{
    return R"({"region":"XT","name":"Testland","source":"test","holidays":)" + holidays + "}";
}

} // namespace

class TestHolidayCalendar : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Also proves that the resources of the static library are linked and registered without Q_INIT_RESOURCE.
    void availableRegionsAreTheTwelveShipped() { QCOMPARE(HolidayCalendar::availableRegions(), shippedRegions); }

    void everyRegionLoadsAndNamesItsSource_data()
    {
        QTest::addColumn<QString>("region");
        for (const QString &region : shippedRegions)
            QTest::newRow(qPrintable(region)) << region;
    }
    void everyRegionLoadsAndNamesItsSource()
    {
        QFETCH(QString, region);
        const auto calendar = HolidayCalendar::load(region);
        QVERIFY2(calendar.ok(), qPrintable(calendar.ok() ? QString() : calendar.error().toString()));
        QCOMPARE(calendar->region(), region);
        QVERIFY(!calendar->regionName().isEmpty());
        QVERIFY(!calendar->source().isEmpty());
        QVERIFY(!calendar->sources().isEmpty());
        QVERIFY(!calendar->note().isEmpty());
        QVERIFY(calendar->languages().contains(QStringLiteral("en")));

        // The embedded copy is the file in the source tree (a stale build would test old data).
        QFile source(QStringLiteral(CALSTUDIO_SOURCE_DIR "/resources/holidays/") + region + QStringLiteral(".json"));
        QVERIFY(source.open(QIODevice::ReadOnly));
        QFile embedded(QStringLiteral(":/calstudio/holidays/") + region + QStringLiteral(".json"));
        QVERIFY(embedded.open(QIODevice::ReadOnly));
        QCOMPARE(embedded.readAll(), source.readAll());

        // Every name is filled in, every holiday belongs to the region and the list is sorted.
        for (int year = 2020; year <= 2040; ++year) {
            const QList<Holiday> list = calendar->holidays(year);
            QVERIFY(list.size() >= 8);
            for (qsizetype i = 0; i < list.size(); ++i) {
                QCOMPARE(list.at(i).region, region);
                QCOMPARE(list.at(i).date.year(), year);
                QVERIFY(!list.at(i).name.isEmpty());
                if (i > 0)
                    QVERIFY(list.at(i - 1).date <= list.at(i).date);
                if (list.at(i).observed)
                    QVERIFY(list.at(i).date.dayOfWeek() < Qt::Saturday);
            }
        }
    }

    // Every shipped holiday of 2026–2028, written out from the official calendars (gov.uk, OPM, BOE, the
    // Länder and the other sources named in each file), not computed by the code under test.
    void fullYears_data()
    {
        QTest::addColumn<QString>("region");
        QTest::addColumn<int>("year");
        QTest::addColumn<QStringList>("expected");
        // clang-format off
        QTest::newRow("US 2026") << "US" << 2026 << lines({
            "01-01 new-years-day", "01-19 martin-luther-king-day", "02-16 washingtons-birthday", "05-25 memorial-day",
            "06-19 juneteenth", "07-03 independence-day observed", "07-04 independence-day", "09-07 labor-day",
            "10-12 columbus-day", "11-11 veterans-day", "11-26 thanksgiving-day", "12-25 christmas-day"});
        // 19 June and 25 December 2027 are Saturdays, 4 July a Sunday; 1 January 2028 (Saturday) is observed on 31 December 2027.
        QTest::newRow("US 2027") << "US" << 2027 << lines({
            "01-01 new-years-day", "01-18 martin-luther-king-day", "02-15 washingtons-birthday", "05-31 memorial-day",
            "06-18 juneteenth observed", "06-19 juneteenth", "07-04 independence-day", "07-05 independence-day observed",
            "09-06 labor-day", "10-11 columbus-day", "11-11 veterans-day", "11-25 thanksgiving-day",
            "12-24 christmas-day observed", "12-25 christmas-day", "12-31 new-years-day observed"});
        QTest::newRow("US 2028") << "US" << 2028 << lines({
            "01-01 new-years-day", "01-17 martin-luther-king-day", "02-21 washingtons-birthday", "05-29 memorial-day",
            "06-19 juneteenth", "07-04 independence-day", "09-04 labor-day", "10-09 columbus-day",
            "11-10 veterans-day observed", "11-11 veterans-day", "11-23 thanksgiving-day", "12-25 christmas-day"});

        QTest::newRow("GB 2026") << "GB" << 2026 << lines({
            "01-01 new-years-day", "04-03 good-friday", "04-06 easter-monday", "05-04 early-may-bank-holiday",
            "05-25 spring-bank-holiday", "08-31 summer-bank-holiday", "12-25 christmas-day", "12-26 boxing-day",
            "12-28 boxing-day observed"});
        QTest::newRow("GB 2027") << "GB" << 2027 << lines({
            "01-01 new-years-day", "03-26 good-friday", "03-29 easter-monday", "05-03 early-may-bank-holiday",
            "05-31 spring-bank-holiday", "08-30 summer-bank-holiday", "12-25 christmas-day", "12-26 boxing-day",
            "12-27 christmas-day observed", "12-28 boxing-day observed"});
        QTest::newRow("GB 2028") << "GB" << 2028 << lines({
            "01-01 new-years-day", "01-03 new-years-day observed", "04-14 good-friday", "04-17 easter-monday",
            "05-01 early-may-bank-holiday", "05-29 spring-bank-holiday", "08-28 summer-bank-holiday",
            "12-25 christmas-day", "12-26 boxing-day"});

        QTest::newRow("CA 2026") << "CA" << 2026 << lines({
            "01-01 new-years-day", "04-03 good-friday", "05-18 victoria-day", "07-01 canada-day", "09-07 labour-day",
            "09-30 truth-and-reconciliation-day", "10-12 thanksgiving-day", "11-11 remembrance-day",
            "12-25 christmas-day", "12-26 boxing-day", "12-28 boxing-day observed"});
        QTest::newRow("CA 2027") << "CA" << 2027 << lines({
            "01-01 new-years-day", "03-26 good-friday", "05-24 victoria-day", "07-01 canada-day", "09-06 labour-day",
            "09-30 truth-and-reconciliation-day", "10-11 thanksgiving-day", "11-11 remembrance-day",
            "12-25 christmas-day", "12-26 boxing-day", "12-27 christmas-day observed", "12-28 boxing-day observed"});
        // 1 January, 1 July, 30 September and 11 November 2028 are Saturdays.
        QTest::newRow("CA 2028") << "CA" << 2028 << lines({
            "01-01 new-years-day", "01-03 new-years-day observed", "04-14 good-friday", "05-22 victoria-day",
            "07-01 canada-day", "07-03 canada-day observed", "09-04 labour-day",
            "09-30 truth-and-reconciliation-day", "10-02 truth-and-reconciliation-day observed",
            "10-09 thanksgiving-day", "11-11 remembrance-day", "11-13 remembrance-day observed",
            "12-25 christmas-day", "12-26 boxing-day"});

        // Anzac Day is a Saturday in 2026 and a Sunday in 2027: no national substitute.
        QTest::newRow("AU 2026") << "AU" << 2026 << lines({
            "01-01 new-years-day", "01-26 australia-day", "04-03 good-friday", "04-06 easter-monday",
            "04-25 anzac-day", "06-08 kings-birthday", "12-25 christmas-day", "12-26 boxing-day",
            "12-28 boxing-day observed"});
        QTest::newRow("AU 2027") << "AU" << 2027 << lines({
            "01-01 new-years-day", "01-26 australia-day", "03-26 good-friday", "03-29 easter-monday",
            "04-25 anzac-day", "06-14 kings-birthday", "12-25 christmas-day", "12-26 boxing-day",
            "12-27 christmas-day observed", "12-28 boxing-day observed"});
        QTest::newRow("AU 2028") << "AU" << 2028 << lines({
            "01-01 new-years-day", "01-03 new-years-day observed", "01-26 australia-day", "04-14 good-friday",
            "04-17 easter-monday", "04-25 anzac-day", "06-12 kings-birthday", "12-25 christmas-day",
            "12-26 boxing-day"});

        QTest::newRow("DE 2026") << "DE" << 2026 << lines({
            "01-01 neujahr", "04-03 karfreitag", "04-06 ostermontag", "05-01 tag-der-arbeit",
            "05-14 christi-himmelfahrt", "05-25 pfingstmontag", "10-03 tag-der-deutschen-einheit",
            "12-25 erster-weihnachtstag", "12-26 zweiter-weihnachtstag"});
        QTest::newRow("DE 2027") << "DE" << 2027 << lines({
            "01-01 neujahr", "03-26 karfreitag", "03-29 ostermontag", "05-01 tag-der-arbeit",
            "05-06 christi-himmelfahrt", "05-17 pfingstmontag", "10-03 tag-der-deutschen-einheit",
            "12-25 erster-weihnachtstag", "12-26 zweiter-weihnachtstag"});
        QTest::newRow("DE 2028") << "DE" << 2028 << lines({
            "01-01 neujahr", "04-14 karfreitag", "04-17 ostermontag", "05-01 tag-der-arbeit",
            "05-25 christi-himmelfahrt", "06-05 pfingstmontag", "10-03 tag-der-deutschen-einheit",
            "12-25 erster-weihnachtstag", "12-26 zweiter-weihnachtstag"});

        QTest::newRow("FR 2026") << "FR" << 2026 << lines({
            "01-01 jour-de-l-an", "04-06 lundi-de-paques", "05-01 fete-du-travail", "05-08 victoire-1945",
            "05-14 ascension", "05-25 lundi-de-pentecote", "07-14 fete-nationale", "08-15 assomption",
            "11-01 toussaint", "11-11 armistice-1918", "12-25 noel"});
        QTest::newRow("FR 2027") << "FR" << 2027 << lines({
            "01-01 jour-de-l-an", "03-29 lundi-de-paques", "05-01 fete-du-travail", "05-06 ascension",
            "05-08 victoire-1945", "05-17 lundi-de-pentecote", "07-14 fete-nationale", "08-15 assomption",
            "11-01 toussaint", "11-11 armistice-1918", "12-25 noel"});
        QTest::newRow("FR 2028") << "FR" << 2028 << lines({
            "01-01 jour-de-l-an", "04-17 lundi-de-paques", "05-01 fete-du-travail", "05-08 victoire-1945",
            "05-25 ascension", "06-05 lundi-de-pentecote", "07-14 fete-nationale", "08-15 assomption",
            "11-01 toussaint", "11-11 armistice-1918", "12-25 noel"});

        QTest::newRow("ES 2026") << "ES" << 2026 << lines({
            "01-01 ano-nuevo", "01-06 epifania", "04-03 viernes-santo", "05-01 fiesta-del-trabajo", "08-15 asuncion",
            "10-12 fiesta-nacional", "11-01 todos-los-santos", "12-06 dia-de-la-constitucion",
            "12-08 inmaculada-concepcion", "12-25 navidad"});
        QTest::newRow("ES 2027") << "ES" << 2027 << lines({
            "01-01 ano-nuevo", "01-06 epifania", "03-26 viernes-santo", "05-01 fiesta-del-trabajo", "08-15 asuncion",
            "10-12 fiesta-nacional", "11-01 todos-los-santos", "12-06 dia-de-la-constitucion",
            "12-08 inmaculada-concepcion", "12-25 navidad"});
        QTest::newRow("ES 2028") << "ES" << 2028 << lines({
            "01-01 ano-nuevo", "01-06 epifania", "04-14 viernes-santo", "05-01 fiesta-del-trabajo", "08-15 asuncion",
            "10-12 fiesta-nacional", "11-01 todos-los-santos", "12-06 dia-de-la-constitucion",
            "12-08 inmaculada-concepcion", "12-25 navidad"});

        QTest::newRow("IT 2026") << "IT" << 2026 << lines({
            "01-01 capodanno", "01-06 epifania", "04-05 pasqua", "04-06 lunedi-dell-angelo",
            "04-25 festa-della-liberazione", "05-01 festa-del-lavoro", "06-02 festa-della-repubblica",
            "08-15 ferragosto", "10-04 san-francesco", "11-01 ognissanti", "12-08 immacolata", "12-25 natale",
            "12-26 santo-stefano"});
        QTest::newRow("IT 2027") << "IT" << 2027 << lines({
            "01-01 capodanno", "01-06 epifania", "03-28 pasqua", "03-29 lunedi-dell-angelo",
            "04-25 festa-della-liberazione", "05-01 festa-del-lavoro", "06-02 festa-della-repubblica",
            "08-15 ferragosto", "10-04 san-francesco", "11-01 ognissanti", "12-08 immacolata", "12-25 natale",
            "12-26 santo-stefano"});
        QTest::newRow("IT 2028") << "IT" << 2028 << lines({
            "01-01 capodanno", "01-06 epifania", "04-16 pasqua", "04-17 lunedi-dell-angelo",
            "04-25 festa-della-liberazione", "05-01 festa-del-lavoro", "06-02 festa-della-repubblica",
            "08-15 ferragosto", "10-04 san-francesco", "11-01 ognissanti", "12-08 immacolata", "12-25 natale",
            "12-26 santo-stefano"});

        QTest::newRow("PL 2026") << "PL" << 2026 << lines({
            "01-01 nowy-rok", "01-06 trzech-kroli", "04-05 wielkanoc", "04-06 poniedzialek-wielkanocny",
            "05-01 swieto-pracy", "05-03 swieto-3-maja", "05-24 zielone-swiatki", "06-04 boze-cialo",
            "08-15 wniebowziecie", "11-01 wszystkich-swietych", "11-11 swieto-niepodleglosci", "12-24 wigilia",
            "12-25 boze-narodzenie", "12-26 drugi-dzien-swiat"});
        QTest::newRow("PL 2027") << "PL" << 2027 << lines({
            "01-01 nowy-rok", "01-06 trzech-kroli", "03-28 wielkanoc", "03-29 poniedzialek-wielkanocny",
            "05-01 swieto-pracy", "05-03 swieto-3-maja", "05-16 zielone-swiatki", "05-27 boze-cialo",
            "08-15 wniebowziecie", "11-01 wszystkich-swietych", "11-11 swieto-niepodleglosci", "12-24 wigilia",
            "12-25 boze-narodzenie", "12-26 drugi-dzien-swiat"});
        QTest::newRow("PL 2028") << "PL" << 2028 << lines({
            "01-01 nowy-rok", "01-06 trzech-kroli", "04-16 wielkanoc", "04-17 poniedzialek-wielkanocny",
            "05-01 swieto-pracy", "05-03 swieto-3-maja", "06-04 zielone-swiatki", "06-15 boze-cialo",
            "08-15 wniebowziecie", "11-01 wszystkich-swietych", "11-11 swieto-niepodleglosci", "12-24 wigilia",
            "12-25 boze-narodzenie", "12-26 drugi-dzien-swiat"});

        QTest::newRow("NL 2026") << "NL" << 2026 << lines({
            "01-01 nieuwjaarsdag", "04-03 goede-vrijdag", "04-05 eerste-paasdag", "04-06 tweede-paasdag",
            "04-27 koningsdag", "05-05 bevrijdingsdag", "05-14 hemelvaartsdag", "05-24 eerste-pinksterdag",
            "05-25 tweede-pinksterdag", "12-25 eerste-kerstdag", "12-26 tweede-kerstdag"});
        QTest::newRow("NL 2027") << "NL" << 2027 << lines({
            "01-01 nieuwjaarsdag", "03-26 goede-vrijdag", "03-28 eerste-paasdag", "03-29 tweede-paasdag",
            "04-27 koningsdag", "05-05 bevrijdingsdag", "05-06 hemelvaartsdag", "05-16 eerste-pinksterdag",
            "05-17 tweede-pinksterdag", "12-25 eerste-kerstdag", "12-26 tweede-kerstdag"});
        QTest::newRow("NL 2028") << "NL" << 2028 << lines({
            "01-01 nieuwjaarsdag", "04-14 goede-vrijdag", "04-16 eerste-paasdag", "04-17 tweede-paasdag",
            "04-27 koningsdag", "05-05 bevrijdingsdag", "05-25 hemelvaartsdag", "06-04 eerste-pinksterdag",
            "06-05 tweede-pinksterdag", "12-25 eerste-kerstdag", "12-26 tweede-kerstdag"});

        // St Brigid's Day: 1 February 2026 is a Sunday (→ Monday 2nd), 2027 a Monday, 2028 a Tuesday (→ 7th).
        QTest::newRow("IE 2026") << "IE" << 2026 << lines({
            "01-01 new-years-day", "02-02 st-brigids-day", "03-17 st-patricks-day", "04-06 easter-monday",
            "05-04 may-bank-holiday", "06-01 june-bank-holiday", "08-03 august-bank-holiday",
            "10-26 october-bank-holiday", "12-25 christmas-day", "12-26 st-stephens-day",
            "12-28 st-stephens-day observed"});
        QTest::newRow("IE 2027") << "IE" << 2027 << lines({
            "01-01 new-years-day", "02-01 st-brigids-day", "03-17 st-patricks-day", "03-29 easter-monday",
            "05-03 may-bank-holiday", "06-07 june-bank-holiday", "08-02 august-bank-holiday",
            "10-25 october-bank-holiday", "12-25 christmas-day", "12-26 st-stephens-day",
            "12-27 christmas-day observed", "12-28 st-stephens-day observed"});
        QTest::newRow("IE 2028") << "IE" << 2028 << lines({
            "01-01 new-years-day", "01-03 new-years-day observed", "02-07 st-brigids-day", "03-17 st-patricks-day",
            "04-17 easter-monday", "05-01 may-bank-holiday", "06-05 june-bank-holiday", "08-07 august-bank-holiday",
            "10-30 october-bank-holiday", "12-25 christmas-day", "12-26 st-stephens-day"});

        // Orthodox Easter: 12 April 2026, 2 May 2027, 16 April 2028; Trinity seven weeks later.
        QTest::newRow("UA 2026") << "UA" << 2026 << lines({
            "01-01 new-year", "03-08 womens-day", "04-12 easter", "05-01 labour-day",
            "05-08 remembrance-and-victory-day", "05-31 trinity", "06-28 constitution-day", "07-15 statehood-day",
            "08-24 independence-day", "10-01 defenders-day", "12-25 christmas"});
        QTest::newRow("UA 2027") << "UA" << 2027 << lines({
            "01-01 new-year", "03-08 womens-day", "05-01 labour-day", "05-02 easter",
            "05-08 remembrance-and-victory-day", "06-20 trinity", "06-28 constitution-day", "07-15 statehood-day",
            "08-24 independence-day", "10-01 defenders-day", "12-25 christmas"});
        QTest::newRow("UA 2028") << "UA" << 2028 << lines({
            "01-01 new-year", "03-08 womens-day", "04-16 easter", "05-01 labour-day",
            "05-08 remembrance-and-victory-day", "06-04 trinity", "06-28 constitution-day", "07-15 statehood-day",
            "08-24 independence-day", "10-01 defenders-day", "12-25 christmas"});
        // clang-format on
    }
    void fullYears()
    {
        QFETCH(QString, region);
        QFETCH(int, year);
        QFETCH(QStringList, expected);
        const HolidayCalendar calendar = loaded(region);
        QCOMPARE(summary(calendar.holidays(year)), expected);
        // Spot-check the hand-written table itself: every date is real and observed days are weekdays.
        for (const QString &line : expected) {
            const QDate date = QDate::fromString(QString::number(year) + QLatin1Char('-') + line.left(5), Qt::ISODate);
            QVERIFY2(date.isValid(), qPrintable(line));
            if (line.endsWith(QLatin1String(" observed")))
                QVERIFY2(date.dayOfWeek() < Qt::Saturday, qPrintable(line));
        }
    }

    // Changes of the law and one-off rules outside 2026–2028.
    void rulesAcrossTheYears_data()
    {
        QTest::addColumn<QString>("region");
        QTest::addColumn<QString>("id");
        QTest::addColumn<int>("year");
        QTest::addColumn<QStringList>("expected"); // "MM-DD" or "MM-DD observed"
        QTest::newRow("US Juneteenth before 2021") << "US"
                                                   << "juneteenth" << 2020 << lines({});
        QTest::newRow("US Juneteenth 2021 (Saturday)") << "US"
                                                       << "juneteenth" << 2021 << lines({ "06-18 observed", "06-19" });
        // 1 January 2022 was a Saturday: observed on Friday 31 December 2021, nothing extra in 2022.
        QTest::newRow("US New Year observed in 2021")
            << "US"
            << "new-years-day" << 2021 << lines({ "01-01", "12-31 observed" });
        QTest::newRow("US New Year 2022") << "US"
                                          << "new-years-day" << 2022 << lines({ "01-01" });
        // Christmas on a Sunday: Boxing Day keeps Monday 26, Christmas moves to Tuesday 27 (gov.uk 2022).
        QTest::newRow("GB Christmas 2022") << "GB"
                                           << "christmas-day" << 2022 << lines({ "12-25", "12-27 observed" });
        QTest::newRow("GB Boxing Day 2022") << "GB"
                                            << "boxing-day" << 2022 << lines({ "12-26" });
        QTest::newRow("AU Queen's Birthday 2022") << "AU"
                                                  << "queens-birthday" << 2022 << lines({ "06-13" });
        QTest::newRow("AU no Queen's Birthday 2023") << "AU"
                                                     << "queens-birthday" << 2023 << lines({});
        QTest::newRow("AU King's Birthday 2023") << "AU"
                                                 << "kings-birthday" << 2023 << lines({ "06-12" });
        QTest::newRow("AU Australia Day 2025 (Sunday)")
            << "AU"
            << "australia-day" << 2025 << lines({ "01-26", "01-27 observed" });
        QTest::newRow("CA no Truth and Reconciliation 2020") << "CA"
                                                             << "truth-and-reconciliation-day" << 2020 << lines({});
        QTest::newRow("CA Truth and Reconciliation 2021")
            << "CA"
            << "truth-and-reconciliation-day" << 2021 << lines({ "09-30" });
        QTest::newRow("DE Reformationstag 2017") << "DE"
                                                 << "reformationstag-2017" << 2017 << lines({ "10-31" });
        QTest::newRow("DE no Reformationstag 2018") << "DE"
                                                    << "reformationstag-2017" << 2018 << lines({});
        QTest::newRow("IT no San Francesco 2025") << "IT"
                                                  << "san-francesco" << 2025 << lines({});
        QTest::newRow("PL no Wigilia 2024") << "PL"
                                            << "wigilia" << 2024 << lines({});
        QTest::newRow("PL Wigilia 2025") << "PL"
                                         << "wigilia" << 2025 << lines({ "12-24" });
        QTest::newRow("NL Koningsdag 2014 (27th a Sunday)") << "NL"
                                                            << "koningsdag" << 2014 << lines({ "04-26" });
        QTest::newRow("NL Koningsdag 2025 (27th a Sunday)") << "NL"
                                                            << "koningsdag" << 2025 << lines({ "04-26" });
        QTest::newRow("NL Koningsdag 2031 (27th a Sunday)") << "NL"
                                                            << "koningsdag" << 2031 << lines({ "04-26" });
        QTest::newRow("NL no Koningsdag 2013") << "NL"
                                               << "koningsdag" << 2013 << lines({});
        QTest::newRow("IE no St Brigid's Day 2022") << "IE"
                                                    << "st-brigids-day" << 2022 << lines({});
        QTest::newRow("IE St Brigid's Day 2023") << "IE"
                                                 << "st-brigids-day" << 2023 << lines({ "02-06" });
        QTest::newRow("IE St Brigid's Day 2024") << "IE"
                                                 << "st-brigids-day" << 2024 << lines({ "02-05" });
        QTest::newRow("IE St Brigid's Day 2025") << "IE"
                                                 << "st-brigids-day" << 2025 << lines({ "02-03" });
        QTest::newRow("IE St Brigid's Day 2030 (Friday)") << "IE"
                                                          << "st-brigids-day" << 2030 << lines({ "02-01" });
        QTest::newRow("IE St Patrick's Day 2029 (Saturday)")
            << "IE"
            << "st-patricks-day" << 2029 << lines({ "03-17", "03-19 observed" });
        QTest::newRow("UA Easter 2025 (same as Western)") << "UA"
                                                          << "easter" << 2025 << lines({ "04-20" });
    }
    void rulesAcrossTheYears()
    {
        QFETCH(QString, region);
        QFETCH(QString, id);
        QFETCH(int, year);
        QFETCH(QStringList, expected);
        QStringList actual;
        for (const Holiday &h : loaded(region).holidays(year)) {
            if (h.id == id)
                actual.append(
                    h.date.toString(QStringLiteral("MM-dd")) + (h.observed ? QStringLiteral(" observed") : QString()));
        }
        QCOMPARE(actual, expected);
    }

    void localizedNames_data()
    {
        QTest::addColumn<QString>("region");
        QTest::addColumn<QDate>("date");
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("observed");
        QTest::newRow("DE de") << "DE" << QDate(2027, 10, 3) << "de"
                               << "Tag der Deutschen Einheit" << false;
        QTest::newRow("DE en") << "DE" << QDate(2027, 10, 3) << "en"
                               << "Day of German Unity" << false;
        QTest::newRow("DE default is English") << "DE" << QDate(2027, 10, 3) << ""
                                               << "Day of German Unity" << false;
        QTest::newRow("DE locale name de_DE") << "DE" << QDate(2027, 10, 3) << "de_DE"
                                              << "Tag der Deutschen Einheit" << false;
        QTest::newRow("DE BCP 47 de-AT") << "DE" << QDate(2027, 12, 26) << "de-AT"
                                         << "2. Weihnachtsfeiertag" << false;
        QTest::newRow("DE unknown language") << "DE" << QDate(2027, 10, 3) << "xx"
                                             << "Day of German Unity" << false;
        QTest::newRow("FR fr") << "FR" << QDate(2027, 7, 14) << "fr"
                               << "Fête nationale" << false;
        QTest::newRow("ES es") << "ES" << QDate(2027, 10, 12) << "es"
                               << "Fiesta Nacional de España" << false;
        QTest::newRow("IT it") << "IT" << QDate(2027, 3, 29) << "it"
                               << "Lunedì dell'Angelo" << false;
        QTest::newRow("PL pl") << "PL" << QDate(2026, 12, 24) << "pl"
                               << "Wigilia Bożego Narodzenia" << false;
        QTest::newRow("NL nl") << "NL" << QDate(2026, 4, 27) << "nl"
                               << "Koningsdag" << false;
        QTest::newRow("UA uk") << "UA" << QDate(2027, 5, 2) << "uk"
                               << "Великдень" << false;
        QTest::newRow("UA en") << "UA" << QDate(2027, 10, 1) << "en"
                               << "Day of Defenders of Ukraine" << false;
        QTest::newRow("CA fr") << "CA" << QDate(2027, 7, 1) << "fr"
                               << "Fête du Canada" << false;
        QTest::newRow("IE ga") << "IE" << QDate(2027, 2, 1) << "ga"
                               << "Lá Fhéile Bríde" << false;
        QTest::newRow("IE ga falls back to English") << "IE" << QDate(2027, 5, 3) << "ga"
                                                     << "May Bank Holiday" << false;
        QTest::newRow("GB substitute day") << "GB" << QDate(2027, 12, 27) << "en"
                                           << "Christmas Day (substitute day)" << true;
        QTest::newRow("US observed") << "US" << QDate(2027, 12, 31) << "en"
                                     << "New Year's Day (observed)" << true;
        // No French suffix in the data: the observed day keeps the plain French name instead of mixing languages.
        QTest::newRow("CA fr observed") << "CA" << QDate(2027, 12, 27) << "fr"
                                        << "Noël" << true;
        QTest::newRow("CA en observed") << "CA" << QDate(2027, 12, 27) << "en"
                                        << "Christmas Day (observed)" << true;
    }
    void localizedNames()
    {
        QFETCH(QString, region);
        QFETCH(QDate, date);
        QFETCH(QString, language);
        QFETCH(QString, name);
        QFETCH(bool, observed);
        const QList<Holiday> list = loaded(region).between(date, date, language);
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.first().name, name);
        QCOMPARE(list.first().observed, observed);
        QCOMPARE(list.first().date, date);
    }

    void everyDeclaredLanguageIsUsed_data()
    {
        QTest::addColumn<QString>("region");
        for (const QString &region : shippedRegions)
            QTest::newRow(qPrintable(region)) << region;
    }
    void everyDeclaredLanguageIsUsed()
    {
        QFETCH(QString, region);
        const HolidayCalendar calendar = loaded(region);
        const QList<Holiday> english = calendar.holidays(2027, QStringLiteral("en"));
        for (const QString &language : calendar.languages()) {
            if (language == QLatin1String("en"))
                continue;
            const QList<Holiday> localized = calendar.holidays(2027, language);
            QCOMPARE(localized.size(), english.size());
            bool differs = false;
            for (qsizetype i = 0; i < english.size(); ++i) {
                QCOMPARE(localized.at(i).id, english.at(i).id);
                differs = differs || localized.at(i).name != english.at(i).name;
            }
            QVERIFY2(differs, qPrintable(language));
        }
    }

    // A calendar from July 2027 to June 2028 spans two years.
    void betweenAcrossTheYearBoundary()
    {
        const QList<Holiday> gb = loaded(QStringLiteral("GB")).between(QDate(2027, 7, 1), QDate(2028, 6, 30));
        QCOMPARE(summary(gb),
            (lines({ "08-30 summer-bank-holiday", "12-25 christmas-day", "12-26 boxing-day",
                "12-27 christmas-day observed", "12-28 boxing-day observed", "01-01 new-years-day",
                "01-03 new-years-day observed", "04-14 good-friday", "04-17 easter-monday",
                "05-01 early-may-bank-holiday", "05-29 spring-bank-holiday" })));
        QCOMPARE(gb.at(4).date, QDate(2027, 12, 28));
        QCOMPARE(gb.at(5).date, QDate(2028, 1, 1));

        // The US observes 1 January 2028 on 31 December 2027, inside a December–January range.
        const QList<Holiday> us = loaded(QStringLiteral("US")).between(QDate(2027, 12, 20), QDate(2028, 1, 20));
        QCOMPARE(summary(us),
            (lines({ "12-24 christmas-day observed", "12-25 christmas-day", "12-31 new-years-day observed",
                "01-01 new-years-day", "01-17 martin-luther-king-day" })));

        // Bounds are inclusive; an empty or reversed range has no holidays.
        const HolidayCalendar de = loaded(QStringLiteral("DE"));
        QCOMPARE(de.between(QDate(2027, 12, 25), QDate(2027, 12, 26)).size(), 2);
        QVERIFY(de.between(QDate(2027, 12, 27), QDate(2027, 12, 31)).isEmpty());
        QVERIFY(de.between(QDate(2028, 1, 1), QDate(2027, 1, 1)).isEmpty());
        QVERIFY(de.between(QDate(), QDate(2027, 1, 1)).isEmpty());
        QCOMPARE(de.between(QDate(2026, 1, 1), QDate(2028, 12, 31)).size(), 27);
    }

    void yearsOutsideTheSupportedRange()
    {
        const HolidayCalendar us = loaded(QStringLiteral("US"));
        QVERIFY(us.holidays(1582).isEmpty());
        QVERIFY(us.holidays(10000).isEmpty());
        QVERIFY(!us.holidays(HolidayRule::MaxYear).isEmpty());
        QVERIFY(HolidayCalendar().holidays(2027).isEmpty());
    }

    void unknownRegions_data()
    {
        QTest::addColumn<QString>("region");
        QTest::newRow("unknown code") << "XX";
        QTest::newRow("empty") << "";
        QTest::newRow("path") << "../US";
        QTest::newRow("resource path") << ":/calstudio/holidays/US";
        QTest::newRow("file name") << "US.json";
    }
    void unknownRegions()
    {
        QFETCH(QString, region);
        const auto calendar = HolidayCalendar::load(region);
        QVERIFY(!calendar.ok());
        QCOMPARE(calendar.error().code, QStringLiteral("holidays_unknown_region"));
        QVERIFY(!calendar.error().userMessage.isEmpty());
    }

    void regionCodesAreCaseInsensitive()
    {
        const auto calendar = HolidayCalendar::load(QStringLiteral(" gb "));
        QVERIFY(calendar.ok());
        QCOMPARE(calendar->region(), QStringLiteral("GB"));
    }

    void fromJsonAcceptsMinimalData()
    {
        const auto calendar = HolidayCalendar::fromJson(minimalJson(
            R"([{"id":"day-one","names":{"en":"Day One","de":"Tag eins"},"rule":{"type":"fixed","month":1,"day":1},
                 "observed":"substitute-next-weekday"}])"));
        QVERIFY2(calendar.ok(), qPrintable(calendar.ok() ? QString() : calendar.error().detail));
        QCOMPARE(calendar->regionName(), QStringLiteral("Testland"));
        QCOMPARE(calendar->source(), QStringLiteral("test"));
        // 1 January 2028 is a Saturday: the substitute is Monday 3 January, English suffix by default.
        QCOMPARE(summary(calendar->holidays(2028)), (lines({ "01-01 day-one", "01-03 day-one observed" })));
        QCOMPARE(calendar->holidays(2028).at(1).name, QStringLiteral("Day One (observed)"));
        QCOMPARE(calendar->holidays(2028, QStringLiteral("de")).at(1).name, QStringLiteral("Tag eins"));
    }

    void malformedData_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("detail");
        const QByteArray day = R"({"id":"d","names":{"en":"D"},"rule":{"type":"fixed","month":1,"day":1}})";
        QTest::newRow("empty") << QByteArray() << "not valid JSON";
        QTest::newRow("truncated") << minimalJson("[" + day).left(60) << "not valid JSON";
        QTest::newRow("binary") << QByteArray("\x00\xff\xfe{", 4) << "not valid JSON";
        QTest::newRow("array at top") << QByteArray("[1,2]") << "the top level must be an object";
        QTest::newRow("unknown top-level key")
            << QByteArray(R"({"region":"XT","regions":[]})") << "top level: unknown key \"regions\"";
        QTest::newRow("no region") << QByteArray(R"({"name":"T","source":"s","holidays":[]})") << "\"region\"";
        QTest::newRow("lower-case region") << QByteArray(R"({"region":"xt","name":"T","source":"s","holidays":[]})")
                                           << "\"region\" must be an upper-case";
        QTest::newRow("no name") << QByteArray(R"({"region":"XT","source":"s","holidays":[]})") << "\"name\"";
        QTest::newRow("no source") << QByteArray(R"({"region":"XT","name":"T","holidays":[]})") << "\"source\"";
        QTest::newRow("empty source") << QByteArray(R"({"region":"XT","name":"T","source":[""],"holidays":[]})")
                                      << "\"source\"";
        QTest::newRow("no holidays") << minimalJson("[]") << "\"holidays\" must be a non-empty list";
        QTest::newRow("holiday not an object") << minimalJson("[42]") << "holidays[0]: must be an object";
        QTest::newRow("bad id") << minimalJson(R"([{"id":"Bad Id","names":{"en":"D"},"rule":{"type":"easter"}}])")
                                << "holidays[0].id";
        QTest::newRow("duplicate id") << minimalJson("[" + day + "," + day + "]")
                                      << "holidays[1].id: \"d\" is used twice";
        QTest::newRow("no English name") << minimalJson(R"([{"id":"d","names":{"de":"T"},"rule":{"type":"easter"}}])")
                                         << "the English name (\"en\") is required";
        QTest::newRow("empty name") << minimalJson(R"([{"id":"d","names":{"en":" "},"rule":{"type":"easter"}}])")
                                    << "holidays[0].names.en: must be non-empty text";
        QTest::newRow("bad language") << minimalJson(
            R"([{"id":"d","names":{"en":"D","German":"T"},"rule":{"type":"easter"}}])")
                                      << "\"German\" is not a language code";
        QTest::newRow("no rule") << minimalJson(R"([{"id":"d","names":{"en":"D"}}])")
                                 << "holidays[0].rule: must be an object";
        QTest::newRow("bad rule") << minimalJson(
            R"([{"id":"d","names":{"en":"D"},"rule":{"type":"fixed","month":2,"day":30}}])")
                                  << "holidays[0].rule: there is no day 30 in month 2";
        QTest::newRow("from after until")
            << minimalJson(R"([{"id":"d","names":{"en":"D"},"rule":{"type":"easter"},"from":2030,"until":2020}])")
            << "\"from\" is after \"until\"";
        QTest::newRow("year as text") << minimalJson(
            R"([{"id":"d","names":{"en":"D"},"rule":{"type":"easter"},"from":"2020"}])")
                                      << "holidays[0].from: must be a year";
        QTest::newRow("bad observed policy")
            << minimalJson(R"([{"id":"d","names":{"en":"D"},"rule":{"type":"easter"},"observed":"monday"}])")
            << "holidays[0].observed";
        QTest::newRow("unknown holiday key")
            << minimalJson(R"([{"id":"d","names":{"en":"D"},"rule":{"type":"easter"},"obsrved":"none"}])")
            << "holidays[0]: unknown key \"obsrved\"";
        QTest::newRow("observedName without %1")
            << QByteArray(R"({"region":"XT","name":"T","source":"s","observedName":{"en":"observed"},"holidays":[]})")
            << "observedName.en: must contain %1";
        QTest::newRow("too large") << QByteArray(HolidayCalendar::MaxDataSize + 1, ' ') << "larger than";
    }
    void malformedData()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, detail);
        const auto calendar = HolidayCalendar::fromJson(json);
        QVERIFY(!calendar.ok());
        QCOMPARE(calendar.error().code, QStringLiteral("holidays_malformed"));
        QVERIFY2(calendar.error().detail.contains(detail), qPrintable(calendar.error().detail));
        QVERIFY(calendar.error().userMessage.contains(QStringLiteral("damaged")));
    }
};

QTEST_GUILESS_MAIN(TestHolidayCalendar)
#include "tst_holidaycalendar.moc"
