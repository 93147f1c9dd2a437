#include "ui/selfieimagecache.h"

#include "core/imaging/selfieanalyzer.h"
#include "core/project/project.h"
#include "core/project/projectstore.h"
#include "ui/uilogging.h"

#include <QBuffer>
#include <QImageReader>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThreadPool>
#include <QTimer>

namespace CalStudio {

namespace {

/// The large view keeps the last few pictures: about 60 MB of pixels.
constexpr int LargeCacheKiB = 60 * 1024;

QString pendingKey(int kind, quint64 key)
{
    return QString::number(kind) + QLatin1Char(':') + QString::number(key);
}

/**
 * Decodes JPEG bytes, scaled while decoding (libjpeg's DCT scaling makes a
 * thumbnail of a 12 MP photo cheap). With `shortEdge` the short edge is
 * scaled to it, otherwise the long edge to `longEdge`; never enlarged.
 */
QImage decodeScaled(const QByteArray &bytes, int shortEdge, int longEdge)
{
    QByteArray data = bytes;
    QBuffer buffer(&data);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (size.isValid()) {
        QSize target = size;
        if (shortEdge > 0 && std::min(size.width(), size.height()) > shortEdge)
            target = size.scaled(shortEdge, shortEdge, Qt::KeepAspectRatioByExpanding);
        else if (longEdge > 0 && std::max(size.width(), size.height()) > longEdge)
            target = size.scaled(longEdge, longEdge, Qt::KeepAspectRatio);
        if (target != size)
            reader.setScaledSize(target);
    }
    QImage image = reader.read();
    if (image.isNull())
        qCWarning(lcUi) << "could not decode a stored selfie:" << reader.errorString();
    return image;
}

} // namespace

SelfieImageCache::SelfieImageCache(QObject *parent)
    : QObject(parent)
    , m_pool(std::make_unique<QThreadPool>())
    , m_pump(new QTimer(this))
    , m_large(LargeCacheKiB)
{
    m_pool->setMaxThreadCount(2);
    m_pump->setInterval(0);
    connect(m_pump, &QTimer::timeout, this, &SelfieImageCache::runNext);
}

SelfieImageCache::~SelfieImageCache()
{
    m_pool->clear();
    m_pool->waitForDone();
}

void SelfieImageCache::setProject(Project *project)
{
    if (m_project == project)
        return;
    clear();
    m_project = project;
}

void SelfieImageCache::clear()
{
    ++m_generation;
    m_pool->clear();
    m_queue.clear();
    m_pending.clear();
    m_pump->stop();
    m_thumbnails.clear();
    m_large.clear();
    m_failedBlobs.clear();
    m_stored.clear();
    m_chosen.clear();
}

QImage SelfieImageCache::thumbnail(const SelfieRecord &record)
{
    if (const auto it = m_thumbnails.constFind(record.blobId); it != m_thumbnails.constEnd())
        return *it;
    if (!m_failedBlobs.contains(record.blobId))
        enqueue(Kind::Thumbnail, record);
    return {};
}

QImage SelfieImageCache::large(const SelfieRecord &record)
{
    if (const QImage *image = m_large.object(record.blobId))
        return *image;
    if (!m_failedBlobs.contains(record.blobId))
        enqueue(Kind::Large, record);
    return {};
}

bool SelfieImageCache::failed(const SelfieRecord &record) const
{
    return m_failedBlobs.contains(record.blobId);
}

std::optional<SelfieAnalysis> SelfieImageCache::storedAnalysis(const SelfieRecord &record)
{
    if (const auto it = m_stored.constFind(record.id); it != m_stored.constEnd())
        return *it;
    std::optional<SelfieAnalysis> analysis;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(record.analysisJson, &parseError);
    if (doc.isObject()) {
        auto parsed = SelfieAnalysis::fromJson(doc.object());
        if (parsed)
            analysis = std::move(*parsed);
        else
            qCWarning(lcUi) << "selfie" << record.id << "has an unreadable analysis:" << parsed.error();
    } else {
        qCWarning(lcUi) << "selfie" << record.id << "has no analysis:" << parseError.errorString();
    }
    m_stored.insert(record.id, analysis);
    return analysis;
}

quint64 SelfieImageCache::analysisKey(const SelfieRecord &record)
{
    // Selfie ids are small row ids; the face index fits in the low byte.
    return (quint64(record.id) << 8) | quint64(record.mainFace & 0xff);
}

std::optional<SelfieAnalysis> SelfieImageCache::analysis(const SelfieRecord &record)
{
    std::optional<SelfieAnalysis> stored = storedAnalysis(record);
    if (!stored || record.mainFace == stored->mainFace || record.mainFace < 0
        || record.mainFace >= stored->faces.size())
        return stored;
    if (const auto it = m_chosen.constFind(analysisKey(record)); it != m_chosen.constEnd())
        return *it;
    if (!m_failedBlobs.contains(record.blobId))
        enqueue(Kind::Analysis, record);
    return stored;
}

bool SelfieImageCache::isAnalysing(const SelfieRecord &record) const
{
    return m_pending.contains(pendingKey(int(Kind::Analysis), analysisKey(record)));
}

void SelfieImageCache::enqueue(Kind kind, const SelfieRecord &record)
{
    if (!m_project)
        return;
    const quint64 key = kind == Kind::Analysis ? analysisKey(record) : quint64(record.blobId);
    const QString pending = pendingKey(int(kind), key);
    if (m_pending.contains(pending))
        return;
    m_pending.insert(pending);
    // The large view is what the user is looking at: it goes before the thumbnails still to come.
    if (kind == Kind::Thumbnail)
        m_queue.append({ kind, record });
    else
        m_queue.prepend({ kind, record });
    m_pump->start();
}

void SelfieImageCache::runNext()
{
    if (m_queue.isEmpty() || !m_project) {
        m_pump->stop();
        return;
    }
    const Request request = m_queue.takeFirst();
    if (m_queue.isEmpty())
        m_pump->stop();

    auto bytes = m_project->store().readBlob(request.record.blobId);
    if (!bytes) {
        qCWarning(lcUi) << "could not read selfie" << request.record.id << bytes.error();
        deliver(m_generation, request.kind, request.record, {}, std::nullopt);
        return;
    }
    std::optional<SelfieAnalysis> stored;
    if (request.kind == Kind::Analysis)
        stored = storedAnalysis(request.record);

    const quint64 generation = m_generation;
    m_pool->start([this, generation, request, data = std::move(*bytes), stored] {
        QImage image;
        std::optional<SelfieAnalysis> analysis;
        switch (request.kind) {
        case Kind::Thumbnail:
            image = decodeScaled(data, ThumbnailEdge, 0);
            break;
        case Kind::Large:
            image = decodeScaled(data, 0, LargeEdge);
            break;
        case Kind::Analysis: {
            const QImage upright = decodeScaled(data, 0, LargeEdge);
            if (!upright.isNull() && stored) {
                // Stored faces are in pixels of the original; analyze() wants them in `upright`'s.
                const QSize original = stored->imageSize.isEmpty() ? upright.size() : stored->imageSize;
                const double sx = double(upright.width()) / original.width();
                const double sy = double(upright.height()) / original.height();
                QList<Face> faces;
                for (Face f : stored->faces) {
                    f.box = QRectF(f.box.x() * sx, f.box.y() * sy, f.box.width() * sx, f.box.height() * sy);
                    for (QPointF &p : f.landmarks)
                        p = QPointF(p.x() * sx, p.y() * sy);
                    faces.append(f);
                }
                analysis = SelfieAnalyzer().analyze(upright, faces, request.record.mainFace, original);
            }
            break;
        }
        }
        // Queued to this object: dropped by Qt if the cache is gone (its destructor waits for this job).
        QMetaObject::invokeMethod(
            this, [this, generation, request, image, analysis] {
                deliver(generation, request.kind, request.record, image, analysis);
            },
            Qt::QueuedConnection);
    });
}

void SelfieImageCache::deliver(quint64 generation, Kind kind, const SelfieRecord &record, const QImage &image,
    const std::optional<SelfieAnalysis> &analysis)
{
    if (generation != m_generation)
        return;
    const quint64 key = kind == Kind::Analysis ? analysisKey(record) : quint64(record.blobId);
    m_pending.remove(pendingKey(int(kind), key));
    switch (kind) {
    case Kind::Thumbnail:
        if (image.isNull())
            m_failedBlobs.insert(record.blobId);
        else
            m_thumbnails.insert(record.blobId, image);
        Q_EMIT thumbnailReady(record.id);
        break;
    case Kind::Large:
        if (image.isNull())
            m_failedBlobs.insert(record.blobId);
        else
            m_large.insert(record.blobId, new QImage(image), int(std::max<qsizetype>(1, image.sizeInBytes() / 1024)));
        Q_EMIT largeReady(record.id);
        break;
    case Kind::Analysis:
        if (analysis)
            m_chosen.insert(key, *analysis);
        else
            m_failedBlobs.insert(record.blobId);
        Q_EMIT analysisReady(record.id);
        break;
    }
}

} // namespace CalStudio
