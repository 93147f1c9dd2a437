#pragma once

#include "core/common/result.h"

#include <QImage>

namespace CalStudio {

/**
 * Non-AI "looks" for whole images, used by the offline draft provider so
 * each style preset is recognisable without a model. Deterministic for the
 * same image, look and seed (film grain is drawn from `seed`). Thread-safe.
 *
 * Error codes: "no_image", "filter_failed".
 */
class StyleFilter {
public:
    enum class Look {
        Photographic, ///< mild contrast and colour lift
        Cinematic, ///< teal shadows, warm highlights, vignette
        Watercolor, ///< edge-preserving wash, lightened toward paper
        OilPaint, ///< stronger stylisation, saturated
        PencilSketch, ///< graphite lines on warm paper
        PopArt, ///< flat posterised colour with bold black outlines
        VintageFilm, ///< faded sepia, lifted blacks, grain, vignette
    };

    /// `image` (any format) in `look`, as Format_RGB888 of the same size.
    static Result<QImage> apply(const QImage &image, Look look, quint64 seed = 0);
};

} // namespace CalStudio
