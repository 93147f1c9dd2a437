#include "app/companion/admincommands.h"

#include "core/companion/companionapi.h"
#include "core/companion/orderstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTextStream>

namespace CalStudio {

namespace {

int usage(QTextStream &err)
{
    err << "usage: calstudio-companion [--config FILE] admin list [--status S] [--flagged] [--limit N] [--json]\n"
           "       calstudio-companion [--config FILE] admin show ORDER_ID [--json]\n";
    return 2;
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
        } else if (command == QLatin1String("show") && orderId.isEmpty() && !a.startsWith(QLatin1String("--"))) {
            orderId = a;
        } else {
            return usage(err);
        }
    }
    if ((command != QLatin1String("list") && command != QLatin1String("show"))
        || (command == QLatin1String("show") && orderId.isEmpty()))
        return usage(err);

    auto store = OrderStore::open(config.database());
    if (!store) {
        err << "calstudio-companion: " << store.error().toString() << '\n';
        return 1;
    }
    // The same code and JSON as GET /v1/admin/orders[/{id}], without the network.
    CompanionApi api(config, *store, nullptr, {});
    ApiRequest request;
    request.method = "GET";
    request.path = command == QLatin1String("list") ? QStringLiteral("/v1/admin/orders")
                                                    : QStringLiteral("/v1/admin/orders/") + orderId;
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
