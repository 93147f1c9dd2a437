// calstudio-sandbox: serves the Gemini, OpenAI, Replicate and fal.ai image API fakes, the Stripe
// Checkout fake and the Printify fake on loopback for demos and end-to-end runs. Options and wiring only; the behaviour lives in calstudio_sandbox_lib.
#include "app/sandbox/faultplan.h"
#include "app/sandbox/printifyfake.h"
#include "app/sandbox/sandboxserver.h"
#include "app/sandbox/stripecheckoutsession.h"
#include "app/sandbox/stripefake.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonObject>
#include <QTextStream>

#include <cstdio>

using namespace CalStudio;

int main(int argc, char *argv[])
{
    // QCoreApplication is enough: the fakes fill QImage scan lines directly and never need a platform plugin.
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("calstudio-sandbox"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Loopback fakes of the Gemini (POST /v1beta/models/{model}:generateContent) and OpenAI "
                       "(POST /v1/images/edits) image APIs, Replicate predictions (/v1/predictions…) and the fal.ai "
                       "queue (under /fal/), and Stripe Checkout (POST /v1/checkout/sessions, …, a hosted page at "
                       "/c/pay/{id} and signed webhooks; control API under /_sandbox/stripe/, documented in "
                       "app/sandbox/stripefake.h).\n\n"
                       "Faults are scripted with --fault at start-up or at run time with POST /_sandbox/faults "
                       "({\"clear\":true,\"faults\":[{\"api\":\"replicate\",\"scenario\":\"rate-limit\","
                       "\"count\":1,\"delayMs\":0}]}); GET lists them, DELETE clears them. Each fake answers in "
                       "its API's own wire shape.\n\n"
                       "Stripe control: POST /_sandbox/stripe/webhook {url,secret}; POST "
                       "/_sandbox/stripe/sessions/{id}/complete {payment_status,shipping_option,amount_total,currency}; "
                       "…/async_payment_succeeded, …/async_payment_failed, …/expire; POST /_sandbox/stripe/delivery "
                       "{mode: normal|duplicates|roll_secret|wrong_secret|stale|hold, count, new_secret}; POST "
                       "/_sandbox/stripe/release; GET /_sandbox/stripe/events, POST …/events/{id}/resend; GET "
                       "/_sandbox/stripe/deliveries; POST /_sandbox/stripe/reset.\n\n"
                       "Printify REST v1 (/v1/shops.json, /v1/catalog/…, /v1/uploads/…, /v1/shops/{shop}/products|"
                       "orders|webhooks…; Bearer token, User-Agent required; no idempotency) with signed webhooks "
                       "(X-Pfy-Signature) to the webhooks registered through the API. Control API under "
                       "/_sandbox/printify/, documented in app/sandbox/printifyfake.h: GET orders[?external_id=], "
                       "POST orders/{id}/ship {carrier,tracking_number}, …/deliver, …/status {status}; POST "
                       "variants/{id}/retire|restore; POST delivery {mode: normal|duplicates|wrong_secret|"
                       "no_signature|hold, count}; POST release; GET events, deliveries, uploads, webhooks; GET|POST "
                       "settings {pending_ms, pending_gets, production_ms, rate_limit_per_minute, "
                       "catalog_rate_limit_per_minute, rate_limit_window_ms}; POST reset. Printify faults may carry "
                       "match=TEXT: only a request whose \"METHOD /path\" contains TEXT takes them.\n\n")
        + FaultPlan::helpText());
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("TCP port on 127.0.0.1 (0 = OS-chosen)."),
                                        QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption keyOption(QStringLiteral("key"), QStringLiteral("The API key the image fakes accept."),
                                       QStringLiteral("key"), QStringLiteral("sandbox-key"));
    const QCommandLineOption faultOption(
        QStringLiteral("fault"),
        QStringLiteral("Script a fault, repeatable: [API:]SCENARIO[,count=N][,delay=MS][,match=TEXT] with API one of "
                       "%1 (none = the next request of any API; count -1 = always; match: printify only). "
                       "Scenarios: see above.")
            .arg(FaultPlan::apis().join(QStringLiteral(", "))),
        QStringLiteral("spec"));
    const QCommandLineOption stripeKeyOption(QStringLiteral("stripe-key"),
                                             QStringLiteral("The secret key the Stripe fake accepts."),
                                             QStringLiteral("key"), QString::fromLatin1(StripeFake::DefaultKey));
    const QCommandLineOption webhookUrlOption(QStringLiteral("stripe-webhook-url"),
                                              QStringLiteral("Where the Stripe fake delivers its events (none = "
                                                             "events are only listed at /_sandbox/stripe/events)."),
                                              QStringLiteral("url"));
    const QCommandLineOption webhookSecretOption(QStringLiteral("stripe-webhook-secret"),
                                                 QStringLiteral("The endpoint secret events are signed with."),
                                                 QStringLiteral("whsec"), QStringLiteral("whsec_sandbox"));
    const QCommandLineOption stripeVersionOption(
        QStringLiteral("stripe-api-version"),
        QStringLiteral("The Stripe account's default API version (used without a Stripe-Version header, and for "
                       "events)."),
        QStringLiteral("version"), QString::fromLatin1(StripeFake::DefaultVersion));
    const QCommandLineOption printifyTokenOption(QStringLiteral("printify-token"),
                                                 QStringLiteral("The bearer token the Printify fake accepts."),
                                                 QStringLiteral("token"), QString::fromLatin1(PrintifyFake::DefaultToken));
    const QCommandLineOption printifyShopOption(QStringLiteral("printify-shop"),
                                                QStringLiteral("The Printify fake's shop id."), QStringLiteral("id"),
                                                QString::number(PrintifyFake::DefaultShopId));
    const PrintifyFake::Settings printifyDefaults;
    const QCommandLineOption printifyPendingOption(
        QStringLiteral("printify-pending-ms"),
        QStringLiteral("How long a new Printify order stays pending before it is on-hold (-1 = until GETs or the "
                       "control API move it)."),
        QStringLiteral("ms"), QString::number(printifyDefaults.pendingMs));
    const QCommandLineOption printifyPendingGetsOption(
        QStringLiteral("printify-pending-gets"),
        QStringLiteral("A pending Printify order is on-hold after this many GETs of it (0 = not by GETs)."),
        QStringLiteral("n"), QString::number(printifyDefaults.pendingGets));
    const QCommandLineOption printifyProductionOption(
        QStringLiteral("printify-production-ms"),
        QStringLiteral("How long a Printify order stays sending-to-production before it is in-production (-1 = "
                       "until the control API moves it)."),
        QStringLiteral("ms"), QString::number(printifyDefaults.productionMs));
    const QCommandLineOption printifyRateOption(QStringLiteral("printify-rate-limit"),
                                                QStringLiteral("Printify requests per minute before 429."),
                                                QStringLiteral("n"), QString::number(printifyDefaults.rateLimitPerMinute));
    const QCommandLineOption printifyCatalogRateOption(
        QStringLiteral("printify-catalog-rate-limit"),
        QStringLiteral("Printify catalog requests per minute before 429 (on top of the global limit)."),
        QStringLiteral("n"), QString::number(printifyDefaults.catalogRateLimitPerMinute));
    parser.addOptions({portOption, keyOption, faultOption, stripeKeyOption, webhookUrlOption, webhookSecretOption,
                       stripeVersionOption, printifyTokenOption, printifyShopOption, printifyPendingOption,
                       printifyPendingGetsOption, printifyProductionOption, printifyRateOption,
                       printifyCatalogRateOption});
    parser.process(app);

    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    if (!portOk || port > 65535) {
        std::fprintf(stderr, "calstudio-sandbox: --port must be 0–65535\n");
        return 2;
    }

    SandboxServer server(parser.value(keyOption));
    server.setStripeKey(parser.value(stripeKeyOption));
    const QString stripeVersion = parser.value(stripeVersionOption);
    if (!StripeCheckoutSession::isValidVersion(stripeVersion)) {
        std::fprintf(stderr, "calstudio-sandbox: --stripe-api-version must look like 2026-03-25.dahlia\n");
        return 2;
    }
    server.stripe().setDefaultApiVersion(stripeVersion);
    if (parser.isSet(webhookUrlOption)) {
        const QUrl url(parser.value(webhookUrlOption), QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
            std::fprintf(stderr, "calstudio-sandbox: --stripe-webhook-url must be an http(s) URL\n");
            return 2;
        }
        server.setStripeWebhook(url, parser.value(webhookSecretOption).toUtf8());
    }
    const QString printifyToken = parser.value(printifyTokenOption);
    bool shopOk = false;
    const qint64 printifyShop = parser.value(printifyShopOption).toLongLong(&shopOk);
    if (printifyToken.isEmpty() || !shopOk || printifyShop <= 0) {
        std::fprintf(stderr, "calstudio-sandbox: --printify-token must not be empty and --printify-shop must be a "
                             "positive number\n");
        return 2;
    }
    server.printify().setToken(printifyToken);
    server.printify().setShopId(printifyShop);
    PrintifyFake::Settings printifySettings;
    const QString settingsError = printifySettings
                                      .apply(QJsonObject{
                                          {QStringLiteral("pending_ms"), parser.value(printifyPendingOption)},
                                          {QStringLiteral("pending_gets"), parser.value(printifyPendingGetsOption)},
                                          {QStringLiteral("production_ms"), parser.value(printifyProductionOption)},
                                          {QStringLiteral("rate_limit_per_minute"), parser.value(printifyRateOption)},
                                          {QStringLiteral("catalog_rate_limit_per_minute"),
                                           parser.value(printifyCatalogRateOption)}})
                                      .value_or(QString());
    if (!settingsError.isEmpty()) {
        std::fprintf(stderr, "calstudio-sandbox: Printify option: %s\n", qPrintable(settingsError));
        return 2;
    }
    server.printify().setSettings(printifySettings, true);

    const QStringList faults = parser.values(faultOption);
    for (const QString &spec : faults) {
        QString error;
        const auto fault = FaultPlan::parseSpec(spec, &error);
        if (!fault) {
            std::fprintf(stderr, "calstudio-sandbox: --fault %s: %s\n", qPrintable(spec), qPrintable(error));
            return 2;
        }
        server.faults().push(*fault);
    }

    const quint16 bound = server.listen(QHostAddress::LocalHost, quint16(port));
    if (bound == 0) {
        std::fprintf(stderr, "calstudio-sandbox: cannot listen on 127.0.0.1:%u\n", port);
        return 1;
    }
    // Scripts wait for this exact first line to learn the port.
    QTextStream(stdout) << "listening on http://127.0.0.1:" << bound << Qt::endl;
    return app.exec();
}
