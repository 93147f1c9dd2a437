#include "ui/personaldateseditor.h"

#include "core/calendar/icalendarfile.h"
#include "core/project/project.h"
#include "ui/specialdatedialog.h"
#include "ui/uilogging.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <numeric>

namespace CalStudio {

namespace {

enum Column { DateColumn, NameColumn, KindColumn, YearlyColumn, AgeColumn, LeapColumn, ColumnCount };

const QString FolderKey = QStringLiteral("session/icsFolder");

QString kindName(SpecialDate::Kind kind)
{
    switch (kind) {
    case SpecialDate::Kind::Birthday:
        return PersonalDatesEditor::tr("Birthday");
    case SpecialDate::Kind::Anniversary:
        return PersonalDatesEditor::tr("Anniversary");
    case SpecialDate::Kind::Holiday:
        return PersonalDatesEditor::tr("Holiday");
    case SpecialDate::Kind::Custom:
        break;
    }
    return PersonalDatesEditor::tr("Other");
}

// The same date as far as the user can tell (ids are bookkeeping).
bool sameDate(const SpecialDate &a, const SpecialDate &b)
{
    return a.date == b.date && a.label == b.label && a.kind == b.kind && a.recurring == b.recurring;
}

QTableWidgetItem *cell(const QString &text, Qt::Alignment alignment = Qt::AlignLeft | Qt::AlignVCenter)
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setTextAlignment(alignment);
    return item;
}

} // namespace

PersonalDatesEditor::PersonalDatesEditor(QWidget *parent)
    : QWidget(parent)
    , m_table(new QTableWidget(0, ColumnCount, this))
    , m_add(new QPushButton(tr("&Add…"), this))
    , m_edit(new QPushButton(tr("Ed&it…"), this))
    , m_remove(new QPushButton(tr("&Remove"), this))
    , m_import(new QPushButton(tr("Import .i&cs…"), this))
    , m_export(new QPushButton(tr("E&xport .ics…"), this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("personalDatesEditor"));
    m_table->setObjectName(QStringLiteral("personalDatesTable"));
    m_table->setAccessibleName(tr("Personal dates"));
    m_table->setHorizontalHeaderLabels(
        { tr("Date"), tr("Name"), tr("Kind"), tr("Yearly"), tr("Age"), tr("29 Feb") });
    m_table->horizontalHeaderItem(AgeColumn)->setToolTip(tr("Whether the age or number of years is shown"));
    m_table->horizontalHeaderItem(LeapColumn)
        ->setToolTip(tr("Where a 29 February date goes in years without one"));
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTabKeyNavigation(false); // Tab leaves the table for the buttons
    m_table->setMinimumHeight(150);
    m_table->setStyleSheet(QStringLiteral("#personalDatesTable { background: white; border: 1px solid #ddd6cb; "
                                          "border-radius: 4px; alternate-background-color: #f8f6f2; }"));
    QHeaderView *header = m_table->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    // Delete removes the selection, Enter (or a double click) edits it.
    auto *removeAction = new QAction(tr("Remove"), m_table);
    removeAction->setShortcut(QKeySequence::Delete);
    removeAction->setShortcutContext(Qt::WidgetShortcut);
    m_table->addAction(removeAction);
    connect(removeAction, &QAction::triggered, m_remove, &QPushButton::click);

    m_add->setObjectName(QStringLiteral("addDateButton"));
    m_edit->setObjectName(QStringLiteral("editDateButton"));
    m_remove->setObjectName(QStringLiteral("removeDateButton"));
    m_import->setObjectName(QStringLiteral("importIcsButton"));
    m_export->setObjectName(QStringLiteral("exportIcsButton"));
    m_status->setObjectName(QStringLiteral("personalDatesStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setStyleSheet(QStringLiteral("color: #6f6a62;"));
    m_status->hide();

    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(6);
    buttons->addWidget(m_add);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    buttons->addWidget(m_import);
    buttons->addWidget(m_export);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(m_table);
    layout->addLayout(buttons);
    layout->addWidget(m_status);

    connect(m_add, &QPushButton::clicked, this, [this] { (void)openAddDialog(); });
    connect(m_edit, &QPushButton::clicked, this, [this] { (void)openEditDialog(); });
    connect(m_remove, &QPushButton::clicked, this, [this] { report(removeDates(selectedIndices())); });
    connect(m_import, &QPushButton::clicked, this, &PersonalDatesEditor::importInteractive);
    connect(m_export, &QPushButton::clicked, this, &PersonalDatesEditor::exportInteractive);
    connect(m_table, &QAbstractItemView::activated, this, [this] { (void)openEditDialog(); });
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        updateButtons();
        const QList<int> selected = selectedIndices();
        if (selected.size() == 1 && m_project)
            Q_EMIT dateActivated(m_table->item(m_table->currentRow(), DateColumn)->data(Qt::UserRole + 1).toDate());
    });

    setProject(nullptr);
}

void PersonalDatesEditor::setProject(Project *project)
{
    if (m_connection)
        disconnect(m_connection);
    m_project = project;
    if (m_project)
        m_connection
            = connect(m_project.data(), &Project::specialDatesChanged, this, &PersonalDatesEditor::refresh);
    m_status->hide();
    m_status->clear();
    refresh();
}

void PersonalDatesEditor::refresh()
{
    const QList<int> selectedBefore = selectedIndices();
    m_table->setRowCount(0);
    if (!m_project) {
        updateButtons();
        return;
    }
    const QList<SpecialDate> &dates = m_project->specialDates();
    const ProjectSettings &s = m_project->settings();
    const QDate from(s.year, s.startMonth, 1);

    // Listed in calendar order (by month and day), as the pages show them.
    QList<int> order(dates.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&dates](int a, int b) {
        const QDate &x = dates.at(a).date;
        const QDate &y = dates.at(b).date;
        return std::make_pair(x.month(), x.day()) < std::make_pair(y.month(), y.day());
    });

    const QLocale ui;
    m_table->setRowCount(int(dates.size()));
    for (int row = 0; row < order.size(); ++row) {
        const int index = order.at(row);
        const SpecialDate &d = dates.at(index);
        auto *dateItem = cell(ui.toString(d.date, QStringLiteral("d MMM yyyy")));
        dateItem->setData(Qt::UserRole, index);
        // Where the date falls in this calendar: first in the span's first year, else the next.
        QDate shown = d.occurrence(from.year());
        if (!shown.isValid() || shown < from)
            shown = d.occurrence(from.year() + 1);
        dateItem->setData(Qt::UserRole + 1, shown);
        m_table->setItem(row, DateColumn, dateItem);
        m_table->setItem(row, NameColumn, cell(d.label));
        m_table->setItem(row, KindColumn, cell(kindName(d.kind)));
        m_table->setItem(row, YearlyColumn, cell(d.recurring ? tr("Yes") : tr("No"), Qt::AlignCenter));
        m_table->setItem(row, AgeColumn, cell(d.showAge ? tr("Shown") : QStringLiteral("–"), Qt::AlignCenter));
        const bool leapDay = d.date.month() == 2 && d.date.day() == 29;
        m_table->setItem(row, LeapColumn,
            cell(leapDay ? (d.leapRule == SpecialDate::LeapRule::March1 ? tr("1 Mar") : tr("28 Feb"))
                         : QString(),
                Qt::AlignCenter));
        if (selectedBefore.contains(index))
            m_table->selectRow(row);
    }
    updateButtons();
}

void PersonalDatesEditor::updateButtons()
{
    const bool open = m_project != nullptr;
    const int selected = int(selectedIndices().size());
    m_add->setEnabled(open);
    m_import->setEnabled(open);
    m_export->setEnabled(open && !m_project->specialDates().isEmpty());
    m_edit->setEnabled(open && selected == 1);
    m_remove->setEnabled(open && selected > 0);
}

QList<int> PersonalDatesEditor::selectedIndices() const
{
    QList<int> indices;
    const QList<QTableWidgetSelectionRange> ranges = m_table->selectedRanges();
    for (const QTableWidgetSelectionRange &range : ranges) {
        for (int row = range.topRow(); row <= range.bottomRow(); ++row) {
            if (QTableWidgetItem *item = m_table->item(row, DateColumn))
                indices.append(item->data(Qt::UserRole).toInt());
        }
    }
    std::sort(indices.begin(), indices.end());
    return indices;
}

QString PersonalDatesEditor::statusText() const
{
    return m_status->text();
}

void PersonalDatesEditor::showStatus(const QString &text)
{
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
}

void PersonalDatesEditor::report(const Status &status)
{
    if (!status)
        Q_EMIT errorOccurred(status.error());
}

Status PersonalDatesEditor::addDate(const SpecialDate &date)
{
    if (!m_project)
        return Error(QStringLiteral("no_project"), tr("Open a calendar first."));
    QList<SpecialDate> dates = m_project->specialDates();
    dates.append(date);
    return m_project->setSpecialDates(dates, tr("Add “%1”").arg(date.label));
}

Status PersonalDatesEditor::replaceDate(int index, const SpecialDate &date)
{
    if (!m_project || index < 0 || index >= m_project->specialDates().size())
        return Error(QStringLiteral("no_such_date"), tr("That date is no longer in the calendar."));
    QList<SpecialDate> dates = m_project->specialDates();
    dates[index] = date;
    return m_project->setSpecialDates(dates, tr("Edit “%1”").arg(date.label));
}

Status PersonalDatesEditor::removeDates(const QList<int> &indices)
{
    if (!m_project || indices.isEmpty())
        return Status::success();
    QList<SpecialDate> dates = m_project->specialDates();
    QList<int> sorted = indices;
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    const QString undoText = sorted.size() == 1 && sorted.first() < dates.size()
        ? tr("Remove “%1”").arg(dates.at(sorted.first()).label)
        : tr("Remove %n dates", nullptr, int(sorted.size()));
    for (int index : std::as_const(sorted)) {
        if (index >= 0 && index < dates.size())
            dates.removeAt(index);
    }
    return m_project->setSpecialDates(dates, undoText);
}

Status PersonalDatesEditor::importFile(const QString &path)
{
    if (!m_project)
        return Error(QStringLiteral("no_project"), tr("Open a calendar first."));
    auto imported = ICalendarFile::read(path);
    if (!imported)
        return imported.error();

    QList<SpecialDate> dates = m_project->specialDates();
    int added = 0;
    int duplicates = 0;
    for (SpecialDate d : std::as_const(imported->dates)) {
        const bool known = std::any_of(
            dates.cbegin(), dates.cend(), [&d](const SpecialDate &existing) { return sameDate(existing, d); });
        if (known) {
            ++duplicates;
            continue;
        }
        d.id = 0; // a new row in this project
        dates.append(d);
        ++added;
    }
    const QString file = QFileInfo(path).fileName();
    if (added > 0) {
        if (Status st = m_project->setSpecialDates(dates, tr("Import %1").arg(file)); !st)
            return st;
    }
    qCInfo(lcUi) << "imported" << added << "dates," << imported->skipped << "unusable," << duplicates
                 << "already present";

    QString text = added == 1 ? tr("1 date imported from “%1”").arg(file)
                              : tr("%1 dates imported from “%2”").arg(added).arg(file);
    if (imported->skipped > 0)
        text += tr(", %n skipped (no usable date)", nullptr, imported->skipped);
    if (duplicates > 0)
        text += tr(", %n already in the calendar", nullptr, duplicates);
    showStatus(text + QLatin1Char('.'));
    return Status::success();
}

Status PersonalDatesEditor::exportFile(const QString &path)
{
    if (!m_project)
        return Error(QStringLiteral("no_project"), tr("Open a calendar first."));
    if (Status st = ICalendarFile::write(path, m_project->specialDates()); !st)
        return st;
    const int count = int(m_project->specialDates().size());
    const QString file = QFileInfo(path).fileName();
    showStatus(count == 1 ? tr("1 date exported to “%1”.").arg(file)
                          : tr("%1 dates exported to “%2”.").arg(count).arg(file));
    return Status::success();
}

SpecialDateDialog *PersonalDatesEditor::openAddDialog()
{
    if (!m_project)
        return nullptr;
    auto *dialog = new SpecialDateDialog(m_project->settings().year, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Add Personal Date"));
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const SpecialDate date = dialog->specialDate();
        const Status st = addDate(date);
        report(st);
        if (st)
            Q_EMIT dateActivated(date.occurrence(m_project->settings().year));
    });
    dialog->open();
    return dialog;
}

SpecialDateDialog *PersonalDatesEditor::openEditDialog()
{
    const QList<int> selected = selectedIndices();
    if (!m_project || selected.size() != 1)
        return nullptr;
    const int index = selected.first();
    auto *dialog = new SpecialDateDialog(m_project->settings().year, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Edit Personal Date"));
    dialog->setSpecialDate(m_project->specialDates().at(index));
    connect(dialog, &QDialog::accepted, this, [this, dialog, index] { report(replaceDate(index, dialog->specialDate())); });
    dialog->open();
    return dialog;
}

QString PersonalDatesEditor::lastFolder() const
{
    const QString folder = QSettings().value(FolderKey).toString();
    if (!folder.isEmpty() && QFileInfo(folder).isDir())
        return folder;
    return QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
}

void PersonalDatesEditor::rememberFolder(const QString &path) const
{
    QSettings().setValue(FolderKey, QFileInfo(path).absolutePath());
}

void PersonalDatesEditor::importInteractive()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import Dates"), lastFolder(),
        tr("iCalendar files (*.ics *.ical *.ifb)") + QStringLiteral(";;") + tr("All files (*)"));
    if (path.isEmpty())
        return;
    rememberFolder(path);
    report(importFile(path));
}

void PersonalDatesEditor::exportInteractive()
{
    QString suggestion = QDir(lastFolder()).filePath(tr("Personal dates") + QStringLiteral(".ics"));
    QString path = QFileDialog::getSaveFileName(this, tr("Export Dates"), suggestion, tr("iCalendar files (*.ics)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".ics");
    rememberFolder(path);
    report(exportFile(path));
}

} // namespace CalStudio
