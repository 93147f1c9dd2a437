#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace CalStudio {

/**
 * An ordered `application/x-www-form-urlencoded` body as Stripe expects it
 * (EXTERNAL_APIS.md 2.1): nested keys in brackets (`line_items[0][quantity]`,
 * `metadata[order_id]`), array items by index, booleans as `true`/`false`.
 *
 * encoded() percent-encodes keys and values as UTF-8 — everything except
 * the RFC 3986 unreserved characters `A–Z a–z 0–9 - . _ ~`, so brackets
 * become `%5B`/`%5D`, a space `%20`, `+` `%2B`, and the literal
 * `{CHECKOUT_SESSION_ID}` of a success URL `%7BCHECKOUT_SESSION_ID%7D`
 * (Stripe decodes it back before substituting) — and joins the pairs with
 * '&' in the order they were added. Repeated keys are kept as added.
 *
 * A value type; no validation of Stripe's parameter names.
 */
class StripeForm {
public:
    StripeForm &add(const QString &key, const QString &value);
    StripeForm &add(const QString &key, const char *value) { return add(key, QString::fromUtf8(value)); }
    StripeForm &add(const QString &key, qint64 value);
    StripeForm &add(const QString &key, int value) { return add(key, qint64(value)); }
    StripeForm &add(const QString &key, bool value); ///< "true" / "false"

    /// The body: percent-encoded `key=value` pairs joined with '&', in insertion order.
    [[nodiscard]] QByteArray encoded() const;
    /// The pairs as added, not encoded.
    [[nodiscard]] QList<QPair<QString, QString>> items() const { return m_items; }
    /// The value of the first pair with `key`, or a null QString.
    [[nodiscard]] QString value(const QString &key) const;
    [[nodiscard]] bool isEmpty() const { return m_items.isEmpty(); }

    /// Percent-encodes one key or value as encoded() does.
    static QByteArray encode(const QString &text);

private:
    QList<QPair<QString, QString>> m_items;
};

} // namespace CalStudio
