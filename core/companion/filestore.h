#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QString>

namespace CalStudio {

/// A print file in the FileStore.
struct StoredFile {
    QString sha256; ///< lower-case hex of the content
    QString path; ///< absolute
    qint64 size = 0; ///< bytes
    bool created = false; ///< this put() wrote the file (false: the same bytes were already stored)
};

/**
 * Content-addressed storage for uploaded print files under the server's
 * data directory: `<root>/ab/cd/<sha256>.<ext>`, where `ab` and `cd` are the
 * first two byte pairs of the lower-case hex SHA-256 of the content.
 *
 * Atomic: put() writes through QSaveFile — a temporary file in the target
 * directory, flushed and synced, then renamed over the final name — so a
 * reader (or a crash) never sees a half-written file under a final name;
 * on any failure the temporary file is removed. The same bytes stored twice
 * are the same file, written once: an existing file of the right size is
 * reused. Concurrent put()s of the same content in this process wait for each
 * other (one writes, the others reuse it); between processes the rename keeps
 * the file whole (the last writer wins with identical bytes).
 *
 * Because content is shared, remove() deletes the bytes for every order that
 * stored the same file; callers that share files keep their own references.
 *
 * `extension` is 1–10 characters of [a-z0-9] ("jpg", "png") and `sha256`
 * 64 lower-case hex digits; anything else is refused (pathFor() returns an
 * empty string), so no path ever leaves the root.
 *
 * Error codes: "storage_full" (the disk or quota is full: QFileDevice's
 * ResourceError, which Qt reports for ENOSPC) and "storage_failed"
 * (anything else: directories that cannot be created, permissions, invalid
 * names). Thread-safe.
 */
class FileStore {
public:
    explicit FileStore(QString rootDir);

    /// Stores `bytes` (or finds them already stored) and returns where they are.
    Result<StoredFile> put(const QByteArray &bytes, const QString &extension);
    /// Where a file with this hash and extension is (or would be) stored; empty for invalid arguments.
    [[nodiscard]] QString pathFor(const QString &sha256, const QString &extension) const;
    /// Whether the file is stored.
    [[nodiscard]] bool contains(const QString &sha256, const QString &extension) const;
    /// Deletes the file; success when it was not there.
    Status remove(const QString &sha256, const QString &extension);
    /// The absolute root directory.
    [[nodiscard]] QString rootDir() const { return m_root; }

private:
    QString m_root;
};

} // namespace CalStudio
