// Drives the real studio window offscreen: projects are created, edited with
// the keyboard, undone, closed and reopened; failed opens must leave the
// window and the files untouched; screenshots are written for review.

#include "uitestsupport.h"
#include "core/calendar/specialdate.h"
#include "core/project/project.h"
#include "core/project/projectstore.h"
#include "core/project/recentprojects.h"
#include "ui/errorbanner.h"
#include "ui/mainwindow.h"
#include "ui/projectsettingspage.h"

#include <QAbstractButton>
#include <QAction>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QQmlError>
#include <QQuickItem>
#include <QQuickWidget>
#include <QSettings>
#include <QSpinBox>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(CalendarStudioPlugin)

using namespace CalStudio;
using CalStudio::UiTestSupport::screenshotDir;

namespace {

QByteArray fileHash(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArrayLiteral("<unreadable>");
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

// Builds a project file on disk and closes it again.
bool makeProject(const QString &path, const QString &title = QStringLiteral("Fixture"))
{
    ProjectSettings s = ProjectSettings::defaults(QDate(2026, 5, 1), QLocale(QStringLiteral("en_US")));
    s.title = title;
    return bool(ProjectStore::create(path, s));
}

bool setUserVersion(const QString &path, int version)
{
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            ok = q.exec(QStringLiteral("PRAGMA user_version = %1").arg(version));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("raw"));
    return ok;
}

// More than a handful of colours: something was actually drawn.
int distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    const QImage img = image.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < img.height(); y += 3) {
        for (int x = 0; x < img.width(); x += 3)
            colours.insert(img.pixel(x, y));
    }
    return int(colours.size());
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void welcomeScreenLoads();
    void welcomeScreenKeyboard();
    void editUndoRedoAndReopen();
    void refusedOpenKeepsEverything_data();
    void refusedOpenKeepsEverything();
    void reopenFailureShowsBannerOnWelcome();
    void recentProjects();
    void geometryIsRestored();
    void newProjectRefusesExistingFile();
    void nextYearCarriesDatesOver();
    void screenshots();

private:
    void showAndActivate(MainWindow &window);

    QTemporaryDir m_dir;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("CalendarStudioTest"));
    QCoreApplication::setApplicationName(QStringLiteral("Calendar Studio Test"));
    QVERIFY(m_dir.isValid());
}

void TestMainWindow::init()
{
    QSettings().clear();
    QSettings().sync();
}

void TestMainWindow::cleanup()
{
    QSettings().clear();
}

void TestMainWindow::showAndActivate(MainWindow &window)
{
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
}

void TestMainWindow::welcomeScreenLoads()
{
    MainWindow window;
    showAndActivate(window);
    QQuickWidget *welcome = window.welcomeView();
    QVERIFY(welcome);
    QCOMPARE(welcome->status(), QQuickWidget::Ready);
    QVERIFY2(welcome->errors().isEmpty(), qPrintable(welcome->errors().value(0).toString()));
    QVERIFY(window.isShowingWelcome());
    QVERIFY(!window.errorBanner()->isShowingError());
    QCOMPARE(window.windowTitle(), QStringLiteral("Calendar Studio"));
    // Only steps that have a page exist, in the order of the user's path.
    QCOMPARE(window.journeySteps(),
        (QStringList { MainWindow::StepCalendar, MainWindow::StepSelfies, MainWindow::StepPrompts,
                       MainWindow::StepGenerate, MainWindow::StepPreview }));

    // The QML signals reach the window: "open recent" opens the project.
    const QString path = m_dir.filePath(QStringLiteral("welcome.calstudio"));
    QVERIFY(makeProject(path, QStringLiteral("From the welcome screen")));
    QVERIFY(QMetaObject::invokeMethod(welcome->rootObject(), "openRecentRequested", Q_ARG(QString, path)));
    QVERIFY(window.project());
    QCOMPARE(window.project()->settings().title, QStringLiteral("From the welcome screen"));
    QVERIFY(!window.isShowingWelcome());
    QCOMPARE(window.windowTitle(), QStringLiteral("From the welcome screen (welcome.calstudio) — Calendar Studio"));
}

void TestMainWindow::welcomeScreenKeyboard()
{
    const QString path = m_dir.filePath(QStringLiteral("keyboard.calstudio"));
    QVERIFY(makeProject(path, QStringLiteral("Opened with Enter")));
    RecentProjects().add(path);

    MainWindow window;
    showAndActivate(window);
    QQuickWidget *welcome = window.welcomeView();
    QTRY_VERIFY(welcome->hasFocus());
    QQuickItem *root = welcome->rootObject();
    auto *list = root->findChild<QQuickItem *>(QStringLiteral("recentList"));
    QVERIFY(list);
    QTRY_COMPARE(list->property("count").toInt(), 1);

    // New → Open → the recent list, then Enter opens the highlighted calendar.
    QQuickItem *newButton = root->findChild<QQuickItem *>(QStringLiteral("newButton"));
    QVERIFY(newButton);
    QTRY_VERIFY(newButton->hasActiveFocus());
    QTest::keyClick(welcome, Qt::Key_Tab);
    QTest::keyClick(welcome, Qt::Key_Tab);
    QTRY_VERIFY(list->hasActiveFocus());
    QTest::keyClick(welcome, Qt::Key_Return);
    QTRY_VERIFY(window.project());
    QCOMPARE(window.project()->settings().title, QStringLiteral("Opened with Enter"));
}

void TestMainWindow::editUndoRedoAndReopen()
{
    const QString path = m_dir.filePath(QStringLiteral("a.calstudio"));
    MainWindow window;
    showAndActivate(window);
    ProjectSettings start = ProjectSettings::defaults(QDate(2030, 3, 1), QLocale(QStringLiteral("en_US")));
    QVERIFY(window.newProjectAt(path, start));
    Project *project = window.project();
    QVERIFY(project);
    QCOMPARE(window.currentJourneyStep(), MainWindow::StepCalendar);

    auto *title = window.findChild<QLineEdit *>(QStringLiteral("titleEdit"));
    auto *year = window.findChild<QSpinBox *>(QStringLiteral("yearSpin"));
    auto *startMonth = window.findChild<QComboBox *>(QStringLiteral("startMonthCombo"));
    auto *weekStart = window.findChild<QComboBox *>(QStringLiteral("weekStartCombo"));
    auto *locale = window.findChild<QComboBox *>(QStringLiteral("localeCombo"));
    auto *span = window.findChild<QLabel *>(QStringLiteral("spanLabel"));
    QVERIFY(title && year && startMonth && weekStart && locale && span);
    QCOMPARE(title->text(), QStringLiteral("My Calendar 2031"));
    QCOMPARE(span->text(), QStringLiteral("January – December 2031"));
    QCOMPARE(weekStart->itemText(0), QStringLiteral("Language default (Sunday)"));

    // Title: typed; one undo step however many keys.
    QTRY_VERIFY(title->hasFocus());
    title->selectAll();
    QTest::keyClicks(title, QStringLiteral("Family 2032"));
    QCOMPARE(project->settings().title, QStringLiteral("Family 2032"));
    QCOMPARE(window.windowTitle(), QStringLiteral("Family 2032 (a.calstudio) — Calendar Studio"));

    // Year: typed and confirmed with Enter.
    year->setFocus();
    year->selectAll();
    QTest::keyClicks(year, QStringLiteral("2032"));
    QTest::keyClick(year, Qt::Key_Return);
    QCOMPARE(project->settings().year, 2032);

    // First month: July, with the arrow keys; the note shows the two years.
    startMonth->setFocus();
    for (int i = 0; i < 6; ++i)
        QTest::keyClick(startMonth, Qt::Key_Down);
    QCOMPARE(project->settings().startMonth, 7);
    QCOMPARE(span->text(), QStringLiteral("July 2032 – June 2033"));

    // Week start: Sunday (third entry).
    weekStart->setFocus();
    QTest::keyClick(weekStart, Qt::Key_Down);
    QTest::keyClick(weekStart, Qt::Key_Down);
    QCOMPARE(project->settings().weekStart, WeekStart::Sunday);

    // Language: typed into the searchable combo.
    locale->setFocus();
    locale->lineEdit()->selectAll();
    QTest::keyClicks(locale, QStringLiteral("Deutsch (Deutschland)"));
    QTest::keyClick(locale, Qt::Key_Return);
    QCOMPARE(project->settings().locale, QStringLiteral("de_DE"));
    QCOMPARE(weekStart->itemText(0), QStringLiteral("Language default (Monday)"));

    // Ctrl+Z in a text field undoes the last project edit (the language), not the field's text.
    title->setFocus();
    QTRY_VERIFY(title->hasFocus());
    QTest::keyClick(title, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(project->settings().locale, QStringLiteral("en_US"));
    QCOMPARE(title->text(), QStringLiteral("Family 2032"));
    QCOMPARE(locale->currentData().toString(), QStringLiteral("en_US"));
    // …and on the window it undoes the ones before. Each pick from a list is
    // its own step (only typing merges), so the week start goes back via Monday.
    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(project->settings().weekStart, WeekStart::Monday);
    QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(project->settings().weekStart, WeekStart::LocaleDefault);
    QCOMPARE(weekStart->currentIndex(), 0);
    for (int i = 0; i < 6; ++i)
        QTest::keyClick(title, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(project->settings().startMonth, 1);
    QCOMPARE(startMonth->currentIndex(), 0);
    QCOMPARE(span->text(), QStringLiteral("January – December 2032"));
    QTest::keyClick(title, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(project->settings().year, 2031);
    QCOMPARE(year->value(), 2031);
    QTest::keyClick(title, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(project->settings().title, QStringLiteral("My Calendar 2031"));
    QCOMPARE(title->text(), QStringLiteral("My Calendar 2031"));
    QCOMPARE(window.windowTitle(), QStringLiteral("My Calendar 2031 (a.calstudio) — Calendar Studio"));
    QVERIFY(!project->undoStack()->canUndo());

    // Redo (Ctrl+Shift+Z) restores everything, from the text field and from the window.
    for (int i = 0; i < 4; ++i)
        QTest::keyClick(title, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(project->settings().title, QStringLiteral("Family 2032"));
    QCOMPARE(project->settings().year, 2032);
    QCOMPARE(project->settings().startMonth, 3);
    for (int i = 0; i < 6; ++i)
        QTest::keyClick(&window, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(project->settings().startMonth, 7);
    QCOMPARE(project->settings().weekStart, WeekStart::Sunday);
    QTest::keyClick(title, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(project->settings().locale, QStringLiteral("de_DE"));
    QVERIFY(!project->undoStack()->canRedo());
    QCOMPARE(span->text(), QStringLiteral("July 2032 – June 2033"));
    QCOMPARE(title->text(), QStringLiteral("Family 2032"));

    // An empty title is refused and explained under the field.
    title->setFocus();
    title->selectAll();
    QTest::keyClick(title, Qt::Key_Delete);
    auto *titleError = window.findChild<QLabel *>(QStringLiteral("titleError"));
    QVERIFY(titleError && titleError->isVisible());
    QVERIFY(!titleError->text().isEmpty());
    QCOMPARE(project->settings().title, QStringLiteral("Family 2032"));
    QTest::keyClicks(title, QStringLiteral("Family 2032"));
    QVERIFY(!titleError->isVisible());

    // Close through the menu action, then open again: the edits are there.
    auto *closeAction = window.findChild<QAction *>(QStringLiteral("actionClose"));
    QVERIFY(closeAction && closeAction->isEnabled());
    closeAction->trigger();
    QVERIFY(!window.project());
    QVERIFY(window.isShowingWelcome());
    QVERIFY(!closeAction->isEnabled());

    {
        auto store = ProjectStore::open(path, ProjectStore::Access::ReadOnly);
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
        auto saved = (*store)->loadSettings();
        QVERIFY(saved.ok());
        QCOMPARE(saved->title, QStringLiteral("Family 2032"));
        QCOMPARE(saved->year, 2032);
        QCOMPARE(saved->startMonth, 7);
        QCOMPARE(saved->weekStart, WeekStart::Sunday);
        QCOMPARE(saved->locale, QStringLiteral("de_DE"));
    }

    QVERIFY(window.openProject(path));
    QCOMPARE(window.project()->settings().title, QStringLiteral("Family 2032"));
    QCOMPARE(title->text(), QStringLiteral("Family 2032"));
    QCOMPARE(year->value(), 2032);
    QCOMPARE(startMonth->currentData().toInt(), 7);
    QCOMPARE(weekStart->currentData().toInt(), int(WeekStart::Sunday));
    QCOMPARE(locale->currentData().toString(), QStringLiteral("de_DE"));
    QCOMPARE(span->text(), QStringLiteral("July 2032 – June 2033"));
}

void TestMainWindow::refusedOpenKeepsEverything_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("expectedCode");
    QTest::newRow("not a project") << QStringLiteral("text") << QStringLiteral("not_a_project");
    QTest::newRow("truncated") << QStringLiteral("truncated") << QStringLiteral("truncated");
    QTest::newRow("open elsewhere") << QStringLiteral("locked") << QStringLiteral("in_use");
    QTest::newRow("newer version") << QStringLiteral("newer") << QStringLiteral("newer_version");
    QTest::newRow("missing") << QStringLiteral("missing") << QStringLiteral("not_found");
}

void TestMainWindow::refusedOpenKeepsEverything()
{
    QFETCH(QString, kind);
    QFETCH(QString, expectedCode);

    QTemporaryDir dir;
    const QString current = dir.filePath(QStringLiteral("current.calstudio"));
    const QString bad = dir.filePath(QStringLiteral("bad.calstudio"));
    std::unique_ptr<ProjectStore> holder;

    if (kind == QLatin1String("text")) {
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("Shopping list: eggs, flour, a new calendar.\n");
    } else if (kind == QLatin1String("truncated")) {
        const QString whole = dir.filePath(QStringLiteral("whole.calstudio"));
        QVERIFY(makeProject(whole));
        QFile in(whole);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray bytes = in.readAll();
        QVERIFY(bytes.size() > 2048);
        QFile out(bad);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(bytes.left(bytes.size() - 1000));
    } else if (kind == QLatin1String("locked")) {
        QVERIFY(makeProject(bad));
        auto store = ProjectStore::open(bad);
        QVERIFY(store.ok());
        holder = std::move(*store);
    } else if (kind == QLatin1String("newer")) {
        QVERIFY(makeProject(bad));
        QVERIFY(setUserVersion(bad, 999));
    }
    const QByteArray before = fileHash(bad);
    const QStringList filesBefore = QDir(dir.path()).entryList(QDir::Files | QDir::Hidden);

    MainWindow window;
    showAndActivate(window);
    QVERIFY(window.newProjectAt(current));
    Project *project = window.project();
    const QString titleBefore = window.windowTitle();
    const QStringList filesWithCurrent = QDir(dir.path()).entryList(QDir::Files | QDir::Hidden);

    QVERIFY(!window.openProject(bad));

    ErrorBanner *banner = window.errorBanner();
    QVERIFY(banner->isVisible());
    QCOMPARE(banner->error().code, expectedCode);
    QVERIFY(!banner->error().userMessage.isEmpty());
    auto *message = banner->findChild<QLabel *>(QStringLiteral("errorBannerMessage"));
    QVERIFY(message);
    QCOMPARE(message->text(), banner->error().userMessage);
    if (kind != QLatin1String("missing"))
        QVERIFY2(message->text().contains(QStringLiteral("bad")), qPrintable(message->text()));

    // The window is as it was.
    QCOMPARE(window.project(), project);
    QCOMPARE(window.project()->path(), QFileInfo(current).absoluteFilePath());
    QCOMPARE(window.windowTitle(), titleBefore);
    QVERIFY(!window.isShowingWelcome());
    // The refused file is untouched and nothing new appeared beside it.
    QCOMPARE(fileHash(bad), before);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), filesWithCurrent);
    Q_UNUSED(filesBefore);
    // It is not offered as a recent project.
    QVERIFY(!RecentProjects().paths().contains(QFileInfo(bad).absoluteFilePath()));

    // The close button hides the banner.
    auto *close = banner->findChild<QWidget *>(QStringLiteral("errorBannerClose"));
    QVERIFY(close);
    QTest::mouseClick(close, Qt::LeftButton);
    QVERIFY(!banner->isVisible());
}

void TestMainWindow::reopenFailureShowsBannerOnWelcome()
{
    const QString path = m_dir.filePath(QStringLiteral("gone-bad.calstudio"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a calendar");
    }
    QSettings().setValue(QStringLiteral("session/lastProject"), path);
    MainWindow window;
    showAndActivate(window);
    QVERIFY(!window.reopenLastProject());
    QVERIFY(window.isShowingWelcome());
    QVERIFY(window.errorBanner()->isVisible());
    QCOMPARE(window.errorBanner()->error().code, QStringLiteral("not_a_project"));
}

void TestMainWindow::recentProjects()
{
    const QString first = m_dir.filePath(QStringLiteral("recent one.calstudio"));
    const QString second = m_dir.filePath(QStringLiteral("recent & two.calstudio"));
    QVERIFY(makeProject(first));
    QVERIFY(makeProject(second));

    MainWindow window;
    showAndActivate(window);
    QVERIFY(window.openProject(first));
    QVERIFY(window.openProject(second));

    const QStringList paths = RecentProjects().paths();
    QCOMPARE(paths.value(0), QFileInfo(second).absoluteFilePath());
    QCOMPARE(paths.value(1), QFileInfo(first).absoluteFilePath());

    QStringList inMenu;
    const QList<QAction *> actions = window.recentMenu()->actions();
    for (QAction *a : actions) {
        if (!a->data().toString().isEmpty())
            inMenu.append(a->data().toString());
    }
    QCOMPARE(inMenu, paths);
    QVERIFY(actions.first()->text().contains(QStringLiteral("recent && two")));

    // The menu entry opens the project.
    QVERIFY(window.closeProject());
    window.recentMenu()->actions().value(1)->trigger();
    QVERIFY(window.project());
    QCOMPARE(window.project()->path(), QFileInfo(first).absoluteFilePath());

    // The welcome screen lists them too, and forgets one on request.
    QVERIFY(window.closeProject());
    QQuickItem *root = window.welcomeView()->rootObject();
    auto *list = root->findChild<QQuickItem *>(QStringLiteral("recentList"));
    QVERIFY(list);
    QTRY_COMPARE(list->property("count").toInt(), 2);
    QObject *model = list->property("model").value<QObject *>();
    QVERIFY(model);
    QVERIFY(QMetaObject::invokeMethod(model, "remove", Q_ARG(QString, second)));
    QCOMPARE(list->property("count").toInt(), 1);
    QCOMPARE(RecentProjects().paths(), QStringList { QFileInfo(first).absoluteFilePath() });
    QVERIFY(QFileInfo::exists(second));
}

void TestMainWindow::geometryIsRestored()
{
    const QString path = m_dir.filePath(QStringLiteral("session.calstudio"));
    QVERIFY(makeProject(path));
    QSize size;
    {
        MainWindow window;
        showAndActivate(window);
        window.resize(930, 610);
        QTRY_COMPARE(window.size(), QSize(930, 610));
        size = window.size();
        QVERIFY(window.openProject(path));
        QVERIFY(window.close());
    }
    MainWindow again;
    QCOMPARE(again.size(), size);
    QVERIFY(!again.project());
    QVERIFY(again.reopenLastProject());
    QCOMPARE(again.project()->path(), QFileInfo(path).absoluteFilePath());

    // After an explicit Close Project nothing is reopened.
    QVERIFY(again.closeProject());
    QVERIFY(again.close());
    MainWindow third;
    QVERIFY(!third.reopenLastProject());
}

void TestMainWindow::newProjectRefusesExistingFile()
{
    const QString path = m_dir.filePath(QStringLiteral("exists.calstudio"));
    QVERIFY(makeProject(path, QStringLiteral("Keep me")));
    const QByteArray before = fileHash(path);
    MainWindow window;
    QVERIFY(!window.newProjectAt(path));
    QCOMPARE(window.errorBanner()->error().code, QStringLiteral("exists"));
    QCOMPARE(fileHash(path), before);
    QVERIFY(!window.project());
}

void TestMainWindow::screenshots()
{
    const QString dir = screenshotDir();
    const QString a = m_dir.filePath(QStringLiteral("Family Calendar 2027.calstudio"));
    const QString b = m_dir.filePath(QStringLiteral("Grandma's Birthday Calendar.calstudio"));
    QVERIFY(makeProject(a, QStringLiteral("Family Calendar 2027")));
    QVERIFY(makeProject(b, QStringLiteral("Grandma's Birthday Calendar")));
    RecentProjects().add(b);
    RecentProjects().add(a);

    MainWindow window;
    window.resize(1100, 740);
    showAndActivate(window);
    QTest::qWait(300);
    const QImage welcome = window.grab().toImage();
    QVERIFY(!welcome.isNull());
    QVERIFY2(distinctColours(welcome) > 20, "welcome screenshot is flat");
    QVERIFY(welcome.save(dir + QStringLiteral("/welcome.png")));

    QVERIFY(window.openProject(a));
    QVERIFY(window.project()->setStartMonth(7));
    QTest::qWait(100);
    const QImage settings = window.grab().toImage();
    QVERIFY(!settings.isNull());
    QVERIFY2(distinctColours(settings) > 20, "settings screenshot is flat");
    QVERIFY(settings.save(dir + QStringLiteral("/project-settings.png")));

    // The banner as users see it.
    window.showError(Error(QStringLiteral("in_use"),
        QStringLiteral("“Holiday.calstudio” is already open in another Calendar Studio window. "
                       "Switch to that window, or close the project there and try again."),
        QStringLiteral("locked by calstudio (pid 4242 on laptop)")));
    window.errorBanner()->findChild<QAbstractButton *>(QStringLiteral("errorBannerDetails"))->setChecked(true);
    QTest::qWait(100);
    const QImage banner = window.grab().toImage();
    QVERIFY(banner.save(dir + QStringLiteral("/error-banner.png")));
    qInfo("screenshots in %s", qPrintable(dir));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"

void TestMainWindow::nextYearCarriesDatesOver()
{
    MainWindow window;
    showAndActivate(window);
    ProjectSettings start = ProjectSettings::defaults(QDate(2026, 11, 26), QLocale(QStringLiteral("en_US")));
    start.title = QStringLiteral("Smiths 2027");
    QVERIFY(window.newProjectAt(m_dir.filePath(QStringLiteral("smiths-2027.calstudio")), start));
    SpecialDate anna;
    anna.date = QDate(1990, 7, 14);
    anna.label = QStringLiteral("Anna");
    anna.kind = SpecialDate::Kind::Birthday;
    QVERIFY(window.project()->setSpecialDates({anna}, QStringLiteral("Add date")));
    window.project()->setHolidayEnabled(QStringLiteral("US"), QStringLiteral("columbus-day"), false);

    const QString next = m_dir.filePath(QStringLiteral("smiths-2028.calstudio"));
    QVERIFY(window.newProjectForNextYear(next));
    QCOMPARE(window.project()->path(), QFileInfo(next).absoluteFilePath());
    QCOMPARE(window.project()->settings().year, 2028);
    QCOMPARE(window.project()->settings().title, QStringLiteral("Smiths 2028"));
    QCOMPARE(window.project()->specialDates().size(), 1);
    QVERIFY(!window.project()->isHolidayEnabled(QStringLiteral("US"), QStringLiteral("columbus-day")));
    // The old one is released and unchanged in its year.
    auto old = ProjectStore::open(m_dir.filePath(QStringLiteral("smiths-2027.calstudio")));
    QVERIFY(old);
    QCOMPARE((*old)->loadSettings()->year, 2027);
    // A second time onto the same file is refused with a message.
    QVERIFY(!window.newProjectForNextYear(next));
    QVERIFY(window.errorBanner()->isVisible());
}
