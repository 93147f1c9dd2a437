// Fulfillment at Printify, in one process over loopback sockets: the companion
// (CompanionServer with its FulfillmentWorker) against calstudio-sandbox's
// Printify fake, which has no idempotency — a client bug shows up as a
// second order. Paid orders are put into the store directly (the payment
// path is tested in tst_companionpayment) with print files of Printify's
// placeholder size.

#include "companiontestsupport.h"

#include "app/sandbox/sandboxserver.h"
#include "core/companion/companionserver.h"
#include "core/companion/filestore.h"
#include "core/companion/jsonlog.h"
#include "core/companion/orderstore.h"
#include "core/companion/pricebook.h"
#include "core/companion/printifysignature.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTest>

using namespace CalStudio;
using namespace CalStudio::CompanionTest;

namespace {

const QByteArray PrintifySecret = "pfy_companion_test_secret";
const QSize Placeholder(3454, 2725);

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

class TestFulfillment : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SandboxServer> m_sandbox;
    std::shared_ptr<OrderStore> m_store;
    std::unique_ptr<JsonLog> m_log;
    QByteArray m_logText;
    QMutex m_logMutex;
    std::unique_ptr<CompanionServer> m_server;
    CompanionConfig m_config;
    quint16 m_port = 0;
    quint16 m_sandboxPort = 0;
    QNetworkAccessManager m_net;
    QByteArray m_printFile; // one JPEG of the placeholder's size, made once
    int m_orders = 0;

    QJsonObject config(quint16 sandboxPort, const QJsonObject &fulfillmentOverrides = {})
    {
        QJsonObject c = configJson(m_dir->path(), QStringLiteral("http://127.0.0.1:%1").arg(sandboxPort),
            QStringLiteral("http://127.0.0.1:%1").arg(m_port));
        QJsonArray formats = c.value(QStringLiteral("formats")).toArray();
        QJsonObject wall = formats.at(1).toObject();
        wall.insert(QStringLiteral("printify"), QJsonObject { { QStringLiteral("blueprint_id"), 1253 },
                                                    { QStringLiteral("print_provider_id"), 234 },
                                                    { QStringLiteral("variant_id"), 94860 } });
        formats.replace(1, wall);
        c.insert(QStringLiteral("formats"), formats);
        QJsonObject limits = c.value(QStringLiteral("limits")).toObject();
        limits.insert(QStringLiteral("max_upload_bytes"), 20 * 1024 * 1024); // Printify-size print files
        c.insert(QStringLiteral("limits"), limits);
        c.insert(QStringLiteral("printify"), QJsonObject {
            { QStringLiteral("api_token"), QStringLiteral("printify-sandbox-token") },
            { QStringLiteral("shop_id"), QStringLiteral("12345") },
            { QStringLiteral("api_base"), QStringLiteral("http://127.0.0.1:%1").arg(sandboxPort) },
            { QStringLiteral("webhook_secret"), QString::fromLatin1(PrintifySecret) },
            { QStringLiteral("timeout_seconds"), 2 },
        });
        QJsonObject fulfillment { { QStringLiteral("retry_seconds"), 1 }, { QStringLiteral("poll_seconds"), 1 },
            { QStringLiteral("max_attempts"), 4 }, { QStringLiteral("lease_seconds"), 10 },
            { QStringLiteral("keep_files_days"), 0 } };
        for (auto it = fulfillmentOverrides.begin(); it != fulfillmentOverrides.end(); ++it)
            fulfillment.insert(it.key(), it.value());
        c.insert(QStringLiteral("fulfillment"), fulfillment);
        return c;
    }

    void startServer(const QJsonObject &fulfillmentOverrides = {})
    {
        m_port = freePort();
        auto parsed = CompanionConfig::fromJson(config(m_sandboxPort, fulfillmentOverrides), QProcessEnvironment(), m_dir->path());
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().userMessage));
        m_config = *parsed;
        auto store = OrderStore::open(m_config.database());
        QVERIFY(store.ok());
        m_store = *store;
        m_log = std::make_unique<JsonLog>([this](const QByteArray &line) {
            QMutexLocker lock(&m_logMutex);
            m_logText += line;
            if (qEnvironmentVariableIsSet("CALSTUDIO_TEST_VERBOSE"))
                fputs(line.constData(), stderr);
        });
        m_server = std::make_unique<CompanionServer>(m_config, m_store, m_log.get());
        QVERIFY(m_server->listen(QHostAddress::LocalHost, m_port).ok());
        QVERIFY(m_server->fulfillment());
        // The catalog is read from Printify at start.
        QTRY_VERIFY_WITH_TIMEOUT(m_server->api().soldFormat(QStringLiteral("wall-landscape"))
                                     && m_server->api().soldFormat(QStringLiteral("wall-landscape"))->positions.first().id
                                         == QLatin1String("front_cover"),
            10000);
        // Printify's webhooks point at us.
        QJsonObject hook { { QStringLiteral("topic"), QString() },
            { QStringLiteral("url"), QStringLiteral("http://127.0.0.1:%1/v1/webhooks/printify").arg(m_port) },
            { QStringLiteral("secret"), QString::fromLatin1(PrintifySecret) } };
        for (const char *topic : { "order:created", "order:updated", "order:sent-to-production", "order:shipment:created",
                 "order:shipment:delivered" }) {
            hook.insert(QStringLiteral("topic"), QLatin1String(topic));
            QCOMPARE(http("POST", QStringLiteral("http://127.0.0.1:%1/v1/shops/12345/webhooks.json").arg(m_sandboxPort),
                         json(hook), "Bearer printify-sandbox-token")
                         .first,
                200);
        }
    }

    QPair<int, QByteArray> http(const QByteArray &method, const QString &url, const QByteArray &body = {},
        const QByteArray &authorization = {})
    {
        QNetworkRequest request { QUrl(url) };
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        request.setRawHeader("User-Agent", "tst_fulfillment");
        if (!authorization.isEmpty())
            request.setRawHeader("Authorization", authorization);
        std::unique_ptr<QNetworkReply> reply(m_net.sendCustomRequest(request, method, body));
        QElapsedTimer t;
        t.start();
        while (!reply->isFinished() && t.elapsed() < 20000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        return { reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll() };
    }

    /// A paid order of the Printify format with every print file, queued for fulfillment.
    QString paidOrder(const QByteArray &fileBytes = {})
    {
        const QString id = QStringLiteral("ord_test%1").arg(++m_orders, 4, 10, QLatin1Char('0'));
        OrderRecord order;
        order.id = id;
        order.tokenHash = "0";
        order.formatId = QStringLiteral("wall-landscape");
        order.title = QStringLiteral("Fulfillment %1").arg(m_orders);
        if (!m_store->createOrder(order, QStringLiteral("test")))
            return {};
        FileStore files(m_dir->path() + QStringLiteral("/files"));
        const QByteArray bytes = fileBytes.isEmpty() ? m_printFile : fileBytes;
        auto stored = files.put(bytes, QStringLiteral("jpg"));
        if (!stored)
            return {};
        const PrintFormat format = *m_server->api().soldFormat(order.formatId);
        for (const ImagePosition &p : format.positions)
            (void)m_store->putFile(id, { p.id, stored->sha256, QStringLiteral("jpg"), stored->size, Placeholder, 0 });
        const auto quote = m_config.priceBook.quote(order.formatId, 1);
        (void)m_store->applyTransition(id, { OrderStatus::AwaitingPayment, {}, {}, QStringLiteral("test"), {},
                                                { { QStringLiteral("stripe_session_id"), QStringLiteral("cs_test_%1").arg(id) },
                                                    { QStringLiteral("quote_json"), QVariant::fromValue(quote->toJson()) } } });
        (void)m_store->applyTransition(id,
            { OrderStatus::Paid, {}, {}, QStringLiteral("test"), {},
                { { QStringLiteral("amount_paid"), quote->subtotal + 699 }, { QStringLiteral("currency"), QStringLiteral("usd") },
                    { QStringLiteral("shipping_option"), QStringLiteral("standard") },
                    { QStringLiteral("payment_intent"), QStringLiteral("pi_%1").arg(id) },
                    { QStringLiteral("shipping_json"),
                        QVariant::fromValue(QJsonObject { { QStringLiteral("name"), QStringLiteral("Ada Lovelace") },
                            { QStringLiteral("address"), QJsonObject { { QStringLiteral("line1"), QStringLiteral("1 Main St") },
                                                             { QStringLiteral("city"), QStringLiteral("Springfield") },
                                                             { QStringLiteral("postal_code"), QStringLiteral("12345") },
                                                             { QStringLiteral("state"), QStringLiteral("IL") },
                                                             { QStringLiteral("country"), QStringLiteral("US") } } } }) },
                    { QStringLiteral("contact_json"), QVariant::fromValue(QJsonObject { { QStringLiteral("email"), QStringLiteral("ada@example.com") } }) } } });
        return id;
    }

    OrderStatus status(const QString &id) { return (**m_store->find(id)).status; }

    int printifyOrdersFor(const QString &externalId)
    {
        int n = 0;
        for (const auto *o : m_sandbox->printify().orders())
            n += o->externalId == externalId ? 1 : 0;
        return n;
    }

    const PrintifyFake::Order *printifyOrder(const QString &externalId)
    {
        for (const auto *o : m_sandbox->printify().orders()) {
            if (o->externalId == externalId)
                return o;
        }
        return nullptr;
    }

    int transitionsTo(const QString &id, const QString &to)
    {
        const auto history = m_store->history(id);
        const QList<OrderHistoryEntry> entries = history.value();
        return int(std::count_if(entries.begin(), entries.end(), [&](const OrderHistoryEntry &h) { return h.to == to && h.from != to; }));
    }

    void pushFault(const QString &spec)
    {
        QString error;
        const auto fault = FaultPlan::parseSpec(spec, &error);
        QVERIFY2(fault, qPrintable(error));
        m_sandbox->faults().push(*fault);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_printFile = printFile(Placeholder);
        QVERIFY(m_printFile.size() < 5 * 1024 * 1024);
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_sandbox = std::make_unique<SandboxServer>();
        m_sandboxPort = m_sandbox->listen();
        QVERIFY(m_sandboxPort != 0);
        PrintifyFake::Settings settings;
        settings.pendingMs = 300;
        settings.productionMs = 200;
        m_sandbox->printify().setSettings(settings, true);
        m_logText.clear();
    }

    void cleanup()
    {
        m_server.reset();
        m_sandbox.reset();
        m_store.reset();
        m_dir.reset();
    }

    void paidToDelivered()
    {
        startServer();
        const QString id = paidOrder();
        QVERIFY(!id.isEmpty());
        // Uploads, hidden product, order, send_to_production (8502 while pending, then accepted).
        QTRY_COMPARE_WITH_TIMEOUT(status(id), OrderStatus::InProduction, 30000);
        QCOMPARE(printifyOrdersFor(id), 1);
        const PrintifyFake::Order *order = printifyOrder(id);
        QCOMPARE(order->lineItems.size(), 1);
        QCOMPARE(order->lineItems.first().variantId, 94860);
        QCOMPARE(order->lineItems.first().files.size(), 13);
        QCOMPARE(order->addressTo.value(QStringLiteral("country")).toString(), QStringLiteral("US"));
        QCOMPARE(order->addressTo.value(QStringLiteral("last_name")).toString(), QStringLiteral("Lovelace"));
        QCOMPARE(order->shippingMethod, 1);
        // 13 identical files: one upload, reused by content.
        QCOMPARE(m_sandbox->printify().count("POST", QStringLiteral("/v1/uploads/images.json")), 1);
        QVERIFY(m_sandbox->printify().count("POST", QStringLiteral("send_to_production")) >= 1);

        // Shipped with tracking (webhook → the order read from Printify), then delivered.
        QTRY_COMPARE_WITH_TIMEOUT(printifyOrder(id)->status, QStringLiteral("in-production"), 10000);
        QVERIFY(!m_sandbox->printify().ship(order->id, QStringLiteral("usps"), QStringLiteral("9400110200828911663274"),
            QStringLiteral("https://tools.usps.com/go/TrackConfirmAction?tLabels=9400110200828911663274")));
        QTRY_COMPARE_WITH_TIMEOUT(status(id), OrderStatus::Shipped, 15000);
        auto shipments = m_store->shipments(id);
        QCOMPARE(shipments->size(), 1);
        QCOMPARE(shipments->first().carrier, QStringLiteral("usps"));
        QVERIFY(shipments->first().trackingUrl.startsWith(QLatin1String("https://")));
        QVERIFY(!m_sandbox->printify().deliver(order->id));
        QTRY_COMPARE_WITH_TIMEOUT(status(id), OrderStatus::Delivered, 15000);
        for (const char *s : { "submitting", "submitted", "in_production", "shipped", "delivered" })
            QCOMPARE(transitionsTo(id, QLatin1String(s)), 1);
        QCOMPARE(printifyOrdersFor(id), 1);
        // The next poll finds it delivered and closes the job.
        QTRY_COMPARE_WITH_TIMEOUT((**m_store->fulfillmentJob(id)).step, QStringLiteral("done"), 10000);

        // The customer sees it: GET /v1/orders/{id} (admin view here) with the tracking link.
        const auto [code, body] = http("GET", QStringLiteral("http://127.0.0.1:%1/v1/admin/orders/%2").arg(m_port).arg(id), {},
            "Bearer " + AdminToken.toUtf8());
        QCOMPARE(code, 200);
        const QJsonObject view = QJsonDocument::fromJson(body).object();
        QCOMPARE(view.value(QStringLiteral("status")).toString(), QStringLiteral("delivered"));
        QCOMPARE(view.value(QStringLiteral("shipments")).toArray().first().toObject().value(QStringLiteral("tracking_number")).toString(),
            QStringLiteral("9400110200828911663274"));

        // Delivered and kept 0 days: the print files go.
        QCOMPARE(m_server->fulfillment()->deleteOldFiles(), 1);
        QVERIFY((**m_store->find(id)).filesDeletedAt > 0);
        QVERIFY(!FileStore(m_dir->path() + QStringLiteral("/files")).contains(m_store->files(id)->first().sha256, QStringLiteral("jpg")));
    }

    void throughTheApiToTheDoor()
    {
        // As the studio drives it: order, 13 print files over HTTP, checkout, payment at Stripe,
        // then Printify takes it from there; finally the owner refunds it.
        startServer();
        m_sandbox->setStripeWebhook(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/webhooks/stripe").arg(m_port)), WebhookSecret);
        const QString base = QStringLiteral("http://127.0.0.1:%1").arg(m_port);
        const auto [createdCode, createdBody] = http("POST", base + QStringLiteral("/v1/orders"),
            json({ { QStringLiteral("format"), QStringLiteral("wall-landscape") }, { QStringLiteral("title"), QStringLiteral("Door 2027") } }));
        QCOMPARE(createdCode, 201);
        const QJsonObject created = QJsonDocument::fromJson(createdBody).object();
        const QString id = created.value(QStringLiteral("id")).toString();
        const QByteArray bearer = "Bearer " + created.value(QStringLiteral("token")).toString().toUtf8();
        const QJsonArray positions = created.value(QStringLiteral("positions")).toArray();
        QCOMPARE(positions.size(), 13);
        QCOMPARE(positions.at(0).toObject().value(QStringLiteral("id")).toString(), QStringLiteral("front_cover"));
        for (const QJsonValue &p : positions) {
            QNetworkRequest put(QUrl(base + QStringLiteral("/v1/orders/%1/files/%2").arg(id, p.toObject().value(QStringLiteral("id")).toString())));
            put.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("image/jpeg"));
            put.setRawHeader("Authorization", bearer);
            std::unique_ptr<QNetworkReply> reply(m_net.put(put, m_printFile));
            QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 20000);
            QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
        }
        const auto [checkoutCode, checkoutBody] = http("POST", base + QStringLiteral("/v1/orders/%1/checkout").arg(id), {}, bearer);
        QCOMPARE(checkoutCode, 200);
        const QString session = QUrl(QJsonDocument::fromJson(checkoutBody).object().value(QStringLiteral("checkout_url")).toString())
                                     .path()
                                     .section(QLatin1Char('/'), -1);
        StripeFake::Completion express;
        express.shippingOption = 0;
        QVERIFY(!m_sandbox->stripe().complete(session, express));
        QTRY_COMPARE_WITH_TIMEOUT(status(id), OrderStatus::InProduction, 30000);
        QCOMPARE(printifyOrdersFor(id), 1);
        QCOMPARE(printifyOrder(id)->addressTo.value(QStringLiteral("country")).toString().size(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(printifyOrder(id)->status, QStringLiteral("in-production"), 10000);
        QVERIFY(!m_sandbox->printify().ship(printifyOrder(id)->id, QStringLiteral("ups"), QStringLiteral("1Z999"), QStringLiteral("https://ups.example/1Z999")));
        QVERIFY(!m_sandbox->printify().deliver(printifyOrder(id)->id));
        QTRY_COMPARE_WITH_TIMEOUT(status(id), OrderStatus::Delivered, 15000);
        const auto [orderCode, orderBody] = http("GET", base + QStringLiteral("/v1/orders/") + id, {}, bearer);
        QCOMPARE(orderCode, 200);
        const QJsonObject view = QJsonDocument::fromJson(orderBody).object();
        QCOMPARE(view.value(QStringLiteral("shipments")).toArray().first().toObject().value(QStringLiteral("tracking_url")).toString(),
            QStringLiteral("https://ups.example/1Z999"));
        QVERIFY(!view.value(QStringLiteral("shipments")).toArray().first().toObject().value(QStringLiteral("delivered_at")).toString().isEmpty());

        // The owner refunds it through Stripe; the charge.refunded event that follows changes nothing more.
        const auto [refundCode, refundBody] = http("POST", base + QStringLiteral("/v1/admin/orders/%1/refund").arg(id), {},
            "Bearer " + AdminToken.toUtf8());
        QVERIFY2(refundCode == 200, refundBody.constData());
        QCOMPARE(status(id), OrderStatus::Refunded);
        QTest::qWait(500);
        QCOMPARE(transitionsTo(id, QStringLiteral("refunded")), 1);
        // Refunding twice is refused.
        QCOMPARE(http("POST", base + QStringLiteral("/v1/admin/orders/%1/refund").arg(id), {}, "Bearer " + AdminToken.toUtf8()).first, 409);
    }

    void timeoutAfterCreateMakesNoDuplicate()
    {
        startServer();
        // Printify creates the order but the answer comes after our 2 s timeout.
        pushFault(QStringLiteral("printify:timeout-after-create,delay=4000,match=POST /v1/shops/12345/orders.json"));
        const QString id = paidOrder();
        QTRY_COMPARE_WITH_TIMEOUT(status(id), OrderStatus::InProduction, 40000);
        QCOMPARE(printifyOrdersFor(id), 1);
        QCOMPARE(m_sandbox->printify().count("POST", QStringLiteral("/v1/shops/12345/orders.json")), 1);
        QVERIFY((**m_store->fulfillmentJob(id)).printifyOrderId == printifyOrder(id)->id);
    }

    void droppedAnswerMakesNoDuplicate()
    {
        startServer();
        pushFault(QStringLiteral("printify:drop-after-create,match=POST /v1/shops/12345/orders.json"));
        const QString id = paidOrder();
        QTRY_COMPARE_WITH_TIMEOUT(status(id), OrderStatus::InProduction, 40000);
        QCOMPARE(printifyOrdersFor(id), 1);
    }

    void serverErrorIsRetried()
    {
        // A 500 that did not create anything: looked up, not found, created once.
        startServer();
        pushFault(QStringLiteral("printify:server-error,match=POST /v1/shops/12345/orders.json"));
        const QString id = paidOrder();
        QTRY_COMPARE_WITH_TIMEOUT(status(id), OrderStatus::InProduction, 40000);
        QCOMPARE(printifyOrdersFor(id), 1);
        QCOMPARE(m_sandbox->printify().count("POST", QStringLiteral("/v1/shops/12345/orders.json")), 2);
    }

    void rateLimitBacksOff()
    {
        startServer();
        pushFault(QStringLiteral("printify:rate-limit,count=2,match=POST /v1/shops/12345/orders.json"));
        const QString id = paidOrder();
        QTRY_COMPARE_WITH_TIMEOUT(status(id), OrderStatus::InProduction, 40000);
        QCOMPARE(printifyOrdersFor(id), 1);
        // Two refusals, then the create; Retry-After (1 s) was honoured between them.
        QCOMPARE(m_sandbox->printify().count("POST", QStringLiteral("/v1/shops/12345/orders.json")), 3);
    }

    void validationFailsThenOwnerRetries()
    {
        startServer();
        pushFault(QStringLiteral("printify:validation,match=POST /v1/shops/12345/products.json"));
        const QString id = paidOrder();
        QTRY_COMPARE_WITH_TIMEOUT(status(id), OrderStatus::FulfillmentFailed, 30000);
        const auto history = m_store->history(id).value();
        QVERIFY2(history.last().note.contains(QStringLiteral("8150")) || history.last().note.contains(QStringLiteral("Validation")),
            qPrintable(history.last().note));
        QCOMPARE(printifyOrdersFor(id), 0);
        QCOMPARE((**m_store->fulfillmentJob(id)).step, QStringLiteral("failed"));
        // The cause is gone (the fault was used up): the owner retries through the admin API.
        const auto [code, body] = http("POST", QStringLiteral("http://127.0.0.1:%1/v1/admin/orders/%2/retry").arg(m_port).arg(id), {},
            "Bearer " + AdminToken.toUtf8());
        QCOMPARE(code, 200);
        QTRY_COMPARE_WITH_TIMEOUT(status(id), OrderStatus::InProduction, 30000);
        QCOMPARE(printifyOrdersFor(id), 1);
        // Retrying an order that did not fail is refused.
        QCOMPARE(http("POST", QStringLiteral("http://127.0.0.1:%1/v1/admin/orders/%2/retry").arg(m_port).arg(id), {},
                     "Bearer " + AdminToken.toUtf8())
                     .first,
            409);
    }

    void transientFailuresRunOut()
    {
        startServer({ { QStringLiteral("max_attempts"), 2 } });
        pushFault(QStringLiteral("printify:unavailable,count=10,match=/v1/uploads/images.json"));
        const QString id = paidOrder();
        QTRY_COMPARE_WITH_TIMEOUT(status(id), OrderStatus::FulfillmentFailed, 30000);
        QVERIFY(!(**m_store->fulfillmentJob(id)).lastError.isEmpty());
        QCOMPARE(printifyOrdersFor(id), 0);
    }

    void bigFilesGoByLink()
    {
        startServer();
        // A noisy JPEG over 5 MB: Printify fetches it from a signed link on our public URL.
        QImage noise(Placeholder, QImage::Format_RGB32);
        auto *gen = QRandomGenerator::global();
        for (int y = 0; y < noise.height(); ++y) {
            auto *line = reinterpret_cast<quint32 *>(noise.scanLine(y));
            for (int x = 0; x < noise.width(); ++x)
                line[x] = 0xff000000u | (gen->generate() & 0xffffffu);
        }
        QByteArray big;
        QBuffer buffer(&big);
        buffer.open(QIODevice::WriteOnly);
        QImageWriter writer(&buffer, "JPEG");
        writer.setQuality(100);
        QVERIFY(writer.write(noise));
        QVERIFY(big.size() > 5 * 1024 * 1024);
        const QString id = paidOrder(big);
        QTRY_COMPARE_WITH_TIMEOUT(status(id), OrderStatus::InProduction, 60000);
        const QJsonObject uploads = QJsonDocument::fromJson(http("GET",
            QStringLiteral("http://127.0.0.1:%1/_sandbox/printify/uploads").arg(m_sandboxPort)).second).object();
        const QJsonObject upload = uploads.value(QStringLiteral("uploads")).toArray().first().toObject();
        QCOMPARE(upload.value(QStringLiteral("source")).toString(), QStringLiteral("url"));
        QVERIFY(upload.value(QStringLiteral("url")).toString().contains(QStringLiteral("/v1/files/")));
        // The link alone, tampered or expired, gives nothing.
        QUrl link(upload.value(QStringLiteral("url")).toString());
        QUrlQuery q(link);
        q.removeQueryItem(QStringLiteral("sig"));
        q.addQueryItem(QStringLiteral("sig"), QString(64, QLatin1Char('0')));
        link.setQuery(q);
        QCOMPARE(http("GET", link.toString()).first, 403);
    }

    void printifyWebhooks()
    {
        startServer();
        const QString id = paidOrder();
        QTRY_COMPARE_WITH_TIMEOUT(status(id), OrderStatus::InProduction, 30000);
        const QString printifyId = printifyOrder(id)->id;
        const QString url = QStringLiteral("http://127.0.0.1:%1/v1/webhooks/printify").arg(m_port);
        const QByteArray event = json({ { QStringLiteral("id"), QStringLiteral("evt-deliv-1") },
            { QStringLiteral("type"), QStringLiteral("order:shipment:delivered") },
            { QStringLiteral("created_at"), QStringLiteral("2026-11-26 10:00:00+00:00") },
            { QStringLiteral("resource"), QJsonObject { { QStringLiteral("id"), printifyId }, { QStringLiteral("type"), QStringLiteral("order") },
                                              { QStringLiteral("data"), QJsonObject { { QStringLiteral("shop_id"), 12345 } } } } } });
        // Wrong or missing signature: 400, nothing recorded.
        QNetworkRequest bad { QUrl(url) };
        bad.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        bad.setRawHeader("X-Pfy-Signature", PrintifySignature::header(event, "not-the-secret"));
        std::unique_ptr<QNetworkReply> badReply(m_net.post(bad, event));
        QTRY_VERIFY(badReply->isFinished());
        QCOMPARE(badReply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 400);
        QCOMPARE(http("POST", url, event).first, 400);

        // Out of order: "delivered" before the shipment exists. The payload is only a hint; the
        // order read from Printify says in production, so nothing moves yet.
        QNetworkRequest good { QUrl(url) };
        good.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
        good.setRawHeader("X-Pfy-Signature", PrintifySignature::header(event, PrintifySecret));
        std::unique_ptr<QNetworkReply> first(m_net.post(good, event));
        QTRY_VERIFY(first->isFinished());
        QCOMPARE(first->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QTest::qWait(300);
        QCOMPARE(status(id), OrderStatus::InProduction);
        // The same event again: acknowledged as a duplicate.
        std::unique_ptr<QNetworkReply> again(m_net.post(good, event));
        QTRY_VERIFY(again->isFinished());
        QVERIFY(QJsonDocument::fromJson(again->readAll()).object().value(QStringLiteral("duplicate")).toBool());
        // Shipped and delivered at Printify while our webhooks are held, then delivered newest first.
        QTRY_COMPARE_WITH_TIMEOUT(printifyOrder(id)->status, QStringLiteral("in-production"), 10000);
        QJsonObject hold { { QStringLiteral("mode"), QStringLiteral("hold") } };
        QCOMPARE(http("POST", QStringLiteral("http://127.0.0.1:%1/_sandbox/printify/delivery").arg(m_sandboxPort), json(hold)).first, 200);
        QVERIFY(!m_sandbox->printify().ship(printifyId, QStringLiteral("dhl"), QStringLiteral("JD0001"), QStringLiteral("https://dhl.example/JD0001")));
        QVERIFY(!m_sandbox->printify().deliver(printifyId));
        QCOMPARE(http("POST", QStringLiteral("http://127.0.0.1:%1/_sandbox/printify/release").arg(m_sandboxPort)).first, 200);
        QTRY_COMPARE_WITH_TIMEOUT(status(id), OrderStatus::Delivered, 15000);
        QCOMPARE(transitionsTo(id, QStringLiteral("shipped")), 1);
        QCOMPARE(transitionsTo(id, QStringLiteral("delivered")), 1);
    }

    void catalogFollowsPrintify()
    {
        startServer();
        const auto format = m_server->api().soldFormat(QStringLiteral("wall-landscape"));
        QCOMPARE(format->positions.size(), 13);
        QCOMPARE(format->positions.at(1).id, QStringLiteral("january"));
        QCOMPARE(format->positions.at(1).pixels, Placeholder);
        const auto [code, body] = http("GET", QStringLiteral("http://127.0.0.1:%1/v1/catalog").arg(m_port));
        QCOMPARE(code, 200);
        QVERIFY(body.contains("front_cover"));

        // Printify retires the variant (calendars are tied to a year): the format is no longer sold.
        QVERIFY(m_sandbox->printify().catalog().retire(94860));
        QThreadPool::globalInstance()->start([this] { (void)m_server->fulfillment()->syncCatalog(); });
        QTRY_VERIFY_WITH_TIMEOUT(QThreadPool::globalInstance()->activeThreadCount() == 0, 10000);
        m_server->api().reloadCatalog();
        QVERIFY(!m_server->api().soldFormat(QStringLiteral("wall-landscape")));
        QVERIFY(m_server->api().unavailableFormats().value(QStringLiteral("wall-landscape")).contains(QStringLiteral("94860")));
        const auto [created, createdBody] = http("POST", QStringLiteral("http://127.0.0.1:%1/v1/orders").arg(m_port),
            json({ { QStringLiteral("format"), QStringLiteral("wall-landscape") }, { QStringLiteral("title"), QStringLiteral("x") } }));
        QCOMPARE(created, 422);
        QMutexLocker lock(&m_logMutex);
        QVERIFY(m_logText.contains("catalog_format_unavailable"));
    }
};

QTEST_GUILESS_MAIN(TestFulfillment)
#include "tst_fulfillment.moc"
