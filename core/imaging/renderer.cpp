#include "core/imaging/renderer.h"

#include "core/imaging/draftlabel.h"
#include "core/imaging/imaginglogging.h"
#include "core/imaging/vipsinit.h"

#include <QBuffer>
#include <QColorSpace>
#include <QCoreApplication>
#include <QFileInfo>
#include <QSaveFile>

#include <vips/vips8>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace CalStudio {

namespace {

using vips::VError;
using vips::VImage;

QString tr(const char *text)
{
    return QCoreApplication::translate("CalStudio::Renderer", text);
}

/**
 * Memory the process frees must go back to the system, or a render run's
 * peak grows master by master. Two glibc habits stand in the way:
 *  - it raises its mmap threshold whenever a large block is freed (up to
 *    32 MB), so after the first master the 24 MB of master bytes, the 26 MB
 *    of a print file's pixels and OpenCV's buffers come from the heap, where
 *    freed space stays, scattered between smaller blocks;
 *  - every thread that allocates (libvips' and OpenCV's workers) gets an
 *    arena of its own, each keeping its own free space.
 * Twelve masters on two threads peaked at 400 MB with the defaults, 290 MB
 * with a fixed 1 MB threshold, 270 MB with two arenas as well (no time lost,
 * measured with bench_render). The settings are process-wide and made once,
 * on the first load().
 */
void keepMemoryReturnable()
{
#if defined(__GLIBC__)
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
        mallopt(M_ARENA_MAX, 2);
    });
#endif
}

// ---- errors -----------------------------------------------------------------

Error corruptMaster(const QString &detail)
{
    return { QStringLiteral("corrupt_master"),
        tr("The month's picture could not be read because its stored copy is damaged. Choose or generate "
           "the picture again."),
        detail };
}

Error badOutput(const QString &detail)
{
    return { QStringLiteral("bad_output"),
        tr("The picture could not be prepared for this format because the chosen part does not fit the "
           "picture. Reset the crop to automatic and try again."),
        detail };
}

Error renderFailed(const QString &detail)
{
    return { QStringLiteral("render_failed"),
        tr("Calendar Studio could not prepare the picture. Try again; if it keeps failing, restart the app."), detail };
}

Error writeError(const QString &path, QFileDevice::FileError error, const QString &detail)
{
    const QString name = QFileInfo(path).fileName();
    if (error == QFileDevice::ResourceError)
        return { QStringLiteral("disk_full"),
            tr("The disk is full, so \"%1\" could not be saved. Free some space and try again.").arg(name),
            path + QStringLiteral(": ") + detail };
    return { QStringLiteral("unwritable"),
        tr("\"%1\" could not be saved. Check that the folder exists and that you may write to it, or choose "
           "another folder.")
            .arg(name),
        path + QStringLiteral(": ") + detail };
}

// ---- metadata ---------------------------------------------------------------

/// libvips' built-in sRGB profile, the one `icc_transform("srgb")` converts to.
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

bool isSrgbProfile(const QByteArray &icc)
{
    if (icc == srgbProfile())
        return true;
    const QColorSpace space = QColorSpace::fromIccProfile(icc);
    return space.isValid() && space == QColorSpace(QColorSpace::SRgb);
}

/**
 * The segments a print JPEG gets right after SOI: a JFIF APP0 with the
 * density in dots per inch, then the sRGB profile as APP2 ICC_PROFILE
 * chunks. libvips 8.14 cannot write this itself: its JPEG writer emits no
 * JFIF header at all (the DPI would only be in EXIF), and with strip=false
 * it always adds a fresh EXIF block. So it saves stripped and we add these.
 */
QByteArray printJpegHeader(int dpi)
{
    QByteArray out;
    const char jfif[] = { '\xFF', '\xE0', 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 1 /* units: dots per inch */ };
    out.append(jfif, sizeof jfif);
    for (int i = 0; i < 2; ++i) // X and Y density
        out.append(char((dpi >> 8) & 0xFF)).append(char(dpi & 0xFF));
    out.append(char(0)).append(char(0)); // no thumbnail

    const QByteArray &icc = srgbProfile();
    constexpr qsizetype chunk = 65535 - 2 - 14; // segment length field, "ICC_PROFILE\0", sequence, count
    const qsizetype count = (icc.size() + chunk - 1) / chunk;
    for (qsizetype i = 0; i < count && count <= 255; ++i) {
        const QByteArray part = icc.mid(i * chunk, chunk);
        const qsizetype length = 2 + 14 + part.size();
        out.append("\xFF\xE2", 2);
        out.append(char(length >> 8)).append(char(length & 0xFF));
        out.append("ICC_PROFILE\0", 12);
        out.append(char(i + 1)).append(char(count));
        out.append(part);
    }
    return out;
}

// ---- streaming output ---------------------------------------------------------

/**
 * Where libvips' encoder writes: a QIODevice (a QSaveFile, so a failed write
 * leaves nothing behind, or a QBuffer), with optional segments inserted
 * after the JPEG SOI marker on the way through. A libvips custom target
 * calls write() with the encoded bytes as they come, so nothing but the
 * encoder's own buffers is held in memory.
 */
class Sink {
public:
    Sink(QIODevice *device, QByteArray jpegSegments)
        : m_device(device)
        , m_segments(std::move(jpegSegments))
        , m_headerDone(m_segments.isEmpty())
    {
    }

    gint64 write(const char *data, gint64 length)
    {
        if (m_failed)
            return -1;
        if (!m_headerDone) {
            m_head.append(data, qsizetype(length));
            flushHeader(false); // false: more bytes are needed to see past SOI; they stay in m_head
        } else {
            put(data, length);
        }
        return m_failed ? -1 : length;
    }

    int end()
    {
        if (!m_headerDone)
            flushHeader(true);
        return m_failed ? -1 : 0;
    }

    [[nodiscard]] bool failed() const { return m_failed; }
    [[nodiscard]] qint64 written() const { return m_written; }

private:
    bool put(const char *data, qint64 length)
    {
        if (length > 0 && m_device->write(data, length) != length) {
            m_failed = true;
            return false;
        }
        m_written += length;
        return true;
    }

    /**
     * Writes SOI, our segments, then what followed SOI, dropping a JFIF APP0
     * the encoder may have written (ours replaces it). Returns false while
     * too few bytes have arrived to decide.
     */
    bool flushHeader(bool atEnd)
    {
        const QByteArray &h = m_head;
        qsizetype skip = 2;
        if (!atEnd) {
            if (h.size() < 4)
                return false;
            if (uchar(h[2]) == 0xFF && uchar(h[3]) == 0xE0) {
                if (h.size() < 6)
                    return false;
                const qsizetype length = (uchar(h[4]) << 8) | uchar(h[5]);
                if (h.size() < 4 + length)
                    return false;
                skip = 4 + length;
            }
        }
        m_headerDone = true;
        if (!h.startsWith("\xFF\xD8")) { // not a JPEG after all: pass it through untouched
            put(h.constData(), h.size());
        } else if (put(h.constData(), 2) && put(m_segments.constData(), m_segments.size())) {
            put(h.constData() + skip, h.size() - std::min(skip, h.size()));
        }
        m_head.clear();
        return true;
    }

    QIODevice *m_device;
    QByteArray m_segments;
    QByteArray m_head;
    bool m_headerDone;
    bool m_failed = false;
    qint64 m_written = 0;
};

gint64 sinkWrite(VipsTargetCustom *, const void *data, gint64 length, gpointer sink)
{
    return static_cast<Sink *>(sink)->write(static_cast<const char *>(data), length);
}

int sinkEnd(VipsTargetCustom *, gpointer sink)
{
    return static_cast<Sink *>(sink)->end();
}

/// Encodes `image` into `sink` as the output kind asks. Throws VError.
void encode(const VImage &image, RenderKind kind, Sink &sink)
{
    VipsTargetCustom *custom = vips_target_custom_new();
    g_signal_connect(custom, "write", G_CALLBACK(sinkWrite), &sink);
    g_signal_connect(custom, "end", G_CALLBACK(sinkEnd), &sink);
    vips::VTarget target(VIPS_TARGET(custom)); // takes the reference
    switch (kind) {
    case RenderKind::ScreenPreview:
        image.jpegsave_target(target,
            VImage::option()->set("Q", Renderer::PreviewQuality)->set("optimize_coding", true)->set("strip", true));
        break;
    case RenderKind::PrintJpeg:
        // No optimize_coding here: libjpeg's Huffman optimisation buffers
        // every DCT coefficient of the image (about 70 MB more peak memory
        // for 2400×3600 at 4:4:4, and 0.2 s) to save 2.5 % of the file.
        image.jpegsave_target(target,
            VImage::option()
                ->set("Q", Renderer::PrintQuality)
                ->set("subsample_mode", VIPS_FOREIGN_SUBSAMPLE_OFF)
                ->set("strip", true));
        break;
    case RenderKind::PrintPng:
        // Level 1 with adaptive filtering: on 4096² masters cut to 2400×3600
        // it wrote 12.8 MB in 0.45 s, where libvips' default (level 6, no
        // filter) wrote 20.8 MB in 0.6 s and level 6 adaptive 10.9 MB in 3.2 s.
        // PNG is lossless, so the level only trades file size for time.
        // strip=false so the profile (iCCP) and resolution (pHYs) are
        // written; the image carries no other metadata (see load()).
        image.pngsave_target(target,
            VImage::option()
                ->set("compression", 1)
                ->set("filter", VIPS_FOREIGN_PNG_FILTER_ALL)
                ->set("profile", "srgb")
                ->set("strip", false));
        break;
    }
}

struct GFreeDeleter {
    void operator()(void *p) const { g_free(p); }
};

// ---- geometry ---------------------------------------------------------------

/// The pixel work shared by outputs with the same crop, size and sharpening.
struct Geometry {
    QRect crop;
    QSize size;
    bool sharpen = false;
    bool draftLabel = false;
    friend bool operator==(const Geometry &, const Geometry &) = default;
};

/**
 * Print output sharpening: an unsharp mask on lightness only (libvips'
 * sharpen works in LabS), so colours never fringe. Gentler than libvips'
 * defaults, since a 300 DPI print only loses a little crispness to ink
 * spread:
 *  - sigma 0.5: the mask's radius in output pixels, about 0.04 mm at 300 DPI.
 *  - x1 2, m1 0: differences under 2 L* count as flat and are left alone, so
 *    skin, sky and grain are not roughened.
 *  - m2 2 (default 3): slope on real edges.
 *  - y2 8, y3 12 (defaults 10, 20): the most any pixel may brighten or
 *    darken, in L*, which keeps halos invisible at viewing distance.
 */
VImage sharpenForPrint(const VImage &image)
{
    return image.sharpen(VImage::option()
                             ->set("sigma", 0.5)
                             ->set("x1", 2.0)
                             ->set("m1", 0.0)
                             ->set("m2", 2.0)
                             ->set("y2", 8.0)
                             ->set("y3", 12.0));
}

/**
 * Resize options for reducing by up to `factor` (input pixels per output
 * pixel): Lanczos-3 over the whole reduction. libvips' default (gap 2)
 * first box-shrinks by a whole factor and uses Lanczos only for the rest;
 * gap 0 turns that off. It is the better filter and, measured on a 4096²
 * master in memory, also the faster one in libvips 8.14: three 800 px
 * previews 100 ms instead of 230 ms, the 1024 px copy 50 ms instead of
 * 105 ms (one thread). libvips' Lanczos masks stop at a few hundred to one,
 * so extreme reductions (thumbnails of thumbnails) keep the box pre-shrink.
 */
vips::VOption *lanczos3(double factor)
{
    return VImage::option()->set("kernel", VIPS_KERNEL_LANCZOS3)->set("gap", factor > 64 ? 2.0 : 0.0);
}

/// Crop and exact-size Lanczos-3 resize. Lazy: nothing is computed yet.
VImage scaledCrop(const VImage &master, const Geometry &g)
{
    VImage image = master.extract_area(g.crop.x(), g.crop.y(), g.crop.width(), g.crop.height());
    if (g.size != g.crop.size()) {
        // Separate horizontal and vertical scales so the result is exactly the
        // size asked for even when the crop's aspect differs by a rounding.
        const double hscale = double(g.size.width()) / g.crop.width();
        const double vscale = double(g.size.height()) / g.crop.height();
        image = image.resize(hscale, lanczos3(1 / std::min(hscale, vscale))->set("vscale", vscale));
        // resize rounds its output size; never let that cost a row or column.
        if (image.width() != g.size.width() || image.height() != g.size.height()) {
            qCDebug(lcImaging) << "resize gave" << image.width() << image.height() << "for" << g.size;
            image = image
                        .embed(0, 0, std::max(g.size.width(), image.width()), std::max(g.size.height(), image.height()),
                            VImage::option()->set("extend", VIPS_EXTEND_COPY))
                        .extract_area(0, 0, g.size.width(), g.size.height());
        }
    }
    return image;
}

/// `image` (8-bit sRGB) with the offline-draft label burned in (through QImage: DraftLabel draws with OpenCV).
VImage withDraftLabel(VImage image)
{
    if (image.bands() == 4)
        image = image.flatten(VImage::option()->set("background", std::vector<double>{255, 255, 255}));
    if (image.bands() != 3)
        image = image.colourspace(VIPS_INTERPRETATION_sRGB).extract_band(0, VImage::option()->set("n", 3));
    size_t bytes = 0;
    void *data = image.write_to_memory(&bytes);
    const QImage plain(static_cast<const uchar *>(data), image.width(), image.height(), image.width() * 3,
                       QImage::Format_RGB888, [](void *p) { g_free(p); }, data);
    auto labelled = DraftLabel::draw(plain);
    if (!labelled)
        throw VError(labelled.error().detail.toStdString());
    // Back into libvips, which wants rows without QImage's 4-byte padding.
    const QImage &out = *labelled;
    const qsizetype row = qsizetype(out.width()) * 3;
    QByteArray tight(row * out.height(), Qt::Uninitialized);
    for (int y = 0; y < out.height(); ++y)
        std::memcpy(tight.data() + y * row, out.constScanLine(y), size_t(row));
    // new_from_memory does not copy: copy_memory() makes the image own its pixels before `tight` goes.
    VImage result = VImage::new_from_memory(tight.data(), size_t(tight.size()), out.width(), out.height(), 3,
                                            VIPS_FORMAT_UCHAR)
                        .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB))
                        .copy_memory();
    return result;
}

/// Optional sharpening, then 8-bit sRGB whatever the steps before made, then the draft label if asked for.
VImage finished(VImage image, const Geometry &g)
{
    if (g.sharpen)
        image = sharpenForPrint(image);
    if (image.interpretation() != VIPS_INTERPRETATION_sRGB)
        image = image.colourspace(VIPS_INTERPRETATION_sRGB);
    if (image.format() != VIPS_FORMAT_UCHAR)
        image = image.cast(VIPS_FORMAT_UCHAR);
    if (g.draftLabel)
        image = withDraftLabel(image);
    return image;
}

/**
 * `pixels` with the resolution of `output` (PNG writes it as pHYs). Nothing
 * is set on an image by hand: libvips' operation cache may hand the same
 * image to another thread, so the profile goes in through the saver.
 */
VImage withResolution(const VImage &pixels, const RenderOutput &output)
{
    const double pixelsPerMm = output.dpi / 25.4;
    return pixels.copy(VImage::option()
                           ->set("interpretation", VIPS_INTERPRETATION_sRGB)
                           ->set("xres", pixelsPerMm)
                           ->set("yres", pixelsPerMm));
}

QString describe(const QRect &r)
{
    return QStringLiteral("%1,%2 %3x%4").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
}

Status checkOutput(const RenderOutput &output, const QSize &masterSize, qsizetype index)
{
    const QString which = QStringLiteral("output %1: ").arg(index);
    if (output.crop.isEmpty() || !QRect(QPoint(0, 0), masterSize).contains(output.crop))
        return badOutput(which
            + QStringLiteral("crop %1 outside the %2x%3 master")
                  .arg(describe(output.crop))
                  .arg(masterSize.width())
                  .arg(masterSize.height()));
    if (output.size.width() < 1 || output.size.height() < 1 || output.size.width() > Renderer::MaxOutputSide
        || output.size.height() > Renderer::MaxOutputSide)
        return badOutput(
            which + QStringLiteral("size %1x%2 out of range").arg(output.size.width()).arg(output.size.height()));
    if (output.dpi < 1 || output.dpi > 2400)
        return badOutput(which + QStringLiteral("dpi %1 out of range").arg(output.dpi));
    return {};
}

} // namespace

// ---- Renderer -----------------------------------------------------------------

struct Renderer::Private {
    VImage image; ///< the decoded master in memory: 8-bit sRGB, 3 bands
    QSize size;
};

Renderer::Renderer(std::shared_ptr<const Private> d)
    : m_d(std::move(d))
{
}

Renderer::~Renderer() = default;

QSize Renderer::size() const
{
    return m_d ? m_d->size : QSize();
}

Result<Renderer> Renderer::load(const QByteArray &masterBytes)
{
    if (masterBytes.isEmpty())
        return corruptMaster(QStringLiteral("no bytes"));
    if (!VipsInit::ensure())
        return renderFailed(QStringLiteral("libvips failed to initialise"));
    keepMemoryReturnable();
    try {
        // Sequential: one top-to-bottom decode straight into memory; the
        // outputs then read that at random. fail_on=error: a truncated
        // master fails instead of rendering grey rows into a print file.
        VImage image = VImage::new_from_buffer(masterBytes.constData(), size_t(masterBytes.size()), "",
            VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL)->set("fail_on", VIPS_FAIL_ON_ERROR));
        const qint64 pixels = qint64(image.width()) * image.height();
        if (pixels > MaxMasterPixels)
            return Error(QStringLiteral("master_too_large"),
                tr("This picture is %1 × %2 pixels, too large to render. Use a smaller picture.")
                    .arg(image.width())
                    .arg(image.height()),
                QStringLiteral("%1 pixels, limit %2").arg(pixels).arg(MaxMasterPixels));

        // Masters are stored as sRGB with libvips' own profile; anything else
        // is converted once here so every output is sRGB.
        if (image.get_typeof(VIPS_META_ICC_NAME)) {
            const void *data = nullptr;
            size_t length = 0;
            vips_image_get_blob(image.get_image(), VIPS_META_ICC_NAME, &data, &length);
            const QByteArray icc = QByteArray::fromRawData(static_cast<const char *>(data), qsizetype(length));
            if (!isSrgbProfile(icc)) {
                try {
                    image = image.icc_transform("srgb",
                        VImage::option()->set("embedded", true)->set("depth", 8)->set("intent", VIPS_INTENT_RELATIVE));
                } catch (const VError &e) {
                    qCInfo(lcImaging) << "ignoring unusable ICC profile of a master:" << VipsInit::takeError(&e);
                }
            }
        }
        if (image.interpretation() != VIPS_INTERPRETATION_sRGB || image.format() != VIPS_FORMAT_UCHAR)
            image = image.colourspace(VIPS_INTERPRETATION_sRGB,
                VImage::option()->set("source_space", vips_image_guess_interpretation(image.get_image())));
        if (image.has_alpha())
            image = image.flatten(VImage::option()->set("background", std::vector<double> { 255, 255, 255 }));
        if (image.format() != VIPS_FORMAT_UCHAR)
            image = image.cast(VIPS_FORMAT_UCHAR);
        if (image.bands() > 3)
            image = image.extract_band(0, VImage::option()->set("n", 3));

        auto d = std::make_shared<Private>();
        // The one decode, straight into a buffer libvips owns.
        d->image = image.copy_memory();
        // Nothing of the master's metadata (text chunks, EXIF, XMP, its
        // profile) may reach an output; each output states its own.
        if (char **fields = vips_image_get_fields(d->image.get_image())) {
            for (char **f = fields; *f; ++f)
                vips_image_remove(d->image.get_image(), *f);
            g_strfreev(fields);
        }
        d->size = QSize(d->image.width(), d->image.height());
        if (d->image.bands() != 3 || d->image.format() != VIPS_FORMAT_UCHAR)
            return renderFailed(QStringLiteral("unexpected master layout: %1 bands").arg(d->image.bands()));
        return Renderer(std::move(d));
    } catch (const VError &e) {
        return corruptMaster(VipsInit::takeError(&e));
    }
}

Result<QList<RenderedOutput>> Renderer::render(const QByteArray &masterBytes, const QList<RenderOutput> &outputs)
{
    auto renderer = load(masterBytes);
    if (!renderer)
        return renderer.error();
    return std::move(*renderer).render(outputs);
}

Result<QList<RenderedOutput>> Renderer::render(const QList<RenderOutput> &outputs) const &
{
    return renderFrom(m_d, outputs);
}

Result<QList<RenderedOutput>> Renderer::render(const QList<RenderOutput> &outputs) &&
{
    return renderFrom(std::move(m_d), outputs);
}

Result<QList<RenderedOutput>> Renderer::renderFrom(std::shared_ptr<const Private> d, const QList<RenderOutput> &outputs)
{
    if (!d)
        return renderFailed(QStringLiteral("render() on a Renderer that was moved from"));
    // `d` is our own reference: the caller's is gone when it moved the
    // Renderer in, so dropping `d` below can free the master.
    for (qsizetype i = 0; i < outputs.size(); ++i)
        if (auto ok = checkOutput(outputs[i], d->size, i); !ok)
            return ok.error();

    // Outputs sharing crop, size and sharpening (a print file as JPEG and
    // PNG) are resized once into memory and encoded from there.
    QList<Geometry> groups;
    QList<qsizetype> groupOf;
    for (const RenderOutput &o : outputs) {
        const Geometry g { o.crop, o.size, o.sharpen, o.draftLabel };
        qsizetype index = groups.indexOf(g);
        if (index < 0) {
            index = groups.size();
            groups.append(g);
        }
        groupOf.append(index);
    }

    QList<RenderedOutput> results(outputs.size());
    for (qsizetype group = 0; group < groups.size(); ++group) {
        const Geometry &g = groups[group];
        const qsizetype users = groupOf.count(group);
        const bool last = group == groups.size() - 1;
        const bool release = last && d.use_count() == 1;
        VImage pixels;
        try {
            if (release && g.sharpen) {
                // The master goes as soon as the resized pixels are in
                // memory; sharpening (the slow part) then runs without it.
                pixels = scaledCrop(d->image, g).copy_memory();
                d.reset();
                pixels = finished(pixels, g).copy_memory();
            } else {
                pixels = finished(scaledCrop(d->image, g), g);
                // In memory when several outputs share the pixels, and for
                // the last group when the master may go: then only these
                // pixels are needed while the outputs are encoded.
                if (users > 1 || release)
                    pixels = pixels.copy_memory();
            }
        } catch (const VError &e) {
            return renderFailed(VipsInit::takeError(&e));
        }
        if (last)
            d.reset(); // frees the master when this was its last holder

        for (qsizetype i = 0; i < outputs.size(); ++i) {
            if (groupOf[i] != group)
                continue;
            const RenderOutput &output = outputs[i];
            RenderedOutput &result = results[i];
            result.size = output.size;
            result.scale = std::max(
                double(output.size.width()) / output.crop.width(), double(output.size.height()) / output.crop.height());
            result.upscaled = output.size.width() > output.crop.width() || output.size.height() > output.crop.height();
            result.effectiveDpi = output.dpi / result.scale;

            const QByteArray segments
                = output.kind == RenderKind::PrintJpeg ? printJpegHeader(output.dpi) : QByteArray();
            const bool toFile = !output.path.isEmpty();
            QSaveFile file(output.path);
            QBuffer buffer(&result.bytes);
            QIODevice *device = toFile ? static_cast<QIODevice *>(&file) : &buffer;
            if (!device->open(QIODevice::WriteOnly))
                return writeError(output.path, file.error(), file.errorString());
            Sink sink(device, segments);
            try {
                encode(withResolution(pixels, output), output.kind, sink);
            } catch (const VError &e) {
                const QString detail = VipsInit::takeError(&e);
                if (toFile && sink.failed())
                    return writeError(output.path, file.error(), file.errorString());
                return renderFailed(detail);
            }
            if (toFile) {
                if (sink.failed() || !file.commit())
                    return writeError(output.path, file.error(), file.errorString());
                result.path = output.path;
            }
            result.encodedBytes = sink.written();
            qCDebug(lcImaging) << "rendered" << describe(output.crop) << "->" << output.size << int(output.kind)
                               << result.encodedBytes << "bytes" << (result.upscaled ? "(upscaled)" : "");
        }
    }
    return results;
}

QImage Renderer::scaledCopy(int maxLongEdge) const
{
    if (maxLongEdge < 1 || !m_d)
        return {};
    const int longEdge = std::max(m_d->size.width(), m_d->size.height());
    try {
        VImage image = m_d->image;
        if (longEdge > maxLongEdge)
            image = image.resize(double(maxLongEdge) / longEdge, lanczos3(double(longEdge) / maxLongEdge));
        size_t length = 0;
        std::unique_ptr<void, GFreeDeleter> data(image.write_to_memory(&length));
        const int w = image.width();
        const int h = image.height();
        if (length != size_t(w) * size_t(h) * 3)
            return {};
        QImage result(w, h, QImage::Format_RGB888);
        if (result.isNull())
            return {};
        const auto *src = static_cast<const uchar *>(data.get());
        for (int y = 0; y < h; ++y) // QImage pads rows to 4 bytes
            std::memcpy(result.scanLine(y), src + size_t(y) * w * 3, size_t(w) * 3);
        result.setColorSpace(QColorSpace::SRgb);
        return result;
    } catch (const VError &e) {
        qCWarning(lcImaging) << "scaled copy failed:" << VipsInit::takeError(&e);
        return {};
    }
}

} // namespace CalStudio
