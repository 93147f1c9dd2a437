#pragma once

#include <QByteArray>
#include <QSize>

namespace CalStudio {

/**
 * Deterministic stand-in pictures for the fakes: a real PNG or JPEG of exactly
 * the requested size, so clients can check decoded sizes. Encoded images are
 * cached because a 4K encode takes about a second and tests ask repeatedly.
 */
class FakeImage {
public:
    /**
     * `format` is "png" or "jpeg". `huge` adds per-pixel noise so a 4096² PNG
     * weighs about 16 MB (about 22 MB as base64), the size real 4K answers reach.
     */
    static QByteArray encoded(QSize size, const QByteArray &format = "png", bool huge = false);
    /// MIME type for `format`.
    static QByteArray mimeType(const QByteArray &format);
};

} // namespace CalStudio
