#include "core/companion/stripesignature.h"

#include <QMessageAuthenticationCode>

#include <optional>

namespace CalStudio {

namespace {

/// A plain decimal number (digits only, at most 18 so it fits qint64), else nullopt.
std::optional<qint64> parseTimestamp(const QByteArray &text)
{
    if (text.isEmpty() || text.size() > 18)
        return std::nullopt;
    qint64 value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

/// HMAC-SHA256 over "<timestamp text>.<body>": the timestamp exactly as it appears in the header.
QByteArray hexSignature(const QByteArray &rawBody, const QByteArray &secret, const QByteArray &timestampText)
{
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, secret);
    mac.addData(timestampText);
    mac.addData(".", 1);
    mac.addData(rawBody);
    return mac.result().toHex(); // toHex() is lower-case
}

} // namespace

bool StripeSignature::constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    // volatile: the compiler may not turn the loop into an early-exit memcmp.
    volatile unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference = difference | (static_cast<unsigned char>(a.at(i)) ^ static_cast<unsigned char>(b.at(i)));
    return difference == 0;
}

QByteArray StripeSignature::signature(const QByteArray &rawBody, const QByteArray &secret, qint64 timestamp)
{
    return hexSignature(rawBody, secret, QByteArray::number(timestamp));
}

QByteArray StripeSignature::header(const QByteArray &rawBody, const QList<QByteArray> &secrets, qint64 timestamp)
{
    QByteArray result = "t=" + QByteArray::number(timestamp);
    for (const QByteArray &secret : secrets)
        result += ",v1=" + signature(rawBody, secret, timestamp);
    return result;
}

StripeSignature::Verdict StripeSignature::verify(const QByteArray &header, const QByteArray &rawBody,
    const QList<QByteArray> &secrets, qint64 nowSeconds, int toleranceSeconds)
{
    QList<QByteArray> keys;
    for (const QByteArray &secret : secrets) {
        if (!secret.isEmpty())
            keys.append(secret);
    }
    if (keys.isEmpty())
        return Verdict::NoSecretConfigured;
    const QByteArray trimmed = header.trimmed();
    if (trimmed.isEmpty())
        return Verdict::MissingHeader;

    std::optional<qint64> timestamp;
    QByteArray timestampText;
    bool timestampSeen = false;
    QList<QByteArray> v1;
    for (const QByteArray &rawItem : trimmed.split(',')) {
        const QByteArray item = rawItem.trimmed();
        const qsizetype equals = item.indexOf('=');
        if (equals <= 0)
            return Verdict::MalformedHeader;
        const QByteArray key = item.left(equals);
        const QByteArray value = item.mid(equals + 1);
        if (key == "t") {
            if (timestampSeen)
                return Verdict::MalformedHeader;
            timestampSeen = true;
            timestamp = parseTimestamp(value);
            timestampText = value;
            if (!timestamp)
                return Verdict::MalformedHeader;
        } else if (key == "v1") {
            v1.append(value);
        }
        // v0 and unknown schemes are ignored.
    }
    if (!timestamp)
        return Verdict::MalformedHeader;
    if (v1.isEmpty())
        return Verdict::NoV1Signature;

    // Every candidate is compared against every secret: the time taken does not depend on which one matched.
    bool matched = false;
    for (const QByteArray &key : std::as_const(keys)) {
        const QByteArray expected = hexSignature(rawBody, key, timestampText);
        for (const QByteArray &candidate : std::as_const(v1)) {
            if (constantTimeEquals(candidate, expected))
                matched = true;
        }
    }
    if (!matched)
        return Verdict::Mismatch;
    const qint64 age = nowSeconds - *timestamp;
    if (age > toleranceSeconds || -age > toleranceSeconds)
        return Verdict::TimestampOutsideTolerance;
    return Verdict::Valid;
}

QString StripeSignature::describe(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Valid:
        return QStringLiteral("valid signature");
    case Verdict::MissingHeader:
        return QStringLiteral("missing Stripe-Signature header");
    case Verdict::MalformedHeader:
        return QStringLiteral("malformed Stripe-Signature header");
    case Verdict::NoV1Signature:
        return QStringLiteral("no v1 signature in the Stripe-Signature header");
    case Verdict::TimestampOutsideTolerance:
        return QStringLiteral("signature timestamp outside the tolerance");
    case Verdict::Mismatch:
        return QStringLiteral("no signature matches the webhook secret");
    case Verdict::NoSecretConfigured:
        return QStringLiteral("no Stripe webhook secret is configured");
    }
    return QStringLiteral("unknown verdict");
}

} // namespace CalStudio
