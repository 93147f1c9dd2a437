#pragma once

#include "core/common/result.h"

#include <QImage>
#include <QRectF>

namespace CalStudio {

/**
 * Cuts a person out of a photo with OpenCV GrabCut, seeded by their face box.
 *
 * The seed is a head-and-shoulders model around `face`: the face core is
 * certain foreground, an ellipse for the head and a trapezoid for the
 * shoulders below are probable foreground, the rest of a generous box is
 * probable background and the image border above the shoulders is certain
 * background. GrabCut refines that on a copy at most WorkEdge px long; the
 * mask is scaled back, reduced to the region connected to the face and
 * feathered.
 *
 * Deterministic: GrabCut's k-means uses OpenCV's thread-local RNG, which is
 * reset from `seed` for every call, so the same input gives the same matte.
 * Thread-safe: every call is independent.
 *
 * Error codes: "no_image" (null image or empty face box), "cutout_failed".
 */
class PersonCutout {
public:
    static constexpr int WorkEdge = 512;

    /// `image` with its alpha channel set to the person's matte (Format_ARGB32), same size.
    static Result<QImage> cut(const QImage &image, const QRectF &face, quint64 seed = 0);
};

} // namespace CalStudio
