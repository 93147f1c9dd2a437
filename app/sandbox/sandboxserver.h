#pragma once

#include "app/sandbox/falfake.h"
#include "app/sandbox/faultplan.h"
#include "app/sandbox/geminifake.h"
#include "app/sandbox/openaifake.h"
#include "app/sandbox/printifyfake.h"
#include "app/sandbox/printifywebhooksender.h"
#include "app/sandbox/replicatefake.h"
#include "app/sandbox/sandboxtypes.h"
#include "app/sandbox/stripefake.h"
#include "app/sandbox/stripewebhooksender.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QPointer>

#include <memory>

class QHttpServerRequest;
class QHttpServerResponder;
class QTcpSocket;

namespace CalStudio {

/**
 * The sandbox's routes on one QHttpServer: Gemini, OpenAI, Replicate, fal.ai,
 * Stripe and Printify fakes (the last four are reached by path prefix:
 * `/v1/models/`, `/v1/predictions`, `/replicate-files/`, `/fal/`, for Stripe
 * `/v1/checkout/`, `/v1/refunds`, `/v1/payment_intents/`, `/c/pay/` and
 * `/_sandbox/stripe/`, for Printify `/v1/shops…`, `/v1/catalog/`,
 * `/v2/catalog/`, `/v1/uploads…` and `/_sandbox/printify/`, whose
 * variable-depth paths QHttpServer 6.4 routes cannot express) plus the control
 * endpoints `POST|GET|DELETE /_sandbox/faults` and `GET /_sandbox/requests`.
 * The Stripe and Printify fakes' webhooks go out through senders living on the
 * server's thread. Used by calstudio-sandbox and, in-process on an OS-chosen
 * port, by the provider tests. Route lambdas only convert the request and hand
 * it to a fake; delivery of a SandboxReply (delays, dropped connections, and
 * deferred answers that wait for I/O such as the Printify fake's URL fetch)
 * happens in deliver().
 */
class SandboxServer {
public:
    /// `validKey` is the image fakes' key; the Stripe fake accepts setStripeKey() (default sk_test_sandbox).
    explicit SandboxServer(const QString &validKey = QStringLiteral("sandbox-key"));

    /// Listens on `address:port` (0 = OS-chosen); returns the port, 0 on failure.
    quint16 listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);

    FaultPlan &faults() { return m_faults; }
    GeminiFake &gemini() { return m_gemini; }
    OpenAIFake &openai() { return m_openai; }
    ReplicateFake &replicate() { return m_replicate; }
    FalFake &fal() { return m_fal; }
    StripeFake &stripe() { return m_stripe; }
    StripeWebhookSender &stripeWebhooks() { return m_stripeWebhooks; }
    PrintifyFake &printify() { return m_printify; }
    PrintifyWebhookSender &printifyWebhooks() { return m_printifyWebhooks; }
    void setStripeKey(const QString &key) { m_stripe.setSecretKey(key); }
    /// Replaces the Stripe webhook endpoints with one (an empty url clears them).
    void setStripeWebhook(const QUrl &url, const QByteArray &secret);

    static SandboxRequest toSandboxRequest(const QHttpServerRequest &request);

private:
    void installRoutes();
    void deliver(SandboxReply reply, QHttpServerResponder &&responder);
    void deliver(SandboxReply reply, std::shared_ptr<QHttpServerResponder> responder, QPointer<QTcpSocket> socket);
    SandboxReply control(const QHttpServerRequest &request);

    FaultPlan m_faults;
    GeminiFake m_gemini;
    OpenAIFake m_openai;
    ReplicateFake m_replicate;
    FalFake m_fal;
    StripeWebhookSender m_stripeWebhooks;
    StripeFake m_stripe;
    PrintifyWebhookSender m_printifyWebhooks;
    PrintifyFake m_printify;
    QHttpServer m_http;
};

} // namespace CalStudio
