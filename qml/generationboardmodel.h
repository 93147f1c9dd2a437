#pragma once

#include "core/common/result.h"
#include "qml/thumbnailimageprovider.h"

#include <QAbstractListModel>
#include <QHash>
#include <QImage>
#include <QPointer>
#include <QSet>
#include <QThreadPool>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <deque>
#include <functional>
#include <memory>

namespace CalStudio {

class GenerationSession;
struct QueueJobInfo;

/**
 * The Generate page's month grid: one row per page (cover, then January to
 * December) with its generation state, its candidates as thumbnails and
 * which one is the master; plus the run's overall progress, ETA and what was
 * spent.
 *
 * States (role `state`): "idle", "queued", "retrying", "running", "done",
 * "failed", "refused" (the provider's reason, and the hint to reword),
 * "lost" (the answer never arrived; the provider may have charged),
 * "cancelled". `action` names what the user can do about a failure:
 * "keys", "billing", "retry", "reword", "regenerate" or empty.
 *
 * Thumbnails are decoded off the UI thread: a new candidate's from the
 * bytes the session hands over, existing ones read from the project one per
 * event-loop turn. pick() and useOwnPhoto() go to the session, which makes
 * the change undoable.
 */
class GenerationBoardModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Made by the Generate page")
    Q_PROPERTY(qreal progress READ progress NOTIFY summaryChanged)
    Q_PROPERTY(QString progressText READ progressText NOTIFY summaryChanged)
    Q_PROPERTY(QString etaText READ etaText NOTIFY summaryChanged)
    Q_PROPERTY(QString spentText READ spentText NOTIFY summaryChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY summaryChanged)
public:
    enum Role {
        MonthRole = Qt::UserRole + 1,
        TitleRole,
        StateRole,
        StateTextRole,
        ReasonRole,
        HintRole,
        ActionRole,
        ElapsedRole,
        CandidatesRole, ///< list of {id, url (image://calstudio-thumbs/…, empty until decoded), isMaster, native ("1024×1024"), provider}
        MasterImageRole, ///< URL of the master's thumbnail (candidate's or own photo), empty until decoded
        MasterTextRole, ///< "AI picture 2 of 3 · native 1024 px (upscaled)" / "Your photo" / "No picture yet"
        BuildingRole, ///< a master is being made for this month
        MasterIsDraftRole, ///< the master is an offline draft (labelled "Offline draft — not AI" on screen)
    };
    Q_ENUM(Role)

    static constexpr int ThumbnailEdge = 320;
    /// The image provider id the page registers thumbnailCache() under.
    static constexpr auto ProviderId = "calstudio-thumbs";

    explicit GenerationBoardModel(QObject *parent = nullptr);
    ~GenerationBoardModel() override;

    /// Follows `session` (nullptr: empty board). The session outlives the model or is reset first.
    void setSession(GenerationSession *session);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] qreal progress() const;
    [[nodiscard]] QString progressText() const;
    [[nodiscard]] QString etaText() const;
    [[nodiscard]] QString spentText() const { return m_spentText; }
    [[nodiscard]] bool busy() const;

    /// Makes a candidate its month's master (undoable through the project).
    Q_INVOKABLE void pick(qint64 candidateId);
    Q_INVOKABLE void cancelMonth(int month);
    /// Thumbnails decoded so far (tests wait on this).
    [[nodiscard]] int thumbnailCount() const { return m_cache->size(); }
    /// What ThumbnailImageProvider serves; register it with the engine that shows the board.
    [[nodiscard]] std::shared_ptr<ThumbnailCache> thumbnailCache() const { return m_cache; }

Q_SIGNALS:
    void summaryChanged();
    // What the tiles ask for that needs a dialog (handled by the page).
    void regenerateRequested(int month);
    void ownPhotoRequested(int month);
    void actionRequested(int month, const QString &action);
    void thumbnailReady();

private:
    struct CandidateThumb {
        qint64 id = 0;
        qint64 blobId = 0;
        QString provider;
        QSize native;
    };
    struct MonthState {
        QList<CandidateThumb> candidates;
        qint64 masterId = 0;
        qint64 masterCandidateId = 0;
        qint64 masterSelfieId = 0;
        QSize masterNative;
        bool building = false;
    };
    void reload();
    void refreshMonth(int month);
    void refreshMaster(int month);
    void refreshSummary();
    void onCandidateStored(int month, qint64 candidateId, const QByteArray &bytes);
    void decodeThumbnail(qint64 key, const QByteArray &bytes);
    void startThumbnail(qint64 key, std::function<Result<QByteArray>()> read);
    void readNextThumbnail();
    [[nodiscard]] QList<QueueJobInfo> jobsOf(int month) const;

    QPointer<GenerationSession> m_session;
    QList<MonthState> m_months;
    /// A thumbnail's URL, or empty while it is not decoded. Keys: candidate id; -master id for own photos.
    [[nodiscard]] QString urlOf(qint64 key) const;
    std::shared_ptr<ThumbnailCache> m_cache;
    std::deque<std::pair<qint64, qint64>> m_toRead; ///< (thumbnail key, blob id) still to read from the project
    QSet<qint64> m_decoding;
    QThreadPool m_pool;
    QTimer m_tick; ///< refreshes elapsed times while something runs
    QString m_spentText;
    int m_generation = 0; ///< bumps on setSession, so late thumbnails of an old project are dropped
};

} // namespace CalStudio
