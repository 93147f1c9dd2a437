#include "app/companion/admincommands.h"

#include "core/companion/companionapi.h"
#include "core/companion/fulfillmentworker.h"
#include "core/companion/orderstore.h"
#include "core/companion/printifyclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

namespace CalStudio {

namespace {

int usage(QTextStream &err)
{
    err << "usage: calstudio-companion [--config FILE] admin list [--status S] [--flagged] [--limit N] [--json]\n"
           "       calstudio-companion [--config FILE] admin show ORDER_ID [--json]\n"
           "       calstudio-companion [--config FILE] admin retry ORDER_ID       (a fulfillment_failed order)\n"
           "       calstudio-companion [--config FILE] admin refund ORDER_ID      (through Stripe; records refunded)\n"
           "       calstudio-companion [--config FILE] admin sync-catalog         (positions and sizes from Printify)\n"
           "       calstudio-companion [--config FILE] admin register-webhooks    (Printify → /v1/webhooks/printify)\n"
           "       calstudio-companion [--config FILE] admin shipping-quote FORMAT COUNTRY [QUANTITY]\n";
    return 2;
}

bool printifyConfigured(const CompanionConfig &config, QTextStream &err)
{
    if (!config.printifyApiToken.isEmpty() && !config.printifyShopId.isEmpty())
        return true;
    err << "calstudio-companion: Printify is not configured (printify.api_token and printify.shop_id).\n";
    return false;
}

PrintifyClient printifyClient(const CompanionConfig &config)
{
    PrintifyClient::Options options;
    options.apiBase = config.printifyApiBase;
    options.token = config.printifyApiToken;
    options.shopId = config.printifyShopId;
    return PrintifyClient(options);
}

/// The Printify commands: they talk to Printify (and the database), not to the running server.
int runPrintifyCommand(const CompanionConfig &config, const std::shared_ptr<OrderStore> &store, const QStringList &arguments,
    QTextStream &out, QTextStream &err)
{
    const QString command = arguments.first();
    if (!printifyConfigured(config, err))
        return 1;
    if (command == QLatin1String("sync-catalog")) {
        FulfillmentWorker worker(config, store, nullptr, nullptr);
        auto result = worker.syncCatalog();
        if (!result) {
            err << "calstudio-companion: " << result.error().toString() << '\n';
            return 1;
        }
        int problems = 0;
        for (auto it = result->begin(); it != result->end(); ++it) {
            out << it.key() << ": " << (it.value().isEmpty() ? QStringLiteral("ok") : it.value()) << '\n';
            problems += it.value().isEmpty() ? 0 : 1;
        }
        out << "the running server picks this up within a minute\n";
        return problems == 0 ? 0 : 1;
    }
    PrintifyClient printify = printifyClient(config);
    if (command == QLatin1String("register-webhooks")) {
        if (config.printifyWebhookSecret.isEmpty()) {
            err << "calstudio-companion: set printify.webhook_secret first; Printify signs events with it.\n";
            return 1;
        }
        const QUrl url(config.publicUrl.toString() + QStringLiteral("/v1/webhooks/printify"));
        auto existing = printify.webhooks();
        if (!existing) {
            err << "calstudio-companion: " << existing.error().toString() << '\n';
            return 1;
        }
        const QStringList topics = { QStringLiteral("order:created"), QStringLiteral("order:updated"),
            QStringLiteral("order:sent-to-production"), QStringLiteral("order:shipment:created"),
            QStringLiteral("order:shipment:delivered") };
        for (const QString &topic : topics) {
            const bool present = std::any_of(existing->begin(), existing->end(), [&](const QJsonValue &w) {
                return w.toObject().value(QStringLiteral("topic")).toString() == topic
                    && QUrl(w.toObject().value(QStringLiteral("url")).toString()) == url;
            });
            if (present) {
                out << topic << ": already registered\n";
                continue;
            }
            auto created = printify.createWebhook(topic, url, config.printifyWebhookSecret.toUtf8());
            if (!created) {
                err << "calstudio-companion: " << topic << ": " << created.error().toString() << '\n';
                return 1;
            }
            out << topic << ": registered → " << url.toString() << '\n';
        }
        return 0;
    }
    // shipping-quote FORMAT COUNTRY [QUANTITY]
    if (arguments.size() < 3)
        return usage(err);
    const QJsonObject mapping = config.printifyMapping.value(arguments[1]);
    if (mapping.isEmpty()) {
        err << "calstudio-companion: the format " << arguments[1] << " has no Printify settings.\n";
        return 1;
    }
    const int quantity = arguments.size() > 3 ? qMax(1, arguments[3].toInt()) : 1;
    const QJsonObject request {
        { QStringLiteral("line_items"), QJsonArray { QJsonObject {
                                            { QStringLiteral("blueprint_id"), mapping.value(QStringLiteral("blueprint_id")) },
                                            { QStringLiteral("print_provider_id"), mapping.value(QStringLiteral("print_provider_id")) },
                                            { QStringLiteral("variant_id"), mapping.value(QStringLiteral("variant_id")) },
                                            { QStringLiteral("quantity"), quantity } } } },
        { QStringLiteral("address_to"), QJsonObject { { QStringLiteral("country"), arguments[2].toUpper() } } },
    };
    auto quote = printify.shippingQuote(request);
    if (!quote) {
        err << "calstudio-companion: " << quote.error().toString() << '\n';
        return 1;
    }
    out << "Printify's shipping cost for " << quantity << " × " << arguments[1] << " to " << arguments[2].toUpper()
        << " (cents, billing currency):\n";
    for (auto it = quote->begin(); it != quote->end(); ++it)
        out << "  " << it.key() << ": " << it.value().toInteger() << '\n';
    return 0;
}

QString money(qint64 amount, const QString &currency)
{
    if (currency.isEmpty())
        return QStringLiteral("-");
    return QStringLiteral("%1.%2 %3").arg(amount / 100).arg(amount % 100, 2, 10, QLatin1Char('0')).arg(currency.toUpper());
}

} // namespace

int runAdminCommand(const CompanionConfig &config, const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    if (arguments.isEmpty())
        return usage(err);
    const QString command = arguments.first();
    bool json = false;
    QUrlQuery query;
    QString orderId;
    for (int i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments[i];
        if (a == QLatin1String("--json")) {
            json = true;
        } else if (a == QLatin1String("--flagged") && command == QLatin1String("list")) {
            query.addQueryItem(QStringLiteral("flagged"), QStringLiteral("1"));
        } else if ((a == QLatin1String("--status") || a == QLatin1String("--limit")) && command == QLatin1String("list")
            && i + 1 < arguments.size()) {
            query.addQueryItem(a.mid(2), arguments[++i]);
        } else if ((command == QLatin1String("show") || command == QLatin1String("retry") || command == QLatin1String("refund"))
            && orderId.isEmpty() && !a.startsWith(QLatin1String("--"))) {
            orderId = a;
        } else if (command == QLatin1String("shipping-quote") && !a.startsWith(QLatin1String("--"))) {
            continue; // FORMAT COUNTRY [QUANTITY], read from `arguments` by runPrintifyCommand
        } else {
            return usage(err);
        }
    }
    const bool printifyCommand = command == QLatin1String("sync-catalog") || command == QLatin1String("register-webhooks")
        || command == QLatin1String("shipping-quote");
    const bool orderCommand = command == QLatin1String("show") || command == QLatin1String("retry")
        || command == QLatin1String("refund");
    if (!printifyCommand && command != QLatin1String("list") && !orderCommand)
        return usage(err);
    if (orderCommand && orderId.isEmpty())
        return usage(err);

    auto store = OrderStore::open(config.database());
    if (!store) {
        err << "calstudio-companion: " << store.error().toString() << '\n';
        return 1;
    }
    if (printifyCommand)
        return runPrintifyCommand(config, *store, arguments, out, err);
    if (command == QLatin1String("retry")) {
        // The worker itself is not needed: the retry puts the job back in the queue, where the
        // running server (any instance) picks it up.
        FulfillmentWorker worker(config, *store, nullptr, nullptr);
        if (Status s = worker.retry(orderId, QStringLiteral("admin")); !s) {
            err << "calstudio-companion: " << s.error().userMessage << '\n';
            return 1;
        }
        out << orderId << ": queued again for fulfillment\n";
        return 0;
    }
    // The same code and JSON as GET /v1/admin/orders[/{id}], without the network.
    CompanionApi api(config, *store, nullptr, {});
    ApiRequest request;
    request.method = "GET";
    request.path = command == QLatin1String("list") ? QStringLiteral("/v1/admin/orders")
                                                    : QStringLiteral("/v1/admin/orders/") + orderId;
    if (command == QLatin1String("refund")) {
        request.method = "POST";
        request.path += QStringLiteral("/refund");
    }
    request.query = query;
    request.headers.append({ QByteArray("Authorization"), "Bearer " + config.adminToken.toUtf8() });
    request.requestId = QStringLiteral("admin-cli");
    const ApiResponse response = api.handle(request);
    const QJsonObject body = response.jsonBody();
    if (response.status != 200) {
        err << "calstudio-companion: " << body.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString()
            << '\n';
        return 1;
    }
    if (json) {
        out << QJsonDocument(body).toJson(QJsonDocument::Indented);
        return 0;
    }
    if (command == QLatin1String("list")) {
        const QJsonArray orders = body.value(QStringLiteral("orders")).toArray();
        out << QStringLiteral("%1  %2  %3  %4  %5  %6\n")
                   .arg(QStringLiteral("ORDER"), -28)
                   .arg(QStringLiteral("STATUS"), -18)
                   .arg(QStringLiteral("FORMAT"), -20)
                   .arg(QStringLiteral("PAID"), -12)
                   .arg(QStringLiteral("CREATED"), -24)
                   .arg(QStringLiteral("FLAG"));
        for (const QJsonValue &v : orders) {
            const QJsonObject o = v.toObject();
            out << QStringLiteral("%1  %2  %3  %4  %5  %6\n")
                       .arg(o.value(QStringLiteral("id")).toString(), -28)
                       .arg(o.value(QStringLiteral("status")).toString(), -18)
                       .arg(o.value(QStringLiteral("format")).toString(), -20)
                       .arg(money(o.value(QStringLiteral("amount_paid")).toInteger(), o.value(QStringLiteral("currency")).toString()), -12)
                       .arg(o.value(QStringLiteral("created_at")).toString(), -24)
                       .arg(o.value(QStringLiteral("flag")).toString());
        }
        out << orders.size() << (orders.size() == 1 ? " order\n" : " orders\n");
        return 0;
    }
    out << "order     " << body.value(QStringLiteral("id")).toString() << '\n'
        << "status    " << body.value(QStringLiteral("status")).toString() << '\n'
        << "format    " << body.value(QStringLiteral("format")).toString() << " × "
        << body.value(QStringLiteral("quantity")).toInt() << '\n'
        << "title     " << body.value(QStringLiteral("title")).toString() << '\n';
    const QJsonObject paid = body.value(QStringLiteral("paid")).toObject();
    if (!paid.isEmpty())
        out << "paid      " << money(paid.value(QStringLiteral("amount_total")).toInteger(), paid.value(QStringLiteral("currency")).toString()) << '\n';
    if (const QString flag = body.value(QStringLiteral("flag")).toString(); !flag.isEmpty())
        out << "FLAG      " << flag << '\n';
    const QJsonObject shipping = body.value(QStringLiteral("shipping")).toObject();
    if (!shipping.isEmpty()) {
        const QJsonObject a = shipping.value(QStringLiteral("address")).toObject();
        out << "ship to   " << shipping.value(QStringLiteral("name")).toString() << ", " << a.value(QStringLiteral("line1")).toString()
            << ", " << a.value(QStringLiteral("postal_code")).toString() << ' ' << a.value(QStringLiteral("city")).toString() << ", "
            << a.value(QStringLiteral("country")).toString() << '\n';
    }
    const QJsonObject fulfillment = body.value(QStringLiteral("fulfillment")).toObject();
    if (!fulfillment.isEmpty()) {
        out << "printify  " << fulfillment.value(QStringLiteral("printify_order_id")).toString(QStringLiteral("-")) << "  (step "
            << fulfillment.value(QStringLiteral("step")).toString() << ", attempts " << fulfillment.value(QStringLiteral("attempts")).toInt()
            << ')' << '\n';
        if (const QString error = fulfillment.value(QStringLiteral("last_error")).toString(); !error.isEmpty())
            out << "error     " << error << '\n';
    }
    for (const QJsonValue &v : body.value(QStringLiteral("shipments")).toArray()) {
        const QJsonObject sh = v.toObject();
        out << "shipment  " << sh.value(QStringLiteral("carrier")).toString() << ' ' << sh.value(QStringLiteral("tracking_number")).toString()
            << "  " << sh.value(QStringLiteral("tracking_url")).toString()
            << (sh.value(QStringLiteral("delivered_at")).toString().isEmpty() ? QString() : QStringLiteral("  delivered ") + sh.value(QStringLiteral("delivered_at")).toString())
            << '\n';
    }
    out << "history\n";
    for (const QJsonValue &v : body.value(QStringLiteral("history")).toArray()) {
        const QJsonObject h = v.toObject();
        out << "  " << h.value(QStringLiteral("at")).toString() << "  " << h.value(QStringLiteral("from")).toString() << " → "
            << h.value(QStringLiteral("to")).toString() << "  (" << h.value(QStringLiteral("source")).toString() << ") "
            << h.value(QStringLiteral("note")).toString() << '\n';
    }
    return 0;
}

} // namespace CalStudio
