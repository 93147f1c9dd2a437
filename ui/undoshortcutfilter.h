#pragma once

#include <QObject>

namespace CalStudio {

/**
 * Keeps one undo history for the user: installed on a text field, it stops
 * the field from claiming the Undo/Redo shortcuts for its own private
 * history, so Ctrl+Z reaches the window's Edit ▸ Undo (the project's
 * QUndoStack) even while the cursor is in the field.
 */
class UndoShortcutFilter : public QObject {
    Q_OBJECT
public:
    explicit UndoShortcutFilter(QObject *parent = nullptr);

    /// Installs the filter on `widget` and on every text field, spin box and combo box inside it.
    void watch(QObject *widget);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
};

} // namespace CalStudio
