#include "core/project/cropplanner.h"

#include "core/imaging/facedetector.h"
#include "core/imaging/smartcrop.h"
#include "core/project/projectstore.h"

#include <QCoreApplication>

#include <cmath>

namespace CalStudio {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CalStudio::CropPlanner", text);
}

QString pageName(int page)
{
    return page == 0 ? tr("the cover") : QLocale().standaloneMonthName(page);
}

} // namespace

QRect CropPlanner::fitUserCrop(const QRectF &userCrop, QSize masterSize, QSize aspect)
{
    const QRectF wanted(userCrop.x() * masterSize.width(), userCrop.y() * masterSize.height(),
                        userCrop.width() * masterSize.width(), userCrop.height() * masterSize.height());
    // The largest crop of the exact aspect inside the wanted rectangle's size (the editor keeps the
    // aspect, so this only absorbs rounding), then centred where the user put it and kept inside.
    const QSize largest = SmartCrop::largestCropSize(wanted.size().toSize().expandedTo(QSize(1, 1)), aspect);
    QSize size = largest.isEmpty() ? SmartCrop::largestCropSize(masterSize, aspect) : largest;
    size = size.boundedTo(SmartCrop::largestCropSize(masterSize, aspect));
    const QPointF centre = wanted.center();
    const int x = qBound(0, int(std::lround(centre.x() - size.width() / 2.0)), masterSize.width() - size.width());
    const int y = qBound(0, int(std::lround(centre.y() - size.height() / 2.0)), masterSize.height() - size.height());
    return QRect(QPoint(x, y), size);
}

Result<PagePlan> CropPlanner::plan(const MasterInfo &master, const MasterFaces &faces, const PrintFormat &format,
                                   int page, const std::optional<QRectF> &userCrop)
{
    const ImagePosition *position = format.position(page);
    if (!position)
        return Error(QStringLiteral("no_position"), tr("This format has no page for %1.").arg(pageName(page)),
                     QStringLiteral("%1 page %2").arg(format.id).arg(page));
    auto target = CropTarget::forPosition(format, page);
    if (!target)
        return target.error();
    const QSize masterSize(master.width, master.height);
    // Faces were found on the master itself (or a copy scaled to it): bring them to the master's size.
    const double fx = faces.imageSize.width() > 0 ? double(masterSize.width()) / faces.imageSize.width() : 1;
    const double fy = faces.imageSize.height() > 0 ? double(masterSize.height()) / faces.imageSize.height() : 1;
    QList<CropFace> cropFaces = faces.cropFaces();
    for (CropFace &f : cropFaces) {
        f.box = QRectF(f.box.x() * fx, f.box.y() * fy, f.box.width() * fx, f.box.height() * fy);
        if (f.leftEye)
            *f.leftEye = QPointF(f.leftEye->x() * fx, f.leftEye->y() * fy);
        if (f.rightEye)
            *f.rightEye = QPointF(f.rightEye->x() * fx, f.rightEye->y() * fy);
    }

    PagePlan plan;
    plan.page = page;
    plan.formatId = format.id;
    plan.outputPixels = position->pixels;
    for (const CropFace &f : std::as_const(cropFaces))
        plan.faces.append(f.box);

    if (userCrop) {
        plan.userCrop = true;
        plan.crop = fitUserCrop(*userCrop, masterSize, position->pixels);
        for (int i = 0; i < cropFaces.size(); ++i) {
            if (!SmartCrop::faceFits(plan.crop, cropFaces.at(i).box, *target))
                plan.cutFaces.append(i);
        }
    } else {
        CropRequest request;
        request.imageSize = masterSize;
        request.faces = cropFaces;
        request.target = *target;
        auto result = SmartCrop::plan(request);
        if (!result)
            return result.error();
        plan.crop = result->crop;
        plan.cutFaces = result->cutFaces;
    }

    // Effective DPI: the master's native pixels inside the crop over the printed size in inches.
    const QSizeF ppi = format.pixelsPerInch(page);
    const double nativeScaleX = master.nativeWidth > 0 ? double(master.nativeWidth) / master.width : 1;
    const double nativeScaleY = master.nativeHeight > 0 ? double(master.nativeHeight) / master.height : 1;
    const double dpiX = plan.crop.width() * nativeScaleX * ppi.width() / position->pixels.width();
    const double dpiY = plan.crop.height() * nativeScaleY * ppi.height() / position->pixels.height();
    plan.effectiveDpi = qMin(dpiX, dpiY);
    const int dpi = int(std::floor(plan.effectiveDpi));
    if (plan.effectiveDpi < PoorDpi)
        plan.warnings.append({CropWarning::Kind::VeryLowResolution,
                              tr("Only %1 DPI at this size: %2 will print visibly soft. Crop less tightly, or "
                                 "generate the picture at a higher resolution.")
                                  .arg(dpi)
                                  .arg(pageName(page))});
    else if (plan.effectiveDpi < GoodDpi)
        plan.warnings.append({CropWarning::Kind::LowResolution,
                              tr("%1 DPI at this size: %2 may print slightly soft.").arg(dpi).arg(pageName(page))});
    if (!plan.cutFaces.isEmpty())
        plan.warnings.append({CropWarning::Kind::FaceCut,
                              plan.cutFaces.size() == 1
                                  ? tr("A face on %1 is cut or too close to the edge.").arg(pageName(page))
                                  : tr("%1 faces on %2 are cut or too close to the edge.")
                                        .arg(plan.cutFaces.size())
                                        .arg(pageName(page))});
    // A face in the binding/hanger zone: map the zone (fractions of the output) onto the crop.
    if (!target->bindingZone.isEmpty()) {
        const QRectF zone(plan.crop.x() + target->bindingZone.x() * plan.crop.width(),
                          plan.crop.y() + target->bindingZone.y() * plan.crop.height(),
                          target->bindingZone.width() * plan.crop.width(),
                          target->bindingZone.height() * plan.crop.height());
        const bool inBinding = std::any_of(plan.faces.begin(), plan.faces.end(),
                                           [&zone](const QRectF &face) { return zone.intersects(face); });
        if (inBinding)
            plan.warnings.append({CropWarning::Kind::FaceInBinding,
                                  tr("A face on %1 reaches into the binding, where the wire or hanger goes.")
                                      .arg(pageName(page))});
    }
    return plan;
}

Result<MasterFaces> CropPlanner::facesFor(const QString &projectPath, const MasterInfo &master,
                                          const std::optional<QJsonObject> &stored, bool *detected)
{
    if (detected)
        *detected = false;
    if (stored) {
        if (auto faces = MasterFaces::fromJson(*stored))
            return faces;
    }
    auto bytes = ProjectStore::readBlobAt(projectPath, master.blobId);
    if (!bytes)
        return bytes.error();
    auto detector = FaceDetector::create();
    if (!detector)
        return detector.error();
    auto faces = MasterFaces::detect(*bytes, *detector);
    if (faces && detected)
        *detected = true;
    return faces;
}

} // namespace CalStudio
