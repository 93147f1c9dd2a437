#pragma once

#include "core/common/result.h"
#include "core/generation/costestimate.h"
#include "core/generation/generationplanner.h"
#include "core/generation/generationqueue.h"
#include "core/generation/httpproviderconfig.h"
#include "core/generation/ledgerentry.h"
#include "core/project/masterinfo.h"

#include <QFutureWatcher>
#include <QHash>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>

namespace CalStudio {

class Project;
struct MasterImage;

/**
 * Image generation for one open project: what the Generate page and
 * `calstudio-cli generate` both drive.
 *
 * It owns the durable GenerationQueue and the GenerationPlanner, creates
 * providers through ProviderCatalog with the connection settings a
 * ConfigLookup gives (keys from the keychain in the studio, from the
 * environment in the CLI), applies the project's spend cap, and keeps the
 * heavy work **off the UI thread**: answers are hashed and written to the
 * project file by a worker (ProjectStore::writeBlobAt; a 25 MB picture with
 * its fsync takes a few hundred ms), and candidates become 4096² masters
 * there too (a Lanczos upscale and a 4096² PNG encode take seconds); the UI
 * thread only records the small rows. A month's first finished
 * candidate becomes its master automatically; pickCandidate() and
 * useOwnPhoto() are the user's choices and are undoable on the project's
 * stack. A master already built for a candidate is reused, so undo/redo and
 * switching back and forth never rebuild.
 */
class GenerationSession : public QObject {
    Q_OBJECT
public:
    /// Connection settings for a provider id (base URL and key); the key is never logged.
    using ConfigLookup = std::function<HttpProviderConfig(const QString &provider)>;

    struct RunOptions {
        QList<int> months; ///< 0 = cover, 1–12
        int candidates = 2; ///< 1–4 per month
        QString provider = QStringLiteral("offline");
        QString model; ///< empty: the provider's default
        int side = 4096; ///< requested square side
        std::optional<qint64> baseSeed; ///< default: a new seed per run, so a regenerated month differs
    };

    GenerationSession(Project &project, QString referenceCacheDir, QObject *parent = nullptr);
    ~GenerationSession() override;

    void setConfigLookup(ConfigLookup lookup) { m_configLookup = std::move(lookup); }
    /// Masters are this many pixels square (tests use less to stay fast).
    void setMasterSide(int side) { m_masterSide = side; }
    [[nodiscard]] GenerationQueue &queue() { return *m_queue; }
    [[nodiscard]] GenerationPlanner &planner() { return m_planner; }
    [[nodiscard]] Project &project() { return m_project; }

    /// The price of a run before it starts.
    static CostEstimate estimate(const RunOptions &options);

    /**
     * Queues `options.candidates` requests per month and starts (or keeps)
     * the queue running. Pending prompt edits are saved first, so the
     * prompt sent is the one on screen. Returns the new job ids.
     */
    Result<QList<qint64>> generate(const RunOptions &options);
    /// Starts the queue on what an earlier run left (after a crash or quit). Idempotent.
    Status resume();

    /// Makes a candidate its month's master (undoable). Builds the master first if needed, off this thread.
    void pickCandidate(qint64 candidateId);
    /// Uses one of the user's own selfies as a month's master (undoable), cropped around the face.
    void useOwnPhoto(int month, qint64 selfieId);
    /// Whether a master for `month` is being built right now.
    [[nodiscard]] bool isBuildingMaster(int month) const;
    /// Blocks until every picture and master on its way to the file is stored (the CLI before it exits; tests).
    void waitForMasters();

    /// What the project's candidates cost so far (estimates), in USD.
    [[nodiscard]] double spentUsd() const;
    /// Every image paid for (or perhaps paid for: answers lost in a crash), oldest first.
    [[nodiscard]] Result<QList<LedgerEntry>> ledger() const;

Q_SIGNALS:
    /// A candidate was stored. `bytes` are the image as received (for thumbnails; no need to read it back).
    void candidateStored(int month, qint64 candidateId, const QByteArray &bytes);
    void masterBuildStarted(int month);
    /// The month's master changed (automatically or by the user's choice).
    void masterReady(int month, qint64 masterId);
    void errorOccurred(const CalStudio::Error &error);

private:
    struct Pending;
    void runOffThread(int masterMonth, std::function<void()> work, std::function<void()> then);
    void finish(const std::shared_ptr<Pending> &pending);
    void onImage(const GenerationRequest &request, const GeneratedImage &image, std::function<void(const Status &)> done);
    /// Makes (off this thread) and stores a master for `month` from `source`; `make` runs on a worker.
    void startBuild(int month, const MasterSource &source, bool userChoice, const QString &undoText,
                    std::function<Result<MasterImage>()> make);
    void applyMaster(int month, qint64 masterId, bool userChoice, const QString &undoText);
    void applySpendCap();

    Project &m_project;
    GenerationPlanner m_planner;
    std::unique_ptr<GenerationQueue> m_queue;
    ConfigLookup m_configLookup;
    int m_masterSide = 4096;
    QList<std::shared_ptr<Pending>> m_pending;
    bool m_started = false;
};

} // namespace CalStudio
