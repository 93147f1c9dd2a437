// Drives the Prompts page offscreen over a real project: the page list
// follows the calendar's span and language, typing edits the project with
// merged undo steps, themes apply as one step through the real dialog,
// suggestions and saved themes work, and screenshots are written for review.

#include "uitestsupport.h"
#include "core/calendar/calendarnames.h"
#include "core/project/project.h"
#include "core/project/promptrules.h"
#include "core/project/promptthemelibrary.h"
#include "core/project/stylepreset.h"
#include "ui/promptlistdelegate.h"
#include "ui/promptspage.h"
#include "ui/themedialog.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <QVBoxLayout>

#include <memory>

using namespace CalStudio;
using CalStudio::UiTestSupport::screenshotDir;

namespace {

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

/**
 * The page inside a window that owns Edit ▸ Undo/Redo for the project's
 * stack, as MainWindow does: Ctrl+Z in the page's fields must reach these.
 */
class Host : public QWidget {
public:
    Host(PromptThemeLibrary *library, Project *project)
        : page(new PromptsPage(library, this))
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
        resize(1100, 720);
        QObject::connect(page, &PromptsPage::errorOccurred, this, [this](const Error &e) { errors.append(e); });
    }

    PromptsPage *page;
    QAction *undo = nullptr;
    QAction *redo = nullptr;
    QList<Error> errors;
};

} // namespace

class TestPromptsPage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void listFollowsSpanAndLocale_data();
    void listFollowsSpanAndLocale();
    void typingEditsProjectCounterAndBadge();
    void ownEditsKeepTheCursor();
    void applyThemeEditUndoRedo();
    void suggestIsUndoable();
    void saveAsMyTheme();
    void saveAsMyThemeErrors_data();
    void saveAsMyThemeErrors();
    void failingSaveIsReported();
    void noProjectShowsNothingEditable();
    void screenshots();

private:
    std::unique_ptr<Project> makeProject(const QString &locale = QStringLiteral("en_US"), int startMonth = 1);
    static bool showAndActivate(QWidget &window);
    static QStringList pageNames(PromptsPage *page);
    static QListWidgetItem *itemOf(PromptsPage *page, int month);
    ThemeDialog *waitForThemeDialog(PromptsPage *page);

    QTemporaryDir m_dir;
    int m_counter = 0;
};

void TestPromptsPage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

std::unique_ptr<Project> TestPromptsPage::makeProject(const QString &locale, int startMonth)
{
    ProjectSettings settings = ProjectSettings::defaults(QDate(2026, 11, 26), QLocale(locale));
    settings.startMonth = startMonth;
    const QString path = m_dir.filePath(QStringLiteral("p%1.calstudio").arg(++m_counter));
    auto project = Project::create(path, settings);
    if (!project) {
        qWarning() << project.error();
        return {};
    }
    return std::move(project).value();
}

bool TestPromptsPage::showAndActivate(QWidget &window)
{
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return false;
    window.activateWindow();
    return QTest::qWaitForWindowActive(&window);
}

QStringList TestPromptsPage::pageNames(PromptsPage *page)
{
    auto *list = page->findChild<QListWidget *>(QStringLiteral("promptPageList"));
    QStringList names;
    for (int row = 0; row < list->count(); ++row)
        names.append(list->item(row)->text());
    return names;
}

QListWidgetItem *TestPromptsPage::itemOf(PromptsPage *page, int month)
{
    auto *list = page->findChild<QListWidget *>(QStringLiteral("promptPageList"));
    for (int row = 0; row < list->count(); ++row) {
        if (list->item(row)->data(Qt::UserRole).toInt() == month)
            return list->item(row);
    }
    return nullptr;
}

ThemeDialog *TestPromptsPage::waitForThemeDialog(PromptsPage *page)
{
    ThemeDialog *dialog = nullptr;
    const bool shown = QTest::qWaitFor([&] {
        dialog = page->findChild<ThemeDialog *>();
        return dialog && dialog->isVisible();
    });
    return shown ? dialog : nullptr;
}

void TestPromptsPage::listFollowsSpanAndLocale_data()
{
    QTest::addColumn<QString>("locale");
    QTest::addColumn<int>("startMonth");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("januaryHeading");

    QTest::newRow("en_US January") << QStringLiteral("en_US") << 1
                                   << QStringList { QStringLiteral("Cover"), QStringLiteral("January"),
                                          QStringLiteral("February"), QStringLiteral("March"), QStringLiteral("April"),
                                          QStringLiteral("May"), QStringLiteral("June"), QStringLiteral("July"),
                                          QStringLiteral("August"), QStringLiteral("September"),
                                          QStringLiteral("October"), QStringLiteral("November"),
                                          QStringLiteral("December") }
                                   << QStringLiteral("January 2027");
    QTest::newRow("en_US July") << QStringLiteral("en_US") << 7
                                << QStringList { QStringLiteral("Cover"), QStringLiteral("July"),
                                       QStringLiteral("August"), QStringLiteral("September"), QStringLiteral("October"),
                                       QStringLiteral("November"), QStringLiteral("December"),
                                       QStringLiteral("January"), QStringLiteral("February"), QStringLiteral("March"),
                                       QStringLiteral("April"), QStringLiteral("May"), QStringLiteral("June") }
                                << QStringLiteral("January 2028");
    QTest::newRow("de_DE July") << QStringLiteral("de_DE") << 7
                                << QStringList { QStringLiteral("Cover"), QStringLiteral("Juli"),
                                       QStringLiteral("August"), QStringLiteral("September"), QStringLiteral("Oktober"),
                                       QStringLiteral("November"), QStringLiteral("Dezember"), QStringLiteral("Januar"),
                                       QStringLiteral("Februar"), QStringLiteral("März"), QStringLiteral("April"),
                                       QStringLiteral("Mai"), QStringLiteral("Juni") }
                                << QStringLiteral("Januar 2028");
}

void TestPromptsPage::listFollowsSpanAndLocale()
{
    QFETCH(QString, locale);
    QFETCH(int, startMonth);
    QFETCH(QStringList, expected);
    QFETCH(QString, januaryHeading);

    auto project = makeProject(locale, startMonth);
    QVERIFY(project);
    PromptThemeLibrary library(m_dir.filePath(QStringLiteral("themes-list")));
    Host host(&library, project.get());
    QVERIFY(showAndActivate(host));

    QCOMPARE(pageNames(host.page), expected);
    QCOMPARE(host.page->currentMonth(), MonthEntry::Cover);
    // Every page starts empty, and the badge says so.
    QCOMPARE(itemOf(host.page, 5)->data(PromptListDelegate::BadgeTextRole).toString(), QStringLiteral("Empty"));

    // Up/Down in the list moves between pages and the editor follows.
    auto *list = host.page->findChild<QListWidget *>(QStringLiteral("promptPageList"));
    list->setFocus();
    QTest::keyClick(list, Qt::Key_Down);
    QCOMPARE(host.page->currentMonth(), startMonth);
    QTest::keyClick(list, Qt::Key_Up);
    QCOMPARE(host.page->currentMonth(), MonthEntry::Cover);

    host.page->setCurrentMonth(1);
    auto *heading = host.page->findChild<QLabel *>(QStringLiteral("editorHeading"));
    QCOMPARE(heading->text(), januaryHeading);

    // A new first month reorders the list and keeps the selected page.
    QVERIFY(project->setStartMonth(3));
    QCOMPARE(pageNames(host.page).at(1), CalendarNames(QLocale(locale)).monthName(3));
    QCOMPARE(host.page->currentMonth(), 1);
}

void TestPromptsPage::typingEditsProjectCounterAndBadge()
{
    auto project = makeProject();
    QVERIFY(project);
    PromptThemeLibrary library(m_dir.filePath(QStringLiteral("themes-typing")));
    Host host(&library, project.get());
    QVERIFY(showAndActivate(host));
    host.page->setCurrentMonth(1);

    auto *title = host.page->findChild<QLineEdit *>(QStringLiteral("pageTitleEdit"));
    auto *prompt = host.page->findChild<QPlainTextEdit *>(QStringLiteral("promptEdit"));
    auto *counter = host.page->findChild<QLabel *>(QStringLiteral("promptCounter"));
    auto *issues = host.page->findChild<QLabel *>(QStringLiteral("issuesLabel"));
    QVERIFY(title && prompt && counter && issues);
    QCOMPARE(counter->text(), QStringLiteral("0 / 600"));
    QVERIFY(issues->isVisible()); // "Describe a scene…"
    QCOMPARE(title->maxLength(), PromptRules::MaxTitleLength);

    title->setFocus();
    QTest::keyClicks(title, QStringLiteral("Snow day"));
    QCOMPARE(project->month(1).title, QStringLiteral("Snow day"));
    QCOMPARE(itemOf(host.page, 1)->data(PromptListDelegate::SecondaryTextRole).toString(), QStringLiteral("Snow day"));

    prompt->setFocus();
    const QString scene = QStringLiteral("Building a snowman in the garden");
    QTest::keyClicks(prompt, scene);
    QCOMPARE(project->month(1).prompt, scene);
    QCOMPARE(prompt->toPlainText(), scene);
    QCOMPARE(counter->text(), QStringLiteral("%1 / 600").arg(scene.size()));
    QVERIFY(!counter->property("overLimit").toBool());
    QVERIFY(itemOf(host.page, 1)->data(PromptListDelegate::BadgeTextRole).toString().isEmpty());
    QVERIFY(!issues->isVisible());
    // Other pages are untouched.
    QVERIFY(project->month(2).prompt.isEmpty());
    // A field's keystrokes merge: one step for the title, one for the scene.
    QCOMPARE(project->undoStack()->count(), 2);
    QCOMPARE(project->undoStack()->undoText(), QStringLiteral("Edit January prompt"));

    // Past the limit: the counter warns, the issue is spelled out, the badge says "Too long".
    QTest::keyClicks(prompt, QString(600, QLatin1Char('x')));
    const int length = int(scene.size()) + 600;
    QCOMPARE(project->month(1).prompt.size(), length);
    QCOMPARE(counter->text(), QStringLiteral("%1 / 600").arg(length));
    QVERIFY(counter->property("overLimit").toBool());
    QVERIFY(counter->styleSheet().contains(QStringLiteral("#b3261e")));
    QVERIFY(issues->isVisible());
    QVERIFY2(issues->text().contains(QStringLiteral("too long")), qPrintable(issues->text()));
    QCOMPARE(itemOf(host.page, 1)->data(PromptListDelegate::BadgeTextRole).toString(), QStringLiteral("Too long"));
    QCOMPARE(project->undoStack()->count(), 2);

    // Style and avoid go to the project too.
    auto *style = host.page->findChild<QComboBox *>(QStringLiteral("styleCombo"));
    auto *description = host.page->findChild<QLabel *>(QStringLiteral("styleDescription"));
    style->setFocus();
    QTest::keyClick(style, Qt::Key_Down);
    QCOMPARE(project->month(1).style, StylePreset::all().first().id);
    QCOMPARE(description->text(), StylePreset::all().first().description);
    auto *avoid = host.page->findChild<QLineEdit *>(QStringLiteral("avoidEdit"));
    avoid->setFocus();
    QTest::keyClicks(avoid, QStringLiteral("hats"));
    QCOMPARE(project->month(1).avoid, QStringLiteral("hats"));
    QCOMPARE(project->undoStack()->count(), 4);

    // Ctrl+Page Down / Up move between pages without leaving the field.
    prompt->setFocus();
    QTest::keyClick(prompt, Qt::Key_PageDown, Qt::ControlModifier);
    QCOMPARE(host.page->currentMonth(), 2);
    QVERIFY(prompt->toPlainText().isEmpty());
    QTest::keyClick(prompt, Qt::Key_PageUp, Qt::ControlModifier);
    QCOMPARE(host.page->currentMonth(), 1);
    QCOMPARE(prompt->toPlainText(), project->month(1).prompt);
}

void TestPromptsPage::ownEditsKeepTheCursor()
{
    auto project = makeProject();
    QVERIFY(project);
    PromptThemeLibrary library(m_dir.filePath(QStringLiteral("themes-cursor")));
    Host host(&library, project.get());
    QVERIFY(showAndActivate(host));
    host.page->setCurrentMonth(4);
    auto *prompt = host.page->findChild<QPlainTextEdit *>(QStringLiteral("promptEdit"));
    prompt->setFocus();
    QTest::keyClicks(prompt, QStringLiteral("A picnic in the park"));

    // Typing in the middle stays in the middle: the echo from monthChanged does not reset the text.
    QTextCursor cursor = prompt->textCursor();
    cursor.setPosition(2);
    prompt->setTextCursor(cursor);
    QTest::keyClicks(prompt, QStringLiteral("big "));
    QCOMPARE(project->month(4).prompt, QStringLiteral("A big picnic in the park"));
    QCOMPARE(prompt->textCursor().position(), 6);

    // A change from elsewhere (another view) updates the field, the cursor stays where it fits.
    MonthEntry changed = project->month(4);
    changed.prompt = QStringLiteral("A big picnic in the park at noon");
    QVERIFY(project->setMonth(changed, QStringLiteral("elsewhere")));
    QCOMPARE(prompt->toPlainText(), changed.prompt);
    QCOMPARE(prompt->textCursor().position(), 6);
}

void TestPromptsPage::applyThemeEditUndoRedo()
{
    auto project = makeProject(QStringLiteral("en_US"), 7);
    QVERIFY(project);
    PromptThemeLibrary library(m_dir.filePath(QStringLiteral("themes-apply")));
    const std::optional<PromptTheme> travel = library.find(QStringLiteral("travel"));
    QVERIFY(travel);
    Host host(&library, project.get());
    QVERIFY(showAndActivate(host));
    auto *list = host.page->findChild<QListWidget *>(QStringLiteral("promptPageList"));
    list->setFocus();

    // Ctrl+T opens the dialog; pick "Travel" with the keyboard and apply it.
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_T, Qt::ControlModifier);
    ThemeDialog *dialog = waitForThemeDialog(host.page);
    QVERIFY(dialog);
    QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("themeWarning"))->text().contains(QStringLiteral("replaces")));
    auto *themes = dialog->findChild<QListWidget *>(QStringLiteral("themeList"));
    QCOMPARE(themes->count(), library.themes().size());
    int travelRow = -1;
    for (int row = 0; row < themes->count(); ++row) {
        if (themes->item(row)->data(Qt::UserRole).toString() == QStringLiteral("travel"))
            travelRow = row;
    }
    QVERIFY(travelRow >= 0);
    themes->setFocus();
    themes->setCurrentRow(0);
    for (int row = 0; row < travelRow; ++row)
        QTest::keyClick(themes, Qt::Key_Down);
    QCOMPARE(dialog->selectedTheme()->id, QStringLiteral("travel"));
    // The preview shows the theme's pages in the calendar's order, read-only.
    auto *preview = dialog->findChild<QTextEdit *>(QStringLiteral("themePreview"));
    QVERIFY(preview->isReadOnly());
    const QString previewText = preview->toPlainText();
    QVERIFY(previewText.contains(travel->entry(7)->title));
    QVERIFY(previewText.indexOf(QStringLiteral("July")) < previewText.indexOf(QStringLiteral("January")));
    QVERIFY(project->month(7).prompt.isEmpty()); // nothing happens before OK

    auto *ok = dialog->findChild<QPushButton *>(QStringLiteral("applyThemeButton"));
    QVERIFY(ok && ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY(!host.page->findChild<ThemeDialog *>());

    for (int month = 0; month < MonthEntry::PageCount; ++month) {
        QCOMPARE(project->month(month).prompt, travel->entry(month)->prompt);
        QCOMPARE(project->month(month).title, travel->entry(month)->title);
    }
    QCOMPARE(project->undoStack()->count(), 1);
    QCOMPARE(project->undoStack()->undoText(), QStringLiteral("Apply theme “Travel”"));
    QCOMPARE(itemOf(host.page, 7)->data(PromptListDelegate::SecondaryTextRole).toString(), travel->entry(7)->title);
    QVERIFY(itemOf(host.page, 7)->data(PromptListDelegate::BadgeTextRole).toString().isEmpty());

    // One Ctrl+Z undoes all 13 pages, one Ctrl+Shift+Z restores them.
    host.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&host));
    QWidget *focused = QApplication::focusWidget();
    QVERIFY(focused);
    QVERIFY(host.isAncestorOf(focused));
    QTest::keyClick(focused, Qt::Key_Z, Qt::ControlModifier);
    for (int month = 0; month < MonthEntry::PageCount; ++month)
        QVERIFY(project->month(month).prompt.isEmpty());
    QCOMPARE(itemOf(host.page, 7)->data(PromptListDelegate::BadgeTextRole).toString(), QStringLiteral("Empty"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    for (int month = 0; month < MonthEntry::PageCount; ++month)
        QCOMPARE(project->month(month).prompt, travel->entry(month)->prompt);

    // Edit one prompt, then undo and redo it from inside the scene field.
    host.page->setCurrentMonth(3);
    auto *prompt = host.page->findChild<QPlainTextEdit *>(QStringLiteral("promptEdit"));
    prompt->setFocus();
    QTest::keyClick(prompt, Qt::Key_End, Qt::ControlModifier);
    QTest::keyClicks(prompt, QStringLiteral(" Add a few friends."));
    const QString edited = travel->entry(3)->prompt + QStringLiteral(" Add a few friends.");
    QCOMPARE(project->month(3).prompt, edited);
    QCOMPARE(project->undoStack()->count(), 2);

    QTest::keyClick(prompt, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(project->month(3).prompt, travel->entry(3)->prompt);
    QCOMPARE(prompt->toPlainText(), travel->entry(3)->prompt);
    QTest::keyClick(prompt, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(project->month(3).prompt, edited);
    QCOMPARE(prompt->toPlainText(), edited);
    // Two more Ctrl+Z: the edit, then the whole theme.
    QTest::keyClick(prompt, Qt::Key_Z, Qt::ControlModifier);
    QTest::keyClick(prompt, Qt::Key_Z, Qt::ControlModifier);
    QVERIFY(prompt->toPlainText().isEmpty());
    QVERIFY(project->month(0).prompt.isEmpty());
    QVERIFY(host.errors.isEmpty());
}

void TestPromptsPage::suggestIsUndoable()
{
    auto project = makeProject();
    QVERIFY(project);
    PromptThemeLibrary library(m_dir.filePath(QStringLiteral("themes-suggest")));
    Host host(&library, project.get());
    QVERIFY(showAndActivate(host));
    host.page->setCurrentMonth(6);
    auto *prompt = host.page->findChild<QPlainTextEdit *>(QStringLiteral("promptEdit"));
    prompt->setFocus();
    QTest::keyClicks(prompt, QStringLiteral("My own idea"));
    QCOMPARE(project->undoStack()->count(), 1);

    // Ctrl+G from the scene field.
    QTest::keyClick(prompt, Qt::Key_G, Qt::ControlModifier);
    const QString first = project->month(6).prompt;
    QVERIFY(!first.isEmpty());
    QVERIFY(first != QStringLiteral("My own idea"));
    QCOMPARE(prompt->toPlainText(), first);
    QCOMPARE(project->undoStack()->count(), 2);

    // The button: another, different scene, as its own step.
    QTest::mouseClick(host.page->findChild<QPushButton *>(QStringLiteral("suggestButton")), Qt::LeftButton);
    const QString second = project->month(6).prompt;
    QVERIFY(!second.isEmpty());
    QVERIFY(second != first);
    QCOMPARE(project->undoStack()->count(), 3);

    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(project->month(6).prompt, first);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(project->month(6).prompt, QStringLiteral("My own idea"));
    QCOMPARE(prompt->toPlainText(), QStringLiteral("My own idea"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(project->month(6).prompt, first);
    QVERIFY(host.errors.isEmpty());
}

void TestPromptsPage::saveAsMyTheme()
{
    auto project = makeProject();
    QVERIFY(project);
    PromptThemeLibrary library(m_dir.filePath(QStringLiteral("themes-save")));
    Host host(&library, project.get());
    QVERIFY(showAndActivate(host));
    QVERIFY(host.page->applyTheme(QStringLiteral("family")));
    MonthEntry changed = project->month(2);
    changed.prompt = QStringLiteral("Skating on the frozen lake, cheeks red from the cold");
    QVERIFY(project->setMonth(changed));
    const int themesBefore = int(library.themes().size());

    // Ctrl+Shift+T asks for a name; the test types one and accepts.
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
    QInputDialog *ask = nullptr;
    QVERIFY(QTest::qWaitFor([&] {
        ask = host.page->findChild<QInputDialog *>(QStringLiteral("saveThemeDialog"));
        return ask && ask->isVisible();
    }));
    auto *nameEdit = ask->findChild<QLineEdit *>();
    QVERIFY(nameEdit);
    nameEdit->selectAll();
    QTest::keyClicks(nameEdit, QStringLiteral("Our Winter Year"));
    QTest::keyClick(nameEdit, Qt::Key_Return);
    QTRY_VERIFY(!host.page->findChild<QInputDialog *>());

    QVERIFY2(host.errors.isEmpty(), qPrintable(host.errors.value(0).toString()));
    const std::optional<PromptTheme> saved = library.findUserTheme(QStringLiteral("Our Winter Year"));
    QVERIFY(saved);
    QVERIFY(!saved->builtIn);
    QCOMPARE(library.themes().size(), themesBefore + 1);
    QCOMPARE(saved->entry(2)->prompt, changed.prompt);
    QCOMPARE(saved->entry(0)->prompt, project->month(0).prompt);
    QVERIFY(QFile::exists(QDir(library.userDirectory()).filePath(saved->id + QStringLiteral(".json"))));

    // The theme dialog lists it (marked as the user's) and it applies like any other.
    host.page->openThemeDialog();
    ThemeDialog *dialog = waitForThemeDialog(host.page);
    QVERIFY(dialog);
    QVERIFY(dialog->selectTheme(saved->id));
    dialog->reject();
    QTRY_VERIFY(!host.page->findChild<ThemeDialog *>());
}

void TestPromptsPage::saveAsMyThemeErrors_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("fillPages");
    QTest::addColumn<QString>("code");

    QTest::newRow("empty name") << QStringLiteral("   ") << true << QStringLiteral("theme_invalid_name");
    QTest::newRow("built-in name") << QStringLiteral("travel") << true << QStringLiteral("theme_builtin");
    QTest::newRow("name too long") << QString(PromptTheme::MaxNameLength + 1, QLatin1Char('n')) << true
                                   << QStringLiteral("theme_invalid_name");
    QTest::newRow("empty pages") << QStringLiteral("Unfinished") << false << QStringLiteral("theme_empty_prompt");
}

void TestPromptsPage::saveAsMyThemeErrors()
{
    QFETCH(QString, name);
    QFETCH(bool, fillPages);
    QFETCH(QString, code);

    auto project = makeProject();
    QVERIFY(project);
    PromptThemeLibrary library(m_dir.filePath(QStringLiteral("themes-errors")));
    Host host(&library, project.get());
    if (fillPages)
        QVERIFY(host.page->applyTheme(QStringLiteral("nature")));
    const int themesBefore = int(library.themes().size());

    QVERIFY(!host.page->saveAsTheme(name));
    QCOMPARE(host.errors.size(), 1);
    QCOMPARE(host.errors.first().code, code);
    QVERIFY(!host.errors.first().userMessage.isEmpty());
    QCOMPARE(library.themes().size(), themesBefore);
}

void TestPromptsPage::failingSaveIsReported()
{
    // A file where the theme folder should be: the folder cannot be created, whoever runs the test.
    const QString blocked = m_dir.filePath(QStringLiteral("not-a-folder"));
    QFile file(blocked);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();

    auto project = makeProject();
    QVERIFY(project);
    PromptThemeLibrary library(blocked + QStringLiteral("/themes"));
    Host host(&library, project.get());
    QVERIFY(host.page->applyTheme(QStringLiteral("kids")));
    QVERIFY(!host.page->saveAsTheme(QStringLiteral("Mine")));
    QCOMPARE(host.errors.size(), 1);
    QCOMPARE(host.errors.first().code, QStringLiteral("theme_save_failed"));
    // The project keeps its pages.
    QCOMPARE(project->month(1).prompt, library.find(QStringLiteral("kids"))->entry(1)->prompt);
}

void TestPromptsPage::noProjectShowsNothingEditable()
{
    PromptThemeLibrary library(m_dir.filePath(QStringLiteral("themes-none")));
    PromptsPage page(&library);
    page.resize(1100, 720);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QVERIFY(!page.isEnabled());
    QCOMPARE(page.currentMonth(), -1);
    QVERIFY(page.findChild<QLabel *>(QStringLiteral("noProjectLabel"))->isVisible());
    QVERIFY(!page.findChild<QPlainTextEdit *>(QStringLiteral("promptEdit"))->isVisible());
    QVERIFY(!page.suggest());
    QVERIFY(!page.saveAsTheme(QStringLiteral("Nothing")));

    // A project makes it editable; closing it (nullptr) empties the page again.
    auto project = makeProject();
    QVERIFY(project);
    page.setProject(project.get());
    QVERIFY(page.isEnabled());
    QCOMPARE(page.currentMonth(), MonthEntry::Cover);
    QVERIFY(page.findChild<QPlainTextEdit *>(QStringLiteral("promptEdit"))->isVisible());
    page.setProject(nullptr);
    QVERIFY(!page.isEnabled());
    QCOMPARE(page.currentMonth(), -1);
    QVERIFY(page.findChild<QPlainTextEdit *>(QStringLiteral("promptEdit"))->toPlainText().isEmpty());
    QCOMPARE(page.findChild<QListWidget *>(QStringLiteral("promptPageList"))->count(), 0);

    // A project destroyed without notice does not leave a dangling editor.
    page.setProject(project.get());
    project.reset();
    QVERIFY(!page.isEnabled());
    QCOMPARE(page.currentMonth(), -1);
}

void TestPromptsPage::screenshots()
{
    const QString dir = screenshotDir();
    auto project = makeProject(QStringLiteral("en_US"), 7);
    QVERIFY(project);
    PromptThemeLibrary library(m_dir.filePath(QStringLiteral("themes-shots")));
    Host host(&library, project.get());
    QVERIFY(showAndActivate(host));
    QVERIFY(host.page->applyTheme(QStringLiteral("travel")));
    // Some pages as a person leaves them half-way: one empty, one over the limit.
    MonthEntry empty = project->month(10);
    empty.prompt.clear();
    empty.title.clear();
    QVERIFY(project->setMonth(empty));
    MonthEntry longer = project->month(11);
    longer.prompt += QStringLiteral(" ") + longer.prompt;
    QVERIFY(project->setMonth(longer));
    host.page->setCurrentMonth(7);
    QTest::qWait(100);

    const QImage page = host.grab().toImage();
    QVERIFY(!page.isNull());
    QVERIFY2(distinctColours(page) > 20, "page screenshot is flat");
    QVERIFY(page.save(dir + QStringLiteral("/prompts-page.png")));

    host.page->setCurrentMonth(11);
    QTest::qWait(50);
    QVERIFY(host.grab().toImage().save(dir + QStringLiteral("/prompts-page-too-long.png")));

    host.page->openThemeDialog();
    ThemeDialog *dialog = waitForThemeDialog(host.page);
    QVERIFY(dialog);
    QVERIFY(dialog->selectTheme(QStringLiteral("travel")));
    QTest::qWait(100);
    const QImage themes = dialog->grab().toImage();
    QVERIFY(!themes.isNull());
    QVERIFY2(distinctColours(themes) > 20, "theme dialog screenshot is flat");
    QVERIFY(themes.save(dir + QStringLiteral("/theme-dialog.png")));
    dialog->reject();
    qInfo("screenshots in %s", qPrintable(dir));
}

QTEST_MAIN(TestPromptsPage)
#include "tst_promptspage.moc"
