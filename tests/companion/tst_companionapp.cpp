// The calstudio-companion executable as a shop owner runs it: configuration
// check, the server over plain HTTP and TLS with environment overrides, a
// restart that keeps the orders, the admin commands, and SIGTERM. Together
// with calstudio-sandbox as Stripe: a whole paid order over real processes.

#include "companiontestsupport.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTest>
#include <QTimer>

#include <csignal>

using namespace CalStudio;
using namespace CalStudio::CompanionTest;

namespace {

struct Reply {
    int status = 0;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

} // namespace

class TestCompanionApp : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QNetworkAccessManager m_net;
    QSslConfiguration m_ssl = QSslConfiguration::defaultConfiguration();

    QString writeConfig(const QJsonObject &json)
    {
        const QString path = m_dir->filePath(QStringLiteral("companion.json"));
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(QJsonDocument(json).toJson());
        return path;
    }

    QJsonObject baseConfig(const QString &stripeBase = QStringLiteral("http://127.0.0.1:9"))
    {
        QJsonObject c = configJson(m_dir->filePath(QStringLiteral("data")), stripeBase, QStringLiteral("http://127.0.0.1:1"));
        c.remove(QStringLiteral("data_dir")); // from COMPANION_DATA_DIR
        QJsonObject stripe = c.value(QStringLiteral("stripe")).toObject();
        stripe.remove(QStringLiteral("secret_key")); // from STRIPE_SECRET_KEY
        c.insert(QStringLiteral("stripe"), stripe);
        return c;
    }

    QProcessEnvironment env() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QStringLiteral("STRIPE_SECRET_KEY"), StripeKey);
        e.insert(QStringLiteral("COMPANION_DATA_DIR"), m_dir->filePath(QStringLiteral("data")));
        e.insert(QStringLiteral("COMPANION_LISTEN"), QStringLiteral("127.0.0.1:0"));
        return e;
    }

    /// Starts the server; returns its port (from the "listening" log line), 0 on failure.
    quint16 start(QProcess &process, const QString &config, const QProcessEnvironment &environment)
    {
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral(CALSTUDIO_COMPANION_PATH), { QStringLiteral("--config"), config });
        if (!process.waitForStarted(10000))
            return 0;
        QByteArray log;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 20000 && process.state() == QProcess::Running) {
            process.waitForReadyRead(200);
            log += process.readAllStandardError();
            for (const QByteArray &line : log.split('\n')) {
                const QJsonObject o = QJsonDocument::fromJson(line).object();
                if (o.value(QStringLiteral("event")).toString() == QLatin1String("listening"))
                    return quint16(o.value(QStringLiteral("port")).toInt());
            }
        }
        qWarning() << "companion did not start:" << log << process.readAllStandardOutput();
        return 0;
    }

    Reply http(const QByteArray &method, const QUrl &url, const QByteArray &body = {}, const QString &token = {},
        const QByteArray &type = "application/json")
    {
        QNetworkRequest request(url);
        request.setSslConfiguration(m_ssl);
        if (!body.isEmpty() || method != "GET")
            request.setHeader(QNetworkRequest::ContentTypeHeader, type);
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        std::unique_ptr<QNetworkReply> reply(m_net.sendCustomRequest(request, method, body));
        QEventLoop loop;
        connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(20000, &loop, &QEventLoop::quit);
        loop.exec();
        return { reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll() };
    }

    QPair<int, QString> run(const QStringList &args, const QProcessEnvironment &environment)
    {
        QProcess p;
        p.setProcessEnvironment(environment);
        p.start(QStringLiteral(CALSTUDIO_COMPANION_PATH), args);
        if (!p.waitForFinished(60000))
            return { -1, QString() };
        return { p.exitCode(), QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError()) };
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(QDir().mkpath(m_dir->filePath(QStringLiteral("data"))));
        m_ssl = QSslConfiguration::defaultConfiguration();
    }

    void checkConfig()
    {
        const QString config = writeConfig(baseConfig());
        const auto [code, output] = run({ QStringLiteral("--config"), config, QStringLiteral("--check-config") }, env());
        QCOMPARE(code, 0);
        QVERIFY2(output.contains(QStringLiteral("configuration OK")), qPrintable(output));
        QVERIFY(output.contains(QStringLiteral("\"mode\": \"sandbox\"")));
        QVERIFY(!output.contains(StripeKey));
        QVERIFY(!output.contains(AdminToken));

        // Every problem at once, with the key to fix, and no secret echoed.
        QJsonObject bad = baseConfig();
        bad.insert(QStringLiteral("admin_token"), QStringLiteral("short-secret-value"));
        bad.insert(QStringLiteral("worker_threads"), 0);
        QProcessEnvironment e = env();
        e.insert(QStringLiteral("STRIPE_SECRET_KEY"), QStringLiteral("pk_test_wrong_kind_of_key"));
        const auto [badCode, badOutput] = run({ QStringLiteral("--config"), writeConfig(bad), QStringLiteral("--check-config") }, e);
        QCOMPARE(badCode, 1);
        QVERIFY2(badOutput.contains(QStringLiteral("admin_token")), qPrintable(badOutput));
        QVERIFY(badOutput.contains(QStringLiteral("worker_threads")));
        QVERIFY(badOutput.contains(QStringLiteral("STRIPE_SECRET_KEY")));
        QVERIFY(!badOutput.contains(QStringLiteral("short-secret-value")));
        QVERIFY(!badOutput.contains(QStringLiteral("pk_test_wrong_kind_of_key")));

        const auto [missingCode, missingOutput] = run({ QStringLiteral("--config"), m_dir->filePath(QStringLiteral("nope.json")) }, env());
        QCOMPARE(missingCode, 1);
        QVERIFY(missingOutput.contains(QStringLiteral("nope.json")));
        QCOMPARE(run({ QStringLiteral("--bogus") }, env()).first, 2);
    }

    void serveRestartAdminAndStop()
    {
        const QString config = writeConfig(baseConfig());
        QString orderId;
        QString token;
        {
            QProcess server;
            const quint16 port = start(server, config, env());
            QVERIFY(port != 0);
            const QString base = QStringLiteral("http://127.0.0.1:%1").arg(port);
            QCOMPARE(http("GET", QUrl(base + QStringLiteral("/v1/health"))).status, 200);
            const Reply created = http("POST", QUrl(base + QStringLiteral("/v1/orders")),
                json({ { QStringLiteral("format"), QStringLiteral("mini") }, { QStringLiteral("title"), QStringLiteral("Oma 2027") } }));
            QCOMPARE(created.status, 201);
            orderId = created.json().value(QStringLiteral("id")).toString();
            token = created.json().value(QStringLiteral("token")).toString();
            QCOMPARE(http("PUT", QUrl(base + QStringLiteral("/v1/orders/%1/files/january").arg(orderId)),
                         printFile(QSize(170, 130)), token, "image/jpeg")
                         .status,
                201);
            ::kill(pid_t(server.processId()), SIGTERM);
            QVERIFY(server.waitForFinished(10000));
            QCOMPARE(server.exitStatus(), QProcess::NormalExit);
            QCOMPARE(server.exitCode(), 0);
            QVERIFY(server.readAllStandardError().contains("\"event\":\"stopped\""));
        }
        {
            // A new process finds the order, its file and its history.
            QProcess server;
            const quint16 port = start(server, config, env());
            QVERIFY(port != 0);
            const Reply order = http("GET", QUrl(QStringLiteral("http://127.0.0.1:%1/v1/orders/%2").arg(port).arg(orderId)), {}, token);
            QCOMPARE(order.status, 200);
            QCOMPARE(order.json().value(QStringLiteral("missing_positions")).toArray().size(), 12);
            // The admin commands read the same database while the server runs.
            const auto [listCode, list] = run({ QStringLiteral("--config"), config, QStringLiteral("admin"), QStringLiteral("list") }, env());
            QCOMPARE(listCode, 0);
            QVERIFY2(list.contains(orderId) && list.contains(QStringLiteral("draft")), qPrintable(list));
            const auto [showCode, show] = run({ QStringLiteral("--config"), config, QStringLiteral("admin"), QStringLiteral("show"), orderId, QStringLiteral("--json") }, env());
            QCOMPARE(showCode, 0);
            QCOMPARE(QJsonDocument::fromJson(show.toUtf8()).object().value(QStringLiteral("id")).toString(), orderId);
            QVERIFY(!show.contains(token));
            const auto [unknownCode, unknown] = run({ QStringLiteral("--config"), config, QStringLiteral("admin"), QStringLiteral("show"), QStringLiteral("ord_nothere") }, env());
            QCOMPARE(unknownCode, 1);
            QVERIFY(unknown.contains(QStringLiteral("ord_nothere")));
            QCOMPARE(run({ QStringLiteral("--config"), config, QStringLiteral("admin"), QStringLiteral("frobnicate") }, env()).first, 2);
            server.terminate();
            QVERIFY(server.waitForFinished(10000));
        }
    }

    void portInUse()
    {
        const QString config = writeConfig(baseConfig());
        QProcess first;
        const quint16 port = start(first, config, env());
        QVERIFY(port != 0);
        QProcessEnvironment e = env();
        e.insert(QStringLiteral("COMPANION_LISTEN"), QStringLiteral("127.0.0.1:%1").arg(port));
        const auto [code, output] = run({ QStringLiteral("--config"), config }, e);
        QCOMPARE(code, 1);
        QVERIFY2(output.contains(QString::number(port)), qPrintable(output));
        first.terminate();
        QVERIFY(first.waitForFinished(10000));
    }

    void tls()
    {
        // A self-signed certificate for 127.0.0.1, made with openssl.
        const QString cert = m_dir->filePath(QStringLiteral("cert.pem"));
        const QString key = m_dir->filePath(QStringLiteral("key.pem"));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"), { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
            QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"), QStringLiteral("2"),
            QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
            QStringLiteral("subjectAltName=IP:127.0.0.1"), QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert });
        QVERIFY(openssl.waitForFinished(60000));
        QCOMPARE(openssl.exitCode(), 0);
        QJsonObject c = baseConfig();
        c.insert(QStringLiteral("tls"), QJsonObject { { QStringLiteral("certificate"), cert }, { QStringLiteral("key"), key } });
        QProcess server;
        const quint16 port = start(server, writeConfig(c), env());
        QVERIFY(port != 0);
        QFile certFile(cert);
        QVERIFY(certFile.open(QIODevice::ReadOnly));
        m_ssl.setCaCertificates({ QSslCertificate(certFile.readAll()) });
        const Reply health = http("GET", QUrl(QStringLiteral("https://127.0.0.1:%1/v1/health").arg(port)));
        QCOMPARE(health.status, 200);
        QCOMPARE(health.json().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        server.terminate();
        QVERIFY(server.waitForFinished(10000));
    }

    void paidOrderAcrossProcesses()
    {
        // calstudio-sandbox as Stripe, calstudio-companion as the shop: the studio's path over HTTP.
        QProcess sandbox;
        sandbox.start(QStringLiteral(CALSTUDIO_SANDBOX_PATH), { QStringLiteral("--port"), QStringLiteral("0") });
        QVERIFY(sandbox.waitForStarted(10000));
        QString sandboxUrl;
        QElapsedTimer t;
        t.start();
        QByteArray sandboxOut;
        while (sandboxUrl.isEmpty() && t.elapsed() < 20000) {
            sandbox.waitForReadyRead(200);
            sandboxOut += sandbox.readAllStandardOutput() + sandbox.readAllStandardError();
            const auto m = QRegularExpression(QStringLiteral("listening on (http://\\S+)")).match(QString::fromUtf8(sandboxOut));
            if (m.hasMatch())
                sandboxUrl = m.captured(1);
        }
        QVERIFY2(!sandboxUrl.isEmpty(), sandboxOut.constData());
        if (sandboxUrl.endsWith(QLatin1Char('/')))
            sandboxUrl.chop(1);

        QProcess server;
        const quint16 port = start(server, writeConfig(baseConfig(sandboxUrl)), env());
        QVERIFY(port != 0);
        const QString base = QStringLiteral("http://127.0.0.1:%1").arg(port);
        QCOMPARE(http("POST", QUrl(sandboxUrl + QStringLiteral("/_sandbox/stripe/webhook")),
                     json({ { QStringLiteral("url"), QString(base + QStringLiteral("/v1/webhooks/stripe")) },
                         { QStringLiteral("secret"), QString::fromLatin1(WebhookSecret) } }))
                     .status,
            200);

        const Reply created = http("POST", QUrl(base + QStringLiteral("/v1/orders")),
            json({ { QStringLiteral("format"), QStringLiteral("mini") }, { QStringLiteral("title"), QStringLiteral("Across") } }));
        QCOMPARE(created.status, 201);
        const QString id = created.json().value(QStringLiteral("id")).toString();
        const QString token = created.json().value(QStringLiteral("token")).toString();
        const QByteArray file = printFile(QSize(170, 130), "PNG");
        for (const QJsonValue &p : created.json().value(QStringLiteral("positions")).toArray()) {
            QCOMPARE(http("PUT", QUrl(base + QStringLiteral("/v1/orders/%1/files/%2").arg(id, p.toObject().value(QStringLiteral("id")).toString())),
                         file, token, "image/png")
                         .status,
                201);
        }
        const Reply checkout = http("POST", QUrl(base + QStringLiteral("/v1/orders/%1/checkout").arg(id)), {}, token);
        QCOMPARE(checkout.status, 200);
        const QUrl pageUrl(checkout.json().value(QStringLiteral("checkout_url")).toString());
        QVERIFY(pageUrl.toString().startsWith(sandboxUrl));
        // Pay on the hosted page as a browser would (form POST), without following the redirect.
        m_net.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        const Reply paid = http("POST", pageUrl, "action=pay", {}, "application/x-www-form-urlencoded");
        QCOMPARE(paid.status, 303);
        // The webhook reaches the companion process and the order is paid.
        Reply order;
        t.restart();
        while (t.elapsed() < 20000) {
            order = http("GET", QUrl(base + QStringLiteral("/v1/orders/") + id), {}, token);
            if (order.json().value(QStringLiteral("status")).toString() == QLatin1String("paid"))
                break;
            QTest::qWait(100);
        }
        QCOMPARE(order.json().value(QStringLiteral("status")).toString(), QStringLiteral("paid"));
        QCOMPARE(order.json().value(QStringLiteral("paid")).toObject().value(QStringLiteral("amount_total")).toInt(), 2999 + 699);
        server.terminate();
        sandbox.terminate();
        QVERIFY(server.waitForFinished(10000));
        QVERIFY(sandbox.waitForFinished(10000));
    }
};

QTEST_GUILESS_MAIN(TestCompanionApp)
#include "tst_companionapp.moc"
