#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace CalStudio {

/**
 * Signed, expiring links to one stored print file, for Printify to fetch
 * files too large to send inline (over 5 MB):
 * `<public_url>/v1/files/<sha256>.<ext>?expires=<unix>&sig=<hex>` where
 * `sig = HMAC-SHA256(key, "<sha256>.<ext>\n<expires>")`. The key is derived
 * from the server's admin token, so nothing new has to be configured and a
 * new admin token revokes every link. Only whoever holds a link — Printify,
 * during the upload — can fetch that one file until it expires.
 */
class FileUrls {
public:
    FileUrls(const QString &adminToken, const QUrl &publicUrl);

    /// The link for `name` ("<sha256>.<ext>") valid until `expiresAt` (unix seconds).
    [[nodiscard]] QUrl sign(const QString &name, qint64 expiresAt) const;
    /// Whether `sig` is right for `name` and `expires`, and `expires` is still ahead of `now`.
    [[nodiscard]] bool verify(const QString &name, qint64 expires, const QByteArray &sig, qint64 now) const;

private:
    [[nodiscard]] QByteArray signature(const QString &name, qint64 expires) const;

    QByteArray m_key;
    QUrl m_publicUrl;
};

} // namespace CalStudio
