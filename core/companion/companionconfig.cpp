#include "core/companion/companionconfig.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>
#include <QTemporaryFile>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>
#include <variant>

namespace CalStudio {

namespace {

// Top-level keys of the file.
const QString KeyListen = QStringLiteral("listen");
const QString KeyPublicUrl = QStringLiteral("public_url");
const QString KeyTls = QStringLiteral("tls");
const QString KeyDataDir = QStringLiteral("data_dir");
const QString KeyDatabaseUrl = QStringLiteral("database_url");
const QString KeyStripe = QStringLiteral("stripe");
const QString KeyPrintify = QStringLiteral("printify");
const QString KeyAdminToken = QStringLiteral("admin_token");
const QString KeyLimits = QStringLiteral("limits");
const QString KeyWorkerThreads = QStringLiteral("worker_threads");
const QString KeyTrustedProxies = QStringLiteral("trusted_proxies");
const QString KeyFulfillment = QStringLiteral("fulfillment");
const QString KeyFormats = QStringLiteral("formats");

const QString EnvStripeSecretKey = QStringLiteral("STRIPE_SECRET_KEY");
const QString EnvStripeWebhookSecret = QStringLiteral("STRIPE_WEBHOOK_SECRET");
const QString EnvStripeApiBase = QStringLiteral("STRIPE_API_BASE");
const QString EnvPrintifyApiToken = QStringLiteral("PRINTIFY_API_TOKEN");
const QString EnvPrintifyShopId = QStringLiteral("PRINTIFY_SHOP_ID");
const QString EnvPrintifyApiBase = QStringLiteral("PRINTIFY_API_BASE");
const QString EnvPrintifyWebhookSecret = QStringLiteral("PRINTIFY_WEBHOOK_SECRET");
const QString EnvListen = QStringLiteral("COMPANION_LISTEN");
const QString EnvPublicUrl = QStringLiteral("COMPANION_PUBLIC_URL");
const QString EnvDatabaseUrl = QStringLiteral("COMPANION_DATABASE_URL");
const QString EnvAdminToken = QStringLiteral("COMPANION_ADMIN_TOKEN");
const QString EnvDataDir = QStringLiteral("COMPANION_DATA_DIR");

constexpr qint64 MinUploadBytes = 1024;
constexpr qint64 MaxUploadBytesLimit = qint64(1) << 30; // QHttpServer 6.4 holds whole bodies in memory
constexpr int MaxPerMinute = 10000;
constexpr int MinPrintifySecretLength = 8;
constexpr int DefaultPostgresPort = 5432;

const QString Set = QStringLiteral("set");
const QString NotSet = QStringLiteral("not set");

/// Every problem found, one line each: "key: what is wrong — how to fix it".
class Problems {
public:
    void add(const QString &key, const QString &text) { m_lines << QStringLiteral("%1: %2").arg(key, text); }
    QStringList &lines() { return m_lines; }
    [[nodiscard]] bool isEmpty() const { return m_lines.isEmpty(); }

private:
    QStringList m_lines;
};

Error configError(const QStringList &problems, const QString &source)
{
    const QString where = source.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(source);
    QString message = problems.size() == 1
        ? QStringLiteral("The companion configuration%1 has a problem:").arg(where)
        : QStringLiteral("The companion configuration%1 has %2 problems:").arg(where).arg(problems.size());
    for (const QString &line : problems) {
        message += u'\n';
        message += line;
    }
    return Error(QStringLiteral("invalid_config"), message,
        QStringLiteral("fix the settings named above, then run calstudio-companion --config FILE --check-config"));
}

/// A string setting: from the environment when its variable is set and not empty, otherwise from the file.
struct StringSetting {
    QString value; ///< trimmed
    QString key; ///< for messages: "stripe.secret_key" or "stripe.secret_key (from STRIPE_SECRET_KEY)"
    bool fromEnv = false;
    bool present = false;
    bool wrongType = false; ///< already reported: not a string
};

class Reader {
public:
    Reader(const QJsonObject &root, const QProcessEnvironment &env, Problems &problems)
        : m_root(root)
        , m_env(env)
        , m_problems(problems)
    {
    }

    /// A sub-object of the root such as "stripe"; reports a wrong type and unknown keys.
    QJsonObject section(const QString &name, const QStringList &knownKeys)
    {
        const QJsonValue v = m_root.value(name);
        if (v.isUndefined() || v.isNull())
            return {};
        if (!v.isObject()) {
            m_problems.add(name, QStringLiteral("must be an object with the keys %1").arg(knownKeys.join(u", ")));
            return {};
        }
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!knownKeys.contains(it.key()))
                m_problems.add(QStringLiteral("%1.%2").arg(name, it.key()),
                    QStringLiteral("unknown key — expected one of %1; check the spelling").arg(knownKeys.join(u", ")));
        }
        return o;
    }

    /// `object[key]` (shown as `fullKey`) or the environment variable `envName`.
    StringSetting string(
        const QJsonObject &object, const QString &key, const QString &fullKey, const QString &envName = {})
    {
        StringSetting s;
        s.key = fullKey;
        if (!envName.isEmpty() && !m_env.value(envName).trimmed().isEmpty()) {
            s.value = m_env.value(envName).trimmed();
            s.key = QStringLiteral("%1 (from %2)").arg(fullKey, envName);
            s.fromEnv = true;
            s.present = true;
            return s;
        }
        const QJsonValue v = object.value(key);
        if (v.isUndefined() || v.isNull())
            return s;
        if (!v.isString()) {
            m_problems.add(fullKey, QStringLiteral("must be a string"));
            s.wrongType = true;
            return s;
        }
        s.value = v.toString().trimmed();
        s.present = !s.value.isEmpty();
        return s;
    }

    /// A whole number in [low, high] at `object[key]`, or `fallback` when absent.
    qint64 integer(
        const QJsonObject &object, const QString &key, const QString &fullKey, qint64 low, qint64 high, qint64 fallback)
    {
        const QJsonValue v = object.value(key);
        if (v.isUndefined() || v.isNull())
            return fallback;
        const double d = v.toDouble(std::nan(""));
        if (!v.isDouble() || !std::isfinite(d) || d != std::floor(d) || d < double(low) || d > double(high)) {
            m_problems.add(fullKey, QStringLiteral("must be a whole number from %1 to %2").arg(low).arg(high));
            return fallback;
        }
        return qint64(d);
    }

    /// The value of `envName` when set and not empty.
    std::optional<QString> env(const QString &envName) const
    {
        const QString v = m_env.value(envName).trimmed();
        return v.isEmpty() ? std::nullopt : std::optional<QString>(v);
    }

private:
    const QJsonObject &m_root;
    const QProcessEnvironment &m_env;
    Problems &m_problems;
};

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

/// Printable ASCII without spaces: what a key, token or secret may contain.
bool isTokenText(const QString &s)
{
    for (const QChar c : s) {
        if (c.unicode() <= 0x20 || c.unicode() >= 0x7f)
            return false;
    }
    return !s.isEmpty();
}

/// "host:port", "[v6]:port"; "localhost" means 127.0.0.1.
std::optional<std::pair<QHostAddress, quint16>> parseListen(const QString &text)
{
    QString host, port;
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(QLatin1String("]:"));
        if (close < 0)
            return std::nullopt;
        host = text.mid(1, close - 1);
        port = text.mid(close + 2);
    } else {
        const qsizetype colon = text.lastIndexOf(u':');
        if (colon < 0 || text.indexOf(u':') != colon)
            return std::nullopt; // IPv6 needs brackets
        host = text.left(colon);
        port = text.mid(colon + 1);
    }
    QHostAddress address;
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(host) || address.protocol() == QAbstractSocket::UnknownNetworkLayerProtocol)
        return std::nullopt;
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,5}$"));
    if (!digits.match(port).hasMatch() || port.toInt() > 65535)
        return std::nullopt;
    return std::make_pair(address, quint16(port.toInt()));
}

QString hostPort(const QHostAddress &address, quint16 port)
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
        ? QStringLiteral("[%1]").arg(address.toString())
        : address.toString();
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

/// An http(s) base URL without user info, query or fragment; trailing slashes dropped.
/// Returns the reason when it is not one (never echoing the value).
std::variant<QUrl, QString> parseBaseUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.isRelative())
        return QStringLiteral("not a valid absolute URL");
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return QStringLiteral("must start with https:// (or http://)");
    if (url.host().isEmpty())
        return QStringLiteral("has no host name");
    if (!url.userInfo().isEmpty())
        return QStringLiteral("must not contain a user name or password");
    if (url.hasQuery() || url.hasFragment())
        return QStringLiteral("must not have a query (?…) or fragment (#…)");
    QUrl clean = url;
    QString path = clean.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    clean.setPath(path);
    return clean;
}

/// Resolves `path` against `baseDir` when relative; cleans it.
QString absolutePath(const QString &path, const QString &baseDir)
{
    return QDir::cleanPath(QDir(baseDir).absoluteFilePath(path));
}

/// Parses a database URL; `baseDir` resolves a relative SQLite path. Returns the reason when invalid.
std::variant<DatabaseSettings, QString> parseDatabaseUrl(const QString &text, const QString &baseDir)
{
    DatabaseSettings db;
    if (text.startsWith(QLatin1String("sqlite:"), Qt::CaseInsensitive)) {
        QString path = text.mid(7);
        if (path.startsWith(QLatin1String("//")))
            path = path.mid(2); // sqlite:///var/lib/… written URL-style
        if (path.isEmpty())
            return QStringLiteral("has no file path — write sqlite:/path/to/companion.sqlite");
        if (path == QLatin1String(":memory:"))
            return QStringLiteral("an in-memory database loses every order on restart — give a file path");
        db.driver = QStringLiteral("QSQLITE");
        db.path = absolutePath(path, baseDir);
        return db;
    }
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != QLatin1String("postgresql") && scheme != QLatin1String("postgres")))
        return QStringLiteral("not understood — use sqlite:/path/to/companion.sqlite or "
                              "postgresql://user:password@host:5432/dbname");
    db.driver = QStringLiteral("QPSQL");
    db.host = url.host();
    db.port = url.port(DefaultPostgresPort);
    db.user = url.userName();
    db.password = url.password();
    QString name = url.path();
    if (name.startsWith(u'/'))
        name = name.mid(1);
    db.name = name;
    if (db.host.isEmpty() || db.user.isEmpty() || db.name.isEmpty() || db.name.contains(u'/') || db.port <= 0)
        return QStringLiteral("a PostgreSQL URL needs a user, a host and a database name — "
                              "postgresql://user:password@host:5432/dbname");
    QStringList options;
    static const QRegularExpression optionName(QStringLiteral("^[a-z_]+$"));
    for (const auto &[key, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded)) {
        if (!optionName.match(key).hasMatch() || value.contains(u';'))
            return QStringLiteral("has a query option that is not a libpq connection option (e.g. ?sslmode=require)");
        options << QStringLiteral("%1=%2").arg(key, value);
    }
    db.connectOptions = options.join(u';');
    return db;
}

/// The database URL to show: the password replaced by "***".
QString redactedDatabaseUrl(const QString &text)
{
    if (text.startsWith(QLatin1String("sqlite:"), Qt::CaseInsensitive))
        return text;
    QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return QStringLiteral("(not valid)");
    if (!url.password().isEmpty())
        url.setPassword(QStringLiteral("***"));
    return url.toString();
}

std::optional<QSslKey> loadPrivateKey(const QByteArray &data)
{
    for (const QSsl::EncodingFormat encoding : { QSsl::Pem, QSsl::Der }) {
        for (const QSsl::KeyAlgorithm algorithm : { QSsl::Rsa, QSsl::Ec, QSsl::Dsa }) {
            QSslKey key(data, algorithm, encoding, QSsl::PrivateKey);
            if (!key.isNull())
                return key;
        }
    }
    return std::nullopt;
}

QJsonArray shippingJson(const QList<ShippingOption> &options)
{
    QJsonArray array;
    for (const ShippingOption &o : options) {
        array.append(QJsonObject {
            { QStringLiteral("id"), o.id },
            { QStringLiteral("display_name"), o.displayName },
            { QStringLiteral("amount"), double(o.amount) },
            { QStringLiteral("min_days"), o.minDays },
            { QStringLiteral("max_days"), o.maxDays },
        });
    }
    return array;
}

/// Reads and checks everything; appends each problem to `problems`.
CompanionConfig parseConfig(
    const QJsonObject &json, const QProcessEnvironment &env, const QString &baseDir, Problems &problems)
{
    Reader reader(json, env, problems);
    CompanionConfig c;
    const QString cwd = QDir::currentPath();

    static const QStringList topKeys { KeyListen, KeyPublicUrl, KeyTls, KeyDataDir, KeyDatabaseUrl, KeyStripe,
        KeyPrintify, KeyAdminToken, KeyLimits, KeyWorkerThreads, KeyTrustedProxies, KeyFulfillment, KeyFormats };
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!topKeys.contains(it.key()))
            problems.add(it.key(),
                QStringLiteral("unknown key — expected one of %1; check the spelling").arg(topKeys.join(u", ")));
    }
    const QJsonObject tls = reader.section(KeyTls, { QStringLiteral("certificate"), QStringLiteral("key") });
    const QJsonObject stripe = reader.section(KeyStripe,
        { QStringLiteral("secret_key"), QStringLiteral("webhook_secrets"), QStringLiteral("api_base"),
            QStringLiteral("api_version"), QStringLiteral("checkout_expiry_minutes") });
    const QJsonObject printify = reader.section(KeyPrintify,
        { QStringLiteral("api_token"), QStringLiteral("shop_id"), QStringLiteral("api_base"),
            QStringLiteral("webhook_secret"), QStringLiteral("timeout_seconds") });
    c.printifyTimeoutSeconds = int(reader.integer(printify, QStringLiteral("timeout_seconds"),
        QStringLiteral("printify.timeout_seconds"), 1, 300, CompanionConfig::DefaultPrintifyTimeoutSeconds));
    const QJsonObject limits = reader.section(KeyLimits,
        { QStringLiteral("max_upload_bytes"), QStringLiteral("orders_per_minute_per_ip"),
            QStringLiteral("checkouts_per_minute_per_ip") });

    // --- listen and public URL
    const StringSetting listen = reader.string(json, KeyListen, KeyListen, EnvListen);
    if (listen.present) {
        if (const auto parsed = parseListen(listen.value)) {
            c.listenAddress = parsed->first;
            c.listenPort = parsed->second;
        } else {
            problems.add(listen.key,
                QStringLiteral("\"%1\" is not address:port — e.g. \"127.0.0.1:8787\", \"0.0.0.0:8787\" or "
                               "\"[::1]:8787\"")
                    .arg(listen.value.left(100)));
        }
    }

    // --- Stripe (the key decides whether the public URL must be https)
    const StringSetting secretKey
        = reader.string(stripe, QStringLiteral("secret_key"), QStringLiteral("stripe.secret_key"), EnvStripeSecretKey);
    static const QRegularExpression stripeKeyPattern(QStringLiteral("^(sk|rk)_(test|live)_[A-Za-z0-9_]+$"));
    if (!secretKey.present) {
        if (!secretKey.wrongType)
            problems.add(secretKey.key,
                QStringLiteral("missing — set it in the file or in %1 (the secret key from the Stripe dashboard, "
                               "sk_test_… or sk_live_…)")
                    .arg(EnvStripeSecretKey));
    } else if (secretKey.value.startsWith(QLatin1String("pk_"))) {
        problems.add(secretKey.key,
            QStringLiteral("this is a publishable key — use the secret key (sk_…) or a restricted key (rk_…)"));
    } else if (!stripeKeyPattern.match(secretKey.value).hasMatch()) {
        problems.add(secretKey.key,
            QStringLiteral("not a Stripe secret key — it must start with sk_test_, sk_live_, rk_test_ or rk_live_ "
                           "and contain only letters, digits and '_'"));
    } else {
        c.stripeSecretKey = secretKey.value;
    }

    QStringList webhookSecrets;
    const QString webhookKey = QStringLiteral("stripe.webhook_secrets");
    QString webhookOrigin; // " (from STRIPE_WEBHOOK_SECRET)" when the environment gave them
    bool webhookReported = false; // a problem with the list itself or one of its entries is already reported
    if (const auto fromEnv = reader.env(EnvStripeWebhookSecret)) {
        webhookOrigin = QStringLiteral(" (from %1)").arg(EnvStripeWebhookSecret);
        for (const QString &part : fromEnv->split(u',')) {
            if (!part.trimmed().isEmpty())
                webhookSecrets << part.trimmed();
        }
    } else {
        const QJsonValue v = stripe.value(QStringLiteral("webhook_secrets"));
        if (v.isArray()) {
            const QJsonArray array = v.toArray();
            for (qsizetype i = 0; i < array.size(); ++i) {
                if (!array[i].isString()) {
                    problems.add(QStringLiteral("%1[%2]").arg(webhookKey).arg(i), QStringLiteral("must be a string"));
                    webhookReported = true;
                } else {
                    webhookSecrets << array[i].toString().trimmed();
                }
            }
        } else if (!v.isUndefined() && !v.isNull()) {
            problems.add(webhookKey, QStringLiteral("must be a list of strings, e.g. [\"whsec_…\"]"));
            webhookReported = true;
        }
    }
    if (webhookSecrets.isEmpty() && !webhookReported) {
        problems.add(webhookKey + webhookOrigin,
            QStringLiteral("missing — set it in the file or in %1 (comma-separated while rolling): the webhook "
                           "signing secret whsec_… of the Stripe dashboard's webhook endpoint")
                .arg(EnvStripeWebhookSecret));
    }
    for (qsizetype i = 0; i < webhookSecrets.size(); ++i) {
        const QString &secret = webhookSecrets[i];
        if (!secret.startsWith(QLatin1String("whsec_")) || secret.size() <= 6 || !isTokenText(secret))
            problems.add(QStringLiteral("%1[%2]%3").arg(webhookKey).arg(i).arg(webhookOrigin),
                QStringLiteral("not a webhook signing secret — it must start with whsec_ and contain no spaces"));
        else
            c.stripeWebhookSecrets << secret.toUtf8();
    }

    const StringSetting stripeBase
        = reader.string(stripe, QStringLiteral("api_base"), QStringLiteral("stripe.api_base"), EnvStripeApiBase);
    if (stripeBase.present) {
        const auto parsed = parseBaseUrl(stripeBase.value);
        if (const QString *reason = std::get_if<QString>(&parsed)) {
            problems.add(stripeBase.key, *reason + QStringLiteral(" — e.g. https://api.stripe.com"));
        } else {
            const QUrl url = std::get<QUrl>(parsed);
            if (url.scheme().toLower() != QLatin1String("https") && !isLoopbackHost(url.host()))
                problems.add(stripeBase.key,
                    QStringLiteral("must use https:// (plain http is accepted only for a sandbox on this machine)"));
            else
                c.stripeApiBase = url;
        }
    }

    const StringSetting apiVersion
        = reader.string(stripe, QStringLiteral("api_version"), QStringLiteral("stripe.api_version"));
    static const QRegularExpression versionPattern(QStringLiteral("^[0-9]{4}-[0-9]{2}-[0-9]{2}(\\.[a-z]+)?$"));
    if (apiVersion.present) {
        if (versionPattern.match(apiVersion.value).hasMatch())
            c.stripeApiVersion = apiVersion.value;
        else
            problems.add(apiVersion.key,
                QStringLiteral("\"%1\" is not a Stripe API version — e.g. \"2026-03-25.dahlia\"")
                    .arg(apiVersion.value.left(40)));
    }
    c.checkoutExpiryMinutes = int(reader.integer(stripe, QStringLiteral("checkout_expiry_minutes"),
        QStringLiteral("stripe.checkout_expiry_minutes"), CompanionConfig::MinCheckoutExpiryMinutes,
        CompanionConfig::MaxCheckoutExpiryMinutes, CompanionConfig::DefaultCheckoutExpiryMinutes));

    // --- public URL
    const StringSetting publicUrl = reader.string(json, KeyPublicUrl, KeyPublicUrl, EnvPublicUrl);
    if (publicUrl.present) {
        const auto parsed = parseBaseUrl(publicUrl.value);
        if (const QString *reason = std::get_if<QString>(&parsed))
            problems.add(publicUrl.key, *reason + QStringLiteral(" — e.g. https://shop.example.com"));
        else
            c.publicUrl = std::get<QUrl>(parsed);
    } else {
        // Listening on every interface says nothing about the name customers use; this machine's loopback at
        // least works for a local test.
        QHostAddress host = c.listenAddress;
        if (host == QHostAddress(QHostAddress::AnyIPv4) || host == QHostAddress(QHostAddress::Any))
            host = QHostAddress(QHostAddress::LocalHost);
        else if (host == QHostAddress(QHostAddress::AnyIPv6))
            host = QHostAddress(QHostAddress::LocalHostIPv6);
        c.publicUrl = QUrl(QStringLiteral("http://%1").arg(hostPort(host, c.listenPort)));
    }
    if (!c.stripeSecretKey.isEmpty() && c.isLiveKey() && c.publicUrl.scheme().toLower() != QLatin1String("https"))
        problems.add(publicUrl.present ? publicUrl.key : KeyPublicUrl,
            QStringLiteral("must be an https:// URL when the Stripe key is a live key — customers' browsers are "
                           "sent there after paying"));

    // --- TLS
    const StringSetting certificate
        = reader.string(tls, QStringLiteral("certificate"), QStringLiteral("tls.certificate"));
    const StringSetting key = reader.string(tls, QStringLiteral("key"), QStringLiteral("tls.key"));
    if (certificate.present != key.present) {
        problems.add(certificate.present ? key.key : certificate.key,
            QStringLiteral("missing — give both tls.certificate and tls.key, or neither (plain HTTP behind a "
                           "TLS-terminating proxy)"));
    } else if (certificate.present) {
        c.tlsCertificateFile = absolutePath(certificate.value, baseDir);
        c.tlsKeyFile = absolutePath(key.value, baseDir);
        if (!QSslSocket::supportsSsl()) {
            problems.add(QStringLiteral("tls"),
                QStringLiteral("this Qt has no TLS backend — install OpenSSL, or terminate TLS in a reverse proxy"));
        } else {
            const QFileInfo certInfo(c.tlsCertificateFile);
            if (!certInfo.isFile() || !certInfo.isReadable()) {
                problems.add(
                    certificate.key, QStringLiteral("%1 does not exist or cannot be read").arg(c.tlsCertificateFile));
            } else {
                QList<QSslCertificate> chain = QSslCertificate::fromPath(c.tlsCertificateFile, QSsl::Pem);
                if (chain.isEmpty())
                    chain = QSslCertificate::fromPath(c.tlsCertificateFile, QSsl::Der);
                if (chain.isEmpty() || chain.first().isNull())
                    problems.add(certificate.key,
                        QStringLiteral("%1 holds no PEM or DER certificate").arg(c.tlsCertificateFile));
                else if (chain.first().expiryDate() < QDateTime::currentDateTimeUtc())
                    problems.add(certificate.key,
                        QStringLiteral("%1 expired on %2 — renew it")
                            .arg(c.tlsCertificateFile, chain.first().expiryDate().toString(Qt::ISODate)));
            }
            QFile keyFile(c.tlsKeyFile);
            if (!keyFile.open(QIODevice::ReadOnly))
                problems.add(key.key, QStringLiteral("%1 does not exist or cannot be read").arg(c.tlsKeyFile));
            else if (!loadPrivateKey(keyFile.readAll()))
                problems.add(key.key,
                    QStringLiteral("%1 holds no private key that can be read — give an RSA or EC key in PEM "
                                   "without a passphrase")
                        .arg(c.tlsKeyFile));
        }
    }

    // --- data directory and database
    const StringSetting dataDir = reader.string(json, KeyDataDir, KeyDataDir, EnvDataDir);
    if (!dataDir.present) {
        if (!dataDir.wrongType)
            problems.add(dataDir.key,
                QStringLiteral("missing — set it in the file or in %1 (a directory for uploads and the database, e.g. "
                               "/var/lib/calstudio-companion)")
                    .arg(EnvDataDir));
    } else {
        const QString path = absolutePath(dataDir.value, dataDir.fromEnv ? cwd : baseDir);
        const QFileInfo info(path);
        if (info.exists() && !info.isDir()) {
            problems.add(dataDir.key, QStringLiteral("%1 is a file, not a directory").arg(path));
        } else if (!QDir().mkpath(path)) {
            problems.add(dataDir.key,
                QStringLiteral("%1 cannot be created — create it and give the server's user write access").arg(path));
        } else {
            QTemporaryFile probe(QDir(path).filePath(QStringLiteral(".write-test-XXXXXX")));
            if (!probe.open())
                problems.add(
                    dataDir.key, QStringLiteral("%1 is not writable — give the server's user write access").arg(path));
            else
                c.dataDir = path;
        }
    }

    const StringSetting databaseUrl = reader.string(json, KeyDatabaseUrl, KeyDatabaseUrl, EnvDatabaseUrl);
    if (databaseUrl.present) {
        const auto parsed = parseDatabaseUrl(databaseUrl.value, databaseUrl.fromEnv ? cwd : baseDir);
        if (const QString *reason = std::get_if<QString>(&parsed)) {
            problems.add(databaseUrl.key, *reason);
        } else {
            const DatabaseSettings &db = std::get<DatabaseSettings>(parsed);
            if (db.driver == QLatin1String("QSQLITE")) {
                c.databaseUrl = QStringLiteral("sqlite:") + db.path;
                if (!QFileInfo(QFileInfo(db.path).absolutePath()).isDir())
                    problems.add(databaseUrl.key,
                        QStringLiteral("the directory %1 does not exist — create it or change the path")
                            .arg(QFileInfo(db.path).absolutePath()));
            } else {
                c.databaseUrl = databaseUrl.value;
            }
            if (!QSqlDatabase::isDriverAvailable(db.driver))
                problems.add(databaseUrl.key,
                    QStringLiteral("Qt's %1 driver is not installed — install it (Debian: %2)")
                        .arg(db.driver,
                            db.driver == QLatin1String("QPSQL") ? QStringLiteral("libqt6sql6-psql")
                                                                : QStringLiteral("libqt6sql6-sqlite")));
        }
    } else if (!c.dataDir.isEmpty()) {
        c.databaseUrl = QStringLiteral("sqlite:") + QDir(c.dataDir).filePath(QStringLiteral("companion.sqlite"));
    }

    // --- Printify (optional until fulfillment uses it; checked when given)
    const StringSetting printifyToken = reader.string(
        printify, QStringLiteral("api_token"), QStringLiteral("printify.api_token"), EnvPrintifyApiToken);
    const StringSetting shopId
        = reader.string(printify, QStringLiteral("shop_id"), QStringLiteral("printify.shop_id"), EnvPrintifyShopId);
    if (printifyToken.present) {
        if (!isTokenText(printifyToken.value) || printifyToken.value.size() < MinPrintifySecretLength)
            problems.add(printifyToken.key,
                QStringLiteral("not a Printify API token — paste the whole token from Printify's "
                               "Connections page, without spaces"));
        else
            c.printifyApiToken = printifyToken.value;
    }
    static const QRegularExpression shopIdPattern(QStringLiteral("^[0-9]{1,20}$"));
    if (shopId.present) {
        if (shopIdPattern.match(shopId.value).hasMatch())
            c.printifyShopId = shopId.value;
        else
            problems.add(
                shopId.key, QStringLiteral("not a Printify shop id — give the number from GET /v1/shops.json"));
    }
    if (printifyToken.present && !shopId.present)
        problems.add(shopId.key,
            QStringLiteral("missing — the API token needs the shop it acts for; set it in the file or in %1")
                .arg(EnvPrintifyShopId));
    if (shopId.present && !printifyToken.present)
        problems.add(printifyToken.key,
            QStringLiteral("missing — the shop id needs an API token; set it in the file or in %1")
                .arg(EnvPrintifyApiToken));
    const StringSetting printifyBase
        = reader.string(printify, QStringLiteral("api_base"), QStringLiteral("printify.api_base"), EnvPrintifyApiBase);
    if (printifyBase.present) {
        const auto parsed = parseBaseUrl(printifyBase.value);
        if (const QString *reason = std::get_if<QString>(&parsed)) {
            problems.add(printifyBase.key, *reason + QStringLiteral(" — e.g. https://api.printify.com"));
        } else {
            const QUrl url = std::get<QUrl>(parsed);
            if (url.scheme().toLower() != QLatin1String("https") && !isLoopbackHost(url.host()))
                problems.add(printifyBase.key,
                    QStringLiteral("must use https:// (plain http is accepted only for a sandbox on this machine)"));
            else
                c.printifyApiBase = url;
        }
    }
    const StringSetting printifySecret = reader.string(printify, QStringLiteral("webhook_secret"),
        QStringLiteral("printify.webhook_secret"), EnvPrintifyWebhookSecret);
    if (printifySecret.present) {
        if (!isTokenText(printifySecret.value) || printifySecret.value.size() < MinPrintifySecretLength)
            problems.add(printifySecret.key,
                QStringLiteral("too short or contains spaces — use at least %1 printable characters without "
                               "spaces (the secret given when registering the webhook)")
                    .arg(MinPrintifySecretLength));
        else
            c.printifyWebhookSecret = printifySecret.value;
    }

    // --- admin token
    const StringSetting admin = reader.string(json, KeyAdminToken, KeyAdminToken, EnvAdminToken);
    if (!admin.present) {
        if (!admin.wrongType)
            problems.add(admin.key,
                QStringLiteral("missing — set it in the file or in %1 (at least %2 random characters, e.g. from "
                               "`openssl rand -hex 32`)")
                    .arg(EnvAdminToken)
                    .arg(CompanionConfig::MinAdminTokenLength));
    } else if (admin.value.size() < CompanionConfig::MinAdminTokenLength || !isTokenText(admin.value))
        problems.add(admin.key,
            QStringLiteral("too short or contains spaces — use at least %1 random printable characters, e.g. from "
                           "`openssl rand -hex 32`")
                .arg(CompanionConfig::MinAdminTokenLength));
    else
        c.adminToken = admin.value;

    // --- limits and threads
    c.maxUploadBytes
        = reader.integer(limits, QStringLiteral("max_upload_bytes"), QStringLiteral("limits.max_upload_bytes"),
            MinUploadBytes, MaxUploadBytesLimit, CompanionConfig::DefaultMaxUploadBytes);
    c.ordersPerMinutePerIp = int(reader.integer(limits, QStringLiteral("orders_per_minute_per_ip"),
        QStringLiteral("limits.orders_per_minute_per_ip"), 1, MaxPerMinute,
        CompanionConfig::DefaultOrdersPerMinutePerIp));
    c.checkoutsPerMinutePerIp = int(reader.integer(limits, QStringLiteral("checkouts_per_minute_per_ip"),
        QStringLiteral("limits.checkouts_per_minute_per_ip"), 1, MaxPerMinute,
        CompanionConfig::DefaultCheckoutsPerMinutePerIp));
    c.workerThreads = int(reader.integer(json, KeyWorkerThreads, KeyWorkerThreads, 1, CompanionConfig::MaxWorkerThreads,
        CompanionConfig::DefaultWorkerThreads));

    // --- fulfillment at Printify
    const QJsonObject fulfillment = reader.section(KeyFulfillment,
        { QStringLiteral("max_attempts"), QStringLiteral("retry_seconds"), QStringLiteral("poll_seconds"),
            QStringLiteral("keep_files_days"), QStringLiteral("lease_seconds") });
    c.fulfillmentMaxAttempts = int(reader.integer(fulfillment, QStringLiteral("max_attempts"),
        QStringLiteral("fulfillment.max_attempts"), 1, 100, CompanionConfig::DefaultFulfillmentMaxAttempts));
    c.fulfillmentRetrySeconds = int(reader.integer(fulfillment, QStringLiteral("retry_seconds"),
        QStringLiteral("fulfillment.retry_seconds"), 1, 3600, CompanionConfig::DefaultFulfillmentRetrySeconds));
    c.fulfillmentPollSeconds = int(reader.integer(fulfillment, QStringLiteral("poll_seconds"),
        QStringLiteral("fulfillment.poll_seconds"), 1, 86400, CompanionConfig::DefaultFulfillmentPollSeconds));
    c.keepFilesDays = int(reader.integer(fulfillment, QStringLiteral("keep_files_days"),
        QStringLiteral("fulfillment.keep_files_days"), 0, 3650, CompanionConfig::DefaultKeepFilesDays));
    c.fulfillmentLeaseSeconds = int(reader.integer(fulfillment, QStringLiteral("lease_seconds"),
        QStringLiteral("fulfillment.lease_seconds"), 5, 3600, CompanionConfig::DefaultFulfillmentLeaseSeconds));
    // A Printify call must end well within the lease, or another instance could take the work over
    // while the call is still under way.
    if (c.fulfillmentLeaseSeconds < 2 * c.printifyTimeoutSeconds + 5) {
        problems.add(QStringLiteral("fulfillment.lease_seconds"),
            QStringLiteral("must be at least twice printify.timeout_seconds plus 5 s (%1 s)")
                .arg(2 * c.printifyTimeoutSeconds + 5));
    }

    // --- reverse proxies whose X-Forwarded-For is believed
    const QJsonValue proxies = json.value(KeyTrustedProxies);
    if (!proxies.isUndefined() && !proxies.isNull()) {
        if (!proxies.isArray()) {
            problems.add(KeyTrustedProxies, QStringLiteral("must be a list of IP addresses, e.g. [\"127.0.0.1\"]"));
        } else {
            const QJsonArray list = proxies.toArray();
            for (qsizetype i = 0; i < list.size(); ++i) {
                const QHostAddress address(list.at(i).toString());
                if (address.isNull()) {
                    problems.add(QStringLiteral("%1[%2]").arg(KeyTrustedProxies).arg(i),
                        QStringLiteral("\"%1\" is not an IP address").arg(list.at(i).toString().left(64)));
                } else {
                    c.trustedProxies.append(address);
                }
            }
        }
    }

    // --- formats and prices
    const QJsonValue formatsValue = json.value(KeyFormats);
    if (!formatsValue.isArray()) {
        problems.add(KeyFormats,
            formatsValue.isUndefined()
                ? QStringLiteral("missing — list the formats the shop sells with their prices (see the example file)")
                : QStringLiteral("must be a list of format entries"));
    } else {
        const QJsonArray formats = formatsValue.toArray();
        if (auto book = PriceBook::parse(formats, problems.lines()))
            c.priceBook = *book;
        for (qsizetype i = 0; i < formats.size(); ++i) {
            const QJsonObject entry = formats[i].toObject();
            const QString formatKey = QStringLiteral("formats[%1].format").arg(i);
            const QJsonValue format = entry.value(QStringLiteral("format"));
            std::optional<PrintFormat> parsed;
            if (format.isString() && !format.toString().isEmpty()) {
                parsed = PrintFormat::find(format.toString());
                if (!parsed)
                    problems.add(formatKey,
                        QStringLiteral("\"%1\" is not a built-in format — use wall-landscape, wall-portrait or "
                                       "square, or describe the format as an object")
                            .arg(format.toString().left(64)));
            } else if (format.isObject()) {
                auto fromJson = PrintFormat::fromJson(format.toObject());
                if (fromJson)
                    parsed = *fromJson;
                else
                    problems.add(
                        formatKey, QStringLiteral("not a valid print format: %1").arg(fromJson.error().detail));
            }
            const QJsonValue mapping = entry.value(QStringLiteral("printify"));
            if (!mapping.isUndefined() && !mapping.isObject())
                problems.add(QStringLiteral("formats[%1].printify").arg(i),
                    QStringLiteral("must be an object, e.g. {\"blueprint_id\": 1253, \"print_provider_id\": 234, "
                                   "\"variant_id\": 94860}"));
            if (!parsed)
                continue;
            const bool duplicate = std::any_of(
                c.formats.begin(), c.formats.end(), [&](const PrintFormat &f) { return f.id == parsed->id; });
            if (duplicate)
                continue; // PriceBook::parse reported it
            c.formats.append(*parsed);
            if (mapping.isObject())
                c.printifyMapping.insert(parsed->id, mapping.toObject());
        }
    }

    return c;
}

} // namespace

Result<CompanionConfig> CompanionConfig::fromJson(
    const QJsonObject &json, const QProcessEnvironment &env, const QString &baseDir)
{
    Problems problems;
    CompanionConfig config = parseConfig(json, env, baseDir, problems);
    if (!problems.isEmpty())
        return configError(problems.lines(), {});
    return config;
}

Result<CompanionConfig> CompanionConfig::load(const QString &path, const QProcessEnvironment &env)
{
    const QFileInfo info(path);
    const QString absolute = info.absoluteFilePath();
    QFile file(absolute);
    if (path.isEmpty() || !file.open(QIODevice::ReadOnly)) {
        return configError({ QStringLiteral("%1: cannot be read (%2) — check the path given to --config and the "
                                            "file's permissions")
                                   .arg(path.isEmpty() ? QStringLiteral("(no file)") : absolute,
                                       path.isEmpty() ? QStringLiteral("no path") : file.errorString()) },
            {});
    }
    const QByteArray data = file.readAll();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // QJsonParseError::offset is where the parser stopped: just past the character it rejected.
        const qsizetype at = std::clamp<qsizetype>(parseError.offset - 1, 0, data.size());
        const QByteArray before = data.left(at);
        const qsizetype line = before.count('\n') + 1;
        const qsizetype column = at - (before.lastIndexOf('\n') + 1) + 1;
        return configError({ QStringLiteral("%1: not valid JSON at line %2, column %3 (%4) — fix the syntax; JSON "
                                            "has no comments and no trailing commas")
                                   .arg(absolute)
                                   .arg(line)
                                   .arg(column)
                                   .arg(parseError.errorString()) },
            {});
    }
    if (!doc.isObject())
        return configError({ QStringLiteral("%1: the file must hold one JSON object { … }").arg(absolute) }, {});
    Problems problems;
    CompanionConfig config = parseConfig(doc.object(), env, info.absolutePath(), problems);
    if (!problems.isEmpty())
        return configError(problems.lines(), absolute);
    config.sourceFile = absolute;
    return config;
}

bool CompanionConfig::isLiveKey() const
{
    return stripeSecretKey.startsWith(QLatin1String("sk_live_"))
        || stripeSecretKey.startsWith(QLatin1String("rk_live_"));
}

QString CompanionConfig::mode() const
{
    if (isLoopbackHost(stripeApiBase.host()))
        return QStringLiteral("sandbox");
    return isLiveKey() ? QStringLiteral("live") : QStringLiteral("test");
}

DatabaseSettings CompanionConfig::database() const
{
    const QString url = databaseUrl.isEmpty()
        ? QStringLiteral("sqlite:") + QDir(dataDir).filePath(QStringLiteral("companion.sqlite"))
        : databaseUrl;
    const auto parsed = parseDatabaseUrl(url, dataDir.isEmpty() ? QDir::currentPath() : dataDir);
    if (const DatabaseSettings *db = std::get_if<DatabaseSettings>(&parsed))
        return *db;
    return {};
}

std::optional<PrintFormat> CompanionConfig::format(const QString &id) const
{
    for (const PrintFormat &f : formats) {
        if (f.id == id)
            return f;
    }
    return std::nullopt;
}

QString CompanionConfig::listenString() const
{
    return hostPort(listenAddress, listenPort);
}

QJsonObject CompanionConfig::redactedJson() const
{
    const DatabaseSettings db = database();
    QJsonObject database {
        { QStringLiteral("driver"), db.driver },
    };
    if (db.driver == QLatin1String("QPSQL")) {
        database.insert(QStringLiteral("host"), db.host);
        database.insert(QStringLiteral("port"), db.port);
        database.insert(QStringLiteral("user"), db.user);
        database.insert(QStringLiteral("name"), db.name);
        database.insert(QStringLiteral("password"), db.password.isEmpty() ? NotSet : Set);
        database.insert(QStringLiteral("options"), db.connectOptions);
    } else {
        database.insert(QStringLiteral("path"), db.path);
    }

    QJsonArray proxyArray;
    for (const QHostAddress &a : trustedProxies)
        proxyArray.append(a.toString());
    QJsonArray formatArray;
    for (const PrintFormat &f : formats) {
        QJsonObject o {
            { QStringLiteral("format"), f.toJson() },
        };
        if (const PriceEntry *e = priceBook.entry(f.id)) {
            o.insert(QStringLiteral("product_name"), e->productName);
            o.insert(QStringLiteral("price"),
                QJsonObject {
                    { QStringLiteral("amount"), double(e->unitAmount) }, { QStringLiteral("currency"), e->currency } });
            o.insert(QStringLiteral("max_quantity"), e->maxQuantity);
            o.insert(QStringLiteral("shipping"), shippingJson(e->shipping));
            o.insert(QStringLiteral("countries"), QJsonArray::fromStringList(e->allowedCountries));
        }
        if (printifyMapping.contains(f.id))
            o.insert(QStringLiteral("printify"), printifyMapping.value(f.id));
        formatArray.append(o);
    }

    return QJsonObject {
        { QStringLiteral("mode"), mode() },
        { KeyListen, listenString() },
        { KeyPublicUrl, publicUrl.toString() },
        { KeyTls,
            tlsCertificateFile.isEmpty() ? QJsonValue(QJsonValue::Null)
                                         : QJsonObject { { QStringLiteral("certificate"), tlsCertificateFile },
                                             { QStringLiteral("key"), tlsKeyFile } } },
        { KeyDataDir, dataDir },
        { KeyDatabaseUrl, redactedDatabaseUrl(databaseUrl) },
        { QStringLiteral("database"), database },
        { KeyStripe,
            QJsonObject {
                { QStringLiteral("secret_key"), stripeSecretKey.isEmpty() ? NotSet : Set },
                { QStringLiteral("key_kind"),
                    stripeSecretKey.isEmpty() ? QString() : stripeSecretKey.left(stripeSecretKey.indexOf(u'_', 3)) },
                { QStringLiteral("webhook_secrets"), stripeWebhookSecrets.isEmpty() ? NotSet : Set },
                { QStringLiteral("webhook_secret_count"), int(stripeWebhookSecrets.size()) },
                { QStringLiteral("api_base"), stripeApiBase.toString() },
                { QStringLiteral("api_version"), stripeApiVersion },
                { QStringLiteral("checkout_expiry_minutes"), checkoutExpiryMinutes },
            } },
        { KeyPrintify,
            QJsonObject {
                { QStringLiteral("api_token"), printifyApiToken.isEmpty() ? NotSet : Set },
                { QStringLiteral("shop_id"), printifyShopId },
                { QStringLiteral("api_base"), printifyApiBase.toString() },
                { QStringLiteral("webhook_secret"), printifyWebhookSecret.isEmpty() ? NotSet : Set },
                { QStringLiteral("timeout_seconds"), printifyTimeoutSeconds },
            } },
        { KeyAdminToken, adminToken.isEmpty() ? NotSet : Set },
        { KeyLimits,
            QJsonObject {
                { QStringLiteral("max_upload_bytes"), double(maxUploadBytes) },
                { QStringLiteral("orders_per_minute_per_ip"), ordersPerMinutePerIp },
                { QStringLiteral("checkouts_per_minute_per_ip"), checkoutsPerMinutePerIp },
            } },
        { KeyWorkerThreads, workerThreads },
        { KeyTrustedProxies, proxyArray },
        { KeyFulfillment,
            QJsonObject {
                { QStringLiteral("max_attempts"), fulfillmentMaxAttempts },
                { QStringLiteral("retry_seconds"), fulfillmentRetrySeconds },
                { QStringLiteral("poll_seconds"), fulfillmentPollSeconds },
                { QStringLiteral("keep_files_days"), keepFilesDays },
                { QStringLiteral("lease_seconds"), fulfillmentLeaseSeconds },
            } },
        { KeyFormats, formatArray },
    };
}

} // namespace CalStudio
