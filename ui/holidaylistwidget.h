#pragma once

#include "core/calendar/holiday.h"
#include "core/calendar/holidaycalendar.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QLabel;
class QListWidget;
class QListWidgetItem;

namespace CalStudio {

class Project;

/**
 * The public holidays of the project's region within the calendar's span,
 * in the calendar's language, each with a checkbox: unticking one hides it
 * from the pages (Project::setHolidayEnabled, undoable). A substitute
 * ("observed") day follows its holiday. Under the list, in small print, the
 * data's official sources and what it includes.
 *
 * Follows Project::settingsChanged (region, year, first month, language) and
 * Project::holidaysChanged (undo/redo of a tick).
 */
class HolidayListWidget : public QWidget {
    Q_OBJECT
public:
    explicit HolidayListWidget(QWidget *parent = nullptr);

    void setProject(Project *project);
    [[nodiscard]] QListWidget *list() const { return m_list; }
    /// The holidays listed, in list order.
    [[nodiscard]] const QList<Holiday> &holidays() const { return m_holidays; }

private:
    void rebuild();
    void updateChecks();
    void itemChanged(QListWidgetItem *item);

    QPointer<Project> m_project;
    QList<QMetaObject::Connection> m_connections;
    QListWidget *m_list;
    QLabel *m_empty;
    QLabel *m_source;
    std::optional<HolidayCalendar> m_calendar; ///< of m_calendarRegion, kept across rebuilds
    QString m_calendarRegion;
    QString m_calendarError;
    QList<Holiday> m_holidays;
    QString m_shownKey; ///< region, span and language the list shows
    bool m_updating = false;
};

} // namespace CalStudio
