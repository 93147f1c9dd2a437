#include "core/imaging/previewcache.h"

#include "core/imaging/imaginglogging.h"

#include <QColorSpace>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDataStream>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>
#include <QWaitCondition>

#include <algorithm>

namespace CalStudio {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CalStudio::PreviewCache", text);
}

constexpr char kSignature[] = "calstudio-preview sha1:";
constexpr qsizetype kSignatureLength = sizeof kSignature - 1;
constexpr qsizetype kDigestHex = 40;

/**
 * The file form of a preview: SOI, a COM segment holding the SHA-1 of
 * everything after that segment, then the rest of the JPEG. A comment is
 * the one place a JPEG can carry data every decoder skips, so the file
 * stays a plain JPEG while it can prove it is whole.
 */
QByteArray withChecksum(const QByteArray &jpeg)
{
    const QByteArray rest = jpeg.mid(2);
    const QByteArray payload
        = QByteArray(kSignature) + QCryptographicHash::hash(rest, QCryptographicHash::Sha1).toHex();
    const qsizetype length = 2 + payload.size();
    QByteArray out;
    out.reserve(jpeg.size() + 4 + payload.size());
    out.append("\xFF\xD8\xFF\xFE", 4);
    out.append(char(length >> 8)).append(char(length & 0xFF));
    out.append(payload);
    out.append(rest);
    return out;
}

bool checksumMatches(const QByteArray &file)
{
    constexpr qsizetype header = 6 + kSignatureLength + kDigestHex;
    if (file.size() <= header || !file.startsWith("\xFF\xD8\xFF\xFE"))
        return false;
    const qsizetype length = (uchar(file[4]) << 8) | uchar(file[5]);
    if (length != 2 + kSignatureLength + kDigestHex
        || QByteArrayView(file).sliced(6, kSignatureLength) != QByteArrayView(kSignature, kSignatureLength))
        return false;
    const QByteArrayView digest = QByteArrayView(file).sliced(6 + kSignatureLength, kDigestHex);
    const QByteArrayView rest = QByteArrayView(file).sliced(header);
    return QCryptographicHash::hash(rest, QCryptographicHash::Sha1).toHex() == digest;
}

bool isPreviewFileName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[0-9a-f]{40}\\.jpg$"));
    return pattern.match(name).hasMatch();
}

} // namespace

struct PreviewCache::Private {
    QString directory;
    qint64 maxBytes = DefaultMaxBytes;

    QMutex mutex; // guards the members below; never held while rendering or doing file I/O
    QWaitCondition finished;
    QSet<QString> inFlight; // keys some thread is rendering now
    qint64 writtenSinceCleanup = 0;
    QMutex cleanupMutex; // one cleanup at a time

    /// The valid cached file for `key`; a corrupt one is deleted.
    std::optional<CachedPreview> read(const QString &key, const QString &path) const
    {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return std::nullopt;
        QByteArray bytes = file.readAll();
        if (!checksumMatches(bytes)) {
            file.close();
            qCInfo(lcImaging) << "preview cache: discarding damaged file" << path;
            QFile::remove(path);
            return std::nullopt;
        }
        // A hit makes the file recently used, so cleanup() keeps it; a
        // minute's granularity spares a syscall on every repaint.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        if (file.fileTime(QFileDevice::FileModificationTime).secsTo(now) > 60)
            file.setFileTime(now, QFileDevice::FileModificationTime);
        return CachedPreview { std::move(bytes), path, key, true };
    }

    /// Stores `bytes` atomically; false (and logged) when the directory cannot be written.
    bool write(const QString &path, const QByteArray &bytes)
    {
        if (!QDir().mkpath(directory)) {
            qCWarning(lcImaging) << "preview cache: cannot create" << directory;
            return false;
        }
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
            qCWarning(lcImaging) << "preview cache: cannot write" << path << file.errorString();
            return false;
        }
        return true;
    }
};

PreviewCache::PreviewCache(QString directory, qint64 maxBytes)
    : m_d(std::make_unique<Private>())
{
    m_d->directory = std::move(directory);
    m_d->maxBytes = std::max<qint64>(0, maxBytes);
}

PreviewCache::~PreviewCache() = default;

QString PreviewCache::key(const PreviewRequest &request)
{
    // A QDataStream keeps every field's boundary, so no format id can make
    // two different requests serialise alike.
    QByteArray canonical;
    QDataStream out(&canonical, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out << QByteArrayLiteral("calstudio-preview") << qint32(FormatVersion) << qint32(Renderer::Version)
        << request.masterHash << request.crop << request.size << qint32(request.kind) << request.formatId
        << request.draftLabel;
    return QString::fromLatin1(
        QCryptographicHash::hash(canonical, QCryptographicHash::Sha256).toHex().left(kDigestHex));
}

QByteArray PreviewCache::contentHash(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

QString PreviewCache::directory() const
{
    return m_d->directory;
}

QString PreviewCache::path(const QString &key) const
{
    return m_d->directory + QLatin1Char('/') + key + QStringLiteral(".jpg");
}

namespace {

Status checkRequest(const PreviewRequest &request)
{
    if (request.masterHash.isEmpty())
        return Error(
            QStringLiteral("bad_request"), tr("The preview could not be made."), QStringLiteral("empty master hash"));
    if (request.kind != RenderKind::ScreenPreview && request.kind != RenderKind::PrintJpeg)
        return Error(QStringLiteral("bad_request"), tr("The preview could not be made."),
            QStringLiteral("the preview cache holds JPEG only"));
    return {};
}

} // namespace

std::optional<CachedPreview> PreviewCache::lookup(const PreviewRequest &request) const
{
    if (!checkRequest(request))
        return std::nullopt;
    const QString k = key(request);
    return m_d->read(k, path(k));
}

Result<CachedPreview> PreviewCache::get(const PreviewRequest &request, const MasterLoader &loadMaster)
{
    auto all = getAll({ request }, loadMaster);
    if (!all)
        return all.error();
    return all->first();
}

Result<CachedPreview> PreviewCache::get(const PreviewRequest &request, const Renderer &master)
{
    auto all = getAll({ request }, master);
    if (!all)
        return all.error();
    return all->first();
}

Result<QList<CachedPreview>> PreviewCache::getAll(const QList<PreviewRequest> &requests, const MasterLoader &loadMaster)
{
    return getAllFrom(requests, [&loadMaster]() -> Result<Renderer> {
        if (!loadMaster)
            return Error(QStringLiteral("bad_request"), tr("The preview could not be made."),
                QStringLiteral("no master loader"));
        auto master = loadMaster();
        if (!master)
            return master.error();
        return Renderer::load(*master);
    });
}

Result<QList<CachedPreview>> PreviewCache::getAll(const QList<PreviewRequest> &requests, const Renderer &master)
{
    return getAllFrom(requests, [&master]() -> Result<Renderer> { return master; });
}

Result<QList<CachedPreview>> PreviewCache::getAllFrom(
    const QList<PreviewRequest> &requests, const std::function<Result<Renderer>()> &openMaster)
{
    QList<QString> keys;
    QList<std::optional<CachedPreview>> results(requests.size());
    QList<qsizetype> pending;
    for (qsizetype i = 0; i < requests.size(); ++i) {
        if (auto ok = checkRequest(requests[i]); !ok)
            return ok.error();
        keys.append(key(requests[i]));
        results[i] = m_d->read(keys[i], path(keys[i]));
        if (!results[i])
            pending.append(i);
    }

    std::optional<Renderer> renderer; // the master is decoded at most once per call
    while (!pending.isEmpty()) {
        // Claim the misses no other thread is rendering; wait for the others.
        QList<qsizetype> mine;
        QList<qsizetype> theirs;
        {
            QMutexLocker lock(&m_d->mutex);
            for (qsizetype i : std::as_const(pending)) {
                if (m_d->inFlight.contains(keys[i])) {
                    theirs.append(i);
                } else {
                    m_d->inFlight.insert(keys[i]);
                    mine.append(i);
                }
            }
        }

        if (!mine.isEmpty()) {
            const auto release = [&] {
                QMutexLocker lock(&m_d->mutex);
                for (qsizetype i : std::as_const(mine))
                    m_d->inFlight.remove(keys[i]);
                m_d->finished.wakeAll();
            };
            if (!renderer) {
                auto opened = openMaster();
                if (!opened) {
                    release();
                    return opened.error();
                }
                renderer = std::move(*opened);
            }
            QList<RenderOutput> outputs;
            for (qsizetype i : std::as_const(mine)) {
                RenderOutput output;
                output.crop = requests[i].crop;
                output.size = requests[i].size;
                output.kind = requests[i].kind;
                output.draftLabel = requests[i].draftLabel;
                outputs.append(output);
            }
            auto rendered = renderer->render(outputs);
            if (!rendered) {
                release();
                return rendered.error();
            }
            qint64 written = 0;
            for (qsizetype n = 0; n < mine.size(); ++n) {
                const qsizetype i = mine[n];
                const QString file = path(keys[i]);
                QByteArray bytes = withChecksum((*rendered)[n].bytes);
                const bool stored = m_d->write(file, bytes);
                written += stored ? bytes.size() : 0;
                results[i] = CachedPreview { std::move(bytes), stored ? file : QString(), keys[i], false };
            }
            release();
            bool due = false;
            {
                QMutexLocker lock(&m_d->mutex);
                m_d->writtenSinceCleanup += written;
                due = m_d->writtenSinceCleanup > m_d->maxBytes / 8;
                if (due)
                    m_d->writtenSinceCleanup = 0;
            }
            if (due)
                cleanup();
        }

        pending.clear();
        if (!theirs.isEmpty()) {
            {
                QMutexLocker lock(&m_d->mutex);
                const auto busy = [&] {
                    return std::any_of(
                        theirs.cbegin(), theirs.cend(), [&](qsizetype i) { return m_d->inFlight.contains(keys[i]); });
                };
                while (busy())
                    m_d->finished.wait(&m_d->mutex);
            }
            // Usually the file is there now; if the other thread failed, or
            // could not store it, render it here in the next round.
            for (qsizetype i : std::as_const(theirs)) {
                results[i] = m_d->read(keys[i], path(keys[i]));
                if (!results[i])
                    pending.append(i);
            }
        }
    }

    QList<CachedPreview> out;
    out.reserve(results.size());
    for (auto &r : results)
        out.append(std::move(*r));
    return out;
}

Result<QImage> PreviewCache::image(const PreviewRequest &request, const MasterLoader &loadMaster)
{
    auto preview = get(request, loadMaster);
    if (!preview)
        return preview.error();
    QImage decoded = QImage::fromData(preview->bytes, "JPEG");
    if (decoded.isNull())
        return Error(QStringLiteral("render_failed"), tr("The preview could not be shown."),
            QStringLiteral("JPEG of %1 bytes did not decode").arg(preview->bytes.size()));
    if (!decoded.colorSpace().isValid())
        decoded.setColorSpace(QColorSpace::SRgb);
    return decoded;
}

qint64 PreviewCache::cleanup(qint64 maxBytes)
{
    QMutexLocker serial(&m_d->cleanupMutex);
    const qint64 budget = maxBytes < 0 ? m_d->maxBytes : maxBytes;
    QDir dir(m_d->directory);
    if (!dir.exists())
        return 0;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    qint64 removed = 0;
    qint64 total = 0;
    QFileInfoList previews;
    const QFileInfoList entries = dir.entryInfoList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot);
    for (const QFileInfo &info : entries) {
        if (isPreviewFileName(info.fileName())) {
            previews.append(info);
            total += info.size();
        } else if (info.lastModified().secsTo(now) > 3600) {
            // A temporary file of a write that never finished (a crash); a
            // write in progress is younger than an hour.
            const qint64 size = info.size();
            if (QFile::remove(info.absoluteFilePath()))
                removed += size;
        }
    }
    if (total > budget) {
        std::sort(previews.begin(), previews.end(), [](const QFileInfo &a, const QFileInfo &b) {
            return a.lastModified() != b.lastModified() ? a.lastModified() < b.lastModified()
                                                        : a.fileName() < b.fileName();
        });
        for (const QFileInfo &info : std::as_const(previews)) {
            if (total <= budget)
                break;
            if (QFile::remove(info.absoluteFilePath())) {
                total -= info.size();
                removed += info.size();
            }
        }
    }
    if (removed > 0)
        qCDebug(lcImaging) << "preview cache: cleanup removed" << removed << "bytes, now" << total;
    return removed;
}

qint64 PreviewCache::diskUsage() const
{
    qint64 total = 0;
    QDirIterator it(m_d->directory, QDir::Files);
    while (it.hasNext()) {
        it.next();
        if (isPreviewFileName(it.fileName()))
            total += it.fileInfo().size();
    }
    return total;
}

} // namespace CalStudio
