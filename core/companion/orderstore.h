#pragma once

#include "core/commerce/orderstatus.h"
#include "core/common/result.h"
#include "core/companion/companionconfig.h"

#include <QJsonObject>
#include <QList>
#include <QSize>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QHash>
#include <QVariantMap>

#include <memory>
#include <mutex>
#include <optional>

namespace CalStudio {

/// One print file of an order, as stored (the bytes live in the FileStore under `sha256`).
struct OrderFile {
    QString position;
    QString sha256;
    QString extension;
    qint64 size = 0;
    QSize pixels;
    qint64 uploadedAt = 0; ///< ms since the epoch, UTC
};

/// One row of an order's history: a status change, or a note with `from == to`.
struct OrderHistoryEntry {
    qint64 at = 0; ///< ms since the epoch, UTC
    QString from; ///< empty for the order's creation
    QString to;
    QString source; ///< "api", "stripe_webhook", "stripe_confirm", "admin", …
    QString note;
};

/// An order as the companion stores it. The order token itself is never stored, only its SHA-256.
struct OrderRecord {
    QString id;
    QByteArray tokenHash; ///< lower-case hex SHA-256 of the order token
    OrderStatus status = OrderStatus::Draft;
    QString formatId;
    int quantity = 1;
    QString title;
    QString clientReference;
    QJsonObject quote; ///< PriceQuote::toJson() of the last checkout
    int checkoutAttempt = 0; ///< 1 for the first Checkout Session, +1 for each after an expired/failed one
    QString sessionId; ///< the current Stripe Checkout Session
    QString checkoutUrl;
    qint64 sessionExpiresAt = 0; ///< seconds since the epoch (Stripe's unit)
    QString paymentIntent;
    qint64 amountPaid = 0; ///< minor units, from Stripe, once paid
    QString currency;
    QJsonObject shipping; ///< name + address from the session
    QJsonObject contact; ///< email, phone, name from the session's customer_details
    QString flag; ///< set when the owner must look at the order (e.g. "amount_mismatch")
    QString shippingOption; ///< the price book's shipping option id the customer paid for
    qint64 filesDeletedAt = 0; ///< when the print files were removed after delivery or refund
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
};

/// The durable fulfillment work of one paid order (see FulfillmentWorker).
struct FulfillmentJob {
    QString orderId;
    QString step; ///< "upload", "product", "order", "send", "track", "done", "failed"
    int attempts = 0; ///< failures of the current step
    qint64 nextAttemptAt = 0; ///< ms since the epoch
    QString leaseOwner;
    qint64 leaseExpiresAt = 0;
    QString productId; ///< Printify's hidden product, once created
    QString printifyOrderId; ///< Printify's order, once created (the one fact that must never be lost)
    qint64 orderCreateStartedAt = 0; ///< set before the create call: after a crash, look the order up first
    QString lastError;
};

/// A shipment Printify reported.
struct Shipment {
    QString trackingNumber;
    QString carrier;
    QString trackingUrl;
    QString shippedAt;
    QString deliveredAt;
};

/// A verified Stripe event as recorded before it is processed.
struct StoredEvent {
    QString id;
    QString type;
    QByteArray payload;
    qint64 receivedAt = 0;
};

/**
 * The companion's order database: orders, their print files, the history of
 * every transition, and the Stripe events received (for deduplication).
 *
 * SQLite (default, WAL, `synchronous=FULL`: a recorded payment survives a
 * power cut) or PostgreSQL (QPSQL, for several instances). One object is
 * shared by every thread; each thread gets its own connection, opened on
 * first use and closed when the thread ends (Qt forbids sharing a
 * connection between threads and does not enforce it).
 *
 * Every status change goes through applyTransition(): in one transaction it
 * reads the current row (FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE
 * holds the write lock), checks the state machine (canTransition) and the
 * caller's preconditions, updates the row and appends the history row. So
 * concurrent callers — a webhook and fifty confirm calls for one order —
 * produce exactly one transition.
 *
 * Error codes: "database_unavailable" (cannot open or connect),
 * "database_error" (a statement failed; detail has the driver text),
 * "order_not_found".
 */
class OrderStore {
public:
    /// Opens (and creates or migrates) the database.
    static Result<std::shared_ptr<OrderStore>> open(const DatabaseSettings &settings);
    ~OrderStore();
    OrderStore(const OrderStore &) = delete;
    OrderStore &operator=(const OrderStore &) = delete;

    static constexpr int SchemaVersion = 2;

    [[nodiscard]] QString driver() const { return m_settings.driver; }

    /// A cheap round trip (health check).
    Status ping();

    Status createOrder(const OrderRecord &order, const QString &source);
    Result<std::optional<OrderRecord>> find(const QString &orderId);
    Result<std::optional<OrderRecord>> findBySession(const QString &sessionId);
    Result<std::optional<OrderRecord>> findByPaymentIntent(const QString &paymentIntent);
    /// Newest first; `status` empty for all; `flaggedOnly` for orders with a flag.
    Result<QList<OrderRecord>> list(std::optional<OrderStatus> status, bool flaggedOnly, int limit);

    Result<QList<OrderFile>> files(const QString &orderId);
    Result<QList<OrderHistoryEntry>> history(const QString &orderId);

    /**
     * Stores (or replaces) the file of one position, only while the order is
     * a draft. Returns false (and changes nothing) when the order is no
     * longer a draft.
     */
    Result<bool> putFile(const QString &orderId, const OrderFile &file);

    /// One try at a Checkout Session: its number (in the Idempotency-Key) and the expires_at sent.
    struct CheckoutAttempt {
        int number = 0;
        qint64 expiresAt = 0;
    };
    /**
     * Starts checkout attempt `expected + 1` with `expiresAt` if the order's
     * attempt is still `expected` (compare-and-set: concurrent checkouts agree
     * on one attempt and one expiry). Returns the attempt now stored, whoever
     * started it. Every parameter of an attempt's create call is fixed by what
     * is stored, so retrying it with its Idempotency-Key is safe.
     */
    Result<CheckoutAttempt> advanceCheckoutAttempt(const QString &orderId, int expected, qint64 expiresAt);

    /// A status change with its preconditions and the columns it sets.
    struct Transition {
        OrderStatus to = OrderStatus::Draft;
        QList<OrderStatus> from; ///< allowed current states (besides canTransition)
        QString requireSessionId; ///< when set, the order's current session must be this one
        QString source;
        QString note;
        /// Columns set with the change; names from a fixed list ("stripe_session_id", "checkout_url",
        /// "session_expires_at", "quote_json", "payment_intent", "amount_paid", "currency",
        /// "shipping_json", "contact_json", "flag").
        QVariantMap set;
    };
    /**
     * Applies `t` in one transaction. Returns true when the status changed;
     * false when the order is not in one of `t.from`, the state machine
     * forbids it or the session differs (nothing changes then).
     */
    Result<bool> applyTransition(const QString &orderId, const Transition &t);

    /// Sets or clears columns without a status change and records `note` in the history.
    Status update(const QString &orderId, const QVariantMap &set, const QString &source, const QString &note);

    /// Records a verified Stripe event; false when its id was seen before (a duplicate delivery).
    Result<bool> recordStripeEvent(const QString &eventId, const QString &type, const QByteArray &payload);
    Status markStripeEventProcessed(const QString &eventId, const QString &outcome);
    /// Events recorded but not processed (the server stopped in between); oldest first.
    Result<QList<StoredEvent>> unprocessedStripeEvents();

    // --- fulfillment (issue 8) ---

    /**
     * Claims one due job for `owner` until now + `leaseMs`: not done or failed,
     * due, and not leased (or its lease expired — a crashed instance's work is
     * taken over). PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED, so instances
     * never wait for or share a job. Nothing due: nullopt.
     */
    Result<std::optional<FulfillmentJob>> claimFulfillmentJob(const QString &owner, qint64 leaseMs);
    /**
     * Sets job columns ("step", "attempts", "next_attempt_at", "printify_product_id",
     * "printify_order_id", "order_create_started_at", "last_error") and extends the
     * lease — only while `owner` still holds it. False: the lease was lost, stop.
     */
    Result<bool> updateFulfillmentJob(const QString &orderId, const QString &owner, const QVariantMap &set, qint64 leaseMs);
    /// Gives the lease up (the job stays as recorded).
    Status releaseFulfillmentJob(const QString &orderId, const QString &owner);
    Result<std::optional<FulfillmentJob>> fulfillmentJob(const QString &orderId);
    /// Puts a job back in the queue at `step` with no failures (the owner's retry).
    Status requeueFulfillmentJob(const QString &orderId, const QString &step);
    /// Jobs that are not done/failed, e.g. for the polling fallback and admin views.
    Result<QList<FulfillmentJob>> openFulfillmentJobs();

    Result<QString> printifyUploadId(const QString &sha256); ///< empty when not uploaded yet
    Status recordPrintifyUpload(const QString &sha256, const QString &uploadId);
    /// False when the event id was seen before.
    Result<bool> recordPrintifyEvent(const QString &eventId, const QString &topic, const QString &printifyOrderId,
        const QByteArray &payload);
    Result<QString> orderIdForPrintifyOrder(const QString &printifyOrderId); ///< empty when unknown

    Status upsertShipment(const QString &orderId, const Shipment &shipment);
    Result<QList<Shipment>> shipments(const QString &orderId);

    /// What catalog discovery found per format (JSON of the PrintFormat, or a problem).
    struct CatalogEntry {
        QString formatId;
        QJsonObject format;
        QString problem;
        qint64 fetchedAt = 0;
    };
    Status putCatalogEntry(const CatalogEntry &entry);
    Result<QList<CatalogEntry>> catalogEntries();

    /// Orders finished (delivered, refunded, canceled) before `beforeMs` whose files are still kept.
    Result<QList<OrderRecord>> ordersWithFilesFinishedBefore(qint64 beforeMs);
    /// Whether another order that is not finished still uses the file (files are shared by content).
    Result<bool> fileStillNeeded(const QString &sha256, const QString &exceptOrderId);

private:
    explicit OrderStore(DatabaseSettings settings);
    Result<QSqlDatabase> connection();
    /**
     * This thread's prepared statement for `sql`, prepared on first use (the GET path runs the same
     * few reads thousands of times a second). The caller binds, executes, reads and then calls
     * finish(): a statement left on a row would keep its connection's read snapshot open.
     */
    Result<QSqlQuery> prepared(const QString &sql, const QString &what);
    /// prepared() bound with `values` and executed; the caller reads and then calls finish().
    Result<QSqlQuery> runPrepared(const QString &sql, const QVariantList &values, const QString &what);
    /// Prepares `sql` on this thread's connection, binds `values` in order and runs it.
    Result<QSqlQuery> run(const QString &sql, const QVariantList &values, const QString &what);
    Status migrate();
    Result<std::optional<OrderRecord>> findWhere(const QString &column, const QString &value);

    /**
     * SQLite allows one writer at a time. Threads of this process take turns here instead of in
     * SQLite's busy handler, which sleeps up to 100 ms between tries: with eight request threads
     * recording webhook events that made p99 400 ms (docs/BENCHMARKS.md).
     */
    std::mutex *sqliteWriteLock();

    DatabaseSettings m_settings;
    std::mutex m_sqliteWrites;
    quint64 m_id; ///< keys this store's connection in each thread's registry
    QString m_connectionPrefix;
};

} // namespace CalStudio
