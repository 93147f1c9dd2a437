#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace CalStudio {

/**
 * Decodes Stripe's `application/x-www-form-urlencoded` request bodies (and
 * query strings) into nested JSON, the way the API reads them (EXTERNAL_APIS.md
 * 2.1):
 *
 * - keys and values are percent-decoded and `+` is a space, so
 *   `line_items%5B0%5D%5Bquantity%5D=1` and `line_items[0][quantity]=1` are
 *   the same parameter;
 * - brackets nest: `a[b][c]=v` → `{"a":{"b":{"c":"v"}}}`;
 * - a level whose keys are all indices (`[0]`, `[1]`, …) becomes an array in
 *   index order, and `[]` appends (`expand[]=x&expand[]=y` → `["x","y"]`;
 *   `a[][k]` starts a new element when the last one already has `k`, as
 *   Rack does);
 * - every value stays a string (`"true"`, `"2999"`): the endpoint converts and
 *   validates, as Stripe does;
 * - a repeated scalar keeps the last value.
 *
 * Fails (nullopt and `error`) when a key is malformed (`a[b`, `[x]`) or a
 * parameter is used both as a value and as a hash (`metadata=x&metadata[k]=y`);
 * `errorParam` then names the top-level parameter, for the 400's `param`.
 */
class StripeFormDecoder {
public:
    static std::optional<QJsonObject> decode(
        const QByteArray &body, QString *error = nullptr, QString *errorParam = nullptr);

    /// `a[b][0][]` → {"a","b","0",""}; nullopt when the brackets are not well-formed.
    static std::optional<QStringList> splitKey(const QString &key);

    /// Percent-decodes one key or value of a form body (`+` is a space); invalid UTF-8 becomes U+FFFD.
    static QString decodeComponent(QByteArray component);
};

} // namespace CalStudio
