#pragma once

#include "core/common/result.h"
#include "core/companion/companionconfig.h"
#include "core/companion/filestore.h"
#include "core/companion/orderstore.h"
#include "core/companion/printifyclient.h"

#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <memory>

namespace CalStudio {

class JsonLog;

/**
 * Submits paid orders to Printify exactly once and follows them to the door.
 *
 * Printify has no idempotency keys, so correctness rests on the database.
 * Each paid order has a job (created in the same transaction as `paid`)
 * that moves through steps, each recording its result before the next
 * begins:
 *
 *  1. upload  — every print file into Printify's media library: base64 up to
 *               5 MB, otherwise a signed, expiring URL on the public base URL
 *               (FileUrls). Upload ids are kept by content hash and reused.
 *  2. product — a hidden product (blueprint, provider, variant, one image per
 *               placeholder). Its id is recorded; a duplicate hidden product
 *               after a crash costs nothing and is never ordered.
 *  3. order   — before the call, the attempt is recorded; after it, Printify's
 *               order id at once. If a create's outcome is unknown (timeout,
 *               dropped connection, 5xx, crash), the next try first looks for
 *               an order with our `external_id` (the order id) and adopts it.
 *  4. send    — send_to_production, retried while Printify answers 8502.
 *  5. track   — Printify's order read every `poll_seconds` (webhooks make it
 *               sooner) until delivered.
 *
 * Why a product instead of an inline-`print_areas` order: the images go
 * through Printify's media library (checked by Printify, reused by content,
 * and not dependent on this server being reachable when Printify fetches),
 * the product validates blueprint/variant/placements before any order
 * exists, and the one call whose duplication costs money — the order — is a
 * small request that external_id identifies.
 *
 * Work is claimed with a lease (OrderStore::claimFulfillmentJob: SELECT …
 * FOR UPDATE SKIP LOCKED on PostgreSQL), renewed before each Printify call,
 * so instances sharing a database never work on one order at once, and a
 * crashed instance's work is taken over when its lease runs out. A step
 * that fails transiently is retried with exponential backoff; after
 * `fulfillment.max_attempts` failures — or at once for errors that retrying
 * cannot fix, such as a validation error — the order becomes
 * `fulfillment_failed` with Printify's text, for the owner to retry
 * (retry()) or refund.
 *
 * Tests kill the process at exact points with CALSTUDIO_COMPANION_CRASH_AT
 * (`upload:returned`, `upload:recorded`, `product:returned`, … `send:recorded`):
 * the process ends with SIGKILL right after that Printify call returned,
 * before or after its result is recorded.
 */
class FulfillmentWorker : public QObject {
    Q_OBJECT
public:
    FulfillmentWorker(CompanionConfig config, std::shared_ptr<OrderStore> store, JsonLog *log, QThreadPool *pool,
        QObject *parent = nullptr);
    ~FulfillmentWorker() override;

    /// Starts claiming work every `interval` on the pool (at most `parallel` orders at once).
    void start(std::chrono::milliseconds interval = std::chrono::seconds(1), int parallel = 2);
    void stop();

    /// Claims and runs due jobs on the calling thread until none is due; returns how many ran.
    int runDueJobs();

    /// Reads the order from Printify and applies its status and shipments (webhook hint, polling).
    Status syncFromPrintify(const QString &orderId);

    /**
     * Reads each configured format's blueprint/provider/variant from Printify's
     * catalog and stores the image positions it finds (OrderStore::putCatalogEntry):
     * positions and pixel sizes from `variants.json`, or the reason the format
     * cannot be sold (a variant Printify no longer offers). Formats without a
     * Printify mapping are left as configured. If Printify cannot be reached,
     * what was stored before stays and the error is returned.
     * Returns format id → problem ("" when fine).
     */
    Result<QHash<QString, QString>> syncCatalog();

    /// The owner's retry of a `fulfillment_failed` order: back in the queue where it stopped.
    Status retry(const QString &orderId, const QString &source);

    /// Deletes the print files of orders finished `keep_files_days` ago (files shared with
    /// an unfinished order stay). Returns how many orders were cleaned.
    int deleteOldFiles();

    /// This instance's lease owner id.
    [[nodiscard]] QString instanceId() const { return m_instanceId; }

    /// The Printify shipping method for a price-book shipping option id (standard 1, express/priority 2, economy 4).
    static int shippingMethod(const QString &shippingOptionId);
    /// Splits a full name into Printify's first and last name.
    static QPair<QString, QString> splitName(const QString &name);

private:
    enum class Outcome { Next, Retry, Failed, LeaseLost, Parked, Finished };
    struct StepResult {
        Outcome outcome = Outcome::Next;
        Error error;
        bool transient = true;
        std::chrono::milliseconds delay { 0 }; ///< for Parked/Retry without backoff

        StepResult() = default;
        StepResult(Outcome o, Error e = {}, bool t = true, std::chrono::milliseconds d = std::chrono::milliseconds(0))
            : outcome(o)
            , error(std::move(e))
            , transient(t)
            , delay(d)
        {
        }
    };

    void runJob(FulfillmentJob job);
    StepResult uploadStep(FulfillmentJob &job, const OrderRecord &order, const PrintFormat &format);
    StepResult productStep(FulfillmentJob &job, const OrderRecord &order, const PrintFormat &format);
    StepResult orderStep(FulfillmentJob &job, const OrderRecord &order);
    StepResult sendStep(FulfillmentJob &job, const OrderRecord &order);
    StepResult trackStep(FulfillmentJob &job, const OrderRecord &order);
    Status applyPrintifyOrder(const OrderRecord &order, const QJsonObject &printifyOrder, const QString &source);
    void fail(const FulfillmentJob &job, const Error &error);
    bool record(FulfillmentJob &job, const QVariantMap &set);
    std::optional<PrintFormat> formatFor(const QString &formatId);
    PrintifyClient client() const;
    void crashPoint(const char *point) const;
    QUrl signedFileUrl(const OrderFile &file) const;

    CompanionConfig m_config;
    std::shared_ptr<OrderStore> m_store;
    JsonLog *m_log;
    QThreadPool *m_pool;
    FileStore m_files;
    QString m_instanceId;
    QByteArray m_crashAt;
    QTimer m_timer;
    int m_parallel = 2;
    std::atomic<int> m_running { 0 };
};

} // namespace CalStudio
