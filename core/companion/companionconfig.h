#pragma once

#include "core/commerce/printformat.h"
#include "core/common/result.h"
#include "core/companion/pricebook.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QUrl>

#include <optional>

namespace CalStudio {

/**
 * Where the companion keeps its orders, parsed from the database URL:
 * `sqlite:<path>` or `postgresql://user[:password]@host[:port]/dbname[?options]`.
 */
struct DatabaseSettings {
    QString driver; ///< "QSQLITE" or "QPSQL" (the QSqlDatabase driver name)
    QString path; ///< QSQLITE: absolute path of the database file
    QString host; ///< QPSQL
    int port = 0; ///< QPSQL: 5432 unless given; 0 for QSQLITE
    QString user; ///< QPSQL
    QString password; ///< QPSQL, may be empty — a secret: never log it
    QString name; ///< QPSQL: the database name
    QString
        connectOptions; ///< QPSQL: the URL's query as QSqlDatabase::setConnectOptions() wants it ("sslmode=require;…")
};

/**
 * The companion server's settings: read from a JSON file, overridden by the
 * environment, and validated completely before the server starts
 * (`calstudio-companion --check-config` runs exactly this). The file's keys,
 * their environment variables and defaults are documented in
 * packaging/companion/README.md, with a full example next to it.
 *
 * Validation collects every problem and reports them together as one Error
 * with code "invalid_config" whose userMessage has one line per problem,
 * each starting with the key (`stripe.secret_key: missing — set it in the
 * file or in STRIPE_SECRET_KEY`). Secrets (Stripe and Printify keys, webhook
 * secrets, the admin token, the database password) never appear in an error
 * or in redactedJson().
 *
 * Side effect of loading: the data directory is created if it is missing.
 */
struct CompanionConfig {
    static constexpr quint16 DefaultPort = 8787;
    static constexpr int DefaultCheckoutExpiryMinutes = 60;
    static constexpr int MinCheckoutExpiryMinutes = 30; // Stripe: expires_at 30 min … 24 h ahead
    static constexpr int MaxCheckoutExpiryMinutes = 1440;
    static constexpr qint64 DefaultMaxUploadBytes = 50 * 1024 * 1024;
    static constexpr int DefaultOrdersPerMinutePerIp = 10;
    static constexpr int DefaultCheckoutsPerMinutePerIp = 20;
    static constexpr int DefaultWorkerThreads = 8;
    static constexpr int MaxWorkerThreads = 64;
    static constexpr int MinAdminTokenLength = 32;

    // Network
    QHostAddress listenAddress = QHostAddress(QHostAddress::LocalHost);
    quint16 listenPort = DefaultPort; ///< 0: any free port (tests)
    /// Base of every URL the server hands out (checkout success/cancel pages); no trailing slash,
    /// so append paths such as "/checkout/return". Default http://<listen address>:<port>.
    QUrl publicUrl;
    QString tlsCertificateFile; ///< absolute; empty: plain HTTP (behind a TLS-terminating proxy)
    QString tlsKeyFile; ///< absolute; set exactly when tlsCertificateFile is

    // Storage
    QString dataDir; ///< absolute; exists and is writable after load()
    QString databaseUrl; ///< as given (a secret when it carries a password); see database()

    // Stripe
    QString stripeSecretKey; ///< sk_test_/sk_live_/rk_test_/rk_live_…
    QList<QByteArray> stripeWebhookSecrets; ///< whsec_…, at least one (several while a secret is rolled)
    QUrl stripeApiBase = QUrl(QStringLiteral("https://api.stripe.com")); ///< no trailing slash
    QString stripeApiVersion = QStringLiteral("2026-03-25.dahlia"); ///< sent as Stripe-Version
    int checkoutExpiryMinutes = DefaultCheckoutExpiryMinutes;

    // Printify (fulfillment; optional until it is used)
    QString printifyApiToken;
    QString printifyShopId;
    QUrl printifyApiBase = QUrl(QStringLiteral("https://api.printify.com")); ///< no trailing slash
    QString printifyWebhookSecret;
    static constexpr int DefaultPrintifyTimeoutSeconds = 30;
    int printifyTimeoutSeconds = DefaultPrintifyTimeoutSeconds; ///< per Printify request, 1–300

    // Owner
    QString adminToken; ///< Bearer token for /v1/admin/…, at least MinAdminTokenLength characters

    // Catalog
    QList<PrintFormat> formats; ///< in the file's order, ids unique
    PriceBook priceBook; ///< one entry per format
    QHash<QString, QJsonObject> printifyMapping; ///< format id → the format's "printify" object as given

    // Limits
    qint64 maxUploadBytes = DefaultMaxUploadBytes; ///< per print file
    int ordersPerMinutePerIp = DefaultOrdersPerMinutePerIp;
    int checkoutsPerMinutePerIp = DefaultCheckoutsPerMinutePerIp;
    int workerThreads = DefaultWorkerThreads; ///< request handlers that do I/O, 1 … MaxWorkerThreads
    /// Reverse proxies (nginx on this machine) whose X-Forwarded-For names the client; the rate
    /// limits key on that address instead of the proxy's. Empty: the peer address is the client.
    QList<QHostAddress> trustedProxies;

    // Fulfillment at Printify
    static constexpr int DefaultFulfillmentMaxAttempts = 8;
    static constexpr int DefaultFulfillmentRetrySeconds = 30;
    static constexpr int DefaultFulfillmentPollSeconds = 1800;
    static constexpr int DefaultKeepFilesDays = 30;
    static constexpr int DefaultFulfillmentLeaseSeconds = 300;
    int fulfillmentMaxAttempts = DefaultFulfillmentMaxAttempts; ///< failures of one step before fulfillment_failed
    int fulfillmentRetrySeconds = DefaultFulfillmentRetrySeconds; ///< first retry delay, doubled each time (cap 1 h)
    int fulfillmentPollSeconds = DefaultFulfillmentPollSeconds; ///< polling fallback for open orders
    int keepFilesDays = DefaultKeepFilesDays; ///< print files are deleted this long after delivery or refund
    int fulfillmentLeaseSeconds = DefaultFulfillmentLeaseSeconds; ///< a claimed job is another instance's after this

    QString sourceFile; ///< the file load() read (absolute), empty for fromJson()

    /**
     * Reads the JSON file at `path`, applies `env`'s overrides and validates
     * everything; relative paths in the file resolve against the file's
     * directory. Error "invalid_config" (also for an unreadable file and
     * malformed JSON, with line and column).
     */
    static Result<CompanionConfig> load(
        const QString &path, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment());
    /// load() for an already parsed file; relative paths resolve against `baseDir`.
    static Result<CompanionConfig> fromJson(
        const QJsonObject &json, const QProcessEnvironment &env, const QString &baseDir);

    /// "sandbox" when the Stripe API base is a loopback host, otherwise "live" or "test" from the key.
    [[nodiscard]] QString mode() const;
    /// Whether the Stripe key is a live one (sk_live_/rk_live_).
    [[nodiscard]] bool isLiveKey() const;
    /// The parsed database URL (the default when none was given).
    [[nodiscard]] DatabaseSettings database() const;
    /// The format with `id` among `formats`, or nothing.
    [[nodiscard]] std::optional<PrintFormat> format(const QString &id) const;
    /// "host:port" as COMPANION_LISTEN takes it ("[::1]:8787" for IPv6).
    [[nodiscard]] QString listenString() const;

    /**
     * Every setting in the file's shape, for --check-config: secrets appear
     * only as "set" / "not set", the database URL without its password, plus
     * "mode" and each format's title and positions.
     */
    [[nodiscard]] QJsonObject redactedJson() const;
};

} // namespace CalStudio
