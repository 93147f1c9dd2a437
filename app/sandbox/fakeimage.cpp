#include "app/sandbox/fakeimage.h"

#include <QBuffer>
#include <QHash>
#include <QImage>
#include <QImageWriter>
#include <QMutex>

#include <cmath>

namespace CalStudio {

namespace {

QImage paint(QSize size, bool huge)
{
    QImage image(size, QImage::Format_RGB888);
    const int w = size.width();
    const int h = size.height();
    const int cx = w / 2;
    const int cy = h / 2;
    const int ring = qMax(8, qMin(w, h) / 16);
    quint32 noise = 0x9e3779b9u; // fixed xorshift seed: the same request yields the same bytes
    for (int y = 0; y < h; ++y) {
        uchar *line = image.scanLine(y);
        for (int x = 0; x < w; ++x) {
            const qint64 dx = x - cx;
            const qint64 dy = y - cy;
            const bool band = (int(std::sqrt(double(dx * dx + dy * dy))) / ring) % 2 == 0;
            uchar r = uchar(x * 255 / qMax(1, w - 1));
            uchar g = uchar(y * 255 / qMax(1, h - 1));
            uchar b = band ? 200 : 60;
            if (huge) {
                noise ^= noise << 13;
                noise ^= noise >> 17;
                noise ^= noise << 5;
                b = uchar((noise & 0x3f) + (band ? 160 : 32)); // 6 bits of noise: about 16 MB of PNG at 4096²
            }
            line[3 * x] = r;
            line[3 * x + 1] = g;
            line[3 * x + 2] = b;
        }
    }
    return image;
}

} // namespace

QByteArray FakeImage::mimeType(const QByteArray &format)
{
    return format == "jpeg" ? QByteArrayLiteral("image/jpeg") : QByteArrayLiteral("image/png");
}

QByteArray FakeImage::encoded(QSize size, const QByteArray &format, bool huge)
{
    static QMutex mutex;
    static QHash<QString, QByteArray> cache;
    const QString key = QStringLiteral("%1x%2/%3/%4")
                            .arg(size.width())
                            .arg(size.height())
                            .arg(QString::fromLatin1(format))
                            .arg(huge ? 1 : 0);
    QMutexLocker lock(&mutex);
    if (const auto it = cache.constFind(key); it != cache.cend())
        return *it;

    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, format == "jpeg" ? QByteArrayLiteral("jpeg") : QByteArrayLiteral("png"));
    writer.write(paint(size, huge));
    // Keep memory bounded in a long-running sandbox: only a handful of sizes are ever asked for.
    if (cache.size() > 16)
        cache.clear();
    cache.insert(key, bytes);
    return bytes;
}

} // namespace CalStudio
