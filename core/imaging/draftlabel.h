#pragma once

#include "core/common/result.h"

#include <QImage>
#include <QRect>
#include <QString>

namespace CalStudio {

/**
 * Burns the "Offline draft — not AI" label into an image so that nobody
 * mistakes a non-AI draft for a generated picture, wherever it ends up
 * (previews, exported masters, print files).
 *
 * The label is a dark band across the bottom with white text, plus a small
 * tag in the top-right corner so that crops which lose the bottom still show
 * it. It is drawn with OpenCV's built-in Hershey vector font, so it needs no
 * font database or QGuiApplication and renders identically on every
 * machine. Thread-safe.
 *
 * Error codes: "no_image", "label_failed".
 */
class DraftLabel {
public:
    /// The text of the label, for UI badges that repeat it.
    static QString text();

    /// Where the bottom band goes in an image of `size`.
    static QRect bandRect(const QSize &size);

    /// `image` with the label drawn on it, as Format_RGB888 of the same size.
    static Result<QImage> draw(const QImage &image);
};

} // namespace CalStudio
