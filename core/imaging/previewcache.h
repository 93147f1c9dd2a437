#pragma once

#include "core/common/result.h"
#include "core/imaging/renderer.h"

#include <QByteArray>
#include <QImage>
#include <QList>
#include <QRect>
#include <QSize>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace CalStudio {

/// One screen preview: which master, which part of it, how big, for which format.
struct PreviewRequest {
    /// Content hash of the master (the project's SHA-256 of its bytes, hex or raw); must not be empty.
    QByteArray masterHash;
    QRect crop; ///< in master pixels
    QSize size; ///< exact pixel size of the preview (long edge ~1600 for pages, ~400 for thumbnails)
    QString formatId; ///< the print format (and position) the crop is for, e.g. "wall-portrait/3"
    RenderKind kind = RenderKind::ScreenPreview;
    bool draftLabel = false; ///< an offline draft: burn its label in (RenderOutput::draftLabel)
};

/// A preview from PreviewCache.
struct CachedPreview {
    QByteArray bytes; ///< the encoded file (JPEG for ScreenPreview)
    QString path; ///< the cache file it came from or went to
    QString key;
    bool fromCache = false; ///< true on a hit, false when rendered now
};

/**
 * Screen previews cached as files in one directory, so reopening a project
 * or flipping between formats does not decode a 4096² master again.
 *
 * A file is named by key(): a hash of the master's content hash, the crop,
 * the size and kind, the format id, Renderer::Version and this cache's own
 * layout version. Any change of these is a new key, so a stale preview is
 * never shown; old files simply age out through cleanup(). Each file ends in
 * what it is: a JPEG carries a checksum of its own bytes in a comment segment
 * right after SOI (it stays a valid JPEG for any viewer), and a file whose
 * checksum does not match — truncated, overwritten, bit rot — counts as a
 * miss and is rendered again.
 *
 * cleanup() keeps the directory under its byte budget by deleting the least
 * recently used files first (a hit refreshes a file's modification time); it
 * runs by itself after every MaxBytes / 8 bytes written, and callers may run
 * it at start-up.
 *
 * Thread-safe: get() and cleanup() may be called from any thread at once.
 * Two threads asking for the same missing preview render it once; the other
 * waits for the file. Files are written atomically (temporary + rename).
 *
 * Errors are those of Renderer (a miss renders), the MasterLoader's own
 * errors (passed through as they are), and "bad_request": an empty master
 * hash, or a kind other than ScreenPreview or PrintJpeg (the cache holds
 * JPEG only). A cache that cannot be written is not an error: see get().
 */
class PreviewCache {
public:
    /// Bumped when the file layout or the checksum scheme changes.
    static constexpr int FormatVersion = 1;
    static constexpr qint64 DefaultMaxBytes = 512LL * 1024 * 1024;

    /// Gives the master's bytes when a preview must be rendered; called at most once per get().
    using MasterLoader = std::function<Result<QByteArray>()>;

    /**
     * `directory` e.g. QStandardPaths::CacheLocation + "/previews"; created
     * on first write. `maxBytes` is the budget cleanup() keeps to.
     */
    explicit PreviewCache(QString directory, qint64 maxBytes = DefaultMaxBytes);
    ~PreviewCache();
    PreviewCache(const PreviewCache &) = delete;
    PreviewCache &operator=(const PreviewCache &) = delete;

    /// The cache key of `request`: 40 lowercase hex digits.
    static QString key(const PreviewRequest &request);
    /// Hex SHA-256 of `bytes`, for callers that have no content hash at hand.
    static QByteArray contentHash(const QByteArray &bytes);

    [[nodiscard]] QString directory() const;
    /// The file that holds (or would hold) the preview with `key`.
    [[nodiscard]] QString path(const QString &key) const;

    /**
     * The cached preview, if a valid one exists; never renders. A corrupt
     * file is deleted and gives nothing.
     */
    [[nodiscard]] std::optional<CachedPreview> lookup(const PreviewRequest &request) const;

    /**
     * The preview for `request`: from the cache, or rendered from the
     * master `loadMaster` gives and stored. When the cache cannot be
     * written the rendered preview is still returned (with an empty
     * `path`) and the failure is logged: a full disk must not blank the
     * screen.
     */
    Result<CachedPreview> get(const PreviewRequest &request, const MasterLoader &loadMaster);

    /**
     * Several previews of one master (every format of a month, say): hits
     * come from the cache, and all misses are rendered from one decode of
     * the master. Results are in the order of `requests`; the first error
     * fails the call.
     */
    Result<QList<CachedPreview>> getAll(const QList<PreviewRequest> &requests, const MasterLoader &loadMaster);

    /// Like get(), decoded: a QImage with QColorSpace::SRgb.
    Result<QImage> image(const PreviewRequest &request, const MasterLoader &loadMaster);

    /**
     * Like get(), with a miss rendered from `master`, a master already
     * decoded: what the crop editor uses while it keeps a month's master
     * open, so a crop edit costs one resize and encode, no decode.
     * `request.masterHash` must still name that master's content.
     */
    Result<CachedPreview> get(const PreviewRequest &request, const Renderer &master);
    /// getAll() with misses rendered from `master`, already decoded.
    Result<QList<CachedPreview>> getAll(const QList<PreviewRequest> &requests, const Renderer &master);

    /**
     * Deletes the least recently used previews until the directory holds at
     * most `maxBytes` (the constructor's budget when negative), and leftover
     * temporary files older than an hour. Returns the bytes deleted.
     */
    qint64 cleanup(qint64 maxBytes = -1);

    /// Total bytes of the previews in the directory now.
    [[nodiscard]] qint64 diskUsage() const;

private:
    Result<QList<CachedPreview>> getAllFrom(
        const QList<PreviewRequest> &requests, const std::function<Result<Renderer>()> &openMaster);

    struct Private;
    std::unique_ptr<Private> m_d;
};

} // namespace CalStudio
