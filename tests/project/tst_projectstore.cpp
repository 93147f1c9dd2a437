#include "core/project/projectstore.h"
#include "core/project/schema.h"
#include "testutil.h"

#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace CalStudio;
using namespace CalStudio::TestUtil;

namespace {

ProjectSettings sampleSettings()
{
    ProjectSettings s = ProjectSettings::defaults(QDate(2026, 11, 26), QLocale(QStringLiteral("en_US")));
    s.title = QStringLiteral("Family 2027");
    s.year = 2027;
    s.startMonth = 7;
    s.weekStart = WeekStart::Sunday;
    s.locale = QStringLiteral("de_DE");
    s.holidayRegion = QStringLiteral("DE");
    return s;
}

QString makeProject(const QTemporaryDir &dir, const QString &name = QStringLiteral("p.calstudio"))
{
    const QString path = dir.filePath(name);
    auto store = ProjectStore::create(path, sampleSettings());
    if (!store)
        qWarning() << store.error();
    return path;
}

/// Bytes read by this process so far (Linux /proc/self/io rchar; -1 elsewhere).
qint64 bytesReadSoFar()
{
    QFile io(QStringLiteral("/proc/self/io"));
    if (!io.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : io.readAll().split('\n')) {
        if (line.startsWith("rchar:"))
            return line.mid(6).trimmed().toLongLong();
    }
    return -1;
}

} // namespace

class TestProjectStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void createAndReopen()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("family.calstudio"));
        {
            auto store = ProjectStore::create(path, sampleSettings());
            QVERIFY2(store, qPrintable(store ? QString() : store.error().toString()));
            QCOMPARE((*store)->schemaVersion(), Schema::currentVersion());
        }
        QVERIFY(QFileInfo::exists(path));
        QVERIFY2(!QFileInfo::exists(path + QStringLiteral(".part")), "temporary file left behind");

        auto store = ProjectStore::open(path);
        QVERIFY(store);
        auto settings = (*store)->loadSettings();
        QVERIFY(settings);
        QVERIFY(settings->sameContent(sampleSettings()));
        QVERIFY(settings->createdAt.isValid());
        QCOMPARE(settings->endYearMonth(), std::make_pair(2028, 6));

        auto months = (*store)->loadMonths();
        QVERIFY(months);
        QCOMPARE(months->size(), 13);
        QCOMPARE(months->first().month, 0);
        QCOMPARE(months->last().month, 12);

        QSqlQuery q((*store)->database());
        QVERIFY(q.exec(QStringLiteral("PRAGMA journal_mode")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
        QVERIFY(q.exec(QStringLiteral("PRAGMA foreign_keys")) && q.next());
        QCOMPARE(q.value(0).toInt(), 1);
        QVERIFY(q.exec(QStringLiteral("PRAGMA application_id")) && q.next());
        QCOMPARE(q.value(0).toInt(), Schema::ApplicationId);
    }

    void createRefusesExistingFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("x.calstudio"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("keep me");
        f.close();
        auto store = ProjectStore::create(path, sampleSettings());
        QVERIFY(!store);
        QCOMPARE(store.error().code, QStringLiteral("exists"));
        QCOMPARE(f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray(), QByteArray("keep me"));
    }

    void createRejectsInvalidSettings_data()
    {
        QTest::addColumn<int>("year");
        QTest::addColumn<int>("startMonth");
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("code");
        QTest::newRow("year too early") << 1969 << 1 << QStringLiteral("t") << QStringLiteral("invalid_year");
        QTest::newRow("year too late") << 2201 << 1 << QStringLiteral("t") << QStringLiteral("invalid_year");
        QTest::newRow("month 0") << 2027 << 0 << QStringLiteral("t") << QStringLiteral("invalid_start_month");
        QTest::newRow("month 13") << 2027 << 13 << QStringLiteral("t") << QStringLiteral("invalid_start_month");
        QTest::newRow("blank title") << 2027 << 1 << QStringLiteral("  ") << QStringLiteral("invalid_title");
    }
    void createRejectsInvalidSettings()
    {
        QFETCH(int, year);
        QFETCH(int, startMonth);
        QFETCH(QString, title);
        QFETCH(QString, code);
        QTemporaryDir dir;
        ProjectSettings s = sampleSettings();
        s.year = year;
        s.startMonth = startMonth;
        s.title = title;
        auto store = ProjectStore::create(dir.filePath(QStringLiteral("p.calstudio")), s);
        QVERIFY(!store);
        QCOMPARE(store.error().code, code);
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("p.calstudio"))));
    }

    void refusedOpenWritesNothing_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("code");
        QTest::newRow("missing") << QStringLiteral("missing") << QStringLiteral("not_found");
        QTest::newRow("text file") << QStringLiteral("text") << QStringLiteral("not_a_project");
        QTest::newRow("empty file") << QStringLiteral("empty") << QStringLiteral("not_a_project");
        QTest::newRow("png image") << QStringLiteral("png") << QStringLiteral("not_a_project");
        QTest::newRow("folder") << QStringLiteral("folder") << QStringLiteral("not_a_project");
        QTest::newRow("other sqlite database") << QStringLiteral("othersqlite") << QStringLiteral("not_a_project");
        QTest::newRow("newer version") << QStringLiteral("newer") << QStringLiteral("newer_version");
        QTest::newRow("truncated") << QStringLiteral("truncated") << QStringLiteral("truncated");
        QTest::newRow("read-only file") << QStringLiteral("readonly") << QStringLiteral("read_only");
        QTest::newRow("open in another instance") << QStringLiteral("inuse") << QStringLiteral("in_use");
    }
    void refusedOpenWritesNothing()
    {
        QFETCH(QString, kind);
        QFETCH(QString, code);
        QTemporaryDir dir;
        QString path = dir.filePath(QStringLiteral("target.calstudio"));
        std::unique_ptr<ProjectStore> holder;

        auto writeFile = [&](const QByteArray &bytes) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes);
        };
        if (kind == QLatin1String("text")) {
            writeFile("Dear diary,\nthis is not a calendar.\n");
        } else if (kind == QLatin1String("empty")) {
            writeFile({});
        } else if (kind == QLatin1String("png")) {
            writeFile(QByteArray("\x89PNG\r\n\x1a\n", 8) + QByteArray(200, '\0'));
        } else if (kind == QLatin1String("folder")) {
            QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("target.calstudio")));
        } else if (kind == QLatin1String("othersqlite")) {
            QVERIFY(rawExec(path, QStringLiteral("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")));
        } else if (kind == QLatin1String("newer")) {
            path = makeProject(dir, QStringLiteral("target.calstudio"));
            QVERIFY(rawExec(path, QStringLiteral("PRAGMA user_version = %1").arg(Schema::currentVersion() + 1)));
        } else if (kind == QLatin1String("truncated")) {
            const QString full = makeProject(dir, QStringLiteral("full.calstudio"));
            QFile src(full);
            QVERIFY(src.open(QIODevice::ReadOnly));
            writeFile(src.read(src.size() / 2 + 100));
        } else if (kind == QLatin1String("readonly")) {
            path = makeProject(dir, QStringLiteral("target.calstudio"));
            QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::ReadGroup));
        } else if (kind == QLatin1String("inuse")) {
            path = makeProject(dir, QStringLiteral("target.calstudio"));
            auto first = ProjectStore::open(path);
            QVERIFY(first);
            holder = std::move(*first);
        }

        const bool isFile = QFileInfo(path).isFile();
        const QByteArray before = isFile ? fileFingerprint(path) : QByteArray();
        // Ensure a write, if any happened, would change the modification time.
        QTest::qWait(20);

        auto store = ProjectStore::open(path);
        QVERIFY(!store);
        QCOMPARE(store.error().code, code);
        QVERIFY(!store.error().userMessage.isEmpty());
        QVERIFY2(!store.error().userMessage.contains(QLatin1String("SQL")), "message must be for people");
        if (isFile)
            QCOMPARE(fileFingerprint(path), before);
        if (kind != QLatin1String("inuse")) {
            QVERIFY2(!QFileInfo::exists(path + QStringLiteral("-wal")), "refused open created a WAL");
            QVERIFY2(!QFileInfo::exists(path + QStringLiteral("-shm")), "refused open created a -shm");
        }
    }

    void readOnlyAccessAlongsideWriter()
    {
        QTemporaryDir dir;
        const QString path = makeProject(dir);
        auto writer = ProjectStore::open(path);
        QVERIFY(writer);
        ProjectSettings s = *(*writer)->loadSettings();
        s.title = QStringLiteral("Changed while open");
        QVERIFY((*writer)->saveSettings(s));

        auto reader = ProjectStore::open(path, ProjectStore::Access::ReadOnly);
        QVERIFY2(reader, qPrintable(reader ? QString() : reader.error().toString()));
        QCOMPARE((*reader)->loadSettings()->title, QStringLiteral("Changed while open"));
        // A read-only store really cannot write.
        QVERIFY(!(*reader)->saveSettings(s));
    }

    void readOnlyAccessLeavesNoFilesBehind()
    {
        QTemporaryDir dir;
        const QString path = makeProject(dir);
        const QByteArray before = fileFingerprint(path);
        {
            auto reader = ProjectStore::open(path, ProjectStore::Access::ReadOnly);
            QVERIFY(reader);
            QVERIFY((*reader)->loadMonths());
        }
        QCOMPARE(fileFingerprint(path), before);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("p.calstudio")});
    }

    // A writer killed between creating and filling its lock file leaves an empty one; it must not lock the project forever.
    void emptyLockFileIsTakenOver()
    {
        QTemporaryDir dir;
        const QString path = makeProject(dir);
        QFile lock(ProjectStore::lockFilePath(path));
        QVERIFY(lock.open(QIODevice::WriteOnly));
        lock.close();
        auto store = ProjectStore::open(path);
        QVERIFY2(store, qPrintable(store ? QString() : store.error().toString()));
    }

    void lockIsReleasedOnClose()
    {
        QTemporaryDir dir;
        const QString path = makeProject(dir);
        {
            auto first = ProjectStore::open(path);
            QVERIFY(first);
            QVERIFY(QFileInfo::exists(ProjectStore::lockFilePath(path)));
        }
        QVERIFY(!QFileInfo::exists(ProjectStore::lockFilePath(path)));
        QVERIFY(ProjectStore::open(path));
    }

    void monthsRoundTrip()
    {
        QTemporaryDir dir;
        const QString path = makeProject(dir);
        {
            auto store = ProjectStore::open(path);
            QVERIFY(store);
            MonthEntry july{7, QStringLiteral("Summer"), QStringLiteral("On a sailing boat at sunset"),
                            QStringLiteral("watercolor"), QStringLiteral("no text"), 0};
            MonthEntry cover{0, QStringLiteral("Us"), QStringLiteral("Portrait in a garden"), {}, {}, 0};
            QVERIFY((*store)->saveMonths({july, cover}));
        }
        auto store = ProjectStore::open(path);
        auto months = (*store)->loadMonths();
        QVERIFY(months);
        QCOMPARE(months->at(7).prompt, QStringLiteral("On a sailing boat at sunset"));
        QCOMPARE(months->at(7).avoid, QStringLiteral("no text"));
        QCOMPARE(months->at(0).title, QStringLiteral("Us"));
        QCOMPARE(months->at(3).prompt, QString());
    }

    void blobsAreDeduplicated()
    {
        QTemporaryDir dir;
        auto store = ProjectStore::open(makeProject(dir));
        QVERIFY(store);
        const QByteArray a(100000, 'a');
        auto id1 = (*store)->putBlob(a);
        auto id2 = (*store)->putBlob(a);
        auto id3 = (*store)->putBlob(QByteArray(100000, 'b'));
        QVERIFY(id1 && id2 && id3);
        QCOMPARE(*id1, *id2);
        QVERIFY(*id3 != *id1);
        QCOMPARE(*(*store)->readBlob(*id1), a);
        QCOMPARE((*store)->readBlob(999999).error().code, QStringLiteral("not_found"));
    }

    // Opening a project and listing what it holds must not read image bytes.
    void openDoesNotReadImageBytes()
    {
        if (bytesReadSoFar() < 0)
            QSKIP("needs /proc/self/io (Linux)");
        QTemporaryDir dir;
        const QString path = makeProject(dir);
        {
            auto store = ProjectStore::open(path);
            QVERIFY(store);
            QSqlDatabase db = (*store)->database();
            QByteArray noise(4 * 1024 * 1024, Qt::Uninitialized);
            auto *rng = QRandomGenerator::global();
            for (int month = 1; month <= 12; ++month) {
                rng->fillRange(reinterpret_cast<quint32 *>(noise.data()), noise.size() / 4);
                auto blob = (*store)->putBlob(noise);
                QVERIFY(blob);
                QSqlQuery q(db);
                q.prepare(QStringLiteral("INSERT INTO master (month, blob_id, width, height, native_width, "
                                         "native_height, created_at) VALUES (?, ?, 4096, 4096, 2048, 2048, 'now')"));
                q.addBindValue(month);
                q.addBindValue(*blob);
                QVERIFY(q.exec());
                QVERIFY(q.exec(QStringLiteral("UPDATE month SET master_id = last_insert_rowid() WHERE month = %1")
                                   .arg(month)));
            }
        }
        QVERIFY(QFileInfo(path).size() > 48 * 1024 * 1024);

        const qint64 before = bytesReadSoFar();
        auto store = ProjectStore::open(path);
        QVERIFY(store);
        QVERIFY((*store)->loadMonths());
        auto counts = (*store)->counts();
        QCOMPARE(counts->masters, 12);
        auto masters = (*store)->masters();
        QCOMPARE(masters->size(), 12);
        QCOMPARE(masters->first().nativeWidth, 2048);
        const qint64 read = bytesReadSoFar() - before;
        QVERIFY2(read < 2 * 1024 * 1024, qPrintable(QStringLiteral("open read %1 bytes").arg(read)));
    }

    void copyToMakesAnIndependentProject()
    {
        QTemporaryDir dir;
        const QString path = makeProject(dir);
        const QString copyPath = dir.filePath(QStringLiteral("copy.calstudio"));
        auto store = ProjectStore::open(path);
        QVERIFY(store);
        ProjectSettings s = *(*store)->loadSettings();
        s.title = QStringLiteral("Before copy");
        QVERIFY((*store)->saveSettings(s));
        QVERIFY((*store)->copyTo(copyPath));
        s.title = QStringLiteral("After copy");
        QVERIFY((*store)->saveSettings(s));

        auto copy = ProjectStore::open(copyPath);
        QVERIFY2(copy, qPrintable(copy ? QString() : copy.error().toString()));
        QCOMPARE((*copy)->loadSettings()->title, QStringLiteral("Before copy"));
        QCOMPARE(*(*copy)->integrityCheck(), QStringLiteral("ok"));
        // The copy is open now, so copying over it again is refused.
        const QByteArray fingerprint = fileFingerprint(copyPath);
        auto again = (*store)->copyTo(copyPath);
        QVERIFY(!again);
        QCOMPARE(again.error().code, QStringLiteral("in_use"));
        QCOMPARE(fileFingerprint(copyPath), fingerprint);
        QCOMPARE((*store)->copyTo(path).error().code, QStringLiteral("same_file"));
    }

    void diskFullKeepsSavedData()
    {
        QTemporaryDir dir;
        const QString path = makeProject(dir);
        {
            auto store = ProjectStore::open(path);
            QVERIFY(store);
            QSqlQuery q((*store)->database());
            // SQLite reports SQLITE_FULL when the file may not grow: the same code as a full disk.
            QVERIFY(q.exec(QStringLiteral("PRAGMA page_count")) && q.next());
            const int pages = q.value(0).toInt();
            QVERIFY(q.exec(QStringLiteral("PRAGMA max_page_count = %1").arg(pages)));
            auto result = (*store)->putBlob(QByteArray(1024 * 1024, 'x'));
            QVERIFY(!result);
            QCOMPARE(result.error().code, QStringLiteral("disk_full"));
            QVERIFY(result.error().userMessage.contains(QLatin1String("disk is full")));
        }
        auto store = ProjectStore::open(path);
        QVERIFY(store);
        QCOMPARE((*store)->loadSettings()->title, QStringLiteral("Family 2027"));
        QCOMPARE(*(*store)->integrityCheck(), QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(TestProjectStore)
#include "tst_projectstore.moc"
