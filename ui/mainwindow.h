#pragma once

#include "core/common/error.h"
#include "core/project/projectsettings.h"

#include <QMainWindow>

#include <memory>

class QAction;
class QActionGroup;
class QListWidget;
class QMenu;
class QQuickWidget;
class QStackedWidget;
class QUndoGroup;

namespace CalStudio {

class ApiKeyStore;
class GeneratePage;
class CalendarPage;
class PromptThemeLibrary;
class PromptsPage;
class PreviewPage;
class ErrorBanner;
class Project;
class ProjectSettingsPage;
class SelfiesPage;

/**
 * The studio window: a welcome screen (QML) when no project is open, and the
 * project view — the journey sidebar and its pages — when one is.
 *
 * All errors of the window go to its ErrorBanner; an operation that fails
 * leaves the window as it was. The public methods are what the menus call
 * after their dialogs, so tests and the command line can drive them directly.
 */
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    /// Identifiers of the journey steps, in the order of the user's path.
    static inline const QString StepCalendar = QStringLiteral("calendar");
    static inline const QString StepSelfies = QStringLiteral("selfies");
    static inline const QString StepPrompts = QStringLiteral("prompts");
    static inline const QString StepGenerate = QStringLiteral("generate");
    static inline const QString StepPreview = QStringLiteral("preview");

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /**
     * Creates a project at `path` (which must not exist) with `settings` and
     * shows it. On failure shows the banner, keeps the current project and
     * returns false.
     */
    bool newProjectAt(const QString &path, const ProjectSettings &settings = ProjectSettings::defaults());
    /// Opens the project at `path` instead of the current one. Same failure rules as newProjectAt().
    bool openProject(const QString &path);
    /// Save As: continues on a copy at `path`, keeping the undo history.
    bool saveProjectAs(const QString &path);
    /// Creates next year's calendar from the open one (settings a year on, personal dates and holiday choices) and opens it.
    bool newProjectForNextYear(const QString &path);
    /**
     * Writes pending edits and closes the project, back to the welcome screen.
     * If the edits cannot be written the project stays open and the banner
     * says why; returns false then.
     */
    bool closeProject();
    /// Reopens the project open when the window was last closed, if any. Returns whether one was opened.
    bool reopenLastProject();

    [[nodiscard]] Project *project() const { return m_project.get(); }

    /// Shows `error` in the window's banner.
    void showError(const CalStudio::Error &error);
    [[nodiscard]] ErrorBanner *errorBanner() const { return m_banner; }

    /**
     * Adds a step to the journey sidebar with its page, and a Go menu entry
     * (Ctrl+1, Ctrl+2, … in order of registration). Only steps that have a
     * page are registered, so the sidebar never shows a dead end.
     */
    void addJourneyStep(const QString &id, const QString &title, QWidget *page);
    /// Shows the page of step `id`; returns false for an unknown step or when no project is open.
    bool showJourneyStep(const QString &id);
    [[nodiscard]] QString currentJourneyStep() const;
    [[nodiscard]] QStringList journeySteps() const;

    /// The Calendar step: settings, holidays, personal dates and the live page preview.
    [[nodiscard]] CalendarPage *calendarPage() const { return m_calendarPage; }
    [[nodiscard]] PromptsPage *promptsPage() const { return m_promptsPage; }
    [[nodiscard]] SelfiesPage *selfiesPage() const { return m_selfiesPage; }
    /// The Preview step: every page per print format, warnings, the crop editor.
    [[nodiscard]] PreviewPage *previewPage() const { return m_previewPage; }
    /// The settings form inside the Calendar step.
    [[nodiscard]] ProjectSettingsPage *settingsPage() const;
    [[nodiscard]] QQuickWidget *welcomeView() const { return m_welcome; }
    /// Whether the welcome screen (rather than a project) is shown.
    [[nodiscard]] bool isShowingWelcome() const;
    [[nodiscard]] QMenu *recentMenu() const { return m_recentMenu; }

    /**
     * Edit ▸ Paste Photos (Ctrl+V where no text field takes it): imports the
     * clipboard's image or files into the Selfies step and shows it. Returns
     * false when no project is open or the clipboard holds no photo.
     */
    bool pastePhotos();

    /// Writes geometry, window state and the open project to QSettings (also done on close).
    void saveSession() const;

Q_SIGNALS:
    void projectChanged(CalStudio::Project *project);

protected:
    void closeEvent(QCloseEvent *event) override;
    // Photos dropped anywhere on the window go to the Selfies step.
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    struct JourneyStep {
        QString id;
        QWidget *page;
        QAction *action;
    };

    void createWelcome();
    void createActions();
    void restoreSession();
    void setProject(std::unique_ptr<Project> project);
    void updateWindowTitle();
    void updateActions();
    void refreshRecentMenu();
    void rememberRecent(const QString &path);

    void saveAsInteractive();
    void nextYearInteractive();
    void showAbout();
    void openImageServices();
    void showWelcome();
    [[nodiscard]] bool flushBeforeSwitching();

private Q_SLOTS:
    // Slots because the welcome screen's signals are QML signals, connected by name.
    void newProjectInteractive();
    void openInteractive();
    void openRecent(const QString &path);

private:
    std::unique_ptr<Project> m_project;
    QUndoGroup *m_undoGroup;
    ErrorBanner *m_banner;
    QStackedWidget *m_views;
    QQuickWidget *m_welcome = nullptr;
    QWidget *m_projectView;
    QListWidget *m_journey;
    QStackedWidget *m_pages;
    CalendarPage *m_calendarPage;
    SelfiesPage *m_selfiesPage;
    // The library outlives the page that uses it (members are destroyed in reverse order).
    std::unique_ptr<PromptThemeLibrary> m_themeLibrary;
    PromptsPage *m_promptsPage;
    ApiKeyStore *m_apiKeyStore; ///< the window's one key store (the Generate page and Image Services share it)
    GeneratePage *m_generatePage;
    PreviewPage *m_previewPage;
    QList<JourneyStep> m_steps;

    QMenu *m_recentMenu = nullptr;
    QMenu *m_goMenu = nullptr;
    QAction *m_saveAsAction = nullptr;
    QAction *m_nextYearAction = nullptr;
    QAction *m_closeAction = nullptr;
    QAction *m_pastePhotosAction = nullptr;
    bool m_saveErrorShown = false; ///< the banner shows a failed autosave
};

} // namespace CalStudio
