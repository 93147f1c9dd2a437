#pragma once

#include "core/calendar/specialdate.h"
#include "core/common/error.h"
#include "core/common/result.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace CalStudio {

class Project;
class SpecialDateDialog;

/**
 * The project's personal dates (birthdays, anniversaries, own holidays) as a
 * table with Add, Edit, Remove, Import .ics… and Export .ics….
 *
 * Every action is one Project::setSpecialDates() call, so each is one undo
 * step (an import of fifty dates is undone at once). The table follows
 * Project::specialDatesChanged. Errors go out through errorOccurred() (the
 * window shows them in its banner); the outcome of an import is shown under
 * the table. The public methods are what the buttons do after their dialogs,
 * so tests can drive them directly.
 */
class PersonalDatesEditor : public QWidget {
    Q_OBJECT
public:
    explicit PersonalDatesEditor(QWidget *parent = nullptr);

    void setProject(Project *project);

    Status addDate(const SpecialDate &date);
    /// Replaces the date at `index` of Project::specialDates().
    Status replaceDate(int index, const SpecialDate &date);
    /// Removes the dates at these indices of Project::specialDates().
    Status removeDates(const QList<int> &indices);
    /// Adds the dates of an iCalendar file; dates already in the project are skipped.
    Status importFile(const QString &path);
    Status exportFile(const QString &path);

    /// Opens the dialog for a new date (window-modal; OK adds it).
    SpecialDateDialog *openAddDialog();
    /// Opens the dialog for the selected date; nullptr when none is selected.
    SpecialDateDialog *openEditDialog();

    [[nodiscard]] QTableWidget *table() const { return m_table; }
    /// The outcome of the last import or export, as shown under the table.
    [[nodiscard]] QString statusText() const;
    /// Indices into Project::specialDates() of the selected rows.
    [[nodiscard]] QList<int> selectedIndices() const;

Q_SIGNALS:
    void errorOccurred(const CalStudio::Error &error);
    /// The user selected a date, e.g. to show its month in the preview; `date` is its next occurrence in the calendar.
    void dateActivated(const QDate &date);

private:
    void refresh();
    void updateButtons();
    void showStatus(const QString &text);
    void importInteractive();
    void exportInteractive();
    void report(const Status &status);
    [[nodiscard]] QString lastFolder() const;
    void rememberFolder(const QString &path) const;

    QPointer<Project> m_project;
    QMetaObject::Connection m_connection;
    QTableWidget *m_table;
    QPushButton *m_add;
    QPushButton *m_edit;
    QPushButton *m_remove;
    QPushButton *m_import;
    QPushButton *m_export;
    QLabel *m_status;
};

} // namespace CalStudio
