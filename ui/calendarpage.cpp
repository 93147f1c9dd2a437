#include "ui/calendarpage.h"
#include "ui/pagewidgets.h"

#include "core/project/project.h"
#include "qml/calendarpreviewmodel.h"
#include "ui/holidaylistwidget.h"
#include "ui/personaldateseditor.h"
#include "ui/projectsettingspage.h"
#include "ui/uilogging.h"

#include <QLabel>
#include <QQmlError>
#include <QQuickItem>
#include <QQuickWidget>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

namespace CalStudio {

namespace {


QLabel *noteLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: #6f6a62;"));
    return label;
}

} // namespace

CalendarPage::CalendarPage(QWidget *parent)
    : QWidget(parent)
    , m_previewModel(new CalendarPreviewModel(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_scroll(new QScrollArea(this))
    , m_settings(nullptr)
    , m_dates(nullptr)
{
    setObjectName(QStringLiteral("calendarPage"));

    // The scroll area comes first among the children, and the title field
    // first inside it: MainWindow focuses the first field of a page.
    m_scroll->setObjectName(QStringLiteral("calendarScroll"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setFocusPolicy(Qt::NoFocus);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    auto *content = new QWidget(m_scroll);
    content->setObjectName(QStringLiteral("calendarForm"));
    auto *heading = PageWidgets::heading(tr("Calendar"), 1.6, content);
    heading->setObjectName(QStringLiteral("pageHeading"));
    auto *intro = noteLabel(tr("The basics and the look of your calendar, with its holidays and personal dates. "
                               "Every change is saved as you go, and Edit ▸ Undo takes it back."),
        content);
    m_settings = new ProjectSettingsPage(content);
    auto *datesHeading = PageWidgets::heading(tr("Personal dates"), 1.2, content);
    auto *datesIntro = noteLabel(tr("Birthdays, anniversaries and your own days off, printed in the day cells. "
                                    "Import them from your address book or calendar as an .ics file."),
        content);
    m_dates = new PersonalDatesEditor(content);

    auto *column = new QVBoxLayout(content);
    column->setContentsMargins(28, 22, 22, 22);
    column->setSpacing(6);
    column->addWidget(heading);
    column->addWidget(intro);
    column->addSpacing(14);
    column->addWidget(m_settings);
    column->addSpacing(20);
    column->addWidget(datesHeading);
    column->addWidget(datesIntro);
    column->addSpacing(4);
    column->addWidget(m_dates);
    column->addStretch();
    m_scroll->setWidget(content);
    m_scroll->setMinimumWidth(380);

    createPreview();

    m_splitter->setObjectName(QStringLiteral("calendarSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(m_scroll);
    m_splitter->addWidget(m_preview);
    m_splitter->setStretchFactor(0, 5);
    m_splitter->setStretchFactor(1, 4);
    m_splitter->setSizes({ 520, 420 });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);

    connect(m_dates, &PersonalDatesEditor::errorOccurred, this, &CalendarPage::errorOccurred);
    connect(m_dates, &PersonalDatesEditor::dateActivated, this, [this](const QDate &date) {
        const int page = m_previewModel->pageOfDate(date);
        if (page > 0)
            setPreviewPage(page);
    });

    setProject(nullptr);
}

CalendarPage::~CalendarPage()
{
    // The preview's QML refers to the model; let it go first.
    delete m_preview;
    m_preview = nullptr;
}

void CalendarPage::createPreview()
{
    m_preview = new QQuickWidget(this);
    m_preview->setObjectName(QStringLiteral("calendarPreview"));
    m_preview->setAccessibleName(tr("Page preview"));
    m_preview->setResizeMode(QQuickWidget::SizeRootObjectToView);
    m_preview->setFocusPolicy(Qt::StrongFocus);
    m_preview->setClearColor(QColor(0xe9, 0xe4, 0xdc));
    m_preview->setMinimumSize(260, 320);
    m_preview->setSource(QUrl(QStringLiteral("qrc:/CalendarStudio/CalendarPreview.qml")));
    QQuickItem *root = m_preview->rootObject();
    if (m_preview->status() != QQuickWidget::Ready || !root) {
        QStringList messages;
        const QList<QQmlError> errors = m_preview->errors();
        for (const QQmlError &e : errors)
            messages.append(e.toString());
        // The settings keep working without the preview; the log says why it is missing.
        qCCritical(lcUi) << "page preview failed to load:" << messages;
        return;
    }
    root->setProperty("model", QVariant::fromValue(m_previewModel));
}

HolidayListWidget *CalendarPage::holidayList() const
{
    return m_settings->holidayList();
}

int CalendarPage::previewPage() const
{
    QQuickItem *root = m_preview ? m_preview->rootObject() : nullptr;
    return root ? root->property("pageIndex").toInt() : 0;
}

void CalendarPage::setPreviewPage(int page)
{
    if (QQuickItem *root = m_preview ? m_preview->rootObject() : nullptr)
        root->setProperty("pageIndex", qBound(0, page, CalendarPreviewModel::PageCount - 1));
}

void CalendarPage::setProject(Project *project)
{
    for (const QMetaObject::Connection &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_project = project;
    m_settings->setProject(project);
    m_dates->setProject(project);
    if (m_project) {
        Project *p = m_project.data();
        m_connections.append(connect(p, &Project::settingsChanged, this, &CalendarPage::syncSettings));
        m_connections.append(connect(p, &Project::holidaysChanged, this, &CalendarPage::syncHolidays));
        m_connections.append(connect(p, &Project::monthChanged, this, &CalendarPage::syncMonths));
        m_connections.append(connect(p, &Project::specialDatesChanged, this, &CalendarPage::syncDates));
        syncSettings();
        syncMonths();
        syncDates();
        // A newly opened calendar starts on its cover.
        setPreviewPage(0);
    }
    if (m_preview)
        m_preview->setEnabled(m_project);
}

void CalendarPage::syncSettings()
{
    if (!m_project)
        return;
    m_previewModel->setSettings(m_project->settings());
    // The region, span or language may have changed which holidays there are.
    syncHolidays();
}

void CalendarPage::syncHolidays()
{
    if (!m_project)
        return;
    const QString region = m_project->settings().holidayRegion;
    QStringList off;
    const QList<Holiday> holidays = m_previewModel->holidays();
    for (const Holiday &h : holidays) {
        if (!off.contains(h.id) && !m_project->isHolidayEnabled(region, h.id))
            off.append(h.id);
    }
    m_previewModel->setDisabledHolidays(off);
}

void CalendarPage::syncMonths()
{
    if (!m_project)
        return;
    QStringList titles;
    for (const MonthEntry &entry : m_project->months())
        titles.append(entry.title);
    m_previewModel->setPlaceholderTitles(titles);
}

void CalendarPage::syncDates()
{
    if (m_project)
        m_previewModel->setSpecialDates(m_project->specialDates());
}

} // namespace CalStudio
