#pragma once

#include "core/common/error.h"
#include "core/imaging/imagelimits.h"
#include "core/project/selfierecord.h"

#include <QByteArray>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <atomic>
#include <memory>

class QThreadPool;

namespace CalStudio {

class Project;

/// One thing to import: a file, or bytes from the clipboard or a drop.
struct ImportItem {
    QString name; ///< shown in the report ("IMG_0042.HEIC", "Pasted image")
    QString path; ///< file to read; empty when `bytes` is given
    QByteArray bytes;
};

/// What happened to one ImportItem.
struct ImportOutcome {
    enum class Status { Imported, Duplicate, Failed, Cancelled };
    QString name;
    Status status = Status::Failed;
    Error error; ///< why it failed (Failed), or the "already in the project" note (Duplicate)
    QStringList warnings; ///< e.g. "low resolution", "no face found": imported but worth knowing
    qint64 selfieId = 0;
};

/**
 * Imports selfies into a project without blocking the UI thread.
 *
 * Reading, hashing, decoding, face detection, checks and the clean
 * re-encode (no EXIF/GPS) run on a private thread pool; only storing each
 * finished selfie (one short transaction) happens on the project's thread.
 * Each file gets its own outcome: a corrupt or oversized file fails alone and
 * the rest of the batch imports. Duplicates (same bytes as a selfie already
 * in the project, or earlier in the batch) are reported, not stored twice.
 * The whole batch is one undo step. cancel() stops files not yet started
 * and drops results not yet stored; nothing stored is lost.
 */
class SelfieImporter : public QObject {
    Q_OBJECT
public:
    explicit SelfieImporter(Project *project, QObject *parent = nullptr);
    ~SelfieImporter() override;

    void setLimits(const ImageLimits &limits) { m_limits = limits; }
    /// Starts importing; returns false (and does nothing) while a batch is running.
    bool start(const QList<ImportItem> &items);
    void cancel();
    /// Blocks (running the event loop) until the batch is finished. For the CLI and tests.
    void waitForFinished();

    [[nodiscard]] bool isRunning() const { return m_running; }
    [[nodiscard]] const QList<ImportOutcome> &outcomes() const { return m_outcomes; }
    [[nodiscard]] int total() const { return m_total; }
    [[nodiscard]] int done() const { return m_done; }

    /// Files a folder holds that look like images, for drops of folders.
    static QStringList imageFilesIn(const QString &folder);

Q_SIGNALS:
    void progressChanged(int done, int total, const QString &lastName);
    void itemFinished(const CalStudio::ImportOutcome &outcome);
    void finished();

private:
    struct Prepared;
    void store(const std::shared_ptr<Prepared> &prepared);
    void finishItem(const ImportOutcome &outcome);

    Project *m_project;
    ImageLimits m_limits;
    std::unique_ptr<QThreadPool> m_pool;
    std::shared_ptr<std::atomic_bool> m_cancelled;
    QSet<QString> m_knownSources;
    QList<ImportOutcome> m_outcomes;
    QList<SelfieRecord> m_imported;
    int m_total = 0;
    int m_done = 0;
    bool m_running = false;
};

} // namespace CalStudio
