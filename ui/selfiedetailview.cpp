#include "ui/selfiedetailview.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

namespace CalStudio {

namespace {

const QColor Accent(0xc2, 0x56, 0x2f);
const QColor Backdrop(0xea, 0xe5, 0xdc);

} // namespace

SelfieDetailView::SelfieDetailView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("selfieDetailView"));
    setMouseTracking(true);
    setFocusPolicy(Qt::NoFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    updateAccessibility();
}

QSize SelfieDetailView::sizeHint() const
{
    return { 420, 420 };
}

QSize SelfieDetailView::minimumSizeHint() const
{
    return { 200, 200 };
}

void SelfieDetailView::setSelfie(const QImage &image, const std::optional<SelfieAnalysis> &analysis, int mainFace)
{
    const bool sameFaces = m_analysis && analysis && m_analysis->faces == analysis->faces && mainFace == m_mainFace;
    m_image = image;
    m_analysis = analysis;
    m_mainFace = (analysis && mainFace >= 0 && mainFace < analysis->faces.size()) ? mainFace : -1;
    if (!sameFaces || m_focusedFace >= faceCount())
        m_focusedFace = choosable() ? m_mainFace : -1;
    m_hoveredFace = -1;
    // Only a choice to make makes this view a stop in the tab order.
    setFocusPolicy(choosable() ? Qt::StrongFocus : Qt::NoFocus);
    setCursor(Qt::ArrowCursor);
    updateAccessibility();
    update();
}

void SelfieDetailView::clear()
{
    setSelfie({}, std::nullopt, -1);
}

void SelfieDetailView::updateAccessibility()
{
    setAccessibleName(tr("Selected selfie"));
    if (choosable())
        setAccessibleDescription(tr("%1 faces. Use the arrow keys to go to your face and press Enter to choose it.")
                                     .arg(faceCount()));
    else
        setAccessibleDescription(faceCount() == 1 ? tr("One face found.") : QString());
}

QRectF SelfieDetailView::imageRect() const
{
    QSizeF source;
    if (!m_image.isNull())
        source = m_image.size();
    else if (m_analysis && !m_analysis->imageSize.isEmpty())
        source = m_analysis->imageSize;
    if (source.isEmpty())
        return {};
    const QRectF area = QRectF(rect()).adjusted(4, 4, -4, -4);
    const QSizeF scaled = source.scaled(area.size(), Qt::KeepAspectRatio);
    return { area.center().x() - scaled.width() / 2, area.center().y() - scaled.height() / 2, scaled.width(),
        scaled.height() };
}

QRectF SelfieDetailView::faceRect(int index) const
{
    if (!m_analysis || index < 0 || index >= m_analysis->faces.size() || m_analysis->imageSize.isEmpty())
        return {};
    const QRectF target = imageRect();
    const double sx = target.width() / m_analysis->imageSize.width();
    const double sy = target.height() / m_analysis->imageSize.height();
    const QRectF box = m_analysis->faces.at(index).box;
    return { target.x() + box.x() * sx, target.y() + box.y() * sy, box.width() * sx, box.height() * sy };
}

int SelfieDetailView::faceAt(const QPointF &pos) const
{
    // The smallest box under the pointer wins, so a face inside a larger box can still be picked.
    int best = -1;
    double bestArea = 0;
    for (int i = 0; i < faceCount(); ++i) {
        const QRectF r = faceRect(i);
        if (r.contains(pos) && (best < 0 || r.width() * r.height() < bestArea)) {
            best = i;
            bestArea = r.width() * r.height();
        }
    }
    return best;
}

void SelfieDetailView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    const QRectF target = imageRect();
    if (target.isEmpty())
        return;

    QPainterPath clip;
    clip.addRoundedRect(target, 6, 6);
    if (m_image.isNull()) {
        painter.fillPath(clip, Backdrop);
        painter.setPen(QColor(0x6f, 0x6a, 0x62));
        painter.drawText(target, Qt::AlignCenter, tr("Loading…"));
    } else {
        painter.save();
        painter.setClipPath(clip);
        painter.drawImage(target, m_image);
        painter.restore();
    }

    const bool showChoice = choosable();
    for (int i = 0; i < faceCount(); ++i) {
        const QRectF r = faceRect(i);
        const bool main = i == m_mainFace;
        if (main) {
            // A dark halo keeps the accent frame visible on light and dark photos alike.
            painter.setPen(QPen(QColor(0, 0, 0, 90), 5));
            painter.drawRoundedRect(r, 4, 4);
            painter.setPen(QPen(Accent, 3));
            painter.drawRoundedRect(r, 4, 4);
        } else {
            painter.setPen(QPen(QColor(0, 0, 0, 90), 3));
            painter.drawRoundedRect(r, 4, 4);
            painter.setPen(QPen(i == m_hoveredFace ? Accent.lighter(140) : QColor(255, 255, 255, 230), 1.5,
                Qt::DashLine));
            painter.drawRoundedRect(r, 4, 4);
        }
        if (showChoice && hasFocus() && i == m_focusedFace) {
            painter.setPen(QPen(Qt::white, 1.5, Qt::DotLine));
            painter.drawRoundedRect(r.adjusted(-5, -5, 5, 5), 6, 6);
        }
        if (showChoice) {
            // A tag above the box: "You" for the chosen face, "This is me?" for the others.
            const QString label = main ? tr("You") : tr("This is me?");
            QFont f = font();
            f.setBold(true);
            f.setPointSizeF(f.pointSizeF() * 0.9);
            painter.setFont(f);
            const QFontMetrics fm(f);
            QRectF tag(r.left(), r.top() - fm.height() - 6, fm.horizontalAdvance(label) + 12, fm.height() + 4);
            if (tag.top() < target.top())
                tag.moveTop(r.bottom() + 2);
            if (tag.right() > target.right() - 2)
                tag.moveRight(target.right() - 2);
            if (tag.left() < target.left() + 2)
                tag.moveLeft(target.left() + 2);
            painter.setPen(Qt::NoPen);
            painter.setBrush(main ? Accent : QColor(0, 0, 0, 150));
            painter.drawRoundedRect(tag, 4, 4);
            painter.setPen(Qt::white);
            painter.drawText(tag, Qt::AlignCenter, label);
            painter.setBrush(Qt::NoBrush);
        }
    }
}

void SelfieDetailView::mousePressEvent(QMouseEvent *event)
{
    if (!choosable() || event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    const int face = faceAt(event->position());
    if (face < 0) {
        QWidget::mousePressEvent(event);
        return;
    }
    m_focusedFace = face;
    update();
    if (face != m_mainFace)
        Q_EMIT faceChosen(face);
}

void SelfieDetailView::mouseMoveEvent(QMouseEvent *event)
{
    if (!choosable())
        return;
    const int face = faceAt(event->position());
    if (face != m_hoveredFace) {
        m_hoveredFace = face;
        setCursor(face >= 0 && face != m_mainFace ? Qt::PointingHandCursor : Qt::ArrowCursor);
        setToolTip(face >= 0 && face != m_mainFace ? tr("Click if this is you") : QString());
        update();
    }
}

void SelfieDetailView::keyPressEvent(QKeyEvent *event)
{
    if (!choosable()) {
        QWidget::keyPressEvent(event);
        return;
    }
    const int n = faceCount();
    switch (event->key()) {
    case Qt::Key_Left:
    case Qt::Key_Up:
        m_focusedFace = (std::max(m_focusedFace, 0) + n - 1) % n;
        update();
        return;
    case Qt::Key_Right:
    case Qt::Key_Down:
        m_focusedFace = (m_focusedFace + 1) % n;
        update();
        return;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space:
        if (m_focusedFace >= 0 && m_focusedFace != m_mainFace)
            Q_EMIT faceChosen(m_focusedFace);
        return;
    default:
        QWidget::keyPressEvent(event);
    }
}

void SelfieDetailView::focusInEvent(QFocusEvent *event)
{
    QWidget::focusInEvent(event);
    update();
}

void SelfieDetailView::focusOutEvent(QFocusEvent *event)
{
    QWidget::focusOutEvent(event);
    update();
}

} // namespace CalStudio
