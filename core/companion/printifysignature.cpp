#include "core/companion/printifysignature.h"

#include "core/companion/stripesignature.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

namespace CalStudio {

namespace {

constexpr qsizetype HexLength = 64; // SHA-256: 32 bytes

/// `text` lower-cased when it is exactly 64 hex digits, else empty.
QByteArray normalisedHex(const QByteArray &text)
{
    if (text.size() != HexLength)
        return {};
    QByteArray result(text.size(), Qt::Uninitialized);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
            result[i] = c;
        else if (c >= 'A' && c <= 'F')
            result[i] = char(c - 'A' + 'a');
        else
            return {};
    }
    return result;
}

} // namespace

QByteArray PrintifySignature::signature(const QByteArray &rawBody, const QByteArray &secret)
{
    return QMessageAuthenticationCode::hash(rawBody, secret, QCryptographicHash::Sha256).toHex(); // lower-case
}

QByteArray PrintifySignature::header(const QByteArray &rawBody, const QByteArray &secret)
{
    return "sha256=" + signature(rawBody, secret);
}

bool PrintifySignature::verify(const QByteArray &headerValue, const QByteArray &rawBody, const QByteArray &secret)
{
    if (secret.isEmpty())
        return false;
    QByteArray value = headerValue.trimmed();
    static const QByteArray prefix = "sha256=";
    if (value.size() > prefix.size() && value.left(prefix.size()).toLower() == prefix)
        value = value.mid(prefix.size()).trimmed();
    const QByteArray candidate = normalisedHex(value);
    if (candidate.isEmpty())
        return false;
    return StripeSignature::constantTimeEquals(candidate, signature(rawBody, secret));
}

} // namespace CalStudio
