#pragma once

// Test images for the face tests, made at run time from astronaut.png
// (public domain, scikit-image / NASA) so every expected box is known.

#include <QImage>
#include <QPainter>
#include <QRectF>
#include <QString>
#include <QTransform>

#include <algorithm>
#include <cmath>
#include <vector>

namespace FaceFixtures {

inline QImage astronaut()
{
    static const QImage image
        = QImage(QStringLiteral(CALSTUDIO_TEST_DATA_DIR "/faces/astronaut.png")).convertToFormat(QImage::Format_RGB888);
    return image;
}

/// The astronaut's face in astronaut.png (512²), forehead to chin, checked by eye.
inline QRectF astronautFace()
{
    return QRectF(178.5, 58.4, 93.7, 117.2);
}

struct Composite {
    QImage image;
    QRectF face; ///< expected box, clamped to the canvas
};

/// The astronaut photo scaled by `scale`, its top-left at `at` on a grey canvas (mirrored on request).
inline Composite composite(QSize canvas, double scale, QPointF at, bool mirrored = false)
{
    QImage photo = astronaut();
    if (mirrored)
        photo = photo.mirrored(true, false);
    const QSize scaledSize(int(std::lround(photo.width() * scale)), int(std::lround(photo.height() * scale)));
    photo = photo.scaled(scaledSize, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    Composite c;
    c.image = QImage(canvas, QImage::Format_RGB888);
    c.image.fill(QColor(128, 128, 128));
    QPainter painter(&c.image);
    painter.drawImage(at, photo);
    painter.end();
    QRectF face = astronautFace();
    if (mirrored)
        face.moveLeft(512 - face.right());
    const double sx = double(scaledSize.width()) / 512, sy = double(scaledSize.height()) / 512;
    c.face = QRectF(at.x() + face.x() * sx, at.y() + face.y() * sy, face.width() * sx, face.height() * sy)
                 .intersected(QRectF(QPointF(0, 0), QSizeF(canvas)));
    return c;
}

/// Separable Gaussian blur with clamped edges; independent of the library under test.
inline QImage gaussianBlur(const QImage &source, double sigma)
{
    QImage in = source.convertToFormat(QImage::Format_RGB888);
    if (sigma <= 0)
        return in;
    const int radius = int(std::ceil(3 * sigma));
    std::vector<double> kernel(size_t(2 * radius + 1));
    double sum = 0;
    for (int i = -radius; i <= radius; ++i)
        sum += kernel[size_t(i + radius)] = std::exp(-(i * i) / (2 * sigma * sigma));
    for (double &k : kernel)
        k /= sum;
    const int w = in.width(), h = in.height();
    std::vector<double> tmp(size_t(w) * size_t(h) * 3);
    for (int y = 0; y < h; ++y) {
        const uchar *row = in.constScanLine(y);
        for (int x = 0; x < w; ++x) {
            for (int c = 0; c < 3; ++c) {
                double acc = 0;
                for (int i = -radius; i <= radius; ++i)
                    acc += kernel[size_t(i + radius)] * row[std::clamp(x + i, 0, w - 1) * 3 + c];
                tmp[(size_t(y) * size_t(w) + size_t(x)) * 3 + size_t(c)] = acc;
            }
        }
    }
    QImage out(in.size(), QImage::Format_RGB888);
    for (int y = 0; y < h; ++y) {
        uchar *row = out.scanLine(y);
        for (int x = 0; x < w; ++x) {
            for (int c = 0; c < 3; ++c) {
                double acc = 0;
                for (int i = -radius; i <= radius; ++i)
                    acc += kernel[size_t(i + radius)]
                        * tmp[(size_t(std::clamp(y + i, 0, h - 1)) * size_t(w) + size_t(x)) * 3 + size_t(c)];
                row[x * 3 + c] = uchar(std::clamp(std::lround(acc), 0L, 255L));
            }
        }
    }
    return out;
}

/// Every channel multiplied by `gain` (clipped), like a shorter or longer exposure.
inline QImage exposed(const QImage &source, double gain)
{
    QImage out = source.convertToFormat(QImage::Format_RGB888);
    for (int y = 0; y < out.height(); ++y) {
        uchar *row = out.scanLine(y);
        for (int x = 0; x < out.width() * 3; ++x)
            row[x] = uchar(std::clamp(std::lround(row[x] * gain), 0L, 255L));
    }
    return out;
}

inline double iou(const QRectF &a, const QRectF &b)
{
    const QRectF i = a.intersected(b);
    const double inter = i.width() * i.height();
    const double uni = a.width() * a.height() + b.width() * b.height() - inter;
    return uni > 0 ? inter / uni : 0;
}

} // namespace FaceFixtures
