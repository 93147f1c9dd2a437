#include "qml/thumbnailimageprovider.h"

namespace CalStudio {

void ThumbnailCache::insert(const QString &key, const QImage &image)
{
    const QMutexLocker lock(&m_mutex);
    m_images.insert(key, image);
}

QImage ThumbnailCache::value(const QString &key) const
{
    const QMutexLocker lock(&m_mutex);
    return m_images.value(key);
}

bool ThumbnailCache::contains(const QString &key) const
{
    const QMutexLocker lock(&m_mutex);
    return m_images.contains(key);
}

void ThumbnailCache::clear()
{
    const QMutexLocker lock(&m_mutex);
    m_images.clear();
}

int ThumbnailCache::size() const
{
    const QMutexLocker lock(&m_mutex);
    return int(m_images.size());
}

ThumbnailImageProvider::ThumbnailImageProvider(std::shared_ptr<ThumbnailCache> cache)
    : QQuickImageProvider(QQuickImageProvider::Image)
    , m_cache(std::move(cache))
{
}

QImage ThumbnailImageProvider::requestImage(const QString &id, QSize *size, const QSize &requestedSize)
{
    // "c42" or "m7", optionally followed by "?…" (a revision that makes QML ask again).
    QImage image = m_cache->value(id.section(QLatin1Char('?'), 0, 0));
    if (!image.isNull() && requestedSize.isValid() && !requestedSize.isEmpty())
        image = image.scaled(requestedSize, Qt::KeepAspectRatioByExpanding, Qt::SmoothTransformation);
    if (size)
        *size = image.size();
    return image;
}

} // namespace CalStudio
