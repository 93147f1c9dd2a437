#include "core/companion/uploadvalidator.h"

#include <QBuffer>
#include <QColorSpace>
#include <QImage>
#include <QImageReader>
#include <QMap>
#include <QObject>

#include <algorithm>
#include <array>
#include <optional>

namespace CalStudio {

namespace {

enum class Kind { Jpeg, Png };

const QByteArray kPngSignature("\x89PNG\r\n\x1a\n", 8);

/// What the header says, read without decoding pixels.
struct Header {
    Kind kind = Kind::Jpeg;
    QSize size;
    int components = 0; ///< JPEG: components in the SOF
    int colorType = -1; ///< PNG: IHDR colour type
    int bitDepth = 0; ///< PNG: IHDR bit depth
    bool hasIcc = false; ///< an ICC profile is embedded
    QByteArray icc; ///< JPEG: the reassembled profile
    QByteArray iccpChunk; ///< PNG: the whole iCCP chunk (length, type, data, CRC)
    bool complete = false; ///< JPEG: an end marker after the scan data; PNG: IDAT and IEND present
};

quint32 be16(const QByteArray &data, qsizetype at)
{
    return (quint32(quint8(data[at])) << 8) | quint8(data[at + 1]);
}

quint32 be32(const QByteArray &data, qsizetype at)
{
    return (be16(data, at) << 16) | be16(data, at + 2);
}

Error corrupt(const QString &detail)
{
    return Error(QStringLiteral("corrupt_image"),
        QObject::tr("The print file is damaged or incomplete and cannot be read. Export it again and "
                    "upload the new file."),
        detail);
}

Error notSrgb(const QString &message, const QString &detail)
{
    return Error(QStringLiteral("not_srgb"), message, detail);
}

bool isSofMarker(quint8 marker)
{
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

Result<Header> readJpegHeader(const QByteArray &data)
{
    Header header;
    header.kind = Kind::Jpeg;
    QMap<int, QByteArray> iccChunks;
    int iccCount = 0;
    bool iccBroken = false;
    bool sofSeen = false;
    qsizetype pos = 2; // after SOI
    const qsizetype n = data.size();
    while (true) {
        if (pos >= n)
            return corrupt(QStringLiteral("JPEG ends before its first scan"));
        if (quint8(data[pos]) != 0xFF)
            return corrupt(QStringLiteral("JPEG marker expected at byte %1").arg(pos));
        while (pos < n && quint8(data[pos]) == 0xFF) // fill bytes
            ++pos;
        if (pos >= n)
            return corrupt(QStringLiteral("JPEG ends before its first scan"));
        const quint8 marker = quint8(data[pos++]);
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8))
            continue; // standalone markers
        if (marker == 0xD9)
            return corrupt(QStringLiteral("JPEG ends before its first scan"));
        if (pos + 2 > n)
            return corrupt(QStringLiteral("JPEG segment header truncated"));
        const qsizetype length = be16(data, pos);
        if (length < 2 || pos + length > n)
            return corrupt(QStringLiteral("JPEG segment 0x%1 truncated").arg(int(marker), 2, 16, QLatin1Char('0')));
        const qsizetype segment = pos + 2; // payload start
        const qsizetype payload = length - 2;
        if (marker == 0xE2 && payload >= 14 && data.mid(segment, 12) == QByteArray("ICC_PROFILE\0", 12)) {
            header.hasIcc = true;
            const int sequence = quint8(data[segment + 12]);
            const int count = quint8(data[segment + 13]);
            if (iccCount == 0)
                iccCount = count;
            if (count != iccCount || sequence < 1 || sequence > count || iccChunks.contains(sequence))
                iccBroken = true;
            iccChunks.insert(sequence, data.mid(segment + 14, payload - 14));
        } else if (isSofMarker(marker) && !sofSeen) {
            if (payload < 6)
                return corrupt(QStringLiteral("JPEG frame header too short"));
            sofSeen = true;
            header.size = QSize(int(be16(data, segment + 3)), int(be16(data, segment + 1)));
            header.components = quint8(data[segment + 5]);
        } else if (marker == 0xDA) { // start of scan: the header is over
            if (!sofSeen)
                return corrupt(QStringLiteral("JPEG scan before its frame header"));
            // FF D9 cannot occur inside entropy-coded data (FF is stuffed as FF 00), so its presence after the
            // first scan is the end marker: without it the file was cut off.
            header.complete = data.indexOf(QByteArray("\xFF\xD9", 2), pos + length) >= 0;
            break;
        }
        pos += length;
    }
    if (header.hasIcc) {
        if (iccBroken || iccChunks.size() != iccCount) {
            header.icc.clear(); // unreadable: refused as not sRGB
        } else {
            for (const QByteArray &chunk : std::as_const(iccChunks))
                header.icc += chunk;
        }
    }
    return header;
}

Result<Header> readPngHeader(const QByteArray &data)
{
    Header header;
    header.kind = Kind::Png;
    bool idatSeen = false;
    qsizetype pos = 8;
    const qsizetype n = data.size();
    bool first = true;
    while (true) {
        if (pos + 12 > n) {
            if (first)
                return corrupt(QStringLiteral("PNG has no IHDR chunk"));
            break; // truncated: complete stays false
        }
        const qsizetype length = be32(data, pos);
        const QByteArray type = data.mid(pos + 4, 4);
        if (length > 0x7FFFFFFF || length > n - pos - 12) {
            if (first)
                return corrupt(QStringLiteral("PNG IHDR chunk truncated"));
            break;
        }
        const qsizetype payload = pos + 8;
        if (first) {
            if (type != "IHDR" || length != 13)
                return corrupt(QStringLiteral("PNG does not start with an IHDR chunk"));
            header.size = QSize(int(std::min<quint32>(be32(data, payload), 0x7FFFFFFF)),
                int(std::min<quint32>(be32(data, payload + 4), 0x7FFFFFFF)));
            header.bitDepth = quint8(data[payload + 8]);
            header.colorType = quint8(data[payload + 9]);
            first = false;
        } else if (type == "iCCP") {
            header.hasIcc = true;
            header.iccpChunk = data.mid(pos, length + 12);
        } else if (type == "IDAT") {
            idatSeen = true;
        } else if (type == "IEND") {
            header.complete = idatSeen;
            break;
        }
        pos += length + 12;
    }
    return header;
}

// CRC-32 as PNG uses it (ISO 3309), for the chunks of the stand-in image.
quint32 crc32(const QByteArray &bytes)
{
    static const std::array<quint32, 256> table = [] {
        std::array<quint32, 256> t {};
        for (quint32 i = 0; i < 256; ++i) {
            quint32 c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    quint32 crc = 0xFFFFFFFFu;
    for (const char byte : bytes)
        crc = table[(crc ^ quint8(byte)) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

void appendBe32(QByteArray &out, quint32 value)
{
    out += char((value >> 24) & 0xFF);
    out += char((value >> 16) & 0xFF);
    out += char((value >> 8) & 0xFF);
    out += char(value & 0xFF);
}

void appendChunk(QByteArray &out, const char *type, const QByteArray &payload)
{
    appendBe32(out, quint32(payload.size()));
    const QByteArray typed = QByteArray(type, 4) + payload;
    out += typed;
    appendBe32(out, crc32(typed));
}

/// The colour space of a PNG's iCCP chunk, as Qt reads it: a 1 × 1 PNG of the same colour type and depth that
/// carries only that chunk is decoded, so libpng inflates and checks the profile under its own limits.
QColorSpace pngProfileColorSpace(const Header &header)
{
    const int channels = header.colorType == 6 ? 4 : 3;
    QByteArray png = kPngSignature;
    QByteArray ihdr;
    appendBe32(ihdr, 1);
    appendBe32(ihdr, 1);
    ihdr += char(header.bitDepth);
    ihdr += char(header.colorType);
    ihdr += QByteArray(3, '\0'); // compression, filter, interlace
    appendChunk(png, "IHDR", ihdr);
    png += header.iccpChunk;
    const QByteArray scanline(1 + channels * header.bitDepth / 8, '\0'); // filter byte + one black pixel
    appendChunk(png, "IDAT", qCompress(scanline).mid(4)); // qCompress: 4-byte size, then a zlib stream
    appendChunk(png, "IEND", QByteArray());
    QBuffer buffer(&png);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer, "png");
    QImage image;
    if (!reader.read(&image))
        return {};
    return image.colorSpace();
}

bool isSrgb(const QColorSpace &space)
{
    return space.isValid() && space.primaries() == QColorSpace::Primaries::SRgb
        && space.transferFunction() == QColorSpace::TransferFunction::SRgb;
}

QString sizeText(QSize size)
{
    return QStringLiteral("%1 × %2").arg(size.width()).arg(size.height());
}

QString megabytes(qint64 bytes)
{
    return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1);
}

} // namespace

Result<ValidatedUpload> UploadValidator::validate(
    const QByteArray &bytes, const QByteArray &contentType, QSize expected, qint64 maxBytes)
{
    // 1. Bytes.
    if (bytes.size() > maxBytes) {
        return Error(QStringLiteral("upload_too_large"),
            QObject::tr("The print file is %1 MB; the shop accepts at most %2 MB per file.")
                .arg(megabytes(bytes.size()), megabytes(maxBytes)),
            QStringLiteral("%1 bytes > limit %2").arg(bytes.size()).arg(maxBytes));
    }

    // 2. Media type: what the client says and what the bytes are must both be JPEG or both PNG.
    const QByteArray declared = contentType.split(';').first().trimmed().toLower();
    std::optional<Kind> declaredKind;
    if (declared == "image/jpeg")
        declaredKind = Kind::Jpeg;
    else if (declared == "image/png")
        declaredKind = Kind::Png;
    std::optional<Kind> actualKind;
    if (bytes.startsWith(QByteArray("\xFF\xD8\xFF", 3)))
        actualKind = Kind::Jpeg;
    else if (bytes.startsWith(kPngSignature))
        actualKind = Kind::Png;
    const auto unsupported = [](const QString &detail) {
        return Error(QStringLiteral("unsupported_media_type"),
            QObject::tr("Print files must be JPEG or PNG images, sent with their own content type."), detail);
    };
    if (!declaredKind)
        return unsupported(QStringLiteral("content type \"%1\" is not image/jpeg or image/png")
                               .arg(QString::fromLatin1(declared.left(100))));
    if (!actualKind)
        return unsupported(QStringLiteral("the bytes are neither JPEG nor PNG"));
    if (*declaredKind != *actualKind) {
        return unsupported(QStringLiteral("sent as %1 but the bytes are %2")
                               .arg(QString::fromLatin1(declared),
                                   *actualKind == Kind::Jpeg ? QStringLiteral("JPEG") : QStringLiteral("PNG")));
    }

    // 3. Header.
    Result<Header> parsed = *actualKind == Kind::Jpeg ? readJpegHeader(bytes) : readPngHeader(bytes);
    if (!parsed)
        return std::move(parsed).error();
    const Header &header = *parsed;
    if (header.size.width() <= 0 || header.size.height() <= 0)
        return corrupt(QStringLiteral("the header claims %1 pixels").arg(sizeText(header.size)));

    // 4. Decompression bombs.
    if (header.size.width() > MaxSidePixels || header.size.height() > MaxSidePixels) {
        return Error(QStringLiteral("wrong_pixel_size"),
            QObject::tr("The print file claims %1 pixels; it must be exactly %2 pixels.")
                .arg(sizeText(header.size), sizeText(expected)),
            QStringLiteral("more than %1 px on a side; not decoded").arg(MaxSidePixels));
    }

    // 5. RGB and sRGB.
    const QString rgbOnly = QObject::tr("Print files must be RGB images in the sRGB colour space; %1. Export the "
                                        "file again as sRGB.");
    if (header.kind == Kind::Jpeg) {
        if (header.components == 4)
            return notSrgb(rgbOnly.arg(QObject::tr("this JPEG is CMYK")), QStringLiteral("JPEG with 4 components"));
        if (header.components == 1) {
            return notSrgb(rgbOnly.arg(QObject::tr("this JPEG is greyscale")), QStringLiteral("JPEG with 1 component"));
        }
        if (header.components != 3) {
            return notSrgb(rgbOnly.arg(QObject::tr("this JPEG is not RGB")),
                QStringLiteral("JPEG with %1 components").arg(header.components));
        }
    } else {
        const bool rgb = header.colorType == 2 || header.colorType == 6;
        if (!rgb) {
            const QString what = header.colorType == 3             ? QObject::tr("this PNG uses a colour palette")
                : (header.colorType == 0 || header.colorType == 4) ? QObject::tr("this PNG is greyscale")
                                                                   : QObject::tr("this PNG is not RGB");
            return notSrgb(rgbOnly.arg(what), QStringLiteral("PNG colour type %1").arg(header.colorType));
        }
        if (header.bitDepth != 8 && header.bitDepth != 16)
            return corrupt(QStringLiteral("PNG RGB with bit depth %1").arg(header.bitDepth));
    }
    if (header.hasIcc) {
        const QColorSpace space = header.kind == Kind::Jpeg
            ? (header.icc.isEmpty() ? QColorSpace() : QColorSpace::fromIccProfile(header.icc))
            : pngProfileColorSpace(header);
        if (!space.isValid()) {
            return notSrgb(rgbOnly.arg(QObject::tr("its colour profile cannot be read")),
                QStringLiteral("embedded ICC profile unreadable"));
        }
        if (!isSrgb(space)) {
            const QString name
                = space.description().isEmpty() ? QObject::tr("another colour space") : space.description().left(80);
            return notSrgb(rgbOnly.arg(QObject::tr("its colour profile is %1").arg(name)),
                QStringLiteral("embedded ICC profile is not sRGB (primaries %1, transfer %2)")
                    .arg(int(space.primaries()))
                    .arg(int(space.transferFunction())));
        }
    }

    // 6. Pixel size.
    if (header.size != expected) {
        return Error(QStringLiteral("wrong_pixel_size"),
            QObject::tr("The print file is %1 pixels; this position needs exactly %2 pixels.")
                .arg(sizeText(header.size), sizeText(expected)),
            QStringLiteral("got %1, expected %2").arg(sizeText(header.size), sizeText(expected)));
    }

    // 7. Complete decode.
    if (!header.complete) {
        return corrupt(header.kind == Kind::Jpeg ? QStringLiteral("JPEG has no end marker after its scan data")
                                                 : QStringLiteral("PNG has no image data or no IEND chunk"));
    }
    const qint64 bytesPerPixel = header.kind == Kind::Png && header.bitDepth == 16 ? 8 : 4;
    const qint64 decodeBytes = qint64(expected.width()) * expected.height() * bytesPerPixel;
    const int limitMb = QImageReader::allocationLimit();
    if (limitMb > 0 && decodeBytes > qint64(limitMb) * 1024 * 1024) {
        return Error(QStringLiteral("upload_too_large"),
            QObject::tr("The print file is too large for this server to check (%1 pixels).").arg(sizeText(expected)),
            QStringLiteral("decoding needs %1 MB; QImageReader::allocationLimit() is %2 MB")
                .arg(megabytes(decodeBytes))
                .arg(limitMb));
    }
    QByteArray copy = bytes; // shared, not copied: QBuffer needs a non-const array but only reads it
    QBuffer buffer(&copy);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer, header.kind == Kind::Jpeg ? "jpeg" : "png");
    reader.setAutoTransform(false);
    QImage image;
    if (!reader.read(&image))
        return corrupt(QStringLiteral("decoding failed: %1").arg(reader.errorString()));
    if (image.size() != expected) {
        return corrupt(QStringLiteral("decoded %1, header said %2").arg(sizeText(image.size()), sizeText(expected)));
    }

    ValidatedUpload upload;
    upload.mimeType = header.kind == Kind::Jpeg ? QByteArray("image/jpeg") : QByteArray("image/png");
    upload.extension = header.kind == Kind::Jpeg ? QStringLiteral("jpg") : QStringLiteral("png");
    upload.size = expected;
    return upload;
}

} // namespace CalStudio
