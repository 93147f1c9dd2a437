// CompanionApi without sockets: orders, tokens, uploads, webhooks, admin,
// logs. Checkout and payment against the sandbox's Stripe fake are in
// tst_companionpayment.

#include "companiontestsupport.h"
#include "core/companion/companionapi.h"
#include "core/companion/jsonlog.h"
#include "core/companion/orderstore.h"

#include <QJsonArray>
#include <QTest>

using namespace CalStudio;
using namespace CalStudio::CompanionTest;

class TestCompanionApi : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<OrderStore> m_store;
    std::unique_ptr<JsonLog> m_log;
    QByteArray m_logText;
    std::unique_ptr<CompanionApi> m_api;

    ApiResponse call(const ApiRequest &r) { return m_api->handle(r); }

    /// Creates a draft order of the mini format; returns {id, token}.
    QPair<QString, QString> newOrder(int quantity = 1)
    {
        const ApiResponse r = call(request("POST", QStringLiteral("/v1/orders"),
            json({ { QStringLiteral("format"), QStringLiteral("mini") }, { QStringLiteral("quantity"), quantity },
                { QStringLiteral("title"), QStringLiteral("Family 2027") } })));
        if (r.status != 201)
            qFatal("order not created: %s", r.body.constData());
        const QJsonObject o = r.jsonBody();
        return { o.value(QStringLiteral("id")).toString(), o.value(QStringLiteral("token")).toString() };
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        const CompanionConfig config = makeConfig(m_dir->path(), QStringLiteral("http://127.0.0.1:9"));
        auto store = OrderStore::open(config.database());
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
        m_store = *store;
        m_logText.clear();
        m_log = std::make_unique<JsonLog>([this](const QByteArray &line) { m_logText += line; });
        m_api = std::make_unique<CompanionApi>(config, m_store, m_log.get(), CompanionApi::Defer());
    }

    void cleanup()
    {
        m_api.reset();
        m_store.reset();
        m_dir.reset();
    }

    void healthAndCatalog()
    {
        const ApiResponse health = call(request("GET", QStringLiteral("/v1/health")));
        QCOMPARE(health.status, 200);
        QCOMPARE(health.jsonBody().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(health.jsonBody().value(QStringLiteral("mode")).toString(), QStringLiteral("sandbox"));
        QVERIFY(
            health.jsonBody().value(QStringLiteral("database")).toObject().value(QStringLiteral("reachable")).toBool());

        const ApiResponse catalog = call(request("GET", QStringLiteral("/v1/catalog")));
        QCOMPARE(catalog.status, 200);
        const QJsonArray formats = catalog.jsonBody().value(QStringLiteral("formats")).toArray();
        QCOMPARE(formats.size(), 2);
        const QJsonObject mini = formats.at(0).toObject();
        QCOMPARE(mini.value(QStringLiteral("id")).toString(), QStringLiteral("mini"));
        QCOMPARE(mini.value(QStringLiteral("positions")).toArray().size(), 13);
        QCOMPARE(
            mini.value(QStringLiteral("positions")).toArray().at(0).toObject().value(QStringLiteral("width")).toInt(),
            170);
        QCOMPARE(mini.value(QStringLiteral("price")).toObject().value(QStringLiteral("amount")).toInt(), 2999);
        QCOMPARE(mini.value(QStringLiteral("shipping")).toArray().size(), 2);
        QCOMPARE(mini.value(QStringLiteral("countries")).toArray().size(), 3);
        QVERIFY(mini.value(QStringLiteral("cover")).toBool());
        const QJsonObject wall = formats.at(1).toObject();
        QCOMPARE(
            wall.value(QStringLiteral("positions")).toArray().at(1).toObject().value(QStringLiteral("width")).toInt(),
            3375);
    }

    void routing_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("allow");
        QTest::newRow("unknown") << QByteArray("GET") << QStringLiteral("/v1/nothing") << 404 << QByteArray();
        QTest::newRow("root") << QByteArray("GET") << QStringLiteral("/") << 404 << QByteArray();
        QTest::newRow("post health") << QByteArray("POST") << QStringLiteral("/v1/health") << 405 << QByteArray("GET");
        QTest::newRow("get orders") << QByteArray("GET") << QStringLiteral("/v1/orders") << 405 << QByteArray("POST");
        QTest::newRow("delete order") << QByteArray("DELETE") << QStringLiteral("/v1/orders/ord_x") << 405
                                      << QByteArray("GET");
        QTest::newRow("get file") << QByteArray("GET") << QStringLiteral("/v1/orders/ord_x/files/january") << 405
                                  << QByteArray("PUT");
        QTest::newRow("get checkout") << QByteArray("GET") << QStringLiteral("/v1/orders/ord_x/checkout") << 405
                                      << QByteArray("POST");
        QTest::newRow("get webhook") << QByteArray("GET") << QStringLiteral("/v1/webhooks/stripe") << 405
                                     << QByteArray("POST");
        QTest::newRow("post return page")
            << QByteArray("POST") << QStringLiteral("/checkout/return") << 405 << QByteArray("GET");
    }

    void routing()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(int, status);
        QFETCH(QByteArray, allow);
        const ApiResponse r = call(request(method, path));
        QCOMPARE(r.status, status);
        QCOMPARE(r.header("Allow"), allow);
        QVERIFY(
            !r.jsonBody().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString().isEmpty());
    }

    void createOrder()
    {
        const ApiResponse r = call(request("POST", QStringLiteral("/v1/orders"),
            json({ { QStringLiteral("format"), QStringLiteral("mini") }, { QStringLiteral("quantity"), 2 },
                { QStringLiteral("title"), QStringLiteral("Grandma 2027") },
                { QStringLiteral("client_reference"), QStringLiteral("proj-42") } })));
        QVERIFY2(r.status == 201, m_logText.constData());
        const QJsonObject o = r.jsonBody();
        const QString id = o.value(QStringLiteral("id")).toString();
        const QString token = o.value(QStringLiteral("token")).toString();
        QVERIFY(id.startsWith(QLatin1String("ord_")));
        // 32 random bytes, base64url: ≥ 128 bits as required.
        QVERIFY(token.startsWith(QLatin1String("otk_")));
        QCOMPARE(QByteArray::fromBase64(token.mid(4).toLatin1(), QByteArray::Base64UrlEncoding).size(), 32);
        QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("draft"));
        QCOMPARE(o.value(QStringLiteral("missing_positions")).toArray().size(), 13);
        QCOMPARE(r.header("Location"), "/v1/orders/" + id.toLatin1());

        // Only the token's hash is stored.
        auto stored = m_store->find(id);
        QVERIFY(stored.ok() && stored->has_value());
        QCOMPARE((*stored)->tokenHash, CompanionApi::tokenHash(token));
        QVERIFY(!(*stored)->tokenHash.contains(token.toLatin1()));

        const ApiResponse again = call(request("GET", QStringLiteral("/v1/orders/") + id, {}, {}, token));
        QCOMPARE(again.status, 200);
        QCOMPARE(again.jsonBody().value(QStringLiteral("quantity")).toInt(), 2);
        QCOMPARE(again.jsonBody().value(QStringLiteral("client_reference")).toString(), QStringLiteral("proj-42"));
        QVERIFY(!again.jsonBody().contains(QStringLiteral("token")));
        const QJsonArray history = again.jsonBody().value(QStringLiteral("history")).toArray();
        QCOMPARE(history.size(), 1);
        QCOMPARE(history.at(0).toObject().value(QStringLiteral("to")).toString(), QStringLiteral("draft"));
    }

    void createOrderRejects_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("not json") << QByteArray("{format:") << QByteArray("application/json") << 400 << "invalid_json";
        QTest::newRow("array") << QByteArray("[1]") << QByteArray("application/json") << 400 << "invalid_json";
        QTest::newRow("form") << QByteArray("format=mini") << QByteArray("application/x-www-form-urlencoded") << 415
                              << "unsupported_media_type";
        QTest::newRow("unknown format") << QByteArray("{\"format\":\"poster\",\"title\":\"x\"}")
                                        << QByteArray("application/json") << 422 << "unknown_format";
        QTest::newRow("no format") << QByteArray("{\"title\":\"x\"}") << QByteArray("application/json") << 422
                                   << "unknown_format";
        QTest::newRow("quantity 0") << QByteArray("{\"format\":\"mini\",\"quantity\":0,\"title\":\"x\"}")
                                    << QByteArray("application/json") << 422 << "invalid_quantity";
        QTest::newRow("quantity too many") << QByteArray("{\"format\":\"mini\",\"quantity\":6,\"title\":\"x\"}")
                                           << QByteArray("application/json") << 422 << "invalid_quantity";
        QTest::newRow("quantity fraction") << QByteArray("{\"format\":\"mini\",\"quantity\":1.5,\"title\":\"x\"}")
                                           << QByteArray("application/json") << 422 << "invalid_quantity";
        QTest::newRow("quantity text") << QByteArray("{\"format\":\"mini\",\"quantity\":\"2\",\"title\":\"x\"}")
                                       << QByteArray("application/json") << 422 << "invalid_quantity";
        QTest::newRow("no title") << QByteArray("{\"format\":\"mini\"}") << QByteArray("application/json") << 422
                                  << "invalid_title";
        QTest::newRow("long title") << QByteArray("{\"format\":\"mini\",\"title\":\"" + QByteArray(121, 'a') + "\"}")
                                    << QByteArray("application/json") << 422 << "invalid_title";
        QTest::newRow("too large") << QByteArray("{\"format\":\"mini\",\"title\":\"" + QByteArray(70000, 'a') + "\"}")
                                   << QByteArray("application/json") << 413 << "body_too_large";
    }

    void createOrderRejects()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(int, status);
        QFETCH(QString, code);
        const ApiResponse r = call(request("POST", QStringLiteral("/v1/orders"), body, contentType));
        QCOMPARE(r.status, status);
        QCOMPARE(r.jsonBody().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(), code);
        auto all = m_store->list(std::nullopt, false, 100);
        QVERIFY(all.ok());
        QVERIFY(all->isEmpty());
    }

    void tokensDoNotRevealOrders()
    {
        const auto [id, token] = newOrder();
        const auto [otherId, otherToken] = newOrder();
        Q_UNUSED(otherId)

        const ApiResponse missing = call(request("GET", QStringLiteral("/v1/orders/") + id));
        QCOMPARE(missing.status, 401);
        QCOMPARE(missing.header("WWW-Authenticate"), QByteArray("Bearer"));

        // Another order's token, a made-up token and an unknown order: the same 404.
        const ApiResponse wrong = call(request("GET", QStringLiteral("/v1/orders/") + id, {}, {}, otherToken));
        const ApiResponse garbage
            = call(request("GET", QStringLiteral("/v1/orders/") + id, {}, {}, QStringLiteral("otk_nope")));
        const ApiResponse unknown = call(request("GET", QStringLiteral("/v1/orders/ord_doesnotexist"), {}, {}, token));
        QCOMPARE(wrong.status, 404);
        QCOMPARE(garbage.status, 404);
        QCOMPARE(unknown.status, 404);
        QCOMPARE(wrong.body, unknown.body);
        QCOMPARE(garbage.body, unknown.body);

        // The same for every order endpoint.
        for (const auto &[method, suffix] : QList<QPair<QByteArray, QString>> { { "POST", QStringLiteral("/checkout") },
                 { "POST", QStringLiteral("/confirm") }, { "POST", QStringLiteral("/cancel") },
                 { "PUT", QStringLiteral("/files/january") } }) {
            QCOMPARE(call(request(method, QStringLiteral("/v1/orders/") + id + suffix, "x", "image/jpeg")).status, 401);
            QCOMPARE(
                call(request(method, QStringLiteral("/v1/orders/") + id + suffix, "x", "image/jpeg", otherToken)).body,
                unknown.body);
        }
        // The order is unchanged by all of it.
        auto stored = m_store->find(id);
        QCOMPARE((*stored)->status, OrderStatus::Draft);
    }

    void uploads_data()
    {
        QTest::addColumn<QString>("position");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("jpeg") << "january" << printFile(QSize(170, 130)) << QByteArray("image/jpeg") << 201
                              << QString();
        QTest::newRow("png") << "front_cover" << printFile(QSize(170, 130), "PNG") << QByteArray("image/png") << 201
                             << QString();
        QTest::newRow("srgb profile") << "march" << printFile(QSize(170, 130), "PNG", QColorSpace(QColorSpace::SRgb))
                                      << QByteArray("image/png") << 201 << QString();
        QTest::newRow("wrong size") << "january" << printFile(QSize(171, 130)) << QByteArray("image/jpeg") << 422
                                    << "wrong_pixel_size";
        QTest::newRow("swapped size") << "january" << printFile(QSize(130, 170)) << QByteArray("image/jpeg") << 422
                                      << "wrong_pixel_size";
        QTest::newRow("not an image") << "january" << QByteArray("hello, this is text") << QByteArray("image/jpeg")
                                      << 415 << "unsupported_media_type";
        QTest::newRow("gif type") << "january" << printFile(QSize(170, 130)) << QByteArray("image/gif") << 415
                                  << "unsupported_media_type";
        QTest::newRow("png sent as jpeg") << "january" << printFile(QSize(170, 130), "PNG") << QByteArray("image/jpeg")
                                          << 415 << "unsupported_media_type";
        QTest::newRow("display p3") << "january"
                                    << printFile(QSize(170, 130), "PNG", QColorSpace(QColorSpace::DisplayP3))
                                    << QByteArray("image/png") << 422 << "not_srgb";
        QByteArray truncated = printFile(QSize(170, 130));
        truncated.truncate(truncated.size() / 2);
        QTest::newRow("truncated") << "january" << truncated << QByteArray("image/jpeg") << 422 << "corrupt_image";
        QTest::newRow("too large") << "january" << QByteArray(200001, 'x') << QByteArray("image/jpeg") << 413
                                   << "upload_too_large";
        QTest::newRow("unknown position")
            << "thirteenth" << printFile(QSize(170, 130)) << QByteArray("image/jpeg") << 404 << "unknown_position";
    }

    void uploads()
    {
        QFETCH(QString, position);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(int, status);
        QFETCH(QString, code);
        const auto [id, token] = newOrder();
        const ApiResponse r = call(
            request("PUT", QStringLiteral("/v1/orders/%1/files/%2").arg(id, position), body, contentType, token));
        QCOMPARE(r.status, status);
        auto files = m_store->files(id);
        QVERIFY(files.ok());
        if (status == 201) {
            QCOMPARE(r.jsonBody().value(QStringLiteral("width")).toInt(), 170);
            QCOMPARE(r.jsonBody().value(QStringLiteral("missing_positions")).toArray().size(), 12);
            QCOMPARE(files->size(), 1);
            const QString sha = r.jsonBody().value(QStringLiteral("sha256")).toString();
            QCOMPARE(sha, QString::fromLatin1(QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex()));
            // Content-addressed under the data directory.
            QVERIFY(QFile::exists(m_dir->path()
                + QStringLiteral("/files/%1/%2/%3.%4").arg(sha.left(2), sha.mid(2, 2), sha, files->first().extension)));
        } else {
            QCOMPARE(
                r.jsonBody().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(), code);
            QVERIFY(!r.jsonBody()
                         .value(QStringLiteral("error"))
                         .toObject()
                         .value(QStringLiteral("message"))
                         .toString()
                         .isEmpty());
            QVERIFY(files->isEmpty());
        }
    }

    void uploadReplacesAndDeduplicates()
    {
        const auto [id, token] = newOrder();
        const QByteArray first = printFile(QSize(170, 130));
        const QByteArray second = printFile(QSize(170, 130), "PNG");
        const QString path = QStringLiteral("/v1/orders/%1/files/april").arg(id);
        QCOMPARE(call(request("PUT", path, first, "image/jpeg", token)).status, 201);
        QCOMPARE(call(request("PUT", path, second, "image/png", token)).status, 201);
        auto files = m_store->files(id);
        QCOMPARE(files->size(), 1);
        QCOMPARE(files->first().extension, QStringLiteral("png"));
        // Two orders with the same bytes share one stored file.
        const auto [id2, token2] = newOrder();
        QCOMPARE(call(request("PUT", QStringLiteral("/v1/orders/%1/files/may").arg(id2), second, "image/png", token2))
                     .status,
            201);
        QCOMPARE(m_store->files(id2)->first().sha256, files->first().sha256);
    }

    void checkoutNeedsEveryFile()
    {
        const auto [id, token] = newOrder();
        QCOMPARE(call(request("PUT", QStringLiteral("/v1/orders/%1/files/january").arg(id), printFile(QSize(170, 130)),
                          "image/jpeg", token))
                     .status,
            201);
        const ApiResponse r
            = call(request("POST", QStringLiteral("/v1/orders/%1/checkout").arg(id), {}, "application/json", token));
        QCOMPARE(r.status, 409);
        QCOMPARE(r.jsonBody().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
            QStringLiteral("files_missing"));
        QVERIFY(r.jsonBody()
                    .value(QStringLiteral("error"))
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("front_cover")));
        QCOMPARE((*m_store->find(id))->status, OrderStatus::Draft);
    }

    void cancelDraft()
    {
        const auto [id, token] = newOrder();
        const ApiResponse r
            = call(request("POST", QStringLiteral("/v1/orders/%1/cancel").arg(id), {}, "application/json", token));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.jsonBody().value(QStringLiteral("status")).toString(), QStringLiteral("canceled"));
        // Canceled orders take no more files.
        QCOMPARE(call(request("PUT", QStringLiteral("/v1/orders/%1/files/january").arg(id), printFile(QSize(170, 130)),
                          "image/jpeg", token))
                     .status,
            409);
        // Canceling again is harmless: the same answer, one transition in the history.
        const ApiResponse again
            = call(request("POST", QStringLiteral("/v1/orders/%1/cancel").arg(id), {}, "application/json", token));
        QCOMPARE(again.status, 200);
        QCOMPARE(again.jsonBody().value(QStringLiteral("history")).toArray().size(), 2);
    }

    void webhookSignatures_data()
    {
        QTest::addColumn<int>("mutation");
        QTest::newRow("no header") << 0;
        QTest::newRow("wrong secret") << 1;
        QTest::newRow("stale timestamp") << 2;
        QTest::newRow("tampered body") << 3;
        QTest::newRow("future timestamp") << 4;
        QTest::newRow("v0 only") << 5;
    }

    void webhookSignatures()
    {
        QFETCH(int, mutation);
        const auto [id, token] = newOrder();
        Q_UNUSED(token)
        const QByteArray body = stripeEvent(QStringLiteral("evt_sig"), QStringLiteral("checkout.session.expired"),
            QJsonObject { { QStringLiteral("id"), QStringLiteral("cs_test_x") },
                { QStringLiteral("object"), QStringLiteral("checkout.session") },
                { QStringLiteral("status"), QStringLiteral("expired") },
                { QStringLiteral("client_reference_id"), id } });
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        ApiRequest r;
        switch (mutation) {
        case 0:
            r = request("POST", QStringLiteral("/v1/webhooks/stripe"), body);
            break;
        case 1:
            r = signedWebhook(body, now, "whsec_someone_else");
            break;
        case 2:
            r = signedWebhook(body, now - 301);
            break;
        case 3: {
            r = signedWebhook(body, now);
            r.body.replace("expired", "complete");
            break;
        }
        case 4:
            r = signedWebhook(body, now + 301);
            break;
        case 5:
            r = request("POST", QStringLiteral("/v1/webhooks/stripe"), body);
            r.headers.append({ "Stripe-Signature",
                "t=" + QByteArray::number(now) + ",v0=" + StripeSignature::signature(body, WebhookSecret, now) });
            break;
        }
        const ApiResponse response = call(r);
        QCOMPARE(response.status, 400);
        QCOMPARE(response.jsonBody().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
            QStringLiteral("invalid_signature"));
        // Nothing recorded: the same event, correctly signed, is still new.
        const ApiResponse good = call(signedWebhook(body, now));
        QCOMPARE(good.status, 200);
        QCOMPARE(good.jsonBody().value(QStringLiteral("duplicate")).toBool(), false);
    }

    void webhookAcknowledgesWhatItDoesNotHandle()
    {
        // A verified event of another type, and one for an order this server does not know: 2xx, nothing changes.
        const ApiResponse other
            = call(signedWebhook(stripeEvent(QStringLiteral("evt_other"), QStringLiteral("customer.created"),
                QJsonObject { { QStringLiteral("id"), QStringLiteral("cus_1") },
                    { QStringLiteral("object"), QStringLiteral("customer") } })));
        QCOMPARE(other.status, 200);
        const ApiResponse unknown = call(
            signedWebhook(stripeEvent(QStringLiteral("evt_unknown"), QStringLiteral("checkout.session.completed"),
                QJsonObject { { QStringLiteral("id"), QStringLiteral("cs_test_elsewhere") },
                    { QStringLiteral("object"), QStringLiteral("checkout.session") },
                    { QStringLiteral("status"), QStringLiteral("complete") },
                    { QStringLiteral("payment_status"), QStringLiteral("paid") },
                    { QStringLiteral("client_reference_id"), QStringLiteral("ord_not_ours") } })));
        QCOMPARE(unknown.status, 200);
        QVERIFY(m_logText.contains("unknown_order"));
        // Duplicates are acknowledged and not processed again.
        const ApiResponse again
            = call(signedWebhook(stripeEvent(QStringLiteral("evt_other"), QStringLiteral("customer.created"), {})));
        QCOMPARE(again.status, 200);
        QVERIFY(again.jsonBody().value(QStringLiteral("duplicate")).toBool());
        // Not an event at all, but signed.
        QCOMPARE(call(signedWebhook("{\"hello\":1}")).status, 400);
    }

    void admin()
    {
        const auto [id, token] = newOrder();
        Q_UNUSED(token)
        QCOMPARE(call(request("GET", QStringLiteral("/v1/admin/orders"))).status, 401);
        QCOMPARE(call(request("GET", QStringLiteral("/v1/admin/orders"), {}, {}, QStringLiteral("not-the-admin-token")))
                     .status,
            403);
        const ApiResponse list
            = call(request("GET", QStringLiteral("/v1/admin/orders?status=draft"), {}, {}, AdminToken));
        QCOMPARE(list.status, 200);
        QCOMPARE(list.jsonBody().value(QStringLiteral("orders")).toArray().size(), 1);
        QCOMPARE(call(request("GET", QStringLiteral("/v1/admin/orders?status=paid"), {}, {}, AdminToken))
                     .jsonBody()
                     .value(QStringLiteral("orders"))
                     .toArray()
                     .size(),
            0);
        QCOMPARE(call(request("GET", QStringLiteral("/v1/admin/orders?status=bogus"), {}, {}, AdminToken)).status, 400);
        const ApiResponse one = call(request("GET", QStringLiteral("/v1/admin/orders/") + id, {}, {}, AdminToken));
        QCOMPARE(one.status, 200);
        QVERIFY(one.jsonBody().contains(QStringLiteral("checkout_attempt")));
        // An order token is not an admin token.
        QCOMPARE(call(request("GET", QStringLiteral("/v1/admin/orders/") + id, {}, {}, token)).status, 403);
    }

    void rateLimits()
    {
        QTemporaryDir dir;
        QJsonObject json
            = configJson(dir.path(), QStringLiteral("http://127.0.0.1:9"), QStringLiteral("http://127.0.0.1:9"));
        QJsonObject limits = json.value(QStringLiteral("limits")).toObject();
        limits.insert(QStringLiteral("orders_per_minute_per_ip"), 3);
        json.insert(QStringLiteral("limits"), limits);
        auto config = CompanionConfig::fromJson(json, QProcessEnvironment(), dir.path());
        QVERIFY(config.ok());
        auto store = OrderStore::open(config->database());
        CompanionApi api(*config, *store, nullptr, {});
        const QByteArray body = "{\"format\":\"mini\",\"title\":\"x\"}";
        for (int i = 0; i < 3; ++i)
            QCOMPARE(api.handle(request("POST", QStringLiteral("/v1/orders"), body)).status, 201);
        const ApiResponse limited = api.handle(request("POST", QStringLiteral("/v1/orders"), body));
        QCOMPARE(limited.status, 429);
        QVERIFY(limited.header("Retry-After").toInt() > 0);
        // Another address is not affected.
        ApiRequest other = request("POST", QStringLiteral("/v1/orders"), body);
        other.remoteAddress = QStringLiteral("192.0.2.7");
        QCOMPARE(api.handle(other).status, 201);
    }

    void logsHoldNoSecrets()
    {
        const auto [id, token] = newOrder();
        call(request("GET", QStringLiteral("/v1/orders/") + id, {}, {}, token));
        call(request("GET", QStringLiteral("/v1/admin/orders"), {}, {}, AdminToken));
        call(signedWebhook(stripeEvent(QStringLiteral("evt_log"), QStringLiteral("customer.created"), {})));
        QVERIFY(!m_logText.isEmpty());
        QVERIFY(!m_logText.contains(token.toLatin1()));
        QVERIFY(!m_logText.contains(AdminToken.toLatin1()));
        QVERIFY(!m_logText.contains(WebhookSecret));
        QVERIFY(!m_logText.contains(StripeKey.toLatin1()));
        // Every line is a JSON object.
        for (const QByteArray &line : m_logText.split('\n')) {
            if (!line.isEmpty())
                QVERIFY2(QJsonDocument::fromJson(line).isObject(), line.constData());
        }
        // The filter itself.
        QJsonObject redacted = JsonLog::redacted({ { QStringLiteral("order_token"), QStringLiteral("x") },
            { QStringLiteral("nested"),
                QJsonObject { { QStringLiteral("shipping_address"), QStringLiteral("Main St") },
                    { QStringLiteral("ok"), 1 } } } });
        QVERIFY(!redacted.contains(QStringLiteral("order_token")));
        QCOMPARE(redacted.value(QStringLiteral("nested")).toObject().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestCompanionApi)
#include "tst_companionapi.moc"
