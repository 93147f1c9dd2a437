#include "core/project/projectstore.h"
#include "core/project/schema.h"
#include "testutil.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace CalStudio;
using namespace CalStudio::TestUtil;

class TestSchema : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void stepsAreNumberedInOrder()
    {
        const auto &steps = Schema::steps();
        QVERIFY(!steps.isEmpty());
        for (int i = 0; i < steps.size(); ++i)
            QCOMPARE(steps.at(i).version, i + 1);
        QCOMPARE(Schema::currentVersion(), steps.size());
    }

    // Every earlier schema version, as a committed file from that time, opens
    // and is upgraded step by step without losing what it held.
    void upgradesEveryEarlierVersion_data()
    {
        QTest::addColumn<int>("version");
        for (int v = 1; v <= Schema::currentVersion(); ++v)
            QTest::addRow("v%d", v) << v;
    }
    void upgradesEveryEarlierVersion()
    {
        QFETCH(int, version);
        const QString fixture =
            QStringLiteral(CALSTUDIO_TEST_DATA_DIR "/schema/v%1.calstudio").arg(version);
        QVERIFY2(QFile::exists(fixture),
                 qPrintable(QStringLiteral("missing fixture %1: make it with schemafixture").arg(fixture)));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("old.calstudio"));
        QVERIFY(QFile::copy(fixture, path));
        QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner));

        auto store = ProjectStore::open(path);
        QVERIFY2(store, qPrintable(store ? QString() : store.error().toString()));
        QCOMPARE((*store)->schemaVersion(), Schema::currentVersion());
        QCOMPARE(*Schema::userVersion((*store)->database()), Schema::currentVersion());

        auto settings = (*store)->loadSettings();
        QVERIFY(settings);
        QCOMPARE(settings->title, QStringLiteral("Fixture v%1").arg(version));
        QCOMPARE(settings->startMonth, 7);
        QCOMPARE(settings->weekStart, WeekStart::Monday);
        QCOMPARE(settings->locale, QStringLiteral("fr_FR"));
        auto months = (*store)->loadMonths();
        QVERIFY(months);
        QCOMPARE(months->at(3).prompt, QStringLiteral("v1 march prompt"));
        QCOMPARE(months->at(3).style, QStringLiteral("watercolor"));

        auto counts = (*store)->counts();
        QVERIFY(counts);
        QCOMPARE(counts->masters, version >= 6 ? 2 : version >= 2 ? 1 : 0);
        if (version >= 2) {
            auto masters = (*store)->masters();
            QVERIFY(masters);
            QCOMPARE(masters->size(), version >= 6 ? 2 : 1);
            const MasterInfo april = masters->last();
            QCOMPARE(april.month, 4);
            QCOMPARE(april.id, 1);
            QCOMPARE(april.nativeWidth, 1024);
            QCOMPARE(april.provider, QStringLiteral("offline"));
            QCOMPARE(april.candidateId, 1);
            QCOMPARE(april.selfieId, 0); // v6 column: NULL in older files
            QCOMPARE(*(*store)->findMaster(4, MasterSource{1, 0}), version >= 6 ? 3 : 1);
        }
        if (version >= 6) {
            // The user's own photo as the cover's master.
            const MasterInfo cover = (*store)->masters()->first();
            QCOMPARE(cover.month, 0);
            QCOMPARE(cover.selfieId, 1);
            QCOMPARE(cover.candidateId, 0);
            QCOMPARE(cover.provider, QString());
            QCOMPARE(*(*store)->findMaster(0, MasterSource{0, 1}), 2);
            // A master row kept for undo is not the month's master, but it is there.
            auto kept = (*store)->masterInfo(3);
            QVERIFY(kept);
            QCOMPARE(kept->month, 4);
            QCOMPARE(kept->width, 2048);
        }
        // The spend cap arrived in v6; older files have none.
        QCOMPARE(settings->spendCapUsd, version >= 6 ? 25.5 : 0.0);
        QCOMPARE(*(*store)->spendCap(), version >= 6 ? 25.5 : 0.0);

        if (version >= 3) {
            auto dates = (*store)->loadSpecialDates();
            QVERIFY(dates);
            QCOMPARE(dates->size(), 1);
            QCOMPARE(dates->first().date, QDate(2000, 2, 29));
            QCOMPARE(dates->first().kind, SpecialDate::Kind::Birthday);
            // Columns added later get their defaults in older files.
            QCOMPARE(dates->first().leapRule,
                     version >= 4 ? SpecialDate::LeapRule::March1 : SpecialDate::LeapRule::February28);
            QCOMPARE(dates->first().showAge, version >= 4);
        }
        QCOMPARE(settings->pageLayout, version >= 4 ? QStringLiteral("side-by-side") : QStringLiteral("photo-above"));
        QCOMPARE(settings->weekNumbers, version >= 4);
        auto off = (*store)->loadHolidaysOff();
        QVERIFY(off);
        QCOMPARE(off->contains(QStringLiteral("FR:assumption")), version >= 4);

        auto selfies = (*store)->loadSelfies();
        QVERIFY(selfies);
        QCOMPARE(selfies->size(), version >= 2 ? 1 : 0);
        if (version >= 2) {
            QCOMPARE(selfies->first().width, 1200);
            QCOMPARE(selfies->first().originalName, version >= 5 ? QStringLiteral("IMG_0001.HEIC") : QString());
            QCOMPARE(selfies->first().preferred, version >= 5);
        }

        if (version >= 2) {
            // Faces on masters arrived in v7; older files have none detected yet.
            auto faces = (*store)->masterFaces(1);
            QVERIFY2(faces, qPrintable(faces ? QString() : faces.error().toString()));
            QCOMPARE(faces->has_value(), version >= 7);
            if (version >= 7) {
                QCOMPARE((**faces).value(QStringLiteral("width")).toInt(), 4096);
                const QJsonArray list = (**faces).value(QStringLiteral("faces")).toArray();
                QCOMPARE(list.size(), 1);
                QCOMPARE(list.first().toObject().value(QStringLiteral("x")).toDouble(), 1500.5);
            }
            QCOMPARE((*store)->masterFaces(1000).error().code, QStringLiteral("not_found"));
            // The upgraded file stores faces, and forgets them on request.
            const QJsonObject detected { { QStringLiteral("width"), 4096 }, { QStringLiteral("height"), 4096 },
                                         { QStringLiteral("faces"), QJsonArray() } };
            QVERIFY((*store)->setMasterFaces(1, detected));
            QCOMPARE(**(*store)->masterFaces(1), detected);
            QVERIFY((*store)->setMasterFaces(1, QJsonObject()));
            QVERIFY(!(*store)->masterFaces(1)->has_value());
            QCOMPARE((*store)->setMasterFaces(1000, detected).error().code, QStringLiteral("not_found"));
        }

        if (version >= 2) {
            // The upgraded file takes a master made from the user's own photo.
            auto id = (*store)->addMaster(5, MasterSource{0, 1}, QByteArray("png bytes"), QSize(64, 64), QSize(64, 64));
            QVERIFY2(id, qPrintable(id ? QString() : id.error().toString()));
            QVERIFY((*store)->pointMonthAtMaster(5, *id));
            QCOMPARE((*store)->masterInfo(*id)->selfieId, 1);
        }

        QCOMPARE(*(*store)->integrityCheck(), QStringLiteral("ok"));
        QSqlQuery fk((*store)->database());
        QVERIFY(fk.exec(QStringLiteral("PRAGMA foreign_key_check")));
        QVERIFY2(!fk.next(), "foreign key violations after upgrade");
    }

    // A step that fails leaves the file at the version before it, intact.
    void failedStepRollsBack()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("v1.calstudio"));
        QVERIFY(QFile::copy(QStringLiteral(CALSTUDIO_TEST_DATA_DIR "/schema/v1.calstudio"), path));
        QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        // A table that step 2 wants to create already exists: step 2 must fail as a whole.
        QVERIFY(rawExec(path, QStringLiteral("CREATE TABLE master (x)")));

        auto store = ProjectStore::open(path);
        QVERIFY(!store);
        QCOMPARE(store.error().code, QStringLiteral("database_error"));

        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QCOMPARE(*Schema::userVersion(db), 1);
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE name = 'image_blob'")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toInt(), 0);
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("check"));
    }

    void migratesAFreshDatabaseToEachVersion_data()
    {
        QTest::addColumn<int>("target");
        for (int v = 1; v <= Schema::currentVersion(); ++v)
            QTest::addRow("to v%d", v) << v;
    }
    void migratesAFreshDatabaseToEachVersion()
    {
        QFETCH(int, target);
        QTemporaryDir dir;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("fresh"));
            db.setDatabaseName(dir.filePath(QStringLiteral("fresh.db")));
            QVERIFY(db.open());
            QVERIFY(Schema::migrate(db, target));
            QCOMPARE(*Schema::userVersion(db), target);
            QCOMPARE(*Schema::applicationId(db), Schema::ApplicationId);
            // Migrating again is a no-op.
            QVERIFY(Schema::migrate(db, target));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("fresh"));
    }
};

QTEST_GUILESS_MAIN(TestSchema)
#include "tst_schema.moc"
