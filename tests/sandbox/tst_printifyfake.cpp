// Wire-level tests of the sandbox's Printify fake: an in-process SandboxServer on an OS-chosen port,
// a QNetworkAccessManager as the client and a small QHttpServer as the webhook receiver and as the
// web server whose images the fake fetches for uploads by URL and inline orders.
#include "app/sandbox/faultplan.h"
#include "app/sandbox/printifyfake.h"
#include "app/sandbox/printifywebhooksender.h"
#include "app/sandbox/sandboxserver.h"

#include <QBuffer>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace CalStudio;

namespace {

const QByteArray kToken = "printify-sandbox-token";
const QByteArray kSecret = "pfy_endpoint_secret_42";
const QString kShop = QStringLiteral("/v1/shops/12345");
using Headers = QList<QPair<QByteArray, QByteArray>>;

struct Answer {
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    Headers headers;

    [[nodiscard]] QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    [[nodiscard]] QJsonArray array() const { return QJsonDocument::fromJson(body).array(); }
    [[nodiscard]] QString reason() const
    {
        return json().value(QLatin1String("errors")).toObject().value(QLatin1String("reason")).toString();
    }
    [[nodiscard]] int code() const { return json().value(QLatin1String("code")).toInt(); }
    [[nodiscard]] QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return {};
    }
};

struct Received {
    QByteArray body;
    QByteArray signature; ///< X-Pfy-Signature, empty when absent
    bool hasSignature = false;

    [[nodiscard]] QJsonObject event() const { return QJsonDocument::fromJson(body).object(); }
    [[nodiscard]] QString type() const { return event().value(QLatin1String("type")).toString(); }
    [[nodiscard]] QJsonObject data() const
    {
        return event().value(QLatin1String("resource")).toObject().value(QLatin1String("data")).toObject();
    }
};

QByteArray png(int width, int height, QRgb color)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(color);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

QByteArray jpeg(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(qRgb(10, 120, 200));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG");
    return bytes;
}

// X-Pfy-Signature verification written for the test (EXTERNAL_APIS.md 1.10): optional "sha256=" prefix.
bool verifies(const Received &received, const QByteArray &secret)
{
    QByteArray given = received.signature;
    if (given.startsWith("sha256="))
        given = given.mid(7);
    const QByteArray expected
        = QMessageAuthenticationCode::hash(received.body, secret, QCryptographicHash::Sha256).toHex();
    return !given.isEmpty() && given == expected;
}

QJsonObject address(const QString &country = QStringLiteral("US"))
{
    return QJsonObject { { QStringLiteral("first_name"), QStringLiteral("Ada") },
        { QStringLiteral("last_name"), QStringLiteral("Lovelace") },
        { QStringLiteral("email"), QStringLiteral("ada@example.com") },
        { QStringLiteral("phone"), QStringLiteral("+1 555 0100") }, { QStringLiteral("country"), country },
        { QStringLiteral("region"), QStringLiteral("NY") }, { QStringLiteral("address1"), QStringLiteral("1 Test St") },
        { QStringLiteral("address2"), QString() }, { QStringLiteral("city"), QStringLiteral("New York") },
        { QStringLiteral("zip"), QStringLiteral("10001") } };
}

QJsonObject image(const QString &uploadId)
{
    return QJsonObject { { QStringLiteral("id"), uploadId }, { QStringLiteral("x"), 0.5 }, { QStringLiteral("y"), 0.5 },
        { QStringLiteral("scale"), 1.0 }, { QStringLiteral("angle"), 0 } };
}

/// A 1253 product with the cover and January filled.
QJsonObject productBody(const QString &uploadId)
{
    return QJsonObject { { QStringLiteral("title"), QStringLiteral("My 2027 Calendar") },
        { QStringLiteral("description"), QStringLiteral("Test") }, { QStringLiteral("blueprint_id"), 1253 },
        { QStringLiteral("print_provider_id"), 234 },
        { QStringLiteral("variants"),
            QJsonArray { QJsonObject { { QStringLiteral("id"), 94860 }, { QStringLiteral("price"), 2499 },
                { QStringLiteral("is_enabled"), true } } } },
        { QStringLiteral("print_areas"),
            QJsonArray { QJsonObject { { QStringLiteral("variant_ids"), QJsonArray { 94860 } },
                { QStringLiteral("placeholders"),
                    QJsonArray { QJsonObject { { QStringLiteral("position"), QStringLiteral("front_cover") },
                                     { QStringLiteral("images"), QJsonArray { image(uploadId) } } },
                        QJsonObject { { QStringLiteral("position"), QStringLiteral("january") },
                            { QStringLiteral("images"), QJsonArray { image(uploadId) } } } } } } } },
        { QStringLiteral("visible"), false } };
}

QJsonObject orderBody(const QString &productId, const QString &externalId, int method = 1,
    const QString &country = QStringLiteral("US"), int variantId = 94860)
{
    return QJsonObject { { QStringLiteral("external_id"), externalId },
        { QStringLiteral("label"), QStringLiteral("CAL-%1").arg(externalId) },
        { QStringLiteral("line_items"),
            QJsonArray { QJsonObject { { QStringLiteral("product_id"), productId },
                { QStringLiteral("variant_id"), variantId }, { QStringLiteral("quantity"), 1 } } } },
        { QStringLiteral("shipping_method"), method }, { QStringLiteral("send_shipping_notification"), false },
        { QStringLiteral("address_to"), address(country) } };
}

QJsonObject inlineOrderBody(const QString &externalId, const QJsonObject &printAreas)
{
    return QJsonObject { { QStringLiteral("external_id"), externalId },
        { QStringLiteral("line_items"),
            QJsonArray { QJsonObject { { QStringLiteral("blueprint_id"), 1253 },
                { QStringLiteral("print_provider_id"), 234 }, { QStringLiteral("variant_id"), 94860 },
                { QStringLiteral("quantity"), 1 }, { QStringLiteral("print_areas"), printAreas } } } },
        { QStringLiteral("shipping_method"), 1 }, { QStringLiteral("address_to"), address() } };
}

QStringList names(std::initializer_list<const char *> list)
{
    QStringList result;
    for (const char *name : list)
        result.append(QString::fromLatin1(name));
    return result;
}

QJsonObject withValue(QJsonObject object, const QString &key, const QJsonValue &value)
{
    if (value.isUndefined())
        object.remove(key);
    else
        object.insert(key, value);
    return object;
}

} // namespace

class TestPrintifyFake : public QObject {
    Q_OBJECT

private:
    QString base() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    QString receiverUrl(const QString &path) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_receiverPort).arg(path);
    }

    QNetworkReply *start(const QByteArray &method, const QString &path, const QByteArray &body = {},
        const QByteArray &token = kToken, int timeoutMs = 0)
    {
        QNetworkRequest request(QUrl(base() + path));
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token);
        request.setRawHeader("User-Agent", "calstudio-test/1.0");
        if (method == "POST" || method == "PUT")
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        if (timeoutMs > 0)
            request.setTransferTimeout(timeoutMs);
        return method == "GET" ? m_network.get(request) : m_network.sendCustomRequest(request, method, body);
    }

    static Answer finish(QNetworkReply *reply)
    {
        (void)QTest::qWaitFor([reply] { return reply->isFinished(); }, 30000);
        Answer answer;
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.error = reply->error();
        answer.body = reply->readAll();
        answer.headers = reply->rawHeaderPairs();
        reply->deleteLater();
        return answer;
    }

    Answer call(
        const QByteArray &method, const QString &path, const QByteArray &body = {}, const QByteArray &token = kToken)
    {
        return finish(start(method, path, body, token));
    }
    Answer post(const QString &path, const QJsonObject &body)
    {
        return call("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }
    Answer get(const QString &path) { return call("GET", path); }
    Answer control(const QString &path, const QJsonObject &body = {})
    {
        return call("POST", QStringLiteral("/_sandbox/printify") + path, QJsonDocument(body).toJson(), {});
    }
    Answer controlGet(const QString &path) { return call("GET", QStringLiteral("/_sandbox/printify") + path, {}, {}); }

    QString upload(const QByteArray &bytes, const QString &name = QStringLiteral("art.png"))
    {
        const Answer answer = post(QStringLiteral("/v1/uploads/images.json"),
            QJsonObject { { QStringLiteral("file_name"), name },
                { QStringLiteral("contents"), QString::fromLatin1(bytes.toBase64()) } });
        if (answer.status != 200)
            qWarning("upload failed: %d %s", answer.status, answer.body.constData());
        return answer.json().value(QLatin1String("id")).toString();
    }

    QString makeProduct()
    {
        const QString uploadId = upload(png(64, 48, qRgb(200, 30, 30)));
        const Answer answer = post(kShop + QStringLiteral("/products.json"), productBody(uploadId));
        if (answer.status != 200)
            qWarning("product failed: %d %s", answer.status, answer.body.constData());
        return answer.json().value(QLatin1String("id")).toString();
    }

    QString makeOrder(const QString &productId, const QString &externalId)
    {
        const Answer answer = post(kShop + QStringLiteral("/orders.json"), orderBody(productId, externalId));
        if (answer.status != 200)
            qWarning("order failed: %d %s", answer.status, answer.body.constData());
        return answer.json().value(QLatin1String("id")).toString();
    }

    QString status(const QString &orderId)
    {
        const PrintifyFake::Order *o = m_server->printify().order(orderId);
        return o ? o->status : QString();
    }

    bool waitForStatus(const QString &orderId, const QString &wanted)
    {
        return QTest::qWaitFor([&] { return status(orderId) == wanted; }, 15000);
    }

    /// An order of a fresh product, moved to on-hold through the control API.
    QString onHoldOrder(const QString &externalId)
    {
        const QString id = makeOrder(makeProduct(), externalId);
        (void)control(QStringLiteral("/orders/%1/status").arg(id),
            QJsonObject { { QStringLiteral("status"), QStringLiteral("on-hold") } });
        return id;
    }

    QString inProductionOrder(const QString &externalId)
    {
        const QString id = onHoldOrder(externalId);
        (void)call("POST", kShop + QStringLiteral("/orders/%1/send_to_production.json").arg(id));
        if (!waitForStatus(id, QStringLiteral("in-production")))
            qWarning("order %s did not reach in-production", qPrintable(id));
        return id;
    }

    void registerWebhooks(const QStringList &topics, const QByteArray &secret = kSecret)
    {
        for (const QString &topic : topics) {
            QJsonObject body { { QStringLiteral("topic"), topic },
                { QStringLiteral("url"), receiverUrl(QStringLiteral("/hook")) } };
            if (!secret.isEmpty())
                body.insert(QStringLiteral("secret"), QString::fromUtf8(secret));
            const Answer answer = post(kShop + QStringLiteral("/webhooks.json"), body);
            if (answer.status != 200)
                qWarning("webhook failed: %d %s", answer.status, answer.body.constData());
        }
    }

    bool waitForWebhooks(int count)
    {
        return QTest::qWaitFor([&] { return m_received.size() >= count; }, 15000);
    }

    QStringList receivedTypes() const
    {
        QStringList types;
        for (const Received &r : m_received)
            types.append(r.type());
        return types;
    }

    /// Sends raw bytes on a fresh connection; returns what came back once the server closed it (or after a wait).
    QByteArray raw(const QByteArray &request, bool *closed)
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        if (!socket.waitForConnected(5000))
            return {};
        socket.write(request);
        QByteArray answer;
        *closed = QTest::qWaitFor(
            [&] {
                answer += socket.readAll();
                return socket.state() == QAbstractSocket::UnconnectedState
                    || (answer.contains("\r\n\r\n") && answer.endsWith('}'));
            },
            10000);
        answer += socket.readAll();
        *closed = socket.state() == QAbstractSocket::UnconnectedState;
        return answer;
    }

    static QByteArray rawPost(const QString &path, const QByteArray &body, bool userAgent = true)
    {
        return "POST " + path.toLatin1() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kToken + "\r\n"
            + (userAgent ? QByteArray("User-Agent: raw-test/1.0\r\n") : QByteArray())
            + "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n"
            + body;
    }

    std::unique_ptr<SandboxServer> m_server;
    QHttpServer m_receiver;
    QNetworkAccessManager m_network;
    quint16 m_port = 0;
    quint16 m_receiverPort = 0;
    QList<Received> m_received;
    QList<int> m_receiverStatuses; ///< answers for the next deliveries; 200 when empty
    QHash<QString, QByteArray> m_files; ///< served by the receiver under /files/<name>
    std::shared_ptr<QHttpServerResponder> m_heldFetch; ///< a /slow/ fetch waiting for the test to answer it

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<SandboxServer>();
        m_port = m_server->listen();
        QVERIFY(m_port != 0);
        m_receiver.route(
            QStringLiteral("/hook"), QHttpServerRequest::Method::Post, [this](const QHttpServerRequest &request) {
                bool has = false;
                for (const auto &h : request.headers()) {
                    if (h.first.compare("X-Pfy-Signature", Qt::CaseInsensitive) == 0)
                        has = true;
                }
                m_received.append({ request.body(), request.value("X-Pfy-Signature"), has });
                const int status = m_receiverStatuses.isEmpty() ? 200 : m_receiverStatuses.takeFirst();
                return QHttpServerResponse(QHttpServerResponse::StatusCode(status));
            });
        m_receiver.route(QStringLiteral("/files/<arg>"), QHttpServerRequest::Method::Get, [this](const QString &name) {
            if (!m_files.contains(name))
                return QHttpServerResponse(QHttpServerResponse::StatusCode::NotFound);
            return QHttpServerResponse(
                name.endsWith(QLatin1String(".txt")) ? QByteArray("text/plain") : QByteArray("image/png"),
                m_files.value(name));
        });
        m_receiver.route(QStringLiteral("/slow/<arg>"), QHttpServerRequest::Method::Get,
            [this](const QString &, const QHttpServerRequest &, QHttpServerResponder &&responder) {
                m_heldFetch = std::make_shared<QHttpServerResponder>(std::move(responder));
            });
        m_receiverPort = m_receiver.listen(QHostAddress::LocalHost, 0);
        QVERIFY(m_receiverPort != 0);
        m_server->printifyWebhooks().setRetryDelays({ std::chrono::milliseconds(20), std::chrono::milliseconds(20) });
    }

    void init()
    {
        m_server->printify().reset();
        m_server->faults().clear();
        PrintifyFake::Settings settings;
        settings.pendingMs = 100;
        settings.productionMs = 50;
        m_server->printify().setSettings(settings, true);
        m_received.clear();
        m_receiverStatuses.clear();
        m_files.clear();
        m_heldFetch.reset();
    }

    // --- Signatures (no sockets) ---

    void signatureMatchesTheReferenceVector()
    {
        const QByteArray body
            = R"({"id":"653b6be8-2ff7-4ab5-a7a6-6889a8b3bbf5","type":"order:shipment:created",)"
              R"("created_at":"2026-01-05 10:00:00+00:00","resource":{"id":"5a96f649b2439217d070f507",)"
              R"("type":"order","data":{"shop_id":12345,"shipped_at":"2026-01-05 09:59:00+00:00",)"
              R"("carrier":{"code":"usps","tracking_number":"9400110200828911663274",)"
              R"("tracking_url":"https://example.com/track/9400110200828911663274"},)"
              R"("skus":["12345678"]}}})";
        QCOMPARE(body.size(), 399);
        const QByteArray expected = "sha256=a3d9ae61468355dfe0ca73c3f60856f601b8c517adbd8db291c8754f80d6e26b";
        QCOMPARE(PrintifyWebhookSender::signatureHeader("pfy_test_secret", body), expected);
        // The test's own verifier agrees, and rejects a wrong secret and a changed body.
        QVERIFY(verifies({ body, expected, true }, "pfy_test_secret"));
        QVERIFY(!verifies({ body, expected, true }, "pfy_test_secreT"));
        QVERIFY(!verifies({ body + ' ', expected, true }, "pfy_test_secret"));
    }

    // --- Auth, shops ---

    void authAndShops()
    {
        Answer answer = call("GET", QStringLiteral("/v1/shops.json"), {}, QByteArray());
        QCOMPARE(answer.status, 401);
        QCOMPARE(answer.json().value(QLatin1String("code")).toInt(), 401);
        QVERIFY(!answer.json().value(QLatin1String("message")).toString().isEmpty());
        QCOMPARE(call("GET", QStringLiteral("/v1/shops.json"), {}, "wrong-token").status, 401);
        // Auth comes first: an unauthenticated request to an unknown path is still a 401.
        QCOMPARE(call("GET", QStringLiteral("/v1/shops/999/orders.json"), {}, "wrong-token").status, 401);

        answer = get(QStringLiteral("/v1/shops.json"));
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.array().size(), 1);
        const QJsonObject shop = answer.array().at(0).toObject();
        QCOMPARE(shop.value(QLatin1String("id")).toInt(), 12345);
        QCOMPARE(shop.value(QLatin1String("title")).toString(), QStringLiteral("Sandbox shop"));
        QCOMPARE(shop.value(QLatin1String("sales_channel")).toString(), QStringLiteral("disconnected"));
        QCOMPARE(answer.header("X-RateLimit-Limit"), QByteArray("600"));

        QCOMPARE(get(QStringLiteral("/v1/shops/999/orders.json")).status, 404);
        QCOMPARE(get(QStringLiteral("/v1/shops/12345/nothing.json")).status, 404);
        QCOMPARE(call("DELETE", kShop + QStringLiteral("/orders.json")).status, 405);

        // A request without a User-Agent is refused (QNetworkAccessManager always sends one: raw socket).
        bool closed = false;
        const QByteArray refused = raw(rawPost(kShop + QStringLiteral("/orders.json"), "{}", false), &closed);
        QVERIFY2(refused.startsWith("HTTP/1.1 400"), refused.constData());
        QVERIFY(refused.contains("User-Agent"));
        QVERIFY(m_server->printify().orders().isEmpty());

        m_server->faults().push(Fault { QStringLiteral("printify"), QStringLiteral("invalid-key"), 1, {}, {} });
        QCOMPARE(get(QStringLiteral("/v1/shops.json")).status, 401);
        QCOMPARE(get(QStringLiteral("/v1/shops.json")).status, 200);
    }

    // --- Catalog ---

    void catalogCalendar1253()
    {
        Answer answer = get(QStringLiteral("/v1/catalog/blueprints.json"));
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.header("X-RateLimit-Limit"), QByteArray("100"));
        QStringList titles;
        for (const QJsonValue &v : answer.array())
            titles.append(v.toObject().value(QLatin1String("title")).toString());
        QVERIFY(titles.contains(QStringLiteral("Calendar (2027)")));
        QVERIFY(titles.contains(QStringLiteral("Standard Wall Calendar (2027)")));

        answer = get(QStringLiteral("/v1/catalog/blueprints/1253.json"));
        QCOMPARE(answer.json().value(QLatin1String("id")).toInt(), 1253);
        QVERIFY(answer.json().contains(QLatin1String("images")));
        QCOMPARE(get(QStringLiteral("/v1/catalog/blueprints/1.json")).status, 404);

        answer = get(QStringLiteral("/v1/catalog/blueprints/1253/print_providers.json"));
        QCOMPARE(answer.array().size(), 1);
        QCOMPARE(answer.array().at(0).toObject().value(QLatin1String("id")).toInt(), 234);
        QCOMPARE(answer.array().at(0).toObject().value(QLatin1String("title")).toString(),
            QStringLiteral("Today's Graphics"));

        answer = get(QStringLiteral("/v1/catalog/blueprints/1253/print_providers/234/variants.json"));
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.json().value(QLatin1String("id")).toInt(), 234);
        const QJsonArray variants = answer.json().value(QLatin1String("variants")).toArray();
        QCOMPARE(variants.size(), 1);
        const QJsonObject variant = variants.at(0).toObject();
        QCOMPARE(variant.value(QLatin1String("id")).toInt(), 94860);
        QVERIFY(variant.value(QLatin1String("options")).isObject());
        QStringList positions;
        for (const QJsonValue &p : variant.value(QLatin1String("placeholders")).toArray()) {
            positions.append(p.toObject().value(QLatin1String("position")).toString());
            QCOMPARE(p.toObject().value(QLatin1String("width")).toInt(), 3454);
            QCOMPARE(p.toObject().value(QLatin1String("height")).toInt(), 2725);
        }
        QCOMPARE(positions,
            names({ "front_cover", "january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december" }));

        answer = get(QStringLiteral("/v1/catalog/blueprints/1253/print_providers/234/shipping.json"));
        QCOMPARE(answer.json().value(QLatin1String("handling_time")).toObject().value(QLatin1String("unit")).toString(),
            QStringLiteral("day"));
        const QJsonArray profiles = answer.json().value(QLatin1String("profiles")).toArray();
        QVERIFY(profiles.size() >= 2);
        const QJsonObject us = profiles.at(0).toObject();
        QCOMPARE(us.value(QLatin1String("countries")).toArray().at(0).toString(), QStringLiteral("US"));
        QCOMPARE(us.value(QLatin1String("variant_ids")).toArray(), QJsonArray { 94860 });
        QCOMPARE(us.value(QLatin1String("first_item")).toObject().value(QLatin1String("currency")).toString(),
            QStringLiteral("USD"));
        QVERIFY(us.value(QLatin1String("first_item")).toObject().value(QLatin1String("cost")).toInt() > 0);
        QCOMPARE(profiles.last().toObject().value(QLatin1String("countries")).toArray().at(0).toString(),
            QStringLiteral("REST_OF_THE_WORLD"));

        answer = get(QStringLiteral("/v2/catalog/blueprints/1253/print_providers/234/shipping.json"));
        QCOMPARE(
            answer.array().at(0).toObject().value(QLatin1String("attributes")).toObject().value(QLatin1String("name")),
            QJsonValue(QStringLiteral("standard")));
        QCOMPARE(get(QStringLiteral("/v1/catalog/blueprints/1253/print_providers/99/variants.json")).status, 404);
    }

    void catalogCalendar965HasOtherPositions()
    {
        const Answer answer = get(QStringLiteral("/v1/catalog/blueprints/965/print_providers/99/variants.json"));
        QCOMPARE(answer.status, 200);
        const QJsonArray variants = answer.json().value(QLatin1String("variants")).toArray();
        QCOMPARE(variants.size(), 2);
        const QJsonObject letter = variants.at(0).toObject();
        QCOMPARE(letter.value(QLatin1String("id")).toInt(), 103102);
        QStringList positions;
        for (const QJsonValue &p : letter.value(QLatin1String("placeholders")).toArray()) {
            positions.append(p.toObject().value(QLatin1String("position")).toString());
            QCOMPARE(p.toObject().value(QLatin1String("width")).toInt(), 3375);
            QCOMPARE(p.toObject().value(QLatin1String("height")).toInt(), 2625);
        }
        QCOMPARE(positions,
            names({ "cover", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" }));
        QCOMPARE(variants.at(1).toObject().value(QLatin1String("id")).toInt(), 103103);
    }

    void retiredVariantDisappears()
    {
        const QString path = QStringLiteral("/v1/catalog/blueprints/965/print_providers/99/variants.json");
        QCOMPARE(control(QStringLiteral("/variants/103103/retire")).status, 200);
        QCOMPARE(controlGet(QStringLiteral("/variants")).json().value(QLatin1String("retired")).toArray(),
            QJsonArray { 103103 });
        const QJsonArray variants = get(path).json().value(QLatin1String("variants")).toArray();
        QCOMPARE(variants.size(), 1);
        QCOMPARE(variants.at(0).toObject().value(QLatin1String("id")).toInt(), 103102);

        // A product or an inline order naming the retired variant gets 8251.
        const QString uploadId = upload(png(40, 30, qRgb(1, 2, 3)));
        QJsonObject product = productBody(uploadId);
        product.insert(QStringLiteral("blueprint_id"), 965);
        product.insert(QStringLiteral("print_provider_id"), 99);
        product.insert(QStringLiteral("variants"),
            QJsonArray { QJsonObject { { QStringLiteral("id"), 103103 }, { QStringLiteral("price"), 2999 } } });
        const Answer refused = post(kShop + QStringLiteral("/products.json"), product);
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.code(), 8251);

        QCOMPARE(control(QStringLiteral("/variants/103103/restore")).status, 200);
        QCOMPARE(get(path).json().value(QLatin1String("variants")).toArray().size(), 2);
        QCOMPARE(control(QStringLiteral("/variants/1/retire")).status, 404);
        // reset() restores retired variants too.
        QCOMPARE(control(QStringLiteral("/variants/103102/retire")).status, 200);
        QCOMPARE(control(QStringLiteral("/reset")).status, 200);
        QCOMPARE(get(path).json().value(QLatin1String("variants")).toArray().size(), 2);
    }

    // --- Uploads ---

    void uploadByContentsIsContentAddressed()
    {
        const QByteArray red = png(40, 30, qRgb(255, 0, 0));
        Answer answer = post(QStringLiteral("/v1/uploads/images.json"),
            QJsonObject { { QStringLiteral("file_name"), QStringLiteral("jan.png") },
                { QStringLiteral("contents"), QString::fromLatin1(red.toBase64()) } });
        QCOMPARE(answer.status, 200);
        const QJsonObject first = answer.json();
        const QString id = first.value(QLatin1String("id")).toString();
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{24}$")).match(id).hasMatch());
        QCOMPARE(first.value(QLatin1String("file_name")).toString(), QStringLiteral("jan.png"));
        QCOMPARE(first.value(QLatin1String("width")).toInt(), 40);
        QCOMPARE(first.value(QLatin1String("height")).toInt(), 30);
        QCOMPARE(first.value(QLatin1String("size")).toInteger(), red.size());
        QCOMPARE(first.value(QLatin1String("mime_type")).toString(), QStringLiteral("image/png"));
        QVERIFY(first.value(QLatin1String("preview_url")).toString().startsWith(QLatin1String("https://")));
        QVERIFY(QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$"))
                    .match(first.value(QLatin1String("upload_time")).toString())
                    .hasMatch());

        // The same bytes under another name: the same id (and object).
        QCOMPARE(upload(red, QStringLiteral("other-name.png")), id);
        // Other bytes: another id.
        QVERIFY(upload(png(40, 30, qRgb(0, 255, 0))) != id);
        // JPEG too, with its real size.
        answer = post(QStringLiteral("/v1/uploads/images.json"),
            QJsonObject { { QStringLiteral("file_name"), QStringLiteral("j.jpg") },
                { QStringLiteral("contents"), QString::fromLatin1(jpeg(33, 21).toBase64()) } });
        QCOMPARE(answer.json().value(QLatin1String("mime_type")).toString(), QStringLiteral("image/jpeg"));
        QCOMPARE(answer.json().value(QLatin1String("width")).toInt(), 33);

        answer = get(QStringLiteral("/v1/uploads/%1.json").arg(id));
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.json().value(QLatin1String("file_name")).toString(), QStringLiteral("jan.png"));
        QCOMPARE(get(QStringLiteral("/v1/uploads/ffffffffffffffffffffffff.json")).status, 404);
        answer = get(QStringLiteral("/v1/uploads.json?limit=2"));
        QCOMPARE(answer.json().value(QLatin1String("total")).toInt(), 3);
        QCOMPARE(answer.json().value(QLatin1String("data")).toArray().size(), 2);
        QCOMPARE(answer.json().value(QLatin1String("last_page")).toInt(), 2);

        // Refusals in Printify's shape.
        answer = post(QStringLiteral("/v1/uploads/images.json"),
            QJsonObject { { QStringLiteral("file_name"), QStringLiteral("x.png") },
                { QStringLiteral("contents"), QStringLiteral("%%%not base64") } });
        QCOMPARE(answer.status, 400);
        QCOMPARE(answer.code(), 8150);
        QVERIFY(answer.reason().startsWith(QLatin1String("contents:")));
        answer = post(QStringLiteral("/v1/uploads/images.json"),
            QJsonObject { { QStringLiteral("file_name"), QStringLiteral("x.png") },
                { QStringLiteral("contents"), QString::fromLatin1(QByteArray("plain text").toBase64()) } });
        QCOMPARE(answer.code(), 8150);
        answer = post(QStringLiteral("/v1/uploads/images.json"),
            QJsonObject { { QStringLiteral("contents"), QString::fromLatin1(red.toBase64()) } });
        QVERIFY(answer.reason().startsWith(QLatin1String("file_name:")));
    }

    void uploadByUrlIsFetchedWithoutBlocking()
    {
        const QByteArray blue = png(50, 20, qRgb(0, 0, 255));
        m_files.insert(QStringLiteral("blue.png"), blue);
        m_files.insert(QStringLiteral("note.txt"), "not an image");
        const QString contentsId = upload(blue, QStringLiteral("blue-contents.png"));

        Answer answer = post(QStringLiteral("/v1/uploads/images.json"),
            QJsonObject { { QStringLiteral("file_name"), QStringLiteral("blue.png") },
                { QStringLiteral("url"), receiverUrl(QStringLiteral("/files/blue.png")) } });
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.json().value(QLatin1String("width")).toInt(), 50);
        QCOMPARE(answer.json().value(QLatin1String("height")).toInt(), 20);
        QCOMPARE(answer.json().value(QLatin1String("id")).toString(), contentsId); // same bytes, same id
        QVERIFY(answer.header("X-RateLimit-Limit") == "600");

        answer = post(QStringLiteral("/v1/uploads/images.json"),
            QJsonObject { { QStringLiteral("file_name"), QStringLiteral("gone.png") },
                { QStringLiteral("url"), receiverUrl(QStringLiteral("/files/gone.png")) } });
        QCOMPARE(answer.status, 400);
        QCOMPARE(answer.code(), 8150);
        QVERIFY(answer.reason().startsWith(QLatin1String("url:")));
        answer = post(QStringLiteral("/v1/uploads/images.json"),
            QJsonObject { { QStringLiteral("file_name"), QStringLiteral("note.png") },
                { QStringLiteral("url"), receiverUrl(QStringLiteral("/files/note.txt")) } });
        QCOMPARE(answer.code(), 8150);
        QVERIFY(answer.reason().startsWith(QLatin1String("url:")));
        answer = post(QStringLiteral("/v1/uploads/images.json"),
            QJsonObject { { QStringLiteral("file_name"), QStringLiteral("x.png") },
                { QStringLiteral("url"), QStringLiteral("ftp://example.com/x.png") } });
        QCOMPARE(answer.code(), 8150);

        // While a fetch waits for its server, the sandbox keeps answering other requests.
        QNetworkReply *pending = start("POST", QStringLiteral("/v1/uploads/images.json"),
            QJsonDocument(QJsonObject { { QStringLiteral("file_name"), QStringLiteral("slow.png") },
                              { QStringLiteral("url"), receiverUrl(QStringLiteral("/slow/slow.png")) } })
                .toJson());
        QVERIFY(QTest::qWaitFor([this] { return m_heldFetch != nullptr; }, 10000));
        QCOMPARE(get(QStringLiteral("/v1/shops.json")).status, 200);
        QVERIFY(!pending->isFinished());
        m_heldFetch->write(png(7, 9, qRgb(9, 9, 9)), "image/png");
        m_heldFetch.reset();
        answer = finish(pending);
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.json().value(QLatin1String("width")).toInt(), 7);
        const QJsonArray listed
            = controlGet(QStringLiteral("/uploads")).json().value(QLatin1String("uploads")).toArray();
        QCOMPARE(listed.size(), 2);
        QCOMPARE(listed.at(1).toObject().value(QLatin1String("source")).toString(), QStringLiteral("url"));
    }

    // --- Products ---

    void productValidation_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value"); // undefined = removed
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("reasonStart");
        QTest::newRow("no print_areas") << QStringLiteral("print_areas") << QJsonValue(QJsonValue::Undefined) << 8150
                                        << QStringLiteral("print_areas: The print areas field is required.");
        QTest::newRow("unknown variant") << QStringLiteral("variants")
                                         << QJsonValue(QJsonArray { QJsonObject {
                                                { QStringLiteral("id"), 12 }, { QStringLiteral("price"), 100 } } })
                                         << 8251 << QStringLiteral("variants.0.id:");
        QTest::newRow("no price") << QStringLiteral("variants")
                                  << QJsonValue(QJsonArray { QJsonObject { { QStringLiteral("id"), 94860 } } }) << 8150
                                  << QStringLiteral("variants.0.price:");
        QTest::newRow("unknown blueprint")
            << QStringLiteral("blueprint_id") << QJsonValue(77) << 8150 << QStringLiteral("blueprint_id:");
        QTest::newRow("provider of another blueprint")
            << QStringLiteral("print_provider_id") << QJsonValue(99) << 8150 << QStringLiteral("print_provider_id:");
        QTest::newRow("no title") << QStringLiteral("title") << QJsonValue(QJsonValue::Undefined) << 8150
                                  << QStringLiteral("title:");
        QTest::newRow("position of the other blueprint")
            << QStringLiteral("print_areas")
            << QJsonValue(QJsonArray { QJsonObject { { QStringLiteral("variant_ids"), QJsonArray { 94860 } },
                   { QStringLiteral("placeholders"),
                       QJsonArray { QJsonObject { { QStringLiteral("position"), QStringLiteral("jan") },
                           { QStringLiteral("images"), QJsonArray() } } } } } })
            << 8150 << QStringLiteral("print_areas.0.placeholders.0.position:");
        QTest::newRow("unknown image")
            << QStringLiteral("print_areas")
            << QJsonValue(QJsonArray { QJsonObject { { QStringLiteral("variant_ids"), QJsonArray { 94860 } },
                   { QStringLiteral("placeholders"),
                       QJsonArray { QJsonObject { { QStringLiteral("position"), QStringLiteral("january") },
                           { QStringLiteral("images"),
                               QJsonArray { image(QStringLiteral("0123456789abcdef01234567")) } } } } } } })
            << 8150 << QStringLiteral("print_areas.0.placeholders.0.images.0.id:");
        QTest::newRow("area variant of another blueprint")
            << QStringLiteral("print_areas")
            << QJsonValue(QJsonArray { QJsonObject { { QStringLiteral("variant_ids"), QJsonArray { 103102 } },
                   { QStringLiteral("placeholders"), QJsonArray() } } })
            << 8251 << QStringLiteral("print_areas.0.variant_ids:");
    }

    void productValidation()
    {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QFETCH(int, code);
        QFETCH(QString, reasonStart);
        const QString uploadId = upload(png(40, 30, qRgb(3, 3, 3)));
        const Answer answer
            = post(kShop + QStringLiteral("/products.json"), withValue(productBody(uploadId), key, value));
        QCOMPARE(answer.status, 400);
        const QJsonObject json = answer.json();
        QCOMPARE(json.value(QLatin1String("status")).toString(), QStringLiteral("error"));
        QCOMPARE(json.value(QLatin1String("code")).toInt(), code);
        QCOMPARE(json.value(QLatin1String("message")).toString(), QStringLiteral("Validation failed."));
        QCOMPARE(json.value(QLatin1String("errors")).toObject().value(QLatin1String("code")).toInt(), code);
        QVERIFY2(answer.reason().startsWith(reasonStart), qPrintable(answer.reason()));
        QCOMPARE(get(kShop + QStringLiteral("/products.json")).json().value(QLatin1String("total")).toInt(), 0);
    }

    void productIsRewrittenLikePrintify()
    {
        const QString uploadId = upload(png(60, 40, qRgb(5, 5, 5)), QStringLiteral("cover.png"));
        QJsonObject body = productBody(uploadId);
        body.insert(QStringLiteral("blueprint_id"), 965);
        body.insert(QStringLiteral("print_provider_id"), 99);
        body.insert(QStringLiteral("variants"),
            QJsonArray { QJsonObject { { QStringLiteral("id"), 103102 }, { QStringLiteral("price"), 2999 } } });
        body.insert(QStringLiteral("print_areas"),
            QJsonArray { QJsonObject { { QStringLiteral("variant_ids"), QJsonArray { 103102 } },
                { QStringLiteral("placeholders"),
                    QJsonArray { QJsonObject { { QStringLiteral("position"), QStringLiteral("cover") },
                        { QStringLiteral("images"), QJsonArray { image(uploadId) } } } } } } });
        Answer answer = post(kShop + QStringLiteral("/products.json"), body);
        QCOMPARE(answer.status, 200);
        const QJsonObject product = answer.json();
        const QString id = product.value(QLatin1String("id")).toString();
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{24}$")).match(id).hasMatch());
        QCOMPARE(product.value(QLatin1String("blueprint_id")).toInt(), 965);
        QCOMPARE(product.value(QLatin1String("shop_id")).toInt(), 12345);
        QVERIFY(product.value(QLatin1String("tags")).toArray().contains(QStringLiteral("Calendars")));
        QVERIFY(product.contains(QLatin1String("created_at")));

        // Every variant, the unrequested one disabled.
        const QJsonArray variants = product.value(QLatin1String("variants")).toArray();
        QCOMPARE(variants.size(), 2);
        QCOMPARE(variants.at(0).toObject().value(QLatin1String("is_enabled")).toBool(), true);
        QCOMPARE(variants.at(0).toObject().value(QLatin1String("price")).toInt(), 2999);
        QCOMPARE(variants.at(1).toObject().value(QLatin1String("id")).toInt(), 103103);
        QCOMPARE(variants.at(1).toObject().value(QLatin1String("is_enabled")).toBool(), false);
        for (const char *field : { "sku", "cost", "title", "grams", "is_default", "is_available", "options" })
            QVERIFY2(variants.at(0).toObject().contains(QLatin1String(field)), field);

        // print_areas cover every variant; every position is there; images gained fields.
        const QJsonArray areas = product.value(QLatin1String("print_areas")).toArray();
        QCOMPARE(areas.size(), 1);
        QCOMPARE(areas.at(0).toObject().value(QLatin1String("variant_ids")).toArray(), (QJsonArray { 103102, 103103 }));
        const QJsonArray placeholders = areas.at(0).toObject().value(QLatin1String("placeholders")).toArray();
        QCOMPARE(placeholders.size(), 13);
        const QJsonObject cover = placeholders.at(0).toObject();
        QCOMPARE(cover.value(QLatin1String("position")).toString(), QStringLiteral("cover"));
        const QJsonObject placed = cover.value(QLatin1String("images")).toArray().at(0).toObject();
        QCOMPARE(placed.value(QLatin1String("id")).toString(), uploadId);
        QCOMPARE(placed.value(QLatin1String("name")).toString(), QStringLiteral("cover.png"));
        QCOMPARE(placed.value(QLatin1String("type")).toString(), QStringLiteral("image/png"));
        QCOMPARE(placed.value(QLatin1String("width")).toInt(), 60);
        QVERIFY(placed.contains(QLatin1String("src")));
        QCOMPARE(placeholders.at(1).toObject().value(QLatin1String("images")).toArray().size(), 0);

        answer = get(kShop + QStringLiteral("/products/%1.json").arg(id));
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.json().value(QLatin1String("variants")), product.value(QLatin1String("variants")));

        // PUT: variants merge by id; print_areas must cover every variant; blueprint_id is ignored.
        answer = call("PUT", kShop + QStringLiteral("/products/%1.json").arg(id),
            QJsonDocument(QJsonObject { { QStringLiteral("blueprint_id"), 1253 },
                              { QStringLiteral("variants"),
                                  QJsonArray { QJsonObject { { QStringLiteral("id"), 103103 },
                                      { QStringLiteral("price"), 3333 }, { QStringLiteral("is_enabled"), true } } } } })
                .toJson());
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.json().value(QLatin1String("blueprint_id")).toInt(), 965);
        QCOMPARE(answer.json()
                     .value(QLatin1String("variants"))
                     .toArray()
                     .at(1)
                     .toObject()
                     .value(QLatin1String("price"))
                     .toInt(),
            3333);
        answer = call("PUT", kShop + QStringLiteral("/products/%1.json").arg(id),
            QJsonDocument(QJsonObject { { QStringLiteral("print_areas"),
                              QJsonArray { QJsonObject { { QStringLiteral("variant_ids"), QJsonArray { 103102 } },
                                  { QStringLiteral("placeholders"), QJsonArray() } } } } })
                .toJson());
        QCOMPARE(answer.status, 400);
        QCOMPARE(answer.code(), 8251);

        QCOMPARE(get(kShop + QStringLiteral("/products.json")).json().value(QLatin1String("total")).toInt(), 1);
        answer = call("DELETE", kShop + QStringLiteral("/products/%1.json").arg(id));
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.body, QByteArray("{}"));
        QCOMPARE(get(kShop + QStringLiteral("/products/%1.json").arg(id)).status, 404);
    }

    // --- Orders ---

    void orderLifecycle()
    {
        PrintifyFake::Settings settings = m_server->printify().settings();
        settings.pendingMs = -1; // only GETs move it on
        settings.pendingGets = 2;
        m_server->printify().setSettings(settings);
        const QString productId = makeProduct();
        Answer answer = post(kShop + QStringLiteral("/orders.json"), orderBody(productId, QStringLiteral("ord_1")));
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.json().keys(), QStringList { QStringLiteral("id") });
        const QString id = answer.json().value(QLatin1String("id")).toString();
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{24}$")).match(id).hasMatch());
        QCOMPARE(status(id), QStringLiteral("pending"));

        // While pending: 8502, the short shape.
        answer = call("POST", kShop + QStringLiteral("/orders/%1/send_to_production.json").arg(id));
        QCOMPARE(answer.status, 400);
        QCOMPARE(answer.json(),
            (QJsonObject { { QStringLiteral("code"), 8502 },
                { QStringLiteral("message"), QStringLiteral("Operation failed.") } }));

        answer = get(kShop + QStringLiteral("/orders/%1.json").arg(id));
        QCOMPARE(answer.json().value(QLatin1String("status")).toString(), QStringLiteral("pending"));
        answer = get(kShop + QStringLiteral("/orders/%1.json").arg(id));
        const QJsonObject order = answer.json();
        QCOMPARE(order.value(QLatin1String("status")).toString(), QStringLiteral("on-hold"));

        // The shape of 1.9.
        QCOMPARE(order.value(QLatin1String("id")).toString(), id);
        QCOMPARE(order.value(QLatin1String("external_id")).toString(), QStringLiteral("ord_1"));
        const QJsonObject metadata = order.value(QLatin1String("metadata")).toObject();
        QCOMPARE(metadata.value(QLatin1String("shop_order_id")).toString(), QStringLiteral("ord_1"));
        QCOMPARE(metadata.value(QLatin1String("shop_order_label")).toString(), QStringLiteral("CAL-ord_1"));
        QVERIFY(QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\+00:00$"))
                    .match(order.value(QLatin1String("created_at")).toString())
                    .hasMatch());
        QCOMPARE(order.value(QLatin1String("address_to")).toObject().value(QLatin1String("city")).toString(),
            QStringLiteral("New York"));
        QCOMPARE(order.value(QLatin1String("shipping_method")).toInt(), 1);
        QVERIFY(order.value(QLatin1String("total_price")).toInt() > 0);
        QVERIFY(order.value(QLatin1String("total_shipping")).toInt() > 0);
        QVERIFY(order.value(QLatin1String("shipments")).toArray().isEmpty());
        QVERIFY(order.value(QLatin1String("sent_to_production_at")).isNull());
        const QJsonObject line = order.value(QLatin1String("line_items")).toArray().at(0).toObject();
        QCOMPARE(line.value(QLatin1String("product_id")).toString(), productId);
        QCOMPARE(line.value(QLatin1String("variant_id")).toInt(), 94860);
        QCOMPARE(line.value(QLatin1String("print_provider_id")).toInt(), 234);
        QCOMPARE(line.value(QLatin1String("status")).toString(), QStringLiteral("on-hold"));
        for (const char *field : { "cost", "shipping_cost", "metadata", "sent_to_production_at", "fulfilled_at" })
            QVERIFY2(line.contains(QLatin1String(field)), field);
        QCOMPARE(line.value(QLatin1String("metadata")).toObject().value(QLatin1String("country")).toString(),
            QStringLiteral("US"));

        answer = call("POST", kShop + QStringLiteral("/orders/%1/send_to_production.json").arg(id));
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.json().value(QLatin1String("status")).toString(), QStringLiteral("sending-to-production"));
        QVERIFY(!answer.json().value(QLatin1String("sent_to_production_at")).isNull());
        QVERIFY(QTest::qWaitFor(
            [&] {
                return get(kShop + QStringLiteral("/orders/%1.json").arg(id)).json().value(QLatin1String("status"))
                    == QJsonValue(QStringLiteral("in-production"));
            },
            15000));
        // Sending again is refused with the reason.
        answer = call("POST", kShop + QStringLiteral("/orders/%1/send_to_production.json").arg(id));
        QCOMPARE(answer.status, 400);
        QVERIFY(answer.reason().contains(QLatin1String("in-production")));

        QStringList types;
        for (const PrintifyEvent &e : m_server->printify().events())
            types.append(e.type);
        QCOMPARE(types,
            names({ "order:created", "order:updated", "order:sent-to-production", "order:updated", "order:updated" }));
        QCOMPARE(get(kShop + QStringLiteral("/orders/ffffffffffffffffffffffff.json")).status, 404);
    }

    void pendingBecomesOnHoldAfterAWhile()
    {
        const QString id = makeOrder(makeProduct(), QStringLiteral("ord_time"));
        QVERIFY(!id.isEmpty());
        QVERIFY(QTest::qWaitFor(
            [&] {
                return get(kShop + QStringLiteral("/orders/%1.json").arg(id)).json().value(QLatin1String("status"))
                    == QJsonValue(QStringLiteral("on-hold"));
            },
            15000));
    }

    void noIdempotency()
    {
        const QString productId = makeProduct();
        const QJsonObject body = orderBody(productId, QStringLiteral("cs_test_same"));
        const Answer first = post(kShop + QStringLiteral("/orders.json"), body);
        const Answer second = post(kShop + QStringLiteral("/orders.json"), body);
        QCOMPARE(first.status, 200);
        QCOMPARE(second.status, 200);
        QVERIFY(first.json().value(QLatin1String("id")) != second.json().value(QLatin1String("id")));
        const QJsonArray same = controlGet(QStringLiteral("/orders?external_id=cs_test_same"))
                                    .json()
                                    .value(QLatin1String("orders"))
                                    .toArray();
        QCOMPARE(same.size(), 2);
        QCOMPARE(same.at(0)
                     .toObject()
                     .value(QLatin1String("line_items"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QLatin1String("files"))
                     .toObject()
                     .keys(),
            names({ "front_cover", "january" }));
        // Products as well.
        const QString uploadId = upload(png(40, 30, qRgb(7, 7, 7)));
        QCOMPARE(post(kShop + QStringLiteral("/products.json"), productBody(uploadId)).status, 200);
        QCOMPARE(post(kShop + QStringLiteral("/products.json"), productBody(uploadId)).status, 200);
        QCOMPARE(get(kShop + QStringLiteral("/products.json")).json().value(QLatin1String("total")).toInt(), 3);
    }

    void ordersPaginateNewestFirst()
    {
        PrintifyFake::Settings settings = m_server->printify().settings();
        settings.pendingMs = -1;
        m_server->printify().setSettings(settings);
        const QString productId = makeProduct();
        QStringList ids;
        for (int i = 0; i < 12; ++i)
            ids.prepend(makeOrder(productId, QStringLiteral("ord_%1").arg(i)));
        Answer answer = get(kShop + QStringLiteral("/orders.json?page=1&limit=5"));
        QCOMPARE(answer.status, 200);
        QJsonObject page = answer.json();
        QCOMPARE(page.value(QLatin1String("current_page")).toInt(), 1);
        QCOMPARE(page.value(QLatin1String("total")).toInt(), 12);
        QCOMPARE(page.value(QLatin1String("last_page")).toInt(), 3);
        QCOMPARE(page.value(QLatin1String("per_page")).toInt(), 5);
        QCOMPARE(page.value(QLatin1String("from")).toInt(), 1);
        QCOMPARE(page.value(QLatin1String("to")).toInt(), 5);
        QCOMPARE(page.value(QLatin1String("next_page_url")).toString(), QStringLiteral("/?page=2"));
        QVERIFY(page.value(QLatin1String("prev_page_url")).isNull());
        QStringList seen;
        for (const QJsonValue &v : page.value(QLatin1String("data")).toArray())
            seen.append(v.toObject().value(QLatin1String("id")).toString());
        QCOMPARE(seen, ids.mid(0, 5));
        page = get(kShop + QStringLiteral("/orders.json?page=3&limit=5")).json();
        QCOMPARE(page.value(QLatin1String("data")).toArray().size(), 2);
        QVERIFY(page.value(QLatin1String("next_page_url")).isNull());
        QCOMPARE(page.value(QLatin1String("data")).toArray().last().toObject().value(QLatin1String("id")).toString(),
            ids.last());
        QCOMPARE(get(kShop + QStringLiteral("/orders.json")).json().value(QLatin1String("per_page")).toInt(), 10);
        QCOMPARE(
            get(kShop + QStringLiteral("/orders.json?page=9")).json().value(QLatin1String("data")).toArray().size(), 0);
        QCOMPARE(get(kShop + QStringLiteral("/orders.json?limit=51")).code(), 8150);
        QCOMPARE(
            get(kShop + QStringLiteral("/orders.json?status=on-hold")).json().value(QLatin1String("total")).toInt(), 0);
    }

    void cancelOnlyFromOnHold()
    {
        PrintifyFake::Settings settings = m_server->printify().settings();
        settings.pendingMs = -1;
        m_server->printify().setSettings(settings);
        const QString pending = makeOrder(makeProduct(), QStringLiteral("ord_c1"));
        Answer answer = call("POST", kShop + QStringLiteral("/orders/%1/cancel.json").arg(pending));
        QCOMPARE(answer.status, 400);
        QCOMPARE(answer.code(), 8150);
        QVERIFY(answer.reason().contains(QLatin1String("pending")));

        const QString held = onHoldOrder(QStringLiteral("ord_c2"));
        answer = call("POST", kShop + QStringLiteral("/orders/%1/cancel.json").arg(held));
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.json().value(QLatin1String("status")).toString(), QStringLiteral("canceled"));
        QCOMPARE(call("POST", kShop + QStringLiteral("/orders/%1/cancel.json").arg(held)).status, 400);

        const QString unpaid = makeOrder(makeProduct(), QStringLiteral("ord_c3"));
        QCOMPARE(control(QStringLiteral("/orders/%1/status").arg(unpaid),
                     QJsonObject { { QStringLiteral("status"), QStringLiteral("payment-not-received") } })
                     .status,
            200);
        QCOMPARE(call("POST", kShop + QStringLiteral("/orders/%1/cancel.json").arg(unpaid)).status, 200);

        const QString producing = inProductionOrder(QStringLiteral("ord_c4"));
        QCOMPARE(call("POST", kShop + QStringLiteral("/orders/%1/cancel.json").arg(producing)).status, 400);
        QCOMPARE(status(producing), QStringLiteral("in-production"));
        QCOMPARE(control(QStringLiteral("/orders/%1/status").arg(producing),
                     QJsonObject { { QStringLiteral("status"), QStringLiteral("bogus") } })
                     .status,
            400);
    }

    void shippingQuote()
    {
        const auto quote = [this](const QString &country, int quantity, int variant = 94860, int blueprint = 1253,
                               int provider = 234) {
            return post(kShop + QStringLiteral("/orders/shipping.json"),
                QJsonObject {
                    { QStringLiteral("line_items"),
                        QJsonArray { QJsonObject { { QStringLiteral("blueprint_id"), blueprint },
                            { QStringLiteral("print_provider_id"), provider },
                            { QStringLiteral("variant_id"), variant }, { QStringLiteral("quantity"), quantity } } } },
                    { QStringLiteral("address_to"),
                        country.isEmpty() ? QJsonObject() : QJsonObject { { QStringLiteral("country"), country } } } });
        };
        Answer answer = quote(QStringLiteral("US"), 1);
        QCOMPARE(answer.status, 200);
        QJsonObject us = answer.json();
        QCOMPARE(us.keys(), names({ "economy", "express", "printify_express", "priority", "standard" }));
        for (const QString &key : us.keys())
            QVERIFY(us.value(key).toInt() > 0);
        const int one = us.value(QLatin1String("standard")).toInt();
        const int two = quote(QStringLiteral("US"), 2).json().value(QLatin1String("standard")).toInt();
        QVERIFY(two > one); // the additional item costs something
        QVERIFY(two < 2 * one); // but less than the first
        const QJsonObject de = quote(QStringLiteral("DE"), 1).json();
        QVERIFY(de.contains(QLatin1String("standard")));
        QVERIFY(!de.contains(QLatin1String("printify_express")));
        QVERIFY(!de.contains(QLatin1String("economy")));
        QCOMPARE(quote(QString(), 1).code(), 8150);
        QVERIFY(quote(QString(), 1).reason().startsWith(QLatin1String("address_to.country:")));
        QCOMPARE(quote(QStringLiteral("US"), 1, 5).code(), 8251);
        QCOMPARE(quote(QStringLiteral("GB"), 1, 103102, 965, 99).status, 200);
    }

    void orderValidation_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("reasonStart");
        QJsonObject noCountry = address();
        noCountry.remove(QStringLiteral("country"));
        QTest::newRow("no country") << QStringLiteral("address_to") << QJsonValue(noCountry) << 8150
                                    << QStringLiteral("address_to.country:");
        QTest::newRow("bad country") << QStringLiteral(
            "address_to") << QJsonValue(withValue(address(), QStringLiteral("country"), QStringLiteral("USA")))
                                     << 8150 << QStringLiteral("address_to.country:");
        QTest::newRow("no address") << QStringLiteral("address_to") << QJsonValue(QJsonValue::Undefined) << 8150
                                    << QStringLiteral("address_to:");
        QTest::newRow("no line items") << QStringLiteral("line_items") << QJsonValue(QJsonArray()) << 8150
                                       << QStringLiteral("line_items:");
        QTest::newRow("unknown product")
            << QStringLiteral("line_items")
            << QJsonValue(QJsonArray { QJsonObject { { QStringLiteral("product_id"), QStringLiteral("nope") },
                   { QStringLiteral("variant_id"), 94860 }, { QStringLiteral("quantity"), 1 } } })
            << 8150 << QStringLiteral("line_items.0.product_id:");
        QTest::newRow("inline unknown variant")
            << QStringLiteral("line_items")
            << QJsonValue(QJsonArray { QJsonObject { { QStringLiteral("blueprint_id"), 1253 },
                   { QStringLiteral("print_provider_id"), 234 }, { QStringLiteral("variant_id"), 1 },
                   { QStringLiteral("quantity"), 1 },
                   { QStringLiteral("print_areas"),
                       QJsonObject { { QStringLiteral("january"), QStringLiteral("https://x.example/a.png") } } } } })
            << 8251 << QStringLiteral("line_items.0.variant_id:");
        QTest::newRow("inline without print_areas")
            << QStringLiteral("line_items")
            << QJsonValue(QJsonArray {
                   QJsonObject { { QStringLiteral("blueprint_id"), 1253 }, { QStringLiteral("print_provider_id"), 234 },
                       { QStringLiteral("variant_id"), 94860 }, { QStringLiteral("quantity"), 1 } } })
            << 8150 << QStringLiteral("line_items.0.print_areas:");
        QTest::newRow("inline unknown position")
            << QStringLiteral("line_items")
            << QJsonValue(QJsonArray {
                   QJsonObject { { QStringLiteral("blueprint_id"), 1253 }, { QStringLiteral("print_provider_id"), 234 },
                       { QStringLiteral("variant_id"), 94860 }, { QStringLiteral("quantity"), 1 },
                       { QStringLiteral("print_areas"),
                           QJsonObject { { QStringLiteral("front"), QStringLiteral("https://x.example/a.png") } } } } })
            << 8150 << QStringLiteral("line_items.0.print_areas.front:");
        QTest::newRow("zero quantity")
            << QStringLiteral("line_items")
            << QJsonValue(QJsonArray {
                   QJsonObject { { QStringLiteral("blueprint_id"), 1253 }, { QStringLiteral("print_provider_id"), 234 },
                       { QStringLiteral("variant_id"), 94860 }, { QStringLiteral("quantity"), 0 } } })
            << 8150 << QStringLiteral("line_items.0.quantity:");
        QTest::newRow("shipping method 5")
            << QStringLiteral("shipping_method") << QJsonValue(5) << 8150 << QStringLiteral("shipping_method:");
    }

    void orderValidation()
    {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QFETCH(int, code);
        QFETCH(QString, reasonStart);
        const QJsonObject body = withValue(orderBody(makeProduct(), QStringLiteral("ord_v")), key, value);
        const Answer answer = post(kShop + QStringLiteral("/orders.json"), body);
        QCOMPARE(answer.status, 400);
        QCOMPARE(answer.code(), code);
        QCOMPARE(answer.json().value(QLatin1String("message")).toString(), QStringLiteral("Validation failed."));
        QVERIFY2(answer.reason().startsWith(reasonStart), qPrintable(answer.reason()));
        QVERIFY(m_server->printify().orders().isEmpty());
    }

    void expressUnavailableAbroad()
    {
        const Answer answer = post(kShop + QStringLiteral("/orders.json"),
            orderBody(makeProduct(), QStringLiteral("ord_x"), 3, QStringLiteral("DE")));
        QCOMPARE(answer.code(), 8150);
        QVERIFY(answer.reason().startsWith(QLatin1String("shipping_method:")));
        QCOMPARE(post(kShop + QStringLiteral("/orders.json"),
                     orderBody(makeProduct(), QStringLiteral("ord_y"), 3, QStringLiteral("US")))
                     .status,
            200);
    }

    void inlineOrderFetchesItsFiles()
    {
        m_files.insert(QStringLiteral("cover.png"), png(30, 20, qRgb(1, 1, 1)));
        m_files.insert(QStringLiteral("jan.png"), png(30, 20, qRgb(2, 2, 2)));
        Answer answer = post(kShop + QStringLiteral("/orders.json"),
            inlineOrderBody(QStringLiteral("ord_inline"),
                QJsonObject { { QStringLiteral("front_cover"), receiverUrl(QStringLiteral("/files/cover.png")) },
                    { QStringLiteral("january"),
                        QJsonArray {
                            QJsonObject { { QStringLiteral("src"), receiverUrl(QStringLiteral("/files/jan.png")) },
                                { QStringLiteral("x"), 0.5 }, { QStringLiteral("y"), 0.5 },
                                { QStringLiteral("scale"), 1 }, { QStringLiteral("angle"), 0 } } } } }));
        QCOMPARE(answer.status, 200);
        const QString good = answer.json().value(QLatin1String("id")).toString();
        QVERIFY(waitForStatus(good, QStringLiteral("on-hold")));
        const QJsonObject summary = controlGet(QStringLiteral("/orders/") + good).json();
        QCOMPARE(summary.value(QLatin1String("fetches")).toArray().size(), 2);
        QVERIFY(summary.value(QLatin1String("fetches")).toArray().at(0).toObject().value(QLatin1String("ok")).toBool());

        answer = post(kShop + QStringLiteral("/orders.json"),
            inlineOrderBody(QStringLiteral("ord_inline_bad"),
                QJsonObject { { QStringLiteral("front_cover"), receiverUrl(QStringLiteral("/files/missing.png")) } }));
        QCOMPARE(answer.status, 200); // accepted: Printify fetches later
        const QString bad = answer.json().value(QLatin1String("id")).toString();
        QVERIFY(waitForStatus(bad, QStringLiteral("had-issues")));
        QVERIFY(m_server->printify().order(bad)->issue.contains(QLatin1String("missing.png")));
    }

    // --- Webhooks ---

    void webhookCrud()
    {
        Answer answer = post(kShop + QStringLiteral("/webhooks.json"),
            QJsonObject { { QStringLiteral("topic"), QStringLiteral("order:updated") },
                { QStringLiteral("url"), receiverUrl(QStringLiteral("/hook")) },
                { QStringLiteral("secret"), QString::fromLatin1(kSecret) } });
        QCOMPARE(answer.status, 200);
        const QString id = answer.json().value(QLatin1String("id")).toString();
        QCOMPARE(answer.json().value(QLatin1String("topic")).toString(), QStringLiteral("order:updated"));
        QCOMPARE(answer.json().value(QLatin1String("shop_id")).toString(), QStringLiteral("12345"));
        QVERIFY(!answer.body.contains(kSecret));
        QCOMPARE(get(kShop + QStringLiteral("/webhooks.json")).array().size(), 1);

        QCOMPARE(post(kShop + QStringLiteral("/webhooks.json"),
                     QJsonObject { { QStringLiteral("topic"), QStringLiteral("order:nope") },
                         { QStringLiteral("url"), receiverUrl(QStringLiteral("/hook")) } })
                     .code(),
            8150);
        QCOMPARE(post(kShop + QStringLiteral("/webhooks.json"),
                     QJsonObject { { QStringLiteral("topic"), QStringLiteral("order:updated") },
                         { QStringLiteral("url"), QStringLiteral("not a url") } })
                     .code(),
            8150);

        answer = call("PUT", kShop + QStringLiteral("/webhooks/%1.json").arg(id),
            QJsonDocument(QJsonObject { { QStringLiteral("url"), receiverUrl(QStringLiteral("/hook?moved=1")) } })
                .toJson());
        QCOMPARE(answer.status, 200);
        QVERIFY(answer.json().value(QLatin1String("url")).toString().contains(QLatin1String("moved=1")));
        answer = call("DELETE", kShop + QStringLiteral("/webhooks/%1.json").arg(id));
        QCOMPARE(answer.json(), (QJsonObject { { QStringLiteral("id"), id } }));
        QCOMPARE(get(kShop + QStringLiteral("/webhooks.json")).array().size(), 0);
        QCOMPARE(call("DELETE", kShop + QStringLiteral("/webhooks/%1.json").arg(id)).status, 404);

        // Without a webhook of the topic nothing is delivered.
        (void)onHoldOrder(QStringLiteral("ord_quiet"));
        QTest::qWait(100);
        QCOMPARE(m_received.size(), 0);
        QVERIFY(!m_server->printify().events().isEmpty());
    }

    void eventsAreSignedAndShaped()
    {
        registerWebhooks({ QStringLiteral("order:created"), QStringLiteral("order:updated") });
        const QString id = makeOrder(makeProduct(), QStringLiteral("ord_signed"));
        QVERIFY(waitForWebhooks(2)); // created, then updated to on-hold
        QCOMPARE(receivedTypes(), names({ "order:created", "order:updated" }));
        for (const Received &r : std::as_const(m_received)) {
            QVERIFY(r.signature.startsWith("sha256="));
            QVERIFY(verifies(r, kSecret));
            QVERIFY(!verifies(r, "another-secret"));
            QCOMPARE(r.signature, PrintifyWebhookSender::signatureHeader(kSecret, r.body));
        }
        const QJsonObject event = m_received.at(1).event();
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"))
                    .match(event.value(QLatin1String("id")).toString())
                    .hasMatch());
        QVERIFY(QRegularExpression(QStringLiteral("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\+00:00$"))
                    .match(event.value(QLatin1String("created_at")).toString())
                    .hasMatch());
        const QJsonObject resource = event.value(QLatin1String("resource")).toObject();
        QCOMPARE(resource.value(QLatin1String("id")).toString(), id);
        QCOMPARE(resource.value(QLatin1String("type")).toString(), QStringLiteral("order"));
        QCOMPARE(m_received.at(1).data().value(QLatin1String("status")).toString(), QStringLiteral("on-hold"));
        QCOMPARE(m_received.at(1).data().value(QLatin1String("shop_id")).toInt(), 12345);

        // Listed with their exact bytes.
        const QJsonArray events = controlGet(QStringLiteral("/events")).json().value(QLatin1String("events")).toArray();
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.at(0).toObject().value(QLatin1String("body")).toString().toUtf8(), m_received.at(0).body);
        QCOMPARE(
            control(
                QStringLiteral("/events/%1/resend").arg(events.at(0).toObject().value(QLatin1String("id")).toString()))
                .status,
            200);
        QVERIFY(waitForWebhooks(3));
        QCOMPARE(m_received.at(2).body, m_received.at(0).body);
    }

    void unsignedWithoutSecret()
    {
        registerWebhooks({ QStringLiteral("order:created") }, QByteArray());
        (void)makeOrder(makeProduct(), QStringLiteral("ord_unsigned"));
        QVERIFY(waitForWebhooks(1));
        QVERIFY(!m_received.first().hasSignature);
    }

    void shipAndDeliver()
    {
        registerWebhooks({ QStringLiteral("order:shipment:created"), QStringLiteral("order:shipment:delivered") });
        const QString early = onHoldOrder(QStringLiteral("ord_early"));
        QCOMPARE(control(QStringLiteral("/orders/%1/ship").arg(early)).status, 400);
        QCOMPARE(control(QStringLiteral("/orders/%1/deliver").arg(early)).status, 400);

        const QString id = inProductionOrder(QStringLiteral("ord_ship"));
        Answer answer = control(QStringLiteral("/orders/%1/ship").arg(id),
            QJsonObject { { QStringLiteral("carrier"), QStringLiteral("usps") },
                { QStringLiteral("tracking_number"), QStringLiteral("9400110200828911663274") } });
        QCOMPARE(answer.status, 200);
        QVERIFY(waitForWebhooks(1));
        QCOMPARE(m_received.at(0).type(), QStringLiteral("order:shipment:created"));
        const QJsonObject data = m_received.at(0).data();
        const QJsonObject carrier = data.value(QLatin1String("carrier")).toObject();
        QCOMPARE(carrier.value(QLatin1String("code")).toString(), QStringLiteral("usps"));
        QCOMPARE(carrier.value(QLatin1String("tracking_number")).toString(), QStringLiteral("9400110200828911663274"));
        QVERIFY(
            carrier.value(QLatin1String("tracking_url")).toString().contains(QLatin1String("9400110200828911663274")));
        QVERIFY(data.contains(QLatin1String("shipped_at")));
        QCOMPARE(data.value(QLatin1String("skus")).toArray().size(), 1);

        QJsonObject order = get(kShop + QStringLiteral("/orders/%1.json").arg(id)).json();
        QCOMPARE(order.value(QLatin1String("status")).toString(), QStringLiteral("fulfilled"));
        QJsonObject shipment = order.value(QLatin1String("shipments")).toArray().at(0).toObject();
        QCOMPARE(shipment.value(QLatin1String("carrier")).toString(), QStringLiteral("usps"));
        QCOMPARE(shipment.value(QLatin1String("number")).toString(), QStringLiteral("9400110200828911663274"));
        QVERIFY(!shipment.value(QLatin1String("url")).toString().isEmpty());
        QVERIFY(shipment.value(QLatin1String("delivered_at")).isNull());
        QVERIFY(!order.value(QLatin1String("fulfilled_at")).isNull());

        QCOMPARE(control(QStringLiteral("/orders/%1/deliver").arg(id)).status, 200);
        QVERIFY(waitForWebhooks(2));
        QCOMPARE(m_received.at(1).type(), QStringLiteral("order:shipment:delivered"));
        QVERIFY(m_received.at(1).data().contains(QLatin1String("delivered_at")));
        order = get(kShop + QStringLiteral("/orders/%1.json").arg(id)).json();
        shipment = order.value(QLatin1String("shipments")).toArray().at(0).toObject();
        QVERIFY(!shipment.value(QLatin1String("delivered_at")).isNull());
        QCOMPARE(order.value(QLatin1String("status")).toString(), QStringLiteral("fulfilled")); // no "delivered" status
        QCOMPARE(control(QStringLiteral("/orders/%1/deliver").arg(id)).status, 400); // nothing left to deliver
    }

    void deliveryModes()
    {
        registerWebhooks({ QStringLiteral("order:shipment:created"), QStringLiteral("order:shipment:delivered") });
        const QString id = inProductionOrder(QStringLiteral("ord_modes"));

        QCOMPARE(control(QStringLiteral("/delivery"),
                     QJsonObject {
                         { QStringLiteral("mode"), QStringLiteral("duplicates") }, { QStringLiteral("count"), 3 } })
                     .status,
            200);
        QCOMPARE(control(QStringLiteral("/orders/%1/ship").arg(id)).status, 200);
        QVERIFY(waitForWebhooks(3));
        QCOMPARE(m_received.at(1).body, m_received.at(0).body);
        QCOMPARE(m_received.at(2).body, m_received.at(0).body);
        for (const Received &r : std::as_const(m_received))
            QVERIFY(verifies(r, kSecret));
        m_received.clear();

        QCOMPARE(control(QStringLiteral("/delivery"),
                     QJsonObject { { QStringLiteral("mode"), QStringLiteral("wrong_secret") } })
                     .status,
            200);
        QCOMPARE(control(QStringLiteral("/orders/%1/deliver").arg(id)).status, 200);
        QVERIFY(waitForWebhooks(1));
        QVERIFY(m_received.first().signature.startsWith("sha256="));
        QVERIFY(!verifies(m_received.first(), kSecret));
        m_received.clear();

        QCOMPARE(control(QStringLiteral("/delivery"),
                     QJsonObject { { QStringLiteral("mode"), QStringLiteral("no_signature") } })
                     .status,
            200);
        QCOMPARE(control(QStringLiteral("/orders/%1/ship").arg(id)).status, 200);
        QVERIFY(waitForWebhooks(1));
        QVERIFY(!m_received.first().hasSignature);
        m_received.clear();

        // Held, then released newest first: delivered arrives before created.
        QCOMPARE(
            control(QStringLiteral("/delivery"), QJsonObject { { QStringLiteral("mode"), QStringLiteral("hold") } })
                .status,
            200);
        QCOMPARE(control(QStringLiteral("/orders/%1/ship").arg(id)).status, 200);
        QCOMPARE(control(QStringLiteral("/orders/%1/deliver").arg(id)).status, 200);
        QTest::qWait(100);
        QCOMPARE(m_received.size(), 0);
        QCOMPARE(control(QStringLiteral("/release")).json().value(QLatin1String("released")).toInt(), 2);
        QVERIFY(waitForWebhooks(2));
        QCOMPARE(receivedTypes(), names({ "order:shipment:delivered", "order:shipment:created" }));
        for (const Received &r : std::as_const(m_received))
            QVERIFY(verifies(r, kSecret));

        QCOMPARE(
            control(QStringLiteral("/delivery"), QJsonObject { { QStringLiteral("mode"), QStringLiteral("bogus") } })
                .status,
            400);
        const QJsonArray deliveries
            = controlGet(QStringLiteral("/deliveries")).json().value(QLatin1String("deliveries")).toArray();
        QCOMPARE(deliveries.size(), 7);
        QCOMPARE(deliveries.at(2).toObject().value(QLatin1String("copy")).toInt(), 3);
        QCOMPARE(deliveries.at(3).toObject().value(QLatin1String("mode")).toString(), QStringLiteral("wrong_secret"));
    }

    void failedDeliveriesAreRetried()
    {
        registerWebhooks({ QStringLiteral("order:created") });
        m_receiverStatuses = { 500, 503 };
        (void)makeOrder(makeProduct(), QStringLiteral("ord_retry"));
        QVERIFY(waitForWebhooks(3));
        QCOMPARE(m_received.at(2).body, m_received.at(0).body);
        QVERIFY(QTest::qWaitFor([this] { return m_server->printifyWebhooks().deliveries().size() == 3; }, 5000));
        QCOMPARE(m_server->printifyWebhooks().deliveries().at(2).status, 200);
        QCOMPARE(m_server->printifyWebhooks().deliveries().at(2).attempt, 3);
    }

    // --- Faults and limits ---

    void timeoutAfterCreateLeavesTheOrder()
    {
        const QString productId = makeProduct();
        m_server->faults().push(Fault {
            QStringLiteral("printify"), QStringLiteral("timeout-after-create"), 1, std::chrono::seconds(3), {} });
        // A GET before does not take the fault: it waits for a create.
        QCOMPARE(get(QStringLiteral("/v1/shops.json")).status, 200);
        const Answer answer = finish(start("POST", kShop + QStringLiteral("/orders.json"),
            QJsonDocument(orderBody(productId, QStringLiteral("cs_timeout"))).toJson(), kToken, 400));
        QCOMPARE(answer.status, 0);
        QVERIFY(answer.error != QNetworkReply::NoError);
        // The client gave up, but the order exists: the list shows it, so a careful client finds it.
        const QJsonArray orders = controlGet(QStringLiteral("/orders?external_id=cs_timeout"))
                                      .json()
                                      .value(QLatin1String("orders"))
                                      .toArray();
        QCOMPARE(orders.size(), 1);
        const QJsonArray listed
            = get(kShop + QStringLiteral("/orders.json")).json().value(QLatin1String("data")).toArray();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed.at(0).toObject().value(QLatin1String("external_id")).toString(), QStringLiteral("cs_timeout"));
        QVERIFY(m_server->faults().isEmpty());
    }

    void dropAfterCreateAndDrop()
    {
        const QString productId = makeProduct();
        const QByteArray body
            = QJsonDocument(orderBody(productId, QStringLiteral("cs_drop"))).toJson(QJsonDocument::Compact);
        // A raw socket: QNetworkAccessManager might re-send a POST whose connection closed at once.
        m_server->faults().push(Fault { QStringLiteral("printify"), QStringLiteral("drop-after-create"), 1, {}, {} });
        bool closed = false;
        QByteArray answer = raw(rawPost(kShop + QStringLiteral("/orders.json"), body), &closed);
        QVERIFY(closed);
        QVERIFY(answer.isEmpty());
        QCOMPARE(m_server->printify().orders().size(), 1);

        m_server->faults().push(Fault { QStringLiteral("printify"), QStringLiteral("drop"), 1, {}, {} });
        answer = raw(rawPost(kShop + QStringLiteral("/orders.json"), body), &closed);
        QVERIFY(closed);
        QVERIFY(answer.isEmpty());
        QCOMPARE(m_server->printify().orders().size(), 1); // not executed
    }

    void frontFaults()
    {
        const QString productId = makeProduct();
        const QJsonObject body = orderBody(productId, QStringLiteral("cs_faults"));
        m_server->faults().push(Fault { QStringLiteral("printify"), QStringLiteral("server-error"), 1, {}, {} });
        Answer answer = post(kShop + QStringLiteral("/orders.json"), body);
        QCOMPARE(answer.status, 500);
        QCOMPARE(answer.json().value(QLatin1String("status")).toString(), QStringLiteral("error"));

        m_server->faults().push(Fault { QStringLiteral("printify"), QStringLiteral("html-502"), 1, {}, {} });
        answer = post(kShop + QStringLiteral("/orders.json"), body);
        QCOMPARE(answer.status, 502);
        QVERIFY(answer.header("Content-Type").startsWith("text/html"));

        m_server->faults().push(Fault { QStringLiteral("printify"), QStringLiteral("validation"), 1, {}, {} });
        QCOMPARE(get(kShop + QStringLiteral("/orders.json")).status, 200); // a GET does not take it
        answer = post(kShop + QStringLiteral("/orders.json"), body);
        QCOMPARE(answer.status, 400);
        QCOMPARE(answer.code(), 8150);
        QVERIFY(!answer.reason().isEmpty());

        m_server->faults().push(Fault { QStringLiteral("printify"), QStringLiteral("rate-limit"), 1, {}, {} });
        answer = post(kShop + QStringLiteral("/orders.json"), body);
        QCOMPARE(answer.status, 429);
        QCOMPARE(answer.header("X-RateLimit-Limit"), QByteArray("600"));
        QCOMPARE(answer.header("Retry-After"), QByteArray("1"));
        QVERIFY(m_server->printify().orders().isEmpty()); // none of them executed

        // match: only the request it names takes the fault.
        m_server->faults().push(Fault {
            QStringLiteral("printify"), QStringLiteral("server-error"), 1, {}, QStringLiteral("send_to_production") });
        const QString id = makeOrder(productId, QStringLiteral("cs_match"));
        QVERIFY(!id.isEmpty());
        QCOMPARE(m_server->faults().toJson().size(), 1);
        QCOMPARE(control(QStringLiteral("/orders/%1/status").arg(id),
                     QJsonObject { { QStringLiteral("status"), QStringLiteral("on-hold") } })
                     .status,
            200);
        QCOMPARE(call("POST", kShop + QStringLiteral("/orders/%1/send_to_production.json").arg(id)).status, 500);
        QCOMPARE(status(id), QStringLiteral("on-hold"));
        QCOMPARE(call("POST", kShop + QStringLiteral("/orders/%1/send_to_production.json").arg(id)).status, 200);
    }

    void rateLimits()
    {
        QCOMPARE(control(QStringLiteral("/settings"),
                     QJsonObject { { QStringLiteral("rate_limit_per_minute"), 4 },
                         { QStringLiteral("catalog_rate_limit_per_minute"), 2 } })
                     .status,
            200);
        const QString catalog = QStringLiteral("/v1/catalog/blueprints.json");
        Answer answer = get(catalog);
        QCOMPARE(answer.header("X-RateLimit-Limit"), QByteArray("2"));
        QCOMPARE(answer.header("X-RateLimit-Remaining"), QByteArray("1"));
        QCOMPARE(get(catalog).status, 200);
        answer = get(catalog);
        QCOMPARE(answer.status, 429);
        QCOMPARE(answer.header("X-RateLimit-Limit"), QByteArray("2"));
        QVERIFY(answer.header("Retry-After").toInt() >= 1);
        QCOMPARE(answer.json().value(QLatin1String("code")).toInt(), 429);

        // The catalog limit does not stop the rest; the global one does.
        answer = get(QStringLiteral("/v1/shops.json"));
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.header("X-RateLimit-Limit"), QByteArray("4"));
        QCOMPARE(get(QStringLiteral("/v1/shops.json")).status, 200);
        answer = get(QStringLiteral("/v1/shops.json"));
        QCOMPARE(answer.status, 429);
        QCOMPARE(answer.header("X-RateLimit-Limit"), QByteArray("4"));
        QVERIFY(answer.header("Retry-After").toInt() >= 1);

        // Slots free up when the window moves on (a short one here); refused requests do not count.
        QCOMPARE(control(QStringLiteral("/settings"), QJsonObject { { QStringLiteral("rate_limit_window_ms"), 3000 } })
                     .status,
            200);
        bool limited = false;
        for (int i = 0; i < 8 && !limited; ++i)
            limited = get(QStringLiteral("/v1/shops.json")).status == 429;
        QVERIFY(limited);
        QVERIFY(QTest::qWaitFor([this] { return get(QStringLiteral("/v1/shops.json")).status == 200; }, 10000));
        QCOMPARE(
            control(QStringLiteral("/settings"), QJsonObject { { QStringLiteral("pending_ms"), QStringLiteral("x") } })
                .status,
            400);
        QCOMPARE(
            controlGet(QStringLiteral("/settings")).json().value(QLatin1String("rate_limit_per_minute")).toInt(), 4);
        QCOMPARE(control(QStringLiteral("/reset")).status, 200);
        QCOMPARE(
            controlGet(QStringLiteral("/settings")).json().value(QLatin1String("rate_limit_per_minute")).toInt(), 600);
    }

    void requestsAreRecorded()
    {
        const QByteArray big = png(400, 400, qRgb(1, 2, 3)) + QByteArray(); // a few KB
        QByteArray noisy(200 * 1024, Qt::Uninitialized);
        for (qsizetype i = 0; i < noisy.size(); ++i)
            noisy[i] = char(i * 7919 % 251);
        (void)post(QStringLiteral("/v1/uploads/images.json"),
            QJsonObject { { QStringLiteral("file_name"), QStringLiteral("noise.bin") },
                { QStringLiteral("contents"), QString::fromLatin1(noisy.toBase64()) } });
        (void)upload(big);
        QCOMPARE(m_server->printify().count("POST", QStringLiteral("/v1/uploads/images.json")), 2);
        const QJsonArray list = call("GET", QStringLiteral("/_sandbox/requests"), {}, {})
                                    .json()
                                    .value(QLatin1String("requests"))
                                    .toArray();
        QList<qint64> sizes;
        for (const QJsonValue &v : list) {
            if (v.toObject().value(QLatin1String("api")).toString() == QLatin1String("printify"))
                sizes.append(v.toObject().value(QLatin1String("bodyBytes")).toInteger());
        }
        QCOMPARE(sizes.size(), 2);
        QVERIFY(sizes.first() > 200 * 1024); // the real size, although the stored copy is cut
        QVERIFY(m_server->printify().requests().first().request.body.size() <= 64 * 1024);
    }

    void faultPlanKnowsPrintify()
    {
        QString error;
        auto fault = FaultPlan::parseSpec(QStringLiteral("printify:timeout-after-create"), &error);
        QVERIFY2(fault, qPrintable(error));
        QCOMPARE(fault->delay, std::chrono::milliseconds(10000));
        fault = FaultPlan::parseSpec(QStringLiteral("printify:server-error,count=2,match=send_to_production"), &error);
        QVERIFY2(fault, qPrintable(error));
        QCOMPARE(fault->match, QStringLiteral("send_to_production"));
        QVERIFY(!FaultPlan::parseSpec(QStringLiteral("stripe:validation"), &error));
        QVERIFY(!FaultPlan::parseSpec(QStringLiteral("stripe:server-error,match=x"), &error));
        QVERIFY(!FaultPlan::parseSpec(QStringLiteral("printify:thoughts"), &error));
        QVERIFY(FaultPlan::helpText().contains(QLatin1String("printify")));
        FaultPlan plan;
        QCOMPARE(plan.apply(R"({"api":"printify","scenario":"drop","match":"orders.json"})"), QString());
        QCOMPARE(
            plan.toJson().at(0).toObject().value(QLatin1String("match")).toString(), QStringLiteral("orders.json"));
        // A create-only fault is not taken by another request, and take(api) never sees matched faults.
        plan.push(Fault { QStringLiteral("printify"), QStringLiteral("drop-after-create"), 1, {}, {} });
        QVERIFY(!plan.take(QStringLiteral("printify"), QStringLiteral("GET /v1/shops.json"),
            [](const QString &s) { return s != QLatin1String("drop-after-create"); }));
        QVERIFY(!plan.take(QStringLiteral("stripe")));
        QCOMPARE(plan.take(QStringLiteral("printify"), QStringLiteral("POST /v1/shops/1/orders.json"), {})->scenario,
            QStringLiteral("drop"));
    }
};

QTEST_GUILESS_MAIN(TestPrintifyFake)
#include "tst_printifyfake.moc"
