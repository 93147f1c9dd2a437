#include "ui/selfiegriddelegate.h"

#include "ui/selfiegridmodel.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

namespace CalStudio {

namespace {

constexpr int Margin = 8;
constexpr int NameGap = 6;
const QColor Accent(0xc2, 0x56, 0x2f);
const QColor Placeholder(0xe6, 0xe0, 0xd6);

} // namespace

SelfieGridDelegate::SelfieGridDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

QSize SelfieGridDelegate::cellSize()
{
    const QFontMetrics fm(QApplication::font());
    return { ThumbnailSide + 2 * Margin, ThumbnailSide + 2 * Margin + NameGap + fm.height() };
}

QSize SelfieGridDelegate::sizeHint(const QStyleOptionViewItem &, const QModelIndex &) const
{
    return cellSize();
}

void SelfieGridDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const bool selected = option.state & QStyle::State_Selected;
    const bool current = (option.state & QStyle::State_HasFocus) && (option.state & QStyle::State_Active);
    const QRect cell = option.rect;
    const QRectF thumbRect(cell.x() + (cell.width() - ThumbnailSide) / 2.0, cell.y() + Margin, ThumbnailSide,
        ThumbnailSide);

    QPainterPath clip;
    clip.addRoundedRect(thumbRect, 8, 8);
    const QImage thumb = index.data(SelfieGridModel::ThumbnailRole).value<QImage>();
    if (thumb.isNull()) {
        painter->fillPath(clip, Placeholder);
        if (index.data(SelfieGridModel::ThumbnailFailedRole).toBool()) {
            painter->setPen(QColor(0x6f, 0x6a, 0x62));
            painter->drawText(thumbRect, Qt::AlignCenter | Qt::TextWordWrap, tr("Cannot show\nthis photo"));
        }
    } else {
        // Fill the square: crop the middle of the photo (portrait selfies lose a little top and bottom).
        const QSizeF scaled = QSizeF(thumb.size()).scaled(thumbRect.size(), Qt::KeepAspectRatioByExpanding);
        const QRectF target(thumbRect.center().x() - scaled.width() / 2, thumbRect.center().y() - scaled.height() / 2,
            scaled.width(), scaled.height());
        painter->save();
        painter->setClipPath(clip);
        painter->setRenderHint(QPainter::SmoothPixmapTransform);
        painter->drawImage(target, thumb);
        painter->restore();
    }

    if (selected) {
        painter->setPen(QPen(Accent, 3));
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(thumbRect.adjusted(-2.5, -2.5, 2.5, 2.5), 10, 10);
    } else {
        painter->setPen(QPen(QColor(0, 0, 0, 40), 1));
        painter->setBrush(Qt::NoBrush);
        painter->drawPath(clip);
    }
    if (current) {
        painter->setPen(QPen(Accent.darker(130), 1, Qt::DotLine));
        painter->drawRoundedRect(thumbRect.adjusted(-5.5, -5.5, 5.5, 5.5), 12, 12);
    }

    // Badge: a pill in the bottom-left corner of the picture.
    QFont badgeFont = option.font;
    badgeFont.setPointSizeF(badgeFont.pointSizeF() * 0.85);
    badgeFont.setBold(true);
    const QFontMetrics bfm(badgeFont);
    const QString badgeText = index.data(SelfieGridModel::BadgeTextRole).toString();
    if (!badgeText.isEmpty()) {
        const QString elided = bfm.elidedText(badgeText, Qt::ElideRight, ThumbnailSide - 16 - 12);
        const QRectF pill(thumbRect.left() + 6, thumbRect.bottom() - 6 - (bfm.height() + 4),
            bfm.horizontalAdvance(elided) + 14, bfm.height() + 4);
        painter->setPen(Qt::NoPen);
        painter->setBrush(index.data(SelfieGridModel::BadgeColorRole).value<QColor>());
        painter->drawRoundedRect(pill, pill.height() / 2, pill.height() / 2);
        painter->setPen(Qt::white);
        painter->setFont(badgeFont);
        painter->drawText(pill, Qt::AlignCenter, elided);
    }

    // Star: in a white disc in the top-right corner.
    if (index.data(SelfieGridModel::PreferredRole).toBool()) {
        const qreal d = 26;
        const QRectF disc(thumbRect.right() - 6 - d, thumbRect.top() + 6, d, d);
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(255, 255, 255, 230));
        painter->drawEllipse(disc);
        QFont starFont = option.font;
        starFont.setPointSizeF(starFont.pointSizeF() * 1.15);
        painter->setFont(starFont);
        painter->setPen(QColor(0xd8, 0x9a, 0x00));
        painter->drawText(disc, Qt::AlignCenter, QStringLiteral("★"));
    }

    // Name under the picture.
    QFont nameFont = option.font;
    nameFont.setBold(selected);
    painter->setFont(nameFont);
    const QFontMetrics nfm(nameFont);
    const QRectF nameRect(cell.x() + 4, thumbRect.bottom() + NameGap, cell.width() - 8, nfm.height());
    painter->setPen(option.palette.color(QPalette::Text));
    painter->drawText(nameRect, Qt::AlignHCenter | Qt::AlignTop,
        nfm.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideMiddle, int(nameRect.width())));
    painter->restore();
}

} // namespace CalStudio
