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
 * Error codes (Error::code):
 *  - "empty": zero bytes (or a null QImage given to encodeImage).
 *  - "too_large": the file is over ImageLimits::maxFileBytes; refused unread.
 *  - "not_an_image": the content is not a picture at all (text, random
 *    bytes); the file name and extension are never consulted.
 *  - "unsupported_format": a picture, but not one of the five formats (GIF,
 *    SVG, PDF, JPEG 2000, …), or a feature of one the decoder cannot read.
 *  - "corrupt": recognised as JPEG/PNG/WebP/HEIF/TIFF but damaged or
 *    truncated. Truncated files fail; they are never half-decoded.
 *  - "too_many_pixels": the header claims more than ImageLimits::maxPixels.
 *  - "too_small": the short edge (as displayed) is below minShortEdge.
 *  - "unreadable": libvips could not start, memory ran out, or encoding
 *    failed; nothing the user did.
 *
 * The libvips error buffer is process-wide, so under concurrent failures an
 * Error's `detail` may contain text from another thread's failure; `code` and
 * `userMessage` never do.
 */
class ImageDecoder {
public:
    /**
     * Reads the header only (no pixel is decoded): sniffs the format from the
     * content, then checks file size, pixel count and minimum short edge.
     */
    static Result<ImageProbe> probe(const QByteArray &bytes, const ImageLimits &limits = {});

    /// True when the image imports but is below ImageLimits::warnShortEdge ("low resolution").
    static bool isLowResolution(const ImageProbe &probe, const ImageLimits &limits = {});

    /**
     * Decodes upright and in sRGB. With `maxLongEdge` > 0 the result is
     * scaled down (shrink-on-load where the format allows) so its long edge is
     * at most that — analysis never needs the full 48 MP. It never scales up.
     * `DecodedImage::probe` describes the file (full size), `image` the
     * result. The QImage owns its pixels and has QColorSpace::SRgb set.
     */
    static Result<DecodedImage> decode(const QByteArray &bytes, const ImageLimits &limits = {}, int maxLongEdge = 0);

    /**
     * The copy a project keeps of an imported photo: upright, sRGB with an
     * embedded sRGB profile, JPEG at `quality`, and no EXIF, GPS, XMP or IPTC
     * metadata, so location never leaves the machine by accident.
     */
    static Result<QByteArray> encodeClean(const QByteArray &originalBytes, const ImageLimits &limits = {},
                                          int quality = 92);

    /**
     * JPEG (or PNG when `png`) of a QImage with an sRGB profile and nothing
     * else. Images in another QColorSpace are converted first; alpha is kept
     * in PNG and flattened onto white in JPEG. `quality` (1–100) is for JPEG.
     */
    static Result<QByteArray> encodeImage(const QImage &image, bool png = false, int quality = 92);
};

} // namespace CalStudio
