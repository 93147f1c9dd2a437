#include "core/imaging/imageresampler.h"

#include "core/imaging/imagedecoder.h"
#include "core/imaging/imaginglogging.h"
#include "core/imaging/vipsinit.h"

#include <QCoreApplication>

#include <vips/vips8>

#include <algorithm>

namespace CalStudio {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("CalStudio::ImageResampler", text);
}

} // namespace

ImageLimits ImageResampler::masterInputLimits()
{
    ImageLimits limits;
    limits.maxFileBytes = 200LL * 1024 * 1024; // a 4K PNG from a model can exceed the selfie limit
    limits.minShortEdge = 64;
    limits.warnShortEdge = 64;
    return limits;
}

namespace {

/// Decodes `bytes` (limits, EXIF orientation, ICC→sRGB as for selfies) and checks `side`.
Result<QImage> decodeForMaster(const QByteArray &bytes, int side, const ImageLimits &limits)
{
    if (side < 16 || side > 16384)
        return Error(QStringLiteral("bad_size"), tr("The master size must be between 16 and 16384 pixels."),
            QString::number(side));
    // Decoding goes through ImageDecoder so limits, EXIF orientation and ICC→sRGB
    // are handled exactly as for selfies; libvips then does the resampling.
    auto decoded = ImageDecoder::decode(bytes, limits);
    if (!decoded)
        return decoded.error();
    QImage source = decoded->image.hasAlphaChannel() ? decoded->image.convertToFormat(QImage::Format_RGBA8888)
                                                     : decoded->image.convertToFormat(QImage::Format_RGB888);
    if (!VipsInit::ensure())
        return Error(QStringLiteral("resample_failed"), tr("The image library could not start."));
    return source;
}

/// Cuts `square` out of `source` (RGB888 or RGBA8888) and scales it to side² with Lanczos-3.
Result<SquareMaster> resampleSquare(const QImage &source, const QRect &square, int side)
{
    SquareMaster master;
    master.nativeSize = source.size();
    const int w = source.width();
    const int h = source.height();
    master.cropped = square != QRect(0, 0, w, h);
    master.upscaled = square.width() < side;
    const int bands = source.hasAlphaChannel() ? 4 : 3;

    QImage result(side, side, QImage::Format_RGB888);
    try {
        // QImage rows may be padded, so libvips gets the exact stride through a copy per row.
        QByteArray packed;
        packed.resize(qsizetype(w) * h * bands);
        for (int y = 0; y < h; ++y)
            std::copy_n(source.constScanLine(y), size_t(w) * bands, packed.data() + qsizetype(y) * w * bands);
        vips::VImage image
            = vips::VImage::new_from_memory(packed.data(), size_t(packed.size()), w, h, bands, VIPS_FORMAT_UCHAR);
        if (bands == 4)
            image = image.flatten(vips::VImage::option()->set("background", std::vector<double> { 255, 255, 255 }));
        image = image.extract_area(square.x(), square.y(), square.width(), square.height());
        const double scale = double(side) / double(square.width());
        image = image.resize(scale, vips::VImage::option()->set("kernel", VIPS_KERNEL_LANCZOS3));
        // resize rounds the output size; make it exactly side × side.
        if (image.width() != side || image.height() != side) {
            image = image.embed(0, 0, std::max(side, image.width()), std::max(side, image.height()),
                vips::VImage::option()->set("extend", VIPS_EXTEND_COPY));
            image = image.extract_area(0, 0, side, side);
        }
        if (image.format() != VIPS_FORMAT_UCHAR)
            image = image.cast(VIPS_FORMAT_UCHAR);
        size_t length = 0;
        void *raw = image.write_to_memory(&length);
        if (length != size_t(side) * side * 3) {
            g_free(raw);
            return Error(QStringLiteral("resample_failed"), tr("The image could not be resized."),
                QStringLiteral("unexpected output of %1 bytes").arg(length));
        }
        for (int y = 0; y < side; ++y)
            std::copy_n(static_cast<const uchar *>(raw) + size_t(y) * side * 3, size_t(side) * 3, result.scanLine(y));
        g_free(raw);
    } catch (const vips::VError &e) {
        return Error(QStringLiteral("resample_failed"), tr("The image could not be resized."), VipsInit::takeError(&e));
    }
    auto png = ImageDecoder::encodeImage(result, true);
    if (!png)
        return png.error();
    master.png = std::move(*png);
    master.size = QSize(side, side);
    qCDebug(lcImaging) << "master" << master.nativeSize << square << "->" << master.size;
    return master;
}

} // namespace

Result<SquareMaster> ImageResampler::toSquareMaster(const QByteArray &bytes, int side, const ImageLimits &limits)
{
    auto source = decodeForMaster(bytes, side, limits);
    if (!source)
        return source.error();
    const int w = source->width();
    const int h = source->height();
    const int square = std::min(w, h);
    return resampleSquare(*source, QRect((w - square) / 2, (h - square) / 2, square, square), side);
}

Result<SquareMaster> ImageResampler::cropToSquareMaster(const QByteArray &bytes, const QRect &square, int side,
    const ImageLimits &limits)
{
    auto source = decodeForMaster(bytes, side, limits);
    if (!source)
        return source.error();
    if (square.isEmpty() || square.width() != square.height() || !source->rect().contains(square))
        return Error(QStringLiteral("bad_crop"), tr("The part of the picture to keep does not fit the picture."),
            QStringLiteral("square %1,%2 %3x%4 in %5x%6")
                .arg(square.x())
                .arg(square.y())
                .arg(square.width())
                .arg(square.height())
                .arg(source->width())
                .arg(source->height()));
    return resampleSquare(*source, square, side);
}

} // namespace CalStudio
