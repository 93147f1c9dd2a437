#include "core/generation/offlinebackground.h"

#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>
#include <QRadialGradient>
#include <QRandomGenerator>

#include <array>
#include <cmath>

namespace CalStudio {

namespace {
enum class Season { Cover, Winter, Spring, Summer, Autumn };

Season seasonOf(int month)
{
    switch (month) {
    case 12:
    case 1:
    case 2:
        return Season::Winter;
    case 3:
    case 4:
    case 5:
        return Season::Spring;
    case 6:
    case 7:
    case 8:
        return Season::Summer;
    case 9:
    case 10:
    case 11:
        return Season::Autumn;
    default:
        return Season::Cover;
    }
}

QColor rgb(QRgb v)
{
    return QColor::fromRgb(v);
}

double uniform(QRandomGenerator &rng, double lo, double hi)
{
    return lo + rng.generateDouble() * (hi - lo);
}

/// A band of hills along the bottom: a smooth wave with seeded phase.
void hills(QPainter &p, const QSize &s, QRandomGenerator &rng, double baseline, double amplitude, const QColor &c)
{
    const double w = s.width();
    const double h = s.height();
    const double phase = uniform(rng, 0, 2 * M_PI);
    const double waves = uniform(rng, 1.2, 2.4);
    QPainterPath path;
    path.moveTo(0, h);
    for (int i = 0; i <= 64; ++i) {
        const double x = w * i / 64.0;
        path.lineTo(x, h * baseline - h * amplitude * std::sin(phase + waves * 2 * M_PI * i / 64.0));
    }
    path.lineTo(w, h);
    path.closeSubpath();
    p.fillPath(path, c);
}

void sunDisc(QPainter &p, const QPointF &centre, double radius, const QColor &c)
{
    QRadialGradient glow(centre, radius * 2.2);
    QColor outer = c;
    outer.setAlpha(0);
    QColor inner = c;
    inner.setAlpha(110);
    glow.setColorAt(0, inner);
    glow.setColorAt(1, outer);
    p.setBrush(glow);
    p.setPen(Qt::NoPen);
    p.drawEllipse(centre, radius * 2.2, radius * 2.2);
    p.setBrush(c);
    p.drawEllipse(centre, radius, radius);
}
} // namespace

OfflinePalette OfflineBackground::palette(int month)
{
    // Hand-picked per month: cold blues → fresh greens → warm golds → rust.
    static const std::array<OfflinePalette, 13> palettes { {
        { rgb(0x1d2b53), rgb(0x7e2553), rgb(0xffd166), rgb(0xf6f7fb) }, // cover: night festive
        { rgb(0x9cc3e6), rgb(0xe8f1fa), rgb(0xfff4d6), rgb(0xffffff) }, // January
        { rgb(0x7f8fb8), rgb(0xd9dff0), rgb(0xffd9e2), rgb(0xffffff) }, // February
        { rgb(0x9ad0c2), rgb(0xe9f5db), rgb(0xfff1a8), rgb(0xffc8dd) }, // March
        { rgb(0x8ecae6), rgb(0xcdeac0), rgb(0xffe66d), rgb(0xffafcc) }, // April
        { rgb(0x6ec6f0), rgb(0xb5e48c), rgb(0xfff3b0), rgb(0xf72585) }, // May
        { rgb(0x48cae4), rgb(0xfde2a7), rgb(0xffd60a), rgb(0x0096c7) }, // June
        { rgb(0x00b4d8), rgb(0xf9c784), rgb(0xffba08), rgb(0x0077b6) }, // July
        { rgb(0xf48c06), rgb(0xffd6a5), rgb(0xfff3b0), rgb(0x03045e) }, // August
        { rgb(0xe9c46a), rgb(0xbc6c25), rgb(0xfefae0), rgb(0xdda15e) }, // September
        { rgb(0xf4a261), rgb(0x6b2d0c), rgb(0xffe8d6), rgb(0xe76f51) }, // October
        { rgb(0x8d99ae), rgb(0x5e503f), rgb(0xedf2f4), rgb(0xc9a66b) }, // November
        { rgb(0x14213d), rgb(0x3d5a80), rgb(0xfff1c1), rgb(0xffffff) }, // December
    } };
    return palettes.at(month >= 0 && month <= 12 ? month : 0);
}

QImage OfflineBackground::paint(const QSize &size, int month, quint64 seed)
{
    QImage image(size, QImage::Format_RGB32);
    const OfflinePalette pal = palette(month);
    QRandomGenerator rng(quint32(seed) ^ quint32(seed >> 32) ^ quint32(month * 2654435761U));
    const double w = size.width();
    const double h = size.height();
    const double unit = std::min(w, h);

    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    QLinearGradient sky(0, 0, 0, h);
    sky.setColorAt(0, pal.top);
    sky.setColorAt(1, pal.bottom);
    p.fillRect(image.rect(), sky);

    const Season season = seasonOf(month);
    const QPointF sun(w * uniform(rng, 0.12, 0.88), h * uniform(rng, 0.1, 0.28));
    sunDisc(p, sun, unit * (season == Season::Summer ? 0.11 : 0.07), pal.accent);

    if (season == Season::Summer) {
        // Rays around the sun.
        QPen ray(pal.accent, unit * 0.012, Qt::SolidLine, Qt::RoundCap);
        p.setPen(ray);
        const double start = uniform(rng, 0, M_PI / 6);
        for (int i = 0; i < 12; ++i) {
            const double a = start + i * M_PI / 6;
            p.drawLine(sun + QPointF(std::cos(a), std::sin(a)) * unit * 0.15,
                sun + QPointF(std::cos(a), std::sin(a)) * unit * 0.21);
        }
        p.setPen(Qt::NoPen);
    }

    QColor far = pal.bottom.darker(115);
    QColor near = pal.bottom.darker(135);
    if (season == Season::Winter) {
        far = QColor(0xe3, 0xec, 0xf7);
        near = QColor(0xf7, 0xfa, 0xff);
    } else if (season == Season::Summer) {
        far = pal.detail.lighter(140);
        near = pal.detail;
    }
    hills(p, size, rng, 0.74, 0.05, far);
    hills(p, size, rng, 0.86, 0.04, near);

    p.setPen(Qt::NoPen);
    const int count = season == Season::Cover ? 90 : 60;
    for (int i = 0; i < count; ++i) {
        const QPointF at(uniform(rng, 0, w), uniform(rng, 0, h));
        const double r = unit * uniform(rng, 0.004, 0.014);
        QColor c = pal.detail;
        switch (season) {
        case Season::Winter: // snowflakes
            c.setAlpha(int(uniform(rng, 140, 230)));
            p.setBrush(c);
            p.drawEllipse(at, r, r);
            break;
        case Season::Spring: { // five-petal blossoms
            c.setAlpha(200);
            p.setBrush(c);
            for (int k = 0; k < 5; ++k) {
                const double a = k * 2 * M_PI / 5;
                p.drawEllipse(at + QPointF(std::cos(a), std::sin(a)) * r * 1.1, r, r);
            }
            p.setBrush(pal.accent);
            p.drawEllipse(at, r * 0.6, r * 0.6);
            break;
        }
        case Season::Summer: // sparkles on the water, only low in the picture
            if (at.y() > h * 0.78) {
                c = QColor(255, 255, 255, 170);
                p.setBrush(c);
                p.drawEllipse(at, r * 2.2, r * 0.5);
            }
            break;
        case Season::Autumn: { // falling leaves
            c = (i % 3 == 0) ? pal.accent.darker(110) : pal.detail;
            c.setAlpha(220);
            p.save();
            p.translate(at);
            p.rotate(uniform(rng, 0, 180));
            p.setBrush(c);
            p.drawEllipse(QPointF(0, 0), r * 2.2, r);
            p.restore();
            break;
        }
        case Season::Cover: { // confetti
            static const std::array<QRgb, 4> confetti { 0xffd166, 0xef476f, 0x06d6a0, 0x118ab2 };
            p.save();
            p.translate(at);
            p.rotate(uniform(rng, 0, 180));
            p.setBrush(QColor::fromRgb(confetti.at(size_t(i) % confetti.size())));
            p.drawRect(QRectF(-r, -r * 0.4, r * 2, r * 0.8));
            p.restore();
            break;
        }
        }
    }
    p.end();
    return image;
}

} // namespace CalStudio
