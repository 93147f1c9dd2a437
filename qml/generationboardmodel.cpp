#include "qml/generationboardmodel.h"

#include "core/generation/costestimate.h"
#include "core/generation/generationsession.h"
#include "core/imaging/imagedecoder.h"
#include "core/imaging/imagelimits.h"
#include "core/project/project.h"
#include "core/project/projectstore.h"
#include "qml/qmllogging.h"
#include "qml/thumbnailimageprovider.h"

#include <QFutureWatcher>
#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

namespace CalStudio {

namespace {

QString cacheKey(qint64 key)
{
    return key < 0 ? QStringLiteral("m%1").arg(-key) : QStringLiteral("c%1").arg(key);
}

const QString Running = QStringLiteral("running");
const QString Queued = QStringLiteral("queued");

QString monthTitle(int month)
{
    return month == 0 ? GenerationBoardModel::tr("Cover") : QLocale().standaloneMonthName(month);
}

QString clock(qint64 ms)
{
    const qint64 s = ms / 1000;
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

/// What the user can do about a failure, from the error's kind (known for this session's attempts).
QString actionFor(const QueueJobInfo &job)
{
    if (job.state == QLatin1String("refused"))
        return QStringLiteral("reword");
    if (job.state == QLatin1String("lost") || job.state == QLatin1String("cancelled"))
        return QStringLiteral("regenerate");
    if (!job.errorKind)
        return QStringLiteral("retry");
    switch (*job.errorKind) {
    case GenerationError::Kind::InvalidKey:
    case GenerationError::Kind::Permission:
        return QStringLiteral("keys");
    case GenerationError::Kind::QuotaExhausted:
        return QStringLiteral("billing");
    case GenerationError::Kind::BadRequest:
    case GenerationError::Kind::SafetyRefusal:
        return QStringLiteral("reword");
    default:
        return QStringLiteral("retry");
    }
}

QString hintFor(const QString &action, const QString &provider)
{
    if (action == QLatin1String("keys"))
        return GenerationBoardModel::tr("Check your %1 key in Edit ▸ Image Services.").arg(provider);
    if (action == QLatin1String("billing"))
        return GenerationBoardModel::tr("Your %1 account has no quota or credit left. Top it up, or choose another "
                                        "service.").arg(provider);
    if (action == QLatin1String("reword"))
        return GenerationBoardModel::tr("The service refused this prompt. Reword it (Regenerate…) — a plainer "
                                        "description of the scene usually passes.");
    if (action == QLatin1String("regenerate"))
        return GenerationBoardModel::tr("Generate the month again if you want it.");
    if (action == QLatin1String("retry"))
        return GenerationBoardModel::tr("Try again in a while; the service did not answer.");
    return {};
}

} // namespace

GenerationBoardModel::GenerationBoardModel(QObject *parent)
    : QAbstractListModel(parent)
    , m_cache(std::make_shared<ThumbnailCache>())
{
    m_months.resize(MonthEntry::PageCount);
    m_pool.setMaxThreadCount(1); // thumbnails must not compete with master builds for both cores
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        for (int m = 0; m < MonthEntry::PageCount; ++m) {
            const QList<QueueJobInfo> jobs = jobsOf(m);
            if (std::any_of(jobs.begin(), jobs.end(), [](const QueueJobInfo &j) { return j.state != QLatin1String("done"); }))
                refreshMonth(m);
        }
        refreshSummary();
    });
}

GenerationBoardModel::~GenerationBoardModel()
{
    m_pool.clear();
    m_pool.waitForDone();
}

void GenerationBoardModel::setSession(GenerationSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    if (m_session)
        disconnect(&m_session->queue(), nullptr, this, nullptr);
    if (m_session)
        disconnect(&m_session->project(), nullptr, this, nullptr);
    m_session = session;
    ++m_generation;
    m_cache->clear();
    m_toRead.clear();
    m_decoding.clear();
    if (session) {
        connect(session, &GenerationSession::candidateStored, this, &GenerationBoardModel::onCandidateStored);
        connect(session, &GenerationSession::masterBuildStarted, this, [this](int month) {
            m_months[month].building = true;
            refreshMonth(month);
        });
        connect(session, &GenerationSession::masterReady, this, [this](int month) {
            m_months[month].building = m_session && m_session->isBuildingMaster(month);
            refreshMaster(month);
        });
        connect(&session->project(), &Project::masterChanged, this, &GenerationBoardModel::refreshMaster);
        connect(&session->project(), &Project::monthChanged, this, &GenerationBoardModel::refreshMonth);
        connect(&session->queue(), &GenerationQueue::jobChanged, this, [this](qint64 jobId) {
            for (const QueueJobInfo &j : m_session->queue().jobs()) {
                if (j.id == jobId)
                    refreshMonth(j.month);
            }
            refreshSummary();
        });
        connect(&session->queue(), &GenerationQueue::idle, this, &GenerationBoardModel::refreshSummary);
        connect(&session->queue(), &GenerationQueue::pausedBySpendCap, this, &GenerationBoardModel::refreshSummary);
    }
    reload();
}

void GenerationBoardModel::reload()
{
    beginResetModel();
    for (MonthState &state : m_months)
        state = MonthState{};
    if (m_session) {
        ProjectStore &store = m_session->project().store();
        for (int m = 0; m < MonthEntry::PageCount; ++m) {
            auto list = store.loadCandidates(m);
            if (!list) {
                qCWarning(lcQml) << "candidates of month" << m << "unreadable:" << list.error();
                continue;
            }
            for (const CandidateRecord &c : std::as_const(*list)) {
                if (c.status != QLatin1String("done") || c.blobId == 0)
                    continue;
                m_months[m].candidates.append(CandidateThumb{c.id, c.blobId, c.provider, QSize(c.width, c.height)});
                m_toRead.emplace_back(c.id, c.blobId);
            }
        }
    }
    endResetModel();
    for (int m = 0; m < MonthEntry::PageCount; ++m)
        refreshMaster(m);
    refreshSummary();
    if (!m_toRead.empty())
        QTimer::singleShot(0, this, &GenerationBoardModel::readNextThumbnail);
}

void GenerationBoardModel::readNextThumbnail()
{
    // Bytes are read and decoded on the model's worker (its own connection to the file): the UI never waits.
    if (!m_session)
        return;
    const QString path = m_session->project().path();
    while (!m_toRead.empty()) {
        const auto [key, blobId] = m_toRead.front();
        m_toRead.pop_front();
        if (m_cache->contains(cacheKey(key)) || m_decoding.contains(key))
            continue;
        m_decoding.insert(key);
        startThumbnail(key, [path, blobId] { return ProjectStore::readBlobAt(path, blobId); });
    }
}

void GenerationBoardModel::decodeThumbnail(qint64 key, const QByteArray &bytes)
{
    m_decoding.insert(key);
    startThumbnail(key, [bytes]() -> Result<QByteArray> { return bytes; });
}

void GenerationBoardModel::startThumbnail(qint64 key, std::function<Result<QByteArray>()> read)
{
    auto *watcher = new QFutureWatcher<QImage>(this);
    const int generation = m_generation;
    connect(watcher, &QFutureWatcher<QImage>::finished, this, [this, watcher, key, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        m_decoding.remove(key);
        m_cache->insert(cacheKey(key), watcher->result());
        for (int m = 0; m < MonthEntry::PageCount; ++m) {
            const MonthState &s = m_months.at(m);
            if (-key == s.masterId
                || std::any_of(s.candidates.begin(), s.candidates.end(), [key](const auto &c) { return c.id == key; }))
                refreshMonth(m);
        }
        Q_EMIT thumbnailReady();
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, [read = std::move(read)] {
        auto bytes = read();
        if (!bytes) {
            qCWarning(lcQml) << "thumbnail bytes unreadable:" << bytes.error();
            return QImage();
        }
        ImageLimits limits; // generated pictures and masters: any size is fine here, only a selfie needs 512 px
        limits.minShortEdge = 1;
        auto decoded = ImageDecoder::decode(*bytes, limits, ThumbnailEdge);
        if (!decoded)
            qCWarning(lcQml) << "thumbnail not decoded:" << decoded.error();
        return decoded ? decoded->image : QImage();
    }));
}

void GenerationBoardModel::onCandidateStored(int month, qint64 candidateId, const QByteArray &bytes)
{
    auto list = m_session->project().store().loadCandidates(month);
    if (list) {
        for (const CandidateRecord &c : std::as_const(*list)) {
            if (c.id == candidateId)
                m_months[month].candidates.append(CandidateThumb{c.id, c.blobId, c.provider, QSize(c.width, c.height)});
        }
    }
    decodeThumbnail(candidateId, bytes); // the bytes as received: no need to read them back
    refreshMonth(month);
    refreshSummary();
}

void GenerationBoardModel::refreshMaster(int month)
{
    MonthState &s = m_months[month];
    s.masterId = m_session ? m_session->project().month(month).masterId : 0;
    s.masterCandidateId = 0;
    s.masterSelfieId = 0;
    s.masterNative = {};
    if (s.masterId > 0) {
        auto info = m_session->project().store().masterInfo(s.masterId);
        if (info) {
            s.masterCandidateId = info->candidateId;
            s.masterSelfieId = info->selfieId;
            s.masterNative = QSize(info->nativeWidth, info->nativeHeight);
            // Own photos have no candidate thumbnail: make one from the master.
            if (info->candidateId == 0 && !m_cache->contains(cacheKey(-s.masterId)) && !m_decoding.contains(-s.masterId)) {
                m_toRead.emplace_back(-s.masterId, info->blobId);
                QTimer::singleShot(0, this, &GenerationBoardModel::readNextThumbnail);
            }
        }
    }
    refreshMonth(month);
}

QList<QueueJobInfo> GenerationBoardModel::jobsOf(int month) const
{
    QList<QueueJobInfo> list;
    if (!m_session)
        return list;
    for (const QueueJobInfo &j : m_session->queue().jobs()) {
        if (j.month == month)
            list.append(j);
    }
    return list;
}

void GenerationBoardModel::refreshMonth(int month)
{
    const QModelIndex i = index(month, 0);
    Q_EMIT dataChanged(i, i);
}

int GenerationBoardModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : MonthEntry::PageCount;
}

QVariant GenerationBoardModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() < 0 || index.row() >= MonthEntry::PageCount)
        return {};
    const int month = index.row();
    const MonthState &s = m_months.at(month);
    const QList<QueueJobInfo> jobs = jobsOf(month);

    // The month's state: anything running wins, then waiting, then the latest job's outcome.
    QString state = QStringLiteral("idle");
    const QueueJobInfo *latest = jobs.isEmpty() ? nullptr : &jobs.last();
    qint64 elapsed = 0;
    int running = 0;
    int waiting = 0;
    const QueueJobInfo *retrying = nullptr;
    for (const QueueJobInfo &j : jobs) {
        if (j.state == Running) {
            ++running;
            elapsed = qMax(elapsed, j.runningMs);
        } else if (j.state == Queued) {
            ++waiting;
            if (j.attempts > 0 && !j.lastError.isEmpty())
                retrying = &j;
        }
    }
    // A failure earlier in this run stays visible even when a later candidate succeeded.
    const QueueJobInfo *problem = nullptr;
    for (const QueueJobInfo &j : jobs) {
        if (j.state != QLatin1String("done") && j.state != Running && j.state != Queued)
            problem = &j;
    }
    if (running > 0)
        state = Running;
    else if (retrying)
        state = QStringLiteral("retrying");
    else if (waiting > 0)
        state = Queued;
    else if (problem)
        state = problem->state;
    else if (latest || !s.candidates.isEmpty())
        state = QStringLiteral("done");

    const QueueJobInfo *failure = state == Running || state == Queued ? nullptr : retrying ? retrying : problem;
    const QString action = failure && state != QLatin1String("retrying") ? actionFor(*failure) : QString();

    switch (role) {
    case MonthRole:
        return month;
    case TitleRole: {
        const QString scene = m_session ? m_session->project().month(month).title : QString();
        return scene.isEmpty() ? monthTitle(month) : QString(monthTitle(month) + QStringLiteral(" — ") + scene);
    }
    case StateRole:
        return state;
    case StateTextRole:
        if (state == Running)
            return running > 1 ? tr("Making %1 pictures… %2").arg(running).arg(clock(elapsed))
                               : tr("Making the picture… %1").arg(clock(elapsed));
        if (state == QLatin1String("retrying")) {
            const qint64 wait = qMax<qint64>(0, QDateTime::currentDateTimeUtc().secsTo(retrying->nextAttemptAt));
            return tr("Trying again in %1 s").arg(wait);
        }
        if (state == Queued)
            return waiting > 1 ? tr("%1 pictures waiting").arg(waiting) : tr("Waiting");
        if (state == QLatin1String("failed"))
            return tr("Failed");
        if (state == QLatin1String("refused"))
            return tr("Refused by the service");
        if (state == QLatin1String("lost"))
            return tr("Answer lost — may have been billed");
        if (state == QLatin1String("cancelled"))
            return tr("Cancelled");
        if (s.candidates.isEmpty())
            return tr("Not generated yet");
        return s.candidates.size() == 1 ? tr("1 picture") : tr("%1 pictures").arg(s.candidates.size());
    case ReasonRole:
        if (!failure)
            return QString();
        if (failure->providerReason.isEmpty())
            return failure->lastError;
        return QString(failure->lastError + QStringLiteral(" (") + failure->providerReason + QLatin1Char(')'));
    case HintRole:
        return failure ? hintFor(action, failure->provider) : QString();
    case ActionRole:
        return action;
    case ElapsedRole:
        return elapsed;
    case CandidatesRole: {
        QVariantList list;
        for (const CandidateThumb &c : s.candidates) {
            list.append(QVariantMap{
                {QStringLiteral("id"), c.id},
                {QStringLiteral("url"), urlOf(c.id)},
                {QStringLiteral("isMaster"), c.id == s.masterCandidateId},
                {QStringLiteral("native"), QStringLiteral("%1×%2").arg(c.native.width()).arg(c.native.height())},
                {QStringLiteral("provider"), c.provider},
            });
        }
        return list;
    }
    case MasterImageRole:
        if (s.masterCandidateId > 0)
            return urlOf(s.masterCandidateId);
        return s.masterId > 0 ? urlOf(-s.masterId) : QString();
    case MasterTextRole: {
        if (s.masterId == 0)
            return s.building ? tr("Making the master…") : QString();
        const QString native = s.masterNative.width() > 0 && s.masterNative.width() < 4096
            ? tr(" · native %1 px, enlarged").arg(s.masterNative.width())
            : QString();
        if (s.masterSelfieId > 0)
            return QString(tr("Your photo") + native);
        for (int i = 0; i < s.candidates.size(); ++i) {
            if (s.candidates.at(i).id == s.masterCandidateId)
                return QString(tr("Picture %1 of %2").arg(i + 1).arg(s.candidates.size()) + native);
        }
        return QString(tr("Chosen picture") + native);
    }
    case BuildingRole:
        return s.building;
    case MasterIsDraftRole: {
        const auto it = std::find_if(s.candidates.begin(), s.candidates.end(),
                                     [&s](const CandidateThumb &c) { return c.id == s.masterCandidateId; });
        return it != s.candidates.end() && it->provider == QLatin1String("offline");
    }
    default:
        return {};
    }
}

QString GenerationBoardModel::urlOf(qint64 key) const
{
    const QString k = cacheKey(key);
    if (!m_cache->contains(k))
        return {};
    return QStringLiteral("image://%1/%2").arg(QLatin1String(ProviderId), k);
}

QHash<int, QByteArray> GenerationBoardModel::roleNames() const
{
    return {
        {MonthRole, "month"},
        {TitleRole, "title"},
        {StateRole, "state"},
        {StateTextRole, "stateText"},
        {ReasonRole, "reason"},
        {HintRole, "hint"},
        {ActionRole, "action"},
        {ElapsedRole, "elapsedMs"},
        {CandidatesRole, "candidates"},
        {MasterImageRole, "masterImageUrl"},
        {MasterTextRole, "masterText"},
        {BuildingRole, "building"},
        {MasterIsDraftRole, "masterIsDraft"},
    };
}

void GenerationBoardModel::refreshSummary()
{
    const bool wasBusy = m_tick.isActive();
    if (busy() && !wasBusy)
        m_tick.start();
    else if (!busy() && wasBusy)
        m_tick.stop();
    m_spentText = m_session ? CostEstimate::formatUsd(m_session->spentUsd()) : QString();
    Q_EMIT summaryChanged();
}

bool GenerationBoardModel::busy() const
{
    if (!m_session)
        return false;
    const QList<QueueJobInfo> jobs = m_session->queue().jobs();
    return std::any_of(jobs.begin(), jobs.end(), [](const QueueJobInfo &j) {
        return j.state == QLatin1String("running") || j.state == QLatin1String("queued");
    });
}

qreal GenerationBoardModel::progress() const
{
    if (!m_session)
        return 0;
    const QList<QueueJobInfo> jobs = m_session->queue().jobs();
    if (jobs.isEmpty())
        return 0;
    const auto finished = std::count_if(jobs.begin(), jobs.end(), [](const QueueJobInfo &j) {
        return j.state != QLatin1String("running") && j.state != QLatin1String("queued");
    });
    return qreal(finished) / qreal(jobs.size());
}

QString GenerationBoardModel::progressText() const
{
    if (!m_session)
        return {};
    const QList<QueueJobInfo> jobs = m_session->queue().jobs();
    if (jobs.isEmpty())
        return tr("Nothing generated in this session yet");
    const auto done = std::count_if(jobs.begin(), jobs.end(), [](const QueueJobInfo &j) { return j.state == QLatin1String("done"); });
    const auto finished = std::count_if(jobs.begin(), jobs.end(), [](const QueueJobInfo &j) {
        return j.state != QLatin1String("running") && j.state != QLatin1String("queued");
    });
    QString text = jobs.size() == 1 ? tr("%1 of 1 picture made").arg(done)
                                    : tr("%1 of %2 pictures made").arg(done).arg(jobs.size());
    if (finished > done)
        text += tr(", %1 need attention").arg(finished - done);
    if (m_session->queue().isPaused() && busy())
        text += tr(" — paused");
    return text;
}

QString GenerationBoardModel::etaText() const
{
    if (!m_session || !busy())
        return {};
    const auto eta = m_session->queue().eta();
    if (!eta)
        return tr("Estimating time left…");
    const qint64 s = eta->count();
    return s < 60 ? tr("About %1 s left").arg(qMax<qint64>(s, 1)) : tr("About %1 min left").arg((s + 59) / 60);
}

void GenerationBoardModel::pick(qint64 candidateId)
{
    if (m_session)
        m_session->pickCandidate(candidateId);
}

void GenerationBoardModel::cancelMonth(int month)
{
    if (!m_session)
        return;
    for (const QueueJobInfo &j : jobsOf(month)) {
        if (j.state == Running || j.state == Queued)
            m_session->queue().cancel(j.id);
    }
}

} // namespace CalStudio
