// StripeClient at the wire level against a small Stripe stand-in served by QHttpServer in this process
// (127.0.0.1, OS-chosen port). The stand-in records every raw request and answers from a script.
// Every call runs on a QtConcurrent worker thread, as in the server, while the main thread serves.
#include "core/companion/stripeclient.h"

#include <QCoreApplication>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>
#include <QPointer>
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

/// Why a result failed, for QVERIFY2 messages (which are evaluated even when the check passes).
template<typename T>
QByteArray why(const Result<T> &result)
{
    return result.ok() ? QByteArray() : result.error().toString().toUtf8();
}

const QString kKey = QStringLiteral("sk_test_51NzQ3xSecretKeyDoNotLog0123456789abcdef");

struct Recorded {
    QByteArray method;
    QString path;
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
        for (const auto &pair : headers) {
            if (pair.first.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
};

struct Scripted {
    int status = 200;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray contentType = "application/json";
    bool drop = false; ///< close the connection without an answer
    bool hang = false; ///< never answer
};

QJsonObject sessionJson(
    const QString &id = QStringLiteral("cs_test_a1"), const QString &status = QStringLiteral("open"))
{
    return QJsonObject { { QStringLiteral("id"), id }, { QStringLiteral("object"), QStringLiteral("checkout.session") },
        { QStringLiteral("status"), status }, { QStringLiteral("payment_status"), QStringLiteral("unpaid") },
        { QStringLiteral("currency"), QStringLiteral("usd") }, { QStringLiteral("amount_total"), 3698 },
        { QStringLiteral("amount_subtotal"), 2999 },
        { QStringLiteral("total_details"), QJsonObject { { QStringLiteral("amount_shipping"), 699 } } },
        { QStringLiteral("created"), 1735689600 }, { QStringLiteral("expires_at"), 1735776000 },
        { QStringLiteral("client_reference_id"), QStringLiteral("ord_1") },
        { QStringLiteral("metadata"), QJsonObject { { QStringLiteral("order_id"), QStringLiteral("ord_1") } } },
        { QStringLiteral("payment_intent"), QJsonValue::Null },
        { QStringLiteral("url"), QString(QStringLiteral("https://checkout.stripe.com/c/pay/") + id) } };
}

QPair<QByteArray, QByteArray> header(const char *name, const char *value)
{
    return { QByteArray(name), QByteArray(value) };
}

Scripted ok(const QJsonObject &json)
{
    Scripted s;
    s.body = QJsonDocument(json).toJson(QJsonDocument::Compact);
    s.headers = { { "Request-Id", "req_ok" } };
    return s;
}

Scripted stripeError(
    int status, const QString &type, const QString &code = {}, const QString &message = {}, const QString &param = {})
{
    QJsonObject error { { QStringLiteral("type"), type } };
    if (!code.isEmpty())
        error.insert(QStringLiteral("code"), code);
    if (!message.isEmpty())
        error.insert(QStringLiteral("message"), message);
    if (!param.isEmpty())
        error.insert(QStringLiteral("param"), param);
    Scripted s;
    s.status = status;
    s.body = QJsonDocument(QJsonObject { { QStringLiteral("error"), error } }).toJson(QJsonDocument::Compact);
    s.headers = { { "Request-Id", "req_err" + QByteArray::number(status) } };
    return s;
}

/// The Stripe stand-in. Lives on the main thread; its handlers record and answer from the script (then 200 with
/// a session).
class FakeStripe {
public:
    FakeStripe()
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
    void clear()
    {
        m_script.clear();
        m_requests.clear();
        m_hanging.clear();
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
        default:
            recorded.method = "OTHER";
        }
        recorded.path = request.url().path();
        if (request.url().hasQuery())
            recorded.path += QLatin1Char('?') + request.url().query();
        recorded.headers = request.headers();
        recorded.body = request.body();
        m_requests.append(recorded);

        Scripted answer = m_script.isEmpty() ? defaultAnswer(recorded) : m_script.takeFirst();
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

    static Scripted defaultAnswer(const Recorded &request)
    {
        if (request.path == QLatin1String("/v1/refunds")) {
            return ok(QJsonObject { { QStringLiteral("id"), QStringLiteral("re_1") },
                { QStringLiteral("object"), QStringLiteral("refund") },
                { QStringLiteral("status"), QStringLiteral("succeeded") } });
        }
        if (request.path.endsWith(QLatin1String("/expire")))
            return ok(sessionJson(request.path.section(QLatin1Char('/'), 4, 4), QStringLiteral("expired")));
        if (request.path.startsWith(QLatin1String("/v1/checkout/sessions/")))
            return ok(sessionJson(request.path.section(QLatin1Char('/'), 4, 4)));
        return ok(sessionJson());
    }

    QHttpServer m_http;
    quint16 m_port = 0;
    QList<Scripted> m_script;
    QList<Recorded> m_requests;
    QList<std::shared_ptr<QHttpServerResponder>> m_hanging;
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
    return std::move(*future.result());
}

/// Captures log output (all categories) so tests can check that no secret is logged.
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
    return all.contains(kKey) || all.contains(kKey.mid(8)) || all.contains(QStringLiteral("Bearer"));
}

} // namespace

Q_DECLARE_METATYPE(Scripted)

class TestStripeClient : public QObject {
    Q_OBJECT

private:
    StripeClient::Options options()
    {
        StripeClient::Options o;
        o.apiBase = m_fake->base();
        o.secretKey = kKey;
        o.apiVersion = QStringLiteral("2026-03-25.dahlia");
        o.timeout = 10s;
        o.maxAttempts = 3;
        o.initialBackoff = 100ms;
        o.version = QStringLiteral("1.2.3");
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

    StripeForm sampleForm() const
    {
        StripeForm form;
        form.add(QStringLiteral("mode"), QStringLiteral("payment"))
            .add(QStringLiteral("line_items[0][price_data][currency]"), QStringLiteral("usd"))
            .add(QStringLiteral("line_items[0][price_data][product_data][name]"), QStringLiteral("Wall Calendar 2027"))
            .add(QStringLiteral("line_items[0][price_data][unit_amount]"), qint64(2999))
            .add(QStringLiteral("line_items[0][quantity]"), 1)
            .add(QStringLiteral("success_url"),
                QStringLiteral("https://shop.example/checkout/return?session_id={CHECKOUT_SESSION_ID}"))
            .add(QStringLiteral("metadata[order_id]"), QStringLiteral("ord_1"));
        return form;
    }

    std::unique_ptr<FakeStripe> m_fake;
    QMutex m_sleepMutex;
    QList<std::chrono::milliseconds> m_sleeps;

private Q_SLOTS:
    void initTestCase()
    {
        m_fake = std::make_unique<FakeStripe>();
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
            QVERIFY2(!line.contains(kKey) && !line.contains(kKey.mid(8)), qPrintable(line));
            QVERIFY2(!line.contains(QStringLiteral("Bearer")), qPrintable(line));
        }
    }

    void init()
    {
        m_fake->clear();
        QMutexLocker locker(&m_sleepMutex);
        m_sleeps.clear();
    }

    void createWire()
    {
        StripeClient client(options());
        const StripeForm form = sampleForm();
        const auto session
            = offThread([&] { return client.createCheckoutSession(form, QStringLiteral("checkout:ord_1:1")); });
        QVERIFY2(session.ok(), why(session).constData());

        const QList<Recorded> requests = m_fake->requests();
        QCOMPARE(requests.size(), 1);
        const Recorded &r = requests.first();
        QCOMPARE(r.method, QByteArray("POST"));
        QCOMPARE(r.path, QStringLiteral("/v1/checkout/sessions"));
        QCOMPARE(r.header("Authorization"), QByteArray("Bearer " + kKey.toUtf8()));
        QCOMPARE(r.header("Stripe-Version"), QByteArray("2026-03-25.dahlia"));
        QCOMPARE(r.header("Content-Type"), QByteArray("application/x-www-form-urlencoded"));
        QCOMPARE(r.header("Idempotency-Key"), QByteArray("checkout:ord_1:1"));
        QCOMPARE(r.header("User-Agent"), QByteArray("calstudio-companion/1.2.3"));
        QCOMPARE(r.body, form.encoded());
        QVERIFY(r.body.contains(
            "success_url=https%3A%2F%2Fshop.example%2Fcheckout%2Freturn%3Fsession_id%3D%7BCHECKOUT_SESSION_ID%7D"));
        QCOMPARE(r.header("Content-Length"), QByteArray::number(form.encoded().size()));

        QCOMPARE(session->id, QStringLiteral("cs_test_a1"));
        QCOMPARE(session->status, QStringLiteral("open"));
        QCOMPARE(session->paymentStatus, QStringLiteral("unpaid"));
        QCOMPARE(session->currency, QStringLiteral("usd"));
        QCOMPARE(session->url, QStringLiteral("https://checkout.stripe.com/c/pay/cs_test_a1"));
        QCOMPARE(session->clientReferenceId, QStringLiteral("ord_1"));
        QCOMPARE(session->amountTotal, Q_INT64_C(3698));
        QCOMPARE(session->amountSubtotal, Q_INT64_C(2999));
        QCOMPARE(session->amountShipping, Q_INT64_C(699));
        QCOMPARE(session->created, Q_INT64_C(1735689600));
        QCOMPARE(session->expiresAt, Q_INT64_C(1735776000));
        QVERIFY(session->paymentIntent.isEmpty());
        QCOMPARE(session->metadata.value(QStringLiteral("order_id")).toString(), QStringLiteral("ord_1"));
        QCOMPARE(session->raw.value(QStringLiteral("object")).toString(), QStringLiteral("checkout.session"));
        QVERIFY(sleeps().isEmpty());
    }

    void retrieveWire()
    {
        StripeClient client(options());
        const auto session = offThread([&] { return client.retrieveCheckoutSession(QStringLiteral("cs_test_b2")); });
        QVERIFY2(session.ok(), why(session).constData());
        QCOMPARE(session->id, QStringLiteral("cs_test_b2"));
        const QList<Recorded> requests = m_fake->requests();
        QCOMPARE(requests.size(), 1);
        QCOMPARE(requests[0].method, QByteArray("GET"));
        QCOMPARE(requests[0].path, QStringLiteral("/v1/checkout/sessions/cs_test_b2"));
        QCOMPARE(requests[0].header("Authorization"), QByteArray("Bearer " + kKey.toUtf8()));
        QCOMPARE(requests[0].header("Stripe-Version"), QByteArray("2026-03-25.dahlia"));
        QCOMPARE(requests[0].header("User-Agent"), QByteArray("calstudio-companion/1.2.3"));
        QVERIFY(!requests[0].hasHeader("Idempotency-Key"));
        QVERIFY(!requests[0].hasHeader("Content-Type"));
        QVERIFY(requests[0].body.isEmpty());
    }

    void expireWire()
    {
        StripeClient client(options());
        const auto session = offThread(
            [&] { return client.expireCheckoutSession(QStringLiteral("cs_test_c3"), QStringLiteral("cancel:ord_1")); });
        QVERIFY2(session.ok(), why(session).constData());
        QCOMPARE(session->status, QStringLiteral("expired"));
        const QList<Recorded> requests = m_fake->requests();
        QCOMPARE(requests.size(), 1);
        QCOMPARE(requests[0].method, QByteArray("POST"));
        QCOMPARE(requests[0].path, QStringLiteral("/v1/checkout/sessions/cs_test_c3/expire"));
        QCOMPARE(requests[0].header("Idempotency-Key"), QByteArray("cancel:ord_1"));
        QCOMPARE(requests[0].header("Content-Type"), QByteArray("application/x-www-form-urlencoded"));
        QVERIFY(requests[0].body.isEmpty());
    }

    void refundWire()
    {
        StripeClient client(options());
        auto refund = offThread([&] {
            return client.createRefund(QStringLiteral("pi_3Qabc"), QStringLiteral("refund:ord_1"), qint64(500));
        });
        QVERIFY2(refund.ok(), why(refund).constData());
        QCOMPARE(refund->value(QStringLiteral("id")).toString(), QStringLiteral("re_1"));
        auto full = offThread(
            [&] { return client.createRefund(QStringLiteral("pi_3Qabc"), QStringLiteral("refund:ord_2")); });
        QVERIFY(full.ok());
        const QList<Recorded> requests = m_fake->requests();
        QCOMPARE(requests.size(), 2);
        QCOMPARE(requests[0].path, QStringLiteral("/v1/refunds"));
        QCOMPARE(requests[0].body, QByteArray("payment_intent=pi_3Qabc&amount=500"));
        QCOMPARE(requests[0].header("Idempotency-Key"), QByteArray("refund:ord_1"));
        QCOMPARE(requests[1].body, QByteArray("payment_intent=pi_3Qabc"));
    }

    // A POST without a caller's key still carries one, and the same one on every retry.
    void generatedIdempotencyKey()
    {
        m_fake->script({ stripeError(500, QStringLiteral("api_error")) });
        StripeClient client(options());
        const auto session = offThread([&] { return client.createCheckoutSession(sampleForm(), QString()); });
        QVERIFY(session.ok());
        const QList<Recorded> requests = m_fake->requests();
        QCOMPARE(requests.size(), 2);
        QVERIFY(requests[0].header("Idempotency-Key").size() >= 32);
        QCOMPARE(requests[1].header("Idempotency-Key"), requests[0].header("Idempotency-Key"));
    }

    void retryAfter500SameKey()
    {
        m_fake->script(
            { stripeError(500, QStringLiteral("api_error"), {}, QStringLiteral("An unknown error occurred")) });
        StripeClient client(options());
        const auto session
            = offThread([&] { return client.createCheckoutSession(sampleForm(), QStringLiteral("checkout:ord_9:1")); });
        QVERIFY2(session.ok(), why(session).constData());
        const QList<Recorded> requests = m_fake->requests();
        QCOMPARE(requests.size(), 2);
        for (const Recorded &r : requests) {
            QCOMPARE(r.header("Idempotency-Key"), QByteArray("checkout:ord_9:1"));
            QCOMPARE(r.body, sampleForm().encoded());
        }
        // First pause: initialBackoff × [0.5, 1].
        const auto pauses = sleeps();
        QCOMPARE(pauses.size(), 1);
        QVERIFY2(pauses[0] >= 50ms && pauses[0] <= 100ms, qPrintable(QString::number(pauses[0].count())));
    }

    void retryAfter429HonoursRetryAfter()
    {
        Scripted limited = stripeError(429, QStringLiteral("invalid_request_error"), QStringLiteral("rate_limit"));
        limited.headers.append(header("Retry-After", "2"));
        m_fake->script({ limited });
        StripeClient client(options());
        const auto session
            = offThread([&] { return client.createCheckoutSession(sampleForm(), QStringLiteral("k429")); });
        QVERIFY2(session.ok(), why(session).constData());
        const QList<Recorded> requests = m_fake->requests();
        QCOMPARE(requests.size(), 2);
        QCOMPARE(requests[1].header("Idempotency-Key"), QByteArray("k429"));
        const auto pauses = sleeps();
        QCOMPARE(pauses.size(), 1);
        QVERIFY2(pauses[0] >= 2000ms, qPrintable(QString::number(pauses[0].count()))); // not the 100 ms backoff
    }

    // Without the test hook the pause is really waited (a short Retry-After keeps the test quick).
    void realPause()
    {
        Scripted limited = stripeError(429, QStringLiteral("invalid_request_error"), QStringLiteral("rate_limit"));
        limited.headers.append(header("Retry-After", "0.05"));
        m_fake->script({ limited });
        StripeClient::Options o = options();
        o.sleep = nullptr;
        StripeClient client(o);
        const auto session = offThread([&] { return client.retrieveCheckoutSession(QStringLiteral("cs_test_p")); });
        QVERIFY2(session.ok(), why(session).constData());
        QCOMPARE(m_fake->requests().size(), 2);
    }

    void retryAfter409InUse()
    {
        m_fake->script({ stripeError(409, QStringLiteral("idempotency_error"), QStringLiteral("idempotency_key_in_use"),
            QStringLiteral("There is currently another in-progress request using this key")) });
        StripeClient client(options());
        const auto session
            = offThread([&] { return client.createCheckoutSession(sampleForm(), QStringLiteral("k409")); });
        QVERIFY2(session.ok(), why(session).constData());
        const QList<Recorded> requests = m_fake->requests();
        QCOMPARE(requests.size(), 2);
        QCOMPARE(requests[0].header("Idempotency-Key"), QByteArray("k409"));
        QCOMPARE(requests[1].header("Idempotency-Key"), QByteArray("k409"));
    }

    void getIsRetriedToo()
    {
        m_fake->script(
            { stripeError(503, QStringLiteral("api_error")), stripeError(502, QStringLiteral("api_error")) });
        StripeClient client(options());
        const auto session = offThread([&] { return client.retrieveCheckoutSession(QStringLiteral("cs_test_g")); });
        QVERIFY2(session.ok(), why(session).constData());
        QCOMPARE(m_fake->requests().size(), 3);
    }

    void givesUpAfterMaxAttempts()
    {
        const Scripted failure = stripeError(500, QStringLiteral("api_error"));
        m_fake->script({ failure, failure, failure, failure });
        StripeClient client(options());
        const auto session
            = offThread([&] { return client.createCheckoutSession(sampleForm(), QStringLiteral("k500")); });
        QVERIFY(!session.ok());
        QCOMPARE(session.error().code, QStringLiteral("stripe_server_error"));
        QCOMPARE(m_fake->requests().size(), 3);
        for (const Recorded &r : m_fake->requests())
            QCOMPARE(r.header("Idempotency-Key"), QByteArray("k500"));
        // Exponential: initialBackoff × 2^(n−1), jittered into [½, 1].
        const auto pauses = sleeps();
        QCOMPARE(pauses.size(), 2);
        QVERIFY(pauses[0] >= 50ms && pauses[0] <= 100ms);
        QVERIFY(pauses[1] >= 100ms && pauses[1] <= 200ms);
    }

    void retryAfterLongerThanMaxBackoffStops()
    {
        Scripted limited = stripeError(429, QStringLiteral("invalid_request_error"), QStringLiteral("rate_limit"));
        limited.headers.append(header("Retry-After", "3600"));
        m_fake->script({ limited, limited, limited });
        StripeClient client(options());
        const auto session = offThread([&] { return client.createCheckoutSession(sampleForm(), QStringLiteral("k")); });
        QVERIFY(!session.ok());
        QCOMPARE(session.error().code, QStringLiteral("stripe_rate_limited"));
        QCOMPARE(m_fake->requests().size(), 1);
        QVERIFY(sleeps().isEmpty());
    }

    void stripeShouldRetryFalse()
    {
        Scripted failure = stripeError(500, QStringLiteral("api_error"));
        failure.headers.append(header("Stripe-Should-Retry", "false"));
        m_fake->script({ failure, failure, failure });
        StripeClient client(options());
        const auto session = offThread([&] { return client.createCheckoutSession(sampleForm(), QStringLiteral("k")); });
        QVERIFY(!session.ok());
        QCOMPARE(session.error().code, QStringLiteral("stripe_server_error"));
        QCOMPARE(m_fake->requests().size(), 1);
    }

    void noRetryOn400()
    {
        m_fake->script({ stripeError(400, QStringLiteral("invalid_request_error"), QStringLiteral("parameter_missing"),
            QStringLiteral("Missing required param: line_items[0][price_data][currency]."),
            QStringLiteral("line_items[0][price_data][currency]")) });
        StripeClient client(options());
        const auto session
            = offThread([&] { return client.createCheckoutSession(sampleForm(), QStringLiteral("k400")); });
        QVERIFY(!session.ok());
        QCOMPARE(m_fake->requests().size(), 1);
        QVERIFY(sleeps().isEmpty());
        const Error &error = session.error();
        QCOMPARE(error.code, QStringLiteral("stripe_invalid_request"));
        QVERIFY2(error.detail.contains(QStringLiteral("type=invalid_request_error")), qPrintable(error.detail));
        QVERIFY(error.detail.contains(QStringLiteral("code=parameter_missing")));
        QVERIFY(error.detail.contains(QStringLiteral("param=line_items[0][price_data][currency]")));
        QVERIFY(error.detail.contains(QStringLiteral("Missing required param")));
        QVERIFY(error.detail.contains(QStringLiteral("request_id=req_err400")));
        QVERIFY(error.detail.contains(QStringLiteral("HTTP 400")));
        QVERIFY(!error.userMessage.isEmpty());
    }

    void errorMapping_data()
    {
        QTest::addColumn<QList<Scripted>>("answers");
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("requests");
        const auto times = [](const Scripted &s, int n) { return QList<Scripted>(n, s); };
        // Stripe's 401 carries a Basic challenge; QNetworkAccessManager must still hand over the answer.
        Scripted unauthorized = stripeError(401, QStringLiteral("invalid_request_error"), {},
            QStringLiteral("Invalid API Key provided: sk_test_****cdef"));
        unauthorized.headers.append(header("WWW-Authenticate", "Basic realm=\"Stripe\""));
        QTest::newRow("401") << QList<Scripted> { unauthorized } << QStringLiteral("stripe_auth") << 1;
        QTest::newRow("403") << QList<Scripted> { stripeError(403, QStringLiteral("invalid_request_error")) }
                             << QStringLiteral("stripe_auth") << 1;
        QTest::newRow("404") << QList<Scripted> { stripeError(404, QStringLiteral("invalid_request_error"),
            QStringLiteral("resource_missing"), QStringLiteral("No such checkout.session: 'cs_x'")) }
                             << QStringLiteral("stripe_not_found") << 1;
        QTest::newRow("400 idempotency_error")
            << QList<Scripted> { stripeError(400, QStringLiteral("idempotency_error"), {},
                   QStringLiteral("Keys for idempotent requests can only be used with the "
                                  "same parameters they were first used with.")) }
            << QStringLiteral("stripe_idempotency") << 1;
        QTest::newRow("409 in use, 3 times")
            << times(stripeError(409, QStringLiteral("idempotency_error"), QStringLiteral("idempotency_key_in_use")), 3)
            << QStringLiteral("stripe_idempotency") << 3;
        QTest::newRow("409 other") << QList<Scripted> { stripeError(
            409, QStringLiteral("invalid_request_error"), QStringLiteral("resource_conflict")) }
                                   << QStringLiteral("stripe_invalid_request") << 1;
        QTest::newRow("402") << QList<Scripted> { stripeError(
            402, QStringLiteral("card_error"), QStringLiteral("card_declined")) }
                             << QStringLiteral("stripe_invalid_request") << 1;
        QTest::newRow("429, 3 times") << times(
            stripeError(429, QStringLiteral("invalid_request_error"), QStringLiteral("rate_limit")), 3)
                                      << QStringLiteral("stripe_rate_limited") << 3;
        Scripted html;
        html.status = 502;
        html.contentType = "text/html";
        html.body = "<html><body><h1>502 Bad Gateway</h1></body></html>";
        QTest::newRow("502 html, 3 times") << times(html, 3) << QStringLiteral("stripe_server_error") << 3;
        Scripted notJson;
        notJson.body = "<html>hello</html>";
        notJson.contentType = "text/html";
        QTest::newRow("200 not json") << QList<Scripted> { notJson } << QStringLiteral("stripe_bad_response") << 1;
        QTest::newRow("200 wrong object")
            << QList<Scripted> { ok(QJsonObject { { QStringLiteral("id"), QStringLiteral("pi_1") },
                   { QStringLiteral("object"), QStringLiteral("payment_intent") } }) }
            << QStringLiteral("stripe_bad_response") << 1;
        QTest::newRow("200 no id") << QList<Scripted> { ok(
            QJsonObject { { QStringLiteral("object"), QStringLiteral("checkout.session") } }) }
                                   << QStringLiteral("stripe_bad_response") << 1;
        Scripted redirect;
        redirect.status = 302;
        redirect.headers = { { "Location", "http://127.0.0.1:1/elsewhere" } };
        QTest::newRow("302 not followed") << QList<Scripted> { redirect } << QStringLiteral("stripe_bad_response") << 1;
    }

    void errorMapping()
    {
        QFETCH(QList<Scripted>, answers);
        QFETCH(QString, code);
        QFETCH(int, requests);
        m_fake->script(answers);
        StripeClient client(options());
        const auto session
            = offThread([&] { return client.createCheckoutSession(sampleForm(), QStringLiteral("kmap")); });
        QVERIFY(!session.ok());
        QCOMPARE(session.error().code, code);
        QVERIFY(!session.error().userMessage.isEmpty());
        QVERIFY(!mentionsSecret(session.error()));
        QCOMPARE(m_fake->requests().size(), requests);
    }

    void timeout()
    {
        Scripted hang;
        hang.hang = true;
        m_fake->script({ hang, hang });
        StripeClient::Options o = options();
        o.timeout = 300ms;
        o.maxAttempts = 2;
        StripeClient client(o);
        const auto session = offThread([&] { return client.retrieveCheckoutSession(QStringLiteral("cs_test_t")); });
        QVERIFY(!session.ok());
        QCOMPARE(session.error().code, QStringLiteral("stripe_unreachable"));
        QVERIFY2(session.error().detail.contains(QStringLiteral("no answer within 300 ms")),
            qPrintable(session.error().detail));
        QCOMPARE(m_fake->requests().size(), 2);
        QCOMPARE(sleeps().size(), 1);
    }

    void droppedConnection()
    {
        Scripted drop;
        drop.drop = true;
        m_fake->script(QList<Scripted>(20, drop));
        StripeClient client(options());
        const auto session
            = offThread([&] { return client.createCheckoutSession(sampleForm(), QStringLiteral("kdrop")); });
        QVERIFY(!session.ok());
        QCOMPARE(session.error().code, QStringLiteral("stripe_unreachable"));
        QVERIFY(!mentionsSecret(session.error()));
        // Three tries (QNetworkAccessManager may itself re-send a request whose connection closed unanswered),
        // every one with the same key.
        QCOMPARE(sleeps().size(), 2);
        QVERIFY(m_fake->requests().size() >= 3);
        for (const Recorded &r : m_fake->requests())
            QCOMPARE(r.header("Idempotency-Key"), QByteArray("kdrop"));
    }

    void droppedThenAnswered()
    {
        Scripted drop;
        drop.drop = true;
        m_fake->script({ drop }); // then answered: by QNAM's own re-send or by the client's retry
        StripeClient client(options());
        const auto session
            = offThread([&] { return client.createCheckoutSession(sampleForm(), QStringLiteral("kd2")); });
        QVERIFY2(session.ok(), why(session).constData());
        for (const Recorded &r : m_fake->requests())
            QCOMPARE(r.header("Idempotency-Key"), QByteArray("kd2"));
    }

    void connectionRefused()
    {
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            closedPort = probe.serverPort();
        }
        StripeClient::Options o = options();
        o.apiBase = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closedPort));
        StripeClient client(o);
        const auto session = offThread([&] { return client.retrieveCheckoutSession(QStringLiteral("cs_test_r")); });
        QVERIFY(!session.ok());
        QCOMPARE(session.error().code, QStringLiteral("stripe_unreachable"));
        QCOMPARE(sleeps().size(), 2);
    }

    // The secret never appears in an Error, even when the server echoes it back unmasked.
    void secretAbsentFromErrors()
    {
        m_fake->script({ stripeError(401, QStringLiteral("invalid_request_error"), {},
                             QStringLiteral("Invalid API Key provided: ") + kKey),
            stripeError(400, QStringLiteral("invalid_request_error"), QStringLiteral("parameter_invalid"),
                QStringLiteral("Your key ") + kKey + QStringLiteral(" and sk_live_abcdefghijklmnop1234 are odd")) });
        StripeClient client(options());
        const auto first = offThread([&] { return client.createCheckoutSession(sampleForm(), QStringLiteral("ks1")); });
        QVERIFY(!first.ok());
        QCOMPARE(first.error().code, QStringLiteral("stripe_auth"));
        QVERIFY2(!mentionsSecret(first.error()), why(first).constData());
        QVERIFY2(first.error().detail.contains(QStringLiteral("Invalid API Key provided")),
            qPrintable(first.error().detail));
        const auto second = offThread([&] { return client.retrieveCheckoutSession(QStringLiteral("cs_x")); });
        QVERIFY(!second.ok());
        QVERIFY2(!mentionsSecret(second.error()), why(second).constData());
        QVERIFY(!second.error().detail.contains(QStringLiteral("abcdefghijklmnop")));

        QCOMPARE(StripeClient::redact(QStringLiteral("key ") + kKey + QStringLiteral(" end"), kKey),
            QStringLiteral("key ***cdef end"));
        QCOMPARE(StripeClient::redact(QStringLiteral("rk_live_abcdefghijklmnopqrstuvwx"), QString()),
            QStringLiteral("rk_live_****uvwx"));
        QCOMPARE(StripeClient::redact(QStringLiteral("no key here: sk_test_****cdef"), QString()),
            QStringLiteral("no key here: sk_test_****cdef"));
    }

    void noSecretKeyConfigured()
    {
        StripeClient::Options o = options();
        o.secretKey.clear();
        StripeClient client(o);
        const auto session = offThread([&] { return client.retrieveCheckoutSession(QStringLiteral("cs_test_n")); });
        QVERIFY(!session.ok());
        QCOMPARE(session.error().code, QStringLiteral("stripe_auth"));
        QVERIFY(m_fake->requests().isEmpty());
    }

    void invalidIdsNeverReachTheWire()
    {
        StripeClient client(options());
        for (const QString &id : { QStringLiteral("../v1/refunds"), QStringLiteral("cs test"), QString(),
                 QStringLiteral("cs_1?expand[]=x") }) {
            const auto retrieved = offThread([&] { return client.retrieveCheckoutSession(id); });
            QVERIFY(!retrieved.ok());
            QCOMPARE(retrieved.error().code, QStringLiteral("stripe_invalid_request"));
            const auto expired = offThread([&] { return client.expireCheckoutSession(id, QStringLiteral("k")); });
            QVERIFY(!expired.ok());
            const auto refund = offThread([&] { return client.createRefund(id, QStringLiteral("k")); });
            QVERIFY(!refund.ok());
        }
        QVERIFY(m_fake->requests().isEmpty());
    }

    void apiBaseForms()
    {
        for (const QString &suffix :
            { QStringLiteral(""), QStringLiteral("/"), QStringLiteral("/v1"), QStringLiteral("/v1/") }) {
            m_fake->clear();
            StripeClient::Options o = options();
            o.apiBase = QUrl(m_fake->base().toString() + suffix);
            StripeClient client(o);
            const auto session
                = offThread([&] { return client.retrieveCheckoutSession(QStringLiteral("cs_test_base")); });
            QVERIFY2(session.ok(), qPrintable(suffix));
            QCOMPARE(m_fake->requests().value(0).path, QStringLiteral("/v1/checkout/sessions/cs_test_base"));
        }
        StripeClient::Options o = options();
        o.apiBase = QUrl();
        QCOMPARE(StripeClient(o).options().apiBase, QUrl(QStringLiteral("https://api.stripe.com")));
        o.version.clear();
        QVERIFY(StripeClient(o).userAgent().startsWith("calstudio-companion/"));
    }

    // Calls run on any thread: several worker threads at once, and the main thread.
    void threads()
    {
        StripeClient client(options());
        QThread *main = QThread::currentThread();
        auto futureA = QtConcurrent::run([&] {
            return std::make_pair(
                QThread::currentThread() != main, client.retrieveCheckoutSession(QStringLiteral("cs_test_ta")).ok());
        });
        auto futureB = QtConcurrent::run([&] {
            return std::make_pair(
                QThread::currentThread() != main, client.retrieveCheckoutSession(QStringLiteral("cs_test_tb")).ok());
        });
        QVERIFY(QTest::qWaitFor([&] { return futureA.isFinished() && futureB.isFinished(); }, 60000));
        QCOMPARE(futureA.result(), std::make_pair(true, true));
        QCOMPARE(futureB.result(), std::make_pair(true, true));
        // On the main thread the local event loop keeps the (same-thread) server answering.
        const auto onMain = client.retrieveCheckoutSession(QStringLiteral("cs_test_main"));
        QVERIFY2(onMain.ok(), why(onMain).constData());
        QCOMPARE(m_fake->requests().size(), 3);
    }

    void sessionFromJson()
    {
        QJsonObject json = sessionJson(QStringLiteral("cs_test_s"), QStringLiteral("complete"));
        json.insert(QStringLiteral("payment_status"), QStringLiteral("paid"));
        json.insert(QStringLiteral("payment_intent"), QStringLiteral("pi_123"));
        const QJsonObject address { { QStringLiteral("line1"), QStringLiteral("1 Main St") },
            { QStringLiteral("city"), QStringLiteral("Springfield") },
            { QStringLiteral("postal_code"), QStringLiteral("12345") },
            { QStringLiteral("country"), QStringLiteral("US") } };
        const QJsonObject newShape { { QStringLiteral("name"), QStringLiteral("Ada New") },
            { QStringLiteral("address"), address } };
        const QJsonObject oldShape { { QStringLiteral("name"), QStringLiteral("Ada Old") },
            { QStringLiteral("address"), address } };
        json.insert(QStringLiteral("customer_details"),
            QJsonObject { { QStringLiteral("email"), QStringLiteral("ada@example.com") },
                { QStringLiteral("name"), QStringLiteral("Ada") } });

        // API ≥ basil: collected_information.shipping_details.
        QJsonObject basil = json;
        basil.insert(
            QStringLiteral("collected_information"), QJsonObject { { QStringLiteral("shipping_details"), newShape } });
        auto s = StripeSession::fromJson(basil);
        QVERIFY(s.ok());
        QCOMPARE(s->shippingDetails, newShape);
        QCOMPARE(s->paymentIntent, QStringLiteral("pi_123"));
        QCOMPARE(s->paymentStatus, QStringLiteral("paid"));
        QCOMPARE(s->customerDetails.value(QStringLiteral("email")).toString(), QStringLiteral("ada@example.com"));

        // Older versions: top-level shipping_details.
        QJsonObject old = json;
        old.insert(QStringLiteral("shipping_details"), oldShape);
        s = StripeSession::fromJson(old);
        QVERIFY(s.ok());
        QCOMPARE(s->shippingDetails, oldShape);

        // acacia: both; the collected one wins. A null collected_information falls back.
        QJsonObject both = basil;
        both.insert(QStringLiteral("shipping_details"), oldShape);
        QCOMPARE(StripeSession::fromJson(both)->shippingDetails, newShape);
        QJsonObject nullCollected = old;
        nullCollected.insert(QStringLiteral("collected_information"),
            QJsonObject { { QStringLiteral("shipping_details"), QJsonValue::Null } });
        QCOMPARE(StripeSession::fromJson(nullCollected)->shippingDetails, oldShape);
        QVERIFY(StripeSession::fromJson(json)->shippingDetails.isEmpty());

        // Expanded payment_intent; shipping from shipping_cost when total_details lacks it; null url.
        QJsonObject expanded = json;
        expanded.insert(QStringLiteral("payment_intent"),
            QJsonObject { { QStringLiteral("id"), QStringLiteral("pi_exp") },
                { QStringLiteral("object"), QStringLiteral("payment_intent") } });
        expanded.remove(QStringLiteral("total_details"));
        expanded.insert(QStringLiteral("shipping_cost"), QJsonObject { { QStringLiteral("amount_total"), 1299 } });
        expanded.insert(QStringLiteral("url"), QJsonValue::Null);
        s = StripeSession::fromJson(expanded);
        QCOMPARE(s->paymentIntent, QStringLiteral("pi_exp"));
        QCOMPARE(s->amountShipping, Q_INT64_C(1299));
        QVERIFY(s->url.isEmpty());

        // Not a session.
        QCOMPARE(StripeSession::fromJson(QJsonObject {}).error().code, QStringLiteral("stripe_bad_response"));
        QJsonObject event = json;
        event.insert(QStringLiteral("object"), QStringLiteral("event"));
        QCOMPARE(StripeSession::fromJson(event).error().code, QStringLiteral("stripe_bad_response"));
    }

    // Both API shapes of the shipping address come through a real retrieve.
    void shippingDetailsOverTheWire()
    {
        QJsonObject basil = sessionJson(QStringLiteral("cs_test_ship"), QStringLiteral("complete"));
        basil.insert(QStringLiteral("collected_information"),
            QJsonObject { { QStringLiteral("shipping_details"),
                QJsonObject { { QStringLiteral("name"), QStringLiteral("New") } } } });
        QJsonObject old = sessionJson(QStringLiteral("cs_test_ship"), QStringLiteral("complete"));
        old.insert(
            QStringLiteral("shipping_details"), QJsonObject { { QStringLiteral("name"), QStringLiteral("Old") } });
        m_fake->script({ ok(basil), ok(old) });
        StripeClient client(options());
        const auto a = offThread([&] { return client.retrieveCheckoutSession(QStringLiteral("cs_test_ship")); });
        const auto b = offThread([&] { return client.retrieveCheckoutSession(QStringLiteral("cs_test_ship")); });
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->shippingDetails.value(QStringLiteral("name")).toString(), QStringLiteral("New"));
        QCOMPARE(b->shippingDetails.value(QStringLiteral("name")).toString(), QStringLiteral("Old"));
    }
};

QTEST_GUILESS_MAIN(TestStripeClient)
#include "tst_stripeclient.moc"
