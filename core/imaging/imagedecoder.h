#pragma once

#include "core/common/result.h"
#include "core/imaging/decodedimage.h"
#include "core/imaging/imagelimits.h"

#include <QByteArray>

namespace CalStudio {

/**
 * Decoding and clean re-encoding of user images through libvips: JPEG, PNG,
 * WebP, HEIC/HEIF, TIFF; EXIF orientation applied (all eight), ICC profiles
 * converted to sRGB. Untrusted input: limits are checked from the header
 * before any pixel is decoded, and every failure is an Error with a message
 * for people (corrupt, truncated, not an image, too large, too small,
 * unsupported format). Thread-safe: every call is independent.
 *
 * Error codes: "empty", "too_large", "not_an_image", "unsupported_format",
 * "corrupt", "too_many_pixels", "too_small", "unreadable".
 */
class ImageDecoder {
public:
    /// Reads the header only. Checks file size and pixel limits.
    static Result<ImageProbe> probe(const QByteArray &bytes, const ImageLimits &limits = {});

    /**
     * Decodes upright and in sRGB. With `maxLongEdge` > 0 the result is
     * scaled down (shrink-on-load where the format allows) so its long edge is
     * at most that — analysis never needs the full 48 MP.
     */
    static Result<DecodedImage> decode(const QByteArray &bytes, const ImageLimits &limits = {}, int maxLongEdge = 0);

    /**
     * The copy a project keeps of an imported photo: upright, sRGB with an
     * embedded sRGB profile, JPEG at `quality`, and no EXIF, GPS, XMP or IPTC
     * metadata, so location never leaves the machine by accident.
     */
    static Result<QByteArray> encodeClean(const QByteArray &originalBytes, const ImageLimits &limits = {},
                                          int quality = 92);

    /// JPEG (or PNG when `png`) of a QImage with an sRGB profile and nothing else.
    static Result<QByteArray> encodeImage(const QImage &image, bool png = false, int quality = 92);
};

} // namespace CalStudio
