#include "core/companion/companionconfig.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace CalStudio;
using namespace Qt::StringLiterals;

namespace {

// A self-signed EC certificate (CN=localhost, valid until 2126) and its key, for the TLS checks.
const char testCertificate[] = R"(-----BEGIN CERTIFICATE-----
MIIBfzCCASWgAwIBAgIUbXVESM9XTA+7o4fvob7MnhKvf10wCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyNjA2NTQ1NVoYDzIxMjYxMTAy
MDY1NDU1WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQPw3Sgm+++eVRsGnbBg4wrzbAE0+IuuDQMbGro9rDOUvlIhHdw7NNa
j4EGBPkjWzxSh5z5cx4xlTFxje+py1/4o1MwUTAdBgNVHQ4EFgQUmmK7zL/jXACR
O4Q5ec7/ecDYgN4wHwYDVR0jBBgwFoAUmmK7zL/jXACRO4Q5ec7/ecDYgN4wDwYD
VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEA5lZQLcSCZjZbbhRMFklk
lbGT8u1zeSk564AwfibWA9wCIGDMs43oq2u18RXqx26A9B4bXXbKfm45fK7DRRFr
oj+8
-----END CERTIFICATE-----
)";
const char testKey[] = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgb4p+bq4En/++tkBv
mTnC/2xJqIop8WIlhnewCo6tawOhRANCAAQPw3Sgm+++eVRsGnbBg4wrzbAE0+Iu
uDQMbGro9rDOUvlIhHdw7NNaj4EGBPkjWzxSh5z5cx4xlTFxje+py1/4
-----END PRIVATE KEY-----
)";

// Secrets of the good configuration: tests check they never show up in a message.
const QString FileStripeKey = QStringLiteral("sk_test_FILEKEYsecret0001");
const QString FileWebhookSecret = QStringLiteral("whsec_FILEWEBHOOKsecret0002");
const QString FileAdminToken = QStringLiteral("FILEADMINTOKENsecret0003xxxxxxxxxxxxxxxx");

QJsonObject formatEntry(const QJsonValue &format = QStringLiteral("wall-landscape"))
{
    return QJsonObject {
        { u"format"_s, format },
        { u"product_name"_s, u"Photo wall calendar"_s },
        { u"price"_s, QJsonObject { { u"amount"_s, 2999 }, { u"currency"_s, u"usd"_s } } },
        { u"shipping"_s,
            QJsonArray { QJsonObject { { u"id"_s, u"standard"_s }, { u"display_name"_s, u"Standard"_s },
                { u"amount"_s, 699 }, { u"min_days"_s, 5 }, { u"max_days"_s, 9 } } } },
        { u"countries"_s, QJsonArray { u"US"_s, u"CA"_s } },
        { u"printify"_s,
            QJsonObject { { u"blueprint_id"_s, 1253 }, { u"print_provider_id"_s, 234 }, { u"variant_id"_s, 94860 } } },
    };
}

/// The smallest valid file: every required key, nothing else.
QJsonObject goodJson()
{
    return QJsonObject {
        { u"data_dir"_s, u"data"_s },
        { u"stripe"_s,
            QJsonObject {
                { u"secret_key"_s, FileStripeKey }, { u"webhook_secrets"_s, QJsonArray { FileWebhookSecret } } } },
        { u"admin_token"_s, FileAdminToken },
        { u"formats"_s, QJsonArray { formatEntry() } },
    };
}

/// A shop format like Printify's calendar: 13 positions of 3454 × 2725 px.
QJsonObject inlineFormat()
{
    QJsonArray positions { QJsonObject {
        { u"id"_s, u"front_cover"_s }, { u"page"_s, 0 }, { u"width"_s, 3454 }, { u"height"_s, 2725 } } };
    const QStringList months { u"january"_s, u"february"_s, u"march"_s, u"april"_s, u"may"_s, u"june"_s, u"july"_s,
        u"august"_s, u"september"_s, u"october"_s, u"november"_s, u"december"_s };
    for (int i = 0; i < 12; ++i)
        positions.append(
            QJsonObject { { u"id"_s, months[i] }, { u"page"_s, i + 1 }, { u"width"_s, 3454 }, { u"height"_s, 2725 } });
    return QJsonObject { { u"id"_s, u"shop-wall"_s }, { u"title"_s, u"Shop wall calendar"_s },
        { u"trim_width_in"_s, 11 }, { u"trim_height_in"_s, 8.5 }, { u"bleed_in"_s, 0.125 },
        { u"safe_margin_in"_s, 0.25 }, { u"binding_edge"_s, u"top"_s }, { u"binding_depth_in"_s, 0.5 },
        { u"dpi"_s, 300 }, { u"positions"_s, positions } };
}

void setPath(QJsonValueRef ref, QStringList path, const QJsonValue &value)
{
    if (path.isEmpty()) {
        ref = value;
        return;
    }
    const QString head = path.takeFirst();
    if (ref.isArray()) {
        QJsonArray array = ref.toArray();
        setPath(array[head.toInt()], path, value);
        ref = array;
    } else {
        QJsonObject object = ref.toObject();
        if (path.isEmpty() && value.isUndefined())
            object.remove(head);
        else
            setPath(object[head], path, value);
        ref = object;
    }
}

using Mutation = std::function<void(QJsonObject &)>;

/// Sets the value at a dotted path ("stripe.secret_key", "formats.0.price.amount"); Undefined removes it.
Mutation set(const QString &path, const QJsonValue &value)
{
    return [=](QJsonObject &json) {
        QJsonArray holder { json };
        setPath(holder[0], path.split(u'.'), value);
        json = holder[0].toObject();
    };
}

Mutation remove(const QString &path)
{
    return set(path, QJsonValue(QJsonValue::Undefined));
}

Mutation none()
{
    return [](QJsonObject &) {};
}

QProcessEnvironment envFrom(const QStringList &assignments)
{
    QProcessEnvironment env; // empty: the developer's own STRIPE_… variables never leak in
    for (const QString &a : assignments) {
        const qsizetype eq = a.indexOf(u'=');
        env.insert(a.left(eq), a.mid(eq + 1));
    }
    return env;
}

/// Whether a line of `message` starts with "key: ".
bool names(const QString &message, const QString &key)
{
    const QStringList lines = message.split(u'\n');
    return std::any_of(lines.begin(), lines.end(),
        [&](const QString &l) { return l.startsWith(QString(key + QStringLiteral(": "))); });
}

using Check = std::function<QString(const CompanionConfig &)>;

} // namespace

Q_DECLARE_METATYPE(Mutation)
Q_DECLARE_METATYPE(Check)

class TestCompanionConfig : public QObject {
    Q_OBJECT

    QTemporaryDir *m_dir = nullptr;

    QString path(const QString &name) const { return m_dir->filePath(name); }

    QString writeFile(const QString &name, const QByteArray &data) const
    {
        const QString p = path(name);
        QDir().mkpath(QFileInfo(p).absolutePath());
        QFile f(p);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(data) != data.size())
            qFatal("cannot write %s", qPrintable(p));
        return p;
    }

    QString writeConfig(const QJsonObject &json) const
    {
        return writeFile(QStringLiteral("companion.json"), QJsonDocument(json).toJson());
    }

    Result<CompanionConfig> loadWith(const Mutation &mutation, const QStringList &env = {}) const
    {
        QJsonObject json = goodJson();
        mutation(json);
        return CompanionConfig::load(writeConfig(json), envFrom(env));
    }

private Q_SLOTS:
    void init()
    {
        m_dir = new QTemporaryDir;
        QVERIFY(m_dir->isValid());
    }
    void cleanup()
    {
        delete m_dir;
        m_dir = nullptr;
    }

    void defaults()
    {
        const auto c = loadWith(none());
        QVERIFY2(c, qPrintable(c ? QString() : c.error().userMessage));
        QCOMPARE(c->listenAddress, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(c->listenPort, quint16(8787));
        QCOMPARE(c->listenString(), QStringLiteral("127.0.0.1:8787"));
        QCOMPARE(c->publicUrl, QUrl(QStringLiteral("http://127.0.0.1:8787")));
        QVERIFY(c->tlsCertificateFile.isEmpty());
        QVERIFY(c->tlsKeyFile.isEmpty());
        QCOMPARE(c->dataDir, QDir::cleanPath(path(QStringLiteral("data"))));
        QVERIFY(QFileInfo(c->dataDir).isDir());
        QCOMPARE(c->databaseUrl, QStringLiteral("sqlite:") + c->dataDir + QStringLiteral("/companion.sqlite"));
        const DatabaseSettings db = c->database();
        QCOMPARE(db.driver, QStringLiteral("QSQLITE"));
        QCOMPARE(db.path, c->dataDir + QStringLiteral("/companion.sqlite"));
        QCOMPARE(c->stripeSecretKey, FileStripeKey);
        QCOMPARE(c->stripeWebhookSecrets, QList<QByteArray> { FileWebhookSecret.toUtf8() });
        QCOMPARE(c->stripeApiBase, QUrl(QStringLiteral("https://api.stripe.com")));
        QCOMPARE(c->stripeApiVersion, QStringLiteral("2026-03-25.dahlia"));
        QCOMPARE(c->checkoutExpiryMinutes, 60);
        QVERIFY(c->printifyApiToken.isEmpty());
        QVERIFY(c->printifyShopId.isEmpty());
        QCOMPARE(c->printifyApiBase, QUrl(QStringLiteral("https://api.printify.com")));
        QVERIFY(c->printifyWebhookSecret.isEmpty());
        QCOMPARE(c->adminToken, FileAdminToken);
        QCOMPARE(c->maxUploadBytes, qint64(50) * 1024 * 1024);
        QCOMPARE(c->ordersPerMinutePerIp, 10);
        QCOMPARE(c->checkoutsPerMinutePerIp, 20);
        QCOMPARE(c->workerThreads, 8);
        QCOMPARE(c->mode(), QStringLiteral("test"));
        QCOMPARE(c->sourceFile, path(QStringLiteral("companion.json")));
        QCOMPARE(c->formats.size(), 1);
        QCOMPARE(c->formats[0], *PrintFormat::find(QStringLiteral("wall-landscape")));
        QCOMPARE(c->format(QStringLiteral("wall-landscape")), PrintFormat::find(QStringLiteral("wall-landscape")));
        QCOMPARE(c->format(QStringLiteral("square")), std::nullopt);
        QVERIFY(c->priceBook.entry(QStringLiteral("wall-landscape")));
        QCOMPARE(c->priceBook.entry(QStringLiteral("wall-landscape"))->unitAmount, qint64(2999));
        QCOMPARE(c->printifyMapping.value(QStringLiteral("wall-landscape")).value(u"variant_id"_s).toInt(), 94860);
    }

    void fullFile()
    {
        writeFile(QStringLiteral("tls/cert.pem"), testCertificate);
        writeFile(QStringLiteral("tls/key.pem"), testKey);
        QJsonObject json = goodJson();
        json[u"listen"_s] = u"0.0.0.0:9000"_s;
        json[u"public_url"_s] = u"https://shop.example.com/"_s;
        json[u"tls"_s] = QJsonObject { { u"certificate"_s, u"tls/cert.pem"_s }, { u"key"_s, u"tls/key.pem"_s } };
        json[u"database_url"_s] = u"sqlite:orders.sqlite"_s;
        json[u"stripe"_s] = QJsonObject { { u"secret_key"_s, u"rk_live_abc123"_s },
            { u"webhook_secrets"_s, QJsonArray { u"whsec_one"_s, u"whsec_two"_s } },
            { u"api_base"_s, u"https://stripe.example"_s }, { u"api_version"_s, u"2026-09-30.endive"_s },
            { u"checkout_expiry_minutes"_s, 30 } };
        json[u"printify"_s] = QJsonObject { { u"api_token"_s, u"printify-token-123"_s }, { u"shop_id"_s, u"12345"_s },
            { u"api_base"_s, u"https://printify.example/"_s }, { u"webhook_secret"_s, u"pfy_test_secret"_s } };
        json[u"limits"_s] = QJsonObject { { u"max_upload_bytes"_s, 1048576 }, { u"orders_per_minute_per_ip"_s, 3 },
            { u"checkouts_per_minute_per_ip"_s, 4 } };
        json[u"worker_threads"_s] = 2;
        json[u"formats"_s] = QJsonArray { formatEntry(), formatEntry(inlineFormat()) };
        const auto c = CompanionConfig::load(writeConfig(json), envFrom({}));
        QVERIFY2(c, qPrintable(c ? QString() : c.error().userMessage));
        QCOMPARE(c->listenAddress, QHostAddress(QHostAddress::AnyIPv4));
        QCOMPARE(c->listenPort, quint16(9000));
        QCOMPARE(c->publicUrl, QUrl(QStringLiteral("https://shop.example.com")));
        QCOMPARE(c->tlsCertificateFile, path(QStringLiteral("tls/cert.pem")));
        QCOMPARE(c->tlsKeyFile, path(QStringLiteral("tls/key.pem")));
        QCOMPARE(c->database().path, path(QStringLiteral("orders.sqlite")));
        QCOMPARE(c->stripeSecretKey, QStringLiteral("rk_live_abc123"));
        QCOMPARE(c->stripeWebhookSecrets, (QList<QByteArray> { "whsec_one", "whsec_two" }));
        QCOMPARE(c->stripeApiBase, QUrl(QStringLiteral("https://stripe.example")));
        QCOMPARE(c->stripeApiVersion, QStringLiteral("2026-09-30.endive"));
        QCOMPARE(c->checkoutExpiryMinutes, 30);
        QCOMPARE(c->printifyApiToken, QStringLiteral("printify-token-123"));
        QCOMPARE(c->printifyShopId, QStringLiteral("12345"));
        QCOMPARE(c->printifyApiBase, QUrl(QStringLiteral("https://printify.example")));
        QCOMPARE(c->printifyWebhookSecret, QStringLiteral("pfy_test_secret"));
        QCOMPARE(c->maxUploadBytes, qint64(1048576));
        QCOMPARE(c->ordersPerMinutePerIp, 3);
        QCOMPARE(c->checkoutsPerMinutePerIp, 4);
        QCOMPARE(c->workerThreads, 2);
        QCOMPARE(c->mode(), QStringLiteral("live"));
        QCOMPARE(c->formats.size(), 2);
        QCOMPARE(c->formats[1].id, QStringLiteral("shop-wall"));
        QCOMPARE(c->formats[1].positions.size(), 13);
        QCOMPARE(c->formats[1].positions[0].id, QStringLiteral("front_cover"));
        QCOMPARE(c->priceBook.entries().size(), 2);
        QVERIFY(c->priceBook.entry(QStringLiteral("shop-wall")));
        QCOMPARE(c->printifyMapping.size(), 2);
    }

    void envOverrides_data()
    {
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<Check>("check");
        QTest::addColumn<QString>("expected");
        QTest::newRow("STRIPE_SECRET_KEY")
            << QStringList { u"STRIPE_SECRET_KEY=sk_test_fromEnv"_s }
            << Check([](const CompanionConfig &c) -> QString { return c.stripeSecretKey; }) << u"sk_test_fromEnv"_s;
        QTest::newRow("STRIPE_SECRET_KEY trimmed")
            << QStringList { u"STRIPE_SECRET_KEY= rk_test_x\n"_s }
            << Check([](const CompanionConfig &c) -> QString { return c.stripeSecretKey; }) << u"rk_test_x"_s;
        QTest::newRow("STRIPE_SECRET_KEY empty is unset")
            << QStringList { u"STRIPE_SECRET_KEY="_s }
            << Check([](const CompanionConfig &c) -> QString { return c.stripeSecretKey; }) << FileStripeKey;
        QTest::newRow("STRIPE_WEBHOOK_SECRET list") << QStringList { u"STRIPE_WEBHOOK_SECRET=whsec_new, whsec_old,"_s }
                                                    << Check([](const CompanionConfig &c) -> QString {
                                                           return QString::fromUtf8(c.stripeWebhookSecrets.join('|'));
                                                       })
                                                    << u"whsec_new|whsec_old"_s;
        QTest::newRow("STRIPE_API_BASE") << QStringList { u"STRIPE_API_BASE=http://127.0.0.1:12111/"_s }
                                         << Check([](const CompanionConfig &c) -> QString {
                                                return c.stripeApiBase.toString() + u' ' + c.mode();
                                            })
                                         << u"http://127.0.0.1:12111 sandbox"_s;
        QTest::newRow("PRINTIFY_API_TOKEN + PRINTIFY_SHOP_ID")
            << QStringList { u"PRINTIFY_API_TOKEN=pfy-env-token"_s, u"PRINTIFY_SHOP_ID=777"_s }
            << Check([](const CompanionConfig &c) -> QString { return c.printifyApiToken + u' ' + c.printifyShopId; })
            << u"pfy-env-token 777"_s;
        QTest::newRow("PRINTIFY_API_BASE")
            << QStringList { u"PRINTIFY_API_BASE=http://localhost:9100"_s }
            << Check([](const CompanionConfig &c) -> QString { return c.printifyApiBase.toString(); })
            << u"http://localhost:9100"_s;
        QTest::newRow("PRINTIFY_WEBHOOK_SECRET")
            << QStringList { u"PRINTIFY_WEBHOOK_SECRET=pfy_test_secret"_s }
            << Check([](const CompanionConfig &c) -> QString { return c.printifyWebhookSecret; })
            << u"pfy_test_secret"_s;
        QTest::newRow("COMPANION_LISTEN v4")
            << QStringList { u"COMPANION_LISTEN=192.168.1.5:9999"_s } << Check([](const CompanionConfig &c) -> QString {
                   return c.listenString() + u' ' + c.publicUrl.toString();
               })
            << u"192.168.1.5:9999 http://192.168.1.5:9999"_s;
        QTest::newRow("COMPANION_LISTEN v6")
            << QStringList { u"COMPANION_LISTEN=[::1]:8788"_s } << Check([](const CompanionConfig &c) -> QString {
                   return c.listenString() + u' ' + c.publicUrl.toString();
               })
            << u"[::1]:8788 http://[::1]:8788"_s;
        QTest::newRow("COMPANION_LISTEN any, port 0")
            << QStringList { u"COMPANION_LISTEN=0.0.0.0:0"_s } << Check([](const CompanionConfig &c) -> QString {
                   return c.listenString() + u' ' + c.publicUrl.toString();
               })
            << u"0.0.0.0:0 http://127.0.0.1:0"_s;
        QTest::newRow("COMPANION_LISTEN localhost")
            << QStringList { u"COMPANION_LISTEN=localhost:8080"_s }
            << Check([](const CompanionConfig &c) -> QString { return c.listenString(); }) << u"127.0.0.1:8080"_s;
        QTest::newRow("COMPANION_PUBLIC_URL")
            << QStringList { u"COMPANION_PUBLIC_URL=https://shop.example.com/calendar/"_s }
            << Check([](const CompanionConfig &c) -> QString { return c.publicUrl.toString(); })
            << u"https://shop.example.com/calendar"_s;
        QTest::newRow("COMPANION_DATABASE_URL sqlite")
            << QStringList { u"COMPANION_DATABASE_URL=sqlite:/tmp/x.sqlite"_s }
            << Check([](const CompanionConfig &c) -> QString { return c.database().driver + u' ' + c.database().path; })
            << u"QSQLITE /tmp/x.sqlite"_s;
        QTest::newRow("COMPANION_DATABASE_URL postgresql") << QStringList {
            u"COMPANION_DATABASE_URL=postgresql://shop:p%40ss@db.example.com:6543/orders?sslmode=require"_s
        } << Check([](const CompanionConfig &c) -> QString {
            const DatabaseSettings d = c.database();
            return QStringList { d.driver, d.user, d.password, d.host, QString::number(d.port), d.name,
                d.connectOptions }
                .join(u'|');
        }) << u"QPSQL|shop|p@ss|db.example.com|6543|orders|sslmode=require"_s;
        QTest::newRow("COMPANION_DATABASE_URL postgres, default port") << QStringList {
            u"COMPANION_DATABASE_URL=postgres://shop@localhost/orders"_s
        } << Check([](const CompanionConfig &c) -> QString {
            const DatabaseSettings d = c.database();
            return QStringList { d.driver, d.user, d.password, d.host, QString::number(d.port), d.name }.join(u'|');
        }) << u"QPSQL|shop||localhost|5432|orders"_s;
        QTest::newRow("COMPANION_ADMIN_TOKEN")
            << QStringList { u"COMPANION_ADMIN_TOKEN=ENVADMIN0123456789abcdef0123456789"_s }
            << Check([](const CompanionConfig &c) -> QString { return c.adminToken; })
            << u"ENVADMIN0123456789abcdef0123456789"_s;
    }
    void envOverrides()
    {
        QFETCH(QStringList, env);
        QFETCH(Check, check);
        QFETCH(QString, expected);
        if (env.join(u' ').contains(QLatin1String("postgres")) && !QSqlDatabase::isDriverAvailable(u"QPSQL"_s))
            QSKIP("Qt's QPSQL driver is not installed");
        QJsonObject json = goodJson();
        json[u"database_url"_s] = u"sqlite:file.sqlite"_s;
        const auto c = CompanionConfig::load(writeConfig(json), envFrom(env));
        QVERIFY2(c, qPrintable(c ? QString() : c.error().userMessage));
        QCOMPARE(check(*c), expected);
    }

    void envDataDir()
    {
        const QString dir = path(QStringLiteral("from-env/data"));
        const auto c = loadWith(none(), { QStringLiteral("COMPANION_DATA_DIR=") + dir });
        QVERIFY2(c, qPrintable(c ? QString() : c.error().userMessage));
        QCOMPARE(c->dataDir, dir);
        QVERIFY(QFileInfo(dir).isDir());
        QCOMPARE(c->database().path, dir + QStringLiteral("/companion.sqlite"));
    }

    void envRelativePathsUseTheWorkingDirectory()
    {
        const QString previous = QDir::currentPath();
        QVERIFY(QDir::setCurrent(path(QString())));
        const auto c = CompanionConfig::fromJson(
            goodJson(), envFrom({ u"COMPANION_DATA_DIR=cwd-data"_s }), path(QStringLiteral("elsewhere")));
        QDir::setCurrent(previous);
        QVERIFY2(c, qPrintable(c ? QString() : c.error().userMessage));
        QCOMPARE(c->dataDir, path(QStringLiteral("cwd-data")));
    }

    void relativePathsInTheFile()
    {
        writeFile(QStringLiteral("conf/tls/cert.pem"), testCertificate);
        writeFile(QStringLiteral("conf/tls/key.pem"), testKey);
        QDir().mkpath(path(QStringLiteral("conf/db")));
        QJsonObject json = goodJson();
        json[u"data_dir"_s] = u"../var/data"_s;
        json[u"database_url"_s] = u"sqlite:db/orders.sqlite"_s;
        json[u"tls"_s] = QJsonObject { { u"certificate"_s, u"tls/cert.pem"_s }, { u"key"_s, u"./tls/key.pem"_s } };
        const QString file = writeFile(QStringLiteral("conf/companion.json"), QJsonDocument(json).toJson());
        // Loading through a relative path to the file still resolves against the file's directory.
        const QString previous = QDir::currentPath();
        QVERIFY(QDir::setCurrent(path(QString())));
        const auto c = CompanionConfig::load(QStringLiteral("conf/companion.json"), envFrom({}));
        QDir::setCurrent(previous);
        QVERIFY2(c, qPrintable(c ? QString() : c.error().userMessage));
        QCOMPARE(c->sourceFile, file);
        QCOMPARE(c->dataDir, path(QStringLiteral("var/data")));
        QCOMPARE(c->database().path, path(QStringLiteral("conf/db/orders.sqlite")));
        QCOMPARE(c->tlsCertificateFile, path(QStringLiteral("conf/tls/cert.pem")));
        QCOMPARE(c->tlsKeyFile, path(QStringLiteral("conf/tls/key.pem")));
    }

    void badValues_data()
    {
        QTest::addColumn<Mutation>("mutation");
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<QString>("key");
        const QStringList noEnv;
        // Stripe
        QTest::newRow("secret key missing") << remove(u"stripe.secret_key"_s) << noEnv << u"stripe.secret_key"_s;
        QTest::newRow("secret key publishable")
            << set(u"stripe.secret_key"_s, u"pk_test_abc"_s) << noEnv << u"stripe.secret_key"_s;
        QTest::newRow("secret key unknown prefix")
            << set(u"stripe.secret_key"_s, u"sk_prod_abc"_s) << noEnv << u"stripe.secret_key"_s;
        QTest::newRow("secret key prefix only")
            << set(u"stripe.secret_key"_s, u"sk_test_"_s) << noEnv << u"stripe.secret_key"_s;
        QTest::newRow("secret key with space")
            << set(u"stripe.secret_key"_s, u"sk_test_a b"_s) << noEnv << u"stripe.secret_key"_s;
        QTest::newRow("secret key not a string") << set(u"stripe.secret_key"_s, 42) << noEnv << u"stripe.secret_key"_s;
        QTest::newRow("secret key bad in env") << none() << QStringList { u"STRIPE_SECRET_KEY=sk_nope"_s }
                                               << u"stripe.secret_key (from STRIPE_SECRET_KEY)"_s;
        QTest::newRow("webhook secrets missing")
            << remove(u"stripe.webhook_secrets"_s) << noEnv << u"stripe.webhook_secrets"_s;
        QTest::newRow("webhook secrets empty")
            << set(u"stripe.webhook_secrets"_s, QJsonArray()) << noEnv << u"stripe.webhook_secrets"_s;
        QTest::newRow("webhook secrets a string")
            << set(u"stripe.webhook_secrets"_s, u"whsec_x"_s) << noEnv << u"stripe.webhook_secrets"_s;
        QTest::newRow("webhook secret without prefix")
            << set(u"stripe.webhook_secrets.0"_s, u"secret"_s) << noEnv << u"stripe.webhook_secrets[0]"_s;
        QTest::newRow("webhook secret prefix only")
            << set(u"stripe.webhook_secrets"_s, QJsonArray { u"whsec_a"_s, u"whsec_"_s }) << noEnv
            << u"stripe.webhook_secrets[1]"_s;
        QTest::newRow("webhook secret not a string")
            << set(u"stripe.webhook_secrets.0"_s, 1) << noEnv << u"stripe.webhook_secrets[0]"_s;
        QTest::newRow("webhook secret bad in env") << none() << QStringList { u"STRIPE_WEBHOOK_SECRET=whsec_a,wh_b"_s }
                                                   << u"stripe.webhook_secrets[1] (from STRIPE_WEBHOOK_SECRET)"_s;
        QTest::newRow("api base ftp") << set(u"stripe.api_base"_s, u"ftp://api.stripe.com"_s) << noEnv
                                      << u"stripe.api_base"_s;
        QTest::newRow("api base plain http")
            << set(u"stripe.api_base"_s, u"http://api.stripe.com"_s) << noEnv << u"stripe.api_base"_s;
        QTest::newRow("api base with query")
            << set(u"stripe.api_base"_s, u"https://api.stripe.com/?x=1"_s) << noEnv << u"stripe.api_base"_s;
        QTest::newRow("api base relative")
            << set(u"stripe.api_base"_s, u"api.stripe.com"_s) << noEnv << u"stripe.api_base"_s;
        QTest::newRow("api base bad in env") << none() << QStringList { u"STRIPE_API_BASE=http://10.0.0.1"_s }
                                             << u"stripe.api_base (from STRIPE_API_BASE)"_s;
        QTest::newRow("api version") << set(u"stripe.api_version"_s, u"dahlia"_s) << noEnv << u"stripe.api_version"_s;
        QTest::newRow("expiry too short")
            << set(u"stripe.checkout_expiry_minutes"_s, 29) << noEnv << u"stripe.checkout_expiry_minutes"_s;
        QTest::newRow("expiry too long") << set(u"stripe.checkout_expiry_minutes"_s, 1441) << noEnv
                                         << u"stripe.checkout_expiry_minutes"_s;
        QTest::newRow("expiry a string") << set(u"stripe.checkout_expiry_minutes"_s, u"60"_s) << noEnv
                                         << u"stripe.checkout_expiry_minutes"_s;
        QTest::newRow("stripe unknown key") << set(u"stripe.secretkey"_s, u"x"_s) << noEnv << u"stripe.secretkey"_s;
        QTest::newRow("stripe not an object") << set(u"stripe"_s, u"sk_test_x"_s) << noEnv << u"stripe"_s;
        // Network
        QTest::newRow("listen port only") << set(u"listen"_s, u"8787"_s) << noEnv << u"listen"_s;
        QTest::newRow("listen host only") << set(u"listen"_s, u"127.0.0.1"_s) << noEnv << u"listen"_s;
        QTest::newRow("listen v6 without brackets") << set(u"listen"_s, u"::1:8787"_s) << noEnv << u"listen"_s;
        QTest::newRow("listen port too large") << set(u"listen"_s, u"127.0.0.1:65536"_s) << noEnv << u"listen"_s;
        QTest::newRow("listen host name") << set(u"listen"_s, u"shop.example.com:8787"_s) << noEnv << u"listen"_s;
        QTest::newRow("listen bad in env")
            << none() << QStringList { u"COMPANION_LISTEN=:x"_s } << u"listen (from COMPANION_LISTEN)"_s;
        QTest::newRow("public url ftp") << set(u"public_url"_s, u"ftp://shop.example.com"_s) << noEnv
                                        << u"public_url"_s;
        QTest::newRow("public url query")
            << set(u"public_url"_s, u"https://shop.example.com/?a=1"_s) << noEnv << u"public_url"_s;
        QTest::newRow("public url fragment")
            << set(u"public_url"_s, u"https://shop.example.com/#top"_s) << noEnv << u"public_url"_s;
        QTest::newRow("public url user info")
            << set(u"public_url"_s, u"https://u:p@shop.example.com"_s) << noEnv << u"public_url"_s;
        QTest::newRow("public url not a url") << set(u"public_url"_s, u"shop example"_s) << noEnv << u"public_url"_s;
        QTest::newRow("public url bad in env") << none() << QStringList { u"COMPANION_PUBLIC_URL=mailto:x@y"_s }
                                               << u"public_url (from COMPANION_PUBLIC_URL)"_s;
        QTest::newRow("live key, http public url")
            << set(u"public_url"_s, u"http://shop.example.com"_s) << QStringList { u"STRIPE_SECRET_KEY=sk_live_abc"_s }
            << u"public_url"_s;
        QTest::newRow("live key, default public url")
            << set(u"stripe.secret_key"_s, u"sk_live_abc"_s) << noEnv << u"public_url"_s;
        QTest::newRow("tls certificate only")
            << set(u"tls"_s, QJsonObject { { u"certificate"_s, u"cert.pem"_s } }) << noEnv << u"tls.key"_s;
        QTest::newRow("tls key only") << set(u"tls"_s, QJsonObject { { u"key"_s, u"key.pem"_s } }) << noEnv
                                      << u"tls.certificate"_s;
        QTest::newRow("tls files missing")
            << set(u"tls"_s, QJsonObject { { u"certificate"_s, u"no.pem"_s }, { u"key"_s, u"no.key"_s } }) << noEnv
            << u"tls.certificate"_s;
        QTest::newRow("tls key file missing")
            << set(u"tls"_s, QJsonObject { { u"certificate"_s, u"cert.pem"_s }, { u"key"_s, u"no.key"_s } }) << noEnv
            << u"tls.key"_s;
        QTest::newRow("tls certificate garbage")
            << set(u"tls"_s, QJsonObject { { u"certificate"_s, u"garbage.pem"_s }, { u"key"_s, u"key.pem"_s } })
            << noEnv << u"tls.certificate"_s;
        QTest::newRow("tls key garbage") << set(
            u"tls"_s, QJsonObject { { u"certificate"_s, u"cert.pem"_s }, { u"key"_s, u"garbage.pem"_s } })
                                         << noEnv << u"tls.key"_s;
        QTest::newRow("tls key is the certificate")
            << set(u"tls"_s, QJsonObject { { u"certificate"_s, u"cert.pem"_s }, { u"key"_s, u"cert.pem"_s } }) << noEnv
            << u"tls.key"_s;
        QTest::newRow("tls unknown key") << set(u"tls"_s, QJsonObject { { u"cert"_s, u"cert.pem"_s } }) << noEnv
                                         << u"tls.cert"_s;
        // Storage
        QTest::newRow("data dir missing") << remove(u"data_dir"_s) << noEnv << u"data_dir"_s;
        QTest::newRow("data dir is a file") << set(u"data_dir"_s, u"garbage.pem"_s) << noEnv << u"data_dir"_s;
        QTest::newRow("data dir bad in env")
            << none() << QStringList { u"COMPANION_DATA_DIR=/dev/null"_s } << u"data_dir (from COMPANION_DATA_DIR)"_s;
        QTest::newRow("database mysql") << set(u"database_url"_s, u"mysql://u:p@h/db"_s) << noEnv << u"database_url"_s;
        QTest::newRow("database postgres without user")
            << set(u"database_url"_s, u"postgresql://db.example.com/orders"_s) << noEnv << u"database_url"_s;
        QTest::newRow("database postgres without name")
            << set(u"database_url"_s, u"postgresql://u:p@db.example.com"_s) << noEnv << u"database_url"_s;
        QTest::newRow("database postgres bad option")
            << set(u"database_url"_s, u"postgresql://u@h/db?ssl;mode=x"_s) << noEnv << u"database_url"_s;
        QTest::newRow("database sqlite empty") << set(u"database_url"_s, u"sqlite:"_s) << noEnv << u"database_url"_s;
        QTest::newRow("database sqlite memory")
            << set(u"database_url"_s, u"sqlite::memory:"_s) << noEnv << u"database_url"_s;
        QTest::newRow("database sqlite no directory")
            << set(u"database_url"_s, u"sqlite:/nonexistent/dir/x.sqlite"_s) << noEnv << u"database_url"_s;
        QTest::newRow("database bad in env") << none() << QStringList { u"COMPANION_DATABASE_URL=orders.sqlite"_s }
                                             << u"database_url (from COMPANION_DATABASE_URL)"_s;
        // Printify
        QTest::newRow("printify token without shop")
            << set(u"printify"_s, QJsonObject { { u"api_token"_s, u"tok-123456"_s } }) << noEnv
            << u"printify.shop_id"_s;
        QTest::newRow("printify shop without token")
            << set(u"printify"_s, QJsonObject { { u"shop_id"_s, u"123"_s } }) << noEnv << u"printify.api_token"_s;
        QTest::newRow("printify shop id not a number")
            << set(u"printify"_s, QJsonObject { { u"api_token"_s, u"tok-123456"_s }, { u"shop_id"_s, u"my shop"_s } })
            << noEnv << u"printify.shop_id"_s;
        QTest::newRow("printify token short")
            << set(u"printify"_s, QJsonObject { { u"api_token"_s, u"tok"_s }, { u"shop_id"_s, u"1"_s } }) << noEnv
            << u"printify.api_token"_s;
        QTest::newRow("printify token bad in env")
            << none() << QStringList { u"PRINTIFY_API_TOKEN=has space inside"_s, u"PRINTIFY_SHOP_ID=1"_s }
            << u"printify.api_token (from PRINTIFY_API_TOKEN)"_s;
        QTest::newRow("printify shop bad in env")
            << none() << QStringList { u"PRINTIFY_API_TOKEN=tok-123456"_s, u"PRINTIFY_SHOP_ID=x"_s }
            << u"printify.shop_id (from PRINTIFY_SHOP_ID)"_s;
        QTest::newRow("printify api base http")
            << set(u"printify"_s, QJsonObject { { u"api_base"_s, u"http://api.printify.com"_s } }) << noEnv
            << u"printify.api_base"_s;
        QTest::newRow("printify api base bad in env")
            << none() << QStringList { u"PRINTIFY_API_BASE=nope"_s } << u"printify.api_base (from PRINTIFY_API_BASE)"_s;
        QTest::newRow("printify webhook secret short")
            << set(u"printify"_s, QJsonObject { { u"webhook_secret"_s, u"abc"_s } }) << noEnv
            << u"printify.webhook_secret"_s;
        QTest::newRow("printify webhook secret bad in env")
            << none() << QStringList { u"PRINTIFY_WEBHOOK_SECRET=a b c d e f"_s }
            << u"printify.webhook_secret (from PRINTIFY_WEBHOOK_SECRET)"_s;
        QTest::newRow("printify unknown key")
            << set(u"printify"_s, QJsonObject { { u"token"_s, u"x"_s } }) << noEnv << u"printify.token"_s;
        // Admin token
        QTest::newRow("admin token missing") << remove(u"admin_token"_s) << noEnv << u"admin_token"_s;
        QTest::newRow("admin token short") << set(u"admin_token"_s, QString(31, u'a')) << noEnv << u"admin_token"_s;
        QTest::newRow("admin token with space")
            << set(u"admin_token"_s, QString(QString(20, u'a') + u' ' + QString(20, u'b'))) << noEnv
            << u"admin_token"_s;
        QTest::newRow("admin token not a string") << set(u"admin_token"_s, 12345) << noEnv << u"admin_token"_s;
        QTest::newRow("admin token bad in env") << none() << QStringList { u"COMPANION_ADMIN_TOKEN=short"_s }
                                                << u"admin_token (from COMPANION_ADMIN_TOKEN)"_s;
        // Limits
        QTest::newRow("max upload zero") << set(u"limits"_s, QJsonObject { { u"max_upload_bytes"_s, 0 } }) << noEnv
                                         << u"limits.max_upload_bytes"_s;
        QTest::newRow("max upload 2 GiB") << set(u"limits"_s, QJsonObject { { u"max_upload_bytes"_s, 2147483648.0 } })
                                          << noEnv << u"limits.max_upload_bytes"_s;
        QTest::newRow("orders per minute zero")
            << set(u"limits"_s, QJsonObject { { u"orders_per_minute_per_ip"_s, 0 } }) << noEnv
            << u"limits.orders_per_minute_per_ip"_s;
        QTest::newRow("checkouts per minute huge")
            << set(u"limits"_s, QJsonObject { { u"checkouts_per_minute_per_ip"_s, 10001 } }) << noEnv
            << u"limits.checkouts_per_minute_per_ip"_s;
        QTest::newRow("limits unknown key")
            << set(u"limits"_s, QJsonObject { { u"max_upload"_s, 1 } }) << noEnv << u"limits.max_upload"_s;
        QTest::newRow("worker threads zero") << set(u"worker_threads"_s, 0) << noEnv << u"worker_threads"_s;
        QTest::newRow("worker threads 65") << set(u"worker_threads"_s, 65) << noEnv << u"worker_threads"_s;
        QTest::newRow("worker threads fractional") << set(u"worker_threads"_s, 2.5) << noEnv << u"worker_threads"_s;
        QTest::newRow("fulfillment attempts zero")
            << set(u"fulfillment"_s, QJsonObject { { u"max_attempts"_s, 0 } }) << noEnv << u"fulfillment.max_attempts"_s;
        QTest::newRow("fulfillment lease too short")
            << set(u"fulfillment"_s, QJsonObject { { u"lease_seconds"_s, 4 } }) << noEnv << u"fulfillment.lease_seconds"_s;
        QTest::newRow("fulfillment lease shorter than two Printify timeouts")
            << set(u"fulfillment"_s, QJsonObject { { u"lease_seconds"_s, 60 } }) << noEnv << u"fulfillment.lease_seconds"_s;
        QTest::newRow("trusted proxies not a list") << set(u"trusted_proxies"_s, u"127.0.0.1"_s) << noEnv << u"trusted_proxies"_s;
        QTest::newRow("trusted proxy not an address")
            << set(u"trusted_proxies"_s, QJsonArray { u"nginx.local"_s }) << noEnv << u"trusted_proxies[0]"_s;
        // Formats
        QTest::newRow("formats missing") << remove(u"formats"_s) << noEnv << u"formats"_s;
        QTest::newRow("formats empty") << set(u"formats"_s, QJsonArray()) << noEnv << u"formats"_s;
        QTest::newRow("formats an object") << set(u"formats"_s, QJsonObject()) << noEnv << u"formats"_s;
        QTest::newRow("unknown built-in format")
            << set(u"formats.0.format"_s, u"a4-landscape"_s) << noEnv << u"formats[0].format"_s;
        QTest::newRow("inline format invalid") << Mutation([](QJsonObject &json) {
            QJsonObject format = inlineFormat();
            QJsonArray positions = format[u"positions"_s].toArray();
            positions.removeAt(5); // no May
            format[u"positions"_s] = positions;
            set(u"formats.0.format"_s, format)(json);
        }) << noEnv << u"formats[0].format"_s;
        QTest::newRow("inline format bad aspect") << Mutation([](QJsonObject &json) {
            QJsonObject format = inlineFormat();
            set(u"positions.3.height"_s, 3454)(format); // square pixels on landscape paper
            set(u"formats.0.format"_s, format)(json);
        }) << noEnv << u"formats[0].format"_s;
        QTest::newRow("format listed twice")
            << set(u"formats"_s, QJsonArray { formatEntry(), formatEntry() }) << noEnv << u"formats[1].format"_s;
        QTest::newRow("printify mapping not an object")
            << set(u"formats.0.printify"_s, 1253) << noEnv << u"formats[0].printify"_s;
        QTest::newRow("price amount") << set(u"formats.0.price.amount"_s, 0) << noEnv << u"formats[0].price.amount"_s;
        QTest::newRow("country") << set(u"formats.0.countries.0"_s, u"USA"_s) << noEnv << u"formats[0].countries[0]"_s;
        // Typo guard
        QTest::newRow("unknown top-level key") << set(u"admin_tokn"_s, u"x"_s) << noEnv << u"admin_tokn"_s;
        QTest::newRow("tls not an object") << set(u"tls"_s, u"cert.pem"_s) << noEnv << u"tls"_s;
    }
    void badValues()
    {
        QFETCH(Mutation, mutation);
        QFETCH(QStringList, env);
        QFETCH(QString, key);
        writeFile(QStringLiteral("cert.pem"), testCertificate);
        writeFile(QStringLiteral("key.pem"), testKey);
        writeFile(
            QStringLiteral("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        QJsonObject json = goodJson();
        mutation(json);
        const auto c = CompanionConfig::load(writeConfig(json), envFrom(env));
        QVERIFY(!c);
        QCOMPARE(c.error().code, QStringLiteral("invalid_config"));
        QVERIFY2(names(c.error().userMessage, key), qPrintable(c.error().userMessage));
        // Each problem is reported once, with a hint after the key.
        const QStringList lines = c.error().userMessage.split(u'\n');
        QVERIFY(lines.size() >= 2);
        QCOMPARE(
            lines.filter(QRegularExpression(QStringLiteral("^%1: ").arg(QRegularExpression::escape(key)))).size(), 1);
        for (const QString &line : lines.mid(1))
            QVERIFY2(line.size() > line.indexOf(QLatin1String(": ")) + 10, qPrintable(line));
    }

    void missingSecretsSayWhereToSetThem_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("variable");
        QTest::newRow("stripe.secret_key") << u"stripe.secret_key"_s << u"STRIPE_SECRET_KEY"_s;
        QTest::newRow("stripe.webhook_secrets") << u"stripe.webhook_secrets"_s << u"STRIPE_WEBHOOK_SECRET"_s;
        QTest::newRow("admin_token") << u"admin_token"_s << u"COMPANION_ADMIN_TOKEN"_s;
        QTest::newRow("data_dir") << u"data_dir"_s << u"COMPANION_DATA_DIR"_s;
    }
    void missingSecretsSayWhereToSetThem()
    {
        QFETCH(QString, key);
        QFETCH(QString, variable);
        const auto c = CompanionConfig::fromJson(
            QJsonObject { { u"formats"_s, QJsonArray { formatEntry() } } }, envFrom({}), path(QString()));
        QVERIFY(!c);
        const QStringList lines = c.error().userMessage.split(u'\n').filter(QRegularExpression(u"^"_s + key + u": "_s));
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines[0].startsWith(key + QStringLiteral(": missing — set it in the file or in ") + variable),
            qPrintable(lines[0]));
    }

    void collectsEveryProblem()
    {
        QJsonObject json = goodJson();
        json[u"listen"_s] = u"nowhere"_s;
        json[u"worker_threads"_s] = 0;
        json[u"typo"_s] = true;
        json.remove(u"admin_token"_s);
        set(u"formats.0.price.currency"_s, u"USD"_s)(json);
        const auto c = CompanionConfig::load(writeConfig(json), envFrom({ u"STRIPE_SECRET_KEY=bad"_s }));
        QVERIFY(!c);
        const QString message = c.error().userMessage;
        QVERIFY2(message.startsWith(QStringLiteral("The companion configuration (%1) has 6 problems:")
                                        .arg(path(QStringLiteral("companion.json")))),
            qPrintable(message));
        for (const QString &key : { QStringLiteral("listen"), QStringLiteral("worker_threads"), QStringLiteral("typo"),
                 QStringLiteral("admin_token"), QStringLiteral("formats[0].price.currency"),
                 QStringLiteral("stripe.secret_key (from STRIPE_SECRET_KEY)") })
            QVERIFY2(names(message, key), qPrintable(key + QStringLiteral(" in:\n") + message));
    }

    // Every secret, valid or not, from the file or the environment, stays out of errors and redactedJson().
    void secretsNeverInMessages()
    {
        const QStringList secrets { u"pk_live_SECRETVALUE01"_s, u"whsec_SECRET VALUE02"_s, u"nowhsec_SECRETVALUE03"_s,
            u"SECRETVALUE04 short"_s, u"SECRETVALUE05 printify"_s, u"SEC6"_s, u"SECRETPASSWORD07"_s,
            u"sk_test_SECRETVALUE08"_s, u"whsec_SECRETVALUE09"_s, u"SECRETVALUE10_admin_token_long_enough_xxxxx"_s,
            u"SECRETVALUE11printify"_s, u"SECRETVALUE12_webhook"_s };
        QJsonObject json = goodJson();
        set(u"stripe.secret_key"_s, secrets[0])(json);
        set(u"stripe.webhook_secrets"_s, QJsonArray { secrets[1], secrets[2] })(json);
        json[u"admin_token"_s] = secrets[3];
        json[u"printify"_s] = QJsonObject { { u"api_token"_s, secrets[4] }, { u"shop_id"_s, u"1"_s },
            { u"webhook_secret"_s, secrets[5] } };
        json[u"database_url"_s] = QStringLiteral("postgresql://user:%1@/orders").arg(secrets[6]);
        const auto bad = CompanionConfig::load(writeConfig(json), envFrom({}));
        QVERIFY(!bad);
        // Every one of them was a problem, and the message names its key.
        for (const QString &key :
            { u"stripe.secret_key"_s, u"stripe.webhook_secrets[0]"_s, u"stripe.webhook_secrets[1]"_s, u"admin_token"_s,
                u"printify.api_token"_s, u"printify.webhook_secret"_s, u"database_url"_s })
            QVERIFY2(names(bad.error().userMessage, key), qPrintable(key));
        const QString all = bad.error().userMessage + bad.error().detail + bad.error().code;
        for (const QString &secret : secrets)
            QVERIFY2(!all.contains(secret.left(14)), qPrintable(secret));

        // The same through the environment, with other problems in the file.
        const auto badEnv = loadWith(set(u"listen"_s, u"x"_s),
            { u"STRIPE_SECRET_KEY="_s + secrets[0], u"STRIPE_WEBHOOK_SECRET="_s + secrets[2] + u","_s + secrets[8],
                u"COMPANION_ADMIN_TOKEN="_s + secrets[3], u"PRINTIFY_API_TOKEN="_s + secrets[4],
                u"PRINTIFY_WEBHOOK_SECRET="_s + secrets[5],
                u"COMPANION_DATABASE_URL=postgresql://user:"_s + secrets[6] + u"@/orders"_s });
        QVERIFY(!badEnv);
        const QString allEnv = badEnv.error().userMessage + badEnv.error().detail;
        for (const QString &secret : secrets)
            QVERIFY2(!allEnv.contains(secret.left(14)), qPrintable(secret));

        // Valid secrets with a problem elsewhere.
        const auto other = loadWith(set(u"listen"_s, u"x"_s),
            { u"STRIPE_SECRET_KEY="_s + secrets[7], u"STRIPE_WEBHOOK_SECRET="_s + secrets[8],
                u"COMPANION_ADMIN_TOKEN="_s + secrets[9], u"PRINTIFY_API_TOKEN="_s + secrets[10],
                u"PRINTIFY_SHOP_ID=5"_s, u"PRINTIFY_WEBHOOK_SECRET="_s + secrets[11] });
        QVERIFY(!other);
        const QString allOther = other.error().userMessage + other.error().detail;
        for (const QString &secret : secrets)
            QVERIFY2(!allOther.contains(secret.left(14)), qPrintable(secret));
        QVERIFY(!allOther.contains(FileStripeKey) && !allOther.contains(FileWebhookSecret)
            && !allOther.contains(FileAdminToken));

        // And a valid configuration's redactedJson().
        const bool postgres = QSqlDatabase::isDriverAvailable(u"QPSQL"_s);
        QStringList env { u"STRIPE_SECRET_KEY="_s + secrets[7], u"STRIPE_WEBHOOK_SECRET="_s + secrets[8],
            u"COMPANION_ADMIN_TOKEN="_s + secrets[9], u"PRINTIFY_API_TOKEN="_s + secrets[10], u"PRINTIFY_SHOP_ID=5"_s,
            u"PRINTIFY_WEBHOOK_SECRET="_s + secrets[11] };
        if (postgres)
            env << u"COMPANION_DATABASE_URL=postgresql://user:"_s + secrets[6] + u"@db.example.com/orders"_s;
        const auto good = loadWith(none(), env);
        QVERIFY2(good, qPrintable(good ? QString() : good.error().userMessage));
        const QJsonObject redacted = good->redactedJson();
        const QString text = QString::fromUtf8(QJsonDocument(redacted).toJson());
        for (const QString &secret : secrets)
            QVERIFY2(!text.contains(secret.left(14)), qPrintable(secret));
        QCOMPARE(redacted[u"stripe"_s][u"secret_key"_s].toString(), QStringLiteral("set"));
        QCOMPARE(redacted[u"stripe"_s][u"webhook_secrets"_s].toString(), QStringLiteral("set"));
        QCOMPARE(redacted[u"stripe"_s][u"webhook_secret_count"_s].toInt(), 1);
        QCOMPARE(redacted[u"admin_token"_s].toString(), QStringLiteral("set"));
        QCOMPARE(redacted[u"printify"_s][u"api_token"_s].toString(), QStringLiteral("set"));
        QCOMPARE(redacted[u"printify"_s][u"webhook_secret"_s].toString(), QStringLiteral("set"));
        QCOMPARE(redacted[u"printify"_s][u"shop_id"_s].toString(), QStringLiteral("5"));
        if (postgres) {
            QCOMPARE(redacted[u"database"_s][u"password"_s].toString(), QStringLiteral("set"));
            QCOMPARE(
                redacted[u"database_url"_s].toString(), QStringLiteral("postgresql://user:***@db.example.com/orders"));
        }
    }

    void redactedJsonShowsEverySetting()
    {
        const auto c = loadWith(none());
        QVERIFY(c);
        const QJsonObject r = c->redactedJson();
        for (const QString &key :
            { u"mode"_s, u"listen"_s, u"public_url"_s, u"tls"_s, u"data_dir"_s, u"database_url"_s, u"database"_s,
                u"stripe"_s, u"printify"_s, u"admin_token"_s, u"limits"_s, u"worker_threads"_s, u"trusted_proxies"_s, u"fulfillment"_s, u"formats"_s })
            QVERIFY2(r.contains(key), qPrintable(key));
        QCOMPARE(r[u"mode"_s].toString(), QStringLiteral("test"));
        QCOMPARE(r[u"printify"_s][u"api_token"_s].toString(), QStringLiteral("not set"));
        QCOMPARE(r[u"printify"_s][u"webhook_secret"_s].toString(), QStringLiteral("not set"));
        QCOMPARE(r[u"limits"_s][u"max_upload_bytes"_s].toInteger(), qint64(52428800));
        QCOMPARE(r[u"formats"_s][0][u"format"_s][u"id"_s].toString(), QStringLiteral("wall-landscape"));
        QCOMPARE(r[u"formats"_s][0][u"price"_s][u"amount"_s].toInt(), 2999);
        QCOMPARE(r[u"formats"_s][0][u"printify"_s][u"blueprint_id"_s].toInt(), 1253);
    }

    void mode_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("apiBase");
        QTest::addColumn<QString>("mode");
        QTest::newRow("test key") << u"sk_test_x"_s << u"https://api.stripe.com"_s << u"test"_s;
        QTest::newRow("restricted test key") << u"rk_test_x"_s << u"https://api.stripe.com"_s << u"test"_s;
        QTest::newRow("live key") << u"sk_live_x"_s << u"https://api.stripe.com"_s << u"live"_s;
        QTest::newRow("restricted live key") << u"rk_live_x"_s << u"https://api.stripe.com"_s << u"live"_s;
        QTest::newRow("sandbox 127.0.0.1") << u"sk_test_x"_s << u"http://127.0.0.1:12111"_s << u"sandbox"_s;
        QTest::newRow("sandbox localhost") << u"sk_test_x"_s << u"http://localhost:12111"_s << u"sandbox"_s;
        QTest::newRow("sandbox ::1") << u"sk_test_x"_s << u"http://[::1]:12111"_s << u"sandbox"_s;
        QTest::newRow("sandbox https loopback") << u"sk_test_x"_s << u"https://127.0.0.2"_s << u"sandbox"_s;
    }
    void mode()
    {
        QFETCH(QString, key);
        QFETCH(QString, apiBase);
        QFETCH(QString, mode);
        const auto c = loadWith(set(u"public_url"_s, u"https://shop.example.com"_s),
            { u"STRIPE_SECRET_KEY="_s + key, u"STRIPE_API_BASE="_s + apiBase });
        QVERIFY2(c, qPrintable(c ? QString() : c.error().userMessage));
        QCOMPARE(c->mode(), mode);
        QCOMPARE(c->redactedJson()[u"mode"_s].toString(), mode);
    }

    void malformedJson_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("where");
        QTest::newRow("missing quotes") << QByteArray("{\n  \"listen\": \"127.0.0.1:8787\",\n  data_dir: \"x\"\n}\n")
                                        << u"line 3, column 3"_s;
        QTest::newRow("trailing comma") << QByteArray("{\n  \"listen\": \"127.0.0.1:8787\",\n}\n")
                                        << u"line 3, column 1"_s;
        QTest::newRow("comment") << QByteArray("// settings\n{}\n") << u"line 1, column 1"_s;
        QTest::newRow("empty file") << QByteArray() << u"line 1, column 1"_s;
    }
    void malformedJson()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, where);
        const QString file = writeFile(QStringLiteral("broken.json"), content);
        const auto c = CompanionConfig::load(file, envFrom({}));
        QVERIFY(!c);
        QCOMPARE(c.error().code, QStringLiteral("invalid_config"));
        QVERIFY2(c.error().userMessage.contains(file + QStringLiteral(": not valid JSON at ") + where),
            qPrintable(c.error().userMessage));
    }

    void notAnObjectOrUnreadable()
    {
        const QString array = writeFile(QStringLiteral("array.json"), "[1, 2]");
        auto c = CompanionConfig::load(array, envFrom({}));
        QVERIFY(!c);
        QVERIFY2(names(c.error().userMessage, array), qPrintable(c.error().userMessage));

        const QString missing = path(QStringLiteral("missing.json"));
        c = CompanionConfig::load(missing, envFrom({}));
        QVERIFY(!c);
        QCOMPARE(c.error().code, QStringLiteral("invalid_config"));
        QVERIFY2(names(c.error().userMessage, missing), qPrintable(c.error().userMessage));

        c = CompanionConfig::load(QString(), envFrom({}));
        QVERIFY(!c);
        QCOMPARE(c.error().code, QStringLiteral("invalid_config"));
    }

    void databaseWithoutUrl()
    {
        CompanionConfig c;
        c.dataDir = path(QStringLiteral("d"));
        QCOMPARE(c.database().driver, QStringLiteral("QSQLITE"));
        QCOMPARE(c.database().path, path(QStringLiteral("d/companion.sqlite")));
    }

    // The shipped example must keep loading: only the secrets, the data directory and the
    // database location (which point at the shop's machine) come from the environment.
    void exampleFileLoads()
    {
        const QString example = QStringLiteral(CALSTUDIO_SOURCE_DIR "/packaging/companion/companion.example.json");
        QFile source(example);
        QVERIFY2(source.open(QIODevice::ReadOnly), qPrintable(example));
        const QByteArray content = source.readAll();
        const QString file = writeFile(QStringLiteral("example/companion.json"), content);
        writeFile(QStringLiteral("example/tls/fullchain.pem"), testCertificate);
        writeFile(QStringLiteral("example/tls/privkey.pem"), testKey);
        const QString dataDir = path(QStringLiteral("example-data"));
        const auto c = CompanionConfig::load(file,
            envFrom({ u"STRIPE_SECRET_KEY=sk_test_example"_s, u"STRIPE_WEBHOOK_SECRET=whsec_example"_s,
                u"COMPANION_ADMIN_TOKEN=0123456789abcdef0123456789abcdef"_s,
                u"PRINTIFY_API_TOKEN=printify-example-token"_s, u"PRINTIFY_WEBHOOK_SECRET=printify-example-secret"_s,
                u"COMPANION_DATA_DIR="_s + dataDir,
                u"COMPANION_DATABASE_URL=sqlite:"_s + dataDir + u"/companion.sqlite"_s }));
        QVERIFY2(c, qPrintable(c ? QString() : c.error().userMessage));

        // Every key appears in the example.
        const QJsonObject json = QJsonDocument::fromJson(content).object();
        const QStringList topKeys { u"listen"_s, u"public_url"_s, u"tls"_s, u"data_dir"_s, u"database_url"_s,
            u"stripe"_s, u"printify"_s, u"admin_token"_s, u"limits"_s, u"worker_threads"_s, u"trusted_proxies"_s,
            u"fulfillment"_s, u"formats"_s };
        QCOMPARE(QStringList(json.keys()).size(), topKeys.size());
        for (const QString &key : topKeys)
            QVERIFY2(json.contains(key), qPrintable(key));
        QCOMPARE(json[u"stripe"_s].toObject().size(), 5);
        QCOMPARE(json[u"printify"_s].toObject().size(), 5);
        QCOMPARE(json[u"limits"_s].toObject().size(), 3);
        QCOMPARE(json[u"tls"_s].toObject().size(), 2);

        QCOMPARE(c->tlsCertificateFile, path(QStringLiteral("example/tls/fullchain.pem")));
        QCOMPARE(c->publicUrl, QUrl(QStringLiteral("https://shop.example.com")));
        QStringList ids;
        for (const PrintFormat &f : c->formats)
            ids << f.id;
        QCOMPARE(ids, QStringList({ u"wall-landscape"_s, u"wall-portrait"_s, u"square"_s, u"printify-wall-2027"_s }));
        for (int i = 0; i < 3; ++i)
            QCOMPARE(c->formats[i], *PrintFormat::find(ids[i]));
        const PrintFormat printify = c->formats[3];
        QCOMPARE(printify.trimInches, QSizeF(11, 8.5));
        QCOMPARE(printify.bleedInches, 0.125);
        QCOMPARE(printify.positions.size(), 13);
        const QStringList months { u"front_cover"_s, u"january"_s, u"february"_s, u"march"_s, u"april"_s, u"may"_s,
            u"june"_s, u"july"_s, u"august"_s, u"september"_s, u"october"_s, u"november"_s, u"december"_s };
        for (int page = 0; page <= 12; ++page) {
            QCOMPARE(printify.positions[page].page, page);
            QCOMPARE(printify.positions[page].id, months[page]);
            QCOMPARE(printify.positions[page].pixels, QSize(3454, 2725));
        }
        const QJsonObject mapping = c->printifyMapping.value(QStringLiteral("printify-wall-2027"));
        QCOMPARE(mapping[u"blueprint_id"_s].toInt(), 1253);
        QCOMPARE(mapping[u"print_provider_id"_s].toInt(), 234);
        QCOMPARE(mapping[u"variant_id"_s].toInt(), 94860);
        QCOMPARE(c->priceBook.entries().size(), 4);

        // Without the environment the placeholder admin token is refused: the example cannot run as it is.
        const auto asShipped = CompanionConfig::load(file,
            envFrom({ u"COMPANION_DATA_DIR="_s + dataDir,
                u"COMPANION_DATABASE_URL=sqlite:"_s + dataDir + u"/x.sqlite"_s }));
        QVERIFY(!asShipped);
        QVERIFY(names(asShipped.error().userMessage, QStringLiteral("admin_token")));
    }

    // The README documents every key and every environment variable.
    void readmeDocumentsEveryKey()
    {
        QFile readme(QStringLiteral(CALSTUDIO_SOURCE_DIR "/packaging/companion/README.md"));
        QVERIFY(readme.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(readme.readAll());
        const QStringList keys { u"listen"_s, u"public_url"_s, u"tls.certificate"_s, u"tls.key"_s, u"data_dir"_s,
            u"database_url"_s, u"stripe.secret_key"_s, u"stripe.webhook_secrets"_s, u"stripe.api_base"_s,
            u"stripe.api_version"_s, u"stripe.checkout_expiry_minutes"_s, u"printify.api_token"_s,
            u"printify.shop_id"_s, u"printify.api_base"_s, u"printify.webhook_secret"_s, u"admin_token"_s,
            u"limits.max_upload_bytes"_s, u"limits.orders_per_minute_per_ip"_s, u"limits.checkouts_per_minute_per_ip"_s,
            u"worker_threads"_s, u"formats"_s, u"STRIPE_SECRET_KEY"_s, u"STRIPE_WEBHOOK_SECRET"_s, u"STRIPE_API_BASE"_s,
            u"PRINTIFY_API_TOKEN"_s, u"PRINTIFY_SHOP_ID"_s, u"PRINTIFY_API_BASE"_s, u"PRINTIFY_WEBHOOK_SECRET"_s,
            u"COMPANION_LISTEN"_s, u"COMPANION_PUBLIC_URL"_s, u"COMPANION_DATABASE_URL"_s, u"COMPANION_ADMIN_TOKEN"_s,
            u"COMPANION_DATA_DIR"_s, u"--check-config"_s };
        for (const QString &key : keys)
            QVERIFY2(text.contains(u'`' + key + u'`'), qPrintable(key));
    }
};

QTEST_GUILESS_MAIN(TestCompanionConfig)
#include "tst_companionconfig.moc"
