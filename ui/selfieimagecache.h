#pragma once

#include "core/imaging/selfieanalysis.h"
#include "core/project/selfierecord.h"

#include <QCache>
#include <QHash>
#include <QImage>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <memory>
#include <optional>

class QThreadPool;
class QTimer;

namespace CalStudio {

class Project;

/**
 * Pictures and checks of the project's selfies for the Selfies page, made
 * off the UI thread.
 *
 * Thumbnails and the large view are decoded from the stored clean JPEG with
 * QImageReader's scaled decoding on a private thread pool and kept in memory
 * (thumbnails for every selfie, the large view for the last few). When the
 * user picked another face than the one the import chose, the checks are run
 * again with that face (SelfieAnalyzer::analyze) and kept too; the project
 * stores only the choice.
 *
 * A getter returns what is ready (a null image, or the stored analysis) and
 * queues the work; the matching …Ready signal follows. Blobs are read on the
 * project's thread (SQLite connections are per thread), one per event-loop
 * turn, so the UI never waits for more than one read.
 */
class SelfieImageCache : public QObject {
    Q_OBJECT
public:
    /// Thumbnails are decoded with this short edge (two device pixels per grid pixel).
    static constexpr int ThumbnailEdge = 300;
    /// The large view and re-analysis use this long edge, the size the importer analyses at.
    static constexpr int LargeEdge = 1536;

    explicit SelfieImageCache(QObject *parent = nullptr);
    ~SelfieImageCache() override;

    /// Reads from `project`; drops everything cached for the previous one.
    void setProject(Project *project);
    /// Drops every picture and analysis (after "Forget selfies").
    void clear();

    /// The thumbnail, or a null image while it is decoded (thumbnailReady follows) or when it cannot be.
    QImage thumbnail(const SelfieRecord &record);
    /// The large picture (long edge ≤ LargeEdge), or a null image while decoding (largeReady follows).
    QImage large(const SelfieRecord &record);
    /// Whether decoding the picture of `record` failed for good.
    [[nodiscard]] bool failed(const SelfieRecord &record) const;

    /// The analysis stored at import, or nullopt when it cannot be read.
    std::optional<SelfieAnalysis> storedAnalysis(const SelfieRecord &record);
    /**
     * The checks for the face the user chose (record.mainFace). Equals the
     * stored analysis when that face is the import's choice; otherwise
     * computed off the thread: until analysisReady(id) it is the stored one.
     */
    std::optional<SelfieAnalysis> analysis(const SelfieRecord &record);
    /// Whether analysis(record) is still being computed.
    [[nodiscard]] bool isAnalysing(const SelfieRecord &record) const;

Q_SIGNALS:
    void thumbnailReady(qint64 selfieId);
    void largeReady(qint64 selfieId);
    void analysisReady(qint64 selfieId);

private:
    enum class Kind { Thumbnail, Large, Analysis };
    struct Request {
        Kind kind;
        SelfieRecord record;
    };
    void enqueue(Kind kind, const SelfieRecord &record);
    void runNext();
    void deliver(quint64 generation, Kind kind, const SelfieRecord &record, const QImage &image,
        const std::optional<SelfieAnalysis> &analysis);
    [[nodiscard]] static quint64 analysisKey(const SelfieRecord &record);

    QPointer<Project> m_project;
    std::unique_ptr<QThreadPool> m_pool;
    QTimer *m_pump;
    QList<Request> m_queue;
    QSet<QString> m_pending; ///< "kind:key" of queued or running work
    quint64 m_generation = 0; ///< bumped by clear(); results of older work are dropped

    QHash<qint64, QImage> m_thumbnails; ///< by blob id
    QCache<qint64, QImage> m_large; ///< by blob id, cost in KiB
    QSet<qint64> m_failedBlobs;
    QHash<qint64, std::optional<SelfieAnalysis>> m_stored; ///< by selfie id
    QHash<quint64, SelfieAnalysis> m_chosen; ///< by analysisKey()
};

} // namespace CalStudio
