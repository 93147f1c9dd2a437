#include "qml/thumbnailimage.h"

#include <QPainter>

namespace CalStudio {

ThumbnailImage::ThumbnailImage(QQuickItem *parent)
    : QQuickPaintedItem(parent)
{
    setAntialiasing(true);
}

void ThumbnailImage::setImage(const QImage &image)
{
    if (image.cacheKey() == m_image.cacheKey())
        return;
    m_image = image;
    Q_EMIT imageChanged();
    update();
}

void ThumbnailImage::paint(QPainter *painter)
{
    if (m_image.isNull() || width() <= 0 || height() <= 0)
        return;
    // Cover the item: scale to the larger ratio and cut the overflow evenly.
    const qreal scale = qMax(width() / m_image.width(), height() / m_image.height());
    const QSizeF shown(width() / scale, height() / scale);
    const QRectF source((m_image.width() - shown.width()) / 2, (m_image.height() - shown.height()) / 2, shown.width(),
                        shown.height());
    painter->setRenderHint(QPainter::SmoothPixmapTransform);
    painter->drawImage(QRectF(0, 0, width(), height()), m_image, source);
}

} // namespace CalStudio
