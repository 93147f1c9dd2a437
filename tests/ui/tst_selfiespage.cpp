// Drives the Selfies page offscreen over a real project: photos come in by
// drag and drop (files and a folder), by the path the file dialog feeds and
// by the clipboard; bad files fail alone in the import report; duplicates are
// reported; badges follow the checks; delete, reorder, prefer and the face
// choice are undoable with Ctrl+Z; "Forget selfies" removes everything; the
// main window forwards drops and Ctrl+V; screenshots are written for review.

#include "uitestsupport.h"
#include "core/project/project.h"
#include "core/project/projectstore.h"
#include "tests/imaging/facefixtures.h"
#include "ui/errorbanner.h"
#include "ui/mainwindow.h"
#include "ui/selfiebadge.h"
#include "ui/selfiedetailview.h"
#include "ui/selfiegridmodel.h"
#include "ui/selfieimagecache.h"
#include "ui/selfieimportreport.h"
#include "ui/selfiespage.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QLabel>
#include <QListView>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>
#include <QUndoStack>
#include <QVBoxLayout>
#include <QtQml/qqmlextensionplugin.h>

#include <memory>

Q_IMPORT_QML_PLUGIN(CalendarStudioPlugin)

using namespace CalStudio;
using CalStudio::UiTestSupport::screenshotDir;
using namespace FaceFixtures;

namespace {

constexpr int ImportTimeoutMs = 60000;

/// The page in a window that owns Undo/Redo for the project's stack, as MainWindow does.
class Host : public QWidget {
public:
    explicit Host(Project *project)
        : page(new SelfiesPage(this))
    {
        auto *layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(page);
        if (project) {
            undo = project->undoStack()->createUndoAction(this);
            undo->setShortcuts(QKeySequence::Undo);
            redo = project->undoStack()->createRedoAction(this);
            redo->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
            addAction(undo);
            addAction(redo);
        }
        page->setProject(project);
        resize(1040, 760);
        QObject::connect(page, &SelfiesPage::errorOccurred, this, [this](const Error &e) { errors.append(e); });
    }

    SelfiesPage *page;
    QAction *undo = nullptr;
    QAction *redo = nullptr;
    QList<Error> errors;
};

QMimeData *fileMime(const QStringList &paths)
{
    auto *mime = new QMimeData;
    QList<QUrl> urls;
    for (const QString &p : paths)
        urls.append(QUrl::fromLocalFile(p));
    mime->setUrls(urls);
    return mime;
}

QStringList names(const QList<SelfieRecord> &selfies)
{
    QStringList n;
    for (const SelfieRecord &r : selfies)
        n.append(r.originalName);
    return n;
}

const ImportOutcome *outcomeOf(const QList<ImportOutcome> &outcomes, const QString &name)
{
    for (const ImportOutcome &o : outcomes) {
        if (o.name == name)
            return &o;
    }
    return nullptr;
}

} // namespace

class TestSelfiesPage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void importByDragAndDrop();
    void importByDialogPathAndPaste();
    void duplicatesAreReported();
    void cancelKeepsWhatWasImported();
    void deleteReorderPreferWithUndo();
    void chooseFaceRechecks();
    void forgetSelfiesRemovesEverything();
    void mainWindowForwardsDropAndPaste();
    void screenshots();

private:
    std::unique_ptr<Project> makeProject();
    static bool showAndActivate(QWidget &window);
    static bool waitForImport(SelfiesPage *page);
    static int rowOfName(SelfiesPage *page, const QString &name);
    QString fixture(const QString &name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    int m_counter = 0;
};

void TestSelfiesPage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("CalendarStudioTest"));
    QCoreApplication::setApplicationName(QStringLiteral("Calendar Studio Selfies Test"));
    QVERIFY(m_dir.isValid());
    QVERIFY(!astronaut().isNull());

    // Good selfies: the astronaut at several sizes and places, big enough not to warn.
    const Composite good = composite(QSize(1400, 1400), 2.5, QPointF(40, 60));
    QVERIFY(good.image.save(fixture(QStringLiteral("good-1.jpg")), "JPEG", 92));
    QVERIFY(composite(QSize(1300, 1500), 2.3, QPointF(120, 160), true).image.save(fixture(QStringLiteral("good-2.png"))));
    QVERIFY(composite(QSize(1500, 1300), 2.2, QPointF(300, 40)).image.save(fixture(QStringLiteral("good-3.jpg")), "JPEG", 90));
    // Problems and warnings.
    QVERIFY(gaussianBlur(good.image, 0.02 * good.face.height()).save(fixture(QStringLiteral("blurry.jpg")), "JPEG", 92));
    QVERIFY(exposed(good.image, 0.25).save(fixture(QStringLiteral("dark.jpg")), "JPEG", 92));
    QImage two(2800, 1400, QImage::Format_RGB888);
    {
        QPainter painter(&two);
        painter.drawImage(0, 0, good.image);
        painter.drawImage(1400, 0, composite(QSize(1400, 1400), 2.0, QPointF(300, 200), true).image);
    }
    QVERIFY(two.save(fixture(QStringLiteral("two-faces.jpg")), "JPEG", 92));
    QVERIFY(QFile::copy(QStringLiteral(CALSTUDIO_TEST_DATA_DIR "/faces/astronaut.png"), fixture(QStringLiteral("small.png"))));

    // Bad files: not an image, and a JPEG cut in half.
    QFile notes(fixture(QStringLiteral("notes.txt")));
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("These are not the photos you are looking for.\n");
    notes.close();
    QFile whole(fixture(QStringLiteral("good-1.jpg")));
    QVERIFY(whole.open(QIODevice::ReadOnly));
    const QByteArray bytes = whole.readAll();
    QFile truncated(fixture(QStringLiteral("truncated.jpg")));
    QVERIFY(truncated.open(QIODevice::WriteOnly));
    truncated.write(bytes.left(bytes.size() / 2));
    truncated.close();

    // A folder: two photos and a file that is not one (not even offered).
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("holiday")));
    QVERIFY(composite(QSize(1400, 1600), 2.6, QPointF(60, 300)).image.save(
        fixture(QStringLiteral("holiday/beach.jpg")), "JPEG", 90));
    QVERIFY(composite(QSize(1600, 1400), 2.4, QPointF(500, 80), true).image.save(
        fixture(QStringLiteral("holiday/hills.png"))));
    QVERIFY(QFile::copy(fixture(QStringLiteral("notes.txt")), fixture(QStringLiteral("holiday/readme.txt"))));
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("empty-folder")));
}

std::unique_ptr<Project> TestSelfiesPage::makeProject()
{
    const ProjectSettings settings = ProjectSettings::defaults(QDate(2026, 11, 26), QLocale(QStringLiteral("en_US")));
    auto project = Project::create(m_dir.filePath(QStringLiteral("p%1.calstudio").arg(++m_counter)), settings);
    if (!project) {
        qWarning() << project.error();
        return {};
    }
    return std::move(project).value();
}

bool TestSelfiesPage::showAndActivate(QWidget &window)
{
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return false;
    window.activateWindow();
    return QTest::qWaitForWindowActive(&window);
}

bool TestSelfiesPage::waitForImport(SelfiesPage *page)
{
    if (!page->isImporting())
        return true;
    QSignalSpy finished(page, &SelfiesPage::importFinished);
    return finished.wait(ImportTimeoutMs);
}

int TestSelfiesPage::rowOfName(SelfiesPage *page, const QString &name)
{
    for (int row = 0; row < page->model()->rowCount(); ++row) {
        if (page->model()->record(row).originalName == name)
            return row;
    }
    return -1;
}

void TestSelfiesPage::importByDragAndDrop()
{
    auto project = makeProject();
    QVERIFY(project);
    Host host(project.get());
    QVERIFY(showAndActivate(host));
    SelfiesPage *page = host.page;
    auto *stack = page->findChild<QStackedWidget *>();
    QVERIFY(stack);
    QCOMPARE(stack->currentWidget()->objectName(), QStringLiteral("selfieDropZone"));

    std::unique_ptr<QMimeData> mime(fileMime({ fixture(QStringLiteral("good-1.jpg")), fixture(QStringLiteral("blurry.jpg")),
        fixture(QStringLiteral("notes.txt")), fixture(QStringLiteral("truncated.jpg")), fixture(QStringLiteral("holiday")),
        fixture(QStringLiteral("empty-folder")) }));
    const QPoint at = page->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(page, &enter);
    QVERIFY(enter.isAccepted());
    QCOMPARE(enter.dropAction(), Qt::CopyAction);
    QDropEvent drop(at, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QSignalSpy finished(page, &SelfiesPage::importFinished);
    QCoreApplication::sendEvent(page, &drop);
    QVERIFY(drop.isAccepted());

    // The UI shows progress while the work runs elsewhere.
    QVERIFY(page->isImporting());
    auto *progressRow = page->findChild<QWidget *>(QStringLiteral("importProgressRow"));
    auto *progressLabel = page->findChild<QLabel *>(QStringLiteral("importProgressLabel"));
    QVERIFY(progressRow && progressLabel);
    QVERIFY(progressRow->isVisible());
    QVERIFY2(progressLabel->text().startsWith(QStringLiteral("Importing")), qPrintable(progressLabel->text()));
    QVERIFY(finished.wait(ImportTimeoutMs));
    QVERIFY(!progressRow->isVisible());

    // Good files and the folder's photos are in; the bad ones are not, and nothing stopped the batch.
    // (The importer stores them in the order they finish on its two threads.)
    QStringList imported = names(project->selfies());
    imported.sort();
    QCOMPARE(imported,
        (QStringList { QStringLiteral("beach.jpg"), QStringLiteral("blurry.jpg"), QStringLiteral("good-1.jpg"),
            QStringLiteral("hills.png") }));
    QCOMPARE(page->model()->rowCount(), 4);
    QCOMPARE(stack->currentWidget()->objectName(), QStringLiteral("selfiesSplitter"));

    SelfieImportReport *report = page->importReport();
    QVERIFY(report->isVisible());
    const QList<ImportOutcome> outcomes = report->outcomes();
    QCOMPARE(outcomes.size(), 7); // 4 imported, 2 bad files, 1 empty folder
    for (const QString &bad : { QStringLiteral("notes.txt"), QStringLiteral("truncated.jpg"), QStringLiteral("empty-folder") }) {
        const ImportOutcome *o = outcomeOf(outcomes, bad);
        QVERIFY2(o, qPrintable(bad));
        QCOMPARE(o->status, ImportOutcome::Status::Failed);
        QVERIFY2(!o->error.userMessage.isEmpty(), qPrintable(bad));
    }
    QCOMPARE(outcomeOf(outcomes, QStringLiteral("notes.txt"))->error.code, QStringLiteral("not_an_image"));
    QCOMPARE(outcomeOf(outcomes, QStringLiteral("truncated.jpg"))->error.code, QStringLiteral("corrupt"));
    QCOMPARE(outcomeOf(outcomes, QStringLiteral("good-1.jpg"))->status, ImportOutcome::Status::Imported);
    QCOMPARE(outcomeOf(outcomes, QStringLiteral("blurry.jpg"))->status, ImportOutcome::Status::Imported);
    QVERIFY(!outcomeOf(outcomes, QStringLiteral("blurry.jpg"))->warnings.isEmpty());
    QVERIFY(report->summary().contains(QStringLiteral("4 photos imported")));
    QVERIFY(report->summary().contains(QStringLiteral("3 could not be imported")));
    // The report shows the plain message next to the file.
    QTreeWidget *list = report->list();
    QCOMPARE(list->topLevelItemCount(), 7);
    bool sawTruncated = false;
    for (int i = 0; i < list->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = list->topLevelItem(i);
        if (item->text(SelfieImportReport::NameColumn) == QStringLiteral("truncated.jpg")) {
            sawTruncated = true;
            QCOMPARE(item->text(SelfieImportReport::ResultColumn), QStringLiteral("Not imported"));
            QCOMPARE(item->text(SelfieImportReport::DetailsColumn),
                outcomeOf(outcomes, QStringLiteral("truncated.jpg"))->error.userMessage);
        }
    }
    QVERIFY(sawTruncated);

    // Badges: the blurred copy is red, the good ones green; tooltips carry the tips.
    const int blurryRow = rowOfName(page, QStringLiteral("blurry.jpg"));
    const QModelIndex blurry = page->model()->index(blurryRow);
    QCOMPARE(blurry.data(SelfieGridModel::BadgeLevelRole).toInt(), int(SelfieBadge::Level::Problem));
    QCOMPARE(blurry.data(SelfieGridModel::BadgeTextRole).toString(), QStringLiteral("Blurry"));
    QVERIFY(blurry.data(Qt::ToolTipRole).toString().contains(QStringLiteral("blurry")));
    QVERIFY(blurry.data(Qt::AccessibleTextRole).toString().contains(QStringLiteral("Blurry")));
    const QModelIndex good = page->model()->index(rowOfName(page, QStringLiteral("good-1.jpg")));
    QCOMPARE(good.data(SelfieGridModel::BadgeLevelRole).toInt(), int(SelfieBadge::Level::Good));
    QCOMPARE(good.data(SelfieGridModel::BadgeTextRole).toString(), QStringLiteral("Good"));

    // Thumbnails arrive from the worker threads.
    QTRY_VERIFY_WITH_TIMEOUT(!good.data(SelfieGridModel::ThumbnailRole).value<QImage>().isNull(), 20000);
    const QImage thumb = good.data(SelfieGridModel::ThumbnailRole).value<QImage>();
    QCOMPARE(std::min(thumb.width(), thumb.height()), SelfieImageCache::ThumbnailEdge);

    // The set advice: four selfies, three usable, with the reason.
    QVERIFY2(page->adviceText().startsWith(QStringLiteral("4 selfies, 3 usable")), qPrintable(page->adviceText()));
    QVERIFY(host.errors.isEmpty());
}

void TestSelfiesPage::importByDialogPathAndPaste()
{
    auto project = makeProject();
    QVERIFY(project);
    Host host(project.get());
    QVERIFY(showAndActivate(host));
    SelfiesPage *page = host.page;

    // "Add Photos…" hands the dialog's choice to importPaths().
    QVERIFY(page->importPaths({ fixture(QStringLiteral("dark.jpg")), fixture(QStringLiteral("two-faces.jpg")),
        fixture(QStringLiteral("small.png")) }));
    QVERIFY(waitForImport(page));
    QCOMPARE(project->selfies().size(), 3);
    auto badgeOf = [page](const QString &name) { return page->model()->badge(rowOfName(page, name)); };
    QCOMPARE(badgeOf(QStringLiteral("dark.jpg")).level, SelfieBadge::Level::Problem);
    QCOMPARE(badgeOf(QStringLiteral("dark.jpg")).text, QStringLiteral("Too dark"));
    QCOMPARE(badgeOf(QStringLiteral("two-faces.jpg")).level, SelfieBadge::Level::Warning);
    QCOMPARE(badgeOf(QStringLiteral("two-faces.jpg")).text, QStringLiteral("Several faces"));
    QCOMPARE(badgeOf(QStringLiteral("small.png")).level, SelfieBadge::Level::Warning);
    QCOMPARE(badgeOf(QStringLiteral("small.png")).text, QStringLiteral("Low resolution"));

    // Paste: an image on the clipboard becomes "Pasted image", encoded as PNG.
    const QImage pasted = composite(QSize(1200, 1300), 2.2, QPointF(80, 100), true).image;
    QGuiApplication::clipboard()->setImage(pasted);
    QVERIFY(SelfiesPage::canImport(QGuiApplication::clipboard()->mimeData()));
    QVERIFY(page->pasteFromClipboard());
    QVERIFY(waitForImport(page));
    QCOMPARE(project->selfies().size(), 4);
    QCOMPARE(project->selfies().last().originalName, QStringLiteral("Pasted image"));
    QCOMPARE(project->selfies().last().width, 1200);
    QCOMPARE(page->importReport()->outcomes().size(), 1);
    QCOMPARE(page->importReport()->outcomes().first().status, ImportOutcome::Status::Imported);
    // The new selfie is selected.
    QCOMPARE(page->currentSelfieId(), project->selfies().last().id);

    // Files on the clipboard (copied in a file manager) import too.
    auto *files = fileMime({ fixture(QStringLiteral("good-3.jpg")) });
    QGuiApplication::clipboard()->setMimeData(files);
    QVERIFY(page->pasteFromClipboard());
    QVERIFY(waitForImport(page));
    QCOMPARE(project->selfies().last().originalName, QStringLiteral("good-3.jpg"));

    // Text is not a photo.
    QGuiApplication::clipboard()->setText(QStringLiteral("hello"));
    QVERIFY(!page->pasteFromClipboard());
    QVERIFY(!page->isImporting());
    QVERIFY(host.errors.isEmpty());
}

void TestSelfiesPage::duplicatesAreReported()
{
    auto project = makeProject();
    QVERIFY(project);
    Host host(project.get());
    SelfiesPage *page = host.page;
    QVERIFY(page->importPaths({ fixture(QStringLiteral("good-1.jpg")) }));
    QVERIFY(waitForImport(page));
    QCOMPARE(project->selfies().size(), 1);

    // The same bytes under another name, and the same file twice in one batch.
    QVERIFY(QFile::copy(fixture(QStringLiteral("good-1.jpg")), fixture(QStringLiteral("copy-of-good.jpg"))));
    QVERIFY(page->importPaths({ fixture(QStringLiteral("copy-of-good.jpg")), fixture(QStringLiteral("good-2.png")),
        fixture(QStringLiteral("good-2.png")) }));
    QVERIFY(waitForImport(page));
    QCOMPARE(project->selfies().size(), 2);
    const QList<ImportOutcome> outcomes = page->importReport()->outcomes();
    QCOMPARE(outcomes.size(), 3);
    const ImportOutcome *copy = outcomeOf(outcomes, QStringLiteral("copy-of-good.jpg"));
    QVERIFY(copy);
    QCOMPARE(copy->status, ImportOutcome::Status::Duplicate);
    QCOMPARE(SelfieImportReport::statusText(*copy), QStringLiteral("Already in the project"));
    int duplicates = 0;
    for (const ImportOutcome &o : outcomes)
        duplicates += o.status == ImportOutcome::Status::Duplicate ? 1 : 0;
    QCOMPARE(duplicates, 2);
    QVERIFY(page->importReport()->summary().contains(QStringLiteral("2 already in the project")));
    QVERIFY(QFile::remove(fixture(QStringLiteral("copy-of-good.jpg"))));
}

void TestSelfiesPage::cancelKeepsWhatWasImported()
{
    auto project = makeProject();
    QVERIFY(project);
    Host host(project.get());
    QVERIFY(showAndActivate(host));
    SelfiesPage *page = host.page;
    const QStringList many { fixture(QStringLiteral("good-1.jpg")), fixture(QStringLiteral("good-2.png")),
        fixture(QStringLiteral("good-3.jpg")), fixture(QStringLiteral("blurry.jpg")), fixture(QStringLiteral("dark.jpg")),
        fixture(QStringLiteral("two-faces.jpg")), fixture(QStringLiteral("holiday/beach.jpg")),
        fixture(QStringLiteral("holiday/hills.png")) };
    QVERIFY(page->importPaths(many));
    // A second drop while the first runs is queued behind it, then cancelled with it.
    QVERIFY(page->importPaths({ fixture(QStringLiteral("small.png")) }));
    QSignalSpy finished(page, &SelfiesPage::importFinished);
    QTest::keyClick(page->grid(), Qt::Key_Escape);
    QVERIFY(finished.wait(ImportTimeoutMs));
    QVERIFY(!page->isImporting());
    const QList<ImportOutcome> outcomes = page->importReport()->outcomes();
    QCOMPARE(outcomes.size(), 9);
    int imported = 0;
    int cancelled = 0;
    for (const ImportOutcome &o : outcomes) {
        imported += o.status == ImportOutcome::Status::Imported ? 1 : 0;
        cancelled += o.status == ImportOutcome::Status::Cancelled ? 1 : 0;
    }
    QVERIFY(cancelled >= 1);
    QCOMPARE(outcomeOf(outcomes, QStringLiteral("small.png"))->status, ImportOutcome::Status::Cancelled);
    QCOMPARE(int(project->selfies().size()), imported);
    // Whatever was stored is one undo step and stays.
    if (imported > 0)
        QCOMPARE(project->undoStack()->count(), 1);
}

void TestSelfiesPage::deleteReorderPreferWithUndo()
{
    auto project = makeProject();
    QVERIFY(project);
    Host host(project.get());
    QVERIFY(showAndActivate(host));
    SelfiesPage *page = host.page;
    QVERIFY(page->importPaths({ fixture(QStringLiteral("good-1.jpg")), fixture(QStringLiteral("good-2.png")),
        fixture(QStringLiteral("good-3.jpg")), fixture(QStringLiteral("blurry.jpg")) }));
    QVERIFY(waitForImport(page));
    const QStringList start = names(project->selfies());
    QCOMPARE(start.size(), 4);
    project->undoStack()->clear();

    QListView *grid = page->grid();
    grid->setFocus();
    QTRY_VERIFY(grid->hasFocus());

    // Delete the second with Del: the selection moves to the one after it.
    QVERIFY(page->selectSelfie(project->selfies().at(1).id));
    const qint64 third = project->selfies().at(2).id;
    QTest::keyClick(grid, Qt::Key_Delete);
    QCOMPARE(names(project->selfies()), (QStringList { start[0], start[2], start[3] }));
    QCOMPARE(page->model()->rowCount(), 3);
    QCOMPARE(page->currentSelfieId(), third);
    // Deleting the last moves the selection back.
    QVERIFY(page->selectSelfie(project->selfies().last().id));
    const qint64 beforeLast = project->selfies().at(1).id;
    QVERIFY(page->deleteSelected());
    QCOMPARE(page->currentSelfieId(), beforeLast);
    QCOMPARE(project->selfies().size(), 2);
    // Ctrl+Z twice brings both back, in their places.
    QTest::keyClick(grid, Qt::Key_Z, Qt::ControlModifier);
    QTest::keyClick(grid, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(names(project->selfies()), start);
    QCOMPARE(page->model()->rowCount(), 4);

    // Reorder with Ctrl+Down / Ctrl+Up; the moved selfie stays selected.
    QVERIFY(page->selectSelfie(project->selfies().first().id));
    const qint64 first = project->selfies().first().id;
    QTest::keyClick(grid, Qt::Key_Down, Qt::ControlModifier);
    QCOMPARE(names(project->selfies()), (QStringList { start[1], start[0], start[2], start[3] }));
    QCOMPARE(page->currentSelfieId(), first);
    QTest::keyClick(grid, Qt::Key_Down, Qt::ControlModifier);
    QCOMPARE(names(project->selfies()), (QStringList { start[1], start[2], start[0], start[3] }));
    QTest::keyClick(grid, Qt::Key_Up, Qt::ControlModifier);
    QCOMPARE(names(project->selfies()), (QStringList { start[1], start[0], start[2], start[3] }));
    // The buttons say where the selfie can go.
    auto *earlier = page->findChild<QPushButton *>(QStringLiteral("moveEarlierButton"));
    auto *later = page->findChild<QPushButton *>(QStringLiteral("moveLaterButton"));
    QVERIFY(earlier && later);
    QVERIFY(earlier->isEnabled() && later->isEnabled());
    QVERIFY(page->selectSelfie(project->selfies().first().id));
    QVERIFY(!earlier->isEnabled());
    QVERIFY(!page->moveCurrent(-1));
    QVERIFY(page->selectSelfie(first));
    QTest::keyClick(grid, Qt::Key_Z, Qt::ControlModifier);
    QTest::keyClick(grid, Qt::Key_Z, Qt::ControlModifier);
    QTest::keyClick(grid, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(names(project->selfies()), start);

    // Prefer with Ctrl+D (a star toggle), undoable.
    QVERIFY(page->selectSelfie(project->selfies().at(2).id));
    auto *prefer = page->findChild<QPushButton *>(QStringLiteral("preferSelfieButton"));
    QVERIFY(prefer);
    QVERIFY(!prefer->isChecked());
    QTest::keyClick(grid, Qt::Key_D, Qt::ControlModifier);
    QVERIFY(project->selfies().at(2).preferred);
    QVERIFY(prefer->isChecked());
    QVERIFY(page->model()->index(2).data(SelfieGridModel::PreferredRole).toBool());
    prefer->click();
    QVERIFY(!project->selfies().at(2).preferred);
    QTest::keyClick(grid, Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(project->selfies().at(2).preferred);
    QTest::keyClick(grid, Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(!project->selfies().at(2).preferred);
    QVERIFY(!project->undoStack()->canUndo());

    // Several selected: one Delete removes them all, as one step.
    grid->selectAll();
    QTest::keyClick(grid, Qt::Key_Delete);
    QCOMPARE(project->selfies().size(), 0);
    QCOMPARE(page->findChild<QStackedWidget *>()->currentWidget()->objectName(), QStringLiteral("selfieDropZone"));
    QVERIFY(host.undo->isEnabled());
    host.undo->trigger();
    QCOMPARE(names(project->selfies()), start);

    // The states are saved: reopening shows the same order.
    QVERIFY(project->flush());
    QVERIFY(host.errors.isEmpty());
}

void TestSelfiesPage::chooseFaceRechecks()
{
    auto project = makeProject();
    QVERIFY(project);
    Host host(project.get());
    QVERIFY(showAndActivate(host));
    SelfiesPage *page = host.page;
    QVERIFY(page->importPaths({ fixture(QStringLiteral("two-faces.jpg")) }));
    QVERIFY(waitForImport(page));
    QCOMPARE(project->selfies().size(), 1);
    QVERIFY(page->selectSelfie(project->selfies().first().id));
    SelfieDetailView *detail = page->detailView();
    QCOMPARE(detail->faceCount(), 2);
    QCOMPARE(detail->mainFace(), 0);
    QCOMPARE(page->model()->badge(0).level, SelfieBadge::Level::Warning);
    auto *hint = page->findChild<QLabel *>(QStringLiteral("faceHint"));
    QVERIFY(hint && hint->isVisible());

    // A click on the other face says "this is me": stored, undoable, and the checks follow.
    const QRectF other = detail->faceRect(1);
    QVERIFY(!other.isEmpty());
    QTest::mouseClick(detail, Qt::LeftButton, Qt::NoModifier, other.center().toPoint());
    QCOMPARE(project->selfies().first().mainFace, 1);
    QCOMPARE(detail->mainFace(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(page->model()->badge(0).level, SelfieBadge::Level::Good, 20000);
    const auto rechecked = page->imageCache()->analysis(project->selfies().first());
    QVERIFY(rechecked);
    QCOMPARE(rechecked->mainFace, 1);
    QVERIFY(rechecked->mainFaceChosenByUser);
    QVERIFY(rechecked->check(QStringLiteral("several_faces"))->ok);
    auto *checks = page->findChild<QLabel *>(QStringLiteral("selfieChecks"));
    QVERIFY(checks->text().contains(QStringLiteral("Your face picked")));

    QVERIFY(host.undo->isEnabled());
    host.undo->trigger();
    QCOMPARE(project->selfies().first().mainFace, 0);
    QCOMPARE(page->model()->badge(0).level, SelfieBadge::Level::Warning);

    // With the keyboard: Enter on the selfie goes to the picture, → and Enter pick the other face.
    page->grid()->setFocus();
    QTest::keyClick(page->grid(), Qt::Key_Return);
    QTRY_VERIFY(detail->hasFocus());
    QTest::keyClick(detail, Qt::Key_Right);
    QCOMPARE(detail->focusedFace(), 1);
    QTest::keyClick(detail, Qt::Key_Return);
    QCOMPARE(project->selfies().first().mainFace, 1);
    QVERIFY(host.errors.isEmpty());
}

void TestSelfiesPage::forgetSelfiesRemovesEverything()
{
    auto project = makeProject();
    QVERIFY(project);
    Host host(project.get());
    QVERIFY(showAndActivate(host));
    SelfiesPage *page = host.page;
    QVERIFY(page->importPaths({ fixture(QStringLiteral("good-1.jpg")), fixture(QStringLiteral("good-2.png")) }));
    QVERIFY(waitForImport(page));
    QCOMPARE(project->selfies().size(), 2);
    QVERIFY(page->deleteSelected()); // a deleted one must go too
    QVERIFY(project->undoStack()->canUndo());

    // Something in the reference cache, as generation would leave it.
    const QString cache = SelfiesPage::referenceCacheDir();
    QVERIFY(QDir().mkpath(cache));
    QFile ref(cache + QStringLiteral("/abc-face-1024.jpg"));
    QVERIFY(ref.open(QIODevice::WriteOnly));
    ref.write("jpeg");
    ref.close();

    // Cancel in the confirmation changes nothing.
    auto answer = [](const QString &buttonName) {
        QTimer::singleShot(0, qApp, [buttonName] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box) {
                qWarning("no confirmation shown");
                return;
            }
            QVERIFY(box->informativeText().contains(QStringLiteral("cannot be undone")));
            if (buttonName.isEmpty())
                box->button(QMessageBox::Cancel)->click();
            else
                box->findChild<QPushButton *>(buttonName)->click();
        });
    };
    answer({});
    page->forgetSelfiesInteractive();
    QCOMPARE(project->selfies().size(), 1);
    QVERIFY(QFileInfo::exists(cache));

    answer(QStringLiteral("confirmForgetButton"));
    page->forgetSelfiesInteractive();
    QCOMPARE(project->selfies().size(), 0);
    QCOMPARE(page->model()->rowCount(), 0);
    QVERIFY(!project->undoStack()->canUndo());
    QVERIFY(!host.undo->isEnabled());
    QVERIFY(!QFileInfo::exists(cache));
    QCOMPARE(page->findChild<QStackedWidget *>()->currentWidget()->objectName(), QStringLiteral("selfieDropZone"));
    QVERIFY(!page->importReport()->isVisible());

    // Nothing of them is left in the file, deleted ones included.
    const auto counts = project->store().counts();
    QVERIFY(counts);
    QCOMPARE(counts->selfies, 0);
    const auto all = project->store().loadSelfies(true);
    QVERIFY(all);
    QVERIFY(all->isEmpty());
    QVERIFY(host.errors.isEmpty());
}

void TestSelfiesPage::mainWindowForwardsDropAndPaste()
{
    QSettings().clear();
    MainWindow window;
    QVERIFY(showAndActivate(window));
    QVERIFY(window.newProjectAt(m_dir.filePath(QStringLiteral("window.calstudio"))));
    QCOMPARE(window.journeySteps(),
        (QStringList { MainWindow::StepCalendar, MainWindow::StepSelfies, MainWindow::StepPrompts,
                       MainWindow::StepGenerate, MainWindow::StepPreview }));
    QCOMPARE(window.currentJourneyStep(), MainWindow::StepCalendar);
    Project *project = window.project();

    // A drop anywhere on the window goes to the Selfies step.
    std::unique_ptr<QMimeData> mime(fileMime({ fixture(QStringLiteral("good-1.jpg")) }));
    QDragEnterEvent enter(QPoint(20, 20), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPoint(20, 20), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &drop);
    QCOMPARE(window.currentJourneyStep(), MainWindow::StepSelfies);
    QVERIFY(waitForImport(window.selfiesPage()));
    QCOMPARE(project->selfies().size(), 1);
    // Go ▸ Selfies puts the keyboard on the first control; Tab walks the page in reading order.
    QVERIFY(window.showJourneyStep(MainWindow::StepCalendar));
    QVERIFY(window.showJourneyStep(MainWindow::StepSelfies));
    QTRY_VERIFY(QApplication::focusWidget());
    QCOMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("addPhotosButton"));
    window.selfiesPage()->grid()->setFocus();
    QTest::keyClick(window.selfiesPage()->grid(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("preferSelfieButton"));

    // Ctrl+V with a picture on the clipboard, from another step.
    QVERIFY(window.showJourneyStep(MainWindow::StepPrompts));
    QGuiApplication::clipboard()->setImage(composite(QSize(1100, 1100), 2.0, QPointF(60, 60)).image);
    auto *paste = window.findChild<QAction *>(QStringLiteral("actionPastePhotos"));
    QVERIFY(paste && paste->isEnabled());
    paste->trigger();
    QCOMPARE(window.currentJourneyStep(), MainWindow::StepSelfies);
    QVERIFY(waitForImport(window.selfiesPage()));
    QCOMPARE(project->selfies().size(), 2);
    QCOMPARE(project->selfies().last().originalName, QStringLiteral("Pasted image"));
    QVERIFY(!window.errorBanner()->isShowingError());

    // Ctrl+Z in the window undoes the paste.
    QTest::keyClick(window.selfiesPage()->grid(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(project->selfies().size(), 1);
    QVERIFY(window.closeProject());
    QVERIFY(!paste->isEnabled());
}

void TestSelfiesPage::screenshots()
{
    auto project = makeProject();
    QVERIFY(project);
    Host host(project.get());
    QVERIFY(showAndActivate(host));
    SelfiesPage *page = host.page;

    QTest::qWait(50);
    const QImage empty = host.grab().toImage();
    QVERIFY(empty.save(screenshotDir() + QStringLiteral("/selfies-empty.png")));

    QVERIFY(page->importPaths({ fixture(QStringLiteral("good-1.jpg")), fixture(QStringLiteral("two-faces.jpg")),
        fixture(QStringLiteral("blurry.jpg")), fixture(QStringLiteral("holiday")),
        fixture(QStringLiteral("dark.jpg")), fixture(QStringLiteral("notes.txt")) }));
    QVERIFY(waitForImport(page));
    QCOMPARE(project->selfies().size(), 6);
    QVERIFY(page->selectSelfie(project->selfies().at(rowOfName(page, QStringLiteral("good-1.jpg"))).id));
    QVERIFY(page->togglePreferred());
    // The one with two faces is shown, so the face boxes are in the picture.
    const SelfieRecord two = project->selfies().at(rowOfName(page, QStringLiteral("two-faces.jpg")));
    QVERIFY(page->selectSelfie(two.id));
    for (int row = 0; row < page->model()->rowCount(); ++row)
        QTRY_VERIFY_WITH_TIMEOUT(
            !page->model()->index(row).data(SelfieGridModel::ThumbnailRole).value<QImage>().isNull(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(!page->imageCache()->large(two).isNull(), 20000);
    QTest::qWait(50);
    const QImage shot = host.grab().toImage();
    QVERIFY(shot.save(screenshotDir() + QStringLiteral("/selfies-page.png")));
}

QTEST_MAIN(TestSelfiesPage)
#include "tst_selfiespage.moc"
