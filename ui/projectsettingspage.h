#pragma once

#include "core/common/result.h"
#include "core/project/project.h"

#include <QPointer>
#include <QWidget>

#include <utility>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace CalStudio {

/**
 * The "Calendar" step: title, year, first month, week start, language of
 * month and day names, and holiday region of the open project.
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
     * public holidays" (code "") always comes first.
     */
    void setHolidayRegions(const QList<std::pair<QString, QString>> &regions);

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
    QComboBox *m_holidays;

    QLabel *m_titleError;
    QLabel *m_yearError;
    QLabel *m_startMonthError;
    QLabel *m_weekStartError;
    QLabel *m_localeError;
    QLabel *m_holidaysError;
};

} // namespace CalStudio
