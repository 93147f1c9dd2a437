// Wire-level tests of the sandbox's Stripe fake: an in-process SandboxServer on an OS-chosen port,
// a QNetworkAccessManager as the client and a small QHttpServer as the webhook endpoint.
#include "app/sandbox/faultplan.h"
#include "app/sandbox/sandboxserver.h"
#include "app/sandbox/stripecheckoutsession.h"
#include "app/sandbox/stripefake.h"
#include "app/sandbox/stripeformdecoder.h"
#include "app/sandbox/stripewebhooksender.h"

#include <QDateTime>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
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
#include <QUrlQuery>

using namespace CalStudio;

namespace {

const QByteArray kKey = "sk_test_sandbox";
const QByteArray kSecret = "whsec_test_endpoint_secret_42";
using Fields = QList<QPair<QString, QString>>;
using Headers = QList<QPair<QByteArray, QByteArray>>;

struct Answer {
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    Headers headers;

    [[nodiscard]] QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    [[nodiscard]] QJsonObject error_() const { return json().value(QLatin1String("error")).toObject(); }
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
    QByteArray signature;
    QByteArray contentType;
};

Fields baseFields()
{
    return {
        { QStringLiteral("mode"), QStringLiteral("payment") },
        { QStringLiteral("line_items[0][price_data][currency]"), QStringLiteral("usd") },
        { QStringLiteral("line_items[0][price_data][product_data][name]"),
            QStringLiteral("Custom Wall Calendar 2027") },
        { QStringLiteral("line_items[0][price_data][unit_amount]"), QStringLiteral("2999") },
        { QStringLiteral("line_items[0][quantity]"), QStringLiteral("2") },
        { QStringLiteral("success_url"),
            QStringLiteral("https://companion.example/checkout/return?session_id={CHECKOUT_SESSION_ID}") },
        { QStringLiteral("cancel_url"), QStringLiteral("https://companion.example/checkout/cancel") },
        { QStringLiteral("client_reference_id"), QStringLiteral("order_42") },
        { QStringLiteral("customer_email"), QStringLiteral("buyer@example.com") },
        { QStringLiteral("metadata[order_id]"), QStringLiteral("order_42") },
        { QStringLiteral("shipping_address_collection[allowed_countries][0]"), QStringLiteral("US") },
        { QStringLiteral("shipping_address_collection[allowed_countries][1]"), QStringLiteral("GB") },
        { QStringLiteral("shipping_options[0][shipping_rate_data][display_name]"), QStringLiteral("Standard") },
        { QStringLiteral("shipping_options[0][shipping_rate_data][type]"), QStringLiteral("fixed_amount") },
        { QStringLiteral("shipping_options[0][shipping_rate_data][fixed_amount][amount]"), QStringLiteral("699") },
        { QStringLiteral("shipping_options[0][shipping_rate_data][fixed_amount][currency]"), QStringLiteral("usd") },
        { QStringLiteral("shipping_options[1][shipping_rate_data][display_name]"), QStringLiteral("Express") },
        { QStringLiteral("shipping_options[1][shipping_rate_data][type]"), QStringLiteral("fixed_amount") },
        { QStringLiteral("shipping_options[1][shipping_rate_data][fixed_amount][amount]"), QStringLiteral("1499") },
        { QStringLiteral("shipping_options[1][shipping_rate_data][fixed_amount][currency]"), QStringLiteral("usd") },
        { QStringLiteral("shipping_options[1][shipping_rate_data][delivery_estimate][minimum][unit]"),
            QStringLiteral("business_day") },
        { QStringLiteral("shipping_options[1][shipping_rate_data][delivery_estimate][minimum][value]"),
            QStringLiteral("1") },
        { QStringLiteral("payment_intent_data[metadata][order_id]"), QStringLiteral("order_42") },
    };
}

Fields without(Fields fields, const QString &key)
{
    fields.removeIf([&key](const auto &f) { return f.first == key; });
    return fields;
}

Fields with(Fields fields, const QString &key, const QString &value)
{
    fields = without(fields, key);
    fields.append({ key, value });
    return fields;
}

// Keys and values percent-encoded, brackets included (`line_items%5B0%5D…`), as HTTP libraries send them.
QByteArray encode(const Fields &fields)
{
    QByteArrayList pairs;
    for (const auto &[key, value] : fields)
        pairs.append(QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value));
    return pairs.join('&');
}

// Stripe-Signature verification written for the test (EXTERNAL_APIS.md 2.8): every v1, any may match.
bool verifies(const Received &received, const QByteArray &secret, qint64 *timestamp = nullptr, int *v1Count = nullptr)
{
    QByteArray t;
    QByteArrayList v1;
    for (const QByteArray &part : received.signature.split(',')) {
        const qsizetype eq = part.indexOf('=');
        if (eq < 0)
            continue;
        const QByteArray name = part.left(eq);
        if (name == "t")
            t = part.mid(eq + 1);
        else if (name == "v1")
            v1.append(part.mid(eq + 1));
    }
    if (timestamp)
        *timestamp = t.toLongLong();
    if (v1Count)
        *v1Count = int(v1.size());
    if (t.isEmpty())
        return false;
    const QByteArray expected
        = QMessageAuthenticationCode::hash(t + '.' + received.body, secret, QCryptographicHash::Sha256).toHex();
    return v1.contains(expected);
}

QJsonObject eventOf(const Received &received)
{
    return QJsonDocument::fromJson(received.body).object();
}

} // namespace

class TestStripeFake : public QObject {
    Q_OBJECT

private:
    QString base() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }

    QNetworkReply *start(const QByteArray &method, const QString &path, const QByteArray &body = {},
        const Headers &headers = {}, const QByteArray &key = kKey, QNetworkAccessManager *network = nullptr)
    {
        if (!network)
            network = &m_network;
        QNetworkRequest request(QUrl(base() + path));
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        if (!key.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + key);
        if (method == "POST")
            request.setHeader(QNetworkRequest::ContentTypeHeader,
                path.startsWith(QLatin1String("/_sandbox")) ? QByteArray("application/json")
                                                            : QByteArray("application/x-www-form-urlencoded"));
        for (const auto &h : headers)
            request.setRawHeader(h.first, h.second);
        return method == "GET" ? network->get(request) : network->sendCustomRequest(request, method, body);
    }

    Answer finish(QNetworkReply *reply)
    {
        (void)QTest::qWaitFor([reply] { return reply->isFinished(); }, 20000);
        Answer answer;
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.error = reply->error();
        answer.body = reply->readAll();
        answer.headers = reply->rawHeaderPairs();
        reply->deleteLater();
        return answer;
    }

    Answer call(const QByteArray &method, const QString &path, const QByteArray &body = {}, const Headers &headers = {},
        const QByteArray &key = kKey)
    {
        return finish(start(method, path, body, headers, key));
    }

    Answer create(const Fields &fields = baseFields(), const Headers &headers = {})
    {
        return call("POST", QStringLiteral("/v1/checkout/sessions"), encode(fields), headers);
    }

    Answer control(const QString &path, const QJsonObject &body = {})
    {
        return call("POST", QStringLiteral("/_sandbox/stripe") + path, QJsonDocument(body).toJson());
    }

    QString createdId(const Fields &fields = baseFields(), const Headers &headers = {})
    {
        const Answer answer = create(fields, headers);
        if (answer.status != 200)
            qWarning("create failed: %d %s", answer.status, answer.body.constData());
        return answer.json().value(QLatin1String("id")).toString();
    }

    QJsonObject retrieve(const QString &id, const Headers &headers = {})
    {
        return call("GET", QStringLiteral("/v1/checkout/sessions/") + id, {}, headers).json();
    }

    bool waitForWebhooks(int count, int timeoutMs = 15000)
    {
        return QTest::qWaitFor([&] { return m_received.size() >= count; }, timeoutMs);
    }

    QStringList receivedTypes() const
    {
        QStringList types;
        for (const Received &r : m_received)
            types.append(eventOf(r).value(QLatin1String("type")).toString());
        return types;
    }

    std::unique_ptr<SandboxServer> m_server;
    QHttpServer m_receiver;
    QNetworkAccessManager m_network;
    quint16 m_port = 0;
    quint16 m_receiverPort = 0;
    QList<Received> m_received;
    QList<int> m_receiverStatuses; ///< answers for the next deliveries; 200 when empty

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<SandboxServer>();
        m_port = m_server->listen();
        QVERIFY(m_port != 0);
        m_receiver.route(
            QStringLiteral("/webhook"), QHttpServerRequest::Method::Post, [this](const QHttpServerRequest &request) {
                m_received.append({ request.body(), request.value("Stripe-Signature"), request.value("Content-Type") });
                const int status = m_receiverStatuses.isEmpty() ? 200 : m_receiverStatuses.takeFirst();
                return QHttpServerResponse(QHttpServerResponse::StatusCode(status));
            });
        m_receiverPort = m_receiver.listen(QHostAddress::LocalHost, 0);
        QVERIFY(m_receiverPort != 0);
        m_server->stripeWebhooks().setRetryDelays({ std::chrono::milliseconds(20), std::chrono::milliseconds(20) });
    }

    void init()
    {
        m_server->stripe().reset();
        m_server->faults().clear();
        m_server->setStripeWebhook(QUrl(QStringLiteral("http://127.0.0.1:%1/webhook").arg(m_receiverPort)), kSecret);
        m_server->stripe().setWebhookApiVersion({});
        m_received.clear();
        m_receiverStatuses.clear();
    }

    // --- Signatures and form decoding (no sockets) ---

    void signatureMatchesTheReferenceVector()
    {
        const QByteArray body = "{\"id\":\"evt_test_1\",\"object\":\"event\",\"type\":\"checkout.session.completed\","
                                "\"data\":{\"object\":{\"id\":\"cs_test_a1\",\"object\":\"checkout.session\","
                                "\"status\":\"complete\",\"payment_status\":\"paid\"}}}";
        QCOMPARE(body.size(), 182);
        QCOMPARE(StripeWebhookSender::signature("whsec_test_secret_0123456789abcdef", 1735689600, body),
            QByteArray("ed12acce85ecd70efb4850f770f067abcb11f5aa8a720c8bbd95bbd07ff7b0b9"));
        QCOMPARE(StripeWebhookSender::signatureHeader(1735689600, { "whsec_test_secret_0123456789abcdef" }, body),
            QByteArray("t=1735689600,v1=ed12acce85ecd70efb4850f770f067abcb11f5aa8a720c8bbd95bbd07ff7b0b9"));
        const QByteArray two = StripeWebhookSender::signatureHeader(1735689600, { "whsec_old", "whsec_new" }, body);
        QCOMPARE(two.count(",v1="), 2);
        QVERIFY(verifies({ body, two, {} }, "whsec_new"));
        QVERIFY(verifies({ body, two, {} }, "whsec_old"));
        QVERIFY(!verifies({ body, two, {} }, "whsec_other"));
    }

    void formDecoding_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("expected"); // compact JSON; empty = must fail

        QTest::newRow("flat") << QByteArray("mode=payment&customer_email=a%40b.example")
                              << QByteArray("{\"customer_email\":\"a@b.example\",\"mode\":\"payment\"}");
        QTest::newRow("nested brackets")
            << QByteArray("line_items[0][price_data][product_data][name]=Cal&line_items[0][quantity]=1")
            << QByteArray(
                   "{\"line_items\":[{\"price_data\":{\"product_data\":{\"name\":\"Cal\"}},\"quantity\":\"1\"}]}");
        QTest::newRow("percent-encoded keys")
            << QByteArray("line_items%5B0%5D%5Bquantity%5D=3&metadata%5Border%5Fid%5D=o%201")
            << QByteArray("{\"line_items\":[{\"quantity\":\"3\"}],\"metadata\":{\"order_id\":\"o 1\"}}");
        QTest::newRow("plus is a space") << QByteArray("name=Wall+Calendar%2B")
                                         << QByteArray("{\"name\":\"Wall Calendar+\"}");
        QTest::newRow("indices in order")
            << QByteArray("c[1]=GB&c[0]=US&c[2]=DE") << QByteArray("{\"c\":[\"US\",\"GB\",\"DE\"]}");
        QTest::newRow("append with []") << QByteArray("expand[]=line_items&expand%5B%5D=payment_intent")
                                        << QByteArray("{\"expand\":[\"line_items\",\"payment_intent\"]}");
        QTest::newRow("template decoded")
            << QByteArray("success_url=https%3A%2F%2Fs.example%2Fdone%3Fid%3D%7BCHECKOUT_SESSION_ID%7D")
            << QByteArray("{\"success_url\":\"https://s.example/done?id={CHECKOUT_SESSION_ID}\"}");
        QTest::newRow("non-index keys make a hash")
            << QByteArray("m[0]=a&m[k]=b") << QByteArray("{\"m\":{\"0\":\"a\",\"k\":\"b\"}}");
        QTest::newRow("utf-8 value") << QByteArray("n=Kalender%20f%C3%BCr%202027")
                                     << QByteArray("{\"n\":\"Kalender für 2027\"}");
        QTest::newRow("unbalanced bracket") << QByteArray("a[b=1") << QByteArray();
        QTest::newRow("value and hash") << QByteArray("metadata=x&metadata[k]=y") << QByteArray();
        QTest::newRow("leading bracket") << QByteArray("[a]=1") << QByteArray();
    }

    void formDecoding()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, expected);
        QString error;
        const auto decoded = StripeFormDecoder::decode(body, &error);
        if (expected.isEmpty()) {
            QVERIFY(!decoded);
            QVERIFY(!error.isEmpty());
            return;
        }
        QVERIFY2(decoded, qPrintable(error));
        QCOMPARE(QJsonDocument(*decoded).toJson(QJsonDocument::Compact), expected);
    }

    // --- Create: validation, auth, versions ---

    void missingParameters_data()
    {
        QTest::addColumn<QString>("removed");
        QTest::addColumn<QString>("param");
        QTest::newRow("mode") << QStringLiteral("mode") << QStringLiteral("mode");
        QTest::newRow("success_url") << QStringLiteral("success_url") << QStringLiteral("success_url");
        QTest::newRow("currency") << QStringLiteral("line_items[0][price_data][currency]")
                                  << QStringLiteral("line_items[0][price_data][currency]");
        QTest::newRow("quantity") << QStringLiteral("line_items[0][quantity]")
                                  << QStringLiteral("line_items[0][quantity]");
        QTest::newRow("product name") << QStringLiteral("line_items[0][price_data][product_data][name]")
                                      << QStringLiteral("line_items[0][price_data][product_data]");
        QTest::newRow("shipping amount") << QStringLiteral(
            "shipping_options[1][shipping_rate_data][fixed_amount][amount]")
                                         << QStringLiteral(
                                                "shipping_options[1][shipping_rate_data][fixed_amount][amount]");
    }

    void missingParameters()
    {
        QFETCH(QString, removed);
        QFETCH(QString, param);
        const Answer answer = create(without(baseFields(), removed));
        QCOMPARE(answer.status, 400);
        const QJsonObject error = answer.error_();
        QCOMPARE(error.value(QLatin1String("type")).toString(), QStringLiteral("invalid_request_error"));
        QCOMPARE(error.value(QLatin1String("code")).toString(), QStringLiteral("parameter_missing"));
        QCOMPARE(error.value(QLatin1String("param")).toString(), param);
        QVERIFY(answer.header("Request-Id").startsWith("req_"));
        QVERIFY(m_server->stripe().events().isEmpty());
    }

    void missingLineItems()
    {
        Fields fields = baseFields();
        fields.removeIf([](const auto &f) { return f.first.startsWith(QLatin1String("line_items")); });
        const Answer answer = create(fields);
        QCOMPARE(answer.status, 400);
        QCOMPARE(answer.error_().value(QLatin1String("param")).toString(), QStringLiteral("line_items"));
        QCOMPARE(answer.error_().value(QLatin1String("code")).toString(), QStringLiteral("parameter_missing"));
    }

    void uiModeDependsOnVersion_data()
    {
        QTest::addColumn<QByteArray>("version");
        QTest::addColumn<QString>("uiMode");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("answered");
        QTest::newRow("basil default") << QByteArray("2025-03-31.basil") << QString() << 200
                                       << QStringLiteral("hosted");
        QTest::newRow("basil hosted") << QByteArray("2025-03-31.basil") << QStringLiteral("hosted") << 200
                                      << QStringLiteral("hosted");
        QTest::newRow("basil refuses hosted_page")
            << QByteArray("2025-03-31.basil") << QStringLiteral("hosted_page") << 400 << QString();
        QTest::newRow("dahlia default") << QByteArray("2026-03-25.dahlia") << QString() << 200
                                        << QStringLiteral("hosted_page");
        QTest::newRow("dahlia refuses hosted")
            << QByteArray("2026-03-25.dahlia") << QStringLiteral("hosted") << 400 << QString();
        QTest::newRow("no header is dahlia") << QByteArray() << QString() << 200 << QStringLiteral("hosted_page");
        QTest::newRow("no header refuses embedded") << QByteArray() << QStringLiteral("embedded") << 400 << QString();
        QTest::newRow("endive keeps dahlia names")
            << QByteArray("2026-09-30.endive") << QStringLiteral("hosted_page") << 200 << QStringLiteral("hosted_page");
    }

    void uiModeDependsOnVersion()
    {
        QFETCH(QByteArray, version);
        QFETCH(QString, uiMode);
        QFETCH(int, status);
        QFETCH(QString, answered);
        Fields fields = baseFields();
        if (!uiMode.isEmpty())
            fields = with(fields, QStringLiteral("ui_mode"), uiMode);
        const Answer answer
            = create(fields, version.isEmpty() ? Headers {} : Headers { { "Stripe-Version", version } });
        QCOMPARE(answer.status, status);
        if (status == 200) {
            QCOMPARE(answer.json().value(QLatin1String("ui_mode")).toString(), answered);
        } else {
            QCOMPARE(answer.error_().value(QLatin1String("type")).toString(), QStringLiteral("invalid_request_error"));
            QCOMPARE(answer.error_().value(QLatin1String("param")).toString(), QStringLiteral("ui_mode"));
        }
    }

    void embeddedNeedsReturnUrlAndRefusesSuccessUrl()
    {
        const Fields embedded = with(baseFields(), QStringLiteral("ui_mode"), QStringLiteral("embedded_page"));
        Answer answer = create(embedded);
        QCOMPARE(answer.status, 400);
        QCOMPARE(answer.error_().value(QLatin1String("param")).toString(), QStringLiteral("success_url"));

        const Fields noUrls = without(without(embedded, QStringLiteral("success_url")), QStringLiteral("cancel_url"));
        answer = create(noUrls);
        QCOMPARE(answer.status, 400);
        QCOMPARE(answer.error_().value(QLatin1String("code")).toString(), QStringLiteral("parameter_missing"));
        QCOMPARE(answer.error_().value(QLatin1String("param")).toString(), QStringLiteral("return_url"));

        answer = create(with(noUrls, QStringLiteral("return_url"),
            QStringLiteral("https://companion.example/return?session_id={CHECKOUT_SESSION_ID}")));
        QCOMPARE(answer.status, 200);
        const QJsonObject session = answer.json();
        QVERIFY(session.value(QLatin1String("url")).isNull());
        QVERIFY(session.value(QLatin1String("client_secret"))
                    .toString()
                    .startsWith(session.value(QLatin1String("id")).toString() + QStringLiteral("_secret_")));
    }

    void validationLimits_data()
    {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("param");
        QTest::newRow("reference 200") << QStringLiteral("client_reference_id") << QString(200, QLatin1Char('r')) << 200
                                       << QString();
        QTest::newRow("reference 201") << QStringLiteral("client_reference_id") << QString(201, QLatin1Char('r')) << 400
                                       << QStringLiteral("client_reference_id");
        QTest::newRow("metadata key 41") << QStringLiteral("metadata[%1]").arg(QString(41, QLatin1Char('k')))
                                         << QStringLiteral("v") << 400
                                         << QStringLiteral("metadata[%1]").arg(QString(41, QLatin1Char('k')));
        QTest::newRow("metadata value 501") << QStringLiteral("metadata[note]") << QString(501, QLatin1Char('v')) << 400
                                            << QStringLiteral("metadata[note]");
        QTest::newRow("expires in 10 min")
            << QStringLiteral("expires_at") << QString::number(now + 600) << 400 << QStringLiteral("expires_at");
        QTest::newRow("expires in 25 h") << QStringLiteral("expires_at") << QString::number(now + 25 * 3600) << 400
                                         << QStringLiteral("expires_at");
        QTest::newRow("expires in 1 h") << QStringLiteral("expires_at") << QString::number(now + 3600) << 200
                                        << QString();
        QTest::newRow("unknown parameter") << QStringLiteral("sucess_url") << QStringLiteral("https://x.example") << 400
                                           << QStringLiteral("sucess_url");
        QTest::newRow("bad email") << QStringLiteral("customer_email") << QStringLiteral("nobody") << 400
                                   << QStringLiteral("customer_email");
        QTest::newRow("bad quantity") << QStringLiteral("line_items[0][quantity]") << QStringLiteral("two") << 400
                                      << QStringLiteral("line_items[0][quantity]");
    }

    void validationLimits()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(int, status);
        QFETCH(QString, param);
        const Answer answer = create(with(baseFields(), key, value));
        QCOMPARE(answer.status, status);
        if (status != 200) {
            QCOMPARE(answer.error_().value(QLatin1String("param")).toString(), param);
        } else if (key == QLatin1String("expires_at")) {
            QCOMPARE(answer.json().value(QLatin1String("expires_at")).toInteger(), value.toLongLong());
        }
    }

    void tooManyMetadataKeys()
    {
        Fields fields = baseFields();
        for (int i = 0; i < 50; ++i)
            fields.append({ QStringLiteral("metadata[k%1]").arg(i), QStringLiteral("v") });
        const Answer answer = create(fields); // 51 with order_id
        QCOMPARE(answer.status, 400);
        QCOMPARE(answer.error_().value(QLatin1String("param")).toString(), QStringLiteral("metadata"));
    }

    void wrongKeyGets401()
    {
        const Answer answer = call("POST", QStringLiteral("/v1/checkout/sessions"), encode(baseFields()), {},
            "sk_test_wrongkey_1234567890abcd");
        QCOMPARE(answer.status, 401);
        const QJsonObject error = answer.error_();
        QCOMPARE(error.value(QLatin1String("type")).toString(), QStringLiteral("invalid_request_error"));
        const QString message = error.value(QLatin1String("message")).toString();
        QVERIFY2(message.startsWith(QLatin1String("Invalid API Key provided: sk_test_****")), qPrintable(message));
        QVERIFY(message.endsWith(QLatin1String("abcd")));
        QVERIFY(!message.contains(QLatin1String("wrongkey")));
        QVERIFY(answer.header("Request-Id").startsWith("req_"));

        const Answer none = call("GET", QStringLiteral("/v1/checkout/sessions"), {}, {}, QByteArray());
        QCOMPARE(none.status, 401);
        QVERIFY(none.error_().value(QLatin1String("message")).toString().contains(QLatin1String("did not provide")));

        // The fault scripts a 401 even for the right key.
        m_server->faults().push(Fault { QStringLiteral("stripe"), QStringLiteral("invalid-key"), 1, {} });
        QCOMPARE(create().status, 401);
        QCOMPARE(create().status, 200);
    }

    void basicAuthAsCurlSendsIt()
    {
        const Answer answer = call("GET", QStringLiteral("/v1/checkout/sessions"), {},
            { { "Authorization", "Basic " + QByteArray(kKey + ':').toBase64() } }, QByteArray());
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.json().value(QLatin1String("object")).toString(), QStringLiteral("list"));
    }

    void createdSessionShape()
    {
        const Answer answer = create();
        QCOMPARE(answer.status, 200);
        QVERIFY(answer.header("Request-Id").startsWith("req_"));
        const QJsonObject s = answer.json();
        const QString id = s.value(QLatin1String("id")).toString();
        QVERIFY(id.startsWith(QLatin1String("cs_test_")));
        QCOMPARE(s.value(QLatin1String("object")).toString(), QStringLiteral("checkout.session"));
        QCOMPARE(s.value(QLatin1String("mode")).toString(), QStringLiteral("payment"));
        QCOMPARE(s.value(QLatin1String("ui_mode")).toString(), QStringLiteral("hosted_page"));
        QCOMPARE(s.value(QLatin1String("livemode")).toBool(true), false);
        QCOMPARE(s.value(QLatin1String("status")).toString(), QStringLiteral("open"));
        QCOMPARE(s.value(QLatin1String("payment_status")).toString(), QStringLiteral("unpaid"));
        QCOMPARE(s.value(QLatin1String("amount_subtotal")).toInteger(), 5998);
        QCOMPARE(s.value(QLatin1String("amount_total")).toInteger(), 5998 + 699);
        QCOMPARE(s.value(QLatin1String("currency")).toString(), QStringLiteral("usd"));
        QCOMPARE(s.value(QLatin1String("total_details")).toObject().value(QLatin1String("amount_shipping")).toInteger(),
            699);
        QCOMPARE(
            s.value(QLatin1String("shipping_cost")).toObject().value(QLatin1String("amount_total")).toInteger(), 699);
        const QJsonArray options = s.value(QLatin1String("shipping_options")).toArray();
        QCOMPARE(options.size(), 2);
        QCOMPARE(options.at(1).toObject().value(QLatin1String("shipping_amount")).toInteger(), 1499);
        QVERIFY(options.at(1)
                    .toObject()
                    .value(QLatin1String("shipping_rate"))
                    .toString()
                    .startsWith(QLatin1String("shr_")));
        QCOMPARE(s.value(QLatin1String("client_reference_id")).toString(), QStringLiteral("order_42"));
        QCOMPARE(s.value(QLatin1String("metadata")).toObject().value(QLatin1String("order_id")).toString(),
            QStringLiteral("order_42"));
        QCOMPARE(s.value(QLatin1String("customer_email")).toString(), QStringLiteral("buyer@example.com"));
        QVERIFY(s.value(QLatin1String("customer_details")).isNull());
        QVERIFY(s.value(QLatin1String("payment_intent")).isNull());
        QVERIFY(s.value(QLatin1String("collected_information")).isNull());
        QVERIFY(!s.contains(QLatin1String("shipping_details"))); // dahlia: only collected_information
        QCOMPARE(s.value(QLatin1String("url")).toString(), base() + QStringLiteral("/c/pay/") + id);
        QCOMPARE(s.value(QLatin1String("success_url")).toString(),
            QStringLiteral("https://companion.example/checkout/return?session_id={CHECKOUT_SESSION_ID}"));
        QCOMPARE(s.value(QLatin1String("cancel_url")).toString(),
            QStringLiteral("https://companion.example/checkout/cancel"));
        const qint64 created = s.value(QLatin1String("created")).toInteger();
        QVERIFY(qAbs(created - QDateTime::currentSecsSinceEpoch()) < 60);
        QCOMPARE(s.value(QLatin1String("expires_at")).toInteger(), created + 24 * 3600);

        // Retrieve, expand and line items.
        Answer got = call("GET", QStringLiteral("/v1/checkout/sessions/") + id);
        QCOMPARE(got.status, 200);
        QCOMPARE(got.json(), s);
        got = call(
            "GET", QStringLiteral("/v1/checkout/sessions/%1?expand%5B%5D=line_items&expand[]=payment_intent").arg(id));
        QCOMPARE(got.status, 200);
        const QJsonObject list = got.json().value(QLatin1String("line_items")).toObject();
        QCOMPARE(list.value(QLatin1String("object")).toString(), QStringLiteral("list"));
        QCOMPARE(list.value(QLatin1String("data")).toArray().size(), 1);
        got = call("GET", QStringLiteral("/v1/checkout/sessions/%1/line_items").arg(id));
        QCOMPARE(got.status, 200);
        const QJsonObject item = got.json().value(QLatin1String("data")).toArray().at(0).toObject();
        QCOMPARE(item.value(QLatin1String("description")).toString(), QStringLiteral("Custom Wall Calendar 2027"));
        QCOMPARE(item.value(QLatin1String("quantity")).toInteger(), 2);
        QCOMPARE(item.value(QLatin1String("amount_total")).toInteger(), 5998);
        QCOMPARE(item.value(QLatin1String("price")).toObject().value(QLatin1String("unit_amount")).toInteger(), 2999);
        QCOMPARE(got.json().value(QLatin1String("has_more")).toBool(true), false);
        QCOMPARE(call("GET", QStringLiteral("/v1/checkout/sessions/%1?expand[]=customer_balance").arg(id)).status, 400);

        const Answer missing = call("GET", QStringLiteral("/v1/checkout/sessions/cs_test_nope"));
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.error_().value(QLatin1String("code")).toString(), QStringLiteral("resource_missing"));
        QVERIFY(missing.header("Request-Id").startsWith("req_"));
        QCOMPARE(call("POST", QStringLiteral("/v1/checkout/sessions/cs_test_nope/expire")).status, 404);
    }

    // --- Idempotency ---

    void idempotentReplay()
    {
        const Headers key { { "Idempotency-Key", "checkout:order_42:1" } };
        const Answer first = create(baseFields(), key);
        QCOMPARE(first.status, 200);
        QVERIFY(first.header("Idempotent-Replayed").isEmpty());
        // Same parameters in another order and encoding: still the same request.
        Fields reordered = baseFields();
        std::reverse(reordered.begin(), reordered.end());
        const Answer second = create(reordered, key);
        QCOMPARE(second.status, 200);
        QCOMPARE(second.header("Idempotent-Replayed"), QByteArray("true"));
        QCOMPARE(second.body, first.body);
        QCOMPARE(second.header("Original-Request"), first.header("Request-Id"));
        QVERIFY(second.header("Request-Id") != first.header("Request-Id"));
        QCOMPARE(
            call("GET", QStringLiteral("/v1/checkout/sessions")).json().value(QLatin1String("data")).toArray().size(),
            1);

        const Answer different
            = create(with(baseFields(), QStringLiteral("client_reference_id"), QStringLiteral("x")), key);
        QCOMPARE(different.status, 400);
        QCOMPARE(different.error_().value(QLatin1String("type")).toString(), QStringLiteral("idempotency_error"));

        // Another API key has its own keys.
        m_server->setStripeKey(QStringLiteral("sk_test_other_account_0000"));
        const Answer other = call(
            "POST", QStringLiteral("/v1/checkout/sessions"), encode(baseFields()), key, "sk_test_other_account_0000");
        m_server->setStripeKey(QString::fromLatin1(kKey));
        QCOMPARE(other.status, 200);
        QVERIFY(other.header("Idempotent-Replayed").isEmpty());
    }

    void failedValidationIsNotSaved()
    {
        const Headers key { { "Idempotency-Key", "k-validation" } };
        const Answer bad = create(without(baseFields(), QStringLiteral("mode")), key);
        QCOMPARE(bad.status, 400);
        const Answer good = create(baseFields(), key);
        QCOMPARE(good.status, 200);
        QVERIFY(good.header("Idempotent-Replayed").isEmpty());
        QCOMPARE(create(baseFields(), key).header("Idempotent-Replayed"), QByteArray("true"));
    }

    void serverErrorIsSavedRateLimitIsNot()
    {
        const Headers key { { "Idempotency-Key", "k-500" } };
        m_server->faults().push(Fault { QStringLiteral("stripe"), QStringLiteral("server-error"), 1, {} });
        const Answer first = create(baseFields(), key);
        QCOMPARE(first.status, 500);
        QCOMPARE(first.error_().value(QLatin1String("type")).toString(), QStringLiteral("api_error"));
        const Answer again = create(baseFields(), key);
        QCOMPARE(again.status, 500);
        QCOMPARE(again.header("Idempotent-Replayed"), QByteArray("true"));
        QCOMPARE(again.body, first.body);

        const Headers key2 { { "Idempotency-Key", "k-429" } };
        m_server->faults().push(Fault { QStringLiteral("stripe"), QStringLiteral("rate-limit"), 1, {} });
        m_server->faults().push(Fault { QStringLiteral("stripe"), QStringLiteral("rate-limit-no-hint"), 1, {} });
        Answer limited = create(baseFields(), key2);
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.error_().value(QLatin1String("code")).toString(), QStringLiteral("rate_limit"));
        QCOMPARE(limited.error_().value(QLatin1String("type")).toString(), QStringLiteral("invalid_request_error"));
        QVERIFY(!limited.header("Retry-After").isEmpty());
        limited = create(baseFields(), key2);
        QCOMPARE(limited.status, 429);
        QVERIFY(limited.header("Retry-After").isEmpty());
        const Answer ok = create(baseFields(), key2);
        QCOMPARE(ok.status, 200);
        QVERIFY(ok.header("Idempotent-Replayed").isEmpty());
    }

    void droppedConnectionStillExecuted()
    {
        const Headers key { { "Idempotency-Key", "k-drop" } };
        m_server->faults().push(Fault { QStringLiteral("stripe"), QStringLiteral("drop"), 1, {} });
        // A raw socket: QNetworkAccessManager would silently re-send a POST whose connection closed at once.
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        QVERIFY(socket.waitForConnected(5000));
        const QByteArray body = encode(baseFields());
        socket.write("POST /v1/checkout/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kKey
            + "\r\nIdempotency-Key: k-drop\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QVERIFY(QTest::qWaitFor([&socket] { return socket.state() == QAbstractSocket::UnconnectedState; }, 10000));
        QVERIFY(socket.readAll().isEmpty());
        QCOMPARE(m_server->stripe().count("POST", QStringLiteral("/v1/checkout/sessions")), 1);
        const Answer retry = create(baseFields(), key);
        QCOMPARE(retry.status, 200);
        QCOMPARE(retry.header("Idempotent-Replayed"), QByteArray("true"));
        QVERIFY(m_server->stripe().session(retry.json().value(QLatin1String("id")).toString()));
    }

    void inFlightKeyGets409OverTheWire()
    {
        const Headers key { { "Idempotency-Key", "k-inflight" } };
        // Held long enough that the second request certainly arrives first; the test waits for it anyway.
        m_server->faults().push(Fault { QStringLiteral("stripe"), QStringLiteral("slow"), 1, std::chrono::seconds(3) });
        QNetworkReply *slow = start("POST", QStringLiteral("/v1/checkout/sessions"), encode(baseFields()), key);
        QTest::qWait(50);
        const Answer conflict = create(baseFields(), key);
        QVERIFY(!slow->isFinished());
        QCOMPARE(conflict.status, 409);
        QCOMPARE(conflict.error_().value(QLatin1String("code")).toString(), QStringLiteral("idempotency_key_in_use"));
        const Answer first = finish(slow);
        QCOMPARE(first.status, 200);
        const Answer replay = create(baseFields(), key);
        QCOMPARE(replay.status, 200);
        QCOMPARE(replay.header("Idempotent-Replayed"), QByteArray("true"));
        QCOMPARE(replay.body, first.body);
    }

    void inFlightKeyGets409WithoutSockets()
    {
        FaultPlan faults;
        StripeFake fake(&faults, nullptr);
        SandboxRequest request;
        request.path = QStringLiteral("/v1/checkout/sessions");
        request.headers
            = { { "Authorization", "Bearer " + kKey }, { "Idempotency-Key", "k1" }, { "Host", "127.0.0.1:1" } };
        request.body = encode(baseFields());
        faults.push(Fault { QStringLiteral("stripe"), QStringLiteral("slow"), 1, std::chrono::milliseconds(100) });
        const SandboxReply held = fake.handle(request);
        QCOMPARE(held.status, 200);
        QVERIFY(held.delay.count() > 0);
        QVERIFY(held.finished);
        QCOMPARE(fake.handle(request).status, 409);
        held.finished(); // the server wrote the answer
        const SandboxReply replay = fake.handle(request);
        QCOMPARE(replay.status, 200);
        QCOMPARE(replay.header("Idempotent-Replayed"), QByteArray("true"));
        QCOMPARE(replay.body, held.body);
    }

    // --- Hosted page, webhooks ---

    void payThroughThePage_data()
    {
        QTest::addColumn<QByteArray>("version");
        QTest::addColumn<bool>("collectedInformation");
        QTest::addColumn<bool>("topLevelShipping");
        QTest::newRow("dahlia") << QByteArray("2026-03-25.dahlia") << true << false;
        QTest::newRow("basil") << QByteArray("2025-03-31.basil") << true << false;
        QTest::newRow("acacia has both") << QByteArray("2025-02-24.acacia") << true << true;
        QTest::newRow("2024 top-level") << QByteArray("2024-06-20") << false << true;
    }

    void payThroughThePage()
    {
        QFETCH(QByteArray, version);
        QFETCH(bool, collectedInformation);
        QFETCH(bool, topLevelShipping);
        m_server->stripe().setWebhookApiVersion(QString::fromLatin1(version));
        const Headers pinned { { "Stripe-Version", version } };
        const QString id = createdId(baseFields(), pinned);
        QVERIFY(!id.isEmpty());

        const Answer page = call("GET", QStringLiteral("/c/pay/") + id, {}, {}, QByteArray());
        QCOMPARE(page.status, 200);
        QVERIFY(page.header("Content-Type").startsWith("text/html"));
        const QString html = QString::fromUtf8(page.body);
        QVERIFY(html.contains(QStringLiteral("<title>Sandbox Checkout — not a real payment</title>")));
        QVERIFY(html.contains(QLatin1String("Custom Wall Calendar 2027")));
        QVERIFY(html.contains(QLatin1String("id=\"total\">$66.97<")));
        QVERIFY(html.contains(QLatin1String("Express")));
        QVERIFY(html.contains(QStringLiteral("window.open('/c/pay/%1/3ds', '3ds', 'width=420,height=520')").arg(id)));
        QVERIFY(html.contains(QLatin1String("href=\"https://companion.example/checkout/cancel\"")));
        QVERIFY(html.contains(QLatin1String("value=\"buyer@example.com\"")));

        const QByteArray form = encode({ { QStringLiteral("shipping_option"), QStringLiteral("1") },
            { QStringLiteral("email"), QStringLiteral("buyer@example.com") },
            { QStringLiteral("name"), QStringLiteral("Ada Lovelace") },
            { QStringLiteral("phone"), QStringLiteral("+442071234567") },
            { QStringLiteral("line1"), QStringLiteral("12 St James's Square") },
            { QStringLiteral("city"), QStringLiteral("London") },
            { QStringLiteral("postal_code"), QStringLiteral("SW1Y 4JH") },
            { QStringLiteral("country"), QStringLiteral("GB") }, { QStringLiteral("action"), QStringLiteral("pay") } });
        const Answer paid = call("POST", QStringLiteral("/c/pay/") + id, form, {}, QByteArray());
        QCOMPARE(paid.status, 303);
        QCOMPARE(QString::fromUtf8(paid.header("Location")),
            QStringLiteral("https://companion.example/checkout/return?session_id=") + id);

        const QJsonObject s = retrieve(id, pinned);
        QCOMPARE(s.value(QLatin1String("status")).toString(), QStringLiteral("complete"));
        QCOMPARE(s.value(QLatin1String("payment_status")).toString(), QStringLiteral("paid"));
        QCOMPARE(s.value(QLatin1String("amount_total")).toInteger(), 5998 + 1499);
        QCOMPARE(s.value(QLatin1String("total_details")).toObject().value(QLatin1String("amount_shipping")).toInteger(),
            1499);
        QCOMPARE(
            s.value(QLatin1String("shipping_cost")).toObject().value(QLatin1String("amount_total")).toInteger(), 1499);
        QVERIFY(s.value(QLatin1String("payment_intent")).toString().startsWith(QLatin1String("pi_")));
        QVERIFY(s.value(QLatin1String("url")).isNull());
        const QJsonObject customer = s.value(QLatin1String("customer_details")).toObject();
        QCOMPARE(customer.value(QLatin1String("email")).toString(), QStringLiteral("buyer@example.com"));
        QCOMPARE(customer.value(QLatin1String("name")).toString(), QStringLiteral("Ada Lovelace"));
        QCOMPARE(customer.value(QLatin1String("phone")).toString(), QStringLiteral("+442071234567"));
        QCOMPARE(customer.value(QLatin1String("address")).toObject().value(QLatin1String("country")).toString(),
            QStringLiteral("GB"));
        const QJsonObject fromCollected = s.value(QLatin1String("collected_information"))
                                              .toObject()
                                              .value(QLatin1String("shipping_details"))
                                              .toObject();
        const QJsonObject fromTop = s.value(QLatin1String("shipping_details")).toObject();
        QCOMPARE(s.contains(QLatin1String("collected_information")), collectedInformation);
        QCOMPARE(s.contains(QLatin1String("shipping_details")), topLevelShipping);
        const QJsonObject shipping = collectedInformation ? fromCollected : fromTop;
        QCOMPARE(shipping.value(QLatin1String("name")).toString(), QStringLiteral("Ada Lovelace"));
        QCOMPARE(shipping.value(QLatin1String("address")).toObject().value(QLatin1String("line1")).toString(),
            QStringLiteral("12 St James's Square"));
        QCOMPARE(shipping.value(QLatin1String("address")).toObject().value(QLatin1String("postal_code")).toString(),
            QStringLiteral("SW1Y 4JH"));
        QVERIFY(shipping.value(QLatin1String("address")).toObject().value(QLatin1String("state")).isNull());
        if (collectedInformation && topLevelShipping)
            QCOMPARE(fromCollected, fromTop);

        QVERIFY(waitForWebhooks(1));
        const Received &hook = m_received.first();
        QCOMPARE(hook.contentType, QByteArray("application/json; charset=utf-8"));
        qint64 t = 0;
        QVERIFY2(verifies(hook, kSecret, &t), hook.signature.constData());
        QVERIFY(qAbs(QDateTime::currentSecsSinceEpoch() - t) <= 300);
        Received tampered = hook;
        tampered.body[tampered.body.size() / 2] = tampered.body.at(tampered.body.size() / 2) == 'a' ? 'b' : 'a';
        QVERIFY(!verifies(tampered, kSecret));
        const QJsonObject event = eventOf(hook);
        QVERIFY(event.value(QLatin1String("id")).toString().startsWith(QLatin1String("evt_")));
        QCOMPARE(event.value(QLatin1String("object")).toString(), QStringLiteral("event"));
        QCOMPARE(event.value(QLatin1String("type")).toString(), QStringLiteral("checkout.session.completed"));
        QCOMPARE(event.value(QLatin1String("api_version")).toString(), QString::fromLatin1(version));
        QCOMPARE(event.value(QLatin1String("livemode")).toBool(true), false);
        QCOMPARE(event.value(QLatin1String("pending_webhooks")).toInt(), 1);
        QVERIFY(event.value(QLatin1String("request")).toObject().value(QLatin1String("id")).isNull());
        QVERIFY(qAbs(event.value(QLatin1String("created")).toInteger() - QDateTime::currentSecsSinceEpoch()) < 60);
        const QJsonObject object
            = event.value(QLatin1String("data")).toObject().value(QLatin1String("object")).toObject();
        QCOMPARE(object, s); // the full session, as retrieved in the same version

        // The page of a completed session no longer takes payments.
        const Answer after = call("GET", QStringLiteral("/c/pay/") + id, {}, {}, QByteArray());
        QVERIFY(QString::fromUtf8(after.body).contains(QLatin1String("Payment complete")));
        QCOMPARE(call("POST", QStringLiteral("/c/pay/") + id, form, {}, QByteArray()).status, 200);
        QCOMPARE(m_server->stripe().events().size(), 1);
    }

    void declineLeavesTheSessionOpen()
    {
        const QString id = createdId();
        const Answer declined = call("POST", QStringLiteral("/c/pay/") + id,
            encode({ { QStringLiteral("action"), QStringLiteral("decline") },
                { QStringLiteral("shipping_option"), QStringLiteral("1") } }),
            {}, QByteArray());
        QCOMPARE(declined.status, 200);
        const QString html = QString::fromUtf8(declined.body);
        QVERIFY(html.contains(QLatin1String("Your card was declined.")));
        QVERIFY(html.contains(QLatin1String("value=\"1\" data-amount=\"$14.99\" data-total=\"$74.97\" checked")));
        const QJsonObject s = retrieve(id);
        QCOMPARE(s.value(QLatin1String("status")).toString(), QStringLiteral("open"));
        QCOMPARE(s.value(QLatin1String("payment_status")).toString(), QStringLiteral("unpaid"));
        QVERIFY(m_server->stripe().events().isEmpty());

        const Answer challenge = call("GET", QStringLiteral("/c/pay/%1/3ds").arg(id), {}, {}, QByteArray());
        QCOMPARE(challenge.status, 200);
        QVERIFY(challenge.body.contains("Complete authentication"));
        QVERIFY(challenge.body.contains("Fail authentication"));
        QVERIFY(challenge.body.contains("window.close()"));
        QCOMPARE(call("GET", QStringLiteral("/c/pay/cs_test_unknown"), {}, {}, QByteArray()).status, 404);
    }

    void expireOnlyWhileOpen()
    {
        const QString open = createdId();
        const Answer expired = call("POST", QStringLiteral("/v1/checkout/sessions/%1/expire").arg(open), {},
            { { "Idempotency-Key", "expire-1" } });
        QCOMPARE(expired.status, 200);
        QCOMPARE(expired.json().value(QLatin1String("status")).toString(), QStringLiteral("expired"));
        QVERIFY(expired.json().value(QLatin1String("url")).isNull());
        QVERIFY(waitForWebhooks(1));
        const QJsonObject event = eventOf(m_received.first());
        QCOMPARE(event.value(QLatin1String("type")).toString(), QStringLiteral("checkout.session.expired"));
        const QJsonObject request = event.value(QLatin1String("request")).toObject();
        QCOMPARE(request.value(QLatin1String("id")).toString(), QString::fromLatin1(expired.header("Request-Id")));
        QCOMPARE(request.value(QLatin1String("idempotency_key")).toString(), QStringLiteral("expire-1"));
        QVERIFY(call("GET", QStringLiteral("/c/pay/") + open, {}, {}, QByteArray()).body.contains("expired"));

        const QString done = createdId();
        QCOMPARE(control(QStringLiteral("/sessions/%1/complete").arg(done)).status, 200);
        const Answer refused = call("POST", QStringLiteral("/v1/checkout/sessions/%1/expire").arg(done));
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.error_().value(QLatin1String("type")).toString(), QStringLiteral("invalid_request_error"));
        QCOMPARE(retrieve(done).value(QLatin1String("status")).toString(), QStringLiteral("complete"));
        QCOMPARE(control(QStringLiteral("/sessions/%1/expire").arg(done)).status, 400);
    }

    void refundFiresChargeRefunded()
    {
        const QString id = createdId();
        QCOMPARE(control(QStringLiteral("/sessions/%1/complete").arg(id)).status, 200);
        const QJsonObject s = retrieve(id);
        const QString intent = s.value(QLatin1String("payment_intent")).toString();
        QVERIFY(intent.startsWith(QLatin1String("pi_")));
        const qint64 total = s.value(QLatin1String("amount_total")).toInteger();
        QCOMPARE(total, 6697);

        const Answer partial = call("POST", QStringLiteral("/v1/refunds"),
            encode({ { QStringLiteral("payment_intent"), intent },
                { QStringLiteral("amount"), QStringLiteral("1000") } }));
        QCOMPARE(partial.status, 200);
        QVERIFY(partial.json().value(QLatin1String("id")).toString().startsWith(QLatin1String("re_")));
        QCOMPARE(partial.json().value(QLatin1String("amount")).toInteger(), 1000);
        const Answer rest
            = call("POST", QStringLiteral("/v1/refunds"), encode({ { QStringLiteral("payment_intent"), intent } }));
        QCOMPARE(rest.status, 200);
        QCOMPARE(rest.json().value(QLatin1String("amount")).toInteger(), total - 1000);
        const Answer again
            = call("POST", QStringLiteral("/v1/refunds"), encode({ { QStringLiteral("payment_intent"), intent } }));
        QCOMPARE(again.status, 400);
        QCOMPARE(again.error_().value(QLatin1String("code")).toString(), QStringLiteral("charge_already_refunded"));
        QCOMPARE(call("POST", QStringLiteral("/v1/refunds"),
                     encode({ { QStringLiteral("payment_intent"), QStringLiteral("pi_nope") } }))
                     .status,
            404);

        // completed, then charge.refunded + refund.created twice.
        QVERIFY(waitForWebhooks(5));
        QCOMPARE(receivedTypes(),
            QStringList({ QStringLiteral("checkout.session.completed"), QStringLiteral("charge.refunded"),
                QStringLiteral("refund.created"), QStringLiteral("charge.refunded"),
                QStringLiteral("refund.created") }));
        const QJsonObject first = eventOf(m_received.at(1))
                                      .value(QLatin1String("data"))
                                      .toObject()
                                      .value(QLatin1String("object"))
                                      .toObject();
        QVERIFY(first.value(QLatin1String("id")).toString().startsWith(QLatin1String("ch_")));
        QCOMPARE(first.value(QLatin1String("object")).toString(), QStringLiteral("charge"));
        QCOMPARE(first.value(QLatin1String("payment_intent")).toString(), intent);
        QCOMPARE(first.value(QLatin1String("amount")).toInteger(), total);
        QCOMPARE(first.value(QLatin1String("amount_refunded")).toInteger(), 1000);
        QCOMPARE(first.value(QLatin1String("currency")).toString(), QStringLiteral("usd"));
        QCOMPARE(first.value(QLatin1String("refunded")).toBool(true), false); // partial
        const QJsonObject full = eventOf(m_received.at(3))
                                     .value(QLatin1String("data"))
                                     .toObject()
                                     .value(QLatin1String("object"))
                                     .toObject();
        QCOMPARE(full.value(QLatin1String("amount_refunded")).toInteger(), total);
        QCOMPARE(full.value(QLatin1String("refunded")).toBool(), true);
    }

    void asyncPaymentAndAmountOverride()
    {
        const QString id = createdId();
        Answer answer = control(QStringLiteral("/sessions/%1/complete").arg(id),
            QJsonObject { { QStringLiteral("payment_status"), QStringLiteral("unpaid") },
                { QStringLiteral("shipping_option"), 1 }, { QStringLiteral("amount_total"), 100 },
                { QStringLiteral("currency"), QStringLiteral("eur") } });
        QCOMPARE(answer.status, 200);
        QJsonObject s = retrieve(id);
        QCOMPARE(s.value(QLatin1String("status")).toString(), QStringLiteral("complete"));
        QCOMPARE(s.value(QLatin1String("payment_status")).toString(), QStringLiteral("unpaid"));
        QCOMPARE(s.value(QLatin1String("amount_total")).toInteger(), 100);
        QCOMPARE(s.value(QLatin1String("currency")).toString(), QStringLiteral("eur"));
        QCOMPARE(s.value(QLatin1String("total_details")).toObject().value(QLatin1String("amount_shipping")).toInteger(),
            1499);
        QCOMPARE(control(QStringLiteral("/sessions/%1/async_payment_succeeded").arg(id)).status, 200);
        QCOMPARE(retrieve(id).value(QLatin1String("payment_status")).toString(), QStringLiteral("paid"));
        QCOMPARE(control(QStringLiteral("/sessions/%1/async_payment_failed").arg(id)).status, 400);

        const QString other = createdId();
        QCOMPARE(control(QStringLiteral("/sessions/%1/complete").arg(other),
                     QJsonObject { { QStringLiteral("payment_status"), QStringLiteral("unpaid") } })
                     .status,
            200);
        QCOMPARE(control(QStringLiteral("/sessions/%1/async_payment_failed").arg(other)).status, 200);
        QCOMPARE(retrieve(other).value(QLatin1String("payment_status")).toString(), QStringLiteral("unpaid"));

        QVERIFY(waitForWebhooks(4));
        QCOMPARE(receivedTypes(),
            QStringList({ QStringLiteral("checkout.session.completed"),
                QStringLiteral("checkout.session.async_payment_succeeded"),
                QStringLiteral("checkout.session.completed"),
                QStringLiteral("checkout.session.async_payment_failed") }));
        QCOMPARE(control(QStringLiteral("/sessions/cs_test_none/complete")).status, 404);
    }

    // --- Delivery modes ---

    void duplicates()
    {
        QCOMPARE(control(QStringLiteral("/delivery"),
                     QJsonObject {
                         { QStringLiteral("mode"), QStringLiteral("duplicates") }, { QStringLiteral("count"), 3 } })
                     .status,
            200);
        const QString id = createdId();
        QCOMPARE(control(QStringLiteral("/sessions/%1/complete").arg(id)).status, 200);
        QVERIFY(waitForWebhooks(3));
        QTest::qWait(100);
        QCOMPARE(m_received.size(), 3);
        QCOMPARE(m_received.at(1).body, m_received.at(0).body);
        QCOMPARE(m_received.at(2).body, m_received.at(0).body);
        for (const Received &r : std::as_const(m_received))
            QVERIFY(verifies(r, kSecret));
        const QJsonArray deliveries = call("GET", QStringLiteral("/_sandbox/stripe/deliveries"))
                                          .json()
                                          .value(QLatin1String("deliveries"))
                                          .toArray();
        QCOMPARE(deliveries.size(), 3);
        QCOMPARE(deliveries.at(2).toObject().value(QLatin1String("copy")).toInt(), 3);
        QCOMPARE(deliveries.at(2).toObject().value(QLatin1String("status")).toInt(), 200);
    }

    void rolledSecretSignsTwice()
    {
        QCOMPARE(control(QStringLiteral("/delivery"),
                     QJsonObject { { QStringLiteral("mode"), QStringLiteral("roll_secret") },
                         { QStringLiteral("new_secret"), QStringLiteral("whsec_new_after_roll") } })
                     .status,
            200);
        const QString id = createdId();
        QCOMPARE(control(QStringLiteral("/sessions/%1/complete").arg(id)).status, 200);
        QVERIFY(waitForWebhooks(1));
        int v1 = 0;
        QVERIFY(verifies(m_received.first(), kSecret, nullptr, &v1));
        QCOMPARE(v1, 2);
        QVERIFY(verifies(m_received.first(), "whsec_new_after_roll"));
        // The second v1 is the new secret's.
        const QByteArray header = m_received.first().signature;
        const QByteArray t = header.split(',').at(0).mid(2);
        QCOMPARE(header.split(',').at(2),
            "v1=" + StripeWebhookSender::signature("whsec_new_after_roll", t.toLongLong(), m_received.first().body));
    }

    void staleAndWrongSecret()
    {
        QCOMPARE(
            control(QStringLiteral("/delivery"), QJsonObject { { QStringLiteral("mode"), QStringLiteral("stale") } })
                .status,
            200);
        const QString id = createdId();
        QCOMPARE(control(QStringLiteral("/sessions/%1/complete").arg(id)).status, 200);
        QVERIFY(waitForWebhooks(1));
        qint64 t = 0;
        QVERIFY(verifies(m_received.first(), kSecret, &t)); // correctly signed …
        QVERIFY(QDateTime::currentSecsSinceEpoch() - t > 300); // … but too old

        QCOMPARE(control(QStringLiteral("/delivery"),
                     QJsonObject { { QStringLiteral("mode"), QStringLiteral("wrong_secret") } })
                     .status,
            200);
        QCOMPARE(call("POST", QStringLiteral("/v1/checkout/sessions/%1/expire").arg(createdId())).status, 200);
        QVERIFY(waitForWebhooks(2));
        QVERIFY(!verifies(m_received.at(1), kSecret, &t));
        QVERIFY(qAbs(QDateTime::currentSecsSinceEpoch() - t) <= 300);

        QCOMPARE(
            control(QStringLiteral("/delivery"), QJsonObject { { QStringLiteral("mode"), QStringLiteral("bogus") } })
                .status,
            400);
    }

    void holdReleasesNewestFirst()
    {
        QCOMPARE(
            control(QStringLiteral("/delivery"), QJsonObject { { QStringLiteral("mode"), QStringLiteral("hold") } })
                .status,
            200);
        const QString id = createdId();
        QCOMPARE(control(QStringLiteral("/sessions/%1/complete").arg(id),
                     QJsonObject { { QStringLiteral("payment_status"), QStringLiteral("unpaid") } })
                     .status,
            200);
        QCOMPARE(control(QStringLiteral("/sessions/%1/async_payment_succeeded").arg(id)).status, 200);
        QTest::qWait(100);
        QCOMPARE(m_received.size(), 0);
        const Answer released = control(QStringLiteral("/release"));
        QCOMPARE(released.json().value(QLatin1String("released")).toInt(), 2);
        QVERIFY(waitForWebhooks(2));
        QCOMPARE(receivedTypes(),
            QStringList({ QStringLiteral("checkout.session.async_payment_succeeded"),
                QStringLiteral("checkout.session.completed") }));
        // Holding stopped with the release.
        QCOMPARE(call("POST", QStringLiteral("/v1/checkout/sessions/%1/expire").arg(createdId())).status, 200);
        QVERIFY(waitForWebhooks(3));
    }

    void failedDeliveriesAreRetried()
    {
        m_receiverStatuses = { 500, 503 };
        const QString id = createdId();
        QCOMPARE(control(QStringLiteral("/sessions/%1/complete").arg(id)).status, 200);
        QVERIFY(waitForWebhooks(3));
        QCOMPARE(m_received.at(2).body, m_received.at(0).body);
        QVERIFY(QTest::qWaitFor([this] { return m_server->stripeWebhooks().deliveries().size() == 3; }, 5000));
        const auto &deliveries = m_server->stripeWebhooks().deliveries();
        QCOMPARE(deliveries.at(0).status, 500);
        QCOMPARE(deliveries.at(1).status, 503);
        QCOMPARE(deliveries.at(2).status, 200);
        QCOMPARE(deliveries.at(2).attempt, 3);

        // An unreachable endpoint is recorded with status 0 and retried, without blocking the API.
        m_server->setStripeWebhook(QUrl(QStringLiteral("http://127.0.0.1:1/nowhere")), kSecret);
        QCOMPARE(call("POST", QStringLiteral("/v1/checkout/sessions/%1/expire").arg(createdId())).status, 200);
        QVERIFY(QTest::qWaitFor([this] { return m_server->stripeWebhooks().deliveries().size() == 6; }, 10000));
        QCOMPARE(m_server->stripeWebhooks().deliveries().at(5).status, 0);
        QVERIFY(!m_server->stripeWebhooks().deliveries().at(5).error.isEmpty());
    }

    void eventsListedAndResent()
    {
        const QString id = createdId();
        QCOMPARE(control(QStringLiteral("/sessions/%1/complete").arg(id)).status, 200);
        QVERIFY(waitForWebhooks(1));
        const QJsonArray events
            = call("GET", QStringLiteral("/_sandbox/stripe/events")).json().value(QLatin1String("events")).toArray();
        QCOMPARE(events.size(), 1);
        const QJsonObject listed = events.at(0).toObject();
        QCOMPARE(listed.value(QLatin1String("body")).toString().toUtf8(), m_received.first().body);
        const QString eventId = listed.value(QLatin1String("id")).toString();
        QCOMPARE(control(QStringLiteral("/events/%1/resend").arg(eventId)).status, 200);
        QVERIFY(waitForWebhooks(2));
        QCOMPARE(m_received.at(1).body, m_received.at(0).body);
        QCOMPARE(control(QStringLiteral("/events/evt_nope/resend")).status, 404);
    }

    void webhookControlRoute()
    {
        Answer answer = control(QStringLiteral("/webhook"),
            QJsonObject { { QStringLiteral("url"), QStringLiteral("http://127.0.0.1:%1/webhook").arg(m_receiverPort) },
                { QStringLiteral("secret"), QStringLiteral("whsec_from_control") } });
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.json().value(QLatin1String("endpoints")).toArray().size(), 1);
        QVERIFY(!answer.body.contains("whsec_from_control"));
        const QString id = createdId();
        QCOMPARE(control(QStringLiteral("/sessions/%1/complete").arg(id)).status, 200);
        QVERIFY(waitForWebhooks(1));
        QVERIFY(verifies(m_received.first(), "whsec_from_control"));
        QCOMPARE(
            control(QStringLiteral("/webhook"), QJsonObject { { QStringLiteral("url"), QStringLiteral("ftp://x") } })
                .status,
            400);
        QCOMPARE(call("DELETE", QStringLiteral("/_sandbox/stripe/webhook"))
                     .json()
                     .value(QLatin1String("endpoints"))
                     .toArray()
                     .size(),
            0);
    }

    void requestsAreRecorded()
    {
        const QString id = createdId();
        (void)call("GET", QStringLiteral("/c/pay/") + id, {}, {}, QByteArray());
        QCOMPARE(m_server->stripe().count("POST", QStringLiteral("/v1/checkout/sessions")), 1);
        QCOMPARE(m_server->stripe().count("GET", QStringLiteral("/c/pay/")), 1);
        const QJsonArray list
            = call("GET", QStringLiteral("/_sandbox/requests")).json().value(QLatin1String("requests")).toArray();
        int stripe = 0;
        for (const QJsonValue &v : list) {
            if (v.toObject().value(QLatin1String("api")).toString() == QLatin1String("stripe"))
                ++stripe;
        }
        QCOMPARE(stripe, 2);
    }

    void faultPlanKnowsStripe()
    {
        QString error;
        QVERIFY(FaultPlan::parseSpec(QStringLiteral("stripe:rate-limit-no-hint,count=2"), &error));
        QVERIFY(!FaultPlan::parseSpec(QStringLiteral("stripe:thoughts"), &error));
        // A fault for any API that Stripe does not implement is left for the API that does.
        FaultPlan plan;
        plan.push(Fault { QString(), QStringLiteral("thoughts"), 1, {} });
        QVERIFY(!plan.take(QStringLiteral("stripe")));
        QVERIFY(plan.take(QStringLiteral("gemini")));
        plan.push(Fault { QString(), QStringLiteral("server-error"), 1, {} });
        QVERIFY(plan.take(QStringLiteral("stripe")));
    }

    void maskKey_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("masked");
        QTest::newRow("test key") << QStringLiteral("sk_test_abcdefgh12345678")
                                  << QStringLiteral("sk_test_************5678");
        QTest::newRow("short") << QStringLiteral("sk_test_abc") << QStringLiteral("sk_test_***");
        QTest::newRow("no prefix") << QStringLiteral("plainsecretvalue") << QStringLiteral("************alue");
    }

    void maskKey()
    {
        QFETCH(QString, key);
        QFETCH(QString, masked);
        QCOMPARE(StripeFake::maskKey(key), masked);
    }
};

QTEST_GUILESS_MAIN(TestStripeFake)
#include "tst_stripefake.moc"
