#pragma once

#include "core/commerce/printformat.h"
#include "core/common/error.h"
#include "core/common/result.h"
#include "core/imaging/masterfaces.h"
#include "core/project/calendardocument.h"
#include "core/project/cropplanner.h"
#include "core/project/masterinfo.h"

#include <QByteArray>
#include <QImage>
#include <QJsonObject>
#include <QList>
#include <QRect>
#include <QString>

#include <memory>
#include <optional>

namespace CalStudio {

class PreviewCache;

/// One print format of a page to preview.
struct PagePreviewFormat {
    PrintFormat format;
    std::optional<QRectF> userCrop; ///< the crop set by hand (fractions of the master), if any
    bool zoom = false; ///< also compose the large page the zoomed view shows
};

/// Everything one preview job needs (a value: the job never touches the Project).
struct PagePreviewRequest {
    QString projectPath; ///< read through its own connection (ProjectStore::readBlobAt)
    std::shared_ptr<const CalendarDocument> document;
    int page = 0; ///< calendar order: 0 cover, 1–12 the months as the calendar shows them
    int cropPage = 0; ///< the month entry (0 cover, 1–12 January–December): the crops' and positions' page
    MasterInfo master; ///< id 0: the page has no picture yet (placeholders are composed)
    QByteArray masterHash; ///< the master's content hash when known; else hashed from its bytes
    std::optional<MasterFaces> faces; ///< known faces; else read from `storedFaces` or detected
    std::optional<QJsonObject> storedFaces; ///< ProjectStore::masterFaces()
    QList<PagePreviewFormat> formats;
    /**
     * A reduced copy of the master held in memory. When set the pictures are
     * cut from it (the quick answer to a crop edit: no decode, no cache);
     * otherwise they come from the PreviewCache.
     */
    QImage reducedCopy;
    std::shared_ptr<PreviewCache> cache;
    int tileEdge = 440; ///< long edge of the page tiles
    int zoomEdge = 1200; ///< long edge of the zoomed page
    int photoEdge = 1600; ///< long edge of the page the cached pictures are made for
};

/// What became of one format of a page.
struct PagePreviewFormatResult {
    QString formatId;
    std::optional<PagePlan> plan; ///< with the user's crop when there is one
    QRect autoCrop; ///< SmartCrop's crop (what "Reset to Automatic" gives), in master pixels
    QRect photoCrop; ///< the part of the master the page's photo area shows
    QImage tile;
    QImage zoom; ///< null unless asked for
    Error error; ///< planning or rendering failed (the tile then shows the placeholder)
};

/// What one preview job made.
struct PagePreviewResult {
    int page = 0;
    qint64 masterId = 0;
    QByteArray masterHash;
    std::optional<MasterFaces> faces;
    bool facesDetected = false; ///< store `faces` with the master (ProjectStore::setMasterFaces)
    bool quick = false; ///< cut from the reduced copy
    Error error; ///< reading the master or finding its faces failed
    QList<PagePreviewFormatResult> formats;
    double elapsedMs = 0;
};

/**
 * The work behind one page of the Preview step, run on a worker thread:
 * the master's content hash and faces (detected once, then stored by the
 * caller), the plan per format (CropPlanner), the picture cut for the
 * layout's photo area (PagePhoto), the picture itself (PreviewCache: a hit
 * costs a JPEG decode, misses of one master are rendered from one decode),
 * and the composed page (PageComposer) as a tile and, when asked, large.
 */
class PagePreviewJob {
public:
    static PagePreviewResult run(const PagePreviewRequest &request);

    /**
     * The whole master decoded once and reduced to `longEdge` (Renderer::
     * scaledCopy): what the crop editor shows and quick previews are cut
     * from. Any thread.
     */
    static Result<QImage> reducedCopy(const QString &projectPath, const MasterInfo &master, int longEdge);

    /// The `PreviewRequest::formatId` of a page's picture: "wall-portrait/3".
    static QString cacheFormatId(const QString &formatId, int cropPage);
};

} // namespace CalStudio
