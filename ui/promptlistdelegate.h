#pragma once

#include <QStyledItemDelegate>

class QListView;

namespace CalStudio {

/**
 * Draws a list row as two lines — a name (Qt::DisplayRole) and a quieter
 * second line (SecondaryTextRole) — with an optional small badge on the
 * right (BadgeTextRole, coloured by BadgeColorRole). Used for the pages of
 * the Prompts page and the themes of the ThemeDialog, so both lists look
 * alike.
 */
class PromptListDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    enum Role {
        SecondaryTextRole = Qt::UserRole + 100,
        BadgeTextRole,
        BadgeColorRole,
    };

    explicit PromptListDelegate(QObject *parent = nullptr);

    /// Gives `view` a delegate of this kind and the studio's accent colour for the selected row.
    static void install(QListView *view);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    [[nodiscard]] QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace CalStudio
