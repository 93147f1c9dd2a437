// The Preview step in the real window: 13 pages per built-in format drawn
// off the UI thread, warnings for a master of low native resolution and
// none for a good one, faces detected once and stored, the crop editor
// (moving, zooming, keys, live warnings, overlays) storing a crop that the
// page follows at once, Edit ▸ Undo bringing the old crop and picture back,
// Reset to Automatic removing the hand-made crop; screenshots for review.

#include "core/project/calendardocument.h"
#include "core/project/project.h"
#include "core/project/projectstore.h"
#include "qml/cropeditormodel.h"
#include "qml/pagepreviewmodel.h"
#include "ui/mainwindow.h"
#include "ui/previewpage.h"
#include "uitestsupport.h"

#include <QAction>
#include <QBuffer>
#include <QDialog>
#include <QElapsedTimer>
#include <QPainter>
#include <QPushButton>
#include <QQuickItem>
#include <QQuickWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QTabBar>
#include <QTemporaryDir>
#include <QFile>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(CalendarStudioPlugin)

using namespace CalStudio;
using CalStudio::UiTestSupport::screenshotDir;

namespace {

/// A picture of `side` pixels: a soft sky-to-grass gradient with the astronaut's portrait pasted in.
QByteArray masterPng(int side, QRect face)
{
    QImage picture(side, side, QImage::Format_RGB888);
    QPainter painter(&picture);
    QLinearGradient gradient(0, 0, side, side);
    gradient.setColorAt(0, QColor(120, 160, 210));
    gradient.setColorAt(1, QColor(90, 140, 80));
    painter.fillRect(picture.rect(), gradient);
    painter.drawImage(face, QImage(QStringLiteral(CALSTUDIO_TEST_DATA_DIR "/faces/astronaut.png")));
    painter.end();
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    picture.save(&buffer, "PNG", 90);
    return png;
}

/// Stores `png` as a generated candidate and master of `month` and gives the month that master.
qint64 addMaster(Project &project, int month, const QByteArray &png, int side, int nativeSide)
{
    CandidateRecord candidate;
    candidate.month = month;
    candidate.provider = QStringLiteral("offline");
    candidate.status = QStringLiteral("done");
    candidate.width = nativeSide;
    candidate.height = nativeSide;
    if (!project.store().addCandidate(candidate, png))
        return 0;
    const auto id = project.store().addMaster(
        month, MasterSource { candidate.id, 0 }, png, QSize(side, side), QSize(nativeSide, nativeSide));
    if (!id)
        return 0;
    project.assignMaster(month, *id);
    return *id;
}

/// Every item below `item` with `objectName` (delegates are items of the view, not QObject children).
QList<QQuickItem *> itemsNamed(QQuickItem *item, const QString &objectName)
{
    QList<QQuickItem *> found;
    const QList<QQuickItem *> children = item->childItems();
    for (QQuickItem *child : children) {
        if (child->objectName() == objectName)
            found.append(child);
        found += itemsNamed(child, objectName);
    }
    return found;
}

QString role(const PagePreviewModel *model, int page, PagePreviewModel::Role r)
{
    return model->data(model->index(page, 0), r).toString();
}

bool allPagesDone(const PagePreviewModel *model)
{
    if (model->busy())
        return false;
    for (int f = 0; f < PagePreviewModel::formats().size(); ++f) {
        for (int p = 0; p < CalendarDocument::PageCount; ++p) {
            if (model->tile(f, p).isNull())
                return false;
        }
    }
    for (int p = 0; p < CalendarDocument::PageCount; ++p) {
        const QString state = role(model, p, PagePreviewModel::StateRole);
        if (state != QLatin1String("ready") && state != QLatin1String("empty"))
            return false;
    }
    return true;
}

/// Mean absolute difference of two images of the same size, per channel (0–255).
double difference(const QImage &a, const QImage &b)
{
    if (a.size() != b.size())
        return 255;
    const QImage x = a.convertToFormat(QImage::Format_RGB32);
    const QImage y = b.convertToFormat(QImage::Format_RGB32);
    double sum = 0;
    for (int row = 0; row < x.height(); ++row) {
        const auto *p = reinterpret_cast<const QRgb *>(x.constScanLine(row));
        const auto *q = reinterpret_cast<const QRgb *>(y.constScanLine(row));
        for (int col = 0; col < x.width(); ++col) {
            sum += std::abs(qRed(p[col]) - qRed(q[col])) + std::abs(qGreen(p[col]) - qGreen(q[col]))
                + std::abs(qBlue(p[col]) - qBlue(q[col]));
        }
    }
    return sum / (3.0 * x.width() * x.height());
}

} // namespace

class TestPreviewPage : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    PreviewPage *m_page = nullptr;
    PagePreviewModel *m_model = nullptr;
    qint64 m_goodMaster = 0;
    qint64 m_poorMaster = 0;
    int m_goodPage = 0; ///< calendar page showing January (the good master)
    int m_poorPage = 0; ///< February (the master of low native resolution)

    Project &project() { return *m_window->project(); }
    QQuickItem *previewRoot() const { return m_page->view()->rootObject(); }

    /// Waits until every page's latest job is applied; returns false on timeout.
    bool waitForPages()
    {
        return QTest::qWaitFor([this] { return allPagesDone(m_model); }, 120000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("CalendarStudioTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_previewpage"));
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        m_window = std::make_unique<MainWindow>();
        m_page = m_window->previewPage();
        QVERIFY(m_page);
        m_model = m_page->model();
        m_model->setCacheDirectory(m_dir.filePath(QStringLiteral("previews")));
        m_window->resize(1280, 860);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QVERIFY(m_window->newProjectAt(m_dir.filePath(QStringLiteral("preview.calstudio")),
            ProjectSettings::defaults(QDate(2026, 11, 26), QLocale(QStringLiteral("en_US")))));
        for (int m = 0; m <= 12; ++m) {
            MonthEntry entry = project().month(m);
            entry.title = m == 0 ? QStringLiteral("Our year") : QStringLiteral("Scene %1").arg(m);
            QVERIFY(project().setMonth(entry));
        }
        // January: a full-size master (4096², as generation makes them), sharp at every format.
        m_goodMaster = addMaster(project(), 1, masterPng(4096, QRect(1248, 800, 1600, 1600)), 4096, 4096);
        // February: a 1024² master that was a 512 px picture: far too soft to print at this size.
        m_poorMaster = addMaster(project(), 2, masterPng(1024, QRect(312, 200, 400, 400)), 1024, 512);
        QVERIFY(m_goodMaster > 0 && m_poorMaster > 0);
        project().undoStack()->clear();
        const CalendarDocument document = CalendarDocument::fromProject(project());
        for (int p = 0; p < CalendarDocument::PageCount; ++p) {
            if (document.monthEntryIndex(p) == 1)
                m_goodPage = p;
            if (document.monthEntryIndex(p) == 2)
                m_poorPage = p;
        }
        QVERIFY(m_goodPage > 0 && m_poorPage > 0);
    }

    void cleanupTestCase()
    {
        if (m_window)
            (void)m_window->closeProject();
        m_window.reset();
    }

    void previewIsTheStepAfterGenerate()
    {
        const QStringList steps = m_window->journeySteps();
        QVERIFY(steps.contains(MainWindow::StepPreview));
        QCOMPARE(steps.indexOf(MainWindow::StepPreview), steps.indexOf(MainWindow::StepGenerate) + 1);
        QVERIFY(!m_model->isActive()); // nothing is made while the step is hidden
        QVERIFY(m_window->showJourneyStep(MainWindow::StepPreview));
        QVERIFY(m_model->isActive());
        QCOMPARE(m_page->formatTabs()->count(), PrintFormat::builtIn().size());
    }

    void thirteenPagesPerFormat()
    {
        QVERIFY(m_window->showJourneyStep(MainWindow::StepPreview));
        QVERIFY(waitForPages());
        QQuickItem *grid = itemsNamed(previewRoot(), QStringLiteral("pageGrid")).value(0);
        QVERIFY(grid);
        for (int f = 0; f < PrintFormat::builtIn().size(); ++f) {
            m_page->formatTabs()->setCurrentIndex(f);
            QCOMPARE(m_model->formatIndex(), f);
            QCOMPARE(m_model->rowCount(), 13);
            QCOMPARE(grid->property("count").toInt(), 13);
            const ImagePosition *position = PrintFormat::builtIn().at(f).position(1);
            const double aspect = double(position->pixels.width()) / position->pixels.height();
            for (int p = 0; p < 13; ++p) {
                const QImage tile = m_model->tile(f, p);
                QVERIFY2(!tile.isNull(), qPrintable(QStringLiteral("format %1 page %2").arg(f).arg(p)));
                QVERIFY(std::abs(double(tile.width()) / tile.height() - aspect) < 0.01);
                QVERIFY(!role(m_model, p, PagePreviewModel::ImageUrlRole).isEmpty());
            }
            // Pages with a master are "ready", the others wait for a picture.
            QCOMPARE(role(m_model, m_goodPage, PagePreviewModel::StateRole), QStringLiteral("ready"));
            QCOMPARE(role(m_model, m_poorPage, PagePreviewModel::StateRole), QStringLiteral("ready"));
            QCOMPARE(role(m_model, 0, PagePreviewModel::StateRole), QStringLiteral("empty"));
            // The page with a picture differs from the placeholder's colours where the photo goes.
            QVERIFY(difference(m_model->tile(f, m_goodPage), m_model->tile(f, 0)) > 5);
        }
        m_page->formatTabs()->setCurrentIndex(0);
        QCOMPARE(m_model->formatIndex(), 0);
    }

    void warningsOnlyForTheSoftMaster()
    {
        QVERIFY(waitForPages());
        for (int f = 0; f < PrintFormat::builtIn().size(); ++f) {
            const auto good = m_model->plan(f, m_goodPage);
            QVERIFY(good);
            QVERIFY2(good->warnings.isEmpty(), qPrintable(good->warnings.value(0).message));
            QVERIFY(good->effectiveDpi >= 300);
            QVERIFY(good->cutFaces.isEmpty());
            const auto poor = m_model->plan(f, m_poorPage);
            QVERIFY(poor);
            QVERIFY(poor->effectiveDpi < 200);
            QVERIFY(std::any_of(poor->warnings.begin(), poor->warnings.end(),
                [](const CropWarning &w) { return w.kind == CropWarning::Kind::VeryLowResolution; }));
            QCOMPARE(m_model->warningCount(f), 1);
        }
        QCOMPARE(role(m_model, m_goodPage, PagePreviewModel::WarningLevelRole), QStringLiteral("none"));
        QCOMPARE(role(m_model, m_poorPage, PagePreviewModel::WarningLevelRole), QStringLiteral("strong"));
        const QString tooltip = role(m_model, m_poorPage, PagePreviewModel::WarningTextRole);
        QVERIFY(tooltip.contains(QStringLiteral("DPI")));
        QVERIFY(tooltip.contains(QStringLiteral("soft")));
        // One red badge in the grid, and the tab says how many pages need a look.
        int visibleBadges = 0;
        for (QQuickItem *badge : itemsNamed(previewRoot(), QStringLiteral("warningBadge")))
            visibleBadges += badge->isVisible() ? 1 : 0;
        QCOMPARE(visibleBadges, 1);
        QVERIFY(m_page->formatTabs()->tabToolTip(0).contains(QStringLiteral("1 page to check")));
        QVERIFY(!m_page->formatTabs()->tabIcon(0).isNull());
    }

    void facesAreStoredWithTheMaster()
    {
        QVERIFY(waitForPages());
        QVERIFY(QTest::qWaitFor([this] { return bool(*project().store().masterFaces(m_goodMaster)); }, 5000));
        const auto faces = MasterFaces::fromJson(**project().store().masterFaces(m_goodMaster));
        QVERIFY(faces);
        QCOMPARE(faces->faces.size(), 1);
        QVERIFY(QRectF(1248, 800, 1600, 1600).intersects(faces->faces.first().box));
    }

    void selectedPageIsShownLarge()
    {
        QVERIFY(waitForPages());
        m_model->setSelectedPage(m_poorPage);
        QVERIFY(QTest::qWaitFor(
            [this] { return !m_model->selection().value(QStringLiteral("zoomUrl")).toString().isEmpty(); }, 30000));
        const QVariantMap selection = m_model->selection();
        QCOMPARE(selection.value(QStringLiteral("level")).toString(), QStringLiteral("strong"));
        QVERIFY(!selection.value(QStringLiteral("warnings")).toStringList().isEmpty());
        QVERIFY(selection.value(QStringLiteral("editable")).toBool());
        QVERIFY(m_page->editCropButton()->isEnabled());
        QQuickItem *zoom = itemsNamed(previewRoot(), QStringLiteral("zoomImage")).value(0);
        QVERIFY(zoom);
        QTRY_COMPARE_WITH_TIMEOUT(zoom->property("status").toInt(), 1 /* Image.Ready */, 10000);
        QVERIFY(zoom->property("sourceSize").toSize().width() > 600);

        const QImage shot = m_window->grab().toImage();
        QVERIFY(shot.save(screenshotDir() + QStringLiteral("/previewpage-landscape.png")));
        m_page->formatTabs()->setCurrentIndex(1);
        QVERIFY(waitForPages());
        QTest::qWait(200);
        QVERIFY(m_window->grab().toImage().save(screenshotDir() + QStringLiteral("/previewpage-portrait.png")));
        m_page->formatTabs()->setCurrentIndex(0);
    }

    void editorShowsOverlaysAndLiveWarnings()
    {
        QVERIFY(waitForPages());
        CropEditorModel *editor = m_page->editCrop(m_poorPage);
        QVERIFY(editor);
        QVERIFY(m_page->cropEditorDialog()->isVisible());
        QVERIFY(QTest::qWaitFor([editor] { return editor->ready(); }, 30000));
        QCOMPARE(editor->source().master.id, m_poorMaster);
        QVERIFY(editor->isAutomatic());
        QCOMPARE(editor->level(), QStringLiteral("strong"));
        // The hanger zone sits at the top of a wall calendar, inside the bleed and safe lines.
        QVERIFY(!editor->bindingRect().isEmpty());
        QVERIFY(editor->bindingRect().top() <= 0.0 + 1e-9);
        QVERIFY(editor->trimRect().contains(editor->safeRect()));
        QVERIFY(QRectF(0, 0, 1, 1).contains(editor->trimRect()));
        // Photo above the grid: only part of the crop is shown on the page.
        QVERIFY(editor->photoRect().height() < 0.9);
        QCOMPARE(editor->faces().size(), 1);
        QVERIFY(!editor->faces().first().toMap().value(QStringLiteral("cut")).toBool());

        // Zooming in makes fewer pixels cover the page.
        const int dpi = editor->effectiveDpi();
        editor->zoomBy(2);
        QVERIFY(editor->zoom() > 1.9);
        QVERIFY(editor->effectiveDpi() < dpi);
        QVERIFY(!editor->isAutomatic());
        // The aspect stays the position's exactly.
        const QSize position = editor->source().format.position(editor->source().cropPage)->pixels;
        QVERIFY(std::abs(editor->cropPixels().width() / editor->cropPixels().height()
                    - double(position.width()) / position.height())
            < 1e-9);
        // Pushed into the corner away from the face: the face is cut, and said so at once.
        editor->moveTo(1, 1);
        QVERIFY(std::abs(editor->crop().right() - 1) < 1e-9);
        QVERIFY(std::abs(editor->crop().bottom() - 1) < 1e-9);
        QVERIFY(editor->faces().first().toMap().value(QStringLiteral("cut")).toBool());
        QVERIFY(editor->warnings().join(QLatin1Char(' ')).contains(QStringLiteral("face")));
        QTest::qWait(150);
        QVERIFY(m_page->cropEditorDialog()->grab().toImage().save(
            screenshotDir() + QStringLiteral("/previewpage-cropeditor-cut.png")));

        // Esc cancels: nothing stored.
        QQuickWidget *view = m_page->cropEditorDialog()->findChild<QQuickWidget *>(QStringLiteral("cropEditorView"));
        QVERIFY(view);
        view->setFocus();
        QTest::keyClick(view, Qt::Key_Escape);
        QTRY_VERIFY(!m_page->cropEditorDialog());
        QVERIFY(!project().userCrop(2, PrintFormat::builtIn().at(0).id));
        QCOMPARE(project().undoStack()->count(), 0);
    }

    void keysMoveAndZoom()
    {
        QVERIFY(waitForPages());
        CropEditorModel *editor = m_page->editCrop(m_goodPage);
        QVERIFY(editor);
        QVERIFY(QTest::qWaitFor([editor] { return editor->ready(); }, 30000));
        QQuickWidget *view = m_page->cropEditorDialog()->findChild<QQuickWidget *>(QStringLiteral("cropEditorView"));
        QVERIFY(view);
        view->setFocus();
        QTest::qWait(50);
        const qreal zoom = editor->zoom();
        QTest::keyClick(view, Qt::Key_Plus);
        QVERIFY(editor->zoom() > zoom);
        const QRectF before = editor->crop();
        QTest::keyClick(view, Qt::Key_Left);
        QVERIFY(editor->crop().x() < before.x());
        QTest::keyClick(view, Qt::Key_Up, Qt::ShiftModifier);
        QVERIFY(editor->crop().y() < before.y());
        QTest::keyClick(view, Qt::Key_Minus);
        QVERIFY(editor->zoom() < zoom * 1.1);
        QTest::qWait(150);
        QVERIFY(m_page->cropEditorDialog()->grab().toImage().save(
            screenshotDir() + QStringLiteral("/previewpage-cropeditor.png")));
        QTest::keyClick(view, Qt::Key_Escape);
        QTRY_VERIFY(!m_page->cropEditorDialog());
        QCOMPARE(project().undoStack()->count(), 0);
    }

    void cropEditUpdatesThePageAndUndoRestoresIt()
    {
        QVERIFY(waitForPages());
        const QString formatId = PrintFormat::builtIn().at(0).id;
        m_model->setSelectedPage(m_goodPage);
        QVERIFY(waitForPages());
        const QImage original = m_model->tile(0, m_goodPage);
        const QRect autoCrop = m_model->plan(0, m_goodPage)->crop;

        CropEditorModel *editor = m_page->editCrop(m_goodPage);
        QVERIFY(editor);
        QVERIFY(QTest::qWaitFor([editor] { return editor->ready(); }, 30000));
        editor->zoomBy(1.6);
        editor->moveBy(0.06, 0.04);
        const QRectF wanted = editor->crop();
        QSignalSpy updated(m_model, &PagePreviewModel::pageUpdated);
        QElapsedTimer timer;
        timer.start();
        editor->accept(); // what OK and Enter do
        QTRY_VERIFY(!m_page->cropEditorDialog());

        // Stored in the project as one undo step.
        const auto stored = project().userCrop(1, formatId);
        QVERIFY(stored);
        QVERIFY(std::abs(stored->x() - wanted.x()) < 1e-9 && std::abs(stored->width() - wanted.width()) < 1e-9);
        QCOMPARE(project().undoStack()->count(), 1);

        // The page follows: first straight from the reduced copy in memory, then from the cache.
        QVERIFY(QTest::qWaitFor(
            [&] {
                return std::any_of(updated.begin(), updated.end(), [&](const QList<QVariant> &a) {
                    return a.at(0).toInt() == 0 && a.at(1).toInt() == m_goodPage && a.at(2).toBool();
                });
            },
            10000));
        const qint64 quickMs = timer.elapsed();
        qInfo("crop edit → page preview from the reduced copy: %.1f ms (model), %lld ms (test wall clock)",
            m_model->lastQuickUpdateMs(), quickMs);
        // A sanity bound only (the figure for the record is in the report / BENCHMARKS.md).
        QVERIFY(m_model->lastQuickUpdateMs() < 1000);
        QVERIFY(difference(m_model->tile(0, m_goodPage), original) > 1);
        QVERIFY(waitForPages());
        const auto plan = m_model->plan(0, m_goodPage);
        QVERIFY(plan && plan->userCrop);
        QVERIFY(plan->crop != autoCrop);
        QCOMPARE(role(m_model, m_goodPage, PagePreviewModel::UserCropRole), QStringLiteral("true"));
        const QImage edited = m_model->tile(0, m_goodPage);
        QVERIFY(difference(edited, original) > 1);
        // Other formats keep their automatic crops.
        QVERIFY(!m_model->plan(1, m_goodPage)->userCrop);

        // Edit ▸ Undo: the old crop, and the very same picture, come back.
        QAction *undo = m_window->findChild<QAction *>(QStringLiteral("actionUndo"));
        QVERIFY(undo && undo->isEnabled());
        undo->trigger();
        QVERIFY(!project().userCrop(1, formatId));
        QTest::qWait(100);
        QVERIFY(waitForPages());
        QVERIFY(!m_model->plan(0, m_goodPage)->userCrop);
        QCOMPARE(m_model->plan(0, m_goodPage)->crop, autoCrop);
        QVERIFY(difference(m_model->tile(0, m_goodPage), original) < 0.01);

        // Redo brings the hand-made crop back again.
        QAction *redo = m_window->findChild<QAction *>(QStringLiteral("actionRedo"));
        if (redo)
            redo->trigger();
        else
            project().undoStack()->redo();
        QVERIFY(project().userCrop(1, formatId));
        QTest::qWait(100);
        QVERIFY(waitForPages());
        QVERIFY(difference(m_model->tile(0, m_goodPage), edited) < 0.01);
    }

    void resetToAutomaticRemovesTheCrop()
    {
        const QString formatId = PrintFormat::builtIn().at(0).id;
        QVERIFY(project().userCrop(1, formatId)); // from the previous test
        QVERIFY(waitForPages());
        CropEditorModel *editor = m_page->editCrop(m_goodPage);
        QVERIFY(editor);
        QVERIFY(!editor->isAutomatic());
        QQuickItem *reset = itemsNamed(
            m_page->cropEditorDialog()->findChild<QQuickWidget *>(QStringLiteral("cropEditorView"))->rootObject(),
            QStringLiteral("resetButton"))
                                .value(0);
        QVERIFY(reset && reset->isEnabled());
        editor->resetToAutomatic();
        QVERIFY(editor->isAutomatic());
        QCOMPARE(editor->cropPixels().toRect(), editor->source().autoCrop);
        QVERIFY(!reset->isEnabled());
        const int steps = project().undoStack()->count();
        editor->accept();
        QTRY_VERIFY(!m_page->cropEditorDialog());
        QVERIFY(!project().userCrop(1, formatId));
        QCOMPARE(project().undoStack()->count(), steps + 1);
        QVERIFY(waitForPages());
        QVERIFY(!m_model->plan(0, m_goodPage)->userCrop);
        // Undone, the hand-made crop is back.
        project().undoStack()->undo();
        QVERIFY(project().userCrop(1, formatId));
        project().undoStack()->redo();
        QVERIFY(!project().userCrop(1, formatId));
    }

    // Export PDF from the step: a real PDF of the current format, faces kept, status reported.
    void exportPdfFromThePreview()
    {
        QVERIFY(m_window->showJourneyStep(MainWindow::StepPreview));
        m_page->formatTabs()->setCurrentIndex(2); // square
        const QString path = m_dir.filePath(QStringLiteral("export.pdf"));
        QSignalSpy finished(m_page, &PreviewPage::exportFinished);
        m_page->exportPdf(path, true);
        QVERIFY(!m_page->exportPdfButton()->isEnabled()); // one export at a time
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.first().at(0).toString(), path);
        QVERIFY(finished.first().at(1).toString().contains(QStringLiteral("export.pdf")));
        QFile pdf(path);
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        const QByteArray bytes = pdf.readAll();
        QVERIFY(bytes.startsWith("%PDF"));
        QCOMPARE(bytes.count("/Type /Page\n") + bytes.count("/Type /Page\r") + bytes.count("/Type /Page "),
                 qsizetype(13));
        QVERIFY(m_page->exportPdfButton()->isEnabled());
        m_page->formatTabs()->setCurrentIndex(0);
    }

    void editCropNeedsAPicture()
    {
        QVERIFY(waitForPages());
        m_model->setSelectedPage(0); // the cover has no master
        QVERIFY(!m_page->editCropButton()->isEnabled());
        QVERIFY(!m_page->editCrop(0));
        QVERIFY(!m_page->cropEditorDialog());
    }

    void aNewMasterIsPreviewed()
    {
        QVERIFY(waitForPages());
        QCOMPARE(role(m_model, 0, PagePreviewModel::StateRole), QStringLiteral("empty"));
        const qint64 cover = addMaster(project(), 0, masterPng(1024, QRect(100, 300, 500, 500)), 1024, 4096);
        QVERIFY(cover > 0);
        QTest::qWait(100);
        QVERIFY(waitForPages());
        QCOMPARE(role(m_model, 0, PagePreviewModel::StateRole), QStringLiteral("ready"));
        QVERIFY(m_model->plan(0, 0));
    }
};

QTEST_MAIN(TestPreviewPage)
#include "tst_previewpage.moc"
