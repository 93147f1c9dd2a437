#include "core/companion/fulfillmentworker.h"

#include "core/companion/fileurls.h"
#include "core/companion/jsonlog.h"
#include "core/companion/printifycatalog.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QUuid>

#include <csignal>

namespace CalStudio {

namespace {

constexpr qint64 InlineUploadLimit = 5 * 1024 * 1024; // Printify: URL uploads above 5 MB
constexpr int MaxBusyRetries = 40; // 8502 while Printify prepares the order
constexpr qint64 FileLinkLifetime = 6 * 3600; // seconds

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

/// Errors retrying cannot fix: the owner must act (configuration, Printify account, the order's data).
bool permanent(const Error &e)
{
    return e.code == QLatin1String("printify_validation") || e.code == QLatin1String("printify_auth")
        || e.code == QLatin1String("printify_not_found") || e.code == QLatin1String("printify_not_configured")
        || e.code == QLatin1String("fulfillment_config")
        || e.code == QLatin1String("storage_failed");
}

/// Our status for Printify's: how far along the order is (0 not yet in production … 3 delivered).
int printifyProgress(const QJsonObject &order)
{
    const QString status = order.value(QStringLiteral("status")).toString();
    const QJsonArray shipments = order.value(QStringLiteral("shipments")).toArray();
    bool allDelivered = !shipments.isEmpty();
    for (const QJsonValue &s : shipments)
        allDelivered = allDelivered && !s.toObject().value(QStringLiteral("delivered_at")).toString().isEmpty();
    if (allDelivered)
        return 3;
    if (status == QLatin1String("fulfilled") || status == QLatin1String("partially-fulfilled") || !shipments.isEmpty())
        return 2;
    if (status == QLatin1String("sending-to-production") || status == QLatin1String("in-production")
        || status == QLatin1String("checking-sending-to-production") || status == QLatin1String("callback-received"))
        return 1;
    return 0;
}

} // namespace

FulfillmentWorker::FulfillmentWorker(CompanionConfig config, std::shared_ptr<OrderStore> store, JsonLog *log,
    QThreadPool *pool, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_store(std::move(store))
    , m_log(log)
    , m_pool(pool)
    , m_files(m_config.dataDir + QStringLiteral("/files"))
    , m_instanceId(QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_crashAt(qgetenv("CALSTUDIO_COMPANION_CRASH_AT"))
{
    connect(&m_timer, &QTimer::timeout, this, [this] {
        while (m_running.load() < m_parallel) {
            ++m_running;
            m_pool->start([this] {
                runDueJobs();
                --m_running;
            });
        }
    });
}

FulfillmentWorker::~FulfillmentWorker()
{
    stop();
}

void FulfillmentWorker::start(std::chrono::milliseconds interval, int parallel)
{
    m_parallel = qMax(1, parallel);
    m_timer.start(interval);
}

void FulfillmentWorker::stop()
{
    m_timer.stop();
}

PrintifyClient FulfillmentWorker::client() const
{
    PrintifyClient::Options options;
    options.apiBase = m_config.printifyApiBase;
    options.token = m_config.printifyApiToken;
    options.shopId = m_config.printifyShopId;
    options.timeout = std::chrono::seconds(m_config.printifyTimeoutSeconds);
    return PrintifyClient(options);
}

void FulfillmentWorker::crashPoint(const char *point) const
{
    if (!m_crashAt.isEmpty() && m_crashAt == point) {
        // As kill -9 at this very instant: nothing flushed, nothing cleaned up.
        ::raise(SIGKILL);
    }
}

QUrl FulfillmentWorker::signedFileUrl(const OrderFile &file) const
{
    return FileUrls(m_config.adminToken, m_config.publicUrl)
        .sign(file.sha256 + QLatin1Char('.') + file.extension, QDateTime::currentSecsSinceEpoch() + FileLinkLifetime);
}

int FulfillmentWorker::shippingMethod(const QString &id)
{
    const QString lower = id.toLower();
    if (lower.contains(QLatin1String("express")) || lower.contains(QLatin1String("priority")))
        return 2;
    if (lower.contains(QLatin1String("economy")))
        return 4;
    return 1;
}

QPair<QString, QString> FulfillmentWorker::splitName(const QString &name)
{
    const QString trimmed = name.simplified();
    const qsizetype space = trimmed.lastIndexOf(QLatin1Char(' '));
    if (space < 0)
        return { trimmed, trimmed };
    return { trimmed.left(space), trimmed.mid(space + 1) };
}

std::optional<PrintFormat> FulfillmentWorker::formatFor(const QString &formatId)
{
    // A format with Printify settings is printed with the positions discovered from Printify's
    // catalog — never with the configured ones, whose names Printify would not know.
    if (m_config.printifyMapping.contains(formatId)) {
        if (auto entries = m_store->catalogEntries()) {
            for (const auto &e : *entries) {
                if (e.formatId == formatId && e.problem.isEmpty()) {
                    if (auto f = PrintFormat::fromJson(e.format))
                        return *f;
                }
            }
        }
        return std::nullopt;
    }
    return m_config.format(formatId);
}

bool FulfillmentWorker::record(FulfillmentJob &job, const QVariantMap &set)
{
    auto ok = m_store->updateFulfillmentJob(job.orderId, m_instanceId, set, qint64(m_config.fulfillmentLeaseSeconds) * 1000);
    if (!ok || !*ok)
        return false;
    for (auto it = set.begin(); it != set.end(); ++it) {
        if (it.key() == QLatin1String("step"))
            job.step = it.value().toString();
        else if (it.key() == QLatin1String("printify_product_id"))
            job.productId = it.value().toString();
        else if (it.key() == QLatin1String("printify_order_id"))
            job.printifyOrderId = it.value().toString();
        else if (it.key() == QLatin1String("order_create_started_at"))
            job.orderCreateStartedAt = it.value().toLongLong();
        else if (it.key() == QLatin1String("attempts"))
            job.attempts = it.value().toInt();
    }
    return true;
}

int FulfillmentWorker::runDueJobs()
{
    int ran = 0;
    for (;;) {
        auto claimed = m_store->claimFulfillmentJob(m_instanceId, qint64(m_config.fulfillmentLeaseSeconds) * 1000);
        if (!claimed || !claimed->has_value())
            return ran;
        runJob(**claimed);
        ++ran;
    }
}

void FulfillmentWorker::runJob(FulfillmentJob job)
{
    auto found = m_store->find(job.orderId);
    if (!found || !found->has_value()) {
        (void)m_store->releaseFulfillmentJob(job.orderId, m_instanceId);
        return;
    }
    OrderRecord order = **found;
    if (order.status == OrderStatus::Refunded || order.status == OrderStatus::Canceled) {
        record(job, { { QStringLiteral("step"), QStringLiteral("done") } });
        (void)m_store->releaseFulfillmentJob(job.orderId, m_instanceId);
        return;
    }
    if (order.status == OrderStatus::Paid) {
        (void)m_store->applyTransition(order.id,
            { OrderStatus::Submitting, { OrderStatus::Paid }, {}, QStringLiteral("fulfillment"),
                QStringLiteral("sending to the print shop"), {} });
    }
    if (order.status == OrderStatus::Submitting && !job.printifyOrderId.isEmpty()) {
        // Printify's order id was recorded but the process ended before the status followed
        // (a crash at order:recorded): make the transition now.
        (void)m_store->applyTransition(order.id,
            { OrderStatus::Submitted, { OrderStatus::Submitting }, {}, QStringLiteral("fulfillment"),
                QStringLiteral("Printify order %1 (recorded)").arg(job.printifyOrderId), {} });
    }
    const auto format = formatFor(order.formatId);
    const bool catalogPending = !format && m_config.printifyMapping.contains(order.formatId);

    for (;;) {
        StepResult r;
        if (!format && job.step != QLatin1String("track") && job.step != QLatin1String("send")) {
            // Not read from Printify yet (it was unreachable at start): wait for the catalog. A format
            // Printify no longer offers, or one without Printify settings, cannot be printed at all.
            r = { catalogPending ? Outcome::Retry : Outcome::Failed,
                Error(QStringLiteral("fulfillment_config"),
                    catalogPending
                        ? QStringLiteral("The format %1 has not been read from Printify's catalog yet.").arg(order.formatId)
                        : QStringLiteral("The format %1 is not available for printing (see the catalog problems in the log).")
                              .arg(order.formatId)),
                catalogPending };
        } else if (job.step == QLatin1String("upload")) {
            r = uploadStep(job, order, *format);
        } else if (job.step == QLatin1String("product")) {
            r = productStep(job, order, *format);
        } else if (job.step == QLatin1String("order")) {
            r = orderStep(job, order);
        } else if (job.step == QLatin1String("send")) {
            r = sendStep(job, order);
        } else if (job.step == QLatin1String("track")) {
            r = trackStep(job, order);
        } else {
            (void)m_store->releaseFulfillmentJob(job.orderId, m_instanceId);
            return;
        }

        switch (r.outcome) {
        case Outcome::Next:
            continue;
        case Outcome::LeaseLost:
        case Outcome::Finished:
            return;
        case Outcome::Parked:
            record(job, { { QStringLiteral("next_attempt_at"), nowMs() + r.delay.count() } });
            (void)m_store->releaseFulfillmentJob(job.orderId, m_instanceId);
            return;
        case Outcome::Failed:
        case Outcome::Retry: {
            const int attempts = job.attempts + 1;
            const bool giveUp = r.outcome == Outcome::Failed || !r.transient || permanent(r.error)
                || attempts >= m_config.fulfillmentMaxAttempts;
            if (giveUp) {
                fail(job, r.error);
                return;
            }
            const qint64 delay = r.delay.count() > 0
                ? r.delay.count()
                : qMin<qint64>(qint64(m_config.fulfillmentRetrySeconds) * 1000 << qMin(attempts - 1, 16), 3600 * 1000);
            if (m_log) {
                m_log->warning(QStringLiteral("fulfillment_retry"), { { QStringLiteral("order_id"), job.orderId },
                                                                       { QStringLiteral("step"), job.step },
                                                                       { QStringLiteral("attempt"), attempts },
                                                                       { QStringLiteral("code"), r.error.code },
                                                                       { QStringLiteral("detail"), r.error.detail },
                                                                       { QStringLiteral("retry_in_ms"), delay } });
            }
            record(job, { { QStringLiteral("attempts"), attempts }, { QStringLiteral("next_attempt_at"), nowMs() + delay },
                            { QStringLiteral("last_error"), r.error.userMessage } });
            (void)m_store->releaseFulfillmentJob(job.orderId, m_instanceId);
            return;
        }
        }
    }
}

void FulfillmentWorker::fail(const FulfillmentJob &job, const Error &error)
{
    FulfillmentJob copy = job;
    const QString text = error.detail.isEmpty() ? error.userMessage : error.userMessage + QStringLiteral(" (") + error.detail + QLatin1Char(')');
    record(copy, { { QStringLiteral("step"), QStringLiteral("failed") }, { QStringLiteral("last_error"), text },
                     { QStringLiteral("next_attempt_at"), nowMs() } });
    (void)m_store->applyTransition(job.orderId,
        { OrderStatus::FulfillmentFailed, { OrderStatus::Paid, OrderStatus::Submitting, OrderStatus::Submitted }, {},
            QStringLiteral("fulfillment"), QStringLiteral("%1 step failed: %2").arg(job.step, text), {} });
    (void)m_store->releaseFulfillmentJob(job.orderId, m_instanceId);
    if (m_log) {
        m_log->error(QStringLiteral("fulfillment_failed"), { { QStringLiteral("order_id"), job.orderId },
                                                              { QStringLiteral("step"), job.step },
                                                              { QStringLiteral("code"), error.code },
                                                              { QStringLiteral("detail"), text } });
    }
}

FulfillmentWorker::StepResult FulfillmentWorker::uploadStep(FulfillmentJob &job, const OrderRecord &order,
    const PrintFormat &format)
{
    auto files = m_store->files(order.id);
    if (!files)
        return { Outcome::Retry, files.error() };
    PrintifyClient printify = client();
    for (const ImagePosition &position : format.positions) {
        const auto file = std::find_if(files->begin(), files->end(), [&](const OrderFile &f) { return f.position == position.id; });
        if (file == files->end()) {
            return { Outcome::Failed,
                Error(QStringLiteral("fulfillment_config"),
                    QStringLiteral("The order has no print file for %1, which Printify's product needs.").arg(position.id)),
                false };
        }
        auto known = m_store->printifyUploadId(file->sha256);
        if (!known)
            return { Outcome::Retry, known.error() };
        if (!known->isEmpty())
            continue;
        if (!record(job, {}))
            return { Outcome::LeaseLost };
        const QString name = QStringLiteral("%1-%2.%3").arg(order.id, position.id, file->extension);
        Result<PrintifyUpload> upload = Error();
        if (file->size <= InlineUploadLimit) {
            QFile f(m_files.pathFor(file->sha256, file->extension));
            if (!f.open(QIODevice::ReadOnly)) {
                return { Outcome::Failed,
                    Error(QStringLiteral("storage_failed"), QStringLiteral("A print file of the order is missing on the server."),
                        f.fileName()),
                    false };
            }
            upload = printify.uploadImage(name, f.readAll());
        } else {
            upload = printify.uploadImageFromUrl(name, signedFileUrl(*file));
        }
        crashPoint("upload:returned");
        if (!upload)
            return { Outcome::Retry, upload.error() };
        if (Status s = m_store->recordPrintifyUpload(file->sha256, upload->id); !s)
            return { Outcome::Retry, s.error() };
        crashPoint("upload:recorded");
    }
    if (!record(job, { { QStringLiteral("step"), QStringLiteral("product") }, { QStringLiteral("attempts"), 0 } }))
        return { Outcome::LeaseLost };
    return {};
}

FulfillmentWorker::StepResult FulfillmentWorker::productStep(FulfillmentJob &job, const OrderRecord &order,
    const PrintFormat &format)
{
    if (!job.productId.isEmpty()) {
        if (!record(job, { { QStringLiteral("step"), QStringLiteral("order") } }))
            return { Outcome::LeaseLost };
        return {};
    }
    const QJsonObject mapping = m_config.printifyMapping.value(order.formatId);
    const int blueprint = mapping.value(QStringLiteral("blueprint_id")).toInt();
    const int provider = mapping.value(QStringLiteral("print_provider_id")).toInt();
    const int variant = mapping.value(QStringLiteral("variant_id")).toInt();
    if (blueprint <= 0 || provider <= 0 || variant <= 0) {
        return { Outcome::Failed,
            Error(QStringLiteral("fulfillment_config"),
                QStringLiteral("The format %1 has no Printify blueprint, provider and variant in the configuration.")
                    .arg(order.formatId)),
            false };
    }
    auto files = m_store->files(order.id);
    if (!files)
        return { Outcome::Retry, files.error() };
    QJsonArray placeholders;
    for (const ImagePosition &position : format.positions) {
        const auto file = std::find_if(files->begin(), files->end(), [&](const OrderFile &f) { return f.position == position.id; });
        auto upload = file == files->end() ? Result<QString>(QString()) : m_store->printifyUploadId(file->sha256);
        if (!upload)
            return { Outcome::Retry, upload.error() };
        if (upload->isEmpty()) {
            // Uploads were recorded; a missing one means the files changed. Start over from the uploads.
            record(job, { { QStringLiteral("step"), QStringLiteral("upload") } });
            return { Outcome::Next };
        }
        // The print file has exactly the placeholder's size: centred, scale 1 (relative to its width).
        placeholders.append(QJsonObject {
            { QStringLiteral("position"), position.id },
            { QStringLiteral("images"), QJsonArray { QJsonObject { { QStringLiteral("id"), *upload }, { QStringLiteral("x"), 0.5 },
                                            { QStringLiteral("y"), 0.5 }, { QStringLiteral("scale"), 1.0 }, { QStringLiteral("angle"), 0 } } } },
        });
    }
    const QJsonObject quote = order.quote;
    const QJsonObject product {
        { QStringLiteral("title"), QStringLiteral("%1 [%2]").arg(order.title, order.id) },
        { QStringLiteral("description"), QStringLiteral("Calendar Studio order %1").arg(order.id) },
        { QStringLiteral("blueprint_id"), blueprint },
        { QStringLiteral("print_provider_id"), provider },
        { QStringLiteral("variants"), QJsonArray { QJsonObject { { QStringLiteral("id"), variant },
                                            { QStringLiteral("price"), quote.value(QStringLiteral("unit_amount")).toInteger(100) },
                                            { QStringLiteral("is_enabled"), true } } } },
        { QStringLiteral("print_areas"), QJsonArray { QJsonObject { { QStringLiteral("variant_ids"), QJsonArray { variant } },
                                              { QStringLiteral("placeholders"), placeholders } } } },
        { QStringLiteral("visible"), false },
    };
    if (!record(job, {}))
        return { Outcome::LeaseLost };
    auto created = client().createProduct(product);
    crashPoint("product:returned");
    if (!created)
        return { Outcome::Retry, created.error() };
    if (!record(job, { { QStringLiteral("printify_product_id"), *created }, { QStringLiteral("step"), QStringLiteral("order") },
                         { QStringLiteral("attempts"), 0 } }))
        return { Outcome::LeaseLost };
    crashPoint("product:recorded");
    return {};
}

FulfillmentWorker::StepResult FulfillmentWorker::orderStep(FulfillmentJob &job, const OrderRecord &order)
{
    PrintifyClient printify = client();
    auto adopt = [&](const QString &printifyOrderId, const QString &how) -> StepResult {
        if (!record(job, { { QStringLiteral("printify_order_id"), printifyOrderId }, { QStringLiteral("step"), QStringLiteral("send") },
                             { QStringLiteral("attempts"), 0 } }))
            return { Outcome::LeaseLost };
        crashPoint("order:recorded");
        (void)m_store->applyTransition(order.id,
            { OrderStatus::Submitted, { OrderStatus::Submitting, OrderStatus::Paid }, {}, QStringLiteral("fulfillment"),
                QStringLiteral("Printify order %1 (%2)").arg(printifyOrderId, how), {} });
        if (m_log) {
            m_log->info(QStringLiteral("printify_order"), { { QStringLiteral("order_id"), order.id },
                                                             { QStringLiteral("printify_order_id"), printifyOrderId },
                                                             { QStringLiteral("how"), how } });
        }
        return {};
    };
    if (!job.printifyOrderId.isEmpty())
        return adopt(job.printifyOrderId, QStringLiteral("recorded"));

    // An earlier create may have reached Printify without us learning its id: look first.
    if (job.orderCreateStartedAt > 0) {
        if (!record(job, {}))
            return { Outcome::LeaseLost };
        auto existing = printify.findOrderByExternalId(order.id);
        if (!existing)
            return { Outcome::Retry, existing.error() };
        if (existing->has_value())
            return adopt((*existing)->value(QStringLiteral("id")).toString(), QStringLiteral("found by external_id"));
    }

    const QJsonObject mapping = m_config.printifyMapping.value(order.formatId);
    const auto [firstName, lastName] = splitName(order.shipping.value(QStringLiteral("name")).toString(
        order.contact.value(QStringLiteral("name")).toString()));
    const QJsonObject address = order.shipping.value(QStringLiteral("address")).toObject();
    const QJsonObject request {
        { QStringLiteral("external_id"), order.id },
        { QStringLiteral("label"), order.id },
        { QStringLiteral("line_items"), QJsonArray { QJsonObject { { QStringLiteral("product_id"), job.productId },
                                             { QStringLiteral("variant_id"), mapping.value(QStringLiteral("variant_id")).toInt() },
                                             { QStringLiteral("quantity"), order.quantity } } } },
        { QStringLiteral("shipping_method"), shippingMethod(order.shippingOption) },
        { QStringLiteral("send_shipping_notification"), false },
        { QStringLiteral("address_to"), QJsonObject {
              { QStringLiteral("first_name"), firstName },
              { QStringLiteral("last_name"), lastName },
              { QStringLiteral("email"), order.contact.value(QStringLiteral("email")).toString() },
              { QStringLiteral("phone"), order.contact.value(QStringLiteral("phone")).toString() },
              { QStringLiteral("country"), address.value(QStringLiteral("country")).toString() },
              { QStringLiteral("region"), address.value(QStringLiteral("state")).toString() },
              { QStringLiteral("address1"), address.value(QStringLiteral("line1")).toString() },
              { QStringLiteral("address2"), address.value(QStringLiteral("line2")).toString() },
              { QStringLiteral("city"), address.value(QStringLiteral("city")).toString() },
              { QStringLiteral("zip"), address.value(QStringLiteral("postal_code")).toString() },
          } },
    };
    // The intent is on disk before the call: whatever happens next, the following try looks first.
    if (!record(job, { { QStringLiteral("order_create_started_at"), nowMs() } }))
        return { Outcome::LeaseLost };
    auto created = printify.createOrder(request);
    crashPoint("order:returned");
    if (!created)
        return { Outcome::Retry, created.error() };
    return adopt(*created, QStringLiteral("created"));
}

FulfillmentWorker::StepResult FulfillmentWorker::sendStep(FulfillmentJob &job, const OrderRecord &order)
{
    if (!record(job, {}))
        return { Outcome::LeaseLost };
    auto sent = client().sendToProduction(job.printifyOrderId);
    crashPoint("send:returned");
    if (!sent) {
        if (sent.error().code == QLatin1String("printify_busy")) {
            // Printify is still preparing the order (8502): wait without using up the attempts.
            if (job.attempts >= MaxBusyRetries)
                return { Outcome::Failed, sent.error(), false };
            record(job, { { QStringLiteral("attempts"), job.attempts + 1 } });
            return { Outcome::Parked, {}, true,
                std::chrono::milliseconds(qMin<qint64>(qint64(m_config.fulfillmentRetrySeconds) * 1000, 10000)) };
        }
        // Already sent (a crash after the call, before recording it): Printify says so in the order.
        auto current = client().order(job.printifyOrderId);
        if (current && printifyProgress(*current) >= 1) {
            (void)applyPrintifyOrder(order, *current, QStringLiteral("fulfillment"));
        } else {
            return { Outcome::Retry, sent.error() };
        }
    } else {
        (void)applyPrintifyOrder(order, *sent, QStringLiteral("fulfillment"));
    }
    if (!record(job, { { QStringLiteral("step"), QStringLiteral("track") }, { QStringLiteral("attempts"), 0 },
                         { QStringLiteral("next_attempt_at"), nowMs() + qint64(m_config.fulfillmentPollSeconds) * 1000 } }))
        return { Outcome::LeaseLost };
    crashPoint("send:recorded");
    if (m_log)
        m_log->info(QStringLiteral("sent_to_production"), { { QStringLiteral("order_id"), order.id } });
    return { Outcome::Parked, {}, true, std::chrono::milliseconds(qint64(m_config.fulfillmentPollSeconds) * 1000) };
}

FulfillmentWorker::StepResult FulfillmentWorker::trackStep(FulfillmentJob &job, const OrderRecord &order)
{
    if (!record(job, {}))
        return { Outcome::LeaseLost };
    auto current = client().order(job.printifyOrderId);
    if (!current)
        return { Outcome::Retry, current.error() };
    if (Status s = applyPrintifyOrder(order, *current, QStringLiteral("printify_poll")); !s)
        return { Outcome::Retry, s.error() };
    auto now = m_store->find(order.id);
    if (now && now->has_value()
        && ((*now)->status == OrderStatus::Delivered || (*now)->status == OrderStatus::FulfillmentFailed
            || (*now)->status == OrderStatus::Refunded)) {
        record(job, { { QStringLiteral("step"), QStringLiteral("done") } });
        (void)m_store->releaseFulfillmentJob(job.orderId, m_instanceId);
        return { Outcome::Finished };
    }
    return { Outcome::Parked, {}, true, std::chrono::milliseconds(qint64(m_config.fulfillmentPollSeconds) * 1000) };
}

Status FulfillmentWorker::applyPrintifyOrder(const OrderRecord &order, const QJsonObject &printifyOrder, const QString &source)
{
    for (const QJsonValue &v : printifyOrder.value(QStringLiteral("shipments")).toArray()) {
        const QJsonObject s = v.toObject();
        const Shipment shipment { s.value(QStringLiteral("number")).toString(), s.value(QStringLiteral("carrier")).toString(),
            s.value(QStringLiteral("url")).toString(), s.value(QStringLiteral("shipped_at")).toString(),
            s.value(QStringLiteral("delivered_at")).toString() };
        if (!shipment.trackingNumber.isEmpty()) {
            if (Status st = m_store->upsertShipment(order.id, shipment); !st)
                return st;
        }
    }
    const QString status = printifyOrder.value(QStringLiteral("status")).toString();
    if (status == QLatin1String("canceled")) {
        return m_store
            ->applyTransition(order.id,
                { OrderStatus::FulfillmentFailed, { OrderStatus::Submitted, OrderStatus::InProduction }, {}, source,
                    QStringLiteral("Printify canceled the order"), {} })
            .ok()
            ? Status::success()
            : Status(Error(QStringLiteral("database_error"), QStringLiteral("Could not record Printify's cancelation.")));
    }
    if (status == QLatin1String("had-issues") && order.flag != QLatin1String("printify_had_issues")) {
        (void)m_store->update(order.id, { { QStringLiteral("flag"), QStringLiteral("printify_had_issues") } }, source,
            QStringLiteral("Printify reports issues with the order"));
    }
    // Only forward, one step at a time, whatever order the news arrived in.
    const int progress = printifyProgress(printifyOrder);
    const std::pair<OrderStatus, QString> steps[] = {
        { OrderStatus::InProduction, QStringLiteral("in production at Printify") },
        { OrderStatus::Shipped, QStringLiteral("shipped") },
        { OrderStatus::Delivered, QStringLiteral("delivered") },
    };
    for (int i = 0; i < progress; ++i) {
        auto changed = m_store->applyTransition(order.id, { steps[i].first, {}, {}, source, steps[i].second, {} });
        if (!changed && changed.error().code != QLatin1String("order_not_found"))
            return changed.error();
    }
    return Status::success();
}

Status FulfillmentWorker::syncFromPrintify(const QString &orderId)
{
    auto job = m_store->fulfillmentJob(orderId);
    if (!job)
        return job.error();
    if (!job->has_value() || (*job)->printifyOrderId.isEmpty())
        return Status::success();
    auto order = m_store->find(orderId);
    if (!order)
        return order.error();
    if (!order->has_value())
        return Status::success();
    auto current = client().order((*job)->printifyOrderId);
    if (!current)
        return current.error();
    return applyPrintifyOrder(**order, *current, QStringLiteral("printify_webhook"));
}

Status FulfillmentWorker::retry(const QString &orderId, const QString &source)
{
    auto job = m_store->fulfillmentJob(orderId);
    if (!job)
        return job.error();
    if (!job->has_value())
        return Error(QStringLiteral("not_retryable"), QStringLiteral("This order has no print job (is it paid?)."));
    auto changed = m_store->applyTransition(orderId,
        { OrderStatus::Submitting, { OrderStatus::FulfillmentFailed }, {}, source, QStringLiteral("retry by the owner"), {} });
    if (!changed)
        return changed.error();
    if (!*changed)
        return Error(QStringLiteral("not_retryable"), QStringLiteral("Only orders whose fulfillment failed can be retried."));
    // Where it stopped: recorded ids are kept, so nothing is created twice.
    const FulfillmentJob &j = **job;
    const QString step = !j.printifyOrderId.isEmpty() ? QStringLiteral("send")
        : !j.productId.isEmpty()                      ? QStringLiteral("order")
                                                      : QStringLiteral("upload");
    return m_store->requeueFulfillmentJob(orderId, step);
}

int FulfillmentWorker::deleteOldFiles()
{
    const qint64 before = nowMs() - qint64(m_config.keepFilesDays) * 24 * 3600 * 1000;
    auto orders = m_store->ordersWithFilesFinishedBefore(before);
    if (!orders)
        return 0;
    int cleaned = 0;
    for (const OrderRecord &o : *orders) {
        auto files = m_store->files(o.id);
        if (!files)
            continue;
        for (const OrderFile &f : *files) {
            auto needed = m_store->fileStillNeeded(f.sha256, o.id);
            if (needed && !*needed)
                (void)m_files.remove(f.sha256, f.extension);
        }
        if (m_store->update(o.id, { { QStringLiteral("files_deleted_at"), nowMs() } }, QStringLiteral("cleanup"),
                QStringLiteral("print files deleted")))
            ++cleaned;
    }
    return cleaned;
}

Result<QHash<QString, QString>> FulfillmentWorker::syncCatalog()
{
    QHash<QString, QString> result;
    PrintifyClient printify = client();
    for (const PrintFormat &base : m_config.formats) {
        const QJsonObject mapping = m_config.printifyMapping.value(base.id);
        const int blueprint = mapping.value(QStringLiteral("blueprint_id")).toInt();
        const int provider = mapping.value(QStringLiteral("print_provider_id")).toInt();
        const int variant = mapping.value(QStringLiteral("variant_id")).toInt();
        if (blueprint <= 0 || provider <= 0 || variant <= 0)
            continue;
        auto variants = printify.variants(blueprint, provider);
        OrderStore::CatalogEntry entry;
        entry.formatId = base.id;
        if (!variants) {
            if (variants.error().code != QLatin1String("printify_not_found"))
                return variants.error(); // unreachable: keep what was stored
            entry.problem = QStringLiteral("Printify has no blueprint %1 with print provider %2 any more; update the "
                                           "format's \"printify\" settings.")
                                .arg(blueprint)
                                .arg(provider);
        } else if (auto format = PrintifyCatalog::formatFromVariants(base, *variants, variant, blueprint)) {
            entry.format = format->toJson();
        } else {
            entry.problem = format.error().userMessage;
        }
        if (Status s = m_store->putCatalogEntry(entry); !s)
            return s.error();
        result.insert(base.id, entry.problem);
        if (m_log) {
            if (entry.problem.isEmpty()) {
                m_log->info(QStringLiteral("catalog_format"), { { QStringLiteral("format"), base.id },
                                                                 { QStringLiteral("positions"), entry.format.value(QStringLiteral("positions")).toArray().size() } });
            } else {
                m_log->error(QStringLiteral("catalog_format_unavailable"), { { QStringLiteral("format"), base.id },
                                                                              { QStringLiteral("problem"), entry.problem } });
            }
        }
    }
    return result;
}

} // namespace CalStudio
