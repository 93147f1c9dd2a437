#pragma once

#include "core/common/error.h"
#include "core/project/monthentry.h"
#include "core/project/project.h"
#include "core/project/prompttheme.h"

#include <QPointer>
#include <QWidget>

#include <functional>
#include <utility>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTimer;

namespace CalStudio {

class PromptThemeLibrary;
class ThemeDialog;

/**
 * The "Prompts" step: the thirteen pages of the calendar (cover, then the
 * twelve months in the project's order) on the left, an editor for the
 * selected page's title, scene, style and "avoid" text on the right.
 *
 * Every edit goes through Project::setMonth(), so typing in one field of one
 * page is one undo step in the project's history; the page follows
 * Project::monthChanged and settingsChanged, so undo, redo and other views
 * keep it current. Applying a theme sets all thirteen pages as one step.
 * Failures the person must see (a theme that cannot be saved) are reported
 * through errorOccurred() for the window's banner.
 */
class PromptsPage : public QWidget {
    Q_OBJECT
public:
    /// `library` must outlive the page.
    explicit PromptsPage(PromptThemeLibrary *library, QWidget *parent = nullptr);

    /// Shows and edits `project`; nullptr empties and disables the page.
    void setProject(CalStudio::Project *project);
    [[nodiscard]] Project *project() const { return m_project; }

    /// The page (0 = cover, 1–12 = January–December) being edited, -1 without a project.
    [[nodiscard]] int currentMonth() const;
    /// Selects page `month` (0–12) in the list and the editor.
    void setCurrentMonth(int month);

    /// Opens the theme picker (Ctrl+T); accepting it calls applyTheme().
    void openThemeDialog();
    /// Sets all 13 pages from the theme `id` as one undo step. Returns false (and reports) on failure.
    bool applyTheme(const QString &id);
    /// Sets all 13 pages from `theme` as one undo step; see applyTheme().
    bool applyTheme(const PromptTheme &theme);
    /// Replaces the selected page's scene with a different one from the themes, as one undo step (Ctrl+G).
    bool suggest();
    /// Asks for a name, then calls saveAsTheme().
    void saveAsThemeInteractive();
    /// Saves the project's 13 pages as the user theme `name`. Returns false (and reports) on failure.
    bool saveAsTheme(const QString &name);

Q_SIGNALS:
    void errorOccurred(const CalStudio::Error &error);

private:
    void refreshAll();
    void refreshListItem(int month);
    void refreshEditor(bool pageSwitched);
    void refreshIssues(const MonthEntry &entry);
    void onMonthChanged(int month);
    void commit(const MonthEntry &entry, const QString &undoText);
    void editCurrent(const std::function<void(MonthEntry &)> &change, const QString &undoTextPattern);
    void moveSelection(int delta);
    void report(const Error &error);
    void showNote(const QString &text);

    /// (month, name) of the 13 pages in the project's calendar order.
    [[nodiscard]] QList<std::pair<int, QString>> pageOrder() const;
    [[nodiscard]] QString pageName(int month) const;
    [[nodiscard]] QString pageHeading(int month) const;
    [[nodiscard]] int rowOfMonth(int month) const;

    PromptThemeLibrary *m_library;
    QPointer<Project> m_project;
    QList<QMetaObject::Connection> m_projectConnections;
    QPointer<ThemeDialog> m_themeDialog;
    quint32 m_suggestSeed;

    QStackedWidget *m_stack;
    QListWidget *m_pages;
    QLabel *m_heading;
    QLabel *m_position;
    QLineEdit *m_title;
    QPlainTextEdit *m_prompt;
    QLabel *m_counter;
    QComboBox *m_style;
    QLabel *m_styleDescription;
    QLineEdit *m_avoid;
    QLabel *m_issues;
    QLabel *m_note;
    QTimer *m_noteTimer;

    QPushButton *m_applyThemeButton;
    QPushButton *m_suggestButton;
    QPushButton *m_saveThemeButton;
    QAction *m_applyThemeAction;
    QAction *m_suggestAction;
    QAction *m_saveThemeAction;
    QAction *m_previousPageAction;
    QAction *m_nextPageAction;
};

} // namespace CalStudio
