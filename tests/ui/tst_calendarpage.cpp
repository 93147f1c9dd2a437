// Drives the Calendar step offscreen: settings, page design, public holidays
// and personal dates change the Project (undoably) and the live Qt Quick page
// preview; .ics import and export round-trip; a screenshot is written for review.

#include "uitestsupport.h"
#include "core/calendar/icalendarfile.h"
#include "core/project/project.h"
#include "qml/calendarpreviewmodel.h"
#include "ui/calendarpage.h"
#include "ui/errorbanner.h"
#include "ui/holidaylistwidget.h"
#include "ui/mainwindow.h"
#include "ui/personaldateseditor.h"
#include "ui/projectsettingspage.h"
#include "ui/specialdatedialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QQuickItem>
#include <QQuickWidget>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <QtQml/qqmlextensionplugin.h>

#include <algorithm>
#include <memory>

Q_IMPORT_QML_PLUGIN(CalendarStudioPlugin)

using namespace CalStudio;
using CalStudio::UiTestSupport::screenshotDir;

namespace {

ProjectSettings settings2027()
{
    ProjectSettings s = ProjectSettings::defaults(QDate(2026, 5, 1), QLocale(QStringLiteral("en_US")));
    s.title = QStringLiteral("Family 2027");
    return s;
}

bool containsMark(const QList<DayMark> &marks, const QDate &date, const QString &text)
{
    return std::any_of(
        marks.cbegin(), marks.cend(), [&](const DayMark &m) { return m.date == date && m.text == text; });
}

// Dates compared as the user sees them (ids are assigned by the store).
QList<SpecialDate> withoutIds(QList<SpecialDate> dates)
{
    for (SpecialDate &d : dates)
        d.id = 0;
    return dates;
}

const QByteArray SampleIcs = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//Contacts//EN\r\n"
                             "BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:19850312\r\nRRULE:FREQ=YEARLY\r\n"
                             "SUMMARY:Grandpa\r\nCATEGORIES:Birthday\r\nEND:VEVENT\r\n"
                             "BEGIN:VEVENT\r\nUID:2\r\nDTSTART:20270310T090000Z\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\n"
                             "BEGIN:VEVENT\r\nUID:3\r\nDTSTART;VALUE=DATE:20100619\r\nRRULE:FREQ=YEARLY\r\n"
                             "SUMMARY:Our wedding\r\nCATEGORIES:Anniversary\r\nEND:VEVENT\r\n"
                             "BEGIN:VEVENT\r\nUID:4\r\nDTSTART;VALUE=DATE:20270704\r\nSUMMARY:Barbecue\r\nEND:VEVENT\r\n"
                             "END:VCALENDAR\r\n";

} // namespace

class TestCalendarPage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void previewLoads();
    void settingsUpdateProjectAndPreview();
    void germanHolidaysAndSwitchingOneOff();
    void addPersonalDateWithTheDialog();
    void importIsOneUndoStepAndExportRoundTrips();
    void importErrorReachesTheBanner();
    void repaintIsFast();
    void screenshot();

private:
    void openPage(const QString &name, const ProjectSettings &settings = settings2027());
    QImage grabPreview();

    QTemporaryDir m_dir;
    std::unique_ptr<CalendarPage> m_page;
    std::unique_ptr<Project> m_project;
};

void TestCalendarPage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("CalendarStudioTest"));
    QCoreApplication::setApplicationName(QStringLiteral("Calendar Page Test"));
    QVERIFY(m_dir.isValid());
}

void TestCalendarPage::init()
{
    QSettings().clear();
}

void TestCalendarPage::cleanup()
{
    if (m_page)
        m_page->setProject(nullptr);
    m_page.reset();
    m_project.reset();
}

void TestCalendarPage::openPage(const QString &name, const ProjectSettings &settings)
{
    auto project = Project::create(m_dir.filePath(name), settings);
    QVERIFY2(project.ok(), qPrintable(project.ok() ? QString() : project.error().toString()));
    m_project = std::move(*project);
    m_page = std::make_unique<CalendarPage>();
    m_page->resize(1200, 820);
    m_page->setProject(m_project.get());
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
}

QImage TestCalendarPage::grabPreview()
{
    // Let the scene graph render the latest state first.
    QTest::qWait(30);
    return m_page->previewView()->grabFramebuffer();
}

void TestCalendarPage::previewLoads()
{
    openPage(QStringLiteral("loads.calstudio"));
    QQuickWidget *view = m_page->previewView();
    QCOMPARE(view->status(), QQuickWidget::Ready);
    QQuickItem *root = view->rootObject();
    QVERIFY(root);
    QCOMPARE(root->property("model").value<CalendarPreviewModel *>(), m_page->previewModel());
    QCOMPARE(root->property("pageLabel").toString(), QStringLiteral("Page 1 of 13 — Cover"));
    m_page->setPreviewPage(9);
    QCOMPARE(root->property("pageLabel").toString(), QStringLiteral("Page 10 of 13 — September 2027"));
    QCOMPARE(m_page->previewModel()->title(), QStringLiteral("Family 2027"));

    // The keyboard reaches the preview and pages with it.
    view->setFocus();
    QTRY_VERIFY(view->hasFocus());
    QTest::keyClick(view, Qt::Key_PageDown);
    QCOMPARE(m_page->previewPage(), 10);
    QTest::keyClick(view, Qt::Key_Left);
    QTest::keyClick(view, Qt::Key_Left);
    QCOMPARE(m_page->previewPage(), 8);
}

void TestCalendarPage::settingsUpdateProjectAndPreview()
{
    openPage(QStringLiteral("settings.calstudio"));
    CalendarPreviewModel *model = m_page->previewModel();
    auto *title = m_page->findChild<QLineEdit *>(QStringLiteral("titleEdit"));
    auto *year = m_page->findChild<QSpinBox *>(QStringLiteral("yearSpin"));
    auto *startMonth = m_page->findChild<QComboBox *>(QStringLiteral("startMonthCombo"));
    auto *locale = m_page->findChild<QComboBox *>(QStringLiteral("localeCombo"));
    auto *layout = m_page->findChild<QComboBox *>(QStringLiteral("layoutCombo"));
    auto *theme = m_page->findChild<QComboBox *>(QStringLiteral("themeCombo"));
    auto *weekNumbers = m_page->findChild<QCheckBox *>(QStringLiteral("weekNumbersCheck"));
    auto *notesLine = m_page->findChild<QCheckBox *>(QStringLiteral("notesLineCheck"));
    QVERIFY(title && year && startMonth && locale && layout && theme && weekNumbers && notesLine);
    QCOMPARE(layout->count(), 3);
    QCOMPARE(theme->count(), PageTheme::builtIn().size());

    // The title shows live on the cover as it is typed.
    QImage before = grabPreview();
    title->setFocus();
    title->selectAll();
    QTest::keyClicks(title, QStringLiteral("Our Year"));
    QCOMPARE(m_project->settings().title, QStringLiteral("Our Year"));
    QCOMPARE(model->title(), QStringLiteral("Our Year"));
    QImage after = grabPreview();
    QVERIFY(before != after);

    m_page->setPreviewPage(1);
    before = grabPreview();
    year->setFocus();
    year->selectAll();
    QTest::keyClicks(year, QStringLiteral("2030"));
    QTest::keyClick(year, Qt::Key_Return);
    QCOMPARE(m_project->settings().year, 2030);
    QCOMPARE(model->year(), 2030);
    QVERIFY(before != grabPreview());

    startMonth->setCurrentIndex(startMonth->findData(9));
    QCOMPARE(m_project->settings().startMonth, 9);
    QCOMPARE(model->startMonth(), 9);
    QCOMPARE(m_page->previewView()->rootObject()->property("pageLabel").toString(),
        QStringLiteral("Page 2 of 13 — September 2030"));

    before = grabPreview();
    locale->setCurrentIndex(locale->findData(QStringLiteral("de_DE")));
    QCOMPARE(m_project->settings().locale, QStringLiteral("de_DE"));
    QCOMPARE(model->locale(), QStringLiteral("de_DE"));
    QVERIFY(before != grabPreview());

    before = grabPreview();
    const qreal portrait = model->aspectRatio();
    layout->setCurrentIndex(layout->findData(QStringLiteral("side-by-side")));
    QCOMPARE(m_project->settings().pageLayout, QStringLiteral("side-by-side"));
    QCOMPARE(model->layoutId(), QStringLiteral("side-by-side"));
    QVERIFY(model->aspectRatio() > 1 && portrait < 1);
    QVERIFY(before != grabPreview());

    const QString otherTheme = PageTheme::builtIn().last().id;
    before = grabPreview();
    theme->setCurrentIndex(theme->findData(otherTheme));
    QCOMPARE(m_project->settings().pageTheme, otherTheme);
    QCOMPARE(model->themeId(), otherTheme);
    QVERIFY(before != grabPreview());

    before = grabPreview();
    weekNumbers->setFocus();
    QTest::keyClick(weekNumbers, Qt::Key_Space);
    QVERIFY(m_project->settings().weekNumbers);
    QVERIFY(model->weekNumbers());
    notesLine->click();
    QVERIFY(m_project->settings().notesLine);
    QVERIFY(model->notesLine());
    QVERIFY(before != grabPreview());

    // Undo walks it all back, in the project, the form and the preview.
    QUndoStack *undo = m_project->undoStack();
    undo->undo(); // notes line
    QVERIFY(!notesLine->isChecked());
    QVERIFY(!model->notesLine());
    undo->undo(); // week numbers
    undo->undo(); // theme
    QCOMPARE(model->themeId(), QStringLiteral("classic"));
    QCOMPARE(theme->currentData().toString(), QStringLiteral("classic"));
    undo->undo(); // layout
    QCOMPARE(model->layoutId(), QStringLiteral("photo-above"));
    QCOMPARE(layout->currentData().toString(), QStringLiteral("photo-above"));
    while (undo->canUndo())
        undo->undo();
    QCOMPARE(model->settings().title, QStringLiteral("Family 2027"));
    QCOMPARE(model->year(), 2027);
    QCOMPARE(model->startMonth(), 1);
    QCOMPARE(model->locale(), QStringLiteral("en_US"));
}

void TestCalendarPage::germanHolidaysAndSwitchingOneOff()
{
    openPage(QStringLiteral("holidays.calstudio"));
    auto *locale = m_page->findChild<QComboBox *>(QStringLiteral("localeCombo"));
    auto *region = m_page->findChild<QComboBox *>(QStringLiteral("holidayCombo"));
    QVERIFY(locale && region);
    QCOMPARE(region->itemText(0), QStringLiteral("No public holidays"));
    QCOMPARE(region->count(), HolidayCalendar::availableRegions().size() + 1);

    locale->setCurrentIndex(locale->findData(QStringLiteral("de_DE")));
    const int de = region->findData(QStringLiteral("DE"));
    QVERIFY(de > 0);
    region->setCurrentIndex(de);
    QCOMPARE(m_project->settings().holidayRegion, QStringLiteral("DE"));

    QListWidget *list = m_page->holidayList()->list();
    QVERIFY(list->isVisible());
    QListWidgetItem *unity = nullptr;
    for (int row = 0; row < list->count(); ++row) {
        if (list->item(row)->text().contains(QStringLiteral("Tag der Deutschen Einheit")))
            unity = list->item(row);
    }
    QVERIFY2(unity, "Tag der Deutschen Einheit is listed in German");
    QCOMPARE(unity->checkState(), Qt::Checked);
    const QString id = unity->data(Qt::UserRole).toString();
    QCOMPARE(id, QStringLiteral("tag-der-deutschen-einheit"));
    auto *source = m_page->findChild<QLabel *>(QStringLiteral("holidaySource"));
    QVERIFY(source && source->isVisible() && source->text().startsWith(QStringLiteral("Source: ")));

    CalendarPreviewModel *model = m_page->previewModel();
    const int october = model->pageOfDate(QDate(2027, 10, 3));
    QCOMPARE(october, 10);
    QVERIFY(containsMark(model->marks(october), QDate(2027, 10, 3), QStringLiteral("Tag der Deutschen Einheit")));
    m_page->setPreviewPage(october);
    const QImage shown = grabPreview();

    // Unticking hides it from the project's pages and the preview; undo brings it back.
    const int undoCount = m_project->undoStack()->count();
    unity->setCheckState(Qt::Unchecked);
    QVERIFY(!m_project->isHolidayEnabled(QStringLiteral("DE"), id));
    QCOMPARE(m_project->undoStack()->count(), undoCount + 1);
    QVERIFY(model->disabledHolidays().contains(id));
    QVERIFY(!containsMark(model->marks(october), QDate(2027, 10, 3), QStringLiteral("Tag der Deutschen Einheit")));
    QVERIFY(shown != grabPreview());

    m_project->undoStack()->undo();
    QVERIFY(m_project->isHolidayEnabled(QStringLiteral("DE"), id));
    QCOMPARE(unity->checkState(), Qt::Checked);
    QVERIFY(!model->disabledHolidays().contains(id));
    QVERIFY(containsMark(model->marks(october), QDate(2027, 10, 3), QStringLiteral("Tag der Deutschen Einheit")));
    QCOMPARE(grabPreview(), shown);
}

void TestCalendarPage::addPersonalDateWithTheDialog()
{
    openPage(QStringLiteral("dates.calstudio"));
    PersonalDatesEditor *editor = m_page->personalDates();
    auto *add = editor->findChild<QPushButton *>(QStringLiteral("addDateButton"));
    QVERIFY(add && add->isEnabled());
    QTest::mouseClick(add, Qt::LeftButton);

    SpecialDateDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = editor->findChild<SpecialDateDialog *>()) != nullptr);
    QTRY_VERIFY(dialog->isVisible());
    auto *date = dialog->findChild<QDateEdit *>(QStringLiteral("specialDateEdit"));
    auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("specialDateLabel"));
    auto *kind = dialog->findChild<QComboBox *>(QStringLiteral("specialDateKind"));
    auto *buttons = dialog->findChild<QDialogButtonBox *>();
    QVERIFY(date && name && kind && buttons);
    QVERIFY(!buttons->button(QDialogButtonBox::Ok)->isEnabled()); // no name yet
    date->setDate(QDate(1997, 8, 14));
    kind->setCurrentIndex(kind->findData(int(SpecialDate::Kind::Birthday)));
    QTest::keyClicks(name, QStringLiteral("Anna"));
    QVERIFY(buttons->button(QDialogButtonBox::Ok)->isEnabled());
    auto *sample = dialog->findChild<QLabel *>(QStringLiteral("specialDateSample"));
    QVERIFY(sample->text().contains(QStringLiteral("Anna turns 30")));
    QTest::mouseClick(buttons->button(QDialogButtonBox::Ok), Qt::LeftButton);

    QCOMPARE(m_project->specialDates().size(), 1);
    const SpecialDate added = m_project->specialDates().first();
    QCOMPARE(added.label, QStringLiteral("Anna"));
    QCOMPARE(added.date, QDate(1997, 8, 14));
    QCOMPARE(added.kind, SpecialDate::Kind::Birthday);
    QVERIFY(added.showAge && added.recurring);
    QCOMPARE(editor->table()->rowCount(), 1);
    QCOMPARE(editor->table()->item(0, 1)->text(), QStringLiteral("Anna"));

    // In the preview's marks, and the preview went to its month.
    CalendarPreviewModel *model = m_page->previewModel();
    QCOMPARE(m_page->previewPage(), 8);
    QVERIFY(containsMark(model->marks(8), QDate(2027, 8, 14), added.cellText(2027)));

    // Edit through the dialog (Enter on the row), then undo the edit and the add.
    editor->table()->selectRow(0);
    SpecialDateDialog *edit = editor->openEditDialog();
    QVERIFY(edit);
    auto *editName = edit->findChild<QLineEdit *>(QStringLiteral("specialDateLabel"));
    QCOMPARE(editName->text(), QStringLiteral("Anna"));
    editName->selectAll();
    QTest::keyClicks(editName, QStringLiteral("Anna B."));
    edit->accept();
    QCOMPARE(m_project->specialDates().first().label, QStringLiteral("Anna B."));
    QVERIFY(containsMark(model->marks(8), QDate(2027, 8, 14), QStringLiteral("Anna B. turns 30")));
    m_project->undoStack()->undo();
    QCOMPARE(m_project->specialDates().first().label, QStringLiteral("Anna"));
    m_project->undoStack()->undo();
    QVERIFY(m_project->specialDates().isEmpty());
    QVERIFY(model->marks(8).isEmpty());
    QCOMPARE(editor->table()->rowCount(), 0);
}

void TestCalendarPage::importIsOneUndoStepAndExportRoundTrips()
{
    openPage(QStringLiteral("ics.calstudio"));
    PersonalDatesEditor *editor = m_page->personalDates();
    const QString icsPath = m_dir.filePath(QStringLiteral("contacts.ics"));
    {
        QFile f(icsPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(SampleIcs);
    }
    const int undoCount = m_project->undoStack()->count();
    const Status st = editor->importFile(icsPath);
    QVERIFY2(st.ok(), qPrintable(st.ok() ? QString() : st.error().toString()));
    QCOMPARE(m_project->specialDates().size(), 3);
    QCOMPARE(m_project->undoStack()->count(), undoCount + 1);
    QCOMPARE(editor->statusText(), QStringLiteral("3 dates imported from “contacts.ics”, 1 skipped (no usable date)."));
    QVERIFY(editor->findChild<QLabel *>(QStringLiteral("personalDatesStatus"))->isVisible());
    QCOMPARE(editor->table()->rowCount(), 3);
    // In calendar order: March, June, July.
    QCOMPARE(editor->table()->item(0, 1)->text(), QStringLiteral("Grandpa"));
    QCOMPARE(editor->table()->item(1, 1)->text(), QStringLiteral("Our wedding"));
    QCOMPARE(m_page->previewModel()->specialDates().size(), 3);
    QVERIFY(containsMark(m_page->previewModel()->marks(3), QDate(2027, 3, 12), QStringLiteral("Grandpa")));

    // Importing the same file again adds nothing.
    QVERIFY(editor->importFile(icsPath).ok());
    QCOMPARE(m_project->specialDates().size(), 3);
    QCOMPARE(m_project->undoStack()->count(), undoCount + 1);
    QVERIFY(editor->statusText().contains(QStringLiteral("3 already in the calendar")));

    // Export, then read it back: the same dates.
    const QString exported = m_dir.filePath(QStringLiteral("exported.ics"));
    QVERIFY(editor->exportFile(exported).ok());
    QCOMPARE(editor->statusText(), QStringLiteral("3 dates exported to “exported.ics”."));
    auto back = ICalendarFile::read(exported);
    QVERIFY(back.ok());
    QCOMPARE(back->skipped, 0);
    QCOMPARE(withoutIds(back->dates), withoutIds(m_project->specialDates()));

    // One undo removes the whole import; a re-import of the export restores exactly the same dates.
    m_project->undoStack()->undo();
    QVERIFY(m_project->specialDates().isEmpty());
    QVERIFY(m_page->previewModel()->marks(3).isEmpty());
    QVERIFY(editor->importFile(exported).ok());
    QCOMPARE(withoutIds(m_project->specialDates()), withoutIds(back->dates));

    // Remove with the Delete key on a selected row.
    editor->table()->setFocus();
    editor->table()->selectRow(0);
    QTest::keyClick(editor->table(), Qt::Key_Delete);
    QCOMPARE(m_project->specialDates().size(), 2);
}

void TestCalendarPage::importErrorReachesTheBanner()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.newProjectAt(m_dir.filePath(QStringLiteral("banner.calstudio")), settings2027()));
    const QString bad = m_dir.filePath(QStringLiteral("not-a-calendar.ics"));
    {
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not iCalendar");
    }
    PersonalDatesEditor *editor = window.calendarPage()->personalDates();
    const Status st = editor->importFile(bad);
    QVERIFY(!st.ok());
    // What the button does with a failed import: the window's banner shows it.
    Q_EMIT editor->errorOccurred(st.error());
    QVERIFY(window.errorBanner()->isShowingError());
    QCOMPARE(window.errorBanner()->error().code, st.error().code);
    QVERIFY(window.project()->specialDates().isEmpty());
}

void TestCalendarPage::repaintIsFast()
{
    CalendarPreviewModel model;
    model.setTitle(QStringLiteral("Speed"));
    model.setYear(2027);
    model.setLocale(QStringLiteral("de_DE"));
    model.setHolidayRegion(QStringLiteral("DE"));
    model.setWeekNumbers(true);
    model.setNotesLine(true);
    QList<SpecialDate> dates;
    for (int i = 0; i < 40; ++i) {
        SpecialDate d;
        d.date = QDate(1980 + i, i % 12 + 1, i % 27 + 1);
        d.label = QStringLiteral("Person %1").arg(i);
        d.kind = SpecialDate::Kind::Birthday;
        d.showAge = true;
        dates.append(d);
    }
    model.setSpecialDates(dates);
    const QSize size(900, 1165);
    (void)model.renderPage(10, size); // warm caches (fonts, holidays)

    QList<qint64> times;
    for (int page = 0; page < CalendarPreviewModel::PageCount; ++page) {
        QElapsedTimer timer;
        timer.start();
        const QImage image = model.renderPage(page, size);
        times.append(timer.nsecsElapsed());
        QVERIFY(!image.isNull());
    }
    std::sort(times.begin(), times.end());
    const double medianMs = double(times.at(times.size() / 2)) / 1e6;
    qInfo("median repaint at 900 px: %.1f ms (slowest %.1f ms)", medianMs, double(times.last()) / 1e6);
    QVERIFY2(medianMs < 50, qPrintable(QStringLiteral("median repaint %1 ms").arg(medianMs)));
}

void TestCalendarPage::screenshot()
{
    ProjectSettings s = settings2027();
    s.title = QStringLiteral("Familie Berger 2027");
    s.locale = QStringLiteral("de_DE");
    s.holidayRegion = QStringLiteral("DE");
    s.weekNumbers = true;
    auto project = Project::create(m_dir.filePath(QStringLiteral("shot.calstudio")), s);
    QVERIFY(project.ok());
    QList<SpecialDate> dates;
    SpecialDate anna;
    anna.date = QDate(1997, 10, 14);
    anna.label = QStringLiteral("Anna");
    anna.kind = SpecialDate::Kind::Birthday;
    anna.showAge = true;
    SpecialDate wedding;
    wedding.date = QDate(2010, 10, 22);
    wedding.label = QStringLiteral("Hochzeitstag");
    wedding.kind = SpecialDate::Kind::Anniversary;
    wedding.showAge = true;
    SpecialDate leap;
    leap.date = QDate(2000, 2, 29);
    leap.label = QStringLiteral("Opa");
    leap.kind = SpecialDate::Kind::Birthday;
    leap.leapRule = SpecialDate::LeapRule::March1;
    dates << anna << wedding << leap;
    QVERIFY((*project)->setSpecialDates(dates, QStringLiteral("fixture")).ok());
    (*project)->setHolidayEnabled(QStringLiteral("DE"), QStringLiteral("christi-himmelfahrt"), false);
    QVERIFY((*project)->flush().ok());
    const QString path = (*project)->path();
    project->reset();

    MainWindow window;
    window.resize(1360, 860);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openProject(path));
    window.calendarPage()->setPreviewPage(10);
    QTest::qWait(200);
    const QImage shot = window.grab().toImage();
    QVERIFY(!shot.isNull());
    const QString file = screenshotDir() + QStringLiteral("/calendar-page.png");
    QVERIFY(shot.save(file));

    // The preview alone at a larger size, for a closer look at the page.
    const QImage page = window.calendarPage()->previewModel()->renderPage(10, QSize(850, 1100));
    QVERIFY(page.save(screenshotDir() + QStringLiteral("/calendar-preview-october.png")));
    qInfo("screenshot in %s", qPrintable(file));
}

QTEST_MAIN(TestCalendarPage)
#include "tst_calendarpage.moc"
