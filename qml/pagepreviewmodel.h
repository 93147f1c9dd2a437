#pragma once

#include "core/commerce/printformat.h"
#include "core/common/error.h"
#include "core/imaging/masterfaces.h"
#include "core/project/calendardocument.h"
#include "core/project/cropplanner.h"
#include "core/project/masterinfo.h"
#include "qml/cropeditormodel.h"
#include "qml/thumbnailimageprovider.h"

#include <QAbstractListModel>
#include <QElapsedTimer>
#include <QHash>
#include <QImage>
#include <QMap>
#include <QPointer>
#include <QSet>
#include <QThreadPool>
#include <QTimer>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

#include <memory>
#include <optional>

namespace CalStudio {

class PreviewCache;
class Project;
struct PagePreviewResult;

/**
 * The Preview step's pages: for each print format (the built-in ones), the
 * cover and the twelve months in calendar order, composed with the real
 * calendar grid and the picture cut by the page's crop plan, with the
 * plan's warnings.
 *
 * The rows are the 13 pages of the current format (`formatIndex`); all
 * formats are kept, so switching tabs is instant. Everything slow runs on a
 * private pool of two threads (PagePreviewJob): reading and hashing the
 * master, face detection (stored with the master afterwards, on this
 * thread), planning, pictures from the PreviewCache, composing. Meanwhile a
 * page's `state` is "loading" and QML shows a placeholder.
 *
 * A crop edit (Project::cropsChanged, also by undo/redo) is answered twice:
 * at once from the master's reduced copy held in memory when there is one
 * (quick, well under 100 ms: no decode) and then from the PreviewCache
 * (Lanczos quality). Results of an older edit never replace a newer one.
 *
 * Page indices are calendar order (0 cover, 1–12 as the calendar shows the
 * months); crops and print positions are keyed by the month entry (0 cover,
 * 1–12 January–December), CalendarDocument::monthEntryIndex().
 *
 * While inactive (the step is not shown) changes only mark pages stale;
 * they are brought up to date when the model becomes active.
 */
class PagePreviewModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Made by the Preview page")
    Q_PROPERTY(int formatIndex READ formatIndex WRITE setFormatIndex NOTIFY formatChanged)
    Q_PROPERTY(QStringList formatTitles READ formatTitles CONSTANT)
    /// Width / height of the current format's month pages (trim plus bleed).
    Q_PROPERTY(qreal pageAspect READ pageAspect NOTIFY formatChanged)
    Q_PROPERTY(int selectedPage READ selectedPage WRITE setSelectedPage NOTIFY selectionChanged)
    /**
     * The selected page of the current format: title, tileUrl, zoomUrl
     * (empty until composed), state, level ("none", "mild", "strong"),
     * warnings (list of messages), details ("Automatic crop · 342 DPI"),
     * editable (has a picture and a plan).
     */
    Q_PROPERTY(QVariantMap selection READ selection NOTIFY selectionChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
public:
    enum Role {
        PageRole = Qt::UserRole + 1,
        TitleRole,
        ImageUrlRole, ///< image://calstudio-preview/… of the composed tile, empty until the first one
        StateRole, ///< "loading", "ready", "empty" (no picture yet), "error"
        WarningLevelRole, ///< "none", "mild", "strong"
        WarningTextRole, ///< the messages and the effective DPI, for the badge's tooltip
        EffectiveDpiRole, ///< int, 0 without a plan
        UserCropRole, ///< the crop was set by hand
        EditableRole, ///< the crop editor can open for this page
    };
    Q_ENUM(Role)

    /// The image provider id the page registers thumbnailCache() under.
    static constexpr auto ProviderId = "calstudio-preview";
    static constexpr int TileEdge = 440;
    static constexpr int ZoomEdge = 1200;
    static constexpr int PhotoEdge = 1600; ///< PreviewCache pictures are made for pages this long
    static constexpr int CopyEdge = 1600; ///< reduced copies of masters (crop editor, quick previews)
    static constexpr int MaxCopies = 3;

    explicit PagePreviewModel(QObject *parent = nullptr);
    ~PagePreviewModel() override;

    /// Follows `project` (nullptr: nothing to show). The project outlives the model or is reset first.
    void setProject(Project *project);
    /// Uses `directory` for the preview cache (default: CacheLocation/previews). Before setProject().
    void setCacheDirectory(const QString &directory);
    /// Active: keeps pages up to date; inactive: only marks them stale.
    void setActive(bool active);
    [[nodiscard]] bool isActive() const { return m_active; }

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] static const QList<PrintFormat> &formats();
    [[nodiscard]] int formatIndex() const { return m_formatIndex; }
    void setFormatIndex(int index);
    [[nodiscard]] QStringList formatTitles() const;
    [[nodiscard]] qreal pageAspect() const;
    [[nodiscard]] int selectedPage() const { return m_selectedPage; }
    void setSelectedPage(int page);
    [[nodiscard]] QVariantMap selection() const;
    /// Jobs queued or running.
    [[nodiscard]] bool busy() const { return m_running > 0 || m_refresh.isActive(); }

    /// Pages of `formatIndex` with a warning.
    Q_INVOKABLE int warningCount(int formatIndex) const;
    /// The worst warning of `formatIndex`'s pages: "none", "mild" or "strong".
    Q_INVOKABLE QString warningLevel(int formatIndex) const;
    /// Asks the page (QML's "Edit Crop…"): the Preview page opens the crop editor.
    Q_INVOKABLE void requestEditCrop(int page);

    /// What the crop editor needs for a page; nothing while the page has no picture or its plan is not made yet.
    [[nodiscard]] std::optional<CropEditorSource> editSource(int formatIndex, int page) const;
    /// The plan shown for a page (tests, the page's labels).
    [[nodiscard]] std::optional<PagePlan> plan(int formatIndex, int page) const;
    /// The composed tile of a page (null until composed).
    [[nodiscard]] QImage tile(int formatIndex, int page) const;

    /// The reduced copy of a master, if in memory; otherwise null and it is made (reducedCopyReady follows).
    QImage reducedCopy(qint64 masterId);
    /// Milliseconds from the last crop change to its quick preview on screen (0 before the first).
    [[nodiscard]] double lastQuickUpdateMs() const { return m_lastQuickMs; }

    [[nodiscard]] std::shared_ptr<ThumbnailCache> thumbnailCache() const { return m_images; }

Q_SIGNALS:
    void formatChanged();
    void selectionChanged();
    void busyChanged();
    void warningsChanged();
    void editCropRequested(int page);
    /// A page's tile changed; `quick` when cut from a reduced copy.
    void pageUpdated(int formatIndex, int page, bool quick);
    void reducedCopyReady(qint64 masterId);
    void errorOccurred(const CalStudio::Error &error);

private:
    struct PageState {
        int ticket = 0; ///< the newest job asked for
        int applied = -1; ///< the ticket whose result is shown
        bool hasMaster = false;
        std::optional<PagePlan> plan;
        QRect autoCrop;
        std::optional<QRectF> requestedCrop; ///< the user crop the newest job was given
        Error error;
        int revision = 0; ///< of the tile in the image cache
        int zoomRevision = -1; ///< of the zoom image, -1 without one
    };
    /// One format of a job: which, its ticket, whether it composes the zoomed page.
    struct JobSlot {
        int format = 0;
        int ticket = 0;
        bool zoom = false;
    };
    struct MasterState {
        MasterInfo info;
        QByteArray hash;
        std::optional<MasterFaces> faces;
    };

    [[nodiscard]] PageState &state(int formatIndex, int page) { return m_states[formatIndex * PageCount + page]; }
    [[nodiscard]] const PageState &state(int formatIndex, int page) const
    {
        return m_states.at(formatIndex * PageCount + page);
    }
    [[nodiscard]] int cropPage(int page) const;
    [[nodiscard]] qint64 masterOf(int page) const;
    void rebuildDocument();
    /// Marks `page` to be refreshed in `formatIndices` (all formats when empty).
    void markStale(int page, const QList<int> &formatIndices = {});
    void markAllStale();
    void scheduleRefresh();
    void refresh();
    void onCropsChanged();
    void onMasterChanged(int month);
    /// Starts a job for `page` in `formatIndices`; quick: from the reduced copy.
    void startJob(int page, const QList<int> &formatIndices, bool quick);
    void apply(const PagePreviewResult &result, const QList<JobSlot> &jobSlots, int generation);
    void storeFaces();
    void ensureZoom();
    void startCopy(qint64 masterId);
    void setRunning(int delta);
    [[nodiscard]] QString tileUrl(int formatIndex, int page) const;
    [[nodiscard]] QString zoomUrl(int formatIndex, int page) const;

    static constexpr int PageCount = CalendarDocument::PageCount;

    QPointer<Project> m_project;
    QString m_cacheDirectory;
    std::shared_ptr<PreviewCache> m_cache;
    std::shared_ptr<const CalendarDocument> m_document;
    std::shared_ptr<ThumbnailCache> m_images;
    QList<PageState> m_states;
    QHash<qint64, MasterState> m_masters;
    QHash<qint64, QImage> m_copies;
    QList<qint64> m_copyOrder; ///< least recently used first
    QSet<qint64> m_copyLoading;
    QList<std::pair<qint64, QJsonObject>> m_facesToStore;
    QMap<int, QSet<int>> m_stale; ///< pages to refresh, with their formats
    bool m_documentStale = true;
    bool m_active = false;
    int m_formatIndex = 0;
    int m_selectedPage = 1;
    int m_running = 0;
    int m_generation = 0; ///< bumps on setProject, so late results of an old project are dropped
    QThreadPool m_pool;
    QTimer m_refresh; ///< coalesces bursts of changes
    QTimer m_storeFaces;
    QElapsedTimer m_sinceCropEdit;
    double m_lastQuickMs = 0;
};

} // namespace CalStudio
