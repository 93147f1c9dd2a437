#pragma once

#include <QList>
#include <QPointF>
#include <QRectF>

#include <array>

namespace CalStudio {

/// A detected face, in pixels of the upright image it was found in.
struct Face {
    QRectF box; ///< clamped to the image
    float score = 0; ///< detector confidence 0–1
    /// Right eye, left eye, nose tip, right and left mouth corner (YuNet order); all zero from the fallback detector.
    std::array<QPointF, 5> landmarks{};

    friend bool operator==(const Face &, const Face &) = default;
};

} // namespace CalStudio
