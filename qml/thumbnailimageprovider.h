#pragma once

#include <QHash>
#include <QImage>
#include <QMutex>
#include <QQuickImageProvider>

#include <memory>

namespace CalStudio {

/// Thumbnails a C++ model made off the UI thread, shared with the QML engine that shows them.
class ThumbnailCache {
public:
    void insert(const QString &key, const QImage &image);
    [[nodiscard]] QImage value(const QString &key) const;
    [[nodiscard]] bool contains(const QString &key) const;
    void clear();
    [[nodiscard]] int size() const;

private:
    mutable QMutex m_mutex; // the engine reads from its image threads
    QHash<QString, QImage> m_images;
};

/**
 * Serves a ThumbnailCache as `image://<id>/<key>` (the model hands out such
 * URLs only once the thumbnail is in the cache). Thread-safe: QML may ask
 * from its image-loading threads.
 */
class ThumbnailImageProvider : public QQuickImageProvider {
public:
    explicit ThumbnailImageProvider(std::shared_ptr<ThumbnailCache> cache);
    QImage requestImage(const QString &id, QSize *size, const QSize &requestedSize) override;

private:
    std::shared_ptr<ThumbnailCache> m_cache;
};

} // namespace CalStudio
