#include "qml/pagepreviewjob.h"

#include "core/imaging/draftlabel.h"

#include "core/imaging/previewcache.h"
#include "core/imaging/renderer.h"
#include "core/project/projectstore.h"
#include "qml/pagephoto.h"
#include "qml/qmllogging.h"

#include <QColorSpace>
#include <QElapsedTimer>

#include <cmath>

namespace CalStudio {

namespace {

/// `crop` (master pixels) cut from `copy` (the master reduced) and scaled to exactly `size`.
QImage cutFromCopy(const QImage &copy, QSize masterSize, const QRect &crop, QSize size)
{
    if (copy.isNull() || masterSize.isEmpty() || crop.isEmpty() || size.isEmpty())
        return {};
    const double sx = double(copy.width()) / masterSize.width();
    const double sy = double(copy.height()) / masterSize.height();
    const QRect source = QRectF(crop.x() * sx, crop.y() * sy, crop.width() * sx, crop.height() * sy)
                             .toAlignedRect()
                             .intersected(copy.rect());
    return copy.copy(source).scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
}

QImage scaledTo(const QImage &photo, QSize size)
{
    if (photo.isNull() || size.isEmpty())
        return {};
    return photo.size() == size ? photo : photo.scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
}

} // namespace

QString PagePreviewJob::cacheFormatId(const QString &formatId, int cropPage)
{
    return QStringLiteral("%1/%2").arg(formatId).arg(cropPage);
}

Result<QImage> PagePreviewJob::reducedCopy(const QString &projectPath, const MasterInfo &master, int longEdge)
{
    auto bytes = ProjectStore::readBlobAt(projectPath, master.blobId);
    if (!bytes)
        return bytes.error();
    auto renderer = Renderer::load(*bytes);
    if (!renderer)
        return renderer.error();
    QImage copy = renderer->scaledCopy(longEdge);
    if (copy.isNull())
        return Error(QStringLiteral("render_failed"), QObject::tr("The picture could not be shown."),
            QStringLiteral("scaled copy of master %1 failed").arg(master.id));
    return copy;
}

PagePreviewResult PagePreviewJob::run(const PagePreviewRequest &request)
{
    QElapsedTimer timer;
    timer.start();
    PagePreviewResult result;
    result.page = request.page;
    result.masterId = request.master.id;
    result.masterHash = request.masterHash;
    result.quick = !request.reducedCopy.isNull();
    const CalendarDocument &document = *request.document;
    const QSize masterSize(request.master.width, request.master.height);
    const bool hasMaster = request.master.id > 0 && !masterSize.isEmpty();

    // The master's bytes are read at most once, and only when something needs them.
    std::optional<QByteArray> bytes;
    const auto readBytes = [&]() -> Result<QByteArray> {
        if (!bytes) {
            auto read = ProjectStore::readBlobAt(request.projectPath, request.master.blobId);
            if (!read)
                return read.error();
            bytes = std::move(*read);
        }
        return *bytes;
    };

    if (hasMaster) {
        result.faces = request.faces;
        if (!result.faces) {
            auto faces = CropPlanner::facesFor(
                request.projectPath, request.master, request.storedFaces, &result.facesDetected);
            if (faces)
                result.faces = std::move(*faces);
            else
                result.error = faces.error();
        }
        if (result.masterHash.isEmpty() && result.error.isNull() && !result.quick) {
            auto read = readBytes();
            if (read)
                result.masterHash = PreviewCache::contentHash(*read);
            else
                result.error = read.error();
        }
    }

    // Plans and the photo area's crop per format.
    struct Work {
        PagePreviewFormatResult out;
        QSize pageSize; ///< the position's pixels (the page's aspect)
        QRectF photoArea; ///< in the position's pixels
        QSize photoSize; ///< of the cached picture
    };
    QList<Work> work;
    for (const PagePreviewFormat &f : request.formats) {
        Work w;
        w.out.formatId = f.format.id;
        const ImagePosition *position = f.format.position(request.cropPage);
        w.pageSize = position ? position->pixels : QSize(1, 1);
        w.photoArea = PagePhoto::photoArea(document, request.page, QSizeF(w.pageSize));
        if (hasMaster && result.error.isNull() && result.faces) {
            auto plan = CropPlanner::plan(request.master, *result.faces, f.format, request.cropPage, f.userCrop);
            if (plan) {
                w.out.plan = *plan;
                w.out.photoCrop = PagePhoto::fitToArea(*plan, *result.faces, masterSize, f.format, w.photoArea);
                if (!f.userCrop) {
                    w.out.autoCrop = plan->crop;
                } else if (auto automatic
                    = CropPlanner::plan(request.master, *result.faces, f.format, request.cropPage, std::nullopt)) {
                    w.out.autoCrop = automatic->crop;
                }
                const QSize page = PagePhoto::scaledToLongEdge(QSizeF(w.pageSize), request.photoEdge);
                const double scale = double(page.width()) / w.pageSize.width();
                w.photoSize = QSize(qMax(1, int(std::lround(w.photoArea.width() * scale))),
                    qMax(1, int(std::lround(w.photoArea.height() * scale))));
            } else {
                w.out.error = plan.error();
            }
        }
        work.append(w);
    }

    // The pictures: from the reduced copy (quick), else from the cache — one decode for all misses.
    QList<QImage> photos(work.size());
    if (hasMaster && result.error.isNull()) {
        if (result.quick) {
            // Cut at each composed size below, straight from the copy.
        } else if (request.cache) {
            QList<PreviewRequest> requests;
            QList<qsizetype> indices;
            for (qsizetype i = 0; i < work.size(); ++i) {
                if (!work[i].out.plan || work[i].out.photoCrop.isEmpty())
                    continue;
                PreviewRequest r;
                r.masterHash = result.masterHash;
                r.crop = work[i].out.photoCrop;
                r.size = work[i].photoSize;
                r.formatId = cacheFormatId(work[i].out.formatId, request.cropPage);
                r.draftLabel = request.master.provider == QLatin1String("offline");
                requests.append(r);
                indices.append(i);
            }
            auto previews = request.cache->getAll(requests, readBytes);
            if (previews) {
                for (qsizetype k = 0; k < indices.size(); ++k) {
                    QImage decoded = QImage::fromData(previews->at(k).bytes, "JPEG");
                    if (decoded.isNull()) {
                        work[indices[k]].out.error
                            = Error(QStringLiteral("render_failed"), QObject::tr("The preview could not be shown."));
                        continue;
                    }
                    if (!decoded.colorSpace().isValid())
                        decoded.setColorSpace(QColorSpace::SRgb);
                    photos[indices[k]] = decoded;
                }
            } else {
                qCWarning(lcQml) << "previews of page" << request.page << "not rendered:" << previews.error();
                for (const qsizetype i : std::as_const(indices))
                    work[i].out.error = previews.error();
            }
        }
    }

    // The composed pages: the photo scaled to the area it fills at each size, then the calendar around it.
    for (qsizetype i = 0; i < work.size(); ++i) {
        Work &w = work[i];
        const auto composeAt = [&](int longEdge) {
            const QSize size = PagePhoto::scaledToLongEdge(QSizeF(w.pageSize), longEdge);
            const QRectF area = PagePhoto::photoArea(document, request.page, QSizeF(size));
            const QSize areaSize(qMax(1, int(std::lround(area.width()))), qMax(1, int(std::lround(area.height()))));
            QImage photo;
            if (result.quick && w.out.plan && result.error.isNull()) {
                photo = cutFromCopy(request.reducedCopy, masterSize, w.out.photoCrop, areaSize);
                // An offline draft keeps its label whatever the crop cut away (the cached pictures have it burned in).
                if (request.master.provider == QLatin1String("offline") && !photo.isNull())
                    if (auto labelled = DraftLabel::draw(photo))
                        photo = *labelled;
            } else {
                photo = scaledTo(photos[i], areaSize);
            }
            return PagePhoto::compose(document, request.page, size, photo);
        };
        w.out.tile = composeAt(request.tileEdge);
        if (request.formats.at(i).zoom)
            w.out.zoom = composeAt(request.zoomEdge);
        result.formats.append(std::move(w.out));
    }
    result.elapsedMs = double(timer.nsecsElapsed()) / 1e6;
    return result;
}

} // namespace CalStudio
