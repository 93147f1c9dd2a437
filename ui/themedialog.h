#pragma once

#include "core/project/prompttheme.h"

#include <QDialog>
#include <QList>

#include <optional>
#include <utility>

class QDialogButtonBox;
class QLabel;
class QListWidget;
class QTextBrowser;

namespace CalStudio {

/**
 * Picks a prompt theme: the themes (name and description) on the left, a
 * read-only preview of the chosen theme's thirteen pages on the right, in
 * the calendar's own page order and month names. Accepting applies nothing
 * by itself; the caller reads selectedTheme() and applies it as one undo
 * step, which the dialog's note promises.
 */
class ThemeDialog : public QDialog {
    Q_OBJECT
public:
    /**
     * `themes` in the order to list them; `pages` are (month 0–12, name
     * shown) in the order the preview lists them — the project's calendar
     * order, so July starts a July calendar.
     */
    ThemeDialog(
        const QList<PromptTheme> &themes, const QList<std::pair<int, QString>> &pages, QWidget *parent = nullptr);

    /// The highlighted theme, if any.
    [[nodiscard]] std::optional<PromptTheme> selectedTheme() const;
    /// Highlights the theme `id`; returns false if it is not listed.
    bool selectTheme(const QString &id);

private:
    void showPreview(int row);

    QList<PromptTheme> m_themes;
    QList<std::pair<int, QString>> m_pages; ///< (month, page name) in calendar order
    QListWidget *m_list;
    QLabel *m_name;
    QLabel *m_description;
    QTextBrowser *m_preview;
    QDialogButtonBox *m_buttons;
};

} // namespace CalStudio
