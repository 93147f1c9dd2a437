#pragma once

#include <QImage>
#include <QString>

namespace CalStudio {

/// What the header of an image file says, read without decoding pixels.
struct ImageProbe {
    QString format; ///< "jpeg", "png", "webp", "heif", "tiff"
    QString mimeType; ///< "image/jpeg", …
    int width = 0; ///< as displayed, i.e. after EXIF orientation
    int height = 0;
    int orientation = 1; ///< EXIF orientation 1–8 (1 when absent)
    qint64 fileBytes = 0;
    bool hasLocation = false; ///< GPS data present (it never leaves the original)
};

/// A decoded image ready for analysis and storage: oriented, 8-bit sRGB.
struct DecodedImage {
    ImageProbe probe;
    QImage image; ///< Format_RGB888 (or Format_RGBA8888 with alpha), upright, sRGB
};

} // namespace CalStudio
