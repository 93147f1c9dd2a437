#include "ui/projectsettingspage.h"
#include "ui/pagewidgets.h"

#include "core/calendar/holidaycalendar.h"
#include "core/calendar/pagetheme.h"
#include "core/project/project.h"
#include "ui/holidaylistwidget.h"
#include "ui/uilogging.h"
#include "ui/undoshortcutfilter.h"

#include <QCheckBox>
#include <QCollator>
#include <QCoreApplication>
#include <QComboBox>
#include <QCompleter>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace CalStudio {

namespace {

QLabel *makeErrorLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setStyleSheet(QStringLiteral("color: #b3261e;"));
    label->hide();
    return label;
}


// A field with its explanatory note and its error line underneath.
QWidget *fieldBlock(QWidget *field, QLabel *note, QLabel *error, QWidget *parent)
{
    auto *block = new QWidget(parent);
    auto *layout = new QVBoxLayout(block);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    layout->addWidget(field);
    if (note)
        layout->addWidget(note);
    layout->addWidget(error);
    return block;
}

QString capitalized(QString text)
{
    if (!text.isEmpty())
        text[0] = text.at(0).toUpper();
    return text;
}

// "Deutsch (Deutschland)": names a person recognises in their own language.
QString localeDisplayName(const QLocale &locale)
{
    QString language = locale.nativeLanguageName();
    if (language.isEmpty())
        language = QLocale::languageToString(locale.language());
    const QString territory = locale.nativeTerritoryName();
    if (territory.isEmpty())
        return capitalized(language);
    return QStringLiteral("%1 (%2)").arg(capitalized(language), territory);
}

QString layoutName(PageLayout layout)
{
    switch (layout) {
    case PageLayout::PhotoAbove:
        return QCoreApplication::translate("CalStudio::ProjectSettingsPage", "Photo above the grid");
    case PageLayout::FullBleed:
        return QCoreApplication::translate("CalStudio::ProjectSettingsPage", "Full-page photo, grid on top");
    case PageLayout::SideBySide:
        return QCoreApplication::translate("CalStudio::ProjectSettingsPage", "Photo and grid side by side");
    }
    return pageLayoutId(layout);
}

// Every region with holiday data, by its English name; loaded once per run.
const QList<std::pair<QString, QString>> &shippedHolidayRegions()
{
    static const QList<std::pair<QString, QString>> regions = [] {
        QList<std::pair<QString, QString>> list;
        const QStringList codes = HolidayCalendar::availableRegions();
        for (const QString &code : codes) {
            auto calendar = HolidayCalendar::load(code);
            if (!calendar) {
                qCWarning(lcUi) << "holiday data of" << code << "is unusable:" << calendar.error().detail;
                continue;
            }
            list.append({ code, calendar->regionName() });
        }
        std::sort(list.begin(), list.end(), [](const auto &a, const auto &b) { return a.second < b.second; });
        return list;
    }();
    return regions;
}

} // namespace

ProjectSettingsPage::ProjectSettingsPage(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLineEdit(this))
    , m_year(new QSpinBox(this))
    , m_startMonth(new QComboBox(this))
    , m_span(PageWidgets::noteLabel({}, this))
    , m_weekStart(new QComboBox(this))
    , m_locale(new QComboBox(this))
    , m_layout(new QComboBox(this))
    , m_theme(new QComboBox(this))
    , m_weekNumbers(new QCheckBox(tr("Week n&umbers beside the grid"), this))
    , m_notesLine(new QCheckBox(tr("&Notes line under the grid"), this))
    , m_holidays(new QComboBox(this))
    , m_holidayList(new HolidayListWidget(this))
    , m_titleError(makeErrorLabel(QStringLiteral("titleError"), this))
    , m_yearError(makeErrorLabel(QStringLiteral("yearError"), this))
    , m_startMonthError(makeErrorLabel(QStringLiteral("startMonthError"), this))
    , m_weekStartError(makeErrorLabel(QStringLiteral("weekStartError"), this))
    , m_localeError(makeErrorLabel(QStringLiteral("localeError"), this))
    , m_designError(makeErrorLabel(QStringLiteral("designError"), this))
    , m_holidaysError(makeErrorLabel(QStringLiteral("holidaysError"), this))
{
    setObjectName(QStringLiteral("projectSettingsPage"));

    m_title->setObjectName(QStringLiteral("titleEdit"));
    m_title->setPlaceholderText(tr("For example: Our Year 2027"));
    m_title->setMaxLength(200);
    m_title->setClearButtonEnabled(true);

    m_year->setObjectName(QStringLiteral("yearSpin"));
    m_year->setRange(ProjectSettings::MinYear, ProjectSettings::MaxYear);
    // One change per finished entry, not one per digit typed.
    m_year->setKeyboardTracking(false);
    m_year->setGroupSeparatorShown(false);

    m_startMonth->setObjectName(QStringLiteral("startMonthCombo"));
    const QLocale ui;
    for (int month = 1; month <= 12; ++month)
        m_startMonth->addItem(capitalized(ui.standaloneMonthName(month)), month);
    m_span->setObjectName(QStringLiteral("spanLabel"));

    m_weekStart->setObjectName(QStringLiteral("weekStartCombo"));
    m_weekStart->addItem(tr("Language default"), int(WeekStart::LocaleDefault));
    m_weekStart->addItem(capitalized(ui.standaloneDayName(Qt::Monday)), int(WeekStart::Monday));
    m_weekStart->addItem(capitalized(ui.standaloneDayName(Qt::Sunday)), int(WeekStart::Sunday));
    m_weekStart->addItem(capitalized(ui.standaloneDayName(Qt::Saturday)), int(WeekStart::Saturday));

    m_locale->setObjectName(QStringLiteral("localeCombo"));
    m_locale->setEditable(true);
    m_locale->setInsertPolicy(QComboBox::NoInsert);
    m_locale->setMaxVisibleItems(16);
    fillLocales();
    m_locale->completer()->setFilterMode(Qt::MatchContains);
    m_locale->completer()->setCaseSensitivity(Qt::CaseInsensitive);
    m_locale->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_locale->lineEdit()->setPlaceholderText(tr("Type to search, e.g. Deutsch"));

    m_layout->setObjectName(QStringLiteral("layoutCombo"));
    const QList<PageLayout> layouts = allPageLayouts();
    for (PageLayout layout : layouts)
        m_layout->addItem(layoutName(layout), pageLayoutId(layout));
    m_theme->setObjectName(QStringLiteral("themeCombo"));
    for (const PageTheme &theme : PageTheme::builtIn())
        m_theme->addItem(theme.name, theme.id);
    m_weekNumbers->setObjectName(QStringLiteral("weekNumbersCheck"));
    m_notesLine->setObjectName(QStringLiteral("notesLineCheck"));
    auto *extras = new QWidget(this);
    auto *extrasLayout = new QVBoxLayout(extras);
    extrasLayout->setContentsMargins(0, 0, 0, 0);
    extrasLayout->setSpacing(6);
    extrasLayout->addWidget(m_weekNumbers);
    extrasLayout->addWidget(m_notesLine);
    extrasLayout->addWidget(m_designError);

    m_holidays->setObjectName(QStringLiteral("holidayCombo"));
    setHolidayRegions(shippedHolidayRegions());

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
    form->setHorizontalSpacing(16);
    form->setVerticalSpacing(14);
    form->addRow(tr("&Title:"), fieldBlock(m_title, nullptr, m_titleError, this));
    form->addRow(tr("&Year:"), fieldBlock(m_year, nullptr, m_yearError, this));
    form->addRow(tr("First &month:"), fieldBlock(m_startMonth, m_span, m_startMonthError, this));
    form->addRow(tr("&Weeks start on:"), fieldBlock(m_weekStart, nullptr, m_weekStartError, this));
    form->addRow(tr("&Language:"),
        fieldBlock(
            m_locale, PageWidgets::noteLabel(tr("Used for month and day names on the pages."), this), m_localeError, this));
    form->addRow(tr("Page lay&out:"), m_layout);
    form->addRow(tr("&Page theme:"), m_theme);
    form->addRow(tr("Extras:"), extras);
    auto *holidayBlock = fieldBlock(m_holidays,
        PageWidgets::noteLabel(tr("Public holidays marked in the month grids. Untick any you do not want."), this),
        m_holidaysError, this);
    holidayBlock->layout()->addWidget(m_holidayList);
    form->addRow(tr("Public holi&days:"), holidayBlock);
    // Labels' buddies make the Alt+letter mnemonics move focus to the fields.
    for (int row = 0; row < form->rowCount(); ++row) {
        auto *label = qobject_cast<QLabel *>(form->itemAt(row, QFormLayout::LabelRole)->widget());
        QWidget *block = form->itemAt(row, QFormLayout::FieldRole)->widget();
        if (!label || !block)
            continue;
        label->setBuddy(block->layout() ? block->layout()->itemAt(0)->widget() : block);
    }
    if (auto *extrasLabel = qobject_cast<QLabel *>(form->labelForField(extras)))
        extrasLabel->setBuddy(nullptr);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);

    setTabOrder(m_title, m_year);
    setTabOrder(m_year, m_startMonth);
    setTabOrder(m_startMonth, m_weekStart);
    setTabOrder(m_weekStart, m_locale);
    setTabOrder(m_locale, m_layout);
    setTabOrder(m_layout, m_theme);
    setTabOrder(m_theme, m_weekNumbers);
    setTabOrder(m_weekNumbers, m_notesLine);
    setTabOrder(m_notesLine, m_holidays);
    setTabOrder(m_holidays, m_holidayList);

    auto *undoFilter = new UndoShortcutFilter(this);
    undoFilter->watch(this);

    connect(m_title, &QLineEdit::textEdited, this, [this](const QString &text) {
        if (m_project)
            applyResult(m_titleError, m_project->setTitle(text));
    });
    connect(m_year, &QSpinBox::valueChanged, this, [this](int year) {
        if (m_project)
            applyResult(m_yearError, m_project->setYear(year));
    });
    connect(m_startMonth, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (m_project && index >= 0)
            applyResult(m_startMonthError, m_project->setStartMonth(m_startMonth->itemData(index).toInt()));
    });
    connect(m_weekStart, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (m_project && index >= 0)
            applyResult(m_weekStartError,
                m_project->setWeekStart(static_cast<WeekStart>(m_weekStart->itemData(index).toInt())));
    });
    connect(m_locale, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (m_project && index >= 0)
            applyResult(m_localeError, m_project->setLocale(m_locale->itemData(index).toString()));
    });
    connect(m_locale->lineEdit(), &QLineEdit::editingFinished, this, &ProjectSettingsPage::commitLocaleText);
    connect(m_layout, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (m_project && index >= 0)
            applyResult(m_designError, m_project->setPageLayout(m_layout->itemData(index).toString()));
    });
    connect(m_theme, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (m_project && index >= 0)
            applyResult(m_designError, m_project->setPageTheme(m_theme->itemData(index).toString()));
    });
    // clicked, not toggled: only the user's clicks and keys edit, never refresh().
    connect(m_weekNumbers, &QCheckBox::clicked, this, [this](bool on) {
        if (m_project)
            applyResult(m_designError, m_project->setWeekNumbers(on));
    });
    connect(m_notesLine, &QCheckBox::clicked, this, [this](bool on) {
        if (m_project)
            applyResult(m_designError, m_project->setNotesLine(on));
    });
    connect(m_holidays, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (m_project && index >= 0)
            applyResult(m_holidaysError, m_project->setHolidayRegion(m_holidays->itemData(index).toString()));
    });

    setProject(nullptr);
}

void ProjectSettingsPage::setProject(Project *project)
{
    if (m_settingsConnection)
        disconnect(m_settingsConnection);
    m_project = project;
    m_holidayList->setProject(project);
    if (m_project)
        m_settingsConnection
            = connect(m_project.data(), &Project::settingsChanged, this, &ProjectSettingsPage::refresh);
    setEnabled(m_project);
    refresh();
}

void ProjectSettingsPage::setHolidayRegions(const QList<std::pair<QString, QString>> &regions)
{
    const QSignalBlocker blocker(m_holidays);
    m_holidays->clear();
    m_holidays->addItem(tr("No public holidays"), QString());
    for (const auto &[code, name] : regions) {
        if (!code.isEmpty())
            m_holidays->addItem(name, code);
    }
    refresh();
}

void ProjectSettingsPage::fillLocales()
{
    struct Entry {
        QString name;
        QString display;
    };
    QList<Entry> entries;
    QSet<QString> seen;
    const QList<QLocale> all
        = QLocale::matchingLocales(QLocale::AnyLanguage, QLocale::AnyScript, QLocale::AnyTerritory);
    for (const QLocale &locale : all) {
        if (locale.language() == QLocale::C || seen.contains(locale.name()))
            continue;
        seen.insert(locale.name());
        entries.append({ locale.name(), localeDisplayName(locale) });
    }
    // Several scripts of one language can share a display name; the code tells them apart.
    QHash<QString, int> displayCount;
    for (const Entry &e : std::as_const(entries))
        ++displayCount[e.display];
    for (Entry &e : entries) {
        if (displayCount.value(e.display) > 1)
            e.display += QStringLiteral(" [%1]").arg(e.name);
    }

    QCollator collator;
    collator.setCaseSensitivity(Qt::CaseInsensitive);
    std::sort(entries.begin(), entries.end(),
        [&collator](const Entry &a, const Entry &b) { return collator.compare(a.display, b.display) < 0; });

    const QSignalBlocker blocker(m_locale);
    for (const Entry &e : std::as_const(entries)) {
        m_locale->addItem(e.display, e.name);
        m_locale->setItemData(m_locale->count() - 1, e.name, Qt::ToolTipRole);
    }
}

void ProjectSettingsPage::commitLocaleText()
{
    const QString text = m_locale->currentText().trimmed();
    const int current = m_locale->currentIndex();
    if (current >= 0 && m_locale->itemText(current) == text)
        return;
    // Accept a typed name or code ("de_DE") when it names exactly one entry.
    int match = m_locale->findText(text, Qt::MatchFixedString);
    if (match < 0)
        match = m_locale->findData(text);
    if (match >= 0) {
        m_locale->setCurrentIndex(match);
        return;
    }
    {
        const QSignalBlocker blocker(m_locale);
        m_locale->setEditText(current >= 0 ? m_locale->itemText(current) : QString());
    }
    m_localeError->setText(tr("“%1” is not in the list. Type part of a language's name and pick it from the "
                              "suggestions.")
                               .arg(text));
    m_localeError->show();
}

void ProjectSettingsPage::applyResult(QLabel *errorLabel, const Status &status)
{
    if (status) {
        errorLabel->hide();
        return;
    }
    errorLabel->setText(status.error().userMessage);
    errorLabel->show();
}

void ProjectSettingsPage::clearErrors()
{
    for (QLabel *label :
        { m_titleError, m_yearError, m_startMonthError, m_weekStartError, m_localeError, m_designError,
            m_holidaysError })
        label->hide();
}

QString ProjectSettingsPage::spanText() const
{
    if (!m_project)
        return {};
    const ProjectSettings &s = m_project->settings();
    const auto [endYear, endMonth] = s.endYearMonth();
    const QLocale ui;
    const QString first = capitalized(ui.standaloneMonthName(s.startMonth));
    const QString last = capitalized(ui.standaloneMonthName(endMonth));
    if (endYear == s.year)
        return tr("%1 – %2 %3", "first month – last month year").arg(first, last, QString::number(s.year));
    return tr("%1 %2 – %3 %4", "first month year – last month year")
        .arg(first, QString::number(s.year), last, QString::number(endYear));
}

void ProjectSettingsPage::refresh()
{
    clearErrors();
    const QSignalBlocker titleBlocker(m_title);
    const QSignalBlocker yearBlocker(m_year);
    const QSignalBlocker monthBlocker(m_startMonth);
    const QSignalBlocker weekBlocker(m_weekStart);
    const QSignalBlocker localeBlocker(m_locale);
    const QSignalBlocker holidayBlocker(m_holidays);
    const QSignalBlocker layoutBlocker(m_layout);
    const QSignalBlocker themeBlocker(m_theme);

    if (!m_project) {
        m_title->clear();
        m_span->clear();
        return;
    }
    const ProjectSettings &s = m_project->settings();

    // Setting equal text would still move the cursor to the end while typing.
    if (m_title->text() != s.title)
        m_title->setText(s.title);
    m_year->setValue(s.year);
    m_startMonth->setCurrentIndex(m_startMonth->findData(s.startMonth));
    m_span->setText(spanText());

    const Qt::DayOfWeek resolved = resolvedFirstDayOfWeek(WeekStart::LocaleDefault, QLocale(s.locale));
    m_weekStart->setItemText(0, tr("Language default (%1)").arg(capitalized(QLocale().standaloneDayName(resolved))));
    m_weekStart->setCurrentIndex(m_weekStart->findData(int(s.weekStart)));

    int localeIndex = m_locale->findData(s.locale);
    if (localeIndex < 0 && !s.locale.isEmpty()) {
        // A locale this Qt does not list (written by another build): keep it selectable.
        m_locale->insertItem(0, s.locale, s.locale);
        localeIndex = 0;
    }
    m_locale->setCurrentIndex(localeIndex);

    m_layout->setCurrentIndex(m_layout->findData(s.pageLayout));
    int themeIndex = m_theme->findData(s.pageTheme);
    if (themeIndex < 0 && !s.pageTheme.isEmpty()) {
        m_theme->addItem(s.pageTheme, s.pageTheme);
        themeIndex = m_theme->count() - 1;
    }
    m_theme->setCurrentIndex(themeIndex);
    m_weekNumbers->setChecked(s.weekNumbers);
    m_notesLine->setChecked(s.notesLine);

    int holidayIndex = m_holidays->findData(s.holidayRegion);
    if (holidayIndex < 0) {
        m_holidays->addItem(s.holidayRegion, s.holidayRegion);
        holidayIndex = m_holidays->count() - 1;
    }
    m_holidays->setCurrentIndex(holidayIndex);
}

} // namespace CalStudio
