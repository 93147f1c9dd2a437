#include "core/generation/generationsession.h"

#include "core/generation/generationlogging.h"
#include "core/generation/httppricetable.h"
#include "core/generation/masterbuilder.h"
#include "core/generation/providercatalog.h"
#include "core/imaging/selfieanalysis.h"
#include "core/project/jobstore.h"
#include "core/project/project.h"
#include "core/project/projectstore.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QtConcurrent/QtConcurrentRun>

namespace CalStudio {

/// Work on a worker thread, then a continuation on the session's thread.
struct GenerationSession::Pending {
    int masterMonth = -1; ///< the month a master is being made for, -1 for other work
    std::function<void()> then;
    QFutureWatcher<void> watcher;
    bool handled = false;
};

GenerationSession::GenerationSession(Project &project, QString referenceCacheDir, QObject *parent)
    : QObject(parent)
    , m_project(project)
    , m_planner(project.store(), std::move(referenceCacheDir))
{
    m_configLookup = [](const QString &provider) {
        HttpProviderConfig config;
        if (const auto info = ProviderCatalog::find(provider))
            config.baseUrl = info->defaultBaseUrl;
        return config;
    };
    m_queue = std::make_unique<GenerationQueue>(
        project.store(),
        [this](const QString &provider) { return ProviderCatalog::create(provider, m_configLookup(provider)); },
        // Not used: the asynchronous sink below stores off this thread.
        [this](const GenerationRequest &request, const GeneratedImage &image) -> Status {
            auto stored = m_planner.storeCandidate(request, image);
            return stored ? Status::success() : Status(stored.error());
        });
    m_queue->setAsyncSink([this](const GenerationRequest &request, const GeneratedImage &image,
                                 std::function<void(const Status &)> done) { onImage(request, image, std::move(done)); });
    m_queue->setPreparer([this](GenerationRequest &request) { m_planner.prepare(request); });
    connect(&m_project, &Project::settingsChanged, this, &GenerationSession::applySpendCap);
}

GenerationSession::~GenerationSession()
{
    // A master being built is the result of money spent: store it before the project closes.
    waitForMasters();
}

CostEstimate GenerationSession::estimate(const RunOptions &options)
{
    CostEstimate estimate;
    estimate.months = int(options.months.size());
    estimate.candidates = options.candidates;
    estimate.includesCover = options.months.contains(0);
    if (options.provider == QLatin1String("offline")) {
        estimate.free = true;
        return estimate;
    }
    const auto info = ProviderCatalog::find(options.provider);
    const QString model = options.model.isEmpty() && info ? info->defaultModel : options.model;
    const QSize native = ProviderCatalog::expectedNativeSize(options.provider, model, QSize(options.side, options.side));
    estimate.perImageUsd = HttpPriceTable::estimateUsd(options.provider, model, native);
    estimate.priceKnown = estimate.perImageUsd > 0;
    return estimate;
}

Result<QList<qint64>> GenerationSession::generate(const RunOptions &options)
{
    if (options.months.isEmpty())
        return Error{QStringLiteral("invalid"), tr("Choose at least one month to generate."), {}};
    if (options.candidates < 1 || options.candidates > 4)
        return Error{QStringLiteral("invalid"), tr("Choose between 1 and 4 candidates per month."), {}};
    const auto info = ProviderCatalog::find(options.provider);
    if (!info)
        return Error{QStringLiteral("invalid"), tr("“%1” is not an image service Calendar Studio knows.")
                                                    .arg(options.provider), {}};
    // The planner reads prompts from the file: what is on screen must be there first.
    if (auto st = m_project.flush(); !st)
        return st.error();
    const qint64 seed = options.baseSeed.value_or(QDateTime::currentSecsSinceEpoch() % 1000000);
    auto requests = m_planner.requests(options.months, options.candidates, options.provider,
                                       options.model.isEmpty() ? info->defaultModel : options.model,
                                       QSize(options.side, options.side), seed);
    if (!requests)
        return requests.error();
    // An image service needs words to work from; the offline draft does not.
    if (options.provider != QLatin1String("offline")) {
        for (const GenerationRequest &request : std::as_const(*requests)) {
            if (request.promptSent.trimmed().isEmpty())
                return Error{QStringLiteral("no_prompt"),
                             tr("%1 has no prompt yet. Write one on the Prompts page (or apply a theme) first.")
                                 .arg(request.month == 0 ? tr("The cover") : QLocale().standaloneMonthName(request.month)),
                             {}};
        }
    }
    QList<qint64> ids;
    for (const GenerationRequest &request : std::as_const(*requests)) {
        auto id = m_queue->enqueue(request);
        if (!id)
            return id.error();
        ids.append(*id);
    }
    if (auto st = resume(); !st)
        return st.error();
    return ids;
}

Status GenerationSession::resume()
{
    applySpendCap();
    if (m_queue->isPaused())
        m_queue->resume();
    if (m_started)
        return Status::success();
    if (auto st = m_queue->start(); !st)
        return st;
    m_started = true;
    return Status::success();
}

void GenerationSession::applySpendCap()
{
    m_queue->setSpent(spentUsd());
    m_queue->setSpendCap(m_project.settings().spendCapUsd);
}

void GenerationSession::runOffThread(int masterMonth, std::function<void()> work, std::function<void()> then)
{
    auto pending = std::make_shared<Pending>();
    pending->masterMonth = masterMonth;
    pending->then = std::move(then);
    m_pending.append(pending);
    connect(&pending->watcher, &QFutureWatcher<void>::finished, this, [this, pending] { finish(pending); });
    pending->watcher.setFuture(QtConcurrent::run(std::move(work)));
}

void GenerationSession::finish(const std::shared_ptr<Pending> &pending)
{
    if (pending->handled)
        return;
    pending->handled = true;
    m_pending.removeAll(pending);
    pending->then();
}

void GenerationSession::onImage(const GenerationRequest &request, const GeneratedImage &image,
                                std::function<void(const Status &)> done)
{
    // Bytes and row are written by a worker on its own connection: this thread writes nothing.
    auto stored = std::make_shared<std::optional<Status>>();
    auto record = std::make_shared<CandidateRecord>(GenerationPlanner::candidateFor(request, image));
    runOffThread(
        -1,
        [path = m_project.path(), bytes = image.bytes, record, stored] {
            *stored = ProjectStore::addCandidateAt(path, *record, bytes);
        },
        [this, image, record, stored, done = std::move(done)] {
            if (!**stored) {
                done(**stored);
                return;
            }
            Q_EMIT candidateStored(record->month, record->id, image.bytes);
            // The month's first picture becomes its master, unless one is already there or on its way.
            if (m_project.month(record->month).masterId == 0 && !isBuildingMaster(record->month)) {
                const int side = m_masterSide;
                startBuild(record->month, MasterSource{record->id, 0}, false, {},
                           [bytes = image.bytes, side] { return MasterBuilder::build(bytes, side); });
            }
            done(Status::success());
        });
}

void GenerationSession::pickCandidate(qint64 candidateId)
{
    // Find the candidate (and its month) without reading pixels.
    std::optional<CandidateRecord> candidate;
    for (int month = 0; month < MonthEntry::PageCount && !candidate; ++month) {
        auto list = m_project.store().loadCandidates(month);
        if (!list) {
            Q_EMIT errorOccurred(list.error());
            return;
        }
        for (const CandidateRecord &c : std::as_const(*list)) {
            if (c.id == candidateId)
                candidate = c;
        }
    }
    if (!candidate || candidate->blobId == 0) {
        Q_EMIT errorOccurred(Error{QStringLiteral("not_found"), tr("That picture is no longer in the project."), {}});
        return;
    }
    const QString undoText = tr("Use Picture for %1")
                                 .arg(candidate->month == 0 ? tr("Cover") : QLocale().standaloneMonthName(candidate->month));
    auto existing = m_project.store().findMaster(candidate->month, MasterSource{candidate->id, 0});
    if (existing && *existing > 0) {
        applyMaster(candidate->month, *existing, true, undoText);
        return;
    }
    const int side = m_masterSide;
    startBuild(candidate->month, MasterSource{candidate->id, 0}, true, undoText,
               [path = m_project.path(), blobId = candidate->blobId, side]() -> Result<MasterImage> {
                   auto bytes = ProjectStore::readBlobAt(path, blobId);
                   if (!bytes)
                       return bytes.error();
                   return MasterBuilder::build(*bytes, side);
               });
}

void GenerationSession::useOwnPhoto(int month, qint64 selfieId)
{
    const QString undoText
        = tr("Use Own Photo for %1").arg(month == 0 ? tr("Cover") : QLocale().standaloneMonthName(month));
    auto existing = m_project.store().findMaster(month, MasterSource{0, selfieId});
    if (existing && *existing > 0) {
        applyMaster(month, *existing, true, undoText);
        return;
    }
    std::optional<SelfieRecord> selfie;
    for (const SelfieRecord &r : m_project.selfies()) {
        if (r.id == selfieId)
            selfie = r;
    }
    if (!selfie) {
        Q_EMIT errorOccurred(Error{QStringLiteral("not_found"), tr("That photo is no longer in the project."), {}});
        return;
    }
    // The face as analysed at import, in the stored (upright) image's pixels.
    QRect face;
    if (auto analysis = SelfieAnalysis::fromJson(QJsonDocument::fromJson(selfie->analysisJson).object())) {
        SelfieAnalysis a = *analysis;
        if (selfie->mainFace >= 0 && selfie->mainFace < a.faces.size())
            a.mainFace = selfie->mainFace;
        if (const auto *f = a.face(); f && a.imageSize.width() > 0 && a.imageSize.height() > 0) {
            const double sx = double(selfie->width) / a.imageSize.width();
            const double sy = double(selfie->height) / a.imageSize.height();
            face = QRectF(f->box.x() * sx, f->box.y() * sy, f->box.width() * sx, f->box.height() * sy).toAlignedRect();
        }
    }
    const int side = m_masterSide;
    startBuild(month, MasterSource{0, selfieId}, true, undoText,
               [path = m_project.path(), blobId = selfie->blobId, face, side]() -> Result<MasterImage> {
                   auto bytes = ProjectStore::readBlobAt(path, blobId);
                   if (!bytes)
                       return bytes.error();
                   return MasterBuilder::buildFromPhoto(*bytes, face, side);
               });
}

void GenerationSession::startBuild(int month, const MasterSource &source, bool userChoice, const QString &undoText,
                                   std::function<Result<MasterImage>()> make)
{
    struct Made {
        std::optional<Result<MasterImage>> image;
        std::optional<Result<qint64>> id;
    };
    auto made = std::make_shared<Made>();
    runOffThread(
        month,
        [path = m_project.path(), month, source, make = std::move(make), made] {
            made->image = make();
            if (*made->image) {
                const MasterImage &image = **made->image;
                made->id = ProjectStore::addMasterAt(path, month, source, image.png, image.size, image.nativeSize);
                (*made->image)->png.clear(); // stored: free the 30 MB now
            }
        },
        [this, month, userChoice, undoText, made] {
            const Result<MasterImage> &image = *made->image;
            const auto fail = [this, month](const Error &error) {
                qCWarning(lcGeneration) << "master for month" << month << "not made:" << error;
                Q_EMIT errorOccurred(error);
                Q_EMIT masterReady(month, m_project.month(month).masterId);
            };
            if (!image)
                return fail(image.error());
            if (!*made->id)
                return fail(made->id->error());
            applyMaster(month, **made->id, userChoice, undoText);
        });
    Q_EMIT masterBuildStarted(month);
}

void GenerationSession::applyMaster(int month, qint64 masterId, bool userChoice, const QString &undoText)
{
    if (userChoice) {
        if (auto st = m_project.setMaster(month, masterId, undoText); !st)
            Q_EMIT errorOccurred(st.error());
    } else if (m_project.month(month).masterId == 0) {
        // Automatic: only a month that still has nothing (the user may have chosen meanwhile).
        m_project.assignMaster(month, masterId);
    }
    Q_EMIT masterReady(month, m_project.month(month).masterId);
}

bool GenerationSession::isBuildingMaster(int month) const
{
    return std::any_of(m_pending.begin(), m_pending.end(), [month](const auto &p) { return p->masterMonth == month; });
}

void GenerationSession::waitForMasters()
{
    // A continuation may start more work (a stored candidate starts its master): loop until none is left.
    while (!m_pending.isEmpty()) {
        const auto pending = m_pending.first();
        pending->watcher.waitForFinished();
        finish(pending);
    }
}

double GenerationSession::spentUsd() const
{
    auto entries = ledger();
    if (!entries)
        return 0;
    double total = 0;
    for (const LedgerEntry &e : std::as_const(*entries))
        total += e.usd; // lost answers count: better to stop early than to overspend
    return total;
}

Result<QList<LedgerEntry>> GenerationSession::ledger() const
{
    QList<LedgerEntry> entries;
    for (int month = 0; month < MonthEntry::PageCount; ++month) {
        auto list = m_project.store().loadCandidates(month);
        if (!list)
            return list.error();
        for (const CandidateRecord &c : std::as_const(*list)) {
            if (c.costMicros <= 0 || c.status != QLatin1String("done"))
                continue;
            entries.append(LedgerEntry{c.createdAt, c.month, c.provider, c.model, QSize(c.width, c.height),
                                       double(c.costMicros) / 1e6, false, c.id});
        }
    }
    auto lost = JobStore(m_project.store()).load({QStringLiteral("lost")});
    if (!lost)
        return lost.error();
    for (const JobRecord &job : std::as_const(*lost)) {
        const auto request = GenerationQueue::requestFromJson(job.requestJson);
        if (!request)
            continue;
        const QSize native = ProviderCatalog::expectedNativeSize(request->provider, request->model, request->size);
        entries.append(LedgerEntry{job.updatedAt, job.month, request->provider, request->model, QSize(),
                                   HttpPriceTable::estimateUsd(request->provider, request->model, native), true, 0});
    }
    std::sort(entries.begin(), entries.end(), [](const LedgerEntry &a, const LedgerEntry &b) { return a.at < b.at; });
    return entries;
}

} // namespace CalStudio
