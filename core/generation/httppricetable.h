#pragma once

#include "core/common/result.h"

#include <QJsonObject>
#include <QSize>
#include <QString>
#include <QStringList>

namespace CalStudio {

/**
 * Per-image price estimates of the image services: the single place prices
 * live. The built-in table is `:/calstudio/prices.json`
 * (resources/prices.json); the user may override it in Edit ▸ Image Prices…,
 * which saves their own table as `prices.json` in
 * QStandardPaths::AppConfigLocation (userTablePath()), in the same layout.
 *
 * Layout: `{"currency": "USD", "models": {"<provider>/<model>": [tiers]}}`,
 * each tier `{"maxEdge": px, "usd": price}`; the first tier whose maxEdge is
 * at least the image's long edge applies, a last tier without maxEdge catches
 * the rest. validate() says what a usable table is.
 *
 * The effective table is the built-in one with the user's entries laid over
 * it: a model the user lists takes the user's tiers, every other model keeps
 * its built-in price (so models added to a newer built-in table are priced
 * even when the user saved their table earlier). A user file that is
 * unreadable, damaged or invalid is ignored with a warning in the log; the
 * built-in prices apply and userTableError() says why. The file is re-read
 * when it changes on disk, so another window's edits are picked up.
 *
 * Model ids are matched exactly first, then after dropping a "-preview"
 * suffix or a "-YYYY-MM-DD" snapshot date. Unknown models estimate 0
 * (unknown), which callers show as "price unknown" rather than "free".
 *
 * Thread-safe: providers estimate prices from worker threads.
 *
 * Error codes of validate() and saveUserTable(): `prices_bad_format`,
 * `prices_bad_currency`, `prices_bad_key`, `prices_unknown_provider`,
 * `prices_no_tiers`, `prices_bad_tier`, `prices_bad_price`,
 * `prices_bad_edge`, `prices_edge_order`, `prices_open_tier`; write failures
 * `prices_save_failed`, `prices_reset_failed`; reading the user file
 * (userTableError()) also `prices_unreadable`, `prices_corrupt`.
 */
class HttpPriceTable {
public:
    /// USD for one image of `nativeSize` from `provider`/`model` in the effective table; 0 when unknown.
    static double estimateUsd(const QString &provider, const QString &model, QSize nativeSize);
    /// Same, from an explicit table with the layout of prices.json (tests, a settings editor).
    static double estimateUsd(
        const QJsonObject &table, const QString &provider, const QString &model, QSize nativeSize);

    /// The built-in table, with its "about" note on where the prices come from.
    static const QJsonObject &builtIn();
    /// The table estimates use: builtIn() with the user's valid table laid over it.
    static QJsonObject effective();

    /// The user's saved table as read (only its own entries); empty when there is none or it cannot be used.
    static QJsonObject userTable();
    /// Why the user's file is not used (null when there is no file or it is fine).
    static Error userTableError();
    /// `<AppConfigLocation>/prices.json`.
    static QString userTablePath();

    /// The provider ids a table may name: offline, gemini, openai, replicate, fal.
    static QStringList knownProviders();

    /**
     * Whether `table` is usable: a "models" object whose keys are
     * "<provider>/<model>" with a known provider and a model id without
     * spaces, each a non-empty list of tiers with a non-negative finite "usd"
     * and, except for an open last tier, a whole positive "maxEdge" larger
     * than the tier before. "currency", when present, is "USD". The error's
     * user message names the model and the price line that is wrong.
     */
    static Status validate(const QJsonObject &table);

    /// Validates `table` and saves it as the user's table, atomically (QSaveFile).
    static Status saveUserTable(const QJsonObject &table);
    /// Deletes the user's table: the built-in prices apply again.
    static Status resetUserTable();
};

} // namespace CalStudio
