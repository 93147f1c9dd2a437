#include "qml/pagephoto.h"

#include "core/calendar/pagecomposer.h"
#include "core/imaging/smartcrop.h"

#include <QPainter>

#include <cmath>

namespace CalStudio {

namespace {

/// The cover's photo band: PageComposer::paintCover draws the picture over the top 74 % of the page.
constexpr qreal CoverPhotoShare = 0.74;

/// The largest crop of `aspect` inside `bounds`, centred in it.
QRect centredCrop(const QRect &bounds, QSize aspect)
{
    const QSize size = SmartCrop::largestCropSize(bounds.size(), aspect);
    if (size.isEmpty())
        return bounds;
    return QRect(bounds.x() + (bounds.width() - size.width()) / 2, bounds.y() + (bounds.height() - size.height()) / 2,
        size.width(), size.height());
}

} // namespace

QRectF PagePhoto::photoArea(const CalendarDocument &document, int page, QSizeF pageSize)
{
    const QRectF rect(QPointF(0, 0), pageSize);
    if (page <= 0)
        return QRectF(0, 0, pageSize.width(), pageSize.height() * CoverPhotoShare);
    return document.composer().monthGeometry(rect, document.monthPage(page)).photo;
}

QRect PagePhoto::fitToArea(const PagePlan &plan, const MasterFaces &faces, QSize masterSize, const PrintFormat &format,
    const QRectF &photoArea)
{
    const QSizeF page(plan.outputPixels);
    if (plan.crop.isEmpty() || page.isEmpty() || photoArea.isEmpty())
        return plan.crop;
    // A photo area within a pixel of the page is the page (full bleed): nothing to fit.
    if (std::abs(photoArea.width() - page.width()) < 1 && std::abs(photoArea.height() - page.height()) < 1)
        return plan.crop;

    // The output of the fit: the photo area in the position's pixels; its aspect is the area's.
    CropTarget target;
    target.outputPixels = photoArea.size().toSize().expandedTo(QSize(1, 1));
    // Faces belong inside the position's clear area (safe margin, no binding), where it covers the photo area.
    const QRectF clear = format.clearRect(plan.page).intersected(photoArea);
    if (!clear.isEmpty()) {
        target.faceArea
            = QRectF((clear.x() - photoArea.x()) / photoArea.width(), (clear.y() - photoArea.y()) / photoArea.height(),
                clear.width() / photoArea.width(), clear.height() / photoArea.height());
    }
    const QRectF binding = format.bindingRect(plan.page).intersected(photoArea);
    if (!binding.isEmpty()) {
        target.bindingZone = QRectF((binding.x() - photoArea.x()) / photoArea.width(),
            (binding.y() - photoArea.y()) / photoArea.height(), binding.width() / photoArea.width(),
            binding.height() / photoArea.height());
    }

    // The plan's faces in the crop's own pixels; faces the plan already cuts do not steer the fit.
    const double fx = faces.imageSize.width() > 0 ? double(masterSize.width()) / faces.imageSize.width() : 1;
    const double fy = faces.imageSize.height() > 0 ? double(masterSize.height()) / faces.imageSize.height() : 1;
    const QList<CropFace> all = faces.cropFaces();
    CropRequest request;
    request.imageSize = plan.crop.size();
    request.target = target;
    const QPointF origin = plan.crop.topLeft();
    for (int i = 0; i < all.size(); ++i) {
        if (plan.cutFaces.contains(i))
            continue;
        CropFace f = all.at(i);
        f.box
            = QRectF(f.box.x() * fx - origin.x(), f.box.y() * fy - origin.y(), f.box.width() * fx, f.box.height() * fy);
        if (f.leftEye)
            *f.leftEye = QPointF(f.leftEye->x() * fx - origin.x(), f.leftEye->y() * fy - origin.y());
        if (f.rightEye)
            *f.rightEye = QPointF(f.rightEye->x() * fx - origin.x(), f.rightEye->y() * fy - origin.y());
        request.faces.append(f);
    }
    auto fitted = SmartCrop::plan(request);
    if (!fitted)
        return centredCrop(plan.crop, target.outputPixels);
    return fitted->crop.translated(plan.crop.topLeft());
}

QImage PagePhoto::compose(const CalendarDocument &document, int page, QSize pageSize, const QImage &photo)
{
    const PageComposer composer = document.composer();
    if (page <= 0) {
        CoverPageContent content = document.cover();
        content.photo = photo;
        return composer.renderCover(pageSize, content);
    }
    MonthPageContent content = document.monthPage(page);
    content.photo = photo;
    return composer.renderMonth(pageSize, content);
}

QSize PagePhoto::scaledToLongEdge(QSizeF size, int longEdge)
{
    if (size.isEmpty())
        return QSize(longEdge, longEdge);
    const qreal scale = longEdge / qMax(size.width(), size.height());
    return QSize(qMax(1, int(std::lround(size.width() * scale))), qMax(1, int(std::lround(size.height() * scale))));
}

} // namespace CalStudio
