#include "ui/mainwindow.h"

#include "core/generation/apikeystore.h"
#include "core/project/project.h"
#include "core/project/projectstore.h"
#include "core/project/promptthemelibrary.h"
#include "core/project/recentprojects.h"
#include "ui/apikeysdialog.h"
#include "ui/calendarpage.h"
#include "ui/errorbanner.h"
#include "qml/generationboardmodel.h"
#include "ui/generatepage.h"
#include "ui/previewpage.h"
#include "ui/pricetabledialog.h"
#include "ui/promptspage.h"
#include "ui/selfiespage.h"
#include "ui/uilogging.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QListWidget>
#include <QMimeData>
#include <QLockFile>
#include <QMenuBar>
#include <QMessageBox>
#include <QQmlError>
#include <QQuickItem>
#include <QQuickWidget>
#include <QStatusBar>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QUndoGroup>
#include <QVBoxLayout>

namespace CalStudio {

namespace {

const QString ProjectSuffix = QStringLiteral("calstudio");
const QString GeometryKey = QStringLiteral("window/geometry");
const QString StateKey = QStringLiteral("window/state");
const QString LastProjectKey = QStringLiteral("session/lastProject");
const QString LastFolderKey = QStringLiteral("session/lastFolder");

QString projectFilter()
{
    return QCoreApplication::translate("CalStudio::MainWindow", "Calendar Studio projects (*.calstudio)");
}

QString withSuffix(const QString &path)
{
    if (QFileInfo(path).suffix().compare(ProjectSuffix, Qt::CaseInsensitive) == 0)
        return path;
    return path + QLatin1Char('.') + ProjectSuffix;
}

bool samePath(const QString &a, const QString &b)
{
    return QFileInfo(a).absoluteFilePath() == QFileInfo(b).absoluteFilePath();
}

// The folder new calendars go to by default: ~/Documents/Calendar Studio.
QString defaultProjectFolder()
{
    const QString folder = QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
                               .filePath(QStringLiteral("Calendar Studio"));
    if (!QDir().mkpath(folder))
        qCWarning(lcUi) << "could not create" << folder;
    return folder;
}

// Focuses the page's first field in tab order (the order a keyboard user meets them).
void focusFirstField(QWidget *page)
{
    for (QWidget *w = page->nextInFocusChain(); w && w != page; w = w->nextInFocusChain()) {
        if (!page->isAncestorOf(w))
            continue;
        if ((w->focusPolicy() & Qt::TabFocus) && w->isEnabled() && w->isVisibleTo(page) && !w->focusProxy()) {
            w->setFocus(Qt::OtherFocusReason);
            return;
        }
    }
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_undoGroup(new QUndoGroup(this))
    , m_banner(new ErrorBanner(this))
    , m_views(new QStackedWidget(this))
    , m_projectView(new QWidget(this))
    , m_journey(new QListWidget(this))
    , m_pages(new QStackedWidget(this))
    , m_calendarPage(new CalendarPage(this))
    , m_selfiesPage(new SelfiesPage(this))
    , m_themeLibrary(std::make_unique<PromptThemeLibrary>(
          QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/themes")))
    , m_promptsPage(new PromptsPage(m_themeLibrary.get(), this))
    , m_apiKeyStore(new ApiKeyStore(this))
    , m_generatePage(new GeneratePage(m_apiKeyStore, this))
    , m_previewPage(new PreviewPage(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    resize(1100, 740);
    setAcceptDrops(true);

    m_views->setObjectName(QStringLiteral("views"));
    m_projectView->setObjectName(QStringLiteral("projectView"));
    m_pages->setObjectName(QStringLiteral("journeyPages"));

    m_journey->setObjectName(QStringLiteral("journeyList"));
    m_journey->setAccessibleName(tr("Steps"));
    m_journey->setFixedWidth(210);
    m_journey->setFrameShape(QFrame::NoFrame);
    m_journey->setStyleSheet(QStringLiteral(
        "#journeyList { background: #efebe4; border-right: 1px solid #e0dad0; padding-top: 16px; outline: 0; }"
        "#journeyList::item { padding: 9px 18px; margin: 1px 8px; border-radius: 6px; color: #2b2925; }"
        "#journeyList::item:selected { background: #c2562f; color: white; }"
        "#journeyList::item:hover:!selected { background: #e6e0d6; }"));
    QFont journeyFont = m_journey->font();
    journeyFont.setPointSizeF(journeyFont.pointSizeF() * 1.1);
    m_journey->setFont(journeyFont);
    connect(m_journey, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);

    auto *projectLayout = new QHBoxLayout(m_projectView);
    projectLayout->setContentsMargins(0, 0, 0, 0);
    projectLayout->setSpacing(0);
    projectLayout->addWidget(m_journey);
    projectLayout->addWidget(m_pages, 1);

    createWelcome();
    m_views->addWidget(m_projectView);

    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_banner);
    centralLayout->addWidget(m_views, 1);
    setCentralWidget(central);

    connect(m_banner, &ErrorBanner::dismissed, this, [this] { m_saveErrorShown = false; });

    createActions();
    connect(m_calendarPage, &CalendarPage::errorOccurred, this, &MainWindow::showError);
    addJourneyStep(StepCalendar, tr("Calendar"), m_calendarPage);
    connect(m_selfiesPage, &SelfiesPage::errorOccurred, this, &MainWindow::showError);
    addJourneyStep(StepSelfies, tr("Selfies"), m_selfiesPage);
    connect(m_promptsPage, &PromptsPage::errorOccurred, this, &MainWindow::showError);
    addJourneyStep(StepPrompts, tr("Prompts"), m_promptsPage);
    connect(m_generatePage, &GeneratePage::errorOccurred, this, &MainWindow::showError);
    connect(m_generatePage, &GeneratePage::imageServicesRequested, this, &MainWindow::openImageServices);
    connect(m_generatePage, &GeneratePage::runFinished, this,
            [this](const QString &summary) { statusBar()->showMessage(summary, 15000); });
    addJourneyStep(StepGenerate, tr("Generate"), m_generatePage);
    connect(m_previewPage, &PreviewPage::errorOccurred, this, &MainWindow::showError);
    connect(m_previewPage, &PreviewPage::exportFinished, this, [this](const QString &path, const QString &summary) {
        if (!path.isEmpty())
            statusBar()->showMessage(summary, 15000);
    });
    addJourneyStep(StepPreview, tr("Preview"), m_previewPage);

    restoreSession();
    setProject(nullptr);
}

MainWindow::~MainWindow()
{
    // Pages hold a pointer to the project; detach them before it goes.
    m_calendarPage->setProject(nullptr);
    m_selfiesPage->setProject(nullptr);
    m_promptsPage->setProject(nullptr);
    m_previewPage->setProject(nullptr);
    // Generation finishes storing what was paid for before the project closes.
    m_generatePage->setProject(nullptr);
    m_project.reset();
    // The prompts page uses the theme library; it goes before the library does.
    delete m_promptsPage;
}

ProjectSettingsPage *MainWindow::settingsPage() const
{
    return m_calendarPage->settingsForm();
}

void MainWindow::createWelcome()
{
    m_welcome = new QQuickWidget(this);
    m_welcome->setObjectName(QStringLiteral("welcomeView"));
    m_welcome->setResizeMode(QQuickWidget::SizeRootObjectToView);
    m_welcome->setFocusPolicy(Qt::StrongFocus);
    m_welcome->setClearColor(QColor(0xf5, 0xf2, 0xec));
    m_welcome->setSource(QUrl(QStringLiteral("qrc:/CalendarStudio/WelcomeScreen.qml")));
    m_views->addWidget(m_welcome);

    QQuickItem *root = m_welcome->rootObject();
    if (m_welcome->status() != QQuickWidget::Ready || !root) {
        QStringList messages;
        const QList<QQmlError> errors = m_welcome->errors();
        for (const QQmlError &e : errors)
            messages.append(e.toString());
        qCCritical(lcUi) << "welcome screen failed to load:" << messages;
        // The menus still offer New and Open, so the window stays usable.
        m_banner->showError(Error(QStringLiteral("ui_load_failed"),
            tr("The welcome screen could not be shown. Use File ▸ New or File ▸ Open to "
               "continue, and please report this problem."),
            messages.join(QLatin1Char('\n'))));
        return;
    }
    connect(root, SIGNAL(newProjectRequested()), this, SLOT(newProjectInteractive()));
    connect(root, SIGNAL(openRequested()), this, SLOT(openInteractive()));
    connect(root, SIGNAL(openRecentRequested(QString)), this, SLOT(openRecent(QString)));
}

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newAction = file->addAction(tr("&New…"), this, &MainWindow::newProjectInteractive);
    newAction->setObjectName(QStringLiteral("actionNew"));
    newAction->setShortcuts(QKeySequence::New);
    QAction *openAction = file->addAction(tr("&Open…"), this, &MainWindow::openInteractive);
    openAction->setObjectName(QStringLiteral("actionOpen"));
    openAction->setShortcuts(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::refreshRecentMenu);
    m_nextYearAction = file->addAction(tr("New Calendar for Ne&xt Year…"), this, &MainWindow::nextYearInteractive);
    m_nextYearAction->setObjectName(QStringLiteral("actionNextYear"));
    file->addSeparator();
    m_saveAsAction = file->addAction(tr("Save &As…"), this, &MainWindow::saveAsInteractive);
    m_saveAsAction->setObjectName(QStringLiteral("actionSaveAs"));
    m_saveAsAction->setShortcuts(QKeySequence::SaveAs);
    m_closeAction = file->addAction(tr("&Close Project"), this, [this] { (void)closeProject(); });
    m_closeAction->setObjectName(QStringLiteral("actionClose"));
    m_closeAction->setShortcuts(QKeySequence::Close);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setObjectName(QStringLiteral("actionQuit"));
    quit->setShortcuts(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    // One pair of actions that follows whichever project is open.
    QAction *undo = m_undoGroup->createUndoAction(this, tr("&Undo"));
    undo->setObjectName(QStringLiteral("actionUndo"));
    undo->setShortcuts(QKeySequence::Undo);
    QAction *redo = m_undoGroup->createRedoAction(this, tr("&Redo"));
    redo->setObjectName(QStringLiteral("actionRedo"));
    // Ctrl+Shift+Z works everywhere, also where the platform's Redo is Ctrl+Y.
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    const QKeySequence shiftZ(Qt::CTRL | Qt::SHIFT | Qt::Key_Z);
    if (!redoKeys.contains(shiftZ))
        redoKeys.append(shiftZ);
    redo->setShortcuts(redoKeys);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    // Text fields keep Ctrl+V for text: they claim the shortcut while they have the keyboard.
    m_pastePhotosAction = edit->addAction(tr("&Paste Photos"), this, [this] { (void)pastePhotos(); });
    m_pastePhotosAction->setObjectName(QStringLiteral("actionPastePhotos"));
    m_pastePhotosAction->setShortcuts(QKeySequence::Paste);
    m_pastePhotosAction->setStatusTip(tr("Add the photo you copied to your selfies"));
    edit->addSeparator();
    // The user's API keys (OS keychain) and service addresses; one ApiKeyStore per window.
    QAction *imageServices = edit->addAction(tr("Image &Services…"), this, &MainWindow::openImageServices);
    imageServices->setObjectName(QStringLiteral("actionImageServices"));
    imageServices->setMenuRole(QAction::PreferencesRole);
    imageServices->setStatusTip(tr("Your API keys for the image services"));
    // The price table behind every estimate (HttpPriceTable); the user's prices live beside the settings.
    QAction *imagePrices = edit->addAction(tr("Image P&rices…"), this, [this] {
        auto *dialog = new PriceTableDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &PriceTableDialog::pricesChanged, m_generatePage, &GeneratePage::refreshPrices);
        dialog->open();
    });
    imagePrices->setObjectName(QStringLiteral("actionImagePrices"));
    imagePrices->setStatusTip(tr("The price per picture used for estimates before a run"));

    m_goMenu = menuBar()->addMenu(tr("&Go"));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About Calendar Studio"), this, &MainWindow::showAbout);
    about->setObjectName(QStringLiteral("actionAbout"));
    about->setMenuRole(QAction::AboutRole);

    refreshRecentMenu();
}

void MainWindow::openImageServices()
{
    auto *dialog = new ApiKeysDialog(m_apiKeyStore, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::addJourneyStep(const QString &id, const QString &title, QWidget *page)
{
    Q_ASSERT(page);
    const int index = int(m_steps.size());
    m_pages->addWidget(page);
    auto *item = new QListWidgetItem(title, m_journey);
    item->setData(Qt::UserRole, id);

    QAction *action = m_goMenu->addAction(title, this, [this, id] { (void)showJourneyStep(id); });
    action->setObjectName(QStringLiteral("actionGo_") + id);
    if (index < 9)
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + index)));
    action->setEnabled(m_project != nullptr);
    m_steps.append({ id, page, action });
}

bool MainWindow::showJourneyStep(const QString &id)
{
    if (!m_project)
        return false;
    for (int i = 0; i < m_steps.size(); ++i) {
        if (m_steps.at(i).id == id) {
            m_journey->setCurrentRow(i);
            focusFirstField(m_steps.at(i).page);
            return true;
        }
    }
    return false;
}

QString MainWindow::currentJourneyStep() const
{
    const int row = m_journey->currentRow();
    return (m_project && row >= 0 && row < m_steps.size()) ? m_steps.at(row).id : QString();
}

QStringList MainWindow::journeySteps() const
{
    QStringList ids;
    for (const JourneyStep &step : m_steps)
        ids.append(step.id);
    return ids;
}

bool MainWindow::isShowingWelcome() const
{
    return m_views->currentWidget() == m_welcome;
}

void MainWindow::showError(const CalStudio::Error &error)
{
    m_saveErrorShown = false;
    m_banner->showError(error);
}

bool MainWindow::flushBeforeSwitching()
{
    if (!m_project)
        return true;
    const Status st = m_project->flush();
    if (st)
        return true;
    m_banner->showError(Error(st.error().code,
                            tr("Your latest changes to “%1” could not be saved yet, so the calendar stays open. %2")
                                .arg(m_project->settings().title, st.error().userMessage),
                            st.error().detail),
        tr("Try Again"), [this] { (void)flushBeforeSwitching(); });
    return false;
}

bool MainWindow::newProjectAt(const QString &path, const ProjectSettings &settings)
{
    if (!flushBeforeSwitching())
        return false;
    auto project = Project::create(path, settings);
    if (!project) {
        showError(project.error());
        return false;
    }
    qCInfo(lcUi) << "created project" << path;
    m_banner->dismiss();
    rememberRecent((*project)->path());
    setProject(std::move(*project));
    return true;
}

bool MainWindow::openProject(const QString &path)
{
    if (m_project && samePath(m_project->path(), path)) {
        (void)showJourneyStep(currentJourneyStep().isEmpty() ? StepCalendar : currentJourneyStep());
        return true;
    }
    if (!flushBeforeSwitching())
        return false;
    auto project = Project::open(path);
    if (!project) {
        showError(project.error());
        return false;
    }
    qCInfo(lcUi) << "opened project" << path;
    m_banner->dismiss();
    rememberRecent((*project)->path());
    setProject(std::move(*project));
    return true;
}

bool MainWindow::saveProjectAs(const QString &path)
{
    if (!m_project)
        return false;
    const Status st = m_project->saveAs(path);
    if (!st) {
        showError(st.error());
        return false;
    }
    m_banner->dismiss();
    return true;
}

bool MainWindow::newProjectForNextYear(const QString &path)
{
    if (!m_project)
        return false;
    auto next = m_project->createForNextYear(path);
    if (!next) {
        showError(next.error());
        return false;
    }
    const QString created = (*next)->path();
    next->reset(); // release its lock; openProject() takes the file like any other
    return openProject(created);
}

bool MainWindow::closeProject()
{
    if (!m_project)
        return true;
    if (!flushBeforeSwitching())
        return false;
    qCInfo(lcUi) << "closed project" << m_project->path();
    setProject(nullptr);
    return true;
}

bool MainWindow::reopenLastProject()
{
    const QString path = QSettings().value(LastProjectKey).toString();
    if (path.isEmpty() || !QFileInfo::exists(path))
        return false;
    return openProject(path);
}

void MainWindow::setProject(std::unique_ptr<Project> project)
{
    m_calendarPage->setProject(nullptr);
    m_selfiesPage->setProject(nullptr);
    m_promptsPage->setProject(nullptr);
    m_previewPage->setProject(nullptr);
    m_generatePage->setProject(nullptr);
    // The old project writes what is left and releases its lock here.
    m_project = std::move(project);

    if (m_project) {
        Project *p = m_project.get();
        m_undoGroup->addStack(p->undoStack());
        m_undoGroup->setActiveStack(p->undoStack());
        connect(p, &Project::settingsChanged, this, &MainWindow::updateWindowTitle);
        connect(p, &Project::pathChanged, this, [this](const QString &path) {
            rememberRecent(path);
            updateWindowTitle();
        });
        connect(p, &Project::saveFailed, this, [this](const CalStudio::Error &error) {
            // Edits stay in memory and core retries; the banner says so and offers to retry now.
            m_saveErrorShown = true;
            m_banner->showError(
                Error(error.code,
                    tr("%1 Your changes are kept and saving is retried automatically.").arg(error.userMessage),
                    error.detail),
                tr("Save Now"), [this] {
                    if (m_project)
                        (void)m_project->flush();
                });
        });
        connect(p, &Project::saved, this, [this] {
            // A banner about a failed save is out of date once a save succeeded.
            if (m_saveErrorShown && m_banner->isShowingError() && m_project && !m_project->hasUnsavedChanges())
                m_banner->dismiss();
        });
        m_calendarPage->setProject(p);
        m_selfiesPage->setProject(p);
        m_promptsPage->setProject(p);
        m_generatePage->setProject(p);
        m_previewPage->setProject(p);
        m_views->setCurrentWidget(m_projectView);
        (void)showJourneyStep(StepCalendar);
    } else {
        showWelcome();
    }

    updateActions();
    updateWindowTitle();
    Q_EMIT projectChanged(m_project.get());
}

void MainWindow::showWelcome()
{
    m_views->setCurrentWidget(m_welcome);
    if (QQuickItem *root = m_welcome->rootObject())
        QMetaObject::invokeMethod(root, "refresh");
    m_welcome->setFocus(Qt::OtherFocusReason);
}

void MainWindow::updateWindowTitle()
{
    if (!m_project) {
        setWindowFilePath({});
        setWindowTitle(tr("Calendar Studio"));
        return;
    }
    const QFileInfo info(m_project->path());
    setWindowFilePath(info.absoluteFilePath());
    setWindowTitle(tr("%1 (%2) — Calendar Studio").arg(m_project->settings().title, info.fileName()));
}

void MainWindow::updateActions()
{
    const bool open = m_project != nullptr;
    m_saveAsAction->setEnabled(open);
    m_nextYearAction->setEnabled(open);
    m_closeAction->setEnabled(open);
    m_pastePhotosAction->setEnabled(open);
    for (const JourneyStep &step : std::as_const(m_steps))
        step.action->setEnabled(open);
}

void MainWindow::refreshRecentMenu()
{
    m_recentMenu->clear();
    const QStringList paths = RecentProjects().paths();
    int number = 1;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        // "&1" gives keyboard users a one-key choice; a literal & in a name must not become a mnemonic.
        QString name = info.completeBaseName();
        name.replace(QLatin1Char('&'), QStringLiteral("&&"));
        const QString text = number < 10 ? QStringLiteral("&%1  %2").arg(number).arg(name) : name;
        QAction *action = m_recentMenu->addAction(text, this, [this, path] { openRecent(path); });
        action->setData(path);
        action->setToolTip(QDir::toNativeSeparators(path));
        action->setStatusTip(QDir::toNativeSeparators(path));
        ++number;
    }
    if (paths.isEmpty()) {
        QAction *none = m_recentMenu->addAction(tr("No Recent Calendars"));
        none->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("&Clear List"), this, [this] {
        RecentProjects().clear();
        refreshRecentMenu();
        if (QQuickItem *root = m_welcome->rootObject())
            QMetaObject::invokeMethod(root, "refresh");
    });
}

void MainWindow::rememberRecent(const QString &path)
{
    RecentProjects().add(path);
    QSettings().setValue(LastFolderKey, QFileInfo(path).absolutePath());
    refreshRecentMenu();
    if (QQuickItem *root = m_welcome->rootObject())
        QMetaObject::invokeMethod(root, "refresh");
}

void MainWindow::openRecent(const QString &path)
{
    (void)openProject(path);
}

void MainWindow::newProjectInteractive()
{
    const QString folder = defaultProjectFolder();
    const int year = ProjectSettings::defaults().year;
    QString suggestion = QDir(folder).filePath(tr("My Calendar %1").arg(year) + QLatin1Char('.') + ProjectSuffix);
    for (int n = 2; QFileInfo::exists(suggestion) && n < 100; ++n)
        suggestion
            = QDir(folder).filePath(tr("My Calendar %1 (%2)").arg(year).arg(n) + QLatin1Char('.') + ProjectSuffix);

    const QString chosen = QFileDialog::getSaveFileName(this, tr("New Calendar"), suggestion, projectFilter());
    if (chosen.isEmpty())
        return;
    const QString path = withSuffix(chosen);

    if (QFileInfo::exists(path)) {
        const QString name = QFileInfo(path).fileName();
        if (path != chosen) {
            // The dialog confirmed replacing `chosen`, not the name with the suffix added.
            showError(Error(QStringLiteral("exists"),
                tr("There is already a calendar called “%1”. Choose another name.").arg(name)));
            return;
        }
        if (m_project && samePath(m_project->path(), path)) {
            showError(Error(QStringLiteral("in_use"),
                tr("“%1” is the calendar you have open. To start afresh, choose another name.").arg(name)));
            return;
        }
        // The dialog already asked about replacing it; refuse only if another window has it open.
        QLockFile lock(ProjectStore::lockFilePath(path));
        lock.setStaleLockTime(0);
        if (!lock.tryLock(0)) {
            showError(Error(QStringLiteral("in_use"),
                tr("“%1” is open in another Calendar Studio window, so it cannot be replaced. Close it "
                   "there, or choose another name.")
                    .arg(name)));
            return;
        }
        const QStringList files { path, path + QStringLiteral("-wal"), path + QStringLiteral("-shm") };
        for (const QString &companion : files) {
            if (QFileInfo::exists(companion) && !QFile::remove(companion)) {
                showError(Error(QStringLiteral("io_error"),
                    tr("“%1” could not be replaced. Check that the file is not read-only, or choose "
                       "another name.")
                        .arg(name),
                    companion));
                return;
            }
        }
    }
    (void)newProjectAt(path, ProjectSettings::defaults());
}

void MainWindow::openInteractive()
{
    QString folder = QSettings().value(LastFolderKey).toString();
    if (folder.isEmpty() || !QFileInfo(folder).isDir())
        folder = defaultProjectFolder();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Calendar"), folder, projectFilter() + QStringLiteral(";;") + tr("All files (*)"));
    if (!path.isEmpty())
        (void)openProject(path);
}

void MainWindow::saveAsInteractive()
{
    if (!m_project)
        return;
    if (m_generatePage->board()->busy()) {
        // The queue writes to the file being copied; a copy mid-run would strand the pictures on their way.
        showError(Error(QStringLiteral("busy"),
                        tr("Pictures are being generated. Wait until they are done (or cancel them on the Generate "
                           "page), then save a copy."),
                        {}));
        return;
    }
    const QFileInfo current(m_project->path());
    const QString suggestion
        = current.dir().filePath(tr("%1 copy").arg(current.completeBaseName()) + QLatin1Char('.') + ProjectSuffix);
    const QString chosen = QFileDialog::getSaveFileName(this, tr("Save Calendar As"), suggestion, projectFilter());
    if (chosen.isEmpty())
        return;
    const QString path = withSuffix(chosen);
    if (path != chosen && QFileInfo::exists(path)) {
        showError(Error(QStringLiteral("exists"),
            tr("There is already a calendar called “%1”. Choose another name.").arg(QFileInfo(path).fileName())));
        return;
    }
    (void)saveProjectAs(path);
}

void MainWindow::nextYearInteractive()
{
    if (!m_project)
        return;
    const QFileInfo current(m_project->path());
    const int nextYear = m_project->settings().year + 1;
    QString base = current.completeBaseName();
    const QString year = QString::number(m_project->settings().year);
    base = base.contains(year) ? base.replace(year, QString::number(nextYear))
                               : base + QLatin1Char(' ') + QString::number(nextYear);
    const QString chosen = QFileDialog::getSaveFileName(this, tr("New Calendar for %1").arg(nextYear),
        current.dir().filePath(base + QLatin1Char('.') + ProjectSuffix), projectFilter());
    if (chosen.isEmpty())
        return;
    const QString path = withSuffix(chosen);
    if (QFileInfo::exists(path)) {
        showError(Error(QStringLiteral("exists"),
            tr("There is already a calendar called “%1”. Choose another name.").arg(QFileInfo(path).fileName())));
        return;
    }
    (void)newProjectForNextYear(path);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Calendar Studio"),
        tr("<h3>Calendar Studio %1</h3>"
           "<p>Make a personal photo calendar from your selfies: twelve monthly pictures, "
           "laid out and ready to print.</p>"
           "<p>Your projects stay on this computer.</p>")
            .arg(QCoreApplication::applicationVersion().toHtmlEscaped()));
}

bool MainWindow::pastePhotos()
{
    if (!m_project || !SelfiesPage::canImport(QGuiApplication::clipboard()->mimeData()))
        return false;
    (void)showJourneyStep(StepSelfies);
    return m_selfiesPage->pasteFromClipboard();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (m_project && SelfiesPage::canImport(event->mimeData()))
        event->acceptProposedAction();
    else
        event->ignore();
}

void MainWindow::dragMoveEvent(QDragMoveEvent *event)
{
    if (m_project && SelfiesPage::canImport(event->mimeData()))
        event->acceptProposedAction();
    else
        event->ignore();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    if (!m_project || !SelfiesPage::canImport(event->mimeData())) {
        event->ignore();
        return;
    }
    event->acceptProposedAction();
    (void)showJourneyStep(StepSelfies);
    (void)m_selfiesPage->importMimeData(event->mimeData(), tr("Dropped image"));
}

void MainWindow::saveSession() const
{
    QSettings settings;
    settings.setValue(GeometryKey, saveGeometry());
    settings.setValue(StateKey, saveState());
    settings.setValue(LastProjectKey, m_project ? m_project->path() : QString());
    settings.sync();
}

void MainWindow::restoreSession()
{
    const QSettings settings;
    if (const QByteArray geometry = settings.value(GeometryKey).toByteArray(); !geometry.isEmpty())
        restoreGeometry(geometry);
    if (const QByteArray state = settings.value(StateKey).toByteArray(); !state.isEmpty())
        restoreState(state);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_project) {
        const Status st = m_project->flush();
        if (!st) {
            event->ignore();
            m_banner->showError(
                Error(st.error().code,
                    tr("Calendar Studio could not save your latest changes, so it stays open to keep them. %1")
                        .arg(st.error().userMessage),
                    st.error().detail),
                tr("Try Again"), [this] { close(); });
            return;
        }
    }
    saveSession();
    event->accept();
}

} // namespace CalStudio
