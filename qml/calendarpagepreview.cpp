#include "qml/calendarpagepreview.h"

#include "core/calendar/pagetheme.h"

#include <QElapsedTimer>
#include <QPainter>

namespace CalStudio {

CalendarPagePreview::CalendarPagePreview(QQuickItem *parent)
    : QQuickPaintedItem(parent)
{
    setAntialiasing(true);
    setOpaquePainting(false);
}

void CalendarPagePreview::setModel(CalendarPreviewModel *model)
{
    if (m_model == model)
        return;
    if (m_modelConnection)
        disconnect(m_modelConnection);
    m_model = model;
    if (m_model)
        m_modelConnection = connect(m_model, &CalendarPreviewModel::changed, this, &CalendarPagePreview::modelDataChanged);
    Q_EMIT modelChanged();
    modelDataChanged();
}

void CalendarPagePreview::setPageIndex(int index)
{
    index = qBound(0, index, CalendarPreviewModel::PageCount - 1);
    if (m_pageIndex == index)
        return;
    m_pageIndex = index;
    Q_EMIT pageIndexChanged();
    update();
}

QRectF CalendarPagePreview::pageRect() const
{
    const qreal aspect = m_model ? m_model->aspectRatio() : 8.5 / 11.0;
    // Room for the shadow; the margin scales a little with the item.
    const qreal margin = qBound(6.0, qMin(width(), height()) * 0.03, 24.0);
    const QRectF area(margin, margin, width() - 2 * margin, height() - 2 * margin);
    if (area.width() <= 0 || area.height() <= 0)
        return {};
    QSizeF size(area.width(), area.width() / aspect);
    if (size.height() > area.height())
        size = QSizeF(area.height() * aspect, area.height());
    // Whole pixels keep the page's edges crisp.
    return QRectF(qRound(area.center().x() - size.width() / 2), qRound(area.center().y() - size.height() / 2),
        qRound(size.width()), qRound(size.height()));
}

void CalendarPagePreview::paint(QPainter *painter)
{
    QElapsedTimer timer;
    timer.start();
    const QRectF page = pageRect();
    if (!m_model || page.isEmpty())
        return;

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    // A soft shadow: a few translucent layers growing outwards.
    painter->setPen(Qt::NoPen);
    for (int i = 4; i >= 1; --i) {
        painter->setBrush(QColor(40, 30, 20, 14));
        painter->drawRoundedRect(page.translated(0, i * 0.8).adjusted(-i, -i + 1, i, i), i + 1, i + 1);
    }
    painter->fillRect(page, PageTheme::find(m_model->themeId()).paper);
    painter->setClipRect(page);
    m_model->paintPage(*painter, page, m_pageIndex);
    painter->restore();

    m_lastPaintMs = qreal(timer.nsecsElapsed()) / 1e6;
    // paint() may run on the render thread; tell QML on the item's own thread.
    QMetaObject::invokeMethod(this, &CalendarPagePreview::painted, Qt::QueuedConnection);
}

void CalendarPagePreview::geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry)
{
    QQuickPaintedItem::geometryChange(newGeometry, oldGeometry);
    if (newGeometry.size() != oldGeometry.size()) {
        Q_EMIT pageRectChanged();
        update();
    }
}

void CalendarPagePreview::modelDataChanged()
{
    const qreal aspect = m_model ? m_model->aspectRatio() : 0;
    if (aspect != m_lastAspect) {
        m_lastAspect = aspect;
        Q_EMIT pageRectChanged();
    }
    update();
}

} // namespace CalStudio
