// Payment end to end, in one process over real loopback sockets: the
// companion (CompanionServer) against calstudio-sandbox's Stripe fake
// (SandboxServer), which posts signed webhooks back to the companion. Proves
// that StripeClient, StripeSignature and the fake speak the same wire format,
// and that webhooks and confirm calls converge on one `paid` transition.

#include "companiontestsupport.h"

#include "app/sandbox/sandboxserver.h"
#include "core/companion/companionserver.h"
#include "core/companion/jsonlog.h"
#include "core/companion/orderstore.h"
#include "core/companion/stripeclient.h"

#include <QFutureSynchronizer>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>
#include <QThreadPool>
#include <QtConcurrent>

using namespace CalStudio;
using namespace CalStudio::CompanionTest;

class TestCompanionPayment : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SandboxServer> m_sandbox;
    std::shared_ptr<OrderStore> m_store;
    std::unique_ptr<JsonLog> m_log;
    QByteArray m_logText;
    QMutex m_logMutex;
    std::unique_ptr<CompanionServer> m_server;
    quint16 m_sandboxPort = 0;
    quint16 m_port = 0;

    CompanionApi &api() { return m_server->api(); }

    /// Runs `r` on a worker thread (as the server does) while this thread keeps both servers going.
    ApiResponse call(const ApiRequest &r)
    {
        QFuture<ApiResponse> f = QtConcurrent::run(&m_server->pool(), [this, r] { return api().handle(r); });
        while (!f.isFinished())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        return f.result();
    }

    struct Order {
        QString id;
        QString token;
    };

    /// A draft mini order with all 13 print files uploaded.
    Order readyOrder(int quantity = 1)
    {
        const ApiResponse created = call(request("POST", QStringLiteral("/v1/orders"),
            json({ { QStringLiteral("format"), QStringLiteral("mini") }, { QStringLiteral("quantity"), quantity },
                { QStringLiteral("title"), QStringLiteral("Family 2027") } })));
        if (created.status != 201)
            qFatal("order not created: %s", created.body.constData());
        Order o { created.jsonBody().value(QStringLiteral("id")).toString(),
            created.jsonBody().value(QStringLiteral("token")).toString() };
        const QByteArray file = printFile(QSize(170, 130));
        for (const QJsonValue &p : created.jsonBody().value(QStringLiteral("positions")).toArray()) {
            const ApiResponse put = call(request("PUT",
                QStringLiteral("/v1/orders/%1/files/%2").arg(o.id, p.toObject().value(QStringLiteral("id")).toString()),
                file, "image/jpeg", o.token));
            if (put.status != 201)
                qFatal("upload failed: %s", put.body.constData());
        }
        return o;
    }

    ApiResponse post(const Order &o, const QString &action)
    {
        return call(request("POST", QStringLiteral("/v1/orders/%1/%2").arg(o.id, action), {}, "application/json", o.token));
    }

    /// Checkout; returns the session id.
    QString checkout(const Order &o)
    {
        const ApiResponse r = post(o, QStringLiteral("checkout"));
        if (r.status != 200)
            qFatal("checkout failed: %s", r.body.constData());
        return QUrl(r.jsonBody().value(QStringLiteral("checkout_url")).toString()).path().section(QLatin1Char('/'), -1);
    }

    OrderRecord stored(const QString &id) { return **m_store->find(id); }

    int transitionsTo(const QString &id, const QString &status)
    {
        const auto history = m_store->history(id);
        if (!history)
            return -1;
        const QList<OrderHistoryEntry> entries = history.value();
        return int(std::count_if(entries.begin(), entries.end(),
            [&](const OrderHistoryEntry &h) { return h.to == status && h.from != status; }));
    }

    /// Waits until the fake has delivered everything queued (each delivery answered).
    bool deliveriesSettle(int expected)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 15000) {
            QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
            int answered = 0;
            for (const auto &d : m_sandbox->stripeWebhooks().deliveries())
                answered += d.status != 0 ? 1 : 0;
            if (answered >= expected) {
                m_server->pool().waitForDone(5000); // the deferred processing of the events
                m_server->pool().setExpiryTimeout(-1);
                return true;
            }
        }
        return false;
    }

    void setDelivery(const StripeWebhookSender::Mode &mode) { m_sandbox->stripeWebhooks().setMode(mode); }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_sandbox = std::make_unique<SandboxServer>();
        m_sandboxPort = m_sandbox->listen();
        QVERIFY(m_sandboxPort != 0);
        m_sandbox->stripeWebhooks().setRetryDelays({ std::chrono::milliseconds(50) });
        const CompanionConfig config = makeConfig(m_dir->path(), QStringLiteral("http://127.0.0.1:%1").arg(m_sandboxPort),
            QStringLiteral("http://127.0.0.1:1"));
        auto store = OrderStore::open(config.database());
        QVERIFY(store.ok());
        m_store = *store;
        m_logText.clear();
        m_log = std::make_unique<JsonLog>([this](const QByteArray &line) {
            QMutexLocker lock(&m_logMutex);
            m_logText += line;
        });
        m_server = std::make_unique<CompanionServer>(config, m_store, m_log.get());
        auto port = m_server->listen(QHostAddress::LocalHost, 0);
        QVERIFY(port.ok());
        m_port = *port;
        m_sandbox->setStripeWebhook(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/webhooks/stripe").arg(m_port)), WebhookSecret);
    }

    void cleanup()
    {
        m_server.reset();
        m_sandbox.reset();
        m_store.reset();
        m_dir.reset();
    }

    void checkoutIsPricedByTheServerAndReused()
    {
        const Order o = readyOrder(2);
        const ApiResponse first = post(o, QStringLiteral("checkout"));
        QCOMPARE(first.status, 200);
        const QJsonObject body = first.jsonBody();
        QCOMPARE(body.value(QStringLiteral("status")).toString(), QStringLiteral("awaiting_payment"));
        // 2 × 29.99 + the preselected first shipping option (6.99).
        QCOMPARE(body.value(QStringLiteral("amount_total")).toInteger(), 2 * 2999 + 699);
        QCOMPARE(body.value(QStringLiteral("amount")).toObject().value(QStringLiteral("subtotal")).toInteger(), 5998);
        const QString url = body.value(QStringLiteral("checkout_url")).toString();
        QVERIFY(url.startsWith(QStringLiteral("http://127.0.0.1:%1/c/pay/cs_test_").arg(m_sandboxPort)));

        // What the companion sent, as Stripe's fake decoded it.
        const QString sessionId = QUrl(url).path().section(QLatin1Char('/'), -1);
        const StripeCheckoutSession *session = m_sandbox->stripe().session(sessionId);
        QVERIFY(session);
        QCOMPARE(m_sandbox->stripe().count("POST", QStringLiteral("/v1/checkout/sessions")), 1);
        const SandboxRequest &sent = m_sandbox->stripe().requests().constLast();
        QCOMPARE(sent.header("Idempotency-Key"), QByteArray("checkout:" + o.id.toLatin1() + ":1"));
        QCOMPARE(sent.header("Stripe-Version"), QByteArray("2026-03-25.dahlia"));
        QVERIFY(sent.body.contains("%7BCHECKOUT_SESSION_ID%7D"));
        QVERIFY(sent.body.contains("unit_amount%5D=2999"));

        // Again: the same open session, no second create.
        const ApiResponse second = post(o, QStringLiteral("checkout"));
        QCOMPARE(second.status, 200);
        QCOMPARE(second.jsonBody().value(QStringLiteral("checkout_url")).toString(), url);
        QCOMPARE(m_sandbox->stripe().count("POST", QStringLiteral("/v1/checkout/sessions")), 1);
        // Files are locked once checkout has started.
        QCOMPARE(call(request("PUT", QStringLiteral("/v1/orders/%1/files/january").arg(o.id), printFile(QSize(170, 130)),
                          "image/jpeg", o.token))
                     .status,
            409);
    }

    void paidByWebhook()
    {
        const Order o = readyOrder();
        const QString session = checkout(o);
        StripeFake::Completion completion;
        completion.shippingOption = 1; // express
        QVERIFY(!m_sandbox->stripe().complete(session, completion));
        QTRY_COMPARE_WITH_TIMEOUT(stored(o.id).status, OrderStatus::Paid, 10000);
        const OrderRecord order = stored(o.id);
        QCOMPARE(order.amountPaid, 2999 + 1499);
        QCOMPARE(order.currency, QStringLiteral("usd"));
        QVERIFY(order.paymentIntent.startsWith(QLatin1String("pi_")));
        QVERIFY(!order.shipping.value(QStringLiteral("address")).toObject().value(QStringLiteral("country")).toString().isEmpty());
        QVERIFY(!order.contact.value(QStringLiteral("email")).toString().isEmpty());
        QCOMPARE(transitionsTo(o.id, QStringLiteral("paid")), 1);
        // Paid orders cannot be checked out or canceled by the customer.
        QCOMPARE(post(o, QStringLiteral("checkout")).status, 409);
        QCOMPARE(post(o, QStringLiteral("cancel")).status, 409);
        // The customer's address never reaches the logs.
        QMutexLocker lock(&m_logMutex);
        QVERIFY(!m_logText.contains(order.shipping.value(QStringLiteral("address")).toObject().value(QStringLiteral("line1")).toString().toUtf8()));
        QVERIFY(!m_logText.contains(o.token.toUtf8()));
    }

    void confirmBeforeWebhook()
    {
        const Order o = readyOrder();
        const QString session = checkout(o);
        StripeWebhookSender::Mode hold;
        hold.hold = true;
        setDelivery(hold);
        QVERIFY(!m_sandbox->stripe().complete(session, {}));
        const ApiResponse confirmed = post(o, QStringLiteral("confirm"));
        QCOMPARE(confirmed.status, 200);
        QCOMPARE(confirmed.jsonBody().value(QStringLiteral("outcome")).toString(), QStringLiteral("paid"));
        QCOMPARE(confirmed.jsonBody().value(QStringLiteral("status")).toString(), QStringLiteral("paid"));
        m_sandbox->stripeWebhooks().release();
        QVERIFY(deliveriesSettle(1));
        QCOMPARE(transitionsTo(o.id, QStringLiteral("paid")), 1);
    }

    void webhookBeforeConfirm()
    {
        const Order o = readyOrder();
        const QString session = checkout(o);
        QVERIFY(!m_sandbox->stripe().complete(session, {}));
        QTRY_COMPARE_WITH_TIMEOUT(stored(o.id).status, OrderStatus::Paid, 10000);
        const ApiResponse confirmed = post(o, QStringLiteral("confirm"));
        QCOMPARE(confirmed.jsonBody().value(QStringLiteral("outcome")).toString(), QStringLiteral("already_done"));
        QCOMPARE(transitionsTo(o.id, QStringLiteral("paid")), 1);
    }

    void sameWebhookFiveTimes()
    {
        const Order o = readyOrder();
        const QString session = checkout(o);
        StripeWebhookSender::Mode five;
        five.duplicates = 5;
        setDelivery(five);
        QVERIFY(!m_sandbox->stripe().complete(session, {}));
        QVERIFY(deliveriesSettle(5));
        for (const auto &d : m_sandbox->stripeWebhooks().deliveries())
            QCOMPARE(d.status, 200);
        QCOMPARE(stored(o.id).status, OrderStatus::Paid);
        QCOMPARE(transitionsTo(o.id, QStringLiteral("paid")), 1);
    }

    void fiftyConfirmsAndWebhooksPayOnce()
    {
        const Order o = readyOrder();
        const QString session = checkout(o);
        StripeWebhookSender::Mode many;
        many.duplicates = 5;
        setDelivery(many);
        QVERIFY(!m_sandbox->stripe().complete(session, {}));
        // 50 confirm calls on 16 threads while the 5 deliveries arrive.
        QThreadPool callers;
        callers.setMaxThreadCount(16);
        QList<QFuture<int>> calls;
        for (int i = 0; i < 50; ++i) {
            calls << QtConcurrent::run(&callers, [this, o] {
                return api().handle(request("POST", QStringLiteral("/v1/orders/%1/confirm").arg(o.id), {}, "application/json", o.token)).status;
            });
        }
        for (QFuture<int> &f : calls) {
            while (!f.isFinished())
                QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
            QCOMPARE(f.result(), 200);
        }
        QVERIFY(deliveriesSettle(5));
        QCOMPARE(stored(o.id).status, OrderStatus::Paid);
        QCOMPARE(transitionsTo(o.id, QStringLiteral("paid")), 1);
    }

    void expiredSessionThenNewCheckout()
    {
        const Order o = readyOrder();
        const QString first = checkout(o);
        QVERIFY(!m_sandbox->stripe().expireNow(first));
        QTRY_COMPARE_WITH_TIMEOUT(stored(o.id).status, OrderStatus::Expired, 10000);
        const QString second = checkout(o);
        QVERIFY(second != first);
        QCOMPARE(stored(o.id).checkoutAttempt, 2);
        QCOMPARE(stored(o.id).status, OrderStatus::AwaitingPayment);
        QCOMPARE(m_sandbox->stripe().requests().constLast().header("Idempotency-Key"), QByteArray("checkout:" + o.id.toLatin1() + ":2"));
        // The first session, expired, changes nothing any more.
        QVERIFY(!m_sandbox->stripe().complete(second, {}));
        QTRY_COMPARE_WITH_TIMEOUT(stored(o.id).status, OrderStatus::Paid, 10000);
    }

    void declinedCardKeepsItUnpaid()
    {
        const Order o = readyOrder();
        const QString session = checkout(o);
        QNetworkAccessManager net;
        QNetworkRequest pay(QUrl(QStringLiteral("http://127.0.0.1:%1/c/pay/%2").arg(m_sandboxPort).arg(session)));
        pay.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/x-www-form-urlencoded"));
        std::unique_ptr<QNetworkReply> reply(net.post(pay, QByteArray("action=decline")));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        QVERIFY(reply->readAll().contains("declined"));
        const ApiResponse confirmed = post(o, QStringLiteral("confirm"));
        QCOMPARE(confirmed.jsonBody().value(QStringLiteral("outcome")).toString(), QStringLiteral("open"));
        QCOMPARE(stored(o.id).status, OrderStatus::AwaitingPayment);
    }

    void amountMismatchIsFlaggedNotPaid()
    {
        const Order o = readyOrder();
        const QString session = checkout(o);
        StripeFake::Completion cheap;
        cheap.amountTotal = 100;
        QVERIFY(!m_sandbox->stripe().complete(session, cheap));
        QTRY_COMPARE_WITH_TIMEOUT(stored(o.id).flag, QStringLiteral("amount_mismatch"), 10000);
        QCOMPARE(stored(o.id).status, OrderStatus::AwaitingPayment);
        const ApiResponse confirmed = post(o, QStringLiteral("confirm"));
        QCOMPARE(confirmed.jsonBody().value(QStringLiteral("outcome")).toString(), QStringLiteral("flagged"));
        QVERIFY(confirmed.jsonBody().value(QStringLiteral("needs_review")).toBool());
        QCOMPARE(stored(o.id).status, OrderStatus::AwaitingPayment);
        const ApiResponse flagged = call(request("GET", QStringLiteral("/v1/admin/orders?flagged=1"), {}, {}, AdminToken));
        QCOMPARE(flagged.jsonBody().value(QStringLiteral("orders")).toArray().size(), 1);

        // Another currency is a mismatch too.
        const Order other = readyOrder();
        StripeFake::Completion euros;
        euros.currency = QStringLiteral("eur");
        QVERIFY(!m_sandbox->stripe().complete(checkout(other), euros));
        QTRY_COMPARE_WITH_TIMEOUT(stored(other.id).flag, QStringLiteral("amount_mismatch"), 10000);
        QCOMPARE(stored(other.id).status, OrderStatus::AwaitingPayment);
    }

    void asyncPayments()
    {
        const Order o = readyOrder();
        const QString session = checkout(o);
        StripeFake::Completion pending;
        pending.paymentStatus = QStringLiteral("unpaid");
        QVERIFY(!m_sandbox->stripe().complete(session, pending));
        QVERIFY(deliveriesSettle(1));
        QCOMPARE(stored(o.id).status, OrderStatus::AwaitingPayment);
        QVERIFY(!m_sandbox->stripe().settleAsyncPayment(session, true));
        QTRY_COMPARE_WITH_TIMEOUT(stored(o.id).status, OrderStatus::Paid, 10000);

        const Order failing = readyOrder();
        const QString failingSession = checkout(failing);
        QVERIFY(!m_sandbox->stripe().complete(failingSession, pending));
        QVERIFY(!m_sandbox->stripe().settleAsyncPayment(failingSession, false));
        QTRY_COMPARE_WITH_TIMEOUT(stored(failing.id).status, OrderStatus::PaymentFailed, 10000);
        // The customer may try again with a new session.
        QVERIFY(checkout(failing) != failingSession);
    }

    void asyncSucceededBeforeCompleted()
    {
        // Out of order: the fake holds both events and releases them newest first.
        const Order o = readyOrder();
        const QString session = checkout(o);
        StripeWebhookSender::Mode hold;
        hold.hold = true;
        setDelivery(hold);
        StripeFake::Completion pending;
        pending.paymentStatus = QStringLiteral("unpaid");
        QVERIFY(!m_sandbox->stripe().complete(session, pending));
        QVERIFY(!m_sandbox->stripe().settleAsyncPayment(session, true));
        m_sandbox->stripeWebhooks().release();
        QVERIFY(deliveriesSettle(2));
        QCOMPARE(stored(o.id).status, OrderStatus::Paid);
        QCOMPARE(transitionsTo(o.id, QStringLiteral("paid")), 1);
    }

    void refundThroughStripe()
    {
        const Order o = readyOrder();
        QVERIFY(!m_sandbox->stripe().complete(checkout(o), {}));
        QTRY_COMPARE_WITH_TIMEOUT(stored(o.id).status, OrderStatus::Paid, 10000);
        StripeClient::Options options;
        options.apiBase = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_sandboxPort));
        options.secretKey = StripeKey;
        QFuture<bool> refunded = QtConcurrent::run([&] {
            return StripeClient(options).createRefund(stored(o.id).paymentIntent, QStringLiteral("refund:test")).ok();
        });
        while (!refunded.isFinished())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        QVERIFY(refunded.result());
        QTRY_COMPARE_WITH_TIMEOUT(stored(o.id).status, OrderStatus::Refunded, 10000);
    }

    void cancelExpiresTheSession()
    {
        const Order o = readyOrder();
        const QString session = checkout(o);
        const ApiResponse canceled = post(o, QStringLiteral("cancel"));
        QCOMPARE(canceled.status, 200);
        QCOMPARE(canceled.jsonBody().value(QStringLiteral("status")).toString(), QStringLiteral("canceled"));
        QCOMPARE(m_sandbox->stripe().session(session)->status, QStringLiteral("expired"));
        QCOMPARE(post(o, QStringLiteral("checkout")).status, 409);
    }

    void cancelAfterPaymentIsRefused()
    {
        // The customer paid in the browser just before pressing cancel in the studio.
        const Order o = readyOrder();
        const QString session = checkout(o);
        StripeWebhookSender::Mode hold;
        hold.hold = true;
        setDelivery(hold);
        QVERIFY(!m_sandbox->stripe().complete(session, {}));
        const ApiResponse canceled = post(o, QStringLiteral("cancel"));
        QCOMPARE(canceled.status, 409);
        QCOMPARE(stored(o.id).status, OrderStatus::Paid);
    }

    void badSignaturesChangeNothing_data()
    {
        QTest::addColumn<bool>("wrongSecret");
        QTest::addColumn<bool>("stale");
        QTest::newRow("wrong secret") << true << false;
        QTest::newRow("stale timestamp") << false << true;
    }

    void badSignaturesChangeNothing()
    {
        QFETCH(bool, wrongSecret);
        QFETCH(bool, stale);
        const Order o = readyOrder();
        const QString session = checkout(o);
        StripeWebhookSender::Mode bad;
        bad.wrongSecret = wrongSecret;
        bad.stale = stale;
        setDelivery(bad);
        QVERIFY(!m_sandbox->stripe().complete(session, {}));
        QVERIFY(deliveriesSettle(1));
        for (const auto &d : m_sandbox->stripeWebhooks().deliveries())
            QCOMPARE(d.status, 400);
        QCOMPARE(stored(o.id).status, OrderStatus::AwaitingPayment);
        QVERIFY(m_store->unprocessedStripeEvents()->isEmpty());
    }

    void rolledSecretVerifies()
    {
        // During a roll Stripe signs with the old and the new secret; the companion knows the old one.
        const Order o = readyOrder();
        const QString session = checkout(o);
        StripeWebhookSender::Mode rolled;
        rolled.rolledSecret = "whsec_the_new_one";
        setDelivery(rolled);
        QVERIFY(!m_sandbox->stripe().complete(session, {}));
        QTRY_COMPARE_WITH_TIMEOUT(stored(o.id).status, OrderStatus::Paid, 10000);
    }

    void hostedPagePaysAndReturns()
    {
        // As the studio's checkout view does it: the page, Pay, the redirect to the companion.
        const Order o = readyOrder();
        const QString session = checkout(o);
        StripeWebhookSender::Mode hold;
        hold.hold = true; // no webhook: the return page's own confirm must do it
        setDelivery(hold);
        QNetworkAccessManager net;
        net.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
        const QUrl pageUrl(QStringLiteral("http://127.0.0.1:%1/c/pay/%2").arg(m_sandboxPort).arg(session));
        std::unique_ptr<QNetworkReply> page(net.get(QNetworkRequest(pageUrl)));
        QTRY_VERIFY_WITH_TIMEOUT(page->isFinished(), 10000);
        QVERIFY(page->readAll().contains("36.98")); // 29.99 + 6.99 standard shipping
        QNetworkRequest payRequest(pageUrl);
        payRequest.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/x-www-form-urlencoded"));
        std::unique_ptr<QNetworkReply> pay(net.post(payRequest, QByteArray("action=pay")));
        QTRY_VERIFY_WITH_TIMEOUT(pay->isFinished(), 10000);
        QCOMPARE(pay->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 303);
        const QUrl back = pay->header(QNetworkRequest::LocationHeader).toUrl();
        QCOMPARE(back.path(), QStringLiteral("/checkout/return"));
        QCOMPARE(QUrlQuery(back).queryItemValue(QStringLiteral("session_id")), session);
        // The studio would intercept this URL; following it still shows a page and confirms the payment.
        QUrl local = back;
        local.setPort(m_port);
        std::unique_ptr<QNetworkReply> returned(net.get(QNetworkRequest(local)));
        QTRY_VERIFY_WITH_TIMEOUT(returned->isFinished(), 10000);
        QCOMPARE(returned->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QVERIFY(returned->readAll().contains("Payment received"));
        QTRY_COMPARE_WITH_TIMEOUT(stored(o.id).status, OrderStatus::Paid, 10000);
    }

    void stripeOutageLosesNothing()
    {
        const Order o = readyOrder();
        // Three 500s: the client's tries all fail; nothing is charged, the order stays a draft.
        const auto fault = FaultPlan::parseSpec(QStringLiteral("stripe:server-error,count=3"));
        QVERIFY(fault);
        m_sandbox->faults().push(*fault);
        const ApiResponse failed = post(o, QStringLiteral("checkout"));
        QCOMPARE(failed.status, 503);
        QCOMPARE(failed.jsonBody().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
            QStringLiteral("payment_provider_error"));
        QCOMPARE(stored(o.id).status, OrderStatus::Draft);
        // Stripe keeps the 500 under that key; the next checkout uses a new attempt and works.
        const ApiResponse retried = post(o, QStringLiteral("checkout"));
        QCOMPARE(retried.status, 200);
        QCOMPARE(stored(o.id).status, OrderStatus::AwaitingPayment);
    }
};

QTEST_GUILESS_MAIN(TestCompanionPayment)
#include "tst_companionpayment.moc"
