#pragma once

#include <QJsonObject>
#include <QSize>
#include <QString>

namespace CalStudio {

/**
 * Per-image price estimates of the HTTP providers, read from the built-in
 * `:/calstudio/prices.json` (resources/prices.json): the single place prices
 * live. Model ids are matched after dropping a "-preview" suffix or a
 * "-YYYY-MM-DD" snapshot date. Unknown models estimate 0 (unknown), which
 * callers show as "price unknown" rather than "free".
 */
class HttpPriceTable {
public:
    /// USD for one image of `nativeSize` from `provider`/`model`; 0 when unknown.
    static double estimateUsd(const QString &provider, const QString &model, QSize nativeSize);
    /// Same, from an explicit table with the layout of prices.json (tests, a settings editor).
    static double estimateUsd(const QJsonObject &table, const QString &provider, const QString &model, QSize nativeSize);
    /// The built-in table.
    static const QJsonObject &builtIn();
};

} // namespace CalStudio
