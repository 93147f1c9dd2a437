#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QSize>
#include <QString>

namespace CalStudio {

/// A print file that passed UploadValidator: what it really is, from its bytes.
struct ValidatedUpload {
    QByteArray mimeType; ///< "image/jpeg" | "image/png"
    QString extension; ///< "jpg" | "png"
    QSize size; ///< pixels; equals the expected size
};

/**
 * Checks one print file sent by the studio for an image position
 * (`PUT /v1/orders/{id}/files/{position}`): it must be a JPEG or PNG that
 * is what its Content-Type says, RGB in sRGB, exactly the position's pixel
 * size, within the byte limit, and decode completely.
 *
 * Checks, in this order; the first failure is returned (the API maps the
 * codes to HTTP statuses):
 *
 *  1. more than `maxBytes` bytes → "upload_too_large" (413);
 *  2. Content-Type (parameters ignored, case-insensitive) is not
 *     image/jpeg or image/png, or the bytes start with neither the JPEG
 *     (FF D8 FF) nor the PNG signature, or type and bytes disagree →
 *     "unsupported_media_type" (415);
 *  3. the header (JPEG markers up to the first scan; PNG chunks) cannot be
 *     read, or claims a zero size → "corrupt_image" (422);
 *  4. the header claims more than MaxSidePixels on a side →
 *     "wrong_pixel_size" (422) — before anything is decoded (decompression
 *     bombs);
 *  5. not RGB, or not sRGB → "not_srgb" (422). Print files must be RGB:
 *     a JPEG must have 3 components in its SOF (4 = CMYK/YCCK and
 *     1 = greyscale are refused); a PNG must be colour type 2 (RGB) or 6
 *     (RGBA) at 8 or 16 bits (greyscale, grey+alpha and palette PNGs are
 *     refused). An embedded ICC profile (JPEG APP2 `ICC_PROFILE` segments,
 *     PNG `iCCP`) must describe sRGB — sRGB primaries and the sRGB transfer
 *     curve as QColorSpace reads the profile; an unreadable profile is
 *     refused too. No profile counts as sRGB (a PNG `sRGB` chunk too);
 *  6. the header's pixel size is not `expected` → "wrong_pixel_size"
 *     (422; the message names both sizes);
 *  7. the file does not decode completely: a JPEG without its end marker
 *     after the scan data, a PNG without IDAT or IEND, or a QImageReader
 *     failure (corrupt data, bad PNG checksums) → "corrupt_image" (422).
 *
 * Only step 7 decodes pixels (once, with QImageReader, needing about
 * width × height × 4 bytes — × 8 for 16-bit PNGs — for the moment); all
 * earlier steps read headers. A file that would need more than
 * QImageReader::allocationLimit() to decode is refused before decoding as
 * "upload_too_large" (the server may raise that process-wide limit at
 * start-up). A PNG's iCCP profile is inflated by libpng itself (through a
 * 1 × 1 stand-in image that carries only that chunk), so libpng's chunk
 * size limits protect against compressed-profile bombs.
 *
 * Stateless and thread-safe: validate() may run on several threads at once.
 */
class UploadValidator {
public:
    /// The largest side a header may claim; larger images are refused before decoding.
    static constexpr int MaxSidePixels = 20000;

    static Result<ValidatedUpload> validate(
        const QByteArray &bytes, const QByteArray &contentType, QSize expected, qint64 maxBytes);
};

} // namespace CalStudio
