#pragma once

#include "core/common/result.h"
#include "core/project/project.h"

#include <QPointer>
#include <QWidget>

#include <utility>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace CalStudio {

class HolidayListWidget;

/**
 * The settings form of the Calendar step: title, year, first month, week
 * start, language of month and day names, page layout and theme, week
 * numbers, notes line, and the public-holiday region with its list of
 * holidays (each can be switched off).
 *
 * Every edit goes through the Project setters (one undo history); the page
 * follows Project::settingsChanged, so undo, redo and other views keep it
 * current. Values the project refuses are explained under the field.
 */
class ProjectSettingsPage : public QWidget {
    Q_OBJECT
public:
    explicit ProjectSettingsPage(QWidget *parent = nullptr);

    /// Shows and edits `project`; nullptr empties and disables the page.
    void setProject(Project *project);
    [[nodiscard]] Project *project() const { return m_project; }

    /**
     * Sets the holiday regions offered, as (region code, name shown). "No
     * public holidays" (code "") always comes first. By default the page
     * offers every region of HolidayCalendar::availableRegions().
     */
    void setHolidayRegions(const QList<std::pair<QString, QString>> &regions);

    [[nodiscard]] HolidayListWidget *holidayList() const { return m_holidayList; }

private:
    void refresh();
    void applyResult(QLabel *errorLabel, const Status &status);
    void clearErrors();
    void commitLocaleText();
    void fillLocales();
    [[nodiscard]] QString spanText() const;

    QPointer<Project> m_project;
    QMetaObject::Connection m_settingsConnection;

    QLineEdit *m_title;
    QSpinBox *m_year;
    QComboBox *m_startMonth;
    QLabel *m_span;
    QComboBox *m_weekStart;
    QComboBox *m_locale;
    QComboBox *m_layout;
    QComboBox *m_theme;
    QCheckBox *m_weekNumbers;
    QCheckBox *m_notesLine;
    QComboBox *m_holidays;
    HolidayListWidget *m_holidayList;

    QLabel *m_titleError;
    QLabel *m_yearError;
    QLabel *m_startMonthError;
    QLabel *m_weekStartError;
    QLabel *m_localeError;
    QLabel *m_designError;
    QLabel *m_holidaysError;
};

} // namespace CalStudio
