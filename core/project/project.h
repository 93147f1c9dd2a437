#pragma once

#include "core/calendar/specialdate.h"
#include "core/common/result.h"
#include "core/project/monthentry.h"
#include "core/project/projectsettings.h"
#include "core/project/selfierecord.h"
#include "core/project/usercrops.h"

#include <QObject>
#include <QSet>
#include <QTimer>
#include <QUndoStack>

#include <optional>

#include <memory>

namespace CalStudio {

class ProjectStore;

/**
 * An open project as the studio edits it: the settings and pages in memory,
 * an undo stack, and autosave to the ProjectStore.
 *
 * Every user edit goes through a set…() method, which pushes an undoable
 * command; the command's redo/undo call apply…(), which updates memory,
 * emits a change signal and schedules a save. Saves are debounced (a burst
 * of keystrokes becomes one small transaction) and happen on this thread:
 * each is one UPDATE in WAL mode, well under a millisecond of work plus one
 * fsync. A failed save (disk full, disk gone) keeps the edits in memory,
 * reports saveFailed() and retries; nothing already saved is touched.
 */
class Project : public QObject {
    Q_OBJECT
public:
    static Result<std::unique_ptr<Project>> create(const QString &path, const ProjectSettings &settings);
    static Result<std::unique_ptr<Project>> open(const QString &path);

    /**
     * Next year's calendar from this one: a new project at `path` with the
     * same settings one year later (the title's year moves along), the same
     * page design, personal dates and holiday choices; prompts, selfies and
     * pictures stay behind. Pending edits of this project are saved first.
     */
    Result<std::unique_ptr<Project>> createForNextYear(const QString &path);

    /// Writes pending edits before closing; then removes deleted selfies and masters no month uses.
    ~Project() override;

    [[nodiscard]] QString path() const;
    [[nodiscard]] const ProjectSettings &settings() const { return m_settings; }
    [[nodiscard]] const QList<MonthEntry> &months() const { return m_months; }
    [[nodiscard]] const MonthEntry &month(int month) const { return m_months.at(month); }
    [[nodiscard]] QUndoStack *undoStack() { return &m_undoStack; }
    [[nodiscard]] ProjectStore &store() { return *m_store; }

    // Undoable edits. Invalid values are refused with an Error and change nothing.
    Status setTitle(const QString &title);
    Status setYear(int year);
    Status setStartMonth(int month);
    Status setWeekStart(WeekStart weekStart);
    Status setLocale(const QString &locale);
    Status setHolidayRegion(const QString &region);
    Status setPageLayout(const QString &layoutId);
    Status setPageTheme(const QString &themeId);
    Status setWeekNumbers(bool on);
    Status setNotesLine(bool on);
    /// The generation spend cap in USD (0 = none, at most ProjectSettings::MaxSpendCapUsd).
    Status setSpendCap(double usd);
    /**
     * Edits a page's words (title, prompt, style, avoid). `entry.masterId`
     * is ignored: the page keeps its chosen master (see setMaster()).
     */
    Status setMonth(const MonthEntry &entry, const QString &undoText = {});
    /// Sets several pages as one undo step ("Apply theme"); like setMonth(), masters stay.
    Status setMonths(const QList<MonthEntry> &entries, const QString &undoText);

    /**
     * Chooses the master of `month` as one undo step (0: no master). The
     * master must be a row of that month (ProjectStore::addMaster); errors
     * "invalid_month", "not_found", "wrong_month". Saved by autosave like any
     * page edit; masters only undo can reach stay in the file until the
     * project closes.
     */
    Status setMaster(int month, qint64 masterId, const QString &undoText);
    /**
     * Gives `month` the master `masterId` without an undo step — for
     * generation giving a month its first master automatically. An id that
     * is not a master of that month is refused (logged, nothing changes).
     */
    void assignMaster(int month, qint64 masterId);

    [[nodiscard]] const QList<SpecialDate> &specialDates() const { return m_specialDates; }
    /// Replaces the personal dates (add, edit, remove, import are all this) as one undo step.
    Status setSpecialDates(const QList<SpecialDate> &dates, const QString &undoText);
    /// Whether a public holiday of `region` is shown; the user can switch any off.
    [[nodiscard]] bool isHolidayEnabled(const QString &region, const QString &holidayId) const;
    void setHolidayEnabled(const QString &region, const QString &holidayId, bool enabled);
    /// Selfies in their order, without the ones deleted in this session.
    [[nodiscard]] QList<SelfieRecord> selfies() const;
    /// A selfie an import just stored; shown at once, made undoable by recordImportedSelfies().
    void addImportedSelfie(const SelfieRecord &record);
    /// Makes the selfies an import stored one undoable step ("Import 5 selfies").
    void recordImportedSelfies(const QList<SelfieRecord> &records);
    /// Deletes (undoable), reorders, prefers or picks the face of selfies: the new states of the live ones.
    Status setSelfies(const QList<SelfieRecord> &live, const QString &undoText);
    /**
     * Removes every selfie from the project file for good (see
     * ProjectStore::forgetAllSelfies). Not undoable: the undo history is
     * cleared, because it could bring back what the user asked to forget.
     */
    Status forgetSelfies();

    /// The crop set by hand for `page` in format `formatId` (fractions of the master), if any.
    [[nodiscard]] std::optional<QRectF> userCrop(int page, const QString &formatId) const;
    [[nodiscard]] const UserCrops &userCrops() const { return m_userCrops; }
    /// Sets a hand-made crop (undoable). Error "invalid_crop" for an empty rect or one outside 0–1.
    Status setUserCrop(int page, const QString &formatId, const QRectF &rect, const QString &undoText = {});
    /// Back to the automatic crop (undoable); nothing happens when the page had none.
    void resetUserCrop(int page, const QString &formatId);

    /// All switched-off holidays as "REGION:holiday-id".
    [[nodiscard]] const QSet<QString> &holidaysOff() const { return m_holidaysOff; }

    // Used by undo commands: change memory, notify, schedule autosave. No undo entry.
    void applySettings(const ProjectSettings &settings);
    /// Changes a page's words; its chosen master stays as it is.
    void applyMonth(const MonthEntry &entry);
    void applyMaster(int month, qint64 masterId);
    void applySpecialDates(const QList<SpecialDate> &dates);
    void applyHolidaysOff(const QSet<QString> &off);
    void applySelfies(const QList<SelfieRecord> &all);
    void applyUserCrops(const UserCrops &crops);

    /// Debounce delay of autosave (default 300 ms).
    void setAutosaveDelay(int ms);
    [[nodiscard]] bool hasUnsavedChanges() const
    {
        return m_settingsDirty || !m_dirtyMonths.isEmpty() || m_specialDatesDirty || m_holidaysOffDirty
            || m_selfiesDirty || m_userCropsDirty;
    }
    /// Writes pending edits now.
    Status flush();

    /**
     * Save As: writes a copy at `path` and continues on the copy, keeping the
     * undo history. The original file stays as it was at this moment.
     */
    Status saveAs(const QString &path);

Q_SIGNALS:
    void settingsChanged();
    /// A page's words changed.
    void monthChanged(int month);
    /// A page's chosen master changed (month(m).masterId).
    void masterChanged(int month);
    void specialDatesChanged();
    void holidaysChanged();
    void selfiesChanged();
    /// A hand-made crop was set, changed or reset (also by undo/redo).
    void cropsChanged();
    void saved();
    void saveFailed(const CalStudio::Error &error);
    void pathChanged(const QString &path);

private:
    Project(std::unique_ptr<ProjectStore> store, ProjectSettings settings, QList<MonthEntry> months,
            QList<SpecialDate> specialDates, QSet<QString> holidaysOff, QList<SelfieRecord> selfies);
    static Result<std::unique_ptr<Project>> fromStore(std::unique_ptr<ProjectStore> store);
    /// Pushes an undoable change of one settings field (validated first; no-op if unchanged).
    template<typename T>
    Status pushSetting(T ProjectSettings::*member, const T &value, int field, const QString &text);
    void scheduleSave();
    /// Whether `masterId` (0 allowed) may be the master of `month`.
    Status checkMaster(int month, qint64 masterId) const;

    std::unique_ptr<ProjectStore> m_store;
    ProjectSettings m_settings;
    QList<MonthEntry> m_months;
    QUndoStack m_undoStack;
    QTimer m_autosave;
    int m_autosaveDelay = 300;
    bool m_settingsDirty = false;
    QSet<int> m_dirtyMonths;
    QList<SpecialDate> m_specialDates;
    bool m_specialDatesDirty = false;
    QSet<QString> m_holidaysOff; ///< "REGION:holiday-id"
    bool m_holidaysOffDirty = false;
    QList<SelfieRecord> m_selfies; ///< including the ones deleted in this session
    bool m_selfiesDirty = false;
    bool m_lastSaveFailed = false;
    UserCrops m_userCrops;
    bool m_userCropsDirty = false;
};

} // namespace CalStudio
