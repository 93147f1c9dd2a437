#include "ui/undoshortcutfilter.h"

#include <QAbstractSpinBox>
#include <QComboBox>
#include <QKeyEvent>
#include <QLineEdit>

namespace CalStudio {

UndoShortcutFilter::UndoShortcutFilter(QObject *parent)
    : QObject(parent)
{
}

void UndoShortcutFilter::watch(QObject *widget)
{
    widget->installEventFilter(this);
    // Spin boxes and editable combo boxes keep the focus themselves and hand
    // the override straight to their inner QLineEdit's event(), bypassing its
    // filters, so they are watched as well.
    const QList<QWidget *> children = widget->findChildren<QWidget *>();
    for (QWidget *child : children) {
        if (qobject_cast<QLineEdit *>(child) || qobject_cast<QAbstractSpinBox *>(child)
            || qobject_cast<QComboBox *>(child))
            child->installEventFilter(this);
    }
}

bool UndoShortcutFilter::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::ShortcutOverride && event->type() != QEvent::KeyPress)
        return QObject::eventFilter(watched, event);

    auto *key = static_cast<QKeyEvent *>(event);
    if (!key->matches(QKeySequence::Undo) && !key->matches(QKeySequence::Redo))
        return QObject::eventFilter(watched, event);

    if (event->type() == QEvent::ShortcutOverride) {
        // An ignored override lets the shortcut map trigger the window's action.
        event->ignore();
        return true;
    }
    // Reached only if no action took the shortcut (no project): the field's
    // own undo would fork the history, so the key does nothing.
    event->accept();
    return true;
}

} // namespace CalStudio
