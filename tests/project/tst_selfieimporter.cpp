#include "core/project/project.h"
#include "core/project/projectstore.h"
#include "core/project/selfieimporter.h"

#include <QBuffer>
#include <QDir>
#include <QImage>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace CalStudio;

namespace {

QImage astronaut()
{
    return QImage(QStringLiteral(CALSTUDIO_TEST_DATA_DIR "/faces/astronaut.png")).convertToFormat(QImage::Format_RGB888);
}

QString save(const QTemporaryDir &dir, const QString &name, const QImage &image, const char *format = nullptr)
{
    const QString path = dir.filePath(name);
    image.save(path, format, 92);
    return path;
}

QString writeBytes(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(bytes);
    return path;
}

std::unique_ptr<Project> newProject(const QTemporaryDir &dir)
{
    auto project = Project::create(dir.filePath(QStringLiteral("p.calstudio")),
                                   ProjectSettings::defaults(QDate(2026, 11, 26), QLocale(QStringLiteral("en_US"))));
    return project ? std::move(*project) : nullptr;
}

QList<ImportItem> items(const QStringList &paths)
{
    QList<ImportItem> list;
    for (const QString &p : paths)
        list.append({QFileInfo(p).fileName(), p, {}});
    return list;
}

} // namespace

class TestSelfieImporter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    // A batch with good photos, bad files and a duplicate: each gets its own outcome, the good ones land.
    void mixedBatch()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        QVERIFY(project);
        const QImage face = astronaut();
        const QString big = save(dir, QStringLiteral("big.jpg"), face.scaled(1400, 1400));
        const QString png = save(dir, QStringLiteral("face.png"), face.scaled(1100, 1100));
        QFile bigFile(big);
        QVERIFY(bigFile.open(QIODevice::ReadOnly));
        const QString truncated = writeBytes(dir, QStringLiteral("cut.jpg"), bigFile.read(4000));
        const QString text = writeBytes(dir, QStringLiteral("notes.jpg"), "not a photo\n");
        const QString empty = writeBytes(dir, QStringLiteral("empty.png"), {});
        const QString tiny = save(dir, QStringLiteral("tiny.png"), face.scaled(200, 200));
        const QString copy = dir.filePath(QStringLiteral("big copy.jpg"));
        QVERIFY(QFile::copy(big, copy));
        const QString missing = dir.filePath(QStringLiteral("gone.jpg"));

        SelfieImporter importer(project.get());
        QSignalSpy progress(&importer, &SelfieImporter::progressChanged);
        QVERIFY(importer.start(items({big, png, truncated, text, empty, tiny, copy, missing})));
        QVERIFY(!importer.start(items({big}))); // one batch at a time
        importer.waitForFinished();
        QCOMPARE(importer.outcomes().size(), 8);
        QCOMPARE(progress.last().at(0).toInt(), 8);

        QHash<QString, ImportOutcome> byName;
        for (const ImportOutcome &o : importer.outcomes())
            byName.insert(o.name, o);
        QCOMPARE(byName[QStringLiteral("face.png")].status, ImportOutcome::Status::Imported);
        QCOMPARE(byName[QStringLiteral("cut.jpg")].error.code, QStringLiteral("corrupt"));
        QCOMPARE(byName[QStringLiteral("notes.jpg")].error.code, QStringLiteral("not_an_image"));
        QCOMPARE(byName[QStringLiteral("empty.png")].error.code, QStringLiteral("empty"));
        QCOMPARE(byName[QStringLiteral("tiny.png")].error.code, QStringLiteral("too_small"));
        QCOMPARE(byName[QStringLiteral("gone.jpg")].error.code, QStringLiteral("unreadable"));
        // The same bytes twice in one batch: one is imported, the other reported as a duplicate.
        const auto a = byName[QStringLiteral("big.jpg")].status;
        const auto b = byName[QStringLiteral("big copy.jpg")].status;
        QVERIFY((a == ImportOutcome::Status::Imported && b == ImportOutcome::Status::Duplicate)
                || (b == ImportOutcome::Status::Imported && a == ImportOutcome::Status::Duplicate));
        for (const ImportOutcome &o : importer.outcomes()) {
            if (o.status == ImportOutcome::Status::Failed)
                QVERIFY2(!o.error.userMessage.isEmpty(), qPrintable(o.name));
        }

        QCOMPARE(project->selfies().size(), 2);
        // The stored copy is a clean JPEG with the face found in it.
        const SelfieRecord stored = project->selfies().first();
        QCOMPARE(stored.mime, QStringLiteral("image/jpeg"));
        QVERIFY(stored.analysisJson.contains("\"faces\""));
        auto bytes = project->store().readBlob(stored.blobId);
        QVERIFY(bytes);
        QVERIFY(bytes->startsWith("\xFF\xD8"));
        QVERIFY(!bytes->contains("Exif"));

        // Importing the same file again later: a duplicate, nothing stored.
        SelfieImporter again(project.get());
        again.start(items({png}));
        again.waitForFinished();
        QCOMPARE(again.outcomes().first().status, ImportOutcome::Status::Duplicate);
        QCOMPARE(project->selfies().size(), 2);
    }

    void batchIsOneUndoStepAndSurvivesReopen()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        const QImage face = astronaut();
        QStringList paths;
        for (int i = 0; i < 3; ++i)
            paths.append(save(dir, QStringLiteral("s%1.jpg").arg(i), face.scaled(1000 + 50 * i, 1000 + 50 * i)));
        SelfieImporter importer(project.get());
        importer.start(items(paths));
        importer.waitForFinished();
        QCOMPARE(project->selfies().size(), 3);
        QCOMPARE(project->undoStack()->count(), 1);
        project->undoStack()->undo();
        QCOMPARE(project->selfies().size(), 0);
        project->undoStack()->redo();
        QCOMPARE(project->selfies().size(), 3);
        const QString path = project->path();
        project.reset();
        auto reopened = Project::open(path);
        QVERIFY(reopened);
        QCOMPARE((*reopened)->selfies().size(), 3);
    }

    void pastedBytesImport()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        astronaut().scaled(900, 900).save(&buffer, "PNG");
        SelfieImporter importer(project.get());
        importer.start({ImportItem{QStringLiteral("Pasted image"), {}, png}});
        importer.waitForFinished();
        QCOMPARE(importer.outcomes().first().status, ImportOutcome::Status::Imported);
        QCOMPARE(project->selfies().first().originalName, QStringLiteral("Pasted image"));
    }

    void cancelKeepsWhatWasStored()
    {
        QTemporaryDir dir;
        auto project = newProject(dir);
        const QImage face = astronaut();
        QStringList paths;
        for (int i = 0; i < 8; ++i)
            paths.append(save(dir, QStringLiteral("c%1.jpg").arg(i), face.scaled(1200 + 10 * i, 1200 + 10 * i)));
        SelfieImporter importer(project.get());
        connect(&importer, &SelfieImporter::itemFinished, &importer, [&] { importer.cancel(); });
        importer.start(items(paths));
        importer.waitForFinished();
        int imported = 0;
        int cancelled = 0;
        for (const ImportOutcome &o : importer.outcomes()) {
            imported += o.status == ImportOutcome::Status::Imported;
            cancelled += o.status == ImportOutcome::Status::Cancelled;
        }
        QCOMPARE(importer.outcomes().size(), 8);
        QVERIFY(cancelled >= 1);
        QCOMPARE(project->selfies().size(), imported);
        QVERIFY(project->flush());
        auto store = ProjectStore::open(project->path(), ProjectStore::Access::ReadOnly);
        QCOMPARE((*store)->counts()->selfies, imported);
    }

    void folderExpansion()
    {
        QTemporaryDir dir;
        QDir(dir.path()).mkdir(QStringLiteral("phone"));
        save(dir, QStringLiteral("phone/a.jpg"), astronaut());
        save(dir, QStringLiteral("phone/b.PNG"), astronaut(), "PNG");
        writeBytes(dir, QStringLiteral("phone/readme.txt"), "x");
        const QStringList files = SelfieImporter::imageFilesIn(dir.filePath(QStringLiteral("phone")));
        QCOMPARE(files.size(), 2);
    }
};

QTEST_MAIN(TestSelfieImporter)
#include "tst_selfieimporter.moc"
