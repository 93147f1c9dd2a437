#include "ui/promptlistdelegate.h"

#include <QApplication>
#include <QListView>
#include <QPainter>
#include <QPainterPath>

namespace CalStudio {

namespace {

constexpr int HorizontalPadding = 12;
constexpr int VerticalPadding = 7;
constexpr int LineGap = 2;
constexpr int BadgePaddingX = 7;
constexpr int BadgeGap = 8;

QFont primaryFont(const QStyleOptionViewItem &option)
{
    QFont font = option.font;
    font.setBold(true);
    return font;
}

QFont secondaryFont(const QStyleOptionViewItem &option)
{
    QFont font = option.font;
    font.setPointSizeF(font.pointSizeF() * 0.92);
    return font;
}

QFont badgeFont(const QStyleOptionViewItem &option)
{
    QFont font = option.font;
    font.setPointSizeF(font.pointSizeF() * 0.85);
    font.setBold(true);
    return font;
}

} // namespace

PromptListDelegate::PromptListDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

void PromptListDelegate::install(QListView *view)
{
    view->setItemDelegate(new PromptListDelegate(view));
    // Rows are all two lines high, which lets the view skip measuring each one.
    view->setUniformItemSizes(true);
    // The same terracotta as the journey sidebar, so "selected" means one thing in the studio.
    QPalette palette = view->palette();
    for (QPalette::ColorGroup group : { QPalette::Active, QPalette::Inactive }) {
        palette.setColor(group, QPalette::Highlight, QColor(0xc2, 0x56, 0x2f));
        palette.setColor(group, QPalette::HighlightedText, Qt::white);
    }
    view->setPalette(palette);
}

QSize PromptListDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    Q_UNUSED(index)
    const QFontMetrics primary(primaryFont(option));
    const QFontMetrics secondary(secondaryFont(option));
    // Every row gets room for the second line, so rows without one do not make the list uneven.
    const int height = VerticalPadding * 2 + primary.height() + LineGap + secondary.height();
    return { 200, height };
}

void PromptListDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    // The style draws the background, selection and focus frame; the text is ours.
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const bool selected = option.state & QStyle::State_Selected;
    const bool active = option.state & QStyle::State_Active;
    const QPalette::ColorGroup group = !(option.state & QStyle::State_Enabled) ? QPalette::Disabled
        : active                                                               ? QPalette::Normal
                                                                               : QPalette::Inactive;
    const QColor textColor = option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    QColor quietColor = textColor;
    quietColor.setAlphaF(selected ? 0.85 : 0.62);

    painter->save();
    QRect content = option.rect.adjusted(HorizontalPadding, VerticalPadding, -HorizontalPadding, -VerticalPadding);

    const QString badge = index.data(BadgeTextRole).toString();
    if (!badge.isEmpty()) {
        const QFont font = badgeFont(option);
        const QFontMetrics fm(font);
        const int width = fm.horizontalAdvance(badge) + 2 * BadgePaddingX;
        const int height = fm.height() + 4;
        const QRect pill(content.right() - width + 1, content.top() + (content.height() - height) / 2, width, height);
        QColor colour = index.data(BadgeColorRole).value<QColor>();
        if (!colour.isValid())
            colour = quietColor;
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(Qt::NoPen);
        // A white pill on a selected row keeps the badge readable on the highlight colour.
        painter->setBrush(selected ? QColor(Qt::white) : colour.lighter(185));
        painter->drawRoundedRect(pill, height / 2.0, height / 2.0);
        painter->setPen(colour.darker(selected ? 110 : 100));
        painter->setFont(font);
        painter->drawText(pill, Qt::AlignCenter, badge);
        content.setRight(pill.left() - BadgeGap);
    }

    const QFont primary = primaryFont(option);
    const QFont secondary = secondaryFont(option);
    const QFontMetrics primaryMetrics(primary);
    const QFontMetrics secondaryMetrics(secondary);

    QRect line = content;
    line.setHeight(primaryMetrics.height());
    painter->setFont(primary);
    painter->setPen(textColor);
    painter->drawText(line, Qt::AlignLeft | Qt::AlignVCenter,
        primaryMetrics.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideRight, line.width()));

    const QString secondaryText = index.data(SecondaryTextRole).toString();
    if (!secondaryText.isEmpty()) {
        line.translate(0, primaryMetrics.height() + LineGap);
        line.setHeight(secondaryMetrics.height());
        painter->setFont(secondary);
        painter->setPen(quietColor);
        painter->drawText(line, Qt::AlignLeft | Qt::AlignVCenter,
            secondaryMetrics.elidedText(secondaryText, Qt::ElideRight, line.width()));
    }
    painter->restore();
}

} // namespace CalStudio
