#include "core/project/pdfexporter.h"

#include "core/imaging/facedetector.h"
#include "core/imaging/masterfaces.h"
#include "core/imaging/renderer.h"
#include "core/imaging/smartcrop.h"
#include "core/project/project.h"
#include "core/project/projectlogging.h"
#include "core/project/projectstore.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QPageLayout>
#include <QPageSize>
#include <QPaintDevice>
#include <QPaintEngine>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTransform>

#include <climits>
#include <cmath>

namespace CalStudio {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CalStudio::PdfExporter", text);
}

/// The page's own error, with the page named so the user knows which picture to look at.
Error pageError(const Error &error, const QString &pageTitle)
{
    return Error(error.code, tr("%1: %2").arg(pageTitle, error.userMessage), error.detail);
}

Error writeError(const QFileDevice &file, const QString &path)
{
    const QString name = QFileInfo(path).fileName();
    if (file.error() == QFileDevice::ResourceError)
        return Error(QStringLiteral("disk_full"),
            tr("The disk is full, so “%1” could not be written. Free some space and export again.").arg(name),
            file.errorString());
    return Error(QStringLiteral("unwritable"),
        tr("“%1” could not be written: the folder is missing or does not allow it. Choose another folder.").arg(name),
        QStringLiteral("%1: %2").arg(path, file.errorString()));
}

/**
 * Draws nothing and notes where images go. The composer decides where a
 * page's photo sits (and keeps the cover's layout to itself), so the export
 * asks it by painting the page once on this device with a stand-in photo:
 * the photo is then made to exactly that rectangle's pixels, whatever the
 * layout, and Qt never has to scale it.
 */
class PhotoProbeEngine final : public QPaintEngine {
public:
    PhotoProbeEngine()
        : QPaintEngine(QPaintEngine::AllFeatures)
    {
    }

    bool begin(QPaintDevice *) override { return true; }
    bool end() override { return true; }
    void updateState(const QPaintEngineState &state) override
    {
        if (state.state() & QPaintEngine::DirtyTransform)
            m_transform = state.transform();
    }
    void drawImage(const QRectF &r, const QImage &, const QRectF &, Qt::ImageConversionFlags) override
    {
        area = area.united(m_transform.mapRect(r));
    }
    void drawPixmap(const QRectF &r, const QPixmap &, const QRectF &) override
    {
        area = area.united(m_transform.mapRect(r));
    }
    // Text, fills and lines: nothing to draw and nothing to learn.
    void drawPath(const QPainterPath &) override { }
    void drawPolygon(const QPointF *, int, PolygonDrawMode) override { }
    void drawPolygon(const QPoint *, int, PolygonDrawMode) override { }
    void drawTextItem(const QPointF &, const QTextItem &) override { }
    Type type() const override { return QPaintEngine::User; }

    QRectF area;

private:
    QTransform m_transform;
};

class PhotoProbe final : public QPaintDevice {
public:
    PhotoProbe(QSize size, int dpi)
        : m_size(size)
        , m_dpi(dpi)
    {
    }
    ~PhotoProbe() override = default;
    QPaintEngine *paintEngine() const override { return &m_engine; }
    [[nodiscard]] QRectF area() const { return m_engine.area; }

protected:
    // The PDF writer's metrics, so fonts are measured as they will be on the page.
    int metric(PaintDeviceMetric metric) const override
    {
        switch (metric) {
        case PdmWidth:
            return m_size.width();
        case PdmHeight:
            return m_size.height();
        case PdmWidthMM:
            return qRound(m_size.width() * 25.4 / m_dpi);
        case PdmHeightMM:
            return qRound(m_size.height() * 25.4 / m_dpi);
        case PdmNumColors:
            return INT_MAX;
        case PdmDepth:
            return 32;
        case PdmDpiX:
        case PdmDpiY:
        case PdmPhysicalDpiX:
        case PdmPhysicalDpiY:
            return m_dpi;
        case PdmDevicePixelRatio:
            return 1;
        case PdmDevicePixelRatioScaled:
            return int(devicePixelRatioFScale());
        }
        return 0;
    }

private:
    QSize m_size;
    int m_dpi;
    mutable PhotoProbeEngine m_engine;
};

/// Geometry of one PDF page, in device units (1 / targetDpi inch), origin at the page's top-left.
struct PageFrame {
    QSize device; ///< the whole page
    QRectF bleed; ///< the bleed box: where the composer draws
    QRectF trim;
};

PageFrame pageFrame(const PrintFormat &format, bool cropMarks)
{
    const double dpi = format.targetDpi;
    const double mark = cropMarks ? PdfExporter::CropMarkAreaInches * dpi : 0;
    const double bleed = format.bleedInches * dpi;
    PageFrame f;
    f.bleed
        = QRectF(mark, mark, format.trimInches.width() * dpi + 2 * bleed, format.trimInches.height() * dpi + 2 * bleed);
    f.trim = f.bleed.adjusted(bleed, bleed, -bleed, -bleed);
    f.device = QSize(qRound(f.bleed.width() + 2 * mark), qRound(f.bleed.height() + 2 * mark));
    return f;
}

/// Where the composer puts the photo of `page` on `frame`; empty when the layout shows none.
QRectF photoArea(
    const PageComposer &composer, const CalendarDocument &document, int page, const PageFrame &frame, int dpi)
{
    PhotoProbe probe(frame.device, dpi);
    QPainter painter(&probe);
    QImage standIn(1, 1, QImage::Format_RGB32);
    standIn.fill(Qt::gray);
    if (page == 0) {
        CoverPageContent content = document.cover();
        content.photo = standIn;
        composer.paintCover(painter, frame.bleed, content);
    } else {
        MonthPageContent content = document.monthPage(page);
        content.photo = standIn;
        composer.paintMonth(painter, frame.bleed, content);
    }
    painter.end();
    return probe.area();
}

/**
 * The plan's crop narrowed to the photo area's aspect: SmartCrop again, on
 * the plan's crop as the picture, so the faces stay whole (and out of the
 * binding zone, `faceArea`) with the same headroom and thirds.
 */
QRect fitCropToArea(const PagePlan &plan, QSize areaPixels, const QRectF &faceArea)
{
    const QRect &crop = plan.crop;
    // Same aspect to within a pixel (a full-bleed page): the plan's crop as it is, a hand-made one untouched.
    if (std::abs(double(crop.width()) * areaPixels.height() / areaPixels.width() - crop.height()) < 1)
        return crop;
    CropRequest request;
    request.imageSize = crop.size();
    for (const QRectF &face : plan.faces) {
        const QRectF inside = face.translated(-crop.topLeft()).intersected(QRectF(QPointF(0, 0), crop.size()));
        if (!inside.isEmpty())
            request.faces.append(CropFace { inside, std::nullopt, std::nullopt, 1 });
    }
    request.target.outputPixels = areaPixels;
    request.target.faceArea = faceArea;
    if (auto fitted = SmartCrop::plan(request))
        return fitted->crop.translated(crop.topLeft());
    // Only a degenerate crop gets here (narrower than a pixel in the area's aspect): the centre.
    const QSize size = SmartCrop::largestCropSize(crop.size(), areaPixels).expandedTo(QSize(1, 1));
    return QRect(crop.center() - QPoint(size.width() / 2, size.height() / 2), size).intersected(crop);
}

/// Where faces may be inside the photo area (out of the bleed, safe margin and binding), normalized to the area.
QRectF faceAreaOf(const PrintFormat &format, int page, const PageFrame &frame, const QRectF &area)
{
    const ImagePosition *position = format.position(page);
    const QRectF clear = format.clearRect(page);
    if (!position || clear.isEmpty() || area.isEmpty())
        return QRectF(0, 0, 1, 1);
    const double sx = frame.bleed.width() / position->pixels.width();
    const double sy = frame.bleed.height() / position->pixels.height();
    const QRectF clearOnPage(
        frame.bleed.x() + clear.x() * sx, frame.bleed.y() + clear.y() * sy, clear.width() * sx, clear.height() * sy);
    const QRectF inArea = clearOnPage.intersected(area);
    if (inArea.width() < area.width() * 0.1 || inArea.height() < area.height() * 0.1)
        return QRectF(0, 0, 1, 1);
    return QRectF((inArea.x() - area.x()) / area.width(), (inArea.y() - area.y()) / area.height(),
        inArea.width() / area.width(), inArea.height() / area.height());
}

/// One page's photo, ready to draw, and what the report says about it.
struct PagePhoto {
    QImage image;
    QRect crop;
    double effectiveDpi = 0;
    QList<CropWarning> warnings;
    std::optional<QJsonObject> detectedFaces;
};

/// Lazily created: most exports find every master's faces stored and never need it.
class DetectorHolder {
public:
    Result<const FaceDetector *> get()
    {
        if (!m_detector) {
            auto created = FaceDetector::create();
            if (!created)
                return created.error();
            m_detector.emplace(std::move(*created));
        }
        return &*m_detector;
    }

private:
    std::optional<FaceDetector> m_detector;
};

Result<PagePhoto> makePhoto(const PdfExportRequest &request, const PdfPageSource &source, const QRectF &area,
    const PageFrame &frame, DetectorHolder &detectors)
{
    const MasterInfo &info = *source.master;
    auto bytes
        = request.readBlob ? request.readBlob(info.blobId) : ProjectStore::readBlobAt(request.projectPath, info.blobId);
    if (!bytes)
        return bytes.error();
    // Decoded once: faces (when not stored yet) and the photo come from this one copy.
    auto master = Renderer::load(*bytes);
    if (!master)
        return master.error();
    bytes->clear();

    PagePhoto photo;
    std::optional<MasterFaces> faces;
    if (source.faces) {
        if (auto stored = MasterFaces::fromJson(*source.faces))
            faces = *stored;
    }
    if (!faces) {
        auto detector = detectors.get();
        if (!detector)
            return detector.error();
        faces = MasterFaces::detect(master->scaledCopy(FaceDetector::MaxDetectionEdge), master->size(), **detector);
        photo.detectedFaces = faces->toJson();
    }
    // Crops, positions and plans are keyed by month entry (0 cover, 1–12 January–December), pages by calendar order.
    const int entry = request.document.monthEntryIndex(source.page);
    auto plan = CropPlanner::plan(info, *faces, request.format, entry, source.userCrop);
    if (!plan)
        return plan.error();
    photo.warnings = plan->warnings;

    const QSize pixels(qMax(1, qRound(area.width())), qMax(1, qRound(area.height())));
    photo.crop = fitCropToArea(*plan, pixels, faceAreaOf(request.format, entry, frame, area));
    const double nativeX = info.nativeWidth > 0 && info.width > 0 ? double(info.nativeWidth) / info.width : 1;
    const double nativeY = info.nativeHeight > 0 && info.height > 0 ? double(info.nativeHeight) / info.height : 1;
    const double dpi = request.format.targetDpi;
    photo.effectiveDpi = qMin(
        photo.crop.width() * nativeX * dpi / pixels.width(), photo.crop.height() * nativeY * dpi / pixels.height());

    // PNG, not a print JPEG: decoded again below, it reaches Qt's PDF writer as the exact lossless
    // pixels, so the only lossy step is the writer's own JPEG (see the class comment).
    RenderOutput output { photo.crop, pixels, RenderKind::PrintPng, request.options.sharpen,
        request.format.targetDpi, QString() };
    output.draftLabel = info.provider == QLatin1String("offline"); // a draft stays labelled, whatever the crop
    auto rendered = std::move(*master).render(QList<RenderOutput> { output });
    if (!rendered)
        return rendered.error();
    QImage image;
    if (!image.loadFromData(rendered->constFirst().bytes, "PNG"))
        return Error(QStringLiteral("render_failed"), tr("The picture could not be prepared for the PDF."),
            QStringLiteral("decoding the rendered PNG failed"));
    // RGB32 is what Qt's PDF engine embeds as it is; anything else it converts and scans for alpha first.
    if (image.format() != QImage::Format_RGB32)
        image = std::move(image).convertToFormat(QImage::Format_RGB32);
    photo.image = std::move(image);
    return photo;
}

void drawCropMarks(QPainter &painter, const PageFrame &frame, int dpi)
{
    const QRectF page(QPointF(0, 0), QSizeF(frame.device));
    const QList<QLineF> lines
        = PdfExporter::cropMarkLines(frame.trim, frame.bleed, page, PdfExporter::CropMarkGapInches * dpi);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(Qt::black, PdfExporter::CropMarkWidthPoints * dpi / 72.0, Qt::SolidLine, Qt::FlatCap));
    painter.drawLines(lines);
    painter.restore();
}

QList<int> printedPages(const PrintFormat &format)
{
    QList<int> pages;
    for (int page = 0; page < CalendarDocument::PageCount; ++page) {
        if (format.position(page))
            pages.append(page);
    }
    return pages;
}

} // namespace

QSizeF PdfExporter::pageSizePoints(const PrintFormat &format, bool cropMarks)
{
    const double extra = 2 * format.bleedInches + (cropMarks ? 2 * CropMarkAreaInches : 0);
    return QSizeF((format.trimInches.width() + extra) * 72, (format.trimInches.height() + extra) * 72);
}

QList<QLineF> PdfExporter::cropMarkLines(const QRectF &trim, const QRectF &bleed, const QRectF &page, qreal gap)
{
    const qreal left = bleed.left() - gap;
    const qreal right = bleed.right() + gap;
    const qreal top = bleed.top() - gap;
    const qreal bottom = bleed.bottom() + gap;
    if (left <= page.left() || right >= page.right() || top <= page.top() || bottom >= page.bottom())
        return {};
    return {
        // Horizontal marks on the extension of the top and bottom trim edges.
        QLineF(page.left(), trim.top(), left, trim.top()),
        QLineF(right, trim.top(), page.right(), trim.top()),
        QLineF(page.left(), trim.bottom(), left, trim.bottom()),
        QLineF(right, trim.bottom(), page.right(), trim.bottom()),
        // Vertical marks on the extension of the left and right trim edges.
        QLineF(trim.left(), page.top(), trim.left(), top),
        QLineF(trim.right(), page.top(), trim.right(), top),
        QLineF(trim.left(), bottom, trim.left(), page.bottom()),
        QLineF(trim.right(), bottom, trim.right(), page.bottom()),
    };
}

Result<PdfExportRequest> PdfExporter::request(
    Project &project, const PrintFormat &format, const QString &outputPath, const PdfExportOptions &options)
{
    if (auto valid = format.validate(); !valid)
        return valid.error();
    PdfExportRequest request(CalendarDocument::fromProject(project));
    request.format = format;
    request.outputPath = outputPath;
    request.options = options;
    request.projectPath = project.path();
    for (const int page : printedPages(format)) {
        PdfPageSource source;
        source.page = page;
        source.userCrop = project.userCrop(request.document.monthEntryIndex(page), format.id);
        const qint64 masterId = project.month(request.document.monthEntryIndex(page)).masterId;
        if (masterId > 0) {
            auto info = project.store().masterInfo(masterId);
            if (!info)
                return pageError(info.error(), request.document.pageTitle(page));
            source.master = *info;
            if (auto faces = project.store().masterFaces(masterId); faces && *faces)
                source.faces = **faces;
        }
        request.pages.append(source);
    }
    return request;
}

Result<PdfExportRequest> PdfExporter::request(
    const ProjectStore &store, const PrintFormat &format, const QString &outputPath, const PdfExportOptions &options)
{
    if (auto valid = format.validate(); !valid)
        return valid.error();
    auto document = CalendarDocument::fromStore(store);
    if (!document)
        return document.error();
    auto masters = store.masters();
    if (!masters)
        return masters.error();
    auto crops = store.loadUserCrops();
    if (!crops)
        return crops.error();
    PdfExportRequest request(std::move(*document));
    request.format = format;
    request.outputPath = outputPath;
    request.options = options;
    request.projectPath = store.path();
    request.readBlob = [&store](qint64 blobId) { return store.readBlob(blobId); };
    for (const int page : printedPages(format)) {
        PdfPageSource source;
        source.page = page;
        if (const auto crop = crops->constFind(CropKey(request.document.monthEntryIndex(page), format.id));
            crop != crops->constEnd())
            source.userCrop = *crop;
        const int month = request.document.monthEntryIndex(page);
        for (const MasterInfo &info : std::as_const(*masters)) {
            if (info.month != month)
                continue;
            source.master = info;
            if (auto faces = store.masterFaces(info.id); faces && *faces)
                source.faces = **faces;
        }
        request.pages.append(source);
    }
    return request;
}

Result<PdfExportResult> PdfExporter::exportPdf(Project &project, const PrintFormat &format, const QString &outputPath,
    const PdfExportOptions &options, const Progress &progress)
{
    auto request = PdfExporter::request(project, format, outputPath, options);
    if (!request)
        return request.error();
    return exportPdf(*request, progress);
}

Result<PdfExportResult> PdfExporter::exportPdf(const PdfExportRequest &request, const Progress &progress)
{
    const PrintFormat &format = request.format;
    if (auto valid = format.validate(); !valid)
        return valid.error();
    const Error cancelled(QStringLiteral("cancelled"), tr("The PDF export was cancelled; no file was written."));
    const int total = int(request.pages.size());
    if (progress && !progress(0, total))
        return cancelled;

    QSaveFile file(request.outputPath);
    file.setDirectWriteFallback(false); // never write in place: a failure must not leave half a PDF
    if (!file.open(QIODevice::WriteOnly))
        return writeError(file, request.outputPath);

    const int dpi = format.targetDpi;
    const PageFrame frame = pageFrame(format, request.options.cropMarks);
    QPdfWriter writer(&file);
    writer.setResolution(dpi);
    writer.setCreator(QStringLiteral("Calendar Studio"));
    writer.setTitle(request.document.settings().title);
    QPageLayout layout(QPageSize(pageSizePoints(format, request.options.cropMarks), QPageSize::Point, QString(),
                           QPageSize::ExactMatch),
        QPageLayout::Portrait, QMarginsF(), QPageLayout::Point);
    layout.setMode(QPageLayout::FullPageMode);
    if (!writer.setPageLayout(layout))
        return Error(QStringLiteral("pdf_failed"), tr("The PDF could not be started for this page size."),
            QStringLiteral("QPdfWriter refused the page layout of %1").arg(format.id));
    QPainter painter;
    if (!painter.begin(&writer))
        return file.error() != QFileDevice::NoError
            ? writeError(file, request.outputPath)
            : Error(
                QStringLiteral("pdf_failed"), tr("The PDF could not be started."), QStringLiteral("QPainter::begin"));
    if (request.options.losslessImages)
        painter.setRenderHint(QPainter::LosslessImageRendering);

    const PageComposer composer = request.document.composer();
    PdfExportResult result;
    result.path = request.outputPath;
    result.pageSizePoints = pageSizePoints(format, request.options.cropMarks);
    DetectorHolder detectors;
    for (int i = 0; i < total; ++i) {
        const PdfPageSource &source = request.pages.at(i);
        const QString title = request.document.pageTitle(source.page);
        PdfPageReport report;
        report.page = source.page;
        report.title = title;

        // The heavy part first, before the page exists: a failure leaves nothing half-drawn.
        QImage photo;
        if (source.master) {
            const QRectF area = photoArea(composer, request.document, source.page, frame, dpi);
            if (!area.isEmpty()) {
                auto made = makePhoto(request, source, area, frame, detectors);
                if (!made)
                    return pageError(made.error(), title);
                photo = std::move(made->image);
                report.hasPicture = true;
                report.photoPixels = photo.size();
                report.photoCrop = made->crop;
                report.effectiveDpi = made->effectiveDpi;
                report.warnings = made->warnings;
                if (made->detectedFaces)
                    result.detectedFaces.insert(source.master->id, *made->detectedFaces);
            }
        }

        if (i > 0 && !writer.newPage())
            return writeError(file, request.outputPath);
        painter.save();
        // Only the bleed box is the calendar; the margin around it is for the crop marks alone.
        painter.setClipRect(frame.bleed);
        if (source.page == 0) {
            CoverPageContent content = request.document.cover();
            content.photo = photo;
            composer.paintCover(painter, frame.bleed, content);
        } else {
            MonthPageContent content = request.document.monthPage(source.page);
            content.photo = photo;
            composer.paintMonth(painter, frame.bleed, content);
        }
        painter.restore();
        if (request.options.cropMarks)
            drawCropMarks(painter, frame, dpi);
        result.pages.append(report);
        // Qt has written the photo into the file by now; this page's pixels go before the next page's come.
        photo = QImage();

        if (file.error() != QFileDevice::NoError)
            return writeError(file, request.outputPath);
        if (progress && !progress(i + 1, total))
            return cancelled;
    }
    if (!painter.end() || file.error() != QFileDevice::NoError)
        return writeError(file, request.outputPath);
    result.bytes = file.size();
    if (!file.commit())
        return writeError(file, request.outputPath);
    qCInfo(lcProject, "PDF of %d pages written: %lld bytes", total, result.bytes);
    return result;
}

} // namespace CalStudio
