#include "qml/cropeditormodel.h"

#include "core/imaging/smartcrop.h"
#include "core/project/project.h"
#include "qml/pagephoto.h"
#include "qml/qmllogging.h"

#include <cmath>

namespace CalStudio {

namespace {

QRectF fractionOf(const QRectF &rect, QSizeF whole)
{
    if (rect.isEmpty() || whole.isEmpty())
        return {};
    return QRectF(rect.x() / whole.width(), rect.y() / whole.height(), rect.width() / whole.width(),
        rect.height() / whole.height());
}

} // namespace

CropEditorModel::CropEditorModel(QObject *parent)
    : QObject(parent)
    , m_images(std::make_shared<ThumbnailCache>())
{
}

void CropEditorModel::setSource(const CropEditorSource &source)
{
    m_source = source;
    const ImagePosition *position = source.format.position(source.cropPage);
    const QSizeF page = position ? QSizeF(position->pixels) : QSizeF(1, 1);
    m_trim = fractionOf(source.format.trimRect(source.cropPage), page);
    m_safe = fractionOf(source.format.safeRect(source.cropPage), page);
    m_binding = fractionOf(source.format.bindingRect(source.cropPage), page);
    Q_EMIT sourceChanged();
    const QSize masterSize(source.master.width, source.master.height);
    m_automatic = !source.userCrop || !position;
    m_edited = false;
    m_crop = m_automatic ? QRectF(source.autoCrop)
                         : QRectF(CropPlanner::fitUserCrop(*source.userCrop, masterSize, position->pixels));
    replan();
    Q_EMIT cropChanged();
}

void CropEditorModel::setImage(const QImage &copy)
{
    m_images->insert(QStringLiteral("master"), copy);
    ++m_imageRevision;
    Q_EMIT imageChanged();
}

void CropEditorModel::setProject(Project *project)
{
    m_project = project;
}

QString CropEditorModel::title() const
{
    return tr("%1 — %2").arg(m_source.pageTitle, m_source.format.title);
}

QString CropEditorModel::imageUrl() const
{
    if (m_imageRevision == 0)
        return {};
    return QStringLiteral("image://%1/master?%2").arg(QLatin1String(ProviderId)).arg(m_imageRevision);
}

qreal CropEditorModel::masterAspect() const
{
    return m_source.master.height > 0 ? qreal(m_source.master.width) / m_source.master.height : 1;
}

QRectF CropEditorModel::crop() const
{
    return fractionOf(m_crop, QSizeF(m_source.master.width, m_source.master.height));
}

QSizeF CropEditorModel::largestCrop() const
{
    const ImagePosition *position = m_source.format.position(m_source.cropPage);
    const QSizeF master(m_source.master.width, m_source.master.height);
    if (!position || master.isEmpty())
        return master;
    // Exact, not rounded: the crop is kept in floating point and rounded once, when planned or stored.
    const qreal aspect = qreal(position->pixels.width()) / position->pixels.height();
    return master.width() / master.height() > aspect ? QSizeF(master.height() * aspect, master.height())
                                                     : QSizeF(master.width(), master.width() / aspect);
}

qreal CropEditorModel::zoom() const
{
    return m_crop.width() > 0 ? largestCrop().width() / m_crop.width() : 1;
}

qreal CropEditorModel::maxZoom() const
{
    const QSizeF largest = largestCrop();
    const qreal shortSide = qMin(largest.width(), largest.height());
    return qBound(1.0, shortSide / MinCropSide, MaxZoom);
}

void CropEditorModel::setZoom(qreal zoom)
{
    zoom = qBound(1.0, zoom, maxZoom());
    if (std::abs(zoom - this->zoom()) < 1e-9)
        return;
    const QSizeF size = largestCrop() / zoom;
    QRectF crop(QPointF(0, 0), size);
    crop.moveCenter(m_crop.center());
    setCrop(crop);
}

void CropEditorModel::zoomBy(qreal factor)
{
    if (factor > 0)
        setZoom(zoom() * factor);
}

void CropEditorModel::moveBy(qreal dx, qreal dy)
{
    setCrop(m_crop.translated(dx * m_source.master.width, dy * m_source.master.height));
}

void CropEditorModel::moveTo(qreal x, qreal y)
{
    QRectF crop = m_crop;
    crop.moveTopLeft(QPointF(x * m_source.master.width, y * m_source.master.height));
    setCrop(crop);
}

void CropEditorModel::setCrop(QRectF crop)
{
    const QSizeF master(m_source.master.width, m_source.master.height);
    // The aspect stays the position's exactly, whatever the rounding of the crop it started from.
    const QSizeF largest = largestCrop();
    const qreal width = qMin(crop.width(), largest.width());
    const QPointF centre = crop.center();
    crop.setSize(QSizeF(width, largest.width() > 0 ? width * largest.height() / largest.width() : crop.height()));
    crop.moveCenter(centre);
    crop.moveLeft(qBound(0.0, crop.left(), master.width() - crop.width()));
    crop.moveTop(qBound(0.0, crop.top(), master.height() - crop.height()));
    if (crop == m_crop)
        return;
    m_crop = crop;
    m_automatic = false;
    m_edited = true;
    replan();
    Q_EMIT cropChanged();
}

void CropEditorModel::resetToAutomatic()
{
    m_automatic = true;
    m_edited = true;
    m_crop = QRectF(m_source.autoCrop);
    replan();
    Q_EMIT cropChanged();
}

void CropEditorModel::replan()
{
    m_plan.reset();
    m_photo = QRectF(0, 0, 1, 1);
    const std::optional<QRectF> user = m_automatic ? std::nullopt : std::optional<QRectF>(crop());
    auto plan = CropPlanner::plan(m_source.master, m_source.faces, m_source.format, m_source.cropPage, user);
    if (!plan) {
        qCWarning(lcQml) << "crop not planned:" << plan.error();
        return;
    }
    m_plan = *plan;
    // Where the page layout shows the picture, within the crop.
    const QSizeF page(plan->outputPixels);
    const QRectF area(m_source.photoArea.x() * page.width(), m_source.photoArea.y() * page.height(),
        m_source.photoArea.width() * page.width(), m_source.photoArea.height() * page.height());
    const QRect shown = PagePhoto::fitToArea(
        *plan, m_source.faces, QSize(m_source.master.width, m_source.master.height), m_source.format, area);
    if (!shown.isEmpty() && !plan->crop.isEmpty())
        m_photo = fractionOf(QRectF(shown.translated(-plan->crop.topLeft())), QSizeF(plan->crop.size()));
}

QVariantList CropEditorModel::faces() const
{
    QVariantList list;
    if (!m_plan)
        return list;
    const QSizeF master(m_source.master.width, m_source.master.height);
    for (int i = 0; i < m_plan->faces.size(); ++i) {
        const QRectF f = fractionOf(m_plan->faces.at(i), master);
        list.append(QVariantMap {
            { QStringLiteral("x"), f.x() },
            { QStringLiteral("y"), f.y() },
            { QStringLiteral("width"), f.width() },
            { QStringLiteral("height"), f.height() },
            { QStringLiteral("cut"), m_plan->cutFaces.contains(i) },
        });
    }
    return list;
}

QStringList CropEditorModel::warnings() const
{
    QStringList list;
    if (m_plan) {
        for (const CropWarning &w : m_plan->warnings)
            list.append(w.message);
    }
    return list;
}

QString CropEditorModel::level() const
{
    if (!m_plan || m_plan->warnings.isEmpty())
        return QStringLiteral("none");
    const bool strong = std::any_of(
        m_plan->warnings.begin(), m_plan->warnings.end(), [](const CropWarning &w) { return w.strong(); });
    return strong ? QStringLiteral("strong") : QStringLiteral("mild");
}

int CropEditorModel::effectiveDpi() const
{
    return m_plan ? int(std::floor(m_plan->effectiveDpi)) : 0;
}

void CropEditorModel::accept()
{
    // Opening and closing the editor is not an edit: nothing is stored unless the crop moved or was reset.
    if (m_project && m_edited) {
        const QString formatId = m_source.format.id;
        if (m_automatic) {
            if (m_source.userCrop)
                m_project->resetUserCrop(m_source.cropPage, formatId);
        } else if (auto st
                   = m_project->setUserCrop(m_source.cropPage, formatId, crop(), tr("Crop %1").arg(m_source.pageTitle));
                   !st) {
            Q_EMIT errorOccurred(st.error());
            return;
        }
    }
    Q_EMIT accepted();
}

void CropEditorModel::cancel()
{
    Q_EMIT cancelled();
}

} // namespace CalStudio
