#pragma once

#include "core/calendar/specialdate.h"
#include "core/common/result.h"
#include "core/project/candidaterecord.h"
#include "core/project/masterinfo.h"
#include "core/project/monthentry.h"
#include "core/project/projectsettings.h"
#include "core/project/selfierecord.h"
#include "core/project/usercrops.h"

#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QSize>
#include <QSqlDatabase>

#include <memory>
#include <optional>

class QLockFile;
class QMutex;

namespace CalStudio {

/// Counts of what a project holds, for summaries (reads no image bytes).
struct ProjectCounts {
    int selfies = 0;
    int candidates = 0;
    int masters = 0; ///< months that have a chosen master
};

/**
 * One open `*.calstudio` project file: a SQLite database in WAL mode.
 *
 * The store is the only code that talks SQL to a project. It is bound to the
 * thread that opened it. In ReadWrite mode it holds a lock file beside the
 * project (`.<name>.lock`) so a second instance gets a clear "in use"
 * message instead of a second writer; ReadOnly mode takes no lock, writes
 * nothing, and may run alongside a studio that has the file open.
 *
 * Image bytes live in their own table and are read only by readBlob(), so
 * opening a project with gigabytes of masters reads a few pages.
 */
class ProjectStore {
public:
    enum class Access { ReadWrite, ReadOnly };

    /// Creates a new project at `path` (which must not exist) and opens it.
    static Result<std::unique_ptr<ProjectStore>> create(const QString &path, const ProjectSettings &settings);

    /**
     * Opens an existing project. Everything that can be checked is checked
     * before anything is written: not a project, truncated, written by a newer
     * version, read-only, or in use by another instance all return an Error and
     * leave the file untouched. Older schemas are upgraded (ReadWrite only).
     */
    static Result<std::unique_ptr<ProjectStore>> open(const QString &path, Access access = Access::ReadWrite);

    ~ProjectStore();
    ProjectStore(const ProjectStore &) = delete;
    ProjectStore &operator=(const ProjectStore &) = delete;

    [[nodiscard]] QString path() const { return m_path; }
    [[nodiscard]] Access access() const { return m_access; }
    [[nodiscard]] int schemaVersion() const { return m_schemaVersion; }
    /// The connection, for code in core that needs it on this thread.
    [[nodiscard]] QSqlDatabase database() const { return m_db; }

    [[nodiscard]] Result<ProjectSettings> loadSettings() const;
    Status saveSettings(const ProjectSettings &settings);

    /// All thirteen pages, cover first.
    [[nodiscard]] Result<QList<MonthEntry>> loadMonths() const;
    /// Saves several pages in one transaction.
    Status saveMonths(const QList<MonthEntry> &months);

    /// Birthdays, anniversaries and the user's own days, by day of the year.
    [[nodiscard]] Result<QList<SpecialDate>> loadSpecialDates() const;
    /// The crops set by hand (the `crop` table's "user" rows).
    [[nodiscard]] Result<UserCrops> loadUserCrops() const;
    /// Replaces every hand-set crop in one transaction.
    Status replaceUserCrops(const UserCrops &crops);
    /// Replaces all personal dates in one transaction (the lists are small).
    Status replaceSpecialDates(const QList<SpecialDate> &dates);

    /// Public holidays the user switched off, as "REGION:holiday-id".
    [[nodiscard]] Result<QSet<QString>> loadHolidaysOff() const;
    Status replaceHolidaysOff(const QSet<QString> &off);

    /// Selfies in their order; soft-deleted ones only with `includeDeleted`.
    [[nodiscard]] Result<QList<SelfieRecord>> loadSelfies(bool includeDeleted = false) const;
    /// The live selfie imported from a file with this hash, or 0.
    [[nodiscard]] Result<qint64> findSelfieBySource(const QString &sourceSha256) const;
    /// Stores the clean copy and its record in one transaction; fills id, blobId and position.
    Status addSelfie(SelfieRecord &record, const QByteArray &cleanBytes);
    /// Saves order, choices and the deleted flag of these selfies in one transaction.
    Status saveSelfieStates(const QList<SelfieRecord> &records);
    /// Removes soft-deleted selfies and image bytes nothing refers to any more.
    Status purgeDeletedSelfies();
    /**
     * Removes every selfie and its bytes for good: rows deleted with
     * secure_delete on (freed pages are zeroed), the WAL checkpointed and
     * truncated, and the file vacuumed, so the photos cannot be recovered
     * from the project file.
     */
    Status forgetAllSelfies();

    [[nodiscard]] Result<ProjectCounts> counts() const;
    /// The chosen master of every month that has one, cover first (not the ones kept only for undo).
    [[nodiscard]] Result<QList<MasterInfo>> masters() const;

    /// Stores image bytes once per content hash and returns the blob id.
    Result<qint64> putBlob(const QByteArray &bytes);
    [[nodiscard]] Result<QByteArray> readBlob(qint64 id) const;

    /**
     * Writes a consistent copy of the whole project to `path` (VACUUM INTO a
     * temporary file, then an atomic rename). The copy is compact and carries
     * no WAL; an existing file at `path` is replaced only if no instance has it
     * open. This store stays on its own file.
     */
    Status copyTo(const QString &path) const;

    /// Runs `PRAGMA integrity_check` and returns its first line ("ok" when healthy).
    [[nodiscard]] Result<QString> integrityCheck() const;

    /// The lock file path used for a project path.
    static QString lockFilePath(const QString &projectPath);

    /// Stores a candidate and its bytes (none for a failed one) in one transaction; fills id, blobId and createdAt.
    Status addCandidate(CandidateRecord &record, const QByteArray &bytes);

    /**
     * Pictures into and out of the project file **from another thread**.
     * SQLite connections belong to the thread that opened them, so each call
     * opens its own short-lived connection to `projectPath` (same settings as
     * the owner's: WAL, synchronous=FULL, secure_delete, foreign keys). Hashing,
     * writing and the fsync of a 25 MB picture (a few hundred ms) thus never
     * run on the UI thread, and bytes and row go in one transaction, so the
     * owner's thread writes nothing for them. Thread-safe; the project must be
     * open in this process (the owner holds its lock and did the checks).
     */
    static Result<QByteArray> readBlobAt(const QString &projectPath, qint64 blobId);
    /**
     * Held by the worker writes above for their whole transaction (a 25 MB
     * picture holds SQLite's write lock for a few hundred ms). Code on the
     * owner's thread that can wait — autosave, the generation queue's job
     * updates — tries it first and postpones its small write while it is
     * taken, instead of blocking the UI on SQLite's lock. One per file.
     */
    static QMutex &writeGate(const QString &projectPath);
    /// addCandidate() from another thread (see readBlobAt()).
    static Status addCandidateAt(const QString &projectPath, CandidateRecord &record, const QByteArray &bytes);
    /// addMaster() from another thread (see readBlobAt()).
    static Result<qint64> addMasterAt(const QString &projectPath, int month, const MasterSource &source,
                                      const QByteArray &png, QSize size, QSize nativeSize);
    /// The candidates of `month`, oldest first, without image bytes.
    [[nodiscard]] Result<QList<CandidateRecord>> loadCandidates(int month) const;
    // Masters. A month may have several master rows (one per candidate or
    // photo one was built from, so choosing again or undoing needs no
    // rebuild of a 4096² PNG); `month.master_id` says which one is chosen.
    // Rows no month points to are removed by purgeUnusedMasters() when the
    // project closes. In the studio, Project owns `month.master_id` (it saves
    // it from memory): use addMaster() here and Project::setMaster() or
    // Project::assignMaster() there, never pointMonthAtMaster() or setMaster().

    /**
     * Stores `png` (deduplicated by hash, like all image bytes) and a master
     * row for `month` made from `source`, in one transaction. Does not make it
     * the month's master. `size` is the stored image's, `nativeSize` what it
     * was made from before scaling. Errors: "invalid_month", "empty",
     * "bad_size", "invalid_source" (both ids set, or a candidate of another
     * month), "not_found" (no such candidate or selfie).
     */
    Result<qint64> addMaster(int month, const MasterSource &source, const QByteArray &png, QSize size,
                             QSize nativeSize);
    /**
     * The newest master of `month` made from `source`, 0 if none (build it
     * then; otherwise reuse it). An empty source never matches.
     */
    [[nodiscard]] Result<qint64> findMaster(int month, const MasterSource &source) const;
    /// Any master row, chosen or not; error "not_found" for an unknown id.
    [[nodiscard]] Result<MasterInfo> masterInfo(qint64 masterId) const;
    /// The PNG bytes of any master row; error "not_found" for an unknown id.
    [[nodiscard]] Result<QByteArray> readMasterById(qint64 masterId) const;
    /**
     * The faces found on master `masterId` as stored by setMasterFaces()
     * (MasterFaces::toJson(), in the master's pixels), or nothing when they
     * were not detected yet — or the stored text is damaged (logged; detect
     * again then). Error "not_found" for an unknown id.
     */
    [[nodiscard]] Result<std::optional<QJsonObject>> masterFaces(qint64 masterId) const;
    /**
     * Stores the faces found on master `masterId` (MasterFaces::toJson()) in
     * one small write. An empty object forgets them, so they are detected
     * again. Error "not_found" for an unknown id.
     */
    Status setMasterFaces(qint64 masterId, const QJsonObject &json);
    /**
     * Makes `masterId` the chosen master of `month` (0: none) — for headless
     * use (the CLI) without a Project. Errors "invalid_month", "not_found"
     * for an unknown id, "wrong_month" for a master of another month.
     */
    Status pointMonthAtMaster(int month, qint64 masterId);
    /**
     * Deletes master rows no month points to, and image bytes nothing refers
     * to any more. Project calls it when it closes (and opens); never call it
     * while a Project has the file open — its undo stack may choose those
     * rows again.
     */
    Status purgeUnusedMasters();
    /**
     * Makes `masterBytes` (from candidate `candidateId`, 0 for the user's own
     * photo) the master of `month` in one transaction: addMaster() and
     * pointMonthAtMaster(). The month's previous master row stays (purged
     * when unused). Returns the new master id. Headless use only (see above).
     */
    Result<qint64> setMaster(int month, qint64 candidateId, const QByteArray &masterBytes, int width, int height,
                             int nativeWidth, int nativeHeight);
    /// The chosen master image of `month` (PNG bytes); error "not_found" when the month has none.
    [[nodiscard]] Result<QByteArray> readMaster(int month) const;

    /**
     * The project's spend cap in USD (0 = none), stored with the settings
     * (ProjectSettings::spendCapUsd). setSpendCap() writes only that field,
     * for headless use; in the studio use Project::setSpendCap(). Error
     * "invalid_spend_cap" outside 0–10000.
     */
    Status setSpendCap(double usd);
    [[nodiscard]] Result<double> spendCap() const;

private:
    ProjectStore() = default;
    /// Stores bytes once per hash inside the caller's transaction.
    Result<qint64> insertBlob(const QByteArray &bytes);
    /// addMaster() inside the caller's transaction.
    Result<qint64> insertMaster(int month, const MasterSource &source, const QByteArray &png, QSize size,
                                QSize nativeSize);
    Status pointMonth(int month, qint64 masterId);
    /// A connection for another thread to a file the owner has open (no lock, no checks).
    static Result<std::unique_ptr<ProjectStore>> workerConnection(const QString &projectPath);
    /// The candidate row inside the caller's transaction; fills id, blobId and createdAt.
    Status insertCandidateRow(CandidateRecord &record, qint64 blobId);
    static Result<std::unique_ptr<ProjectStore>> openChecked(const QString &path, Access access,
                                                             std::unique_ptr<QLockFile> lock);

    QString m_path;
    QString m_connectionName;
    QSqlDatabase m_db;
    Access m_access = Access::ReadWrite;
    int m_schemaVersion = 0;
    std::unique_ptr<QLockFile> m_lock;
};

} // namespace CalStudio
