#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QImage>
#include <QList>
#include <QRect>
#include <QSize>
#include <QString>

#include <memory>

namespace CalStudio {

/// What an output is for; it decides encoding and metadata (see Renderer).
enum class RenderKind {
    ScreenPreview, ///< JPEG q85 with 4:2:0 chroma; no profile or DPI (sRGB by convention), small and fast
    PrintJpeg, ///< JPEG q95, 4:4:4 chroma, embedded sRGB profile, DPI in the JFIF header
    PrintPng, ///< PNG, embedded sRGB profile (iCCP), DPI in pHYs; lossless
};

/// One file (or in-memory image) a Renderer makes from its master.
struct RenderOutput {
    QRect crop; ///< in master pixels; non-empty and inside the master
    QSize size; ///< exact pixel size of the result, 1–16384 per side
    RenderKind kind = RenderKind::ScreenPreview;
    /**
     * Light output sharpening (an unsharp mask on lightness only, with
     * gentle limits; see renderer.cpp). Meant for print, where paper and ink
     * soften the picture; it is applied to any kind when set.
     */
    bool sharpen = false;
    /// Written into print files' metadata (JPEG JFIF density, PNG pHYs); 1–2400.
    int dpi = 300;
    /**
     * Where the file goes, written atomically (a temporary file beside it,
     * renamed when complete). Empty: the encoded bytes come back in
     * RenderedOutput::bytes instead.
     */
    QString path;
    /**
     * Burn the "Offline draft — not AI" label (DraftLabel) into the result:
     * set for every output of an offline draft master, whose own label a
     * crop may cut away, so no draft is ever mistaken for a generated picture.
     */
    bool draftLabel = false;
};

/// What became of one RenderOutput.
struct RenderedOutput {
    QSize size; ///< always the requested RenderOutput::size
    QString path; ///< the file written, empty for in-memory outputs
    QByteArray bytes; ///< the encoded image when RenderOutput::path was empty
    qint64 encodedBytes = 0; ///< size of the file or of `bytes`
    /// Output pixels per master pixel (the larger of the two axes).
    double scale = 1;
    /**
     * The crop was smaller than the output on at least one axis, so the
     * picture was enlarged: callers warn that it may print soft.
     */
    bool upscaled = false;
    /// The DPI the master's pixels give at this output's print size: RenderOutput::dpi / scale.
    double effectiveDpi = 0;
};

/**
 * Print files and screen previews from one master, through libvips.
 *
 * A Renderer is one decoded master held in memory (8-bit sRGB, about 48 MB
 * for 4096² RGB). It is made once with load() and then feeds any number of
 * outputs, so each master is decoded once however many crops, sizes and
 * formats are asked of it; render() with master bytes does load + render in
 * one call. Copies share the pixels; drop the last copy to free them.
 *
 * Every output is the crop of the master scaled to the exact pixel size
 * (horizontal and vertical scale apart, so rounding never costs a row) with
 * libvips' resize and its Lanczos-3 kernel over the whole reduction (no box
 * pre-shrink). When the crop is smaller than the output on an axis the
 * picture is enlarged (libvips 8.14 does that with bicubic interpolation)
 * and RenderedOutput::upscaled says so. Then optional
 * sharpening, then encoding: see RenderKind. Print files carry libvips' sRGB ICC profile and the DPI;
 * nothing else from the master's metadata reaches any output. A master with
 * a non-sRGB profile is converted to sRGB per output.
 *
 * Files are written through a temporary file and renamed when complete: a
 * failure (disk full, unwritable folder) leaves the destination as it was
 * and no temporary file behind. Outputs are made one after another; when
 * one fails, the call returns its error and the files already written stay
 * (they are complete). Outputs with the same crop, size and sharpening (a
 * print file as JPEG and PNG) share one resize, held in memory meanwhile.
 *
 * Thread-safe: load() and render() may run on any thread, and one Renderer
 * may render on several threads at once.
 *
 * Error codes:
 *  - "corrupt_master": the master bytes are empty, not an image, or
 *    damaged/truncated (nothing is written then).
 *  - "master_too_large": over MaxMasterPixels; refused before decoding.
 *  - "bad_output": a crop outside the master or empty, a size or DPI out of
 *    range (nothing is written then).
 *  - "unwritable": the destination folder is missing or refuses the file.
 *  - "disk_full": the disk ran out of space while writing.
 *  - "render_failed": libvips failed to start, resample or encode.
 */
class Renderer {
public:
    /// Changes whenever outputs for the same request would differ; part of PreviewCache keys.
    static constexpr int Version = 2; // 2: offline drafts labelled on every output
    /// Masters are 4096²; this leaves room for larger ones but refuses decompression bombs.
    static constexpr qint64 MaxMasterPixels = 16384LL * 16384;
    static constexpr int MaxOutputSide = 16384;
    static constexpr int PreviewQuality = 85;
    static constexpr int PrintQuality = 95;

    /// Decodes `masterBytes` (PNG, or any format libvips reads) into memory, once.
    static Result<Renderer> load(const QByteArray &masterBytes);

    /// load() then render(): the master is decoded once for all `outputs`.
    static Result<QList<RenderedOutput>> render(const QByteArray &masterBytes, const QList<RenderOutput> &outputs);

    /// Makes `outputs` in order from this master. Every output is checked before any is made.
    [[nodiscard]] Result<QList<RenderedOutput>> render(const QList<RenderOutput> &outputs) const &;

    /**
     * Like render(), for the last use of a master: `std::move(renderer).render(outputs)`.
     * The Renderer lets go of the master, and when no other copy holds it
     * the master's memory is freed as soon as the last outputs have their
     * own pixels, before they are encoded: a 4096² master's 48 MB is not
     * held while a print file is written. The Renderer is empty afterwards.
     */
    [[nodiscard]] Result<QList<RenderedOutput>> render(const QList<RenderOutput> &outputs) &&;

    /// Pixel size of the master (empty for a Renderer moved from).
    [[nodiscard]] QSize size() const;

    /**
     * The whole master scaled down so its long edge is at most `maxLongEdge`
     * (never enlarged), as Format_RGB888 with QColorSpace::SRgb: the copy
     * face detection and other analysis look at. A null image on failure
     * (or for a Renderer moved from).
     */
    [[nodiscard]] QImage scaledCopy(int maxLongEdge) const;

    Renderer(const Renderer &) = default;
    Renderer(Renderer &&) noexcept = default;
    Renderer &operator=(const Renderer &) = default;
    Renderer &operator=(Renderer &&) noexcept = default;
    ~Renderer();

private:
    struct Private;
    explicit Renderer(std::shared_ptr<const Private> d);
    static Result<QList<RenderedOutput>> renderFrom(
        std::shared_ptr<const Private> d, const QList<RenderOutput> &outputs);
    std::shared_ptr<const Private> m_d;
};

} // namespace CalStudio
