#pragma once

#include "qml/calendarpreviewmodel.h"

#include <QPointer>
#include <QQuickPaintedItem>
#include <QtQml/qqmlregistration.h>

namespace CalStudio {

/**
 * Paints one calendar page of a CalendarPreviewModel, centred in the item
 * at the page's aspect ratio, with a soft shadow on the item's background.
 *
 * The page is drawn by PageComposer (through CalendarPreviewModel::paintPage),
 * the same code that draws exported pages, so the preview is what prints.
 * Any change of the model or the page index schedules one repaint.
 */
class CalendarPagePreview : public QQuickPaintedItem {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(CalStudio::CalendarPreviewModel *model READ model WRITE setModel NOTIFY modelChanged)
    /// 0 is the cover, 1–12 the months of the calendar's span.
    Q_PROPERTY(int pageIndex READ pageIndex WRITE setPageIndex NOTIFY pageIndexChanged)
    /// Where the page is drawn inside the item, in item coordinates.
    Q_PROPERTY(QRectF pageRect READ pageRect NOTIFY pageRectChanged)
    /// Milliseconds the last paint took (for performance checks).
    Q_PROPERTY(qreal lastPaintMs READ lastPaintMs NOTIFY painted)
public:
    explicit CalendarPagePreview(QQuickItem *parent = nullptr);

    [[nodiscard]] CalendarPreviewModel *model() const { return m_model; }
    void setModel(CalendarPreviewModel *model);
    [[nodiscard]] int pageIndex() const { return m_pageIndex; }
    void setPageIndex(int index);
    [[nodiscard]] QRectF pageRect() const;
    [[nodiscard]] qreal lastPaintMs() const { return m_lastPaintMs; }

    void paint(QPainter *painter) override;

Q_SIGNALS:
    void modelChanged();
    void pageIndexChanged();
    void pageRectChanged();
    void painted();

protected:
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;

private:
    void modelDataChanged();

    QPointer<CalendarPreviewModel> m_model;
    QMetaObject::Connection m_modelConnection;
    int m_pageIndex = 0;
    qreal m_lastAspect = 0;
    qreal m_lastPaintMs = 0;
};

} // namespace CalStudio
