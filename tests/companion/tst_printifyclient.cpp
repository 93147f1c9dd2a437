// PrintifyClient at the wire level against a small Printify stand-in served by QHttpServer in this process
// (127.0.0.1, OS-chosen port). The stand-in records every raw request and answers from a script, else with
// Printify-shaped defaults. Calls run on QtConcurrent worker threads, as in the server, while the main thread
// serves. The heart of it: non-idempotent calls are never repeated once Printify may have acted on them.
#include "core/companion/printifyclient.h"

#include <QCoreApplication>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QMutex>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QUrlQuery>
#include <QtConcurrent>

#include <memory>

using namespace CalStudio;
using namespace std::chrono_literals;

namespace {

template<typename T>
QByteArray why(const Result<T> &result)
{
    return result.ok() ? QByteArray() : result.error().toString().toUtf8();
}

// Shaped like a Printify personal access token (a JWT).
const QString kToken
    = QStringLiteral("eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiIzN2Q0YmQzMDM1ZmUxMWU5YTgwMyIsImp0"
                     "aSI6ImFiYzEyMyJ9.SgnTuReXyZ0123456789abcdefDoNotLog");
const QString kShop = QStringLiteral("5432");
const QString kOrderId = QStringLiteral("5a96f649b2439217d070f507");

struct Recorded {
    QByteArray method;
    QString path; ///< with the query, if any
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    bool hasHeader(const QByteArray &name) const
    {
        return std::any_of(headers.begin(), headers.end(),
            [&](const auto &pair) { return pair.first.compare(name, Qt::CaseInsensitive) == 0; });
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

struct Scripted {
    int status = 200;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray contentType = "application/json";
    bool drop = false; ///< close the connection without an answer, after reading the whole request
    bool hang = false; ///< never answer
};

Scripted ok(const QJsonValue &json)
{
    Scripted s;
    s.body = json.isArray() ? QJsonDocument(json.toArray()).toJson(QJsonDocument::Compact)
                            : QJsonDocument(json.toObject()).toJson(QJsonDocument::Compact);
    return s;
}

Scripted status(int code, const QJsonObject &json = {})
{
    Scripted s = ok(json);
    s.status = code;
    return s;
}

/// Printify's validation shape (EXTERNAL_APIS.md 1.3).
Scripted validation(int code, const QString &reason)
{
    return status(400,
        QJsonObject { { QStringLiteral("status"), QStringLiteral("error") }, { QStringLiteral("code"), code },
            { QStringLiteral("message"), QStringLiteral("Validation failed.") },
            { QStringLiteral("errors"),
                QJsonObject { { QStringLiteral("reason"), reason }, { QStringLiteral("code"), code } } } });
}

Scripted busy()
{
    return status(400,
        QJsonObject {
            { QStringLiteral("code"), 8502 }, { QStringLiteral("message"), QStringLiteral("Operation failed.") } });
}

Scripted rateLimited(const QByteArray &retryAfter = {})
{
    Scripted s = status(429, QJsonObject { { QStringLiteral("message"), QStringLiteral("Too Many Attempts.") } });
    if (!retryAfter.isEmpty())
        s.headers.append(qMakePair(QByteArray("Retry-After"), retryAfter));
    return s;
}

Scripted dropped()
{
    Scripted s;
    s.drop = true;
    return s;
}

Scripted hanging()
{
    Scripted s;
    s.hang = true;
    return s;
}

QJsonObject placeholder(const QString &position, int width, int height)
{
    return QJsonObject { { QStringLiteral("position"), position }, { QStringLiteral("width"), width },
        { QStringLiteral("height"), height } };
}

QJsonObject orderJson(const QString &id, const QString &externalId, bool inMetadataOnly = false)
{
    QJsonObject order { { QStringLiteral("id"), id }, { QStringLiteral("status"), QStringLiteral("on-hold") },
        { QStringLiteral("metadata"),
            QJsonObject { { QStringLiteral("order_type"), QStringLiteral("api") },
                { QStringLiteral("shop_order_id"), externalId } } } };
    if (!inMetadataOnly)
        order.insert(QStringLiteral("external_id"), externalId);
    return order;
}

/// The Printify stand-in. Lives on the main thread.
class FakePrintify {
public:
    FakePrintify()
    {
        m_http.setMissingHandler([this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            handle(request, std::move(responder));
        });
        m_port = m_http.listen(QHostAddress(QHostAddress::LocalHost), 0);
    }

    quint16 port() const { return m_port; }
    QUrl base() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port)); }
    void script(QList<Scripted> answers) { m_script = std::move(answers); }
    QList<Recorded> requests() const { return m_requests; }
    /// Orders served by GET orders.json, newest first.
    void setOrders(QJsonArray orders) { m_orders = std::move(orders); }
    void clear()
    {
        m_script.clear();
        m_requests.clear();
        m_hanging.clear();
        m_orders = {};
    }

private:
    void handle(const QHttpServerRequest &request, QHttpServerResponder &&responder)
    {
        Recorded recorded;
        switch (request.method()) {
        case QHttpServerRequest::Method::Get:
            recorded.method = "GET";
            break;
        case QHttpServerRequest::Method::Post:
            recorded.method = "POST";
            break;
        case QHttpServerRequest::Method::Put:
            recorded.method = "PUT";
            break;
        case QHttpServerRequest::Method::Delete:
            recorded.method = "DELETE";
            break;
        default:
            recorded.method = "OTHER";
        }
        recorded.path = request.url().path();
        if (request.url().hasQuery())
            recorded.path += QLatin1Char('?') + request.url().query();
        recorded.headers = request.headers();
        recorded.body = request.body();
        m_requests.append(recorded);

        Scripted answer = m_script.isEmpty() ? defaultAnswer(request, recorded) : m_script.takeFirst();
        if (answer.hang) {
            m_hanging.append(std::make_shared<QHttpServerResponder>(std::move(responder)));
            return;
        }
        if (answer.drop) {
            if (QTcpSocket *socket = responder.socket())
                socket->abort();
            return;
        }
        responder.writeStatusLine(QHttpServerResponder::StatusCode(answer.status));
        for (const auto &[name, value] : std::as_const(answer.headers))
            responder.writeHeader(name, value);
        responder.writeHeader("Content-Type", answer.contentType);
        responder.writeHeader("Content-Length", QByteArray::number(answer.body.size()));
        responder.writeBody(answer.body);
    }

    Scripted defaultAnswer(const QHttpServerRequest &request, const Recorded &r) const
    {
        const QString path = request.url().path();
        const QString shop = QStringLiteral("/v1/shops/") + kShop;
        if (path == QLatin1String("/v1/shops.json")) {
            return ok(QJsonArray { QJsonObject { { QStringLiteral("id"), 5432 },
                { QStringLiteral("title"), QStringLiteral("My new store") },
                { QStringLiteral("sales_channel"), QStringLiteral("disconnected") } } });
        }
        if (path.endsWith(QLatin1String("/variants.json"))) {
            return ok(QJsonObject { { QStringLiteral("id"), 234 },
                { QStringLiteral("title"), QStringLiteral("Today's Graphics") },
                { QStringLiteral("variants"),
                    QJsonArray { QJsonObject { { QStringLiteral("id"), 94860 },
                        { QStringLiteral("title"), QStringLiteral("10.8\" x 8.4\"") },
                        { QStringLiteral("placeholders"),
                            QJsonArray { placeholder(QStringLiteral("front_cover"), 3454, 2725),
                                placeholder(QStringLiteral("january"), 3454, 2725) } } } } } });
        }
        if (path.startsWith(QLatin1String("/v1/catalog/")) && path.endsWith(QLatin1String("/shipping.json"))) {
            return ok(QJsonObject { { QStringLiteral("handling_time"),
                                        QJsonObject { { QStringLiteral("value"), 30 },
                                            { QStringLiteral("unit"), QStringLiteral("day") } } },
                { QStringLiteral("profiles"), QJsonArray {} } });
        }
        if (path == QLatin1String("/v1/uploads/images.json")) {
            const QJsonObject body = r.json();
            return ok(QJsonObject { { QStringLiteral("id"), QStringLiteral("5941187eb8e7e37b3f0e62e5") },
                { QStringLiteral("file_name"), body.value(QStringLiteral("file_name")) },
                { QStringLiteral("height"), 2725 }, { QStringLiteral("width"), 3454 }, { QStringLiteral("size"), 1021 },
                { QStringLiteral("mime_type"), QStringLiteral("image/png") },
                { QStringLiteral("preview_url"), QStringLiteral("https://example.com/p.png") },
                { QStringLiteral("upload_time"), QStringLiteral("2020-01-09 07:29:43") } });
        }
        if (path == shop + QStringLiteral("/products.json"))
            return ok(QJsonObject { { QStringLiteral("id"), QStringLiteral("5bfd0b66a342bcc9b5563216") },
                { QStringLiteral("visible"), false } });
        if (path == shop + QStringLiteral("/orders/shipping.json")) {
            return ok(QJsonObject { { QStringLiteral("standard"), 1000 }, { QStringLiteral("express"), 5000 },
                { QStringLiteral("economy"), 399 } });
        }
        if (path == shop + QStringLiteral("/orders.json") && r.method == "POST")
            return ok(QJsonObject { { QStringLiteral("id"), kOrderId } });
        if (path == shop + QStringLiteral("/orders.json")) {
            const QUrlQuery query(request.url());
            const int page = std::max(1, query.queryItemValue(QStringLiteral("page")).toInt());
            const int limit = std::max(1, query.queryItemValue(QStringLiteral("limit")).toInt());
            const int last = std::max(1, int((m_orders.size() + limit - 1) / limit));
            QJsonArray data;
            for (int i = (page - 1) * limit; i < std::min<int>(page * limit, m_orders.size()); ++i)
                data.append(m_orders.at(i));
            return ok(QJsonObject { { QStringLiteral("current_page"), page }, { QStringLiteral("last_page"), last },
                { QStringLiteral("per_page"), limit }, { QStringLiteral("total"), m_orders.size() },
                { QStringLiteral("data"), data } });
        }
        static const QRegularExpression orderAction(QStringLiteral("^/v1/shops/\\d+/orders/([^/]+)/(\\w+)\\.json$"));
        if (const auto match = orderAction.match(path); match.hasMatch()) {
            return ok(QJsonObject { { QStringLiteral("id"), match.captured(1) },
                { QStringLiteral("status"),
                    match.captured(2) == QLatin1String("cancel") ? QStringLiteral("canceled")
                                                                 : QStringLiteral("sending-to-production") } });
        }
        static const QRegularExpression oneOrder(QStringLiteral("^/v1/shops/\\d+/orders/([^/]+)\\.json$"));
        if (const auto match = oneOrder.match(path); match.hasMatch()) {
            return ok(QJsonObject {
                { QStringLiteral("id"), match.captured(1) }, { QStringLiteral("status"), QStringLiteral("on-hold") } });
        }
        if (path == shop + QStringLiteral("/webhooks.json") && r.method == "GET") {
            return ok(QJsonArray { QJsonObject { { QStringLiteral("id"), QStringLiteral("5cb87a8cd490a2ccb256cec4") },
                { QStringLiteral("topic"), QStringLiteral("order:created") },
                { QStringLiteral("url"), QStringLiteral("https://shop.example/v1/webhooks/printify") },
                { QStringLiteral("shop_id"), kShop } } });
        }
        if (path == shop + QStringLiteral("/webhooks.json")) {
            const QJsonObject body = r.json();
            return ok(QJsonObject { { QStringLiteral("id"), QStringLiteral("5cb87a8cd490a2ccb256cec5") },
                { QStringLiteral("topic"), body.value(QStringLiteral("topic")) },
                { QStringLiteral("url"), body.value(QStringLiteral("url")) }, { QStringLiteral("shop_id"), kShop } });
        }
        static const QRegularExpression webhook(QStringLiteral("^/v1/shops/\\d+/webhooks/([^/]+)\\.json$"));
        if (const auto match = webhook.match(path); match.hasMatch())
            return ok(QJsonObject { { QStringLiteral("id"), match.captured(1) } });
        return status(404, QJsonObject { { QStringLiteral("message"), QStringLiteral("Not found") } });
    }

    QHttpServer m_http;
    quint16 m_port = 0;
    QList<Scripted> m_script;
    QList<Recorded> m_requests;
    QList<std::shared_ptr<QHttpServerResponder>> m_hanging;
    QJsonArray m_orders;
};

/// Runs `call` on a QtConcurrent worker thread while the main thread keeps serving.
template<typename Call>
auto offThread(Call call)
{
    using R = decltype(call());
    QFuture<std::shared_ptr<R>> future
        = QtConcurrent::run([call = std::move(call)]() mutable { return std::make_shared<R>(call()); });
    if (!QTest::qWaitFor([&future] { return future.isFinished(); }, 60000))
        qFatal("call did not finish");
    QTest::qWait(50); // let a late (re-sent) request reach the stand-in before the test counts
    return std::move(*future.result());
}

QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker locker(&g_logMutex);
        g_log.append(message);
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

bool mentionsSecret(const Error &error)
{
    const QString all = error.code + error.userMessage + error.detail + error.toString();
    return all.contains(kToken) || all.contains(kToken.left(40)) || all.contains(kToken.right(20))
        || all.contains(QStringLiteral("Bearer"));
}

QJsonObject sampleOrder(const QString &externalId = QStringLiteral("ord_7"))
{
    return QJsonObject { { QStringLiteral("external_id"), externalId }, { QStringLiteral("label"), externalId },
        { QStringLiteral("line_items"),
            QJsonArray { QJsonObject { { QStringLiteral("product_id"), QStringLiteral("5bfd0b66a342bcc9b5563216") },
                { QStringLiteral("variant_id"), 94860 }, { QStringLiteral("quantity"), 1 } } } },
        { QStringLiteral("shipping_method"), 1 }, { QStringLiteral("send_shipping_notification"), false },
        { QStringLiteral("address_to"),
            QJsonObject { { QStringLiteral("first_name"), QStringLiteral("John") },
                { QStringLiteral("last_name"), QStringLiteral("Smith") },
                { QStringLiteral("country"), QStringLiteral("BE") },
                { QStringLiteral("address1"), QStringLiteral("ExampleBaan 121") },
                { QStringLiteral("city"), QStringLiteral("Retie") },
                { QStringLiteral("zip"), QStringLiteral("2470") } } } };
}

} // namespace

Q_DECLARE_METATYPE(Scripted)

class TestPrintifyClient : public QObject {
    Q_OBJECT

private:
    PrintifyClient::Options options()
    {
        PrintifyClient::Options o;
        o.apiBase = m_fake->base();
        o.token = kToken;
        o.shopId = kShop;
        o.timeout = 10s;
        o.maxAttempts = 3;
        o.initialBackoff = 100ms;
        o.maxBackoff = 10s;
        o.version = QStringLiteral("2.0.1");
        o.sleep = [this](std::chrono::milliseconds pause) {
            QMutexLocker locker(&m_sleepMutex);
            m_sleeps.append(pause);
        };
        return o;
    }

    QList<std::chrono::milliseconds> sleeps()
    {
        QMutexLocker locker(&m_sleepMutex);
        return m_sleeps;
    }

    void checkCommonHeaders(const Recorded &r)
    {
        QCOMPARE(r.header("Authorization"), QByteArray("Bearer " + kToken.toUtf8()));
        QCOMPARE(r.header("User-Agent"), QByteArray("calstudio-companion/2.0.1"));
        QCOMPARE(r.header("Accept"), QByteArray("application/json"));
    }

    void checkJsonPost(const Recorded &r, const QByteArray &method = "POST")
    {
        QCOMPARE(r.method, method);
        checkCommonHeaders(r);
        QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
        QCOMPARE(r.header("Content-Length"), QByteArray::number(r.body.size()));
        QVERIFY2(QJsonDocument::fromJson(r.body).isObject(), r.body.constData());
    }

    std::unique_ptr<FakePrintify> m_fake;
    QMutex m_sleepMutex;
    QList<std::chrono::milliseconds> m_sleeps;

private Q_SLOTS:
    void initTestCase()
    {
        m_fake = std::make_unique<FakePrintify>();
        QVERIFY(m_fake->port() != 0);
        g_previousHandler = qInstallMessageHandler(captureMessage);
        QLoggingCategory::setFilterRules(QStringLiteral("calstudio.*=true"));
    }

    void cleanupTestCase()
    {
        qInstallMessageHandler(g_previousHandler);
        QMutexLocker locker(&g_logMutex);
        QVERIFY(!g_log.isEmpty()); // the client did log
        for (const QString &line : std::as_const(g_log)) {
            QVERIFY2(!line.contains(kToken.left(40)) && !line.contains(kToken.right(20)), qPrintable(line));
            QVERIFY2(!line.contains(QStringLiteral("Bearer")), qPrintable(line));
        }
    }

    void init()
    {
        m_fake->clear();
        QMutexLocker locker(&m_sleepMutex);
        m_sleeps.clear();
    }

    // ------------------------------------------------------------ the wire

    void shopsAndCatalogWire()
    {
        PrintifyClient client(options());
        const auto shops = offThread([&] { return client.shops(); });
        QVERIFY2(shops.ok(), why(shops).constData());
        QCOMPARE(shops->size(), 1);
        QCOMPARE(shops->at(0).toObject().value(QStringLiteral("id")).toInt(), 5432);

        const auto variants = offThread([&] { return client.variants(1253, 234); });
        QVERIFY2(variants.ok(), why(variants).constData());
        QCOMPARE(variants->value(QStringLiteral("variants")).toArray().size(), 1);
        const auto shipping = offThread([&] { return client.shippingProfiles(1253, 234); });
        QVERIFY2(shipping.ok(), why(shipping).constData());
        QVERIFY(shipping->contains(QStringLiteral("handling_time")));

        const QList<Recorded> requests = m_fake->requests();
        QCOMPARE(requests.size(), 3);
        QCOMPARE(requests[0].path, QStringLiteral("/v1/shops.json"));
        QCOMPARE(requests[1].path, QStringLiteral("/v1/catalog/blueprints/1253/print_providers/234/variants.json"));
        QCOMPARE(requests[2].path, QStringLiteral("/v1/catalog/blueprints/1253/print_providers/234/shipping.json"));
        for (const Recorded &r : requests) {
            QCOMPARE(r.method, QByteArray("GET"));
            checkCommonHeaders(r);
            QVERIFY(!r.hasHeader("Content-Type"));
            QVERIFY(r.body.isEmpty());
        }
        QVERIFY(sleeps().isEmpty());
    }

    void uploadWire()
    {
        PrintifyClient client(options());
        QByteArray bytes("\x89PNG\r\n\x1a\n", 8);
        for (int i = 0; i < 3000; ++i)
            bytes.append(char(i * 7));
        const auto upload = offThread([&] { return client.uploadImage(QStringLiteral("january.png"), bytes); });
        QVERIFY2(upload.ok(), why(upload).constData());
        QCOMPARE(upload->id, QStringLiteral("5941187eb8e7e37b3f0e62e5"));
        QCOMPARE(upload->fileName, QStringLiteral("january.png"));
        QCOMPARE(upload->width, 3454);
        QCOMPARE(upload->height, 2725);
        QCOMPARE(upload->size, Q_INT64_C(1021));
        QCOMPARE(upload->mimeType, QStringLiteral("image/png"));

        const auto fromUrl = offThread([&] {
            return client.uploadImageFromUrl(
                QStringLiteral("february.png"), QUrl(QStringLiteral("https://shop.example/files/f 1.png?sig=a+b")));
        });
        QVERIFY2(fromUrl.ok(), why(fromUrl).constData());

        const QList<Recorded> requests = m_fake->requests();
        QCOMPARE(requests.size(), 2);
        for (const Recorded &r : requests) {
            QCOMPARE(r.path, QStringLiteral("/v1/uploads/images.json"));
            checkJsonPost(r);
        }
        // Exactly {file_name, contents} with standard base64 (no data: prefix, no line breaks).
        const QJsonObject first = requests[0].json();
        QCOMPARE(first.keys(), (QStringList { QStringLiteral("contents"), QStringLiteral("file_name") }));
        QCOMPARE(first.value(QStringLiteral("file_name")).toString(), QStringLiteral("january.png"));
        const QString contents = first.value(QStringLiteral("contents")).toString();
        QCOMPARE(contents.toLatin1(), bytes.toBase64());
        QVERIFY(!contents.contains(QLatin1Char('\n')) && !contents.startsWith(QLatin1String("data:")));
        QCOMPARE(QByteArray::fromBase64(contents.toLatin1()), bytes);
        QCOMPARE(requests[0].body, QJsonDocument(first).toJson(QJsonDocument::Compact));
        const QJsonObject second = requests[1].json();
        QCOMPARE(second.keys(), (QStringList { QStringLiteral("file_name"), QStringLiteral("url") }));
        QCOMPARE(second.value(QStringLiteral("url")).toString(),
            QStringLiteral("https://shop.example/files/f%201.png?sig=a+b"));
    }

    void productAndOrderWire()
    {
        PrintifyClient client(options());
        const QJsonObject product { { QStringLiteral("title"), QStringLiteral("Calendar ord_7") },
            { QStringLiteral("blueprint_id"), 1253 }, { QStringLiteral("print_provider_id"), 234 },
            { QStringLiteral("variants"),
                QJsonArray { QJsonObject { { QStringLiteral("id"), 94860 }, { QStringLiteral("price"), 2499 },
                    { QStringLiteral("is_enabled"), true } } } },
            { QStringLiteral("visible"), false } };
        const auto productId = offThread([&] { return client.createProduct(product); });
        QVERIFY2(productId.ok(), why(productId).constData());
        QCOMPARE(*productId, QStringLiteral("5bfd0b66a342bcc9b5563216"));

        const auto orderId = offThread([&] { return client.createOrder(sampleOrder()); });
        QVERIFY2(orderId.ok(), why(orderId).constData());
        QCOMPARE(*orderId, kOrderId);

        const auto order = offThread([&] { return client.order(kOrderId); });
        QVERIFY2(order.ok(), why(order).constData());
        QCOMPARE(order->value(QStringLiteral("status")).toString(), QStringLiteral("on-hold"));
        const auto sent = offThread([&] { return client.sendToProduction(kOrderId); });
        QVERIFY2(sent.ok(), why(sent).constData());
        QCOMPARE(sent->value(QStringLiteral("status")).toString(), QStringLiteral("sending-to-production"));
        const auto canceled = offThread([&] { return client.cancelOrder(kOrderId); });
        QVERIFY2(canceled.ok(), why(canceled).constData());
        QCOMPARE(canceled->value(QStringLiteral("status")).toString(), QStringLiteral("canceled"));
        const QJsonObject quoteRequest { { QStringLiteral("line_items"),
                                             sampleOrder().value(QStringLiteral("line_items")) },
            { QStringLiteral("address_to"), sampleOrder().value(QStringLiteral("address_to")) } };
        const auto quote = offThread([&] { return client.shippingQuote(quoteRequest); });
        QVERIFY2(quote.ok(), why(quote).constData());
        QCOMPARE(quote->value(QStringLiteral("standard")).toInt(), 1000);

        const QList<Recorded> requests = m_fake->requests();
        QCOMPARE(requests.size(), 6);
        QCOMPARE(requests[0].path, QStringLiteral("/v1/shops/5432/products.json"));
        checkJsonPost(requests[0]);
        QCOMPARE(requests[0].json(), product);
        QCOMPARE(requests[0].body, QJsonDocument(product).toJson(QJsonDocument::Compact));
        QCOMPARE(requests[1].path, QStringLiteral("/v1/shops/5432/orders.json"));
        checkJsonPost(requests[1]);
        QCOMPARE(requests[1].json(), sampleOrder());
        QCOMPARE(requests[2].method, QByteArray("GET"));
        QCOMPARE(requests[2].path, QStringLiteral("/v1/shops/5432/orders/5a96f649b2439217d070f507.json"));
        checkCommonHeaders(requests[2]);
        QCOMPARE(
            requests[3].path, QStringLiteral("/v1/shops/5432/orders/5a96f649b2439217d070f507/send_to_production.json"));
        checkJsonPost(requests[3]);
        QCOMPARE(requests[3].body, QByteArray("{}"));
        QCOMPARE(requests[4].path, QStringLiteral("/v1/shops/5432/orders/5a96f649b2439217d070f507/cancel.json"));
        checkJsonPost(requests[4]);
        QCOMPARE(requests[4].body, QByteArray("{}"));
        QCOMPARE(requests[5].path, QStringLiteral("/v1/shops/5432/orders/shipping.json"));
        checkJsonPost(requests[5]);
        QCOMPARE(requests[5].json(), quoteRequest);
        QVERIFY(sleeps().isEmpty());
    }

    void webhooksWire()
    {
        PrintifyClient client(options());
        const auto list = offThread([&] { return client.webhooks(); });
        QVERIFY2(list.ok(), why(list).constData());
        QCOMPARE(list->size(), 1);
        const QUrl url(QStringLiteral("https://shop.example/v1/webhooks/printify"));
        const auto created = offThread([&] {
            return client.createWebhook(QStringLiteral("order:updated"), url, QByteArray("whsecret_0123456789"));
        });
        QVERIFY2(created.ok(), why(created).constData());
        QCOMPARE(created->value(QStringLiteral("id")).toString(), QStringLiteral("5cb87a8cd490a2ccb256cec5"));
        const auto noSecret
            = offThread([&] { return client.createWebhook(QStringLiteral("order:created"), url, QByteArray()); });
        QVERIFY2(noSecret.ok(), why(noSecret).constData());
        const auto deleted
            = offThread([&] { return client.deleteWebhook(QStringLiteral("5cb87a8cd490a2ccb256cec4")); });
        QVERIFY2(deleted.ok(), why(deleted).constData());

        const QList<Recorded> requests = m_fake->requests();
        QCOMPARE(requests.size(), 4);
        QCOMPARE(requests[0].method, QByteArray("GET"));
        QCOMPARE(requests[0].path, QStringLiteral("/v1/shops/5432/webhooks.json"));
        QCOMPARE(requests[1].path, QStringLiteral("/v1/shops/5432/webhooks.json"));
        checkJsonPost(requests[1]);
        QCOMPARE(requests[1].json(),
            (QJsonObject { { QStringLiteral("topic"), QStringLiteral("order:updated") },
                { QStringLiteral("url"), url.toString() },
                { QStringLiteral("secret"), QStringLiteral("whsecret_0123456789") } }));
        QCOMPARE(requests[2].json(),
            (QJsonObject { { QStringLiteral("topic"), QStringLiteral("order:created") },
                { QStringLiteral("url"), url.toString() } }));
        QCOMPARE(requests[3].method, QByteArray("DELETE"));
        QCOMPARE(requests[3].path, QStringLiteral("/v1/shops/5432/webhooks/5cb87a8cd490a2ccb256cec4.json"));
        checkCommonHeaders(requests[3]);
        QVERIFY(requests[3].body.isEmpty());
    }

    void apiBaseForms()
    {
        for (const QString &suffix :
            { QStringLiteral(""), QStringLiteral("/"), QStringLiteral("/v1"), QStringLiteral("/v1/") }) {
            m_fake->clear();
            PrintifyClient::Options o = options();
            o.apiBase = QUrl(m_fake->base().toString() + suffix);
            PrintifyClient client(o);
            const auto shops = offThread([&] { return client.shops(); });
            QVERIFY2(shops.ok(), qPrintable(suffix));
            QCOMPARE(m_fake->requests().value(0).path, QStringLiteral("/v1/shops.json"));
        }
        PrintifyClient::Options o = options();
        o.apiBase = QUrl();
        QCOMPARE(PrintifyClient(o).options().apiBase, QUrl(QStringLiteral("https://api.printify.com")));
        o.version.clear();
        QVERIFY(PrintifyClient(o).userAgent().startsWith("calstudio-companion/"));
    }

    // ------------------------------------------------------------ retries of safe calls

    void getRetriedAfter500()
    {
        m_fake->script({ status(500, QJsonObject { { QStringLiteral("message"), QStringLiteral("Server Error") } }) });
        PrintifyClient client(options());
        const auto order = offThread([&] { return client.order(kOrderId); });
        QVERIFY2(order.ok(), why(order).constData());
        QCOMPARE(m_fake->requests().size(), 2);
        const auto pauses = sleeps();
        QCOMPARE(pauses.size(), 1);
        QVERIFY2(pauses[0] >= 50ms && pauses[0] <= 100ms, qPrintable(QString::number(pauses[0].count())));
    }

    void getRetriedAfter429HonoursRetryAfter()
    {
        m_fake->script({ rateLimited("3") });
        PrintifyClient client(options());
        const auto variants = offThread([&] { return client.variants(1253, 234); });
        QVERIFY2(variants.ok(), why(variants).constData());
        QCOMPARE(m_fake->requests().size(), 2);
        const auto pauses = sleeps();
        QCOMPARE(pauses.size(), 1);
        QVERIFY2(pauses[0] >= 3000ms, qPrintable(QString::number(pauses[0].count()))); // not the 100 ms backoff
    }

    void getGivesUpAfterMaxAttempts()
    {
        Scripted html;
        html.status = 502;
        html.contentType = "text/html";
        html.body = "<html><body><h1>502 Bad Gateway</h1></body></html>";
        m_fake->script({ html, html, html, html });
        PrintifyClient client(options());
        const auto shops = offThread([&] { return client.shops(); });
        QVERIFY(!shops.ok());
        QCOMPARE(shops.error().code, QStringLiteral("printify_server_error"));
        QVERIFY(!PrintifyClient::outcomeUnknown(shops.error())); // a GET changes nothing
        QCOMPARE(m_fake->requests().size(), 3);
        const auto pauses = sleeps(); // initialBackoff × 2^(n−1), jittered into [½, 1]
        QCOMPARE(pauses.size(), 2);
        QVERIFY(pauses[0] >= 50ms && pauses[0] <= 100ms);
        QVERIFY(pauses[1] >= 100ms && pauses[1] <= 200ms);
    }

    void retryAfterLongerThanMaxBackoffStops()
    {
        m_fake->script({ rateLimited("3600"), rateLimited("3600") });
        PrintifyClient client(options());
        const auto shops = offThread([&] { return client.shops(); });
        QVERIFY(!shops.ok());
        QCOMPARE(shops.error().code, QStringLiteral("printify_rate_limited"));
        QCOMPARE(m_fake->requests().size(), 1);
        QVERIFY(sleeps().isEmpty());
    }

    void uploadRetriedAfterDropAndTimeout()
    {
        // Uploads are content-addressed: repeating one is safe, so unknown outcomes are retried.
        m_fake->script({ dropped(), hanging() });
        PrintifyClient::Options o = options();
        o.timeout = 300ms;
        o.maxAttempts = 4;
        PrintifyClient client(o);
        const auto upload = offThread([&] { return client.uploadImage(QStringLiteral("a.png"), QByteArray("abc")); });
        QVERIFY2(upload.ok(), why(upload).constData());
        const QList<Recorded> requests = m_fake->requests();
        QVERIFY(requests.size() >= 3);
        for (const Recorded &r : requests)
            QCOMPARE(r.json().value(QStringLiteral("contents")).toString(), QStringLiteral("YWJj"));
    }

    void realPause()
    {
        m_fake->script({ rateLimited("0.05") });
        PrintifyClient::Options o = options();
        o.sleep = nullptr;
        PrintifyClient client(o);
        const auto shops = offThread([&] { return client.shops(); });
        QVERIFY2(shops.ok(), why(shops).constData());
        QCOMPARE(m_fake->requests().size(), 2);
    }

    // ------------------------------------------------------------ no retry of non-idempotent calls

    void createOrderNotRetriedAfter500()
    {
        m_fake->script({ status(500, QJsonObject { { QStringLiteral("message"), QStringLiteral("Server Error") } }),
            ok(QJsonObject { { QStringLiteral("id"), QStringLiteral("second") } }) });
        PrintifyClient client(options());
        const auto created = offThread([&] { return client.createOrder(sampleOrder()); });
        QVERIFY(!created.ok());
        QCOMPARE(created.error().code, QStringLiteral("printify_server_error"));
        QVERIFY(PrintifyClient::outcomeUnknown(created.error()));
        QVERIFY2(created.error().detail.contains(QStringLiteral("HTTP 500")), qPrintable(created.error().detail));
        QCOMPARE(m_fake->requests().size(), 1);
        QVERIFY(sleeps().isEmpty());
    }

    void createOrderNotRetriedAfterTimeout()
    {
        m_fake->script({ hanging(), ok(QJsonObject { { QStringLiteral("id"), QStringLiteral("second") } }) });
        PrintifyClient::Options o = options();
        o.timeout = 300ms;
        PrintifyClient client(o);
        const auto created = offThread([&] { return client.createOrder(sampleOrder()); });
        QVERIFY(!created.ok());
        QCOMPARE(created.error().code, QStringLiteral("printify_unreachable"));
        QVERIFY(PrintifyClient::outcomeUnknown(created.error()));
        QVERIFY2(created.error().detail.contains(QStringLiteral("no answer within 300 ms")),
            qPrintable(created.error().detail));
        QCOMPARE(m_fake->requests().size(), 1);
        QVERIFY(sleeps().isEmpty());
    }

    // QNetworkAccessManager would silently re-send a request whose connection closed unanswered; not this one.
    void createOrderNotRetriedAfterDroppedConnection()
    {
        m_fake->script({ dropped(), ok(QJsonObject { { QStringLiteral("id"), QStringLiteral("second") } }),
            ok(QJsonObject { { QStringLiteral("id"), QStringLiteral("third") } }) });
        PrintifyClient client(options());
        const auto created = offThread([&] { return client.createOrder(sampleOrder()); });
        QVERIFY2(!created.ok(), created.ok() ? qPrintable(*created) : "");
        QCOMPARE(created.error().code, QStringLiteral("printify_unreachable"));
        QVERIFY(PrintifyClient::outcomeUnknown(created.error()));
        QCOMPARE(m_fake->requests().size(), 1);
        QVERIFY(sleeps().isEmpty());
    }

    void otherNonIdempotentCallsNotRetried()
    {
        PrintifyClient client(options());
        const auto failure = status(503, QJsonObject { { QStringLiteral("message"), QStringLiteral("Unavailable") } });
        const QList<std::function<Error()>> calls {
            [&] {
                return client.createProduct(QJsonObject { { QStringLiteral("title"), QStringLiteral("x") } }).error();
            },
            [&] { return client.sendToProduction(kOrderId).error(); },
            [&] { return client.cancelOrder(kOrderId).error(); },
            [&] {
                return client
                    .createWebhook(
                        QStringLiteral("order:updated"), QUrl(QStringLiteral("https://s.example/h")), "secret-1")
                    .error();
            },
        };
        for (const auto &call : calls) {
            init();
            m_fake->script({ failure, failure });
            const Error error = offThread([&] { return call(); });
            QCOMPARE(error.code, QStringLiteral("printify_server_error"));
            QVERIFY(PrintifyClient::outcomeUnknown(error));
            QCOMPARE(m_fake->requests().size(), 1);
            QVERIFY(sleeps().isEmpty());
        }
        for (const auto &call : calls) {
            init();
            m_fake->script({ dropped(), failure });
            const Error error = offThread([&] { return call(); });
            QCOMPARE(error.code, QStringLiteral("printify_unreachable"));
            QVERIFY(PrintifyClient::outcomeUnknown(error));
            QCOMPARE(m_fake->requests().size(), 1);
        }
    }

    void createOrderRetriedAfter429()
    {
        m_fake->script({ rateLimited("2") });
        PrintifyClient client(options());
        const auto created = offThread([&] { return client.createOrder(sampleOrder()); });
        QVERIFY2(created.ok(), why(created).constData());
        QCOMPARE(*created, kOrderId);
        const QList<Recorded> requests = m_fake->requests();
        QCOMPARE(requests.size(), 2);
        QCOMPARE(requests[1].body, requests[0].body);
        const auto pauses = sleeps();
        QCOMPARE(pauses.size(), 1);
        QVERIFY(pauses[0] >= 2000ms);
    }

    void createOrderRateLimitedToTheEnd()
    {
        m_fake->script({ rateLimited(), rateLimited(), rateLimited(), rateLimited() });
        PrintifyClient client(options());
        const auto created = offThread([&] { return client.createOrder(sampleOrder()); });
        QVERIFY(!created.ok());
        QCOMPARE(created.error().code, QStringLiteral("printify_rate_limited"));
        QVERIFY(!PrintifyClient::outcomeUnknown(created.error())); // Printify refused: nothing was created
        QCOMPARE(m_fake->requests().size(), 3);
    }

    // A connection that never opened carried nothing: retrying cannot duplicate, and nothing happened.
    void createOrderConnectionRefused()
    {
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            closedPort = probe.serverPort();
        }
        PrintifyClient::Options o = options();
        o.apiBase = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closedPort));
        PrintifyClient client(o);
        const auto created = offThread([&] { return client.createOrder(sampleOrder()); });
        QVERIFY(!created.ok());
        QCOMPARE(created.error().code, QStringLiteral("printify_unreachable"));
        QVERIFY(!PrintifyClient::outcomeUnknown(created.error()));
        QCOMPARE(sleeps().size(), 2);
        // A GET against the same closed port is unreachable too, and never "unknown".
        const auto order = offThread([&] { return client.order(kOrderId); });
        QCOMPARE(order.error().code, QStringLiteral("printify_unreachable"));
        QVERIFY(!PrintifyClient::outcomeUnknown(order.error()));
    }

    void createOrderAnsweredWithoutId()
    {
        m_fake->script({ ok(QJsonObject { { QStringLiteral("status"), QStringLiteral("pending") } }) });
        PrintifyClient client(options());
        const auto created = offThread([&] { return client.createOrder(sampleOrder()); });
        QVERIFY(!created.ok());
        QCOMPARE(created.error().code, QStringLiteral("printify_bad_response"));
        QVERIFY(PrintifyClient::outcomeUnknown(created.error())); // 200: the order probably exists
        QCOMPARE(m_fake->requests().size(), 1);
    }

    // ------------------------------------------------------------ error mapping

    void busyIs8502()
    {
        m_fake->script({ busy(), busy() });
        PrintifyClient client(options());
        const auto sent = offThread([&] { return client.sendToProduction(kOrderId); });
        QVERIFY(!sent.ok());
        QCOMPARE(sent.error().code, QStringLiteral("printify_busy"));
        QVERIFY(!PrintifyClient::outcomeUnknown(sent.error()));
        QVERIFY2(sent.error().detail.contains(QStringLiteral("code=8502")), qPrintable(sent.error().detail));
        QVERIFY(sent.error().detail.contains(QStringLiteral("Operation failed.")));
        QCOMPARE(m_fake->requests().size(), 1); // the caller decides when to try again
        QVERIFY(sleeps().isEmpty());
    }

    void validationQuotesTheReason()
    {
        m_fake->script({ validation(8150, QStringLiteral("print_areas: The print areas field is required.")) });
        PrintifyClient client(options());
        const auto created = offThread([&] {
            return client.createProduct(QJsonObject { { QStringLiteral("title"), QStringLiteral("x") } });
        });
        QVERIFY(!created.ok());
        const Error &error = created.error();
        QCOMPARE(error.code, QStringLiteral("printify_validation"));
        QVERIFY2(error.userMessage.contains(QStringLiteral("print_areas: The print areas field is required.")),
            qPrintable(error.userMessage));
        QVERIFY(error.detail.contains(QStringLiteral("HTTP 400")));
        QVERIFY(error.detail.contains(QStringLiteral("code=8150")));
        QVERIFY(error.detail.contains(QStringLiteral("print_areas: The print areas field is required.")));
        QVERIFY(!PrintifyClient::outcomeUnknown(error));
        QCOMPARE(m_fake->requests().size(), 1);
    }

    void errorMapping_data()
    {
        QTest::addColumn<QList<Scripted>>("answers");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("inUserMessage");
        QTest::addColumn<int>("requests");
        QTest::newRow("8251") << QList<Scripted> { validation(
            8251, QStringLiteral("variants: variant 1 is not valid")) }
                              << QStringLiteral("printify_validation") << QStringLiteral("variant 1 is not valid") << 1;
        QTest::newRow("message only") << QList<Scripted> { status(400,
            QJsonObject { { QStringLiteral("code"), 8150 },
                { QStringLiteral("message"), QStringLiteral("Address is invalid.") } }) }
                                      << QStringLiteral("printify_validation") << QStringLiteral("Address is invalid.")
                                      << 1;
        QTest::newRow("422 field list") << QList<Scripted> { status(422,
            QJsonObject { { QStringLiteral("message"), QStringLiteral("The given data was invalid.") },
                { QStringLiteral("errors"),
                    QJsonObject { { QStringLiteral("address_to.country"),
                        QJsonArray { QStringLiteral("The country field is required.") } } } } }) }
                                        << QStringLiteral("printify_validation")
                                        << QStringLiteral("address_to.country: The country field is required.") << 1;
        QTest::newRow("409 no body") << QList<Scripted> { status(409) } << QStringLiteral("printify_validation")
                                     << QStringLiteral("HTTP 409") << 1;
        Scripted unauthorized
            = status(401, QJsonObject { { QStringLiteral("error"), QStringLiteral("Unauthenticated.") } });
        unauthorized.headers.append(qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Bearer")));
        QTest::newRow("401") << QList<Scripted> { unauthorized } << QStringLiteral("printify_auth") << QString() << 1;
        QTest::newRow("403") << QList<Scripted> { status(403) } << QStringLiteral("printify_auth") << QString() << 1;
        QTest::newRow("404") << QList<Scripted> { status(404) } << QStringLiteral("printify_not_found") << QString()
                             << 1;
        QTest::newRow("429 ×3") << QList<Scripted>(3, rateLimited()) << QStringLiteral("printify_rate_limited")
                                << QString() << 3;
        QTest::newRow("500 ×3") << QList<Scripted>(3, status(500)) << QStringLiteral("printify_server_error")
                                << QString() << 3;
        Scripted notJson;
        notJson.body = "<html>hello</html>";
        notJson.contentType = "text/html";
        QTest::newRow("200 not json") << QList<Scripted> { notJson } << QStringLiteral("printify_bad_response")
                                      << QString() << 1;
        QTest::newRow("200 array") << QList<Scripted> { ok(QJsonArray { 1 }) }
                                   << QStringLiteral("printify_bad_response") << QString() << 1;
        Scripted redirect;
        redirect.status = 302;
        redirect.headers = { { "Location", "http://127.0.0.1:1/elsewhere" } };
        QTest::newRow("302 not followed")
            << QList<Scripted> { redirect } << QStringLiteral("printify_bad_response") << QString() << 1;
    }

    // Through a safe call (GET order), so retries follow the safe rules.
    void errorMapping()
    {
        QFETCH(QList<Scripted>, answers);
        QFETCH(QString, code);
        QFETCH(QString, inUserMessage);
        QFETCH(int, requests);
        m_fake->script(answers);
        PrintifyClient client(options());
        const auto order = offThread([&] { return client.order(kOrderId); });
        QVERIFY(!order.ok());
        QCOMPARE(order.error().code, code);
        QVERIFY(!order.error().userMessage.isEmpty());
        QVERIFY2(order.error().userMessage.contains(inUserMessage) || order.error().detail.contains(inUserMessage),
            qPrintable(order.error().toString()));
        QVERIFY(!PrintifyClient::outcomeUnknown(order.error()));
        QVERIFY(!mentionsSecret(order.error()));
        QCOMPARE(m_fake->requests().size(), requests);
    }

    // A 401 with a challenge on a one-shot POST still comes back as Printify's answer (no re-send attempt).
    void authOnPost()
    {
        Scripted unauthorized
            = status(401, QJsonObject { { QStringLiteral("error"), QStringLiteral("Unauthenticated.") } });
        unauthorized.headers.append(qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Bearer")));
        m_fake->script({ unauthorized });
        PrintifyClient client(options());
        const auto created = offThread([&] { return client.createOrder(sampleOrder()); });
        QCOMPARE(created.error().code, QStringLiteral("printify_auth"));
        QVERIFY(!PrintifyClient::outcomeUnknown(created.error()));
        QVERIFY(created.error().detail.contains(QStringLiteral("Unauthenticated.")));
        QCOMPARE(m_fake->requests().size(), 1);
    }

    // The generic request(): PUT carries JSON like POST; an empty 2xx body is a null document.
    void genericRequest()
    {
        m_fake->script({ ok(QJsonObject { { QStringLiteral("id"), QStringLiteral("p1") } }), Scripted {} });
        PrintifyClient client(options());
        const QJsonObject update { { QStringLiteral("title"), QStringLiteral("New title") } };
        const auto put = offThread([&] {
            return client.request(
                "PUT", QStringLiteral("/v1/shops/5432/products/p1.json"), update, PrintifyClient::Retry::OnlyIfNotDone);
        });
        QVERIFY2(put.ok(), why(put).constData());
        QCOMPARE(put->object().value(QStringLiteral("id")).toString(), QStringLiteral("p1"));
        const auto empty = offThread([&] { return client.request("GET", QStringLiteral("/v1/shops.json")); });
        QVERIFY2(empty.ok(), why(empty).constData());
        QVERIFY(empty->isNull());
        const QList<Recorded> requests = m_fake->requests();
        QCOMPARE(requests.size(), 2);
        QCOMPARE(requests[0].path, QStringLiteral("/v1/shops/5432/products/p1.json"));
        checkJsonPost(requests[0], "PUT");
        QCOMPARE(requests[0].json(), update);
    }

    void outcomeUnknownOnlyForItsCodes()
    {
        QVERIFY(!PrintifyClient::outcomeUnknown(Error()));
        QVERIFY(!PrintifyClient::outcomeUnknown(Error(QStringLiteral("printify_unreachable"), QStringLiteral("x"))));
        QVERIFY(!PrintifyClient::outcomeUnknown(
            Error(QStringLiteral("printify_validation"), QStringLiteral("x"), QStringLiteral("[outcome-unknown]"))));
    }

    // ------------------------------------------------------------ order lookup

    void findOrderByExternalId()
    {
        QJsonArray orders;
        for (int i = 0; i < 120; ++i)
            orders.append(orderJson(QStringLiteral("pf_%1").arg(i), QStringLiteral("ord_%1").arg(i), i % 2 == 1));
        m_fake->setOrders(orders);
        PrintifyClient client(options());

        // On page 2, by external_id.
        auto found = offThread([&] { return client.findOrderByExternalId(QStringLiteral("ord_60")); });
        QVERIFY2(found.ok(), why(found).constData());
        QVERIFY(found->has_value());
        QCOMPARE((*found)->value(QStringLiteral("id")).toString(), QStringLiteral("pf_60"));
        QList<Recorded> requests = m_fake->requests();
        QCOMPARE(requests.size(), 2);
        QCOMPARE(requests[0].method, QByteArray("GET"));
        QCOMPARE(requests[0].path, QStringLiteral("/v1/shops/5432/orders.json?page=1&limit=50"));
        QCOMPARE(requests[1].path, QStringLiteral("/v1/shops/5432/orders.json?page=2&limit=50"));
        checkCommonHeaders(requests[0]);

        // On page 3, only in metadata.shop_order_id.
        m_fake->clear();
        m_fake->setOrders(orders);
        found = offThread([&] { return client.findOrderByExternalId(QStringLiteral("ord_101")); });
        QVERIFY2(found.ok(), why(found).constData());
        QVERIFY(found->has_value());
        QCOMPARE((*found)->value(QStringLiteral("id")).toString(), QStringLiteral("pf_101"));
        QCOMPARE(m_fake->requests().size(), 3);

        // Absent: every page read, up to the last one, and no further.
        m_fake->clear();
        m_fake->setOrders(orders);
        found = offThread([&] { return client.findOrderByExternalId(QStringLiteral("ord_999")); });
        QVERIFY2(found.ok(), why(found).constData());
        QVERIFY(!found->has_value());
        QCOMPARE(m_fake->requests().size(), 3);

        // Not a prefix or a substring match.
        m_fake->clear();
        m_fake->setOrders(orders);
        found = offThread([&] { return client.findOrderByExternalId(QStringLiteral("ord_1"), 1); });
        QVERIFY(found.ok());
        QCOMPARE((*found)->value(QStringLiteral("id")).toString(), QStringLiteral("pf_1"));
        found = offThread([&] { return client.findOrderByExternalId(QStringLiteral("ord_"), 1); });
        QVERIFY(found.ok() && !found->has_value());
    }

    void findOrderStopsAtMaxPages()
    {
        QJsonArray orders;
        for (int i = 0; i < 500; ++i)
            orders.append(orderJson(QStringLiteral("pf_%1").arg(i), QStringLiteral("ord_%1").arg(i)));
        m_fake->setOrders(orders);
        PrintifyClient client(options());
        // ord_400 is on page 9: beyond three pages.
        const auto found = offThread([&] { return client.findOrderByExternalId(QStringLiteral("ord_400"), 3); });
        QVERIFY2(found.ok(), why(found).constData());
        QVERIFY(!found->has_value());
        QCOMPARE(m_fake->requests().size(), 3);
        QCOMPARE(m_fake->requests().last().path, QStringLiteral("/v1/shops/5432/orders.json?page=3&limit=50"));
    }

    void findOrderEmptyShopAndErrors()
    {
        PrintifyClient client(options());
        auto found = offThread([&] { return client.findOrderByExternalId(QStringLiteral("ord_1")); });
        QVERIFY2(found.ok(), why(found).constData());
        QVERIFY(!found->has_value());
        QCOMPARE(m_fake->requests().size(), 1);

        // A page that cannot be read is an error, never "not found" (the caller would create a duplicate).
        m_fake->clear();
        m_fake->script({ status(500), status(500), status(500) });
        found = offThread([&] { return client.findOrderByExternalId(QStringLiteral("ord_1")); });
        QVERIFY(!found.ok());
        QCOMPARE(found.error().code, QStringLiteral("printify_server_error"));
        m_fake->clear();
        m_fake->script({ ok(QJsonObject { { QStringLiteral("current_page"), 1 } }) });
        found = offThread([&] { return client.findOrderByExternalId(QStringLiteral("ord_1")); });
        QVERIFY(!found.ok());
        QCOMPARE(found.error().code, QStringLiteral("printify_bad_response"));
    }

    // ------------------------------------------------------------ secrets, configuration, ids, threads

    void tokenNeverInErrors()
    {
        m_fake->script(
            { status(401,
                  QJsonObject { { QStringLiteral("message"), QString(QStringLiteral("Invalid token ") + kToken) } }),
                validation(8150, QStringLiteral("Bearer ") + kToken + QStringLiteral(" is not allowed")),
                status(500, QJsonObject { { QStringLiteral("message"), QString(QStringLiteral("boom ") + kToken) } }),
                validation(8150, QStringLiteral("secret whsecret_0123456789 is too short")) });
        PrintifyClient client(options());
        const auto first = offThread([&] { return client.shops(); });
        QCOMPARE(first.error().code, QStringLiteral("printify_auth"));
        QVERIFY2(!mentionsSecret(first.error()), why(first).constData());
        QVERIFY(first.error().detail.contains(QStringLiteral("Invalid token")));
        const auto second = offThread([&] { return client.createOrder(sampleOrder()); });
        QCOMPARE(second.error().code, QStringLiteral("printify_validation"));
        QVERIFY2(!mentionsSecret(second.error()), why(second).constData());
        QVERIFY(second.error().userMessage.contains(QStringLiteral("is not allowed")));
        const auto third = offThread([&] { return client.cancelOrder(kOrderId); });
        QCOMPARE(third.error().code, QStringLiteral("printify_server_error"));
        QVERIFY2(!mentionsSecret(third.error()), why(third).constData());
        const auto fourth = offThread([&] {
            return client.createWebhook(
                QStringLiteral("order:updated"), QUrl(QStringLiteral("https://s.example/h")), "whsecret_0123456789");
        });
        QCOMPARE(fourth.error().code, QStringLiteral("printify_validation"));
        QVERIFY2(!fourth.error().toString().contains(QStringLiteral("whsecret_0123456789")), why(fourth).constData());

        QCOMPARE(PrintifyClient::redact(QStringLiteral("t=") + kToken, kToken), QStringLiteral("t=***"));
        QVERIFY(!PrintifyClient::redact(QStringLiteral("other eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc"), kToken)
                     .contains(QStringLiteral("eyJzdWIi")));
        QCOMPARE(PrintifyClient::redact(QStringLiteral("Authorization: Bearer abc.def"), QString()),
            QStringLiteral("Authorization: ***"));
    }

    void notConfigured()
    {
        PrintifyClient::Options o = options();
        o.token.clear();
        const auto noToken = offThread([&] { return PrintifyClient(o).shops(); });
        QCOMPARE(noToken.error().code, QStringLiteral("printify_not_configured"));
        o = options();
        o.shopId.clear();
        PrintifyClient noShop(o);
        QCOMPARE(offThread([&] { return noShop.createOrder(sampleOrder()); }).error().code,
            QStringLiteral("printify_not_configured"));
        QCOMPARE(offThread([&] { return noShop.webhooks(); }).error().code, QStringLiteral("printify_not_configured"));
        o.shopId = QStringLiteral("54/../1");
        QCOMPARE(offThread([&] { return PrintifyClient(o).order(kOrderId); }).error().code,
            QStringLiteral("printify_not_configured"));
        QVERIFY(m_fake->requests().isEmpty());
        // Shop-less calls work without a shop id.
        o.shopId.clear();
        QVERIFY(offThread([&] { return PrintifyClient(o).shops(); }).ok());
    }

    void invalidIdsNeverReachTheWire()
    {
        PrintifyClient client(options());
        for (const QString &id : { QString(), QStringLiteral("../orders"), QStringLiteral("a b"),
                 QStringLiteral("5a96?x=1"), QStringLiteral("a/b"), QStringLiteral("%2e%2e") }) {
            QCOMPARE(offThread([&] { return client.order(id); }).error().code, QStringLiteral("printify_not_found"));
            QCOMPARE(offThread([&] { return client.sendToProduction(id); }).error().code,
                QStringLiteral("printify_not_found"));
            QCOMPARE(
                offThread([&] { return client.cancelOrder(id); }).error().code, QStringLiteral("printify_not_found"));
            QCOMPARE(
                offThread([&] { return client.deleteWebhook(id); }).error().code, QStringLiteral("printify_not_found"));
        }
        QVERIFY(m_fake->requests().isEmpty());
    }

    // One instance, several worker threads at once, and the main thread.
    void threads()
    {
        PrintifyClient client(options());
        QThread *main = QThread::currentThread();
        const auto run = [&](const QString &externalId) {
            return QtConcurrent::run([&client, main, externalId] {
                const bool offMain = QThread::currentThread() != main;
                const auto created = client.createOrder(sampleOrder(externalId));
                const auto order = client.order(kOrderId);
                return offMain && created.ok() && order.ok();
            });
        };
        auto a = run(QStringLiteral("ord_a"));
        auto b = run(QStringLiteral("ord_b"));
        QVERIFY(QTest::qWaitFor([&] { return a.isFinished() && b.isFinished(); }, 60000));
        QVERIFY(a.result());
        QVERIFY(b.result());
        const auto onMain = client.shops();
        QVERIFY2(onMain.ok(), why(onMain).constData());
        QCOMPARE(m_fake->requests().size(), 5);
        int posts = 0;
        for (const Recorded &r : m_fake->requests())
            posts += r.method == "POST" ? 1 : 0;
        QCOMPARE(posts, 2);
    }
};

QTEST_GUILESS_MAIN(TestPrintifyClient)
#include "tst_printifyclient.moc"
