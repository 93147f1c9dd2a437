#include "core/calendar/pagecomposer.h"

#include "core/calendar/calendarnames.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QLinearGradient>
#include <QPainter>

namespace CalStudio {

namespace {

QFont pixelFont(const QString &family, qreal px, int weight = QFont::Normal)
{
    QFont f(family);
    f.setPixelSize(qMax(1, qRound(px)));
    f.setWeight(QFont::Weight(weight));
    f.setHintingPreference(QFont::PreferNoHinting); // the same shapes at every size
    return f;
}

/// Scales `image` to cover `target` completely and returns the source rect to draw (centre crop).
QRectF coverSource(const QSize &image, const QSizeF &target)
{
    const qreal scale = qMax(target.width() / image.width(), target.height() / image.height());
    const QSizeF src(target.width() / scale, target.height() / scale);
    return QRectF(QPointF((image.width() - src.width()) / 2, (image.height() - src.height()) / 2), src);
}

bool isWeekend(const QLocale &locale, Qt::DayOfWeek day)
{
    return !locale.weekdays().contains(day);
}

} // namespace

PageComposer::PageComposer(PageLayout layout, PageTheme theme)
    : m_layout(layout)
    , m_theme(std::move(theme))
{
}

QRectF PageComposer::Geometry::cell(int row, int column) const
{
    const qreal w = grid.width() / 7;
    const qreal h = rows > 0 ? grid.height() / rows : 0;
    const qreal x = direction == Qt::RightToLeft ? grid.right() - (column + 1) * w : grid.left() + column * w;
    return QRectF(x, grid.top() + row * h, w, h);
}

QRectF PageComposer::Geometry::weekdayCell(int column) const
{
    const qreal w = weekdays.width() / 7;
    const qreal x = direction == Qt::RightToLeft ? weekdays.right() - (column + 1) * w : weekdays.left() + column * w;
    return QRectF(x, weekdays.top(), w, weekdays.height());
}

PageComposer::Geometry PageComposer::monthGeometry(const QRectF &page, const MonthPageContent &content) const
{
    Geometry g;
    g.page = page;
    g.rows = content.grid.rowCount();
    g.direction = content.locale.textDirection();
    const qreal unit = qMin(page.width(), page.height());
    const qreal margin = unit * 0.045;

    switch (m_layout) {
    case PageLayout::PhotoAbove:
        g.photo = QRectF(page.left(), page.top(), page.width(), page.height() * 0.56);
        g.band = QRectF(page.left() + margin, g.photo.bottom() + margin * 0.6, page.width() - 2 * margin,
                        page.bottom() - g.photo.bottom() - margin * 1.6);
        break;
    case PageLayout::FullBleed: {
        g.photo = page;
        const qreal bandHeight = page.height() * 0.36;
        g.band = QRectF(page.left() + margin, page.bottom() - bandHeight + margin * 0.5, page.width() - 2 * margin,
                        bandHeight - margin * 1.3);
        break;
    }
    case PageLayout::SideBySide: {
        const qreal half = page.width() * 0.52;
        const bool rtl = g.direction == Qt::RightToLeft;
        g.photo = rtl ? QRectF(page.right() - half, page.top(), half, page.height())
                      : QRectF(page.left(), page.top(), half, page.height());
        const qreal left = rtl ? page.left() + margin : g.photo.right() + margin;
        g.band = QRectF(left, page.top() + margin * 1.5, page.width() - half - 2 * margin,
                        page.height() - margin * 3);
        break;
    }
    }

    QRectF rest = g.band;
    g.title = QRectF(rest.left(), rest.top(), rest.width(), rest.height() * 0.17);
    rest.setTop(g.title.bottom());
    if (content.notesLine) {
        g.notes = QRectF(rest.left(), rest.bottom() - rest.height() * 0.09, rest.width(), rest.height() * 0.09);
        rest.setBottom(g.notes.top());
    }
    if (content.weekNumbers) {
        const qreal w = rest.width() * 0.06;
        if (g.direction == Qt::RightToLeft) {
            g.weekNumbers = QRectF(rest.right() - w, rest.top(), w, rest.height());
            rest.setRight(g.weekNumbers.left());
        } else {
            g.weekNumbers = QRectF(rest.left(), rest.top(), w, rest.height());
            rest.setLeft(g.weekNumbers.right());
        }
    }
    g.weekdays = QRectF(rest.left(), rest.top(), rest.width(), rest.height() * 0.1);
    g.grid = QRectF(rest.left(), g.weekdays.bottom(), rest.width(), rest.bottom() - g.weekdays.bottom());
    if (!g.weekNumbers.isEmpty())
        g.weekNumbers = QRectF(g.weekNumbers.left(), g.grid.top(), g.weekNumbers.width(), g.grid.height());
    return g;
}

void PageComposer::paintPhoto(QPainter &painter, const QRectF &area, const QImage &photo,
                              const QString &placeholder) const
{
    if (!photo.isNull()) {
        painter.drawImage(area, photo, coverSource(photo.size(), area.size()));
        return;
    }
    // A calm placeholder that says what will be there, so an unfinished page still reads well.
    QLinearGradient gradient(area.topLeft(), area.bottomRight());
    gradient.setColorAt(0, m_theme.muted.lighter(125));
    gradient.setColorAt(1, m_theme.muted);
    painter.fillRect(area, gradient);
    const qreal unit = qMin(area.width(), area.height());
    painter.setPen(m_theme.paper);
    painter.setFont(pixelFont(m_theme.titleFont, unit * 0.075, QFont::DemiBold));
    const QRectF text = area.adjusted(unit * 0.08, unit * 0.08, -unit * 0.08, -unit * 0.08);
    painter.drawText(text, Qt::AlignCenter | Qt::TextWordWrap,
                     placeholder.isEmpty() ? QCoreApplication::translate("PageComposer", "Picture to come")
                                           : placeholder);
}

void PageComposer::paintMonth(QPainter &painter, const QRectF &page, const MonthPageContent &content) const
{
    const Geometry g = monthGeometry(page, content);
    const CalendarNames names(content.locale);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.setLayoutDirection(g.direction);

    painter.fillRect(page, m_theme.paper);
    paintPhoto(painter, g.photo, content.photo, content.placeholderTitle);
    if (m_layout == PageLayout::FullBleed) {
        QColor band = m_theme.paper;
        band.setAlphaF(0.9);
        const qreal pad = qMin(page.width(), page.height()) * 0.02;
        painter.setPen(Qt::NoPen);
        painter.setBrush(band);
        painter.drawRoundedRect(g.band.adjusted(-pad, -pad, pad, pad), pad, pad);
    }

    // Title: the month in the calendar's language, and its year.
    const int year = content.grid.year();
    const int month = content.grid.month();
    QString monthName = names.monthName(month);
    if (m_theme.uppercaseTitle)
        monthName = content.locale.toUpper(monthName);
    const Qt::Alignment leading = Qt::AlignVCenter | Qt::AlignLeading;
    painter.setPen(m_theme.accent);
    painter.setFont(pixelFont(m_theme.titleFont, g.title.height() * 0.62, QFont::Bold));
    painter.drawText(g.title, leading, monthName);
    painter.setPen(m_theme.muted.darker(140));
    painter.setFont(pixelFont(m_theme.titleFont, g.title.height() * 0.45));
    painter.drawText(g.title, Qt::AlignVCenter | Qt::AlignTrailing, names.number(year));

    // Weekday header; narrow names when the columns are tight.
    const QFont headerFont = pixelFont(m_theme.bodyFont, g.weekdays.height() * 0.5, QFont::DemiBold);
    painter.setFont(headerFont);
    const QFontMetricsF headerMetrics(headerFont);
    for (int c = 0; c < 7; ++c) {
        const Qt::DayOfWeek day = content.grid.weekdayAt(c);
        const QRectF cell = g.weekdayCell(c);
        QString label = names.dayName(day, CalendarNames::Form::Short);
        if (headerMetrics.horizontalAdvance(label) > cell.width() * 0.92)
            label = names.dayName(day, CalendarNames::Form::Narrow);
        painter.setPen(isWeekend(content.locale, day) ? m_theme.weekend : m_theme.ink);
        painter.drawText(cell, Qt::AlignCenter, label);
    }

    // Day cells.
    const qreal cellH = g.rows > 0 ? g.grid.height() / g.rows : 0;
    const QFont numberFont = pixelFont(m_theme.bodyFont, cellH * 0.34, QFont::DemiBold);
    const QFont markFont = pixelFont(m_theme.bodyFont, qMax<qreal>(1, cellH * 0.17));
    painter.setPen(QPen(m_theme.muted, qMax<qreal>(1, cellH * 0.01)));
    for (int r = 0; r <= g.rows; ++r)
        painter.drawLine(QPointF(g.grid.left(), g.grid.top() + r * cellH),
                         QPointF(g.grid.right(), g.grid.top() + r * cellH));
    for (int r = 0; r < g.rows; ++r) {
        for (int c = 0; c < 7; ++c) {
            const QDate date = content.grid.weeks().at(r).at(size_t(c));
            const QRectF cell = g.cell(r, c).adjusted(cellH * 0.08, cellH * 0.06, -cellH * 0.08, -cellH * 0.06);
            const bool inMonth = content.grid.contains(date);
            QStringList texts;
            bool holiday = false;
            if (inMonth) {
                for (const DayMark &m : content.marks) {
                    if (m.date == date) {
                        texts.append(m.text);
                        holiday = holiday || m.holiday;
                    }
                }
            }
            QColor numberColor = m_theme.ink;
            if (!inMonth)
                numberColor = m_theme.muted;
            else if (holiday)
                numberColor = m_theme.accent;
            else if (isWeekend(content.locale, Qt::DayOfWeek(date.dayOfWeek())))
                numberColor = m_theme.weekend;
            painter.setPen(numberColor);
            painter.setFont(numberFont);
            painter.drawText(cell, Qt::AlignTop | Qt::AlignLeading, names.number(date.day()));
            if (!texts.isEmpty()) {
                painter.setFont(markFont);
                painter.setPen(holiday ? m_theme.accent : m_theme.ink);
                const QFontMetricsF fm(markFont);
                // Whole lines only: long names wrap ("Tag der Deutschen / Einheit") and
                // what does not fit is cut at a line boundary, never through a glyph.
                const qreal top = cell.top() + cellH * 0.42;
                const int lines = qMax(1, int((cell.bottom() - top) / fm.lineSpacing()));
                const QRectF textArea(cell.left(), top, cell.width(), lines * fm.lineSpacing());
                painter.save();
                painter.setClipRect(textArea);
                painter.drawText(textArea, Qt::AlignTop | Qt::AlignLeading | Qt::TextWordWrap,
                                 texts.join(QLatin1Char('\n')));
                painter.restore();
            }
        }
    }

    if (!g.weekNumbers.isEmpty()) {
        painter.setPen(m_theme.muted.darker(130));
        painter.setFont(pixelFont(m_theme.bodyFont, cellH * 0.2));
        for (int r = 0; r < g.rows; ++r) {
            const QRectF cell(g.weekNumbers.left(), g.grid.top() + r * cellH, g.weekNumbers.width(), cellH);
            painter.drawText(cell.adjusted(0, cellH * 0.08, 0, 0), Qt::AlignTop | Qt::AlignHCenter,
                             names.number(content.grid.isoWeekNumber(r)));
        }
    }
    if (!g.notes.isEmpty()) {
        painter.setPen(QPen(m_theme.muted, qMax<qreal>(1, cellH * 0.01)));
        painter.drawLine(QPointF(g.notes.left(), g.notes.bottom() - 1), QPointF(g.notes.right(), g.notes.bottom() - 1));
        painter.setFont(pixelFont(m_theme.bodyFont, g.notes.height() * 0.35));
        painter.drawText(g.notes, Qt::AlignBottom | Qt::AlignLeading,
                         QCoreApplication::translate("PageComposer", "Notes"));
    }
    painter.restore();
}

void PageComposer::paintCover(QPainter &painter, const QRectF &page, const CoverPageContent &content) const
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.setLayoutDirection(content.locale.textDirection());
    painter.fillRect(page, m_theme.paper);
    const qreal unit = qMin(page.width(), page.height());
    const QRectF photo(page.left(), page.top(), page.width(), page.height() * 0.74);
    paintPhoto(painter, photo, content.photo, content.placeholderTitle);
    const QRectF text(page.left() + unit * 0.06, photo.bottom() + unit * 0.03, page.width() - unit * 0.12,
                      page.bottom() - photo.bottom() - unit * 0.06);
    painter.setPen(m_theme.accent);
    // The title is the cover's point: shrink it to fit rather than cut it, and
    // elide only what would be unreadably small.
    qreal titlePx = text.height() * 0.38;
    QFont titleFont = pixelFont(m_theme.titleFont, titlePx, QFont::Bold);
    const qreal minimumPx = text.height() * 0.16;
    while (titlePx > minimumPx && QFontMetricsF(titleFont).horizontalAdvance(content.title) > text.width()) {
        titlePx *= 0.92;
        titleFont = pixelFont(m_theme.titleFont, titlePx, QFont::Bold);
    }
    painter.setFont(titleFont);
    painter.drawText(QRectF(text.left(), text.top(), text.width(), text.height() * 0.6), Qt::AlignCenter,
                     QFontMetricsF(titleFont).elidedText(content.title, Qt::ElideRight, text.width()));
    painter.setPen(m_theme.ink);
    painter.setFont(pixelFont(m_theme.bodyFont, text.height() * 0.2));
    painter.drawText(QRectF(text.left(), text.top() + text.height() * 0.6, text.width(), text.height() * 0.4),
                     Qt::AlignCenter, content.subtitle);
    painter.restore();
}

QImage PageComposer::renderMonth(const QSize &size, const MonthPageContent &content) const
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(m_theme.paper);
    QPainter painter(&image);
    paintMonth(painter, QRectF(QPointF(0, 0), QSizeF(size)), content);
    return image;
}

QImage PageComposer::renderCover(const QSize &size, const CoverPageContent &content) const
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(m_theme.paper);
    QPainter painter(&image);
    paintCover(painter, QRectF(QPointF(0, 0), QSizeF(size)), content);
    return image;
}

} // namespace CalStudio
