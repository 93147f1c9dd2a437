// Content-addressed print-file storage: layout, dedupe, concurrent puts, clean errors, no temporary files left.
#include "core/companion/filestore.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent>

#include <sys/mount.h>
#include <unistd.h>

using namespace CalStudio;

namespace {

/// Why a result failed, for QVERIFY2 messages (which are evaluated even when the check passes).
template<typename T>
QByteArray why(const Result<T> &result)
{
    return result.ok() ? QByteArray() : result.error().toString().toUtf8();
}

QString sha256Of(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QByteArray content(int size, char seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        bytes[i] = char((i * 131 + seed) & 0xFF);
    return bytes;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// Every file under `root`, relative; and whether each is a final file in its right place.
QStringList filesUnder(const QString &root)
{
    QStringList files;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(QDir(root).relativeFilePath(it.next()));
    files.sort();
    return files;
}

bool onlyFinalFiles(const QString &root)
{
    static const QRegularExpression finalName(
        QStringLiteral("^([0-9a-f]{2})/([0-9a-f]{2})/(\\1\\2[0-9a-f]{60})\\.[a-z0-9]+$"));
    for (const QString &file : filesUnder(root)) {
        if (!finalName.match(file).hasMatch()) {
            qWarning() << "unexpected file" << file;
            return false;
        }
    }
    return true;
}

} // namespace

class TestFileStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void layoutAndDedupe()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        FileStore store(dir.path() + QStringLiteral("/files"));
        const QByteArray bytes = content(100000, 1);
        const QString sha = sha256Of(bytes);

        auto first = store.put(bytes, QStringLiteral("jpg"));
        QVERIFY2(first.ok(), why(first).constData());
        QCOMPARE(first->sha256, sha);
        QCOMPARE(first->size, qint64(bytes.size()));
        QVERIFY(first->created);
        const QString expected
            = QDir(dir.path())
                  .absoluteFilePath(QStringLiteral("files/%1/%2/%3.jpg").arg(sha.left(2), sha.mid(2, 2), sha));
        QCOMPARE(first->path, expected);
        QVERIFY(QFileInfo(first->path).isAbsolute());
        QCOMPARE(readAll(first->path), bytes);
        QCOMPARE(store.pathFor(sha, QStringLiteral("jpg")), expected);
        QVERIFY(store.contains(sha, QStringLiteral("jpg")));
        QVERIFY(!store.contains(sha, QStringLiteral("png")));

        // The same bytes again: the same file, not written again.
        const QDateTime written = QFileInfo(first->path).lastModified();
        QTest::qWait(20);
        auto second = store.put(bytes, QStringLiteral("jpg"));
        QVERIFY(second.ok());
        QVERIFY(!second->created);
        QCOMPARE(second->path, first->path);
        QCOMPARE(second->sha256, sha);
        QCOMPARE(QFileInfo(first->path).lastModified(), written);

        // Other bytes, another file; the same bytes with another extension, another file.
        auto other = store.put(content(5000, 2), QStringLiteral("jpg"));
        QVERIFY(other.ok());
        QVERIFY(other->path != first->path);
        auto asPng = store.put(bytes, QStringLiteral("png"));
        QVERIFY(asPng.ok());
        QVERIFY(asPng->created);
        QCOMPARE(filesUnder(store.rootDir()).size(), 3);
        QVERIFY(onlyFinalFiles(store.rootDir()));

        // Empty content is content too.
        auto empty = store.put(QByteArray(), QStringLiteral("png"));
        QVERIFY(empty.ok());
        QCOMPARE(empty->sha256, QStringLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(empty->size, qint64(0));
    }

    void invalidNames()
    {
        QTemporaryDir dir;
        FileStore store(dir.path());
        const QString sha = sha256Of("x");
        QCOMPARE(store.pathFor(sha, QStringLiteral("../x")), QString());
        QCOMPARE(store.pathFor(sha, QStringLiteral("JPG")), QString());
        QCOMPARE(store.pathFor(sha, QString()), QString());
        QCOMPARE(store.pathFor(sha.toUpper(), QStringLiteral("jpg")), QString());
        QCOMPARE(store.pathFor(sha.left(63), QStringLiteral("jpg")), QString());
        QCOMPARE(store.pathFor(QStringLiteral("../") + sha.mid(3), QStringLiteral("jpg")), QString());
        auto put = store.put("x", QStringLiteral("j/g"));
        QVERIFY(!put.ok());
        QCOMPARE(put.error().code, QStringLiteral("storage_failed"));
        const Status removed = store.remove(QStringLiteral("../../etc/passwd"), QStringLiteral("jpg"));
        QVERIFY(!removed.ok());
        QCOMPARE(removed.error().code, QStringLiteral("storage_failed"));
        QVERIFY(filesUnder(dir.path()).isEmpty());
    }

    void remove()
    {
        QTemporaryDir dir;
        FileStore store(dir.path());
        const QByteArray bytes = content(1000, 3);
        auto put = store.put(bytes, QStringLiteral("png"));
        QVERIFY(put.ok());
        QVERIFY(store.remove(put->sha256, QStringLiteral("png")).ok());
        QVERIFY(!QFile::exists(put->path));
        QVERIFY(!store.contains(put->sha256, QStringLiteral("png")));
        QVERIFY(store.remove(put->sha256, QStringLiteral("png")).ok()); // already gone: fine
        auto again = store.put(bytes, QStringLiteral("png"));
        QVERIFY(again.ok());
        QVERIFY(again->created);
        QCOMPARE(readAll(again->path), bytes);
    }

    // A file of the wrong size under the final name (left by something else) is replaced whole.
    void replacesWrongSizedFile()
    {
        QTemporaryDir dir;
        FileStore store(dir.path());
        const QByteArray bytes = content(4000, 4);
        const QString path = store.pathFor(sha256Of(bytes), QStringLiteral("jpg"));
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        QFile stale(path);
        QVERIFY(stale.open(QIODevice::WriteOnly));
        stale.write(bytes.left(100));
        stale.close();
        auto put = store.put(bytes, QStringLiteral("jpg"));
        QVERIFY(put.ok());
        QVERIFY(put->created);
        QCOMPARE(readAll(path), bytes);
        QVERIFY(onlyFinalFiles(dir.path()));
    }

    void concurrentPutsOfTheSameBytes()
    {
        QTemporaryDir dir;
        FileStore store(dir.path());
        const QByteArray bytes = content(2 * 1024 * 1024, 5);
        const QList<int> workers { 0, 1, 2, 3, 4, 5, 6, 7 };
        const QList<Result<StoredFile>> results = QtConcurrent::blockingMapped(
            workers, [&store, &bytes](int) { return store.put(bytes, QStringLiteral("png")); });
        int created = 0;
        for (const auto &result : results) {
            QVERIFY2(result.ok(), why(result).constData());
            QCOMPARE(result->path, results.first()->path);
            created += result->created ? 1 : 0;
        }
        QCOMPARE(created, 1); // written once
        QCOMPARE(readAll(results.first()->path), bytes);
        QCOMPARE(filesUnder(dir.path()).size(), 1);
        QVERIFY(onlyFinalFiles(dir.path()));
    }

    void concurrentPutsOfDifferentBytes()
    {
        QTemporaryDir dir;
        FileStore store(dir.path());
        QList<QByteArray> contents;
        for (int i = 0; i < 16; ++i)
            contents.append(content(100000 + i, char(i)));
        const QList<Result<StoredFile>> results = QtConcurrent::blockingMapped(
            contents, [&store](const QByteArray &bytes) { return store.put(bytes, QStringLiteral("jpg")); });
        for (int i = 0; i < contents.size(); ++i) {
            QVERIFY(results[i].ok());
            QCOMPARE(readAll(results[i]->path), contents[i]);
        }
        QCOMPARE(filesUnder(dir.path()).size(), contents.size());
        QVERIFY(onlyFinalFiles(dir.path()));
    }

    // Root cannot be created (a regular file is in the way): a clean error, nothing written. Works as root too.
    void blockedDirectory()
    {
        QTemporaryDir dir;
        const QString blocker = dir.filePath(QStringLiteral("blocker"));
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        FileStore store(blocker + QStringLiteral("/files"));
        auto put = store.put(content(100, 6), QStringLiteral("jpg"));
        QVERIFY(!put.ok());
        QCOMPARE(put.error().code, QStringLiteral("storage_failed"));
        QVERIFY(!put.error().userMessage.isEmpty());

        // The shard directory is a file.
        FileStore inner(dir.filePath(QStringLiteral("inner")));
        const QByteArray bytes = content(100, 7);
        const QString sha = sha256Of(bytes);
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("inner/")) + sha.left(2)));
        QFile shard(dir.filePath(QStringLiteral("inner/%1/%2").arg(sha.left(2), sha.mid(2, 2))));
        QVERIFY(shard.open(QIODevice::WriteOnly));
        shard.close();
        put = inner.put(bytes, QStringLiteral("jpg"));
        QVERIFY(!put.ok());
        QCOMPARE(put.error().code, QStringLiteral("storage_failed"));
    }

    void readOnlyDirectory()
    {
        if (::geteuid() == 0)
            QSKIP("root writes into read-only directories; blockedDirectory() covers the error path");
        QTemporaryDir dir;
        FileStore store(dir.path());
        const QByteArray bytes = content(100, 8);
        const QString sha = sha256Of(bytes);
        // The shard directory exists but cannot be written.
        const QString shard = dir.filePath(QStringLiteral("%1/%2").arg(sha.left(2), sha.mid(2, 2)));
        QVERIFY(QDir().mkpath(shard));
        QVERIFY(QFile::setPermissions(shard, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        auto put = store.put(bytes, QStringLiteral("jpg"));
        QFile::setPermissions(shard, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QVERIFY(!put.ok());
        QCOMPARE(put.error().code, QStringLiteral("storage_failed"));
        QVERIFY(filesUnder(dir.path()).isEmpty());
        // A read-only root.
        QTemporaryDir other;
        QVERIFY(QFile::setPermissions(other.path(), QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        FileStore readOnly(other.path());
        put = readOnly.put(bytes, QStringLiteral("jpg"));
        QFile::setPermissions(other.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QVERIFY(!put.ok());
        QCOMPARE(put.error().code, QStringLiteral("storage_failed"));
    }

    // A full disk and a read-only file system, on small tmpfs mounts. Needs root and mount rights, so it runs only
    // when CALSTUDIO_TEST_TMPFS=1 (it unmounts what it mounted).
    void fullAndReadOnlyFileSystems()
    {
        if (qEnvironmentVariable("CALSTUDIO_TEST_TMPFS") != QLatin1String("1"))
            QSKIP("set CALSTUDIO_TEST_TMPFS=1 (as root) to mount small tmpfs file systems for this test");
        QTemporaryDir dir;
        const QByteArray full = QFile::encodeName(dir.filePath(QStringLiteral("full")));
        const QByteArray readOnly = QFile::encodeName(dir.filePath(QStringLiteral("ro")));
        QVERIFY(QDir().mkpath(QString::fromLocal8Bit(full)) && QDir().mkpath(QString::fromLocal8Bit(readOnly)));
        if (::mount("tmpfs", full.constData(), "tmpfs", 0, "size=256k") != 0)
            QSKIP("cannot mount tmpfs here");
        auto unmountFull = qScopeGuard([&] { ::umount2(full.constData(), MNT_DETACH); });
        QVERIFY(::mount("tmpfs", readOnly.constData(), "tmpfs", MS_RDONLY, "size=64k") == 0);
        auto unmountReadOnly = qScopeGuard([&] { ::umount2(readOnly.constData(), MNT_DETACH); });

        FileStore store(QString::fromLocal8Bit(full));
        QVERIFY(store.put(content(10000, 9), QStringLiteral("jpg")).ok());
        auto put = store.put(content(1024 * 1024, 10), QStringLiteral("jpg"));
        QVERIFY(!put.ok());
        QCOMPARE(put.error().code, QStringLiteral("storage_full"));
        QVERIFY(put.error().userMessage.contains(QStringLiteral("disk space")));
        QCOMPARE(filesUnder(store.rootDir()).size(), 1); // the temporary file is gone
        QVERIFY(onlyFinalFiles(store.rootDir()));

        FileStore locked(QString::fromLocal8Bit(readOnly));
        put = locked.put(content(100, 11), QStringLiteral("jpg"));
        QVERIFY(!put.ok());
        QCOMPARE(put.error().code, QStringLiteral("storage_failed"));
    }
};

QTEST_GUILESS_MAIN(TestFileStore)
#include "tst_filestore.moc"
