#pragma once

#include <QColor>
#include <QImage>
#include <QSize>

namespace CalStudio {

/// The colours of one month's offline background.
struct OfflinePalette {
    QColor top; ///< sky at the top of the gradient
    QColor bottom; ///< ground at the bottom
    QColor accent; ///< sun, halo, blossoms
    QColor detail; ///< snow, leaves, confetti
};

/**
 * Procedural month-themed backgrounds for offline drafts: a vertical
 * gradient in the month's palette, a sun or moon disc, layered hills and a
 * scatter of seasonal shapes (snow in winter, blossoms in spring, sun rays
 * and waves in summer, leaves in autumn, confetti on the cover).
 *
 * Pure Qt raster painting without text, so it runs on any thread and needs
 * no QGuiApplication. Deterministic: positions come from QRandomGenerator
 * seeded with `seed`, which is stable across platforms.
 */
class OfflineBackground {
public:
    /// Month 0 (cover) … 12; out-of-range months use the cover's palette.
    static OfflinePalette palette(int month);

    /// A Format_RGB32 image of `size`.
    static QImage paint(const QSize &size, int month, quint64 seed);
};

} // namespace CalStudio
