#pragma once

#include "core/common/result.h"
#include "core/imaging/imagelimits.h"

#include <QByteArray>
#include <QRect>
#include <QSize>

namespace CalStudio {

/// A square master image made by ImageResampler::toSquareMaster.
struct SquareMaster {
    QByteArray png; ///< 8-bit sRGB PNG with an embedded sRGB profile, lossless
    QSize size; ///< always side × side
    QSize nativeSize; ///< of the input, before any crop or scaling
    bool cropped = false; ///< only part of the input was kept (a centre square, or the square asked for)
    bool upscaled = false; ///< the square was smaller than `side` and was enlarged
};

/**
 * Resampling of whole images with libvips.
 *
 * Thread-safe: every call is independent. Error codes are those of
 * ImageDecoder::decode (the input is untrusted provider output) plus
 * "resample_failed" when libvips fails, "bad_size" for a side outside
 * 16–16384 and "bad_crop" for a square that is not one or not inside the image.
 */
class ImageResampler {
public:
    /**
     * The print master of a generated image: a `side` × `side` PNG.
     *
     * A non-square input is centre-cropped to its short edge first. Cropping
     * rather than padding or stretching is deliberate: models put the subject
     * in the middle, a calendar page wants a full-bleed square, and the later
     * SmartCrop step works from faces on the master anyway. The square is then
     * scaled to `side` with Lanczos-3 (up or down); the native size is
     * reported so callers can warn about effective print DPI.
     */
    static Result<SquareMaster> toSquareMaster(
        const QByteArray &bytes, int side = 4096, const ImageLimits &limits = masterInputLimits());

    /**
     * Like toSquareMaster(), but keeps the given `square` of the image (in the
     * pixels of the upright image, i.e. after EXIF orientation, as
     * ImageDecoder::probe() reports its size) instead of the centre. `square`
     * must be square, non-empty and inside the image. `nativeSize` is the
     * input's size, as for toSquareMaster().
     */
    static Result<SquareMaster> cropToSquareMaster(const QByteArray &bytes, const QRect &square, int side = 4096,
                                                   const ImageLimits &limits = masterInputLimits());

    /// Limits for generated images: no minimum short edge beyond 64 px (a 1K model answer is fine).
    static ImageLimits masterInputLimits();
};

} // namespace CalStudio
