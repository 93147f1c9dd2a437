#pragma once

#include "core/calendar/monthgrid.h"
#include "core/calendar/pagetheme.h"

#include <QImage>
#include <QLocale>
#include <QRectF>

class QPainter;

namespace CalStudio {

/// Something written into a day cell: a public holiday or a personal date.
struct DayMark {
    QDate date;
    QString text;
    bool holiday = false;
};

/// Everything one month page shows.
struct MonthPageContent {
    MonthGrid grid; ///< built with the project's week start
    QLocale locale; ///< names, digits and direction
    QImage photo; ///< the month's picture; null draws a placeholder
    QString placeholderTitle; ///< shown on the placeholder (the month's prompt title)
    QList<DayMark> marks;
    bool weekNumbers = false;
    bool notesLine = false;
};

/// Everything the cover shows.
struct CoverPageContent {
    QString title;
    QString subtitle; ///< e.g. "July 2027 – June 2028"
    QImage photo;
    QString placeholderTitle;
    QLocale locale;
};

/**
 * Draws calendar pages with QPainter, at any size, on any paint device: the
 * studio's preview (QImage), exported PNGs and PDF pages (QPdfWriter). One
 * composer for all of them is what makes the preview what prints.
 *
 * All measures are fractions of the page, so a 400 px thumbnail and a
 * 3300 px print page have the same design.
 */
class PageComposer {
public:
    PageComposer(PageLayout layout, PageTheme theme);

    /// Where things go on a month page; exposed so tests can check structure.
    struct Geometry {
        QRectF page;
        QRectF photo;
        QRectF band; ///< the area holding title and grid
        QRectF title;
        QRectF weekdays;
        QRectF grid;
        QRectF notes; ///< empty unless the notes line is on
        QRectF weekNumbers; ///< empty unless week numbers are on
        int rows = 0;
        Qt::LayoutDirection direction = Qt::LeftToRight;
        /// The cell of (row, column); column 0 is the week's first day, drawn on the right in RTL.
        [[nodiscard]] QRectF cell(int row, int column) const;
        [[nodiscard]] QRectF weekdayCell(int column) const;
    };

    [[nodiscard]] Geometry monthGeometry(const QRectF &page, const MonthPageContent &content) const;
    void paintMonth(QPainter &painter, const QRectF &page, const MonthPageContent &content) const;
    void paintCover(QPainter &painter, const QRectF &page, const CoverPageContent &content) const;

    [[nodiscard]] QImage renderMonth(const QSize &size, const MonthPageContent &content) const;
    [[nodiscard]] QImage renderCover(const QSize &size, const CoverPageContent &content) const;

    [[nodiscard]] PageLayout layout() const { return m_layout; }
    [[nodiscard]] const PageTheme &theme() const { return m_theme; }

private:
    void paintPhoto(QPainter &painter, const QRectF &area, const QImage &photo, const QString &placeholder) const;

    PageLayout m_layout;
    PageTheme m_theme;
};

} // namespace CalStudio
