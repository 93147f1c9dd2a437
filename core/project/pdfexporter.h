#pragma once

#include "core/commerce/printformat.h"
#include "core/common/result.h"
#include "core/project/calendardocument.h"
#include "core/project/cropplanner.h"
#include "core/project/masterinfo.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QLineF>
#include <QList>
#include <QRectF>
#include <QSize>
#include <QSizeF>
#include <QString>

#include <functional>
#include <optional>

namespace CalStudio {

class Project;
class ProjectStore;

/// The user's choices for one PDF export.
struct PdfExportOptions {
    /**
     * Crop marks at the four trim corners, drawn outside the bleed. The page
     * then grows by PdfExporter::CropMarkAreaInches on every side (the bleed
     * box sits in its middle), so a printer that wants marks gets them and
     * one that wants the bare bleed box does not.
     */
    bool cropMarks = false;
    /**
     * Photos embedded losslessly (Flate) instead of as JPEG: no compression
     * artefacts at all, but photographs deflate poorly — about 15 times the
     * file size (277 MB instead of 18 MB for 13 full-bleed pages, see
     * docs/BENCHMARKS.md). See PdfExporter for what Qt does with images.
     */
    bool losslessImages = false;
    /// Light output sharpening of the photos, as the print files get it (RenderOutput::sharpen).
    bool sharpen = true;
};

/// One page's picture, as the export needs it.
struct PdfPageSource {
    int page = 0; ///< 0 the cover, 1–12 the months in calendar order
    std::optional<MasterInfo> master; ///< the page's chosen master; none: the composer's placeholder is drawn
    std::optional<QJsonObject> faces; ///< stored faces (ProjectStore::masterFaces); none: detected during the export
    std::optional<QRectF> userCrop; ///< the crop editor's crop for this page and format (fractions of the master)
};

/**
 * Everything one PDF export needs, taken from the project in one go so the
 * export itself can run on a worker thread while the user goes on editing.
 * Build it with PdfExporter::request().
 */
struct PdfExportRequest {
    explicit PdfExportRequest(CalendarDocument document_)
        : document(std::move(document_))
    {
    }

    CalendarDocument document; ///< the pages' words, grids, dates and design
    PrintFormat format;
    QList<PdfPageSource> pages; ///< the cover (when the format has one) and the twelve months, in print order
    QString outputPath; ///< the PDF to write (replaced only once the new one is complete)
    PdfExportOptions options;
    QString projectPath; ///< the project file the masters are read from
    /**
     * Reads a master's bytes by blob id. Empty: ProjectStore::readBlobAt(
     * projectPath, …), which works from any thread while the project is
     * open in this process (the studio). A caller holding only a read-only
     * ProjectStore (the CLI) passes its store's readBlob() and exports on
     * the store's thread.
     */
    std::function<Result<QByteArray>(qint64 blobId)> readBlob;
};

/// What became of one page.
struct PdfPageReport {
    int page = 0; ///< 0 the cover, 1–12 in calendar order
    QString title; ///< "Cover", "July 2027", … in the calendar's language
    bool hasPicture = false; ///< false: the page shows the placeholder ("Picture to come")
    QSize photoPixels; ///< the embedded photo's pixel size (empty for the placeholder)
    QRect photoCrop; ///< the part of the master the photo shows, in master pixels
    double effectiveDpi = 0; ///< the master's native pixels over the photo's printed size, the smaller axis
    QList<CropWarning>
        warnings; ///< the page's crop warnings (CropPlanner), as the render and the crop editor show them
};

/// A finished export.
struct PdfExportResult {
    QString path;
    qint64 bytes = 0; ///< size of the PDF
    QSizeF pageSizePoints; ///< of every page
    QList<PdfPageReport> pages; ///< in print order
    /**
     * Faces detected during the export (masters without stored faces), by
     * master id, as MasterFaces::toJson(): store them with
     * ProjectStore::setMasterFaces so the next plan need not look again.
     */
    QHash<qint64, QJsonObject> detectedFaces;
};

/**
 * "Export PDF": the calendar as one print-ready PDF — the cover (when the
 * format has one) and the twelve months, one page each, drawn by the same
 * PageComposer as the studio's preview, so what the user saw is what prints.
 *
 * Every page is the format's trim plus its bleed on every side, in points
 * (72 per inch) with no margins: the composer draws the page on the whole
 * bleed box, so paper colour and full-width photos run into the bleed and
 * the printer's cut never leaves a white edge. With crop marks the page
 * grows by CropMarkAreaInches on every side and thin marks at the trim
 * corners start CropMarkGapInches outside the bleed (never on the printed
 * area). Qt 6.4 writes only a MediaBox, in whole points (exact for the
 * built-in formats: 810 × 630, 630 × 810, 882 × 882); no TrimBox or BleedBox.
 *
 * Photos: each page's photo is the master cut by the page's plan
 * (CropPlanner: the crop editor's crop, else SmartCrop's face-aware one).
 * When the layout's photo area is not the whole page (photo above the grid,
 * side by side, the cover), the plan's crop is narrowed to the area's
 * aspect around the faces (SmartCrop again, inside the plan's crop, faces
 * kept out of the binding zone). The photo is then rendered by Renderer
 * (Lanczos-3 from the lossless master, optional sharpening, sRGB) to
 * exactly the photo area's pixels at the format's DPI (300 for the built-in
 * formats), so nothing is resampled afterwards: the PDF shows it 1:1 at
 * that DPI.
 *
 * What Qt's PDF engine (Qt 6.4, qpdf.cpp) does with QPainter::drawImage:
 * it never resamples; it embeds the image's own pixels once per image (an
 * image drawn twice is one XObject) and places it with a matrix. A source
 * rectangle smaller than the image makes it copy that part first; formats
 * other than RGB32/ARGB32 are converted to ARGB32 and scanned for alpha.
 * It compresses with its JPEG writer at quality 94, baseline, 4:2:0 chroma
 * (/DCTDecode) — there is no way to hand it ready JPEG bytes, nor to change
 * quality or chroma — or, with QPainter::LosslessImageRendering, as raw RGB
 * deflated (/FlateDecode). So the photo reaches Qt as RGB32 pixels of the
 * exact size, decoded from a lossless render: JPEG compression happens
 * exactly once, from the lossless master (never a print JPEG decoded and
 * compressed again), or not at all with PdfExportOptions::losslessImages.
 * 4:2:0 means colour detail at 150 DPI, invisible at print viewing distance
 * for photographs; the lossless option is there for printers that ask.
 *
 * Memory: one page at a time — the master being decoded (about 48 MB for
 * 4096²), the page's photo and its compressed copy; Qt writes each image to
 * the file as it is drawn.
 *
 * The PDF is written to a temporary file beside `outputPath` and renamed
 * over it only when complete (QSaveFile): a cancelled or failed export
 * leaves no new file, and an older PDF of the same name stays as it was.
 *
 * Error codes:
 *  - "invalid_format": the format does not validate.
 *  - "cancelled": the progress callback asked to stop.
 *  - "unwritable": the folder is missing or refuses the file.
 *  - "disk_full": the disk ran out of space while writing.
 *  - "pdf_failed": Qt's PDF writer could not start.
 *  - a page's master could not be read or decoded, or its crop not planned:
 *    that error ("not_found", "corrupt_master", …) with the page named in
 *    the message; nothing is written then.
 */
class PdfExporter {
public:
    /// Extra paper around the bleed box on every side when crop marks are on, in inches.
    static constexpr double CropMarkAreaInches = 0.375;
    /// Space between the bleed edge and where a crop mark starts, in inches.
    static constexpr double CropMarkGapInches = 0.0625;
    /// Line width of crop marks, in points (hairline, as printers expect).
    static constexpr double CropMarkWidthPoints = 0.25;

    /**
     * Told how far the export is: (pages done, page count), first (0, n)
     * before any work, then after every page. Return false to cancel; the
     * export then stops before the next page and writes nothing. Called on
     * the exporting thread.
     */
    using Progress = std::function<bool(int done, int total)>;

    /**
     * The request for exporting the studio's open `project`: its in-memory
     * settings, pages, chosen masters and crops (even those autosave has
     * not written yet). Run on the project's thread; the export itself may
     * then run on any thread. Errors: "invalid_format", "not_found" (a
     * chosen master is gone).
     */
    static Result<PdfExportRequest> request(
        Project &project, const PrintFormat &format, const QString &outputPath, const PdfExportOptions &options = {});
    /// The same from a (read-only) store; export on the store's thread (readBlob is the store's).
    static Result<PdfExportRequest> request(const ProjectStore &store, const PrintFormat &format,
        const QString &outputPath, const PdfExportOptions &options = {});

    /// Writes the PDF. See the class comment for errors. Blocks; run it off the UI thread.
    static Result<PdfExportResult> exportPdf(const PdfExportRequest &request, const Progress &progress = {});

    /// request() then exportPdf() on this thread: for scripts and tests.
    static Result<PdfExportResult> exportPdf(Project &project, const PrintFormat &format, const QString &outputPath,
        const PdfExportOptions &options = {}, const Progress &progress = {});

    /// A page's size in points: (trim + 2 × bleed) × 72, plus 2 × CropMarkAreaInches × 72 with crop marks.
    static QSizeF pageSizePoints(const PrintFormat &format, bool cropMarks);

    /**
     * The eight crop marks of a page, in the units of `trim` and `page`:
     * at each trim corner one horizontal and one vertical line on the trim
     * edge's extension, from `gap` outside `bleed` to the edge of `page`.
     * Empty when the page leaves no room outside the bleed.
     */
    static QList<QLineF> cropMarkLines(const QRectF &trim, const QRectF &bleed, const QRectF &page, qreal gap);
};

} // namespace CalStudio
