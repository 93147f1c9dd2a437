#pragma once

#include <QtGlobal>

namespace CalStudio {

/**
 * What an imported image may be, checked from the file's header before any
 * pixel is decoded (a 50 KB PNG can claim to be 100,000² pixels).
 */
struct ImageLimits {
    qint64 maxFileBytes = 60LL * 1024 * 1024; ///< larger files are refused unread
    qint64 maxPixels = 120'000'000; ///< width × height; protects against decompression bombs
    int minShortEdge = 512; ///< smaller images are refused: too small to show a face well
    int warnShortEdge = 1024; ///< smaller images import with a "low resolution" warning
};

} // namespace CalStudio
