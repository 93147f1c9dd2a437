#include "ui/promptspage.h"
#include "ui/pagewidgets.h"

#include "core/calendar/calendarnames.h"
#include "core/project/promptrules.h"
#include "core/project/promptthemelibrary.h"
#include "core/project/stylepreset.h"
#include "ui/promptlistdelegate.h"
#include "ui/themedialog.h"
#include "ui/uilogging.h"
#include "ui/undoshortcutfilter.h"

#include <QAction>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStackedWidget>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

namespace CalStudio {

namespace {

const QColor ErrorColour(0xb3, 0x26, 0x1e);
const QColor AttentionColour(0x9a, 0x62, 0x00);
const QString QuietStyle = QStringLiteral("color: #6f6a62;");


QLabel *makeFieldLabel(const QString &text, QWidget *buddy, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setBuddy(buddy);
    label->setAlignment(Qt::AlignRight | Qt::AlignTop);
    // Lines the label up with the text inside the field rather than with the field's frame.
    label->setContentsMargins(0, 5, 0, 0);
    return label;
}


bool isTooLong(PromptIssue::Kind kind)
{
    return kind == PromptIssue::PromptTooLong || kind == PromptIssue::TitleTooLong || kind == PromptIssue::AvoidTooLong;
}

} // namespace

PromptsPage::PromptsPage(PromptThemeLibrary *library, QWidget *parent)
    : QWidget(parent)
    , m_library(library)
    // Different sessions start at different suggestions; within one session each click steps on.
    , m_suggestSeed(QRandomGenerator::global()->generate())
    , m_stack(new QStackedWidget(this))
    , m_pages(new QListWidget(this))
    , m_heading(new QLabel(this))
    , m_position(PageWidgets::noteLabel({}, this))
    , m_title(new QLineEdit(this))
    , m_prompt(new QPlainTextEdit(this))
    , m_counter(new QLabel(this))
    , m_style(new QComboBox(this))
    , m_styleDescription(PageWidgets::noteLabel({}, this))
    , m_avoid(new QLineEdit(this))
    , m_issues(new QLabel(this))
    , m_note(PageWidgets::noteLabel({}, this))
    , m_noteTimer(new QTimer(this))
    , m_applyThemeButton(new QPushButton(tr("&Apply Theme…"), this))
    , m_suggestButton(new QPushButton(tr("S&uggest a Scene"), this))
    , m_saveThemeButton(new QPushButton(tr("Save as &My Theme…"), this))
    , m_applyThemeAction(new QAction(tr("Apply Theme…"), this))
    , m_suggestAction(new QAction(tr("Suggest a Scene"), this))
    , m_saveThemeAction(new QAction(tr("Save as My Theme…"), this))
    , m_previousPageAction(new QAction(tr("Previous Page"), this))
    , m_nextPageAction(new QAction(tr("Next Page"), this))
{
    Q_ASSERT(m_library);
    setObjectName(QStringLiteral("promptsPage"));

    // --- Actions. Window-wide shortcuts, but only while this page is shown:
    // Qt ignores the shortcuts of actions whose widget is hidden.
    m_applyThemeAction->setObjectName(QStringLiteral("actionApplyTheme"));
    m_applyThemeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_suggestAction->setObjectName(QStringLiteral("actionSuggest"));
    m_suggestAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
    m_saveThemeAction->setObjectName(QStringLiteral("actionSaveTheme"));
    m_saveThemeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    m_previousPageAction->setObjectName(QStringLiteral("actionPreviousPage"));
    m_previousPageAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageUp));
    m_nextPageAction->setObjectName(QStringLiteral("actionNextPage"));
    m_nextPageAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    for (QAction *action :
        { m_applyThemeAction, m_suggestAction, m_saveThemeAction, m_previousPageAction, m_nextPageAction }) {
        action->setShortcutContext(Qt::WindowShortcut);
        addAction(action);
    }
    connect(m_applyThemeAction, &QAction::triggered, this, &PromptsPage::openThemeDialog);
    connect(m_suggestAction, &QAction::triggered, this, [this] { (void)suggest(); });
    connect(m_saveThemeAction, &QAction::triggered, this, &PromptsPage::saveAsThemeInteractive);
    connect(m_previousPageAction, &QAction::triggered, this, [this] { moveSelection(-1); });
    connect(m_nextPageAction, &QAction::triggered, this, [this] { moveSelection(1); });

    m_applyThemeButton->setObjectName(QStringLiteral("applyThemeButton"));
    m_applyThemeButton->setToolTip(PageWidgets::shortcutHint(tr("Fill all 13 pages from a ready-made theme"), m_applyThemeAction));
    m_suggestButton->setObjectName(QStringLiteral("suggestButton"));
    m_suggestButton->setToolTip(PageWidgets::shortcutHint(tr("Replace this page's scene with another idea"), m_suggestAction));
    m_saveThemeButton->setObjectName(QStringLiteral("saveThemeButton"));
    m_saveThemeButton->setToolTip(
        PageWidgets::shortcutHint(tr("Keep these 13 prompts as a theme for your next calendars"), m_saveThemeAction));
    connect(m_applyThemeButton, &QPushButton::clicked, m_applyThemeAction, &QAction::trigger);
    connect(m_suggestButton, &QPushButton::clicked, m_suggestAction, &QAction::trigger);
    connect(m_saveThemeButton, &QPushButton::clicked, m_saveThemeAction, &QAction::trigger);

    // --- Header.
    auto *heading = PageWidgets::heading(tr("Prompts"), 1.6, this);
    heading->setObjectName(QStringLiteral("pageHeading"));
    auto *intro = PageWidgets::noteLabel(tr("One scene for each page of your calendar. Describe what happens and where; "
                                   "the style decides how it looks. Start from a theme or write your own."),
        this);
    m_note->setObjectName(QStringLiteral("statusNote"));
    m_noteTimer->setSingleShot(true);
    m_noteTimer->setInterval(6000);
    connect(m_noteTimer, &QTimer::timeout, m_note, &QLabel::clear);

    auto *headerText = new QVBoxLayout;
    headerText->setSpacing(4);
    headerText->addWidget(heading);
    headerText->addWidget(intro);
    auto *header = new QHBoxLayout;
    header->setSpacing(8);
    header->addLayout(headerText, 1);
    header->addSpacing(16);
    header->addWidget(m_applyThemeButton, 0, Qt::AlignBottom);
    header->addWidget(m_saveThemeButton, 0, Qt::AlignBottom);

    // --- Left: the pages.
    m_pages->setObjectName(QStringLiteral("promptPageList"));
    m_pages->setAccessibleName(tr("Pages"));
    PromptListDelegate::install(m_pages);
    m_pages->setSelectionMode(QAbstractItemView::SingleSelection);
    m_pages->setMinimumWidth(210);
    m_pages->setStyleSheet(QStringLiteral("#promptPageList { outline: 0; }"));
    auto *pagesLabel = new QLabel(tr("&Pages"), this);
    pagesLabel->setBuddy(m_pages);
    QFont strong = pagesLabel->font();
    strong.setBold(true);
    pagesLabel->setFont(strong);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->setSpacing(6);
    leftLayout->addWidget(pagesLabel);
    leftLayout->addWidget(m_pages, 1);

    // --- Right: the editor of the selected page.
    m_heading->setObjectName(QStringLiteral("editorHeading"));
    QFont editorHeadingFont = m_heading->font();
    editorHeadingFont.setPointSizeF(editorHeadingFont.pointSizeF() * 1.3);
    editorHeadingFont.setBold(true);
    m_heading->setFont(editorHeadingFont);
    m_heading->setTextFormat(Qt::PlainText);
    m_position->setObjectName(QStringLiteral("pagePosition"));
    m_position->setWordWrap(false);

    m_title->setObjectName(QStringLiteral("pageTitleEdit"));
    m_title->setMaxLength(PromptRules::MaxTitleLength);
    m_title->setPlaceholderText(tr("A short title for the page, e.g. Summer at the lake"));
    m_title->setClearButtonEnabled(true);

    m_prompt->setObjectName(QStringLiteral("promptEdit"));
    m_prompt->setPlaceholderText(tr("Describe the scene: who is doing what, where, at what time of day. For "
                                    "example: Walking barefoot along a quiet beach at sunset, laughing, holding "
                                    "sandals, warm golden light, gentle waves."));
    // Tab moves on to the next field instead of typing a tab into the prompt.
    m_prompt->setTabChangesFocus(true);
    // The project's undo stack is the only history; a second one in the field would fork it.
    m_prompt->setUndoRedoEnabled(false);
    m_prompt->setMinimumHeight(120);
    m_prompt->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);

    m_counter->setObjectName(QStringLiteral("promptCounter"));
    m_counter->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_counter->setToolTip(tr("Characters in the scene, and the most it may have"));

    m_style->setObjectName(QStringLiteral("styleCombo"));
    m_style->addItem(tr("No particular style"), QString());
    for (const StylePreset &preset : StylePreset::all())
        m_style->addItem(preset.name, preset.id);
    m_style->setMaxVisibleItems(16);
    m_style->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_styleDescription->setObjectName(QStringLiteral("styleDescription"));

    m_avoid->setObjectName(QStringLiteral("avoidEdit"));
    m_avoid->setPlaceholderText(tr("Things the picture should not show, e.g. text, sunglasses, other people"));
    m_avoid->setClearButtonEnabled(true);

    m_issues->setObjectName(QStringLiteral("issuesLabel"));
    m_issues->setWordWrap(true);
    m_issues->setTextFormat(Qt::PlainText);
    m_issues->hide();

    auto *editor = new QWidget(this);
    editor->setObjectName(QStringLiteral("promptEditor"));
    auto *grid = new QGridLayout(editor);
    grid->setContentsMargins(18, 0, 0, 0);
    grid->setHorizontalSpacing(14);
    grid->setVerticalSpacing(8);
    grid->setColumnStretch(1, 1);

    auto *headingRow = new QHBoxLayout;
    headingRow->addWidget(m_heading, 1);
    headingRow->addWidget(m_position, 0, Qt::AlignBottom);
    auto *sceneTools = new QHBoxLayout;
    sceneTools->addWidget(m_suggestButton);
    sceneTools->addStretch(1);
    sceneTools->addWidget(m_counter);
    auto *styleRow = new QHBoxLayout;
    styleRow->addWidget(m_style);
    styleRow->addStretch(1);

    int row = 0;
    grid->addLayout(headingRow, row++, 0, 1, 2);
    grid->setRowMinimumHeight(row++, 6);
    grid->addWidget(makeFieldLabel(tr("&Title:"), m_title, this), row, 0);
    grid->addWidget(m_title, row++, 1);
    grid->addWidget(makeFieldLabel(tr("&Scene:"), m_prompt, this), row, 0);
    grid->addWidget(m_prompt, row, 1);
    grid->setRowStretch(row++, 1);
    grid->addLayout(sceneTools, row++, 1);
    grid->addWidget(m_issues, row++, 1);
    grid->setRowMinimumHeight(row++, 6);
    grid->addWidget(makeFieldLabel(tr("St&yle:"), m_style, this), row, 0);
    grid->addLayout(styleRow, row++, 1);
    grid->addWidget(m_styleDescription, row++, 1);
    grid->setRowMinimumHeight(row++, 6);
    grid->addWidget(makeFieldLabel(tr("A&void:"), m_avoid, this), row, 0);
    grid->addWidget(m_avoid, row++, 1);
    grid->addWidget(PageWidgets::noteLabel(tr("Added to the request as things to leave out. Optional."), this), row++, 1);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("promptsSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(left);
    splitter->addWidget(editor);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 270, 760 });

    auto *content = new QWidget(this);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(32, 24, 32, 12);
    contentLayout->setSpacing(10);
    contentLayout->addLayout(header);
    contentLayout->addSpacing(8);
    contentLayout->addWidget(splitter, 1);
    contentLayout->addWidget(m_note);

    auto *empty = new QLabel(tr("Open or create a project to write the prompts of its pages."), this);
    empty->setObjectName(QStringLiteral("noProjectLabel"));
    empty->setAlignment(Qt::AlignCenter);
    empty->setWordWrap(true);
    empty->setStyleSheet(QuietStyle);

    m_stack->addWidget(empty);
    m_stack->addWidget(content);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    setTabOrder(m_pages, m_title);
    setTabOrder(m_title, m_prompt);
    setTabOrder(m_prompt, m_suggestButton);
    setTabOrder(m_suggestButton, m_style);
    setTabOrder(m_style, m_avoid);
    setTabOrder(m_avoid, m_applyThemeButton);
    setTabOrder(m_applyThemeButton, m_saveThemeButton);
    // Showing the page (Go ▸ Prompts) puts the keyboard on the list of pages.
    setFocusProxy(m_pages);

    // watch() covers the line edits and the combo box; the scene field is a
    // QPlainTextEdit, which it does not look for, so it is added by hand.
    auto *undoFilter = new UndoShortcutFilter(this);
    undoFilter->watch(this);
    undoFilter->watch(m_prompt);

    // --- Edits.
    connect(m_pages, &QListWidget::currentRowChanged, this, [this] { refreshEditor(true); });
    // Enter on a page goes to its scene, so the keyboard path is list → Enter → type.
    connect(m_pages, &QListWidget::itemActivated, this, [this] { m_prompt->setFocus(Qt::OtherFocusReason); });
    connect(m_title, &QLineEdit::textEdited, this,
        [this](const QString &text) { editCurrent([&text](MonthEntry &e) { e.title = text; }, tr("Edit %1 title")); });
    connect(m_prompt, &QPlainTextEdit::textChanged, this, [this] {
        const QString text = m_prompt->toPlainText();
        editCurrent([&text](MonthEntry &e) { e.prompt = text; }, tr("Edit %1 prompt"));
    });
    connect(m_style, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index < 0)
            return;
        const QString id = m_style->itemData(index).toString();
        editCurrent([&id](MonthEntry &e) { e.style = id; }, tr("Change %1 style"));
    });
    connect(m_avoid, &QLineEdit::textEdited, this, [this](const QString &text) {
        editCurrent([&text](MonthEntry &e) { e.avoid = text; }, tr("Edit %1 avoid list"));
    });

    setProject(nullptr);
}

void PromptsPage::setProject(Project *project)
{
    for (const QMetaObject::Connection &c : std::as_const(m_projectConnections))
        disconnect(c);
    m_projectConnections.clear();
    if (m_themeDialog)
        m_themeDialog->reject();

    m_project = project;
    if (m_project) {
        m_projectConnections.append(
            connect(m_project.data(), &Project::monthChanged, this, &PromptsPage::onMonthChanged));
        m_projectConnections.append(
            connect(m_project.data(), &Project::settingsChanged, this, &PromptsPage::refreshAll));
        // The window normally says when a project closes; this only guards against a dangling editor.
        m_projectConnections.append(
            connect(m_project.data(), &QObject::destroyed, this, [this] { setProject(nullptr); }));
    }
    m_stack->setCurrentIndex(m_project ? 1 : 0);
    setEnabled(m_project);
    for (QAction *action :
        { m_applyThemeAction, m_suggestAction, m_saveThemeAction, m_previousPageAction, m_nextPageAction })
        action->setEnabled(m_project);
    m_note->clear();

    {
        const QSignalBlocker blocker(m_pages);
        m_pages->clear();
    }
    refreshAll();
}

int PromptsPage::currentMonth() const
{
    const QListWidgetItem *item = m_pages->currentItem();
    return (m_project && item) ? item->data(Qt::UserRole).toInt() : -1;
}

void PromptsPage::setCurrentMonth(int month)
{
    const int row = rowOfMonth(month);
    if (row >= 0)
        m_pages->setCurrentRow(row);
}

int PromptsPage::rowOfMonth(int month) const
{
    for (int row = 0; row < m_pages->count(); ++row) {
        if (m_pages->item(row)->data(Qt::UserRole).toInt() == month)
            return row;
    }
    return -1;
}

QList<std::pair<int, QString>> PromptsPage::pageOrder() const
{
    QList<std::pair<int, QString>> pages;
    if (!m_project)
        return pages;
    pages.append({ MonthEntry::Cover, pageName(MonthEntry::Cover) });
    const int start = m_project->settings().startMonth;
    for (int i = 0; i < 12; ++i) {
        const int month = (start - 1 + i) % 12 + 1;
        pages.append({ month, pageName(month) });
    }
    return pages;
}

QString PromptsPage::pageName(int month) const
{
    if (month == MonthEntry::Cover || !m_project)
        return tr("Cover");
    // The project's language, not the studio's: these are the names printed on the pages.
    return CalendarNames(QLocale(m_project->settings().locale)).monthName(month);
}

QString PromptsPage::pageHeading(int month) const
{
    if (month == MonthEntry::Cover || !m_project)
        return tr("Cover");
    const ProjectSettings &s = m_project->settings();
    // Months before the start month belong to the following year (a July calendar ends in June).
    const int year = month >= s.startMonth ? s.year : s.year + 1;
    return CalendarNames(QLocale(s.locale)).monthTitle(year, month);
}

void PromptsPage::refreshAll()
{
    if (!m_project) {
        refreshEditor(true);
        return;
    }
    const int selected = currentMonth();
    {
        const QSignalBlocker blocker(m_pages);
        const QList<std::pair<int, QString>> pages = pageOrder();
        if (m_pages->count() != pages.size()) {
            m_pages->clear();
            for (int i = 0; i < pages.size(); ++i)
                new QListWidgetItem(m_pages);
        }
        for (int row = 0; row < pages.size(); ++row) {
            m_pages->item(row)->setData(Qt::UserRole, pages.at(row).first);
            refreshListItem(pages.at(row).first);
        }
        const int row = rowOfMonth(selected);
        m_pages->setCurrentRow(row >= 0 ? row : 0);
    }
    // A new start month or language renames the pages but is not a page switch: keep the cursor.
    refreshEditor(selected < 0);
}

void PromptsPage::refreshListItem(int month)
{
    QListWidgetItem *item = m_pages->item(rowOfMonth(month));
    if (!item || !m_project)
        return;
    const MonthEntry &entry = m_project->month(month);
    const QString name = pageName(month);
    const QString title = entry.title.trimmed();
    item->setText(name);
    item->setData(PromptListDelegate::SecondaryTextRole, title.isEmpty() ? tr("No title yet") : title);

    const QList<PromptIssue> issues = PromptRules::check(entry);
    QString badge;
    QColor colour;
    if (std::any_of(issues.cbegin(), issues.cend(), [](const PromptIssue &i) { return isTooLong(i.kind); })) {
        badge = tr("Too long");
        colour = ErrorColour;
    } else if (std::any_of(issues.cbegin(), issues.cend(),
                   [](const PromptIssue &i) { return i.kind == PromptIssue::EmptyPrompt; })) {
        badge = tr("Empty");
        colour = AttentionColour;
    } else if (!issues.isEmpty()) {
        badge = tr("Check");
        colour = ErrorColour;
    }
    item->setData(PromptListDelegate::BadgeTextRole, badge);
    item->setData(PromptListDelegate::BadgeColorRole, colour);

    QStringList messages;
    for (const PromptIssue &issue : issues)
        messages.append(issue.message);
    item->setToolTip(messages.join(QLatin1Char('\n')));
    QStringList accessible { name, title };
    if (!badge.isEmpty())
        accessible.append(badge);
    accessible.removeAll(QString());
    item->setData(Qt::AccessibleTextRole, accessible.join(QStringLiteral(", ")));
}

void PromptsPage::onMonthChanged(int month)
{
    refreshListItem(month);
    if (month == currentMonth())
        refreshEditor(false);
}

void PromptsPage::refreshEditor(bool pageSwitched)
{
    const QSignalBlocker titleBlocker(m_title);
    const QSignalBlocker promptBlocker(m_prompt);
    const QSignalBlocker styleBlocker(m_style);
    const QSignalBlocker avoidBlocker(m_avoid);

    const int month = currentMonth();
    for (QAction *action : { m_suggestAction, m_previousPageAction, m_nextPageAction })
        action->setEnabled(month >= 0);
    if (month < 0) {
        m_heading->clear();
        m_position->clear();
        m_title->clear();
        m_prompt->clear();
        m_avoid->clear();
        m_style->setCurrentIndex(0);
        m_styleDescription->clear();
        m_counter->clear();
        m_issues->hide();
        return;
    }
    const MonthEntry &entry = m_project->month(month);
    m_heading->setText(pageHeading(month));
    m_position->setText(tr("Page %1 of %2").arg(m_pages->currentRow() + 1).arg(m_pages->count()));

    // Equal text is left alone: this editor's own edits come back through
    // monthChanged, and resetting the text would move the cursor while typing.
    // Other changes (undo, a suggestion) keep the cursor where it was, if it still fits.
    if (m_title->text() != entry.title) {
        const int position = m_title->cursorPosition();
        m_title->setText(entry.title);
        m_title->setCursorPosition(
            pageSwitched ? int(m_title->text().size()) : std::min(position, int(m_title->text().size())));
    }
    if (m_avoid->text() != entry.avoid) {
        const int position = m_avoid->cursorPosition();
        m_avoid->setText(entry.avoid);
        m_avoid->setCursorPosition(
            pageSwitched ? int(m_avoid->text().size()) : std::min(position, int(m_avoid->text().size())));
    }
    if (m_prompt->toPlainText() != entry.prompt) {
        const int position = m_prompt->textCursor().position();
        const int scroll = m_prompt->verticalScrollBar()->value();
        m_prompt->setPlainText(entry.prompt);
        QTextCursor cursor = m_prompt->textCursor();
        if (pageSwitched) {
            cursor.movePosition(QTextCursor::End);
            m_prompt->setTextCursor(cursor);
            m_prompt->verticalScrollBar()->setValue(0);
        } else {
            cursor.setPosition(std::min(position, int(entry.prompt.size())));
            m_prompt->setTextCursor(cursor);
            m_prompt->verticalScrollBar()->setValue(scroll);
        }
    }

    const int styleIndex = m_style->findData(entry.style);
    m_style->setCurrentIndex(styleIndex);
    const std::optional<StylePreset> preset = StylePreset::find(entry.style);
    if (preset)
        m_styleDescription->setText(preset->description);
    else if (entry.style.isEmpty())
        m_styleDescription->setText(tr("The scene alone decides the look of the picture."));
    else
        m_styleDescription->clear(); // the issue line explains the unknown style

    refreshIssues(entry);
}

void PromptsPage::refreshIssues(const MonthEntry &entry)
{
    const int count = PromptRules::characterCount(entry.prompt);
    const bool over = count > PromptRules::MaxPromptLength;
    m_counter->setText(tr("%1 / %2").arg(count).arg(PromptRules::MaxPromptLength));
    m_counter->setProperty("overLimit", over);
    m_counter->setStyleSheet(
        over ? QStringLiteral("color: %1; font-weight: bold;").arg(ErrorColour.name()) : QuietStyle);

    const QList<PromptIssue> issues = PromptRules::check(entry);
    if (issues.isEmpty()) {
        m_issues->hide();
        m_issues->clear();
        return;
    }
    QStringList messages;
    bool onlyEmpty = true;
    for (const PromptIssue &issue : issues) {
        messages.append(issue.message);
        onlyEmpty = onlyEmpty && issue.kind == PromptIssue::EmptyPrompt;
    }
    m_issues->setText(messages.join(QLatin1Char('\n')));
    // An empty page is work still to do, not a mistake: it gets the calmer colour.
    m_issues->setStyleSheet(QStringLiteral("color: %1;").arg((onlyEmpty ? AttentionColour : ErrorColour).name()));
    m_issues->show();
}

void PromptsPage::editCurrent(const std::function<void(MonthEntry &)> &change, const QString &undoTextPattern)
{
    const int month = currentMonth();
    if (month < 0)
        return;
    MonthEntry entry = m_project->month(month);
    change(entry);
    if (entry == m_project->month(month))
        return;
    // The same text for every keystroke in one field of one page lets MonthCommand merge them into one step.
    commit(entry, undoTextPattern.arg(pageName(month)));
}

void PromptsPage::commit(const MonthEntry &entry, const QString &undoText)
{
    const Status status = m_project->setMonth(entry, undoText);
    if (!status)
        report(status.error());
}

void PromptsPage::moveSelection(int delta)
{
    if (!m_project || m_pages->count() == 0)
        return;
    const int row = std::clamp(m_pages->currentRow() + delta, 0, int(m_pages->count()) - 1);
    m_pages->setCurrentRow(row);
}

void PromptsPage::openThemeDialog()
{
    if (!m_project)
        return;
    if (m_themeDialog) {
        m_themeDialog->raise();
        m_themeDialog->activateWindow();
        return;
    }
    // Picks up themes saved by another window since the last look.
    m_library->reload();
    m_themeDialog = new ThemeDialog(m_library->themes(), pageOrder(), this);
    m_themeDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_themeDialog.data(), &QDialog::accepted, this, [this, dialog = m_themeDialog.data()] {
        if (const std::optional<PromptTheme> theme = dialog->selectedTheme())
            (void)applyTheme(*theme);
    });
    // open(), not exec(): no nested event loop while the project may change underneath.
    m_themeDialog->open();
}

bool PromptsPage::applyTheme(const QString &id)
{
    const std::optional<PromptTheme> theme = m_library->find(id);
    if (!theme) {
        report(Error(QStringLiteral("theme_not_found"),
            tr("That theme no longer exists. It may have been removed in another window; pick another one."), id));
        return false;
    }
    return applyTheme(*theme);
}

bool PromptsPage::applyTheme(const PromptTheme &theme)
{
    if (!m_project)
        return false;
    const QList<MonthEntry> entries = theme.appliedTo(m_project->months());
    const Status status = m_project->setMonths(entries, tr("Apply theme “%1”").arg(theme.name));
    if (!status) {
        report(status.error());
        return false;
    }
    qCInfo(lcUi) << "Applied prompt theme" << theme.id;
    showNote(tr("Applied the theme “%1” to all pages. Edit ▸ Undo brings your previous prompts back.").arg(theme.name));
    return true;
}

bool PromptsPage::suggest()
{
    const int month = currentMonth();
    if (month < 0)
        return false;
    const MonthEntry current = m_project->month(month);
    const MonthEntry suggestion = m_library->suggest(month, current.prompt, m_suggestSeed++);
    if (suggestion.prompt.isEmpty()) {
        report(Error(QStringLiteral("no_suggestion"),
            tr("There is no other scene to suggest for %1. Write your own, or apply a theme.").arg(pageName(month))));
        return false;
    }
    MonthEntry entry = current;
    entry.title = suggestion.title;
    entry.prompt = suggestion.prompt;
    entry.style = suggestion.style;
    entry.avoid = suggestion.avoid;
    // A macro never merges with the next command, so each suggestion is its own
    // undo step and typing right after it is a separate one too.
    const QString text = tr("Suggest a scene for %1").arg(pageName(month));
    QUndoStack *stack = m_project->undoStack();
    stack->beginMacro(text);
    const Status status = m_project->setMonth(entry, text);
    stack->endMacro();
    if (!status) {
        report(status.error());
        return false;
    }
    return true;
}

void PromptsPage::saveAsThemeInteractive()
{
    if (!m_project)
        return;
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("saveThemeDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Save as My Theme"));
    dialog->setLabelText(tr("Name of your theme. It will be listed under Apply Theme; a theme of yours with the "
                            "same name is replaced."));
    dialog->setTextValue(m_project->settings().title.left(PromptTheme::MaxNameLength));
    dialog->setOkButtonText(tr("&Save"));
    dialog->resize(460, dialog->sizeHint().height());
    connect(dialog, &QInputDialog::textValueSelected, this, [this](const QString &name) { (void)saveAsTheme(name); });
    dialog->open();
}

bool PromptsPage::saveAsTheme(const QString &name)
{
    if (!m_project)
        return false;
    if (name.trimmed().isEmpty()) {
        report(Error(QStringLiteral("theme_invalid_name"),
            tr("Your theme needs a name. Type one, for example “Our family year”, and save again.")));
        return false;
    }
    const Status status = m_library->saveUserTheme(name, m_project->months());
    if (!status) {
        report(status.error());
        return false;
    }
    qCInfo(lcUi) << "Saved the project's prompts as a user theme";
    showNote(tr("Saved as your theme “%1”. It is listed under Apply Theme.").arg(name.trimmed()));
    return true;
}

void PromptsPage::report(const Error &error)
{
    qCWarning(lcUi) << "Prompts page:" << error;
    Q_EMIT errorOccurred(error);
}

void PromptsPage::showNote(const QString &text)
{
    m_note->setText(text);
    m_noteTimer->start();
}

} // namespace CalStudio
