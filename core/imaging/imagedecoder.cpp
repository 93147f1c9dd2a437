#include "core/imaging/imagedecoder.h"

#include "core/imaging/imaginglogging.h"
#include "core/imaging/vipsinit.h"

#include <QColorSpace>
#include <QCoreApplication>

#include <vips/vips8>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string_view>

namespace CalStudio {

namespace {

using vips::VError;
using vips::VImage;
using vips::VSource;

QString tr(const char *text)
{
    return QCoreApplication::translate("CalStudio::ImageDecoder", text);
}

// ---- errors ---------------------------------------------------------------

Error emptyError()
{
    return {QStringLiteral("empty"), tr("The file is empty (0 bytes). Choose the original photo again.")};
}

Error tooLargeError(qint64 bytes, qint64 max)
{
    return {QStringLiteral("too_large"),
            tr("The file is %1 MB, larger than the %2 MB Calendar Studio accepts. Export a smaller copy "
               "from your photo app and import that.")
                .arg(double(bytes) / (1024 * 1024), 0, 'f', 1)
                .arg(max / (1024 * 1024)),
            QStringLiteral("%1 bytes, limit %2").arg(bytes).arg(max)};
}

Error notAnImageError(const QString &detail = {})
{
    return {QStringLiteral("not_an_image"),
            tr("This file is not a picture. Choose a photo in JPEG, PNG, WebP, HEIC or TIFF format."), detail};
}

Error unsupportedError(const QString &detail)
{
    return {QStringLiteral("unsupported_format"),
            tr("This picture is in a format Calendar Studio cannot read. Save it as JPEG or PNG and import "
               "it again."),
            detail};
}

Error corruptError(const QString &detail)
{
    return {QStringLiteral("corrupt"),
            tr("This picture is damaged or incomplete, perhaps only partly copied. Copy it again from your "
               "phone or camera and import the new copy."),
            detail};
}

Error unreadableError(const QString &detail)
{
    return {QStringLiteral("unreadable"),
            tr("Calendar Studio could not process this picture. Try again; if it keeps failing, restart "
               "the app."),
            detail};
}

/// A loader failure says "unsupported" for valid files using features we lack (12-bit JPEG, odd TIFF codecs).
Error loadError(const QString &detail)
{
    return detail.contains(QLatin1String("nsupported")) ? unsupportedError(detail) : corruptError(detail);
}

// ---- format sniffing ----------------------------------------------------------

/// The five formats we accept, by the libvips loader that claims the bytes.
struct Format {
    const char *loader;
    const char *name;
    const char *mime;
};
constexpr Format kFormats[] = {
    {"jpegload_source", "jpeg", "image/jpeg"}, {"pngload_source", "png", "image/png"},
    {"webpload_source", "webp", "image/webp"}, {"heifload_source", "heif", "image/heic"},
    {"tiffload_source", "tiff", "image/tiff"},
};

enum class Magic { None, Supported, OtherImage };

/**
 * Our own look at the first bytes, used only to choose the message when
 * libvips refuses a file: a PNG signature followed by junk is "damaged", a
 * GIF is "unsupported", a letter is "not a picture".
 */
Magic sniffMagic(const QByteArray &b)
{
    const auto at = [&b](qsizetype offset, const char *magic, qsizetype n) {
        return b.size() >= offset + n && std::memcmp(b.constData() + offset, magic, size_t(n)) == 0;
    };
    if (at(0, "\xFF\xD8\xFF", 3) || at(0, "\x89PNG\r\n\x1A\n", 8) || (at(0, "RIFF", 4) && at(8, "WEBP", 4))
        || at(0, "II*\0", 4) || at(0, "MM\0*", 4) || at(0, "II+\0", 4) || at(0, "MM\0+", 4))
        return Magic::Supported;
    if (at(4, "ftyp", 4)) {
        for (const char *brand : {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif", "avis"})
            if (at(8, brand, 4))
                return Magic::Supported;
        return Magic::None; // MP4/QuickTime video and friends
    }
    using namespace std::string_view_literals;
    for (const std::string_view magic : {"GIF8"sv, "BM"sv, "8BPS"sv, "%PDF"sv, "<svg"sv, "<?xml"sv, "\xFF\x0A"sv,
                                         "\0\0\0\x0CJXL "sv, "\0\0\0\x0CjP  "sv, "\0\0\x01\0"sv,
                                         "\x76\x2F\x31\x01"sv, "P5"sv, "P6"sv})
        if (at(0, magic.data(), qsizetype(magic.size())))
            return Magic::OtherImage;
    return Magic::None;
}

/// vips_foreign_find_load_source() with the answer limited to our five loaders.
const Format *findFormat(VSource &source, QString *loaderName)
{
    const char *className = vips_foreign_find_load_source(source.get_source());
    vips_error_clear(); // "not a known format" is expected here, not worth keeping
    if (!className)
        return nullptr;
    // libvips answers with the class name (VipsForeignLoadPngSource); compare nicknames.
    const char *loader = vips_nickname_find(g_type_from_name(className));
    if (!loader)
        loader = className;
    *loaderName = QString::fromLatin1(loader);
    for (const Format &f : kFormats)
        if (std::strcmp(f.loader, loader) == 0)
            return &f;
    return nullptr;
}

vips::VOption *loadOptions()
{
    // Sequential: the header and a top-to-bottom decode need nothing else,
    // and random access would spill big images to a temporary file (photo
    // pixels on disk). fail_on=error: a truncated or corrupt file fails
    // instead of coming back half grey.
    return VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL)->set("fail_on", VIPS_FAIL_ON_ERROR);
}

bool hasLocation(const VImage &image)
{
    bool found = false;
    if (char **fields = vips_image_get_fields(image.get_image())) {
        for (char **f = fields; *f; ++f)
            found = found || std::strncmp(*f, "exif-ifd3-", 10) == 0; // IFD3 is libvips' name for the GPS IFD
        g_strfreev(fields);
    }
    if (!found && vips_image_get_typeof(image.get_image(), VIPS_META_XMP_NAME)) {
        const void *data = nullptr;
        size_t length = 0;
        if (vips_image_get_blob(image.get_image(), VIPS_META_XMP_NAME, &data, &length) == 0) {
            const QByteArray xmp = QByteArray::fromRawData(static_cast<const char *>(data), qsizetype(length));
            found = xmp.contains("GPSLatitude") || xmp.contains("GPSLongitude");
        }
        vips_error_clear();
    }
    return found;
}

/// Header-only probe; `source` stays usable for the real decode.
Result<ImageProbe> probeSource(const QByteArray &bytes, const ImageLimits &limits)
{
    if (bytes.isEmpty())
        return emptyError();
    if (bytes.size() > limits.maxFileBytes)
        return tooLargeError(bytes.size(), limits.maxFileBytes);
    if (!VipsInit::ensure())
        return unreadableError(QStringLiteral("libvips failed to initialise"));

    try {
        VSource source = VSource::new_from_memory(bytes.constData(), size_t(bytes.size()));
        QString loader;
        const Format *format = findFormat(source, &loader);
        if (!format) {
            switch (sniffMagic(bytes)) {
            case Magic::Supported:
                return corruptError(QStringLiteral("signature of a supported format, but no loader accepts it"));
            case Magic::OtherImage:
                return unsupportedError(loader.isEmpty() ? QStringLiteral("unrecognised image signature")
                                                         : QStringLiteral("loader %1").arg(loader));
            case Magic::None:
                // libvips also reads matrix/CSV text and scientific formats; none of
                // those is a photo, so they count as "not a picture".
                return notAnImageError(loader.isEmpty() ? QString() : QStringLiteral("loader %1").arg(loader));
            }
        }

        VImage header = VImage::new_from_source(source, "", loadOptions());
        ImageProbe probe;
        probe.format = QString::fromLatin1(format->name);
        probe.mimeType = QString::fromLatin1(format->mime);
        if (probe.format == QLatin1String("heif") && header.get_typeof("heif-compression")
            && std::strcmp(header.get_string("heif-compression"), "av1") == 0)
            probe.mimeType = QStringLiteral("image/avif");
        probe.fileBytes = bytes.size();
        probe.orientation = std::clamp(vips_image_get_orientation(header.get_image()), 1, 8);
        const bool swap = probe.orientation >= 5;
        probe.width = swap ? header.height() : header.width();
        probe.height = swap ? header.width() : header.height();
        probe.hasLocation = hasLocation(header);

        if (probe.width <= 0 || probe.height <= 0)
            return corruptError(QStringLiteral("header says %1x%2").arg(probe.width).arg(probe.height));
        const qint64 pixels = qint64(probe.width) * probe.height;
        if (pixels > limits.maxPixels)
            return Error{QStringLiteral("too_many_pixels"),
                         tr("This picture says it is %1 × %2 pixels, more than the %3 megapixels Calendar Studio "
                            "can handle. Use a smaller copy of the photo.")
                             .arg(probe.width)
                             .arg(probe.height)
                             .arg(limits.maxPixels / 1'000'000),
                         QStringLiteral("%1 pixels, limit %2").arg(pixels).arg(limits.maxPixels)};
        if (std::min(probe.width, probe.height) < limits.minShortEdge)
            return Error{QStringLiteral("too_small"),
                         tr("This picture is only %1 × %2 pixels. A face needs at least %3 pixels on the "
                            "short side to look good in print; use a larger photo.")
                             .arg(probe.width)
                             .arg(probe.height)
                             .arg(limits.minShortEdge)};
        return probe;
    } catch (const VError &e) {
        return loadError(VipsInit::takeError(&e));
    }
}

struct GFreeDeleter {
    void operator()(void *p) const { g_free(p); }
};

/// Decoded pixels owned by libvips' allocator: 8-bit sRGB, 3 or 4 (alpha) bands, rows unpadded.
struct Pixels {
    ImageProbe probe;
    std::unique_ptr<void, GFreeDeleter> data;
    int width = 0;
    int height = 0;
    int bands = 0;
};

/// Any decoded image to 8-bit sRGB with 3 bands, or 4 when it has alpha.
VImage toSrgb8(VImage image)
{
    if (image.get_typeof(VIPS_META_ICC_NAME)) {
        try {
            image = image.icc_transform("srgb", VImage::option()
                                                    ->set("embedded", true)
                                                    ->set("depth", 8)
                                                    ->set("intent", VIPS_INTENT_RELATIVE));
        } catch (const VError &e) {
            // A broken profile should not cost the user the photo: fall back to
            // the image's own colour space, as if there were no profile.
            qCInfo(lcImaging) << "ignoring unusable ICC profile:" << VipsInit::takeError(&e);
        }
    }
    if (image.interpretation() != VIPS_INTERPRETATION_sRGB || image.format() != VIPS_FORMAT_UCHAR) {
        const VipsInterpretation from = vips_image_guess_interpretation(image.get_image());
        image = image.colourspace(VIPS_INTERPRETATION_sRGB, VImage::option()->set("source_space", from));
    }
    if (image.format() != VIPS_FORMAT_UCHAR)
        image = image.cast(VIPS_FORMAT_UCHAR);

    const bool alpha = image.has_alpha() && image.bands() > 1;
    const int colourBands = alpha ? image.bands() - 1 : image.bands();
    VImage rgb = colourBands >= 3 ? image.extract_band(0, VImage::option()->set("n", 3))
                                  : image.extract_band(0).bandjoin({image.extract_band(0), image.extract_band(0)});
    if (alpha)
        rgb = rgb.bandjoin(image.extract_band(image.bands() - 1));
    return rgb;
}

Result<Pixels> decodePixels(const QByteArray &bytes, const ImageLimits &limits, int maxLongEdge)
{
    auto probe = probeSource(bytes, limits);
    if (!probe)
        return probe.error();
    try {
        VSource source = VSource::new_from_memory(bytes.constData(), size_t(bytes.size()));
        VImage image;
        if (maxLongEdge > 0) {
            // thumbnail_source shrinks while loading (JPEG DCT scaling, WebP/HEIF
            // scaled decode), orients, and fits the long edge into the box.
            // libvips 8.14.1 does not hand thumbnail's own fail_on to the
            // loader (a truncated PNG "succeeds" with grey rows); the loader
            // option string does reach it.
            image = VImage::thumbnail_source(source, maxLongEdge,
                                             VImage::option()
                                                 ->set("height", maxLongEdge)
                                                 ->set("size", VIPS_SIZE_DOWN)
                                                 ->set("no_rotate", false)
                                                 ->set("fail_on", VIPS_FAIL_ON_ERROR)
                                                 ->set("option_string", "fail_on=error"));
            image = toSrgb8(image);
        } else {
            image = toSrgb8(VImage::new_from_source(source, "", loadOptions()));
            // Rotation needs random access, which a sequential load cannot
            // give; render the converted pixels to memory first.
            if (probe->orientation != 1)
                image = image.copy_memory().autorot();
        }
        size_t size = 0;
        Pixels pixels;
        pixels.data.reset(image.write_to_memory(&size));
        pixels.width = image.width();
        pixels.height = image.height();
        pixels.bands = image.bands();
        pixels.probe = std::move(*probe);
        if (size != size_t(pixels.width) * size_t(pixels.height) * size_t(pixels.bands))
            return unreadableError(QStringLiteral("unexpected buffer size %1").arg(size));
        return pixels;
    } catch (const VError &e) {
        return loadError(VipsInit::takeError(&e));
    }
}

/// libvips' built-in sRGB profile (the one `icc_transform("srgb")` uses).
const QByteArray &srgbProfile()
{
    static const QByteArray profile = [] {
        VipsBlob *blob = nullptr;
        QByteArray bytes;
        if (vips_profile_load("srgb", &blob, nullptr) == 0 && blob) {
            size_t length = 0;
            const void *data = vips_blob_get(blob, &length);
            bytes = QByteArray(static_cast<const char *>(data), qsizetype(length));
            vips_area_unref(VIPS_AREA(blob));
        }
        vips_error_clear();
        return bytes;
    }();
    return profile;
}

/**
 * Inserts the profile as APP2 ICC_PROFILE segments right after SOI. libvips
 * cannot do this for us: with strip=false its JPEG writer always adds a
 * fresh EXIF block (and one saying "uncalibrated"), with strip=true it also
 * drops the profile. So we save stripped and add the one segment we want.
 */
QByteArray withIccProfile(const QByteArray &jpeg, const QByteArray &icc)
{
    if (icc.isEmpty() || !jpeg.startsWith("\xFF\xD8"))
        return jpeg;
    constexpr qsizetype chunk = 65535 - 2 - 14; // segment length field, "ICC_PROFILE\0", seq, count
    const qsizetype count = (icc.size() + chunk - 1) / chunk;
    if (count > 255)
        return jpeg;
    QByteArray out;
    out.reserve(jpeg.size() + icc.size() + count * 18);
    out.append(jpeg.constData(), 2);
    for (qsizetype i = 0; i < count; ++i) {
        const QByteArray part = icc.mid(i * chunk, chunk);
        const qsizetype length = 2 + 14 + part.size();
        out.append("\xFF\xE2", 2);
        out.append(char(length >> 8)).append(char(length & 0xFF));
        out.append("ICC_PROFILE\0", 12);
        out.append(char(i + 1)).append(char(count));
        out.append(part);
    }
    out.append(jpeg.constData() + 2, jpeg.size() - 2);
    return out;
}

struct BlobDeleter {
    void operator()(VipsBlob *b) const { vips_area_unref(VIPS_AREA(b)); }
};

/**
 * Encodes raw 8-bit sRGB pixels. The image is built fresh from memory, so
 * no metadata of the source can ride along; only the sRGB profile is added.
 */
Result<QByteArray> encodePixels(const void *data, int width, int height, int bands, bool png, int quality)
{
    try {
        VImage image = VImage::new_from_memory(const_cast<void *>(data),
                                               size_t(width) * size_t(height) * size_t(bands), width, height,
                                               bands, VIPS_FORMAT_UCHAR);
        image = image.copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
        std::unique_ptr<VipsBlob, BlobDeleter> blob;
        if (png) {
            const QByteArray &icc = srgbProfile();
            if (!icc.isEmpty())
                vips_image_set_blob_copy(image.get_image(), VIPS_META_ICC_NAME, icc.constData(), size_t(icc.size()));
            // With no EXIF/XMP fields on the image, libvips' PNG writer adds only iCCP and pHYs.
            blob.reset(image.pngsave_buffer(VImage::option()->set("compression", 6)));
        } else {
            if (bands == 4)
                image = image.flatten(VImage::option()->set("background", std::vector<double>{255, 255, 255}));
            blob.reset(image.jpegsave_buffer(VImage::option()
                                                 ->set("Q", std::clamp(quality, 1, 100))
                                                 ->set("optimize_coding", true)
                                                 ->set("strip", true)));
        }
        size_t length = 0;
        const void *out = vips_blob_get(blob.get(), &length);
        QByteArray bytes(static_cast<const char *>(out), qsizetype(length));
        return png ? bytes : withIccProfile(bytes, srgbProfile());
    } catch (const VError &e) {
        return unreadableError(VipsInit::takeError(&e));
    }
}

} // namespace

Result<ImageProbe> ImageDecoder::probe(const QByteArray &bytes, const ImageLimits &limits)
{
    return probeSource(bytes, limits);
}

bool ImageDecoder::isLowResolution(const ImageProbe &probe, const ImageLimits &limits)
{
    return std::min(probe.width, probe.height) < limits.warnShortEdge;
}

Result<DecodedImage> ImageDecoder::decode(const QByteArray &bytes, const ImageLimits &limits, int maxLongEdge)
{
    auto pixels = decodePixels(bytes, limits, maxLongEdge);
    if (!pixels)
        return pixels.error();
    const Pixels &p = *pixels;
    DecodedImage decoded;
    decoded.probe = p.probe;
    QImage image(p.width, p.height, p.bands == 4 ? QImage::Format_RGBA8888 : QImage::Format_RGB888);
    if (image.isNull())
        return unreadableError(QStringLiteral("out of memory for %1x%2").arg(p.width).arg(p.height));
    // QImage pads rows to 4 bytes; libvips' buffer is packed.
    const size_t rowBytes = size_t(p.width) * size_t(p.bands);
    const auto *src = static_cast<const uchar *>(p.data.get());
    for (int y = 0; y < p.height; ++y)
        std::memcpy(image.scanLine(y), src + size_t(y) * rowBytes, rowBytes);
    image.setColorSpace(QColorSpace::SRgb);
    decoded.image = std::move(image);
    return decoded;
}

Result<QByteArray> ImageDecoder::encodeClean(const QByteArray &originalBytes, const ImageLimits &limits, int quality)
{
    auto pixels = decodePixels(originalBytes, limits, 0);
    if (!pixels)
        return pixels.error();
    return encodePixels(pixels->data.get(), pixels->width, pixels->height, pixels->bands, false, quality);
}

Result<QByteArray> ImageDecoder::encodeImage(const QImage &image, bool png, int quality)
{
    if (image.isNull())
        return Error{QStringLiteral("empty"), tr("There is no picture to save.")};
    if (!VipsInit::ensure())
        return unreadableError(QStringLiteral("libvips failed to initialise"));
    QImage converted = image;
    if (converted.colorSpace().isValid() && converted.colorSpace() != QColorSpace(QColorSpace::SRgb))
        converted.convertToColorSpace(QColorSpace::SRgb);
    const bool alpha = converted.hasAlphaChannel();
    converted = converted.convertToFormat(alpha ? QImage::Format_RGBA8888 : QImage::Format_RGB888);
    if (converted.isNull())
        return unreadableError(QStringLiteral("QImage conversion failed (out of memory?)"));
    const int bands = alpha ? 4 : 3;
    const size_t rowBytes = size_t(converted.width()) * bands;
    QByteArray packed;
    const uchar *data = converted.constBits();
    if (size_t(converted.bytesPerLine()) != rowBytes) {
        packed.resize(qsizetype(rowBytes * size_t(converted.height())));
        for (int y = 0; y < converted.height(); ++y)
            std::memcpy(packed.data() + size_t(y) * rowBytes, converted.constScanLine(y), rowBytes);
        data = reinterpret_cast<const uchar *>(packed.constData());
    }
    return encodePixels(data, converted.width(), converted.height(), bands, png, quality);
}

} // namespace CalStudio
