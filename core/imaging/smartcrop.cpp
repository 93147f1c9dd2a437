#include "core/imaging/smartcrop.h"

#include "core/commerce/printformat.h"
#include "core/imaging/imaginglogging.h"
#include "core/imaging/vipsinit.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <vips/vips8>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>

namespace CalStudio {

namespace {

using Int = qint64;

QString tr(const char *text)
{
    return QCoreApplication::translate("CalStudio::SmartCrop", text);
}

// Beyond this the integer rounding below could overflow; no print file or
// master comes near it.
constexpr Int MaxEdge = 1'000'000;

// Where the eyes sit in a face box when there are no landmarks: YuNet's and
// the Haar cascade's boxes run from the brow to the chin.
constexpr double EyeLineInBox = 0.4;

// Headroom levels tried in order: the full headroom, half of it, none.
constexpr double HeadroomLevels[] = { 1.0, 0.5, 0.0 };

/// The target aspect reduced to lowest terms, with the rounding rule of SmartCrop.
struct Aspect {
    Int w = 1;
    Int h = 1;

    explicit Aspect(QSize size)
    {
        const Int g = std::gcd(Int(size.width()), Int(size.height()));
        w = size.width() / g;
        h = size.height() / g;
    }
    [[nodiscard]] bool landscape() const { return w >= h; }
    [[nodiscard]] Int shortTerm() const { return std::min(w, h); }
    [[nodiscard]] Int longTerm() const { return std::max(w, h); }
    /// round(s × long / short), halves up, in integers so every machine agrees.
    [[nodiscard]] Int longSideFor(Int s) const { return (2 * s * longTerm() + shortTerm()) / (2 * shortTerm()); }
    [[nodiscard]] QSize sizeFor(Int s) const
    {
        const Int l = longSideFor(s);
        return landscape() ? QSize(int(l), int(s)) : QSize(int(s), int(l));
    }
    /// The largest short side whose crop fits in `image` (0 when none does).
    [[nodiscard]] Int maxShortSide(QSize image) const
    {
        const Int shortLimit = landscape() ? image.height() : image.width();
        const Int longLimit = landscape() ? image.width() : image.height();
        Int s = std::min(shortLimit, longLimit * shortTerm() / longTerm());
        while (s < shortLimit && longSideFor(s + 1) <= longLimit)
            ++s;
        while (s > 0 && longSideFor(s) > longLimit)
            --s;
        return s;
    }
};

/// A usable face of the request: its index, clamped box and what placement needs.
struct PreparedFace {
    int index = 0;
    QRectF box;
    double eyeY = 0;
    double priority = 0;
};

struct Bounds {
    double left = 0, top = 0, right = 0, bottom = 0;
};

/// Where crops of one size may go: any x in [xlo, xhi] and y in [ylo, yhi] keeps the faces.
struct Window {
    QSize size;
    Int xlo = 0, xhi = 0, ylo = 0, yhi = 0;
};

Int ceilInt(double v)
{
    return Int(std::ceil(v));
}

Int floorInt(double v)
{
    return Int(std::floor(v));
}

QRectF keepBox(const QRectF &box, double level, const QRectF &image)
{
    const double side = level * SmartCrop::HeadroomSides * box.width();
    return QRectF(QPointF(box.left() - side, box.top() - level * SmartCrop::HeadroomAbove * box.height()),
        QPointF(box.right() + side, box.bottom() + level * SmartCrop::HeadroomBelow * box.height()))
        .intersected(image);
}

Bounds boundsOf(const QList<PreparedFace> &faces, double level, const QRectF &image)
{
    Bounds b { std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
        std::numeric_limits<double>::lowest(), std::numeric_limits<double>::lowest() };
    for (const PreparedFace &f : faces) {
        const QRectF k = keepBox(f.box, level, image);
        b.left = std::min(b.left, k.left());
        b.top = std::min(b.top, k.top());
        b.right = std::max(b.right, k.right());
        b.bottom = std::max(b.bottom, k.bottom());
    }
    return b;
}

/**
 * The largest crop size from sMax down to sMin that can hold `u` inside its
 * face area, and where it may go. The same inequalities as
 * SmartCrop::faceFits(), solved for the offset: for x,
 * x + area.left × w ≤ u.left and u.right ≤ x + area.right × w, within the image.
 */
std::optional<Window> largestWindow(
    const Bounds &u, const Aspect &aspect, QSize image, Int sMin, Int sMax, const QRectF &area)
{
    constexpr double tol = SmartCrop::FitTolerance;
    for (Int s = sMax; s >= sMin; --s) {
        const QSize size = aspect.sizeFor(s);
        const double w = size.width(), h = size.height();
        Window win { size, std::max<Int>(0, ceilInt(u.right - area.right() * w - tol)),
            std::min<Int>(image.width() - size.width(), floorInt(u.left - area.left() * w + tol)),
            std::max<Int>(0, ceilInt(u.bottom - area.bottom() * h - tol)),
            std::min<Int>(image.height() - size.height(), floorInt(u.top - area.top() * h + tol)) };
        if (win.xlo <= win.xhi && win.ylo <= win.yhi)
            return win;
    }
    return std::nullopt;
}

Window wholeImageWindow(const Aspect &aspect, QSize image, Int sMax)
{
    const QSize size = aspect.sizeFor(sMax);
    return { size, 0, image.width() - size.width(), 0, image.height() - size.height() };
}

Int placed(double ideal, Int lo, Int hi)
{
    return std::clamp<Int>(std::llround(ideal), lo, hi);
}

/// Rule of thirds inside the window's room: eyes on the upper third line, faces on the nearest vertical line.
QRect placeOnFaces(const Window &win, const QList<PreparedFace> &faces, QSize image)
{
    double weight = 0, eyeY = 0, centreX = 0;
    for (const PreparedFace &f : faces) {
        const double a = std::max(f.box.width() * f.box.height(), 1e-9);
        weight += a;
        eyeY += a * f.eyeY;
        centreX += a * f.box.center().x();
    }
    eyeY /= weight;
    centreX /= weight;
    const double where = centreX / image.width();
    const double line = where < 0.4 ? 1.0 / 3 : where > 0.6 ? 2.0 / 3 : 0.5;
    const Int x = placed(centreX - line * win.size.width(), win.xlo, win.xhi);
    const Int y = placed(eyeY - win.size.height() / 3.0, win.ylo, win.yhi);
    return QRect(QPoint(int(x), int(y)), win.size);
}

QRect placeOnPoint(const Window &win, std::optional<QPointF> centre)
{
    if (!centre) {
        // Integer halving, so an odd slack always leans the same way.
        return QRect(QPoint(int((win.xlo + win.xhi) / 2), int((win.ylo + win.yhi) / 2)), win.size);
    }
    return QRect(QPoint(int(placed(centre->x() - win.size.width() / 2.0, win.xlo, win.xhi)),
                     int(placed(centre->y() - win.size.height() / 2.0, win.ylo, win.yhi))),
        win.size);
}

bool finite(const QRectF &r)
{
    return std::isfinite(r.x()) && std::isfinite(r.y()) && std::isfinite(r.width()) && std::isfinite(r.height());
}

Error badTarget(const QString &detail)
{
    return Error(QStringLiteral("bad_target"),
        tr("The picture cannot be fitted to this page: the page’s shape is not valid."), detail);
}

} // namespace

CropFace CropFace::fromFace(const Face &face)
{
    CropFace f;
    f.box = face.box;
    f.score = face.score;
    const bool hasLandmarks
        = std::any_of(face.landmarks.begin(), face.landmarks.end(), [](const QPointF &p) { return !p.isNull(); });
    if (hasLandmarks) {
        const QPointF a = face.landmarks[0], b = face.landmarks[1];
        f.leftEye = a.x() <= b.x() ? a : b;
        f.rightEye = a.x() <= b.x() ? b : a;
    }
    return f;
}

QList<CropFace> CropFace::fromFaces(const QList<Face> &faces)
{
    QList<CropFace> list;
    list.reserve(faces.size());
    for (const Face &f : faces)
        list.append(fromFace(f));
    return list;
}

Result<CropTarget> CropTarget::forPosition(const PrintFormat &format, int page)
{
    if (auto st = format.validate(); !st)
        return st.error();
    const ImagePosition *position = format.position(page);
    if (!position)
        return Error(QStringLiteral("no_position"),
            page == 0 ? tr("The print format “%1” has no cover.").arg(format.title)
                      : tr("The print format “%1” has no page for month %2.").arg(format.title).arg(page),
            QStringLiteral("format %1, page %2").arg(format.id).arg(page));
    const QSizeF px(position->pixels);
    const auto normalized = [&](const QRectF &r) {
        return r.isEmpty()
            ? QRectF()
            : QRectF(r.x() / px.width(), r.y() / px.height(), r.width() / px.width(), r.height() / px.height());
    };
    CropTarget t;
    t.outputPixels = position->pixels;
    t.faceArea = normalized(format.clearRect(page));
    t.bindingZone = normalized(format.bindingRect(page));
    if (auto st = t.validate(); !st)
        return st.error();
    return t;
}

Result<CropTarget> CropTarget::forAspect(const QString &aspect)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d{1,6})\\s*[:x]\\s*(\\d{1,6})\\s*$"));
    const QRegularExpressionMatch m = pattern.match(aspect);
    const int w = m.hasMatch() ? m.captured(1).toInt() : 0;
    const int h = m.hasMatch() ? m.captured(2).toInt() : 0;
    if (w < 1 || h < 1 || w > 100000 || h > 100000)
        return Error(QStringLiteral("bad_aspect"),
            tr("“%1” is not an aspect ratio. Write width and height as whole numbers, such as 3:2 or 1:1.").arg(aspect),
            QStringLiteral("expected W:H with 1–100000 on each side"));
    CropTarget t;
    t.outputPixels = QSize(w, h);
    return t;
}

Status CropTarget::validate() const
{
    if (outputPixels.width() < 1 || outputPixels.height() < 1 || outputPixels.width() > MaxEdge
        || outputPixels.height() > MaxEdge)
        return badTarget(QStringLiteral("output %1 × %2 px").arg(outputPixels.width()).arg(outputPixels.height()));
    constexpr double slack = 1e-9;
    if (!finite(faceArea) || faceArea.isEmpty() || faceArea.left() < -slack || faceArea.top() < -slack
        || faceArea.right() > 1 + slack || faceArea.bottom() > 1 + slack)
        return badTarget(QStringLiteral("face area (%1, %2, %3 × %4) is not inside the unit square")
                             .arg(faceArea.x())
                             .arg(faceArea.y())
                             .arg(faceArea.width())
                             .arg(faceArea.height()));
    if (!finite(bindingZone))
        return badTarget(QStringLiteral("binding zone is not finite"));
    return Status::success();
}

QSize SmartCrop::cropSize(QSize aspect, int shortSide)
{
    if (aspect.width() < 1 || aspect.height() < 1 || shortSide < 1)
        return {};
    return Aspect(aspect).sizeFor(shortSide);
}

QSize SmartCrop::largestCropSize(QSize imageSize, QSize aspect)
{
    if (aspect.width() < 1 || aspect.height() < 1 || imageSize.width() < 1 || imageSize.height() < 1)
        return {};
    const Aspect a(aspect);
    const Int s = a.maxShortSide(imageSize);
    return s > 0 ? a.sizeFor(s) : QSize();
}

bool SmartCrop::faceFits(const QRect &crop, const QRectF &box, const CropTarget &target)
{
    const double w = crop.width(), h = crop.height();
    const QRectF &area = target.faceArea;
    return box.left() >= crop.x() + area.left() * w - FitTolerance
        && box.right() <= crop.x() + area.right() * w + FitTolerance
        && box.top() >= crop.y() + area.top() * h - FitTolerance
        && box.bottom() <= crop.y() + area.bottom() * h + FitTolerance;
}

Result<CropResult> SmartCrop::plan(const CropRequest &request)
{
    if (auto st = request.target.validate(); !st)
        return st.error();
    const QSize image = request.imageSize;
    const Aspect aspect(request.target.outputPixels);
    const Int sMax = image.width() >= 1 && image.height() >= 1 && image.width() <= MaxEdge && image.height() <= MaxEdge
        ? aspect.maxShortSide(image)
        : 0;
    if (sMax < 1)
        return Error(QStringLiteral("bad_image_size"),
            tr("The picture is too small or too narrow to be fitted to this page."),
            QStringLiteral("image %1 × %2 px, aspect %3:%4")
                .arg(image.width())
                .arg(image.height())
                .arg(aspect.w)
                .arg(aspect.h));
    const Int sMin = std::max<Int>(1, ceilInt(MinCropScale * double(sMax) - 1e-9));
    const QRectF imageRect(QPointF(0, 0), QSizeF(image));
    const QRectF &area = request.target.faceArea;

    // Usable faces, most important first: largest and most central.
    QList<PreparedFace> faces;
    const QPointF imageCentre = imageRect.center();
    const double halfDiagonal = std::hypot(imageRect.width() / 2, imageRect.height() / 2);
    for (int i = 0; i < request.faces.size(); ++i) {
        const CropFace &cf = request.faces.at(i);
        if (!finite(cf.box))
            continue;
        const QRectF box = cf.box.normalized().intersected(imageRect);
        if (box.isEmpty())
            continue;
        PreparedFace f;
        f.index = i;
        f.box = box;
        if (cf.leftEye && cf.rightEye)
            f.eyeY = (cf.leftEye->y() + cf.rightEye->y()) / 2;
        else if (cf.leftEye || cf.rightEye)
            f.eyeY = (cf.leftEye ? cf.leftEye : cf.rightEye)->y();
        else
            f.eyeY = box.top() + EyeLineInBox * box.height();
        f.eyeY = std::clamp(f.eyeY, box.top(), box.bottom());
        const QPointF d = box.center() - imageCentre;
        f.priority = box.width() * box.height() * (1 - 0.5 * std::hypot(d.x(), d.y()) / halfDiagonal);
        faces.append(f);
    }
    std::stable_sort(faces.begin(), faces.end(),
        [](const PreparedFace &a, const PreparedFace &b) { return a.priority > b.priority; });

    const auto windowFor = [&](const QList<PreparedFace> &set, double level) {
        return largestWindow(boundsOf(set, level, imageRect), aspect, image, sMin, sMax, area);
    };

    // Faces that can all be whole together (without headroom): everything when
    // possible, else greedily in priority order.
    QList<PreparedFace> kept;
    if (!faces.isEmpty() && windowFor(faces, 0)) {
        kept = faces;
    } else {
        for (const PreparedFace &f : std::as_const(faces)) {
            QList<PreparedFace> candidate = kept;
            candidate.append(f);
            if (windowFor(candidate, 0))
                kept = std::move(candidate);
        }
    }

    CropResult result;
    if (!kept.isEmpty()) {
        // Level 0 always succeeds: it is the test the kept faces passed.
        for (double level : HeadroomLevels) {
            if (const auto win = windowFor(kept, level)) {
                result.crop = placeOnFaces(*win, kept, image);
                result.headroom = level;
                break;
            }
        }
    } else if (!faces.isEmpty()) {
        // Not even the most important face fits: show as much of it as the largest crop can.
        result.crop = placeOnFaces(wholeImageWindow(aspect, image, sMax), { faces.first() }, image);
    } else {
        std::optional<QPointF> centre;
        if (request.saliency && finite(*request.saliency)) {
            const QRectF s = request.saliency->normalized().intersected(imageRect);
            if (!s.isEmpty())
                centre = s.center();
        }
        result.crop = placeOnPoint(wholeImageWindow(aspect, image, sMax), centre);
    }

    for (const PreparedFace &f : std::as_const(faces)) {
        if (!faceFits(result.crop, f.box, request.target))
            result.cutFaces.append(f.index);
    }
    std::sort(result.cutFaces.begin(), result.cutFaces.end());
    return result;
}

Result<QRectF> SmartCrop::saliency(const QImage &image)
{
    if (image.isNull())
        return Error(QStringLiteral("empty"), tr("There is no picture to look at."));
    if (!VipsInit::ensure())
        return Error(QStringLiteral("unreadable"),
            tr("The picture could not be analysed. Restart Calendar Studio; if it happens again, please report it."),
            QStringLiteral("libvips did not start"));

    QImage small = image;
    if (std::max(image.width(), image.height()) > MaxSaliencyEdge)
        small = image.scaled(MaxSaliencyEdge, MaxSaliencyEdge, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    small = small.convertToFormat(QImage::Format_RGB888);
    const int w = small.width(), h = small.height();
    // libvips wants packed rows; QImage pads them to four bytes.
    QByteArray packed(qsizetype(w) * h * 3, Qt::Uninitialized);
    for (int y = 0; y < h; ++y)
        std::memcpy(packed.data() + qsizetype(y) * w * 3, small.constScanLine(y), size_t(w) * 3);

    int attentionX = w / 2, attentionY = h / 2;
    try {
        vips::VImage in
            = vips::VImage::new_from_memory(packed.data(), size_t(packed.size()), w, h, 3, VIPS_FORMAT_UCHAR)
                  .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
        // The window's size does not move the attention centre; half the image is libvips' usual question.
        in.smartcrop(std::max(1, w / 2), std::max(1, h / 2),
            vips::VImage::option()
                ->set("interesting", VIPS_INTERESTING_ATTENTION)
                ->set("attention_x", &attentionX)
                ->set("attention_y", &attentionY));
    } catch (const vips::VError &e) {
        const QString detail = QString::fromUtf8(e.what()).trimmed();
        vips_error_clear();
        qCWarning(lcImaging) << "saliency failed:" << detail;
        return Error(QStringLiteral("unreadable"),
            tr("The picture could not be analysed. Restart Calendar Studio; if it happens again, please report it."),
            detail);
    }

    const double sx = double(image.width()) / w, sy = double(image.height()) / h;
    const QSizeF window(image.width() / 2.0, image.height() / 2.0);
    const double left = std::clamp((attentionX + 0.5) * sx - window.width() / 2, 0.0, image.width() - window.width());
    const double top = std::clamp((attentionY + 0.5) * sy - window.height() / 2, 0.0, image.height() - window.height());
    return QRectF(QPointF(left, top), window);
}

} // namespace CalStudio
