#include "core/companion/filestore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QMutex>
#include <QObject>
#include <QRegularExpression>
#include <QSaveFile>
#include <QScopeGuard>
#include <QSet>
#include <QStorageInfo>
#include <QWaitCondition>

#include <cerrno>
#include <cstring>

namespace CalStudio {

namespace {

/// Final paths being written or removed in this process; a second put() of the same path waits.
struct PathLocks {
    QMutex mutex;
    QWaitCondition released;
    QSet<QString> busy;
};

PathLocks &pathLocks()
{
    static PathLocks locks;
    return locks;
}

/// Holds the in-process lock of one final path for its lifetime.
class PathLock {
public:
    explicit PathLock(QString path)
        : m_path(std::move(path))
    {
        PathLocks &locks = pathLocks();
        QMutexLocker locker(&locks.mutex);
        while (locks.busy.contains(m_path))
            locks.released.wait(&locks.mutex);
        locks.busy.insert(m_path);
    }
    ~PathLock()
    {
        PathLocks &locks = pathLocks();
        QMutexLocker locker(&locks.mutex);
        locks.busy.remove(m_path);
        locks.released.wakeAll();
    }
    PathLock(const PathLock &) = delete;
    PathLock &operator=(const PathLock &) = delete;

private:
    QString m_path;
};

bool validExtension(const QString &extension)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9]{1,10}$"));
    return pattern.match(extension).hasMatch();
}

bool validHash(const QString &sha256)
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9a-f]{64}$"));
    return pattern.match(sha256).hasMatch();
}

Error storageError(QFileDevice::FileError error, const QString &detail)
{
    if (error == QFileDevice::ResourceError) {
        return Error(QStringLiteral("storage_full"),
            QObject::tr("The shop's server has run out of disk space and cannot store the print file. "
                        "Try again later; the shop owner has to free space."),
            detail);
    }
    return Error(QStringLiteral("storage_failed"),
        QObject::tr("The shop's server could not store the print file. Try again later."), detail);
}

} // namespace

FileStore::FileStore(QString rootDir)
    : m_root(QDir::cleanPath(QDir(rootDir).absolutePath()))
{
}

QString FileStore::pathFor(const QString &sha256, const QString &extension) const
{
    if (!validHash(sha256) || !validExtension(extension))
        return {};
    return QStringLiteral("%1/%2/%3/%4.%5").arg(m_root, sha256.left(2), sha256.mid(2, 2), sha256, extension);
}

bool FileStore::contains(const QString &sha256, const QString &extension) const
{
    const QString path = pathFor(sha256, extension);
    return !path.isEmpty() && QFileInfo(path).isFile();
}

Result<StoredFile> FileStore::put(const QByteArray &bytes, const QString &extension)
{
    if (!validExtension(extension))
        return storageError(QFileDevice::UnspecifiedError, QStringLiteral("invalid file extension"));
    StoredFile stored;
    stored.sha256 = QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    stored.path = pathFor(stored.sha256, extension);
    stored.size = bytes.size();

    const PathLock lock(stored.path);
    const QFileInfo existing(stored.path);
    if (existing.isFile() && existing.size() == stored.size)
        return stored; // same name = same content (a file is only ever renamed into place whole)

    const QString directory = QFileInfo(stored.path).absolutePath();
    if (!QDir().mkpath(directory))
        return storageError(QFileDevice::OpenError, QStringLiteral("cannot create directory %1").arg(directory));

    QSaveFile file(stored.path);
    file.setDirectWriteFallback(false); // always a temporary file + rename, never a write in place
    if (!file.open(QIODevice::WriteOnly))
        return storageError(
            file.error(), QStringLiteral("cannot create a file in %1: %2").arg(directory, file.errorString()));
    // A failed QSaveFile removes its temporary file when it is destroyed without commit().
    // Qt reports ENOSPC as ResourceError only when a write() could write nothing at all; a write that stops part
    // way through, or a failing commit(), may end without that code. Then errno, or the space left, tells a full
    // disk apart from other failures.
    const auto failed = [&](const char *what, int failureErrno) {
        QFileDevice::FileError kind = file.error();
        if (kind != QFileDevice::ResourceError
            && (failureErrno == ENOSPC || failureErrno == EDQUOT
                || QStorageInfo(directory).bytesAvailable() < bytes.size())) {
            kind = QFileDevice::ResourceError;
        }
        const QString reason
            = failureErrno != 0 ? QString::fromLocal8Bit(std::strerror(failureErrno)) : file.errorString();
        return storageError(kind, QStringLiteral("%1 %2: %3").arg(QLatin1String(what), stored.path, reason));
    };
    errno = 0;
    if (file.write(bytes) != bytes.size() || !file.flush()) {
        const Error error = failed("writing", errno);
        file.cancelWriting();
        return error;
    }
    errno = 0;
    if (!file.commit())
        return failed("saving", errno);
    stored.created = true;
    return stored;
}

Status FileStore::remove(const QString &sha256, const QString &extension)
{
    const QString path = pathFor(sha256, extension);
    if (path.isEmpty())
        return storageError(QFileDevice::UnspecifiedError, QStringLiteral("invalid file id"));
    const PathLock lock(path);
    QFile file(path);
    if (!file.exists())
        return Status::success();
    if (!file.remove())
        return storageError(file.error(), QStringLiteral("removing %1: %2").arg(path, file.errorString()));
    return Status::success();
}

} // namespace CalStudio
