#include "qml/pagepreviewmodel.h"

#include "core/imaging/previewcache.h"
#include "core/project/project.h"
#include "core/project/projectstore.h"
#include "qml/pagephoto.h"
#include "qml/pagepreviewjob.h"
#include "qml/qmllogging.h"

#include <QFutureWatcher>
#include <QMutex>
#include <QStandardPaths>
#include <QtConcurrent/qtconcurrenttask.h>

#include <cmath>

namespace CalStudio {

namespace {

QString levelOf(const std::optional<PagePlan> &plan)
{
    if (!plan || plan->warnings.isEmpty())
        return QStringLiteral("none");
    const bool strong
        = std::any_of(plan->warnings.begin(), plan->warnings.end(), [](const CropWarning &w) { return w.strong(); });
    return strong ? QStringLiteral("strong") : QStringLiteral("mild");
}

QStringList messagesOf(const std::optional<PagePlan> &plan)
{
    QStringList list;
    if (plan) {
        for (const CropWarning &w : plan->warnings)
            list.append(w.message);
    }
    return list;
}

QString detailsOf(const std::optional<PagePlan> &plan)
{
    if (!plan)
        return {};
    const QString source = plan->userCrop ? PagePreviewModel::tr("Your crop") : PagePreviewModel::tr("Automatic crop");
    return PagePreviewModel::tr("%1 · %2 DPI at print size").arg(source).arg(int(std::floor(plan->effectiveDpi)));
}

} // namespace

PagePreviewModel::PagePreviewModel(QObject *parent)
    : QAbstractListModel(parent)
    , m_cacheDirectory(QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/previews"))
    , m_images(std::make_shared<ThumbnailCache>())
{
    m_states.resize(formats().size() * PageCount);
    // Two workers: enough to keep a page coming while another decodes, and the UI thread never waits.
    m_pool.setMaxThreadCount(2);
    m_refresh.setSingleShot(true);
    m_refresh.setInterval(60);
    connect(&m_refresh, &QTimer::timeout, this, &PagePreviewModel::refresh);
    m_storeFaces.setSingleShot(true);
    m_storeFaces.setInterval(300);
    connect(&m_storeFaces, &QTimer::timeout, this, &PagePreviewModel::storeFaces);
}

PagePreviewModel::~PagePreviewModel()
{
    m_pool.clear();
    m_pool.waitForDone();
}

const QList<PrintFormat> &PagePreviewModel::formats()
{
    return PrintFormat::builtIn();
}

void PagePreviewModel::setCacheDirectory(const QString &directory)
{
    m_cacheDirectory = directory;
    m_cache.reset();
}

void PagePreviewModel::setProject(Project *project)
{
    if (m_project)
        disconnect(m_project, nullptr, this, nullptr);
    // Jobs of the old project that have not started are dropped; running ones finish and are ignored.
    m_pool.clear();
    ++m_generation;
    m_storeFaces.stop();
    storeFaces(); // what was detected for the old project is still worth keeping
    m_facesToStore.clear();
    m_project = project;
    beginResetModel();
    for (PageState &s : m_states)
        s = PageState {};
    m_masters.clear();
    m_copies.clear();
    m_copyOrder.clear();
    m_copyLoading.clear();
    m_images->clear();
    m_document.reset();
    m_documentStale = true;
    endResetModel();
    if (project) {
        if (!m_cache)
            m_cache = std::make_shared<PreviewCache>(m_cacheDirectory);
        const auto documentChanged = [this] {
            m_documentStale = true;
            markAllStale();
        };
        connect(project, &Project::settingsChanged, this, documentChanged);
        connect(project, &Project::specialDatesChanged, this, documentChanged);
        connect(project, &Project::holidaysChanged, this, documentChanged);
        connect(project, &Project::monthChanged, this, [this](int month) {
            // Only a picture-less page shows its words (the placeholder title).
            m_documentStale = true;
            if (m_project && m_project->month(month).masterId == 0)
                onMasterChanged(month);
            else
                scheduleRefresh();
        });
        connect(project, &Project::masterChanged, this, &PagePreviewModel::onMasterChanged);
        connect(project, &Project::cropsChanged, this, &PagePreviewModel::onCropsChanged);
        markAllStale();
    }
    Q_EMIT selectionChanged();
    Q_EMIT warningsChanged();
}

void PagePreviewModel::setActive(bool active)
{
    if (m_active == active)
        return;
    m_active = active;
    if (active)
        scheduleRefresh();
}

int PagePreviewModel::cropPage(int page) const
{
    return m_document ? m_document->monthEntryIndex(page) : page;
}

qint64 PagePreviewModel::masterOf(int page) const
{
    return m_project ? m_project->month(cropPage(page)).masterId : 0;
}

void PagePreviewModel::rebuildDocument()
{
    if (!m_project || (!m_documentStale && m_document))
        return;
    m_document = std::make_shared<const CalendarDocument>(CalendarDocument::fromProject(*m_project));
    m_documentStale = false;
}

void PagePreviewModel::markStale(int page, const QList<int> &formatIndices)
{
    QSet<int> &stale = m_stale[page];
    if (formatIndices.isEmpty()) {
        for (int f = 0; f < formats().size(); ++f)
            stale.insert(f);
    } else {
        for (int f : formatIndices)
            stale.insert(f);
    }
    scheduleRefresh();
}

void PagePreviewModel::markAllStale()
{
    for (int p = 0; p < PageCount; ++p)
        markStale(p);
}

void PagePreviewModel::scheduleRefresh()
{
    if (!m_active || !m_project)
        return;
    const bool wasBusy = busy();
    m_refresh.start();
    if (!wasBusy)
        Q_EMIT busyChanged();
}

void PagePreviewModel::onMasterChanged(int month)
{
    rebuildDocument();
    for (int p = 0; p < PageCount; ++p) {
        if (cropPage(p) == month)
            markStale(p);
    }
}

void PagePreviewModel::onCropsChanged()
{
    if (!m_project)
        return;
    rebuildDocument();
    m_sinceCropEdit.start();
    for (int p = 0; p < PageCount; ++p) {
        QList<int> changed;
        for (int f = 0; f < formats().size(); ++f) {
            const PageState &s = state(f, p);
            if (s.ticket > 0 && s.requestedCrop != m_project->userCrop(cropPage(p), formats().at(f).id))
                changed.append(f);
        }
        if (changed.isEmpty())
            continue;
        // At once from the copy in memory, if there is one; the cache's Lanczos picture follows.
        const qint64 master = masterOf(p);
        if (m_active && master > 0 && m_copies.contains(master))
            startJob(p, changed, true);
        markStale(p, changed);
    }
}

void PagePreviewModel::refresh()
{
    if (!m_project || !m_active) {
        Q_EMIT busyChanged();
        return;
    }
    rebuildDocument();
    const QMap<int, QSet<int>> stale = std::exchange(m_stale, {});
    // The page on screen first, then the rest in calendar order.
    QList<int> order = stale.keys();
    std::stable_sort(
        order.begin(), order.end(), [this](int a, int b) { return a == m_selectedPage && b != m_selectedPage; });
    for (int p : std::as_const(order)) {
        QList<int> formatIndices(stale.value(p).begin(), stale.value(p).end());
        std::sort(formatIndices.begin(), formatIndices.end());
        startJob(p, formatIndices, false);
    }
    ensureZoom();
    Q_EMIT busyChanged();
}

void PagePreviewModel::startJob(int page, const QList<int> &formatIndices, bool quick)
{
    if (!m_project || !m_document)
        return;
    PagePreviewRequest request;
    request.projectPath = m_project->path();
    request.document = m_document;
    request.page = page;
    request.cropPage = cropPage(page);
    request.cache = m_cache;
    request.tileEdge = TileEdge;
    request.zoomEdge = ZoomEdge;
    request.photoEdge = PhotoEdge;
    const qint64 masterId = masterOf(page);
    if (masterId > 0) {
        if (!m_masters.contains(masterId)) {
            auto info = m_project->store().masterInfo(masterId);
            if (!info) {
                qCWarning(lcQml) << "master" << masterId << "unreadable:" << info.error();
                return;
            }
            m_masters.insert(masterId, MasterState { *info, {}, {} });
        }
        const MasterState &m = m_masters.value(masterId);
        request.master = m.info;
        request.masterHash = m.hash;
        request.faces = m.faces;
        if (!m.faces) {
            if (auto stored = m_project->store().masterFaces(masterId))
                request.storedFaces = *stored;
        }
        if (quick)
            request.reducedCopy = m_copies.value(masterId);
    }
    if (quick && request.reducedCopy.isNull())
        return;
    QList<JobSlot> jobSlots;
    for (int f : formatIndices) {
        PageState &s = state(f, page);
        PagePreviewFormat pf;
        pf.format = formats().at(f);
        pf.userCrop = m_project->userCrop(request.cropPage, pf.format.id);
        pf.zoom = f == m_formatIndex && page == m_selectedPage;
        s.requestedCrop = pf.userCrop;
        jobSlots.append(JobSlot { f, ++s.ticket, pf.zoom });
        request.formats.append(pf);
    }

    auto *watcher = new QFutureWatcher<PagePreviewResult>(this);
    const int generation = m_generation;
    connect(watcher, &QFutureWatcher<PagePreviewResult>::finished, this, [this, watcher, jobSlots, generation] {
        watcher->deleteLater();
        setRunning(-1);
        apply(watcher->result(), jobSlots, generation);
    });
    setRunning(+1);
    watcher->setFuture(QtConcurrent::task([request] { return PagePreviewJob::run(request); })
                           .onThreadPool(m_pool)
                           .withPriority(quick ? 2 : 0)
                           .spawn());
}

void PagePreviewModel::apply(const PagePreviewResult &result, const QList<JobSlot> &jobSlots, int generation)
{
    if (generation != m_generation || !m_project)
        return;
    if (result.masterId > 0 && m_masters.contains(result.masterId)) {
        MasterState &m = m_masters[result.masterId];
        if (!result.masterHash.isEmpty())
            m.hash = result.masterHash;
        if (result.faces && !m.faces) {
            m.faces = result.faces;
            if (result.facesDetected) {
                m_facesToStore.append({ result.masterId, result.faces->toJson() });
                m_storeFaces.start(0);
            }
        }
    }
    if (!result.error.isNull())
        qCWarning(lcQml) << "page" << result.page << "preview failed:" << result.error;
    qCDebug(lcQml) << "page" << result.page << (result.quick ? "quick" : "cached") << "preview of" << jobSlots.size()
                   << "formats in" << result.elapsedMs << "ms";

    bool selectionTouched = false;
    for (qsizetype i = 0; i < result.formats.size() && i < jobSlots.size(); ++i) {
        const JobSlot &slot = jobSlots.at(i);
        const int f = slot.format;
        PageState &s = state(f, result.page);
        // An older answer (a slower job for an earlier edit) never replaces a newer one.
        if (slot.ticket < s.applied)
            continue;
        const PagePreviewFormatResult &out = result.formats.at(i);
        s.applied = slot.ticket;
        s.hasMaster = result.masterId > 0;
        s.plan = out.plan;
        s.autoCrop = out.autoCrop;
        s.error = !result.error.isNull() ? result.error : out.error;
        ++s.revision;
        m_images->insert(QStringLiteral("t/%1/%2").arg(f).arg(result.page), out.tile);
        if (slot.zoom) {
            // One zoomed page per format is enough to keep.
            for (int p = 0; p < PageCount; ++p) {
                if (p != result.page && state(f, p).zoomRevision >= 0) {
                    state(f, p).zoomRevision = -1;
                    m_images->insert(QStringLiteral("z/%1/%2").arg(f).arg(p), QImage());
                }
            }
            m_images->insert(QStringLiteral("z/%1/%2").arg(f).arg(result.page), out.zoom);
            s.zoomRevision = s.revision;
        } else if (s.zoomRevision >= 0) {
            s.zoomRevision = -1; // the old zoom shows an old crop
        }
        if (f == m_formatIndex) {
            const QModelIndex row = index(result.page, 0);
            Q_EMIT dataChanged(row, row);
            if (result.page == m_selectedPage)
                selectionTouched = true;
        }
        Q_EMIT pageUpdated(f, result.page, result.quick);
    }
    if (result.quick && m_sinceCropEdit.isValid())
        m_lastQuickMs = double(m_sinceCropEdit.nsecsElapsed()) / 1e6;
    if (selectionTouched)
        Q_EMIT selectionChanged();
    Q_EMIT warningsChanged();
    ensureZoom();
}

void PagePreviewModel::storeFaces()
{
    if (!m_project) {
        m_facesToStore.clear();
        return;
    }
    // A worker writing a picture holds the file's gate for a few hundred ms: try again then, never wait.
    QMutex &gate = ProjectStore::writeGate(m_project->path());
    if (!gate.tryLock()) {
        m_storeFaces.start();
        return;
    }
    while (!m_facesToStore.isEmpty()) {
        const auto [id, json] = m_facesToStore.takeFirst();
        if (auto st = m_project->store().setMasterFaces(id, json); !st)
            qCWarning(lcQml) << "faces of master" << id << "not stored:" << st.error();
    }
    gate.unlock();
}

void PagePreviewModel::ensureZoom()
{
    if (!m_active || !m_project || !m_document)
        return;
    const PageState &s = state(m_formatIndex, m_selectedPage);
    // A job for the page is on its way (it composes the zoom too), or the zoom is there.
    if (s.zoomRevision >= 0 || s.ticket > s.applied || s.applied < 0 || m_stale.contains(m_selectedPage))
        return;
    startJob(m_selectedPage, { m_formatIndex }, false);
}

void PagePreviewModel::setRunning(int delta)
{
    const bool wasBusy = busy();
    m_running += delta;
    if (wasBusy != busy())
        Q_EMIT busyChanged();
}

int PagePreviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : PageCount;
}

QString PagePreviewModel::tileUrl(int formatIndex, int page) const
{
    const PageState &s = state(formatIndex, page);
    if (s.applied < 0)
        return {};
    return QStringLiteral("image://%1/t/%2/%3?%4")
        .arg(QLatin1String(ProviderId))
        .arg(formatIndex)
        .arg(page)
        .arg(s.revision);
}

QString PagePreviewModel::zoomUrl(int formatIndex, int page) const
{
    const PageState &s = state(formatIndex, page);
    if (s.zoomRevision < 0)
        return {};
    return QStringLiteral("image://%1/z/%2/%3?%4")
        .arg(QLatin1String(ProviderId))
        .arg(formatIndex)
        .arg(page)
        .arg(s.zoomRevision);
}

QVariant PagePreviewModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() < 0 || index.row() >= PageCount)
        return {};
    const int page = index.row();
    const PageState &s = state(m_formatIndex, page);
    switch (role) {
    case PageRole:
        return page;
    case TitleRole:
        return m_document ? m_document->pageTitle(page) : QString();
    case ImageUrlRole:
        return tileUrl(m_formatIndex, page);
    case StateRole:
        if (s.applied < 0)
            return QStringLiteral("loading");
        if (!s.hasMaster)
            return QStringLiteral("empty");
        if (!s.error.isNull())
            return QStringLiteral("error");
        return s.ticket > s.applied ? QStringLiteral("loading") : QStringLiteral("ready");
    case WarningLevelRole:
        return levelOf(s.plan);
    case WarningTextRole: {
        QStringList lines = messagesOf(s.plan);
        if (!s.error.isNull())
            lines.append(s.error.userMessage);
        if (s.plan)
            lines.append(detailsOf(s.plan));
        return lines.join(QLatin1Char('\n'));
    }
    case EffectiveDpiRole:
        return s.plan ? int(std::floor(s.plan->effectiveDpi)) : 0;
    case UserCropRole:
        return s.plan && s.plan->userCrop;
    case EditableRole:
        return s.plan.has_value();
    default:
        return {};
    }
}

QHash<int, QByteArray> PagePreviewModel::roleNames() const
{
    return {
        { PageRole, "page" },
        { TitleRole, "title" },
        { ImageUrlRole, "imageUrl" },
        { StateRole, "pageState" },
        { WarningLevelRole, "warningLevel" },
        { WarningTextRole, "warningText" },
        { EffectiveDpiRole, "effectiveDpi" },
        { UserCropRole, "userCrop" },
        { EditableRole, "editable" },
    };
}

void PagePreviewModel::setFormatIndex(int index)
{
    index = qBound(0, index, int(formats().size()) - 1);
    if (index == m_formatIndex)
        return;
    m_formatIndex = index;
    Q_EMIT dataChanged(this->index(0, 0), this->index(PageCount - 1, 0));
    Q_EMIT formatChanged();
    Q_EMIT selectionChanged();
    ensureZoom();
}

QStringList PagePreviewModel::formatTitles() const
{
    QStringList titles;
    for (const PrintFormat &f : formats())
        titles.append(f.title);
    return titles;
}

qreal PagePreviewModel::pageAspect() const
{
    const ImagePosition *position = formats().at(m_formatIndex).position(1);
    return position ? qreal(position->pixels.width()) / position->pixels.height() : 1;
}

void PagePreviewModel::setSelectedPage(int page)
{
    page = qBound(0, page, PageCount - 1);
    if (page == m_selectedPage)
        return;
    m_selectedPage = page;
    Q_EMIT selectionChanged();
    ensureZoom();
}

QVariantMap PagePreviewModel::selection() const
{
    const int page = m_selectedPage;
    const PageState &s = state(m_formatIndex, page);
    const QModelIndex i = index(page, 0);
    QStringList warnings = messagesOf(s.plan);
    if (!s.error.isNull())
        warnings.append(s.error.userMessage);
    return {
        { QStringLiteral("page"), page },
        { QStringLiteral("title"), data(i, TitleRole) },
        { QStringLiteral("tileUrl"), tileUrl(m_formatIndex, page) },
        { QStringLiteral("zoomUrl"), zoomUrl(m_formatIndex, page) },
        { QStringLiteral("state"), data(i, StateRole) },
        { QStringLiteral("level"), levelOf(s.plan) },
        { QStringLiteral("warnings"), warnings },
        { QStringLiteral("details"), detailsOf(s.plan) },
        { QStringLiteral("editable"), s.plan.has_value() },
        { QStringLiteral("userCrop"), s.plan && s.plan->userCrop },
    };
}

int PagePreviewModel::warningCount(int formatIndex) const
{
    if (formatIndex < 0 || formatIndex >= formats().size())
        return 0;
    int count = 0;
    for (int p = 0; p < PageCount; ++p) {
        const PageState &s = state(formatIndex, p);
        if (s.plan && !s.plan->warnings.isEmpty())
            ++count;
    }
    return count;
}

QString PagePreviewModel::warningLevel(int formatIndex) const
{
    QString worst = QStringLiteral("none");
    if (formatIndex < 0 || formatIndex >= formats().size())
        return worst;
    for (int p = 0; p < PageCount; ++p) {
        const QString level = levelOf(state(formatIndex, p).plan);
        if (level == QLatin1String("strong"))
            return level;
        if (level == QLatin1String("mild"))
            worst = level;
    }
    return worst;
}

void PagePreviewModel::requestEditCrop(int page)
{
    Q_EMIT editCropRequested(qBound(0, page, PageCount - 1));
}

std::optional<CropEditorSource> PagePreviewModel::editSource(int formatIndex, int page) const
{
    if (!m_project || !m_document || formatIndex < 0 || formatIndex >= formats().size() || page < 0
        || page >= PageCount)
        return std::nullopt;
    const PageState &s = state(formatIndex, page);
    const qint64 masterId = masterOf(page);
    if (!s.plan || masterId <= 0 || !m_masters.contains(masterId) || !m_masters.value(masterId).faces)
        return std::nullopt;
    const MasterState &m = m_masters.value(masterId);
    CropEditorSource source;
    source.master = m.info;
    source.faces = *m.faces;
    source.format = formats().at(formatIndex);
    source.cropPage = cropPage(page);
    source.pageTitle = m_document->pageTitle(page);
    source.autoCrop = s.autoCrop;
    source.userCrop = m_project->userCrop(source.cropPage, source.format.id);
    const ImagePosition *position = source.format.position(source.cropPage);
    if (position) {
        const QSizeF px(position->pixels);
        const QRectF area = PagePhoto::photoArea(*m_document, page, px);
        source.photoArea = QRectF(
            area.x() / px.width(), area.y() / px.height(), area.width() / px.width(), area.height() / px.height());
    }
    return source;
}

std::optional<PagePlan> PagePreviewModel::plan(int formatIndex, int page) const
{
    if (formatIndex < 0 || formatIndex >= formats().size() || page < 0 || page >= PageCount)
        return std::nullopt;
    return state(formatIndex, page).plan;
}

QImage PagePreviewModel::tile(int formatIndex, int page) const
{
    return m_images->value(QStringLiteral("t/%1/%2").arg(formatIndex).arg(page));
}

QImage PagePreviewModel::reducedCopy(qint64 masterId)
{
    if (m_copies.contains(masterId)) {
        m_copyOrder.removeAll(masterId);
        m_copyOrder.append(masterId);
        return m_copies.value(masterId);
    }
    startCopy(masterId);
    return {};
}

void PagePreviewModel::startCopy(qint64 masterId)
{
    if (!m_project || m_copyLoading.contains(masterId) || !m_masters.contains(masterId))
        return;
    m_copyLoading.insert(masterId);
    auto *watcher = new QFutureWatcher<Result<QImage>>(this);
    const int generation = m_generation;
    connect(watcher, &QFutureWatcher<Result<QImage>>::finished, this, [this, watcher, masterId, generation] {
        watcher->deleteLater();
        setRunning(-1);
        if (generation != m_generation)
            return;
        m_copyLoading.remove(masterId);
        const Result<QImage> copy = watcher->result();
        if (!copy) {
            qCWarning(lcQml) << "master" << masterId << "not shown:" << copy.error();
            Q_EMIT errorOccurred(copy.error());
            return;
        }
        m_copies.insert(masterId, *copy);
        m_copyOrder.append(masterId);
        while (m_copyOrder.size() > MaxCopies)
            m_copies.remove(m_copyOrder.takeFirst());
        Q_EMIT reducedCopyReady(masterId);
    });
    setRunning(+1);
    const QString path = m_project->path();
    const MasterInfo info = m_masters.value(masterId).info;
    // Ahead of page jobs: someone is waiting for the crop editor.
    watcher->setFuture(QtConcurrent::task([path, info] { return PagePreviewJob::reducedCopy(path, info, CopyEdge); })
                           .onThreadPool(m_pool)
                           .withPriority(3)
                           .spawn());
}

} // namespace CalStudio
