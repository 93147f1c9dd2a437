#include "core/companion/fileurls.h"

#include "core/companion/stripesignature.h"

#include <QMessageAuthenticationCode>
#include <QUrlQuery>

namespace CalStudio {

FileUrls::FileUrls(const QString &adminToken, const QUrl &publicUrl)
    : m_key(QMessageAuthenticationCode::hash("calstudio-companion file links", adminToken.toUtf8(), QCryptographicHash::Sha256))
    , m_publicUrl(publicUrl)
{
}

QByteArray FileUrls::signature(const QString &name, qint64 expires) const
{
    return QMessageAuthenticationCode::hash(name.toUtf8() + '\n' + QByteArray::number(expires), m_key,
        QCryptographicHash::Sha256)
        .toHex();
}

QUrl FileUrls::sign(const QString &name, qint64 expiresAt) const
{
    QUrl url = m_publicUrl;
    url.setPath(url.path() + QStringLiteral("/v1/files/") + name);
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("expires"), QString::number(expiresAt));
    query.addQueryItem(QStringLiteral("sig"), QString::fromLatin1(signature(name, expiresAt)));
    url.setQuery(query);
    return url;
}

bool FileUrls::verify(const QString &name, qint64 expires, const QByteArray &sig, qint64 now) const
{
    if (expires < now || sig.isEmpty())
        return false;
    return StripeSignature::constantTimeEquals(signature(name, expires), sig.toLower());
}

} // namespace CalStudio
