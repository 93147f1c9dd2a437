#pragma once

#include "core/common/error.h"

#include <QPointer>
#include <QWidget>

class QQuickWidget;
class QScrollArea;
class QSplitter;

namespace CalStudio {

class CalendarPreviewModel;
class HolidayListWidget;
class PersonalDatesEditor;
class Project;
class ProjectSettingsPage;

/**
 * The "Calendar" step: on the left, a scrolling column with the calendar's
 * settings (ProjectSettingsPage: title, year, first month, week start,
 * language, page layout and theme, week numbers, notes line, public holidays
 * with their list) and its personal dates (PersonalDatesEditor); on the
 * right, a live Qt Quick preview of the pages (CalendarPreview.qml) that
 * follows every edit as it is made.
 *
 * Every edit goes through the Project's setters (one undo history). The
 * preview is fed through a CalendarPreviewModel kept in step with the
 * Project's change signals, so undo and redo show in it too.
 */
class CalendarPage : public QWidget {
    Q_OBJECT
public:
    explicit CalendarPage(QWidget *parent = nullptr);
    ~CalendarPage() override;

    /// Shows and edits `project`; nullptr empties and disables the page.
    void setProject(Project *project);
    [[nodiscard]] Project *project() const { return m_project; }

    [[nodiscard]] ProjectSettingsPage *settingsForm() const { return m_settings; }
    [[nodiscard]] HolidayListWidget *holidayList() const;
    [[nodiscard]] PersonalDatesEditor *personalDates() const { return m_dates; }
    [[nodiscard]] CalendarPreviewModel *previewModel() const { return m_previewModel; }
    [[nodiscard]] QQuickWidget *previewView() const { return m_preview; }

    /// The preview's page: 0 the cover, 1–12 the months of the calendar.
    [[nodiscard]] int previewPage() const;
    void setPreviewPage(int page);

Q_SIGNALS:
    /// Something failed (an import, an export); the window shows it in its banner.
    void errorOccurred(const CalStudio::Error &error);

private:
    void createPreview();
    void syncSettings();
    void syncHolidays();
    void syncMonths();
    void syncDates();

    QPointer<Project> m_project;
    QList<QMetaObject::Connection> m_connections;
    CalendarPreviewModel *m_previewModel;
    QSplitter *m_splitter;
    QScrollArea *m_scroll;
    ProjectSettingsPage *m_settings;
    PersonalDatesEditor *m_dates;
    QQuickWidget *m_preview = nullptr;
};

} // namespace CalStudio
