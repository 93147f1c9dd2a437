#include "core/companion/stripeform.h"

#include <QUrl>

namespace CalStudio {

StripeForm &StripeForm::add(const QString &key, const QString &value)
{
    m_items.append({ key, value });
    return *this;
}

StripeForm &StripeForm::add(const QString &key, qint64 value)
{
    return add(key, QString::number(value));
}

StripeForm &StripeForm::add(const QString &key, bool value)
{
    return add(key, value ? QStringLiteral("true") : QStringLiteral("false"));
}

QByteArray StripeForm::encode(const QString &text)
{
    // Without exclusions QUrl::toPercentEncoding() keeps only the unreserved characters.
    return QUrl::toPercentEncoding(text);
}

QByteArray StripeForm::encoded() const
{
    QByteArray body;
    for (const auto &[key, value] : m_items) {
        if (!body.isEmpty())
            body += '&';
        body += encode(key);
        body += '=';
        body += encode(value);
    }
    return body;
}

QString StripeForm::value(const QString &key) const
{
    for (const auto &[k, v] : m_items) {
        if (k == key)
            return v;
    }
    return {};
}

} // namespace CalStudio
