#pragma once

#include <QString>

class QAction;
class QLabel;
class QWidget;

namespace CalStudio::PageWidgets {

/// The quiet, wrapping explanatory text used under headings and fields on every page.
QLabel *noteLabel(const QString &text, QWidget *parent);
/// A bold heading `scale` times the default font size (1.6 for a page title).
QLabel *heading(const QString &text, qreal scale, QWidget *parent);
/// "Apply theme (Ctrl+T)": a tooltip that teaches the action's shortcut.
QString shortcutHint(const QString &text, const QAction *action);

} // namespace CalStudio::PageWidgets
