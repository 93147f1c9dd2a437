#include "core/project/projectstore.h"
#include "core/project/schema.h"
#include "testutil.h"

#include <QRandomGenerator>
#include <QtConcurrent/QtConcurrentRun>
#include <QSize>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

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

/// A candidate of `month` with bytes, stored in `store`.
CandidateRecord storedCandidate(ProjectStore &store, int month, const QByteArray &bytes)
{
    CandidateRecord r;
    r.month = month;
    r.provider = QStringLiteral("offline");
    r.model = QStringLiteral("draft");
    r.status = QStringLiteral("done");
    r.width = r.height = 64;
    if (auto st = store.addCandidate(r, bytes); !st)
        qWarning() << st.error();
    return r;
}

/// A selfie stored in `store`.
SelfieRecord storedSelfie(ProjectStore &store, const QByteArray &bytes)
{
    SelfieRecord r;
    r.mime = QStringLiteral("image/jpeg");
    r.width = 1200;
    r.height = 1600;
    r.sourceSha256 = QString::fromLatin1(bytes.toHex());
    if (auto st = store.addSelfie(r, bytes); !st)
        qWarning() << st.error();
    return r;
}

int rowCount(const ProjectStore &store, const QString &table)
{
    QSqlQuery q(store.database());
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM ") + table) || !q.next())
        return -1;
    return q.value(0).toInt();
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

    // addMaster stores a master row without choosing it; findMaster finds it again by its source.
    // Pictures written and read from another thread on its own connection, bytes and row in one transaction.
    void picturesFromAnotherThread()
    {
        QTemporaryDir dir;
        const QString path = makeProject(dir);
        auto store = ProjectStore::open(path);
        QVERIFY(store);
        ProjectStore &s = **store;
        const QByteArray bytes(3 * 1024 * 1024, 'x');
        CandidateRecord c;
        c.month = 2;
        c.provider = QStringLiteral("gemini");
        c.status = QStringLiteral("done");
        const Status added = QtConcurrent::run([path, bytes, &c] { return ProjectStore::addCandidateAt(path, c, bytes); }).result();
        QVERIFY(added);
        QVERIFY(c.id > 0 && c.blobId > 0);
        // Visible to the owner's connection at once.
        QCOMPARE(s.loadCandidates(2)->first().id, c.id);
        QCOMPARE(*s.readBlob(c.blobId), bytes);
        const QByteArray back = QtConcurrent::run([path, c] {
                                    return ProjectStore::readBlobAt(path, c.blobId).valueOr(QByteArray());
                                }).result();
        QCOMPARE(back, bytes);
        QCOMPARE(errorCode(ProjectStore::readBlobAt(path, 999999)), QStringLiteral("not_found"));

        const auto master = QtConcurrent::run([path, c] {
                                return ProjectStore::addMasterAt(path, 2, MasterSource{c.id, 0}, "png", QSize(64, 64),
                                                                 QSize(32, 32))
                                    .valueOr(-1);
                            }).result();
        QVERIFY(master > 0);
        QCOMPARE(s.masterInfo(master)->candidateId, c.id);
        QCOMPARE(*s.readMasterById(master), QByteArray("png"));
        // The same checks as on the owner's connection (a candidate of another month is refused).
        QCOMPARE(errorCode(ProjectStore::addMasterAt(path, 3, MasterSource{c.id, 0}, "png", QSize(64, 64), QSize(32, 32))),
                 QStringLiteral("invalid_source"));
        // Foreign keys hold on the worker's connection too.
        CandidateRecord bad = c;
        bad.month = 99;
        QVERIFY(!ProjectStore::addCandidateAt(path, bad, bytes));
    }

    void addMasterDoesNotChooseIt()
    {
        QTemporaryDir dir;
        auto store = ProjectStore::open(makeProject(dir));
        QVERIFY(store);
        ProjectStore &s = **store;
        const CandidateRecord candidate = storedCandidate(s, 3, "candidate bytes");
        const SelfieRecord selfie = storedSelfie(s, "selfie bytes");
        QCOMPARE(*s.findMaster(3, MasterSource{candidate.id, 0}), qint64(0));

        auto fromCandidate =
            s.addMaster(3, MasterSource{candidate.id, 0}, "master A", QSize(4096, 4096), QSize(1024, 1024));
        QVERIFY2(fromCandidate, qPrintable(fromCandidate ? QString() : fromCandidate.error().toString()));
        auto fromPhoto =
            s.addMaster(3, MasterSource{0, selfie.id}, "master B", QSize(4096, 4096), QSize(1200, 1200));
        QVERIFY(fromPhoto);
        QVERIFY(*fromPhoto != *fromCandidate);

        // Nothing is chosen: the month, masters() and counts() do not see them.
        QCOMPARE(s.loadMonths()->at(3).masterId, qint64(0));
        QVERIFY(s.masters()->isEmpty());
        QCOMPARE(s.counts()->masters, 0);
        QCOMPARE(errorCode(s.readMaster(3)), QStringLiteral("not_found"));

        QCOMPARE(*s.findMaster(3, MasterSource{candidate.id, 0}), *fromCandidate);
        QCOMPARE(*s.findMaster(3, MasterSource{0, selfie.id}), *fromPhoto);
        QCOMPARE(*s.findMaster(4, MasterSource{candidate.id, 0}), qint64(0));
        QCOMPARE(*s.findMaster(3, MasterSource{}), qint64(0));

        const MasterInfo a = *s.masterInfo(*fromCandidate);
        QCOMPARE(a.id, *fromCandidate);
        QCOMPARE(a.month, 3);
        QCOMPARE(a.width, 4096);
        QCOMPARE(a.nativeWidth, 1024);
        QCOMPARE(a.nativeHeight, 1024);
        QCOMPARE(a.candidateId, candidate.id);
        QCOMPARE(a.selfieId, qint64(0));
        QCOMPARE(a.provider, QStringLiteral("offline"));
        QCOMPARE(a.model, QStringLiteral("draft"));
        const MasterInfo b = *s.masterInfo(*fromPhoto);
        QCOMPARE(b.selfieId, selfie.id);
        QCOMPARE(b.candidateId, qint64(0));
        QCOMPARE(b.provider, QString());
        QCOMPARE(b.nativeWidth, 1200);
        QCOMPARE(*s.readMasterById(*fromCandidate), QByteArray("master A"));
        QCOMPARE(*s.readMasterById(*fromPhoto), QByteArray("master B"));
        QCOMPARE(errorCode(s.masterInfo(999)), QStringLiteral("not_found"));
        QCOMPARE(errorCode(s.readMasterById(999)), QStringLiteral("not_found"));

        // The same bytes again: a second row, one blob (the newest is found).
        const int blobs = rowCount(s, QStringLiteral("image_blob"));
        auto again =
            s.addMaster(3, MasterSource{candidate.id, 0}, "master A", QSize(4096, 4096), QSize(1024, 1024));
        QVERIFY(again);
        QCOMPARE(rowCount(s, QStringLiteral("image_blob")), blobs);
        QCOMPARE(rowCount(s, QStringLiteral("master")), 3);
        QCOMPARE(*s.findMaster(3, MasterSource{candidate.id, 0}), *again);
    }

    void addMasterRefusesWhatCannotBe_data()
    {
        QTest::addColumn<int>("month");
        QTest::addColumn<QString>("source"); // which MasterSource to pass, see below
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<QString>("code");
        const QSize ok(64, 64);
        const QByteArray x("x");
        const QString none = QStringLiteral("none");
        QTest::newRow("month 13") << 13 << none << x << ok << QStringLiteral("invalid_month");
        QTest::newRow("month -1") << -1 << none << x << ok << QStringLiteral("invalid_month");
        QTest::newRow("no bytes") << 3 << none << QByteArray() << ok << QStringLiteral("empty");
        QTest::newRow("no size") << 3 << none << x << QSize(0, 0) << QStringLiteral("bad_size");
        QTest::newRow("both sources") << 3 << QStringLiteral("both") << x << ok << QStringLiteral("invalid_source");
        QTest::newRow("candidate of another month")
            << 3 << QStringLiteral("other-month-candidate") << x << ok << QStringLiteral("invalid_source");
        QTest::newRow("unknown candidate")
            << 3 << QStringLiteral("unknown-candidate") << x << ok << QStringLiteral("not_found");
        QTest::newRow("unknown selfie")
            << 3 << QStringLiteral("unknown-selfie") << x << ok << QStringLiteral("not_found");
    }
    void addMasterRefusesWhatCannotBe()
    {
        QFETCH(int, month);
        QFETCH(QString, source);
        QFETCH(QByteArray, bytes);
        QFETCH(QSize, size);
        QFETCH(QString, code);
        QTemporaryDir dir;
        auto store = ProjectStore::open(makeProject(dir));
        QVERIFY(store);
        ProjectStore &s = **store;
        const CandidateRecord march = storedCandidate(s, 3, "march");
        const CandidateRecord april = storedCandidate(s, 4, "april");
        const SelfieRecord selfie = storedSelfie(s, "selfie");
        MasterSource src;
        if (source == QLatin1String("both"))
            src = {march.id, selfie.id};
        else if (source == QLatin1String("other-month-candidate"))
            src = {april.id, 0};
        else if (source == QLatin1String("unknown-candidate"))
            src = {april.id + 100, 0};
        else if (source == QLatin1String("unknown-selfie"))
            src = {0, selfie.id + 100};
        const int blobs = rowCount(s, QStringLiteral("image_blob"));
        auto id = s.addMaster(month, src, bytes, size, size);
        QVERIFY(!id);
        QCOMPARE(errorCode(id), code);
        QCOMPARE(rowCount(s, QStringLiteral("master")), 0);
        QCOMPARE(rowCount(s, QStringLiteral("image_blob")), blobs);
    }

    void pointMonthAtMasterChoosesAndClears()
    {
        QTemporaryDir dir;
        const QString path = makeProject(dir);
        qint64 a = 0;
        qint64 b = 0;
        {
            auto store = ProjectStore::open(path);
            QVERIFY(store);
            ProjectStore &s = **store;
            a = *s.addMaster(6, MasterSource{}, "june A", QSize(64, 64), QSize(32, 32));
            b = *s.addMaster(7, MasterSource{}, "july B", QSize(64, 64), QSize(32, 32));
            QVERIFY(s.pointMonthAtMaster(6, a));
            QCOMPARE(*s.readMaster(6), QByteArray("june A"));
            // A master of another month, an unknown one or a page that does not exist is refused.
            QCOMPARE(errorCode(s.pointMonthAtMaster(6, b)), QStringLiteral("wrong_month"));
            QCOMPARE(errorCode(s.pointMonthAtMaster(6, b + 100)), QStringLiteral("not_found"));
            QCOMPARE(errorCode(s.pointMonthAtMaster(13, a)), QStringLiteral("invalid_month"));
            QCOMPARE(s.loadMonths()->at(6).masterId, a);
            QVERIFY(s.pointMonthAtMaster(7, b));
            QVERIFY(s.pointMonthAtMaster(7, 0));
            QCOMPARE(errorCode(s.readMaster(7)), QStringLiteral("not_found"));
        }
        auto store = ProjectStore::open(path, ProjectStore::Access::ReadOnly);
        QCOMPARE((*store)->loadMonths()->at(6).masterId, a);
        QCOMPARE((*store)->loadMonths()->at(7).masterId, qint64(0));
        QCOMPARE((*store)->masters()->size(), 1);
        QCOMPARE((*store)->counts()->masters, 1);
        QVERIFY((*store)->masterInfo(b)); // not chosen, but still there
    }

    // setMaster chooses the new master but keeps the old row, so undo can go back without rebuilding it.
    void setMasterKeepsOlderMasters()
    {
        QTemporaryDir dir;
        auto store = ProjectStore::open(makeProject(dir));
        QVERIFY(store);
        ProjectStore &s = **store;
        const CandidateRecord first = storedCandidate(s, 5, "first");
        const CandidateRecord second = storedCandidate(s, 5, "second");
        const qint64 a = *s.setMaster(5, first.id, "master A", 128, 128, 64, 64);
        const qint64 b = *s.setMaster(5, second.id, "master B", 128, 128, 32, 48);
        QVERIFY(a != b);
        QCOMPARE(s.loadMonths()->at(5).masterId, b);
        QCOMPARE(*s.readMaster(5), QByteArray("master B"));
        QCOMPARE(s.masters()->size(), 1);
        QCOMPARE(s.counts()->masters, 1);
        QCOMPARE(rowCount(s, QStringLiteral("master")), 2);
        QCOMPARE(*s.readMasterById(a), QByteArray("master A"));
        QCOMPARE(*s.findMaster(5, MasterSource{first.id, 0}), a);
        QVERIFY(s.pointMonthAtMaster(5, a));
        QCOMPARE(*s.readMaster(5), QByteArray("master A"));
        // A failed setMaster changes nothing.
        QVERIFY(!s.setMaster(5, first.id, {}, 128, 128, 64, 64));
        QVERIFY(!s.setMaster(4, first.id, "x", 128, 128, 64, 64)); // candidate of May
        QCOMPARE(rowCount(s, QStringLiteral("master")), 2);
        QCOMPARE(s.loadMonths()->at(5).masterId, a);
        QCOMPARE(s.loadMonths()->at(4).masterId, qint64(0));
    }

    void purgeUnusedMastersKeepsChosenOnesAndSharedBytes()
    {
        QTemporaryDir dir;
        auto store = ProjectStore::open(makeProject(dir));
        QVERIFY(store);
        ProjectStore &s = **store;
        const CandidateRecord candidate = storedCandidate(s, 2, "candidate bytes");
        const qint64 chosen = *s.addMaster(2, MasterSource{candidate.id, 0}, "chosen", QSize(64, 64), QSize(64, 64));
        const qint64 replaced = *s.addMaster(2, MasterSource{}, "replaced", QSize(64, 64), QSize(64, 64));
        // Same bytes as the candidate: the blob must outlive this master row.
        const qint64 sharing =
            *s.addMaster(8, MasterSource{}, "candidate bytes", QSize(64, 64), QSize(64, 64));
        QVERIFY(s.pointMonthAtMaster(2, replaced));
        QVERIFY(s.pointMonthAtMaster(2, chosen));
        const int blobsBefore = rowCount(s, QStringLiteral("image_blob"));

        QVERIFY(s.purgeUnusedMasters());
        QVERIFY(s.masterInfo(chosen));
        QCOMPARE(errorCode(s.masterInfo(replaced)), QStringLiteral("not_found"));
        QCOMPARE(errorCode(s.masterInfo(sharing)), QStringLiteral("not_found"));
        QCOMPARE(rowCount(s, QStringLiteral("master")), 1);
        // "replaced" had bytes of its own; "candidate bytes" still belong to the candidate.
        QCOMPARE(rowCount(s, QStringLiteral("image_blob")), blobsBefore - 1);
        QCOMPARE(*s.readBlob(candidate.blobId), QByteArray("candidate bytes"));
        QCOMPARE(*s.readMaster(2), QByteArray("chosen"));
        QCOMPARE(*s.integrityCheck(), QStringLiteral("ok"));
        // Nothing left to purge: a no-op.
        QVERIFY(s.purgeUnusedMasters());
        QCOMPARE(rowCount(s, QStringLiteral("master")), 1);
    }

    // A master made from a selfie keeps its own bytes when the selfie goes.
    void masterFromSelfieOutlivesTheSelfie()
    {
        QTemporaryDir dir;
        auto store = ProjectStore::open(makeProject(dir));
        QVERIFY(store);
        ProjectStore &s = **store;
        SelfieRecord selfie = storedSelfie(s, "selfie bytes");
        const qint64 id = *s.addMaster(0, MasterSource{0, selfie.id}, "cover", QSize(64, 64), QSize(64, 64));
        QVERIFY(s.pointMonthAtMaster(0, id));
        selfie.deleted = true;
        QVERIFY(s.saveSelfieStates({selfie}));
        QVERIFY(s.purgeDeletedSelfies());
        QCOMPARE(s.masterInfo(id)->selfieId, qint64(0));
        QCOMPARE(*s.readMaster(0), QByteArray("cover"));
        QVERIFY(s.forgetAllSelfies());
        QCOMPARE(*s.readMaster(0), QByteArray("cover"));
    }

    void spendCapIsStoredAndValidated()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("cap.calstudio"));
        ProjectSettings settings = sampleSettings();
        settings.spendCapUsd = 12.5;
        {
            auto store = ProjectStore::create(path, settings);
            QVERIFY(store);
            QCOMPARE(*(*store)->spendCap(), 12.5);
            QCOMPARE((*store)->loadSettings()->spendCapUsd, 12.5);
            QVERIFY((*store)->setSpendCap(40));
            for (const double bad : {-0.01, 10000.01, std::numeric_limits<double>::quiet_NaN(),
                                     std::numeric_limits<double>::infinity()}) {
                auto st = (*store)->setSpendCap(bad);
                QVERIFY(!st);
                QCOMPARE(errorCode(st), QStringLiteral("invalid_spend_cap"));
                ProjectSettings invalid = *(*store)->loadSettings();
                invalid.spendCapUsd = bad;
                QCOMPARE(errorCode((*store)->saveSettings(invalid)), QStringLiteral("invalid_spend_cap"));
            }
            QCOMPARE(*(*store)->spendCap(), 40.0);
            QVERIFY((*store)->setSpendCap(10000));
            QVERIFY((*store)->setSpendCap(0));
            ProjectSettings s = *(*store)->loadSettings();
            s.spendCapUsd = 7.25;
            QVERIFY((*store)->saveSettings(s));
        }
        auto store = ProjectStore::open(path, ProjectStore::Access::ReadOnly);
        QCOMPARE((*store)->loadSettings()->spendCapUsd, 7.25);
        settings.spendCapUsd = -1;
        QCOMPARE(errorCode(ProjectStore::create(dir.filePath(QStringLiteral("bad.calstudio")), settings)),
                 QStringLiteral("invalid_spend_cap"));
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
