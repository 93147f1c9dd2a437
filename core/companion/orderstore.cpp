#include "core/companion/orderstore.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUuid>

#include <sqlite3.h>

#include <atomic>
#include <mutex>
#include <unordered_map>

namespace CalStudio {

namespace {

constexpr auto OrderColumns =
    "id, token_hash, status, format_id, quantity, title, client_reference, quote_json, checkout_attempt, "
    "stripe_session_id, checkout_url, session_expires_at, payment_intent, amount_paid, currency, "
    "shipping_json, contact_json, flag, created_at, updated_at, shipping_option, files_deleted_at";

/// Columns a Transition or update() may set, and whether they hold JSON.
const QStringList &settableColumns()
{
    static const QStringList columns = {
        QStringLiteral("stripe_session_id"), QStringLiteral("checkout_url"), QStringLiteral("session_expires_at"),
        QStringLiteral("quote_json"), QStringLiteral("payment_intent"), QStringLiteral("amount_paid"),
        QStringLiteral("currency"), QStringLiteral("shipping_json"), QStringLiteral("contact_json"),
        QStringLiteral("flag"), QStringLiteral("shipping_option"), QStringLiteral("files_deleted_at"),
    };
    return columns;
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

Error dbError(const QSqlError &error, const QString &what)
{
    return Error(QStringLiteral("database_error"),
        QStringLiteral("The order database could not %1. The request changed nothing; try again, and if it keeps "
                       "failing check the server's database.")
            .arg(what),
        error.text());
}

QString jsonText(const QJsonObject &object)
{
    return object.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QJsonObject jsonObject(const QVariant &text)
{
    return QJsonDocument::fromJson(text.toString().toUtf8()).object();
}

OrderRecord orderFromRow(const QSqlQuery &q)
{
    OrderRecord o;
    o.id = q.value(0).toString();
    o.tokenHash = q.value(1).toString().toLatin1();
    o.status = orderStatusFromId(q.value(2).toString()).value_or(OrderStatus::Draft);
    o.formatId = q.value(3).toString();
    o.quantity = q.value(4).toInt();
    o.title = q.value(5).toString();
    o.clientReference = q.value(6).toString();
    o.quote = jsonObject(q.value(7));
    o.checkoutAttempt = q.value(8).toInt();
    o.sessionId = q.value(9).toString();
    o.checkoutUrl = q.value(10).toString();
    o.sessionExpiresAt = q.value(11).toLongLong();
    o.paymentIntent = q.value(12).toString();
    o.amountPaid = q.value(13).toLongLong();
    o.currency = q.value(14).toString();
    o.shipping = jsonObject(q.value(15));
    o.contact = jsonObject(q.value(16));
    o.flag = q.value(17).toString();
    o.createdAt = q.value(18).toLongLong();
    o.updatedAt = q.value(19).toLongLong();
    o.shippingOption = q.value(20).toString();
    o.filesDeletedAt = q.value(21).toLongLong();
    return o;
}

/**
 * A write transaction. SQLite: BEGIN IMMEDIATE takes the write lock up front,
 * so a read followed by a write cannot fail half-way with SQLITE_BUSY and the
 * read sees what the write will change. PostgreSQL: BEGIN, with the rows
 * locked by the caller's SELECT … FOR UPDATE. Rolls back unless committed.
 */
class WriteTransaction {
public:
    /// `sqliteWrites`: the process's SQLite write lock (null for PostgreSQL), held until the end.
    WriteTransaction(QSqlDatabase db, std::mutex *sqliteWrites)
        : m_lock(sqliteWrites ? std::unique_lock<std::mutex>(*sqliteWrites) : std::unique_lock<std::mutex>())
        , m_db(std::move(db))
    {
        QSqlQuery q(m_db);
        m_active = q.exec(sqliteWrites ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"));
        if (!m_active)
            m_error = dbError(q.lastError(), QStringLiteral("start a transaction"));
    }
    ~WriteTransaction()
    {
        if (m_active)
            QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
    }
    WriteTransaction(const WriteTransaction &) = delete;
    WriteTransaction &operator=(const WriteTransaction &) = delete;

    [[nodiscard]] bool isActive() const { return m_active; }
    [[nodiscard]] const Error &error() const { return m_error; }
    Status commit()
    {
        QSqlQuery q(m_db);
        if (!q.exec(QStringLiteral("COMMIT")))
            return dbError(q.lastError(), QStringLiteral("save the change"));
        m_active = false;
        return Status::success();
    }

private:
    std::unique_lock<std::mutex> m_lock; // first member: released last, after the ROLLBACK
    QSqlDatabase m_db;
    bool m_active = false;
    Error m_error;
};

/// A null QString binds as SQL NULL; the NOT NULL text columns want ''.
QString text(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

Status insertHistory(QSqlDatabase &db, const QString &orderId, const QString &from, const QString &to,
    const QString &source, const QString &note)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO order_history (order_id, at, from_status, to_status, source, note) "
                             "VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(orderId);
    q.addBindValue(nowMs());
    q.addBindValue(text(from));
    q.addBindValue(text(to));
    q.addBindValue(text(source));
    q.addBindValue(text(note));
    if (!q.exec())
        return dbError(q.lastError(), QStringLiteral("record the order's history"));
    return Status::success();
}

/// "column = ?" for each entry of `set` whose column is allowed; JSON objects are stored as text.
void addAssignments(const QVariantMap &set, const QStringList &allowed, QStringList &assignments, QVariantList &values)
{
    for (auto it = set.begin(); it != set.end(); ++it) {
        Q_ASSERT(allowed.contains(it.key()));
        if (!allowed.contains(it.key()))
            continue;
        assignments << it.key() + QStringLiteral(" = ?");
        values << (it.value().typeId() == QMetaType::QJsonObject ? QVariant(jsonText(it.value().toJsonObject())) : it.value());
    }
}

} // namespace

namespace {

/// The connection of one thread and its prepared statements; removes it from Qt's registry when it goes.
struct ThreadConnection {
    QString name;
    QHash<QString, QSqlQuery> statements; ///< the hot read path's queries, prepared once per connection
    ~ThreadConnection()
    {
        statements.clear();
        {
            QSqlDatabase db = QSqlDatabase::database(name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
    }
};

/// This thread's connections, one per OrderStore (by id). A thread_local is destroyed when its thread
/// ends whether or not the store still exists — unlike QThreadStorage, which leaks the data of threads
/// that outlive it (a pool thread after the store is gone).
thread_local std::unordered_map<quint64, std::unique_ptr<ThreadConnection>> t_connections;
std::atomic<quint64> g_nextStoreId { 1 };

} // namespace

OrderStore::OrderStore(DatabaseSettings settings)
    : m_settings(std::move(settings))
    , m_id(g_nextStoreId++)
    , m_connectionPrefix(QStringLiteral("companion-") + QUuid::createUuid().toString(QUuid::Id128) + QLatin1Char('-'))
{
}

OrderStore::~OrderStore()
{
    // The other threads' connections go when their threads end (the owner stops its pool first).
    t_connections.erase(m_id);
}

Result<std::shared_ptr<OrderStore>> OrderStore::open(const DatabaseSettings &settings)
{
    if (settings.driver != QLatin1String("QSQLITE") && settings.driver != QLatin1String("QPSQL")) {
        return Error(QStringLiteral("database_unavailable"),
            QStringLiteral("The database type is not supported; use a sqlite: or postgresql:// database URL."),
            settings.driver);
    }
    if (!QSqlDatabase::isDriverAvailable(settings.driver)) {
        return Error(QStringLiteral("database_unavailable"),
            QStringLiteral("The Qt SQL driver %1 is not installed on this server (Debian: libqt6sql6-%2).")
                .arg(settings.driver, settings.driver == QLatin1String("QPSQL") ? QStringLiteral("psql")
                                                                                 : QStringLiteral("sqlite")));
    }
    if (settings.driver == QLatin1String("QSQLITE")) {
        // SQLite keeps process-wide memory statistics behind one mutex taken on every allocation;
        // with eight request threads that lock was 14 % of a GET's CPU (docs/BENCHMARKS.md). It can only
        // be switched off before SQLite initialises, i.e. before the first connection in the process;
        // later (SQLITE_MISUSE) it stays as it is, which is only slower.
        static std::once_flag once;
        std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
    }
    std::shared_ptr<OrderStore> store(new OrderStore(settings));
    if (Status migrated = store->migrate(); !migrated)
        return migrated.error();
    return store;
}

Result<QSqlDatabase> OrderStore::connection()
{
    QSqlDatabase db;
    std::unique_ptr<ThreadConnection> &thread = t_connections[m_id];
    if (thread) {
        db = QSqlDatabase::database(thread->name, false);
        if (db.isOpen())
            return db;
    } else {
        const QString name = m_connectionPrefix + QString::number(quintptr(QThread::currentThreadId()), 16);
        db = QSqlDatabase::addDatabase(m_settings.driver, name);
        if (m_settings.driver == QLatin1String("QSQLITE")) {
            db.setDatabaseName(m_settings.path);
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
        } else {
            db.setHostName(m_settings.host);
            if (m_settings.port > 0)
                db.setPort(m_settings.port);
            db.setUserName(m_settings.user);
            db.setPassword(m_settings.password);
            db.setDatabaseName(m_settings.name);
            db.setConnectOptions(m_settings.connectOptions.isEmpty()
                    ? QStringLiteral("connect_timeout=5")
                    : m_settings.connectOptions);
        }
        thread = std::make_unique<ThreadConnection>(); // no temporary: its destructor would remove the connection
        thread->name = name;
    }
    // Not open yet, or closed after a failure: (re)connect; a failure is retried on the next call.
    if (!db.open()) {
        return Error(QStringLiteral("database_unavailable"),
            QStringLiteral("The order database cannot be reached. Check that it is running and that the database "
                           "URL is right."),
            db.lastError().text());
    }
    if (m_settings.driver == QLatin1String("QSQLITE")) {
        QSqlQuery q(db);
        for (const char *pragma : { "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON" }) {
            if (!q.exec(QString::fromLatin1(pragma))) {
                const Error error = dbError(q.lastError(), QStringLiteral("be configured"));
                db.close();
                return error;
            }
        }
    }
    return db;
}

Status OrderStore::migrate()
{
    auto db = connection();
    if (!db)
        return db.error();
    const bool sqlite = m_settings.driver == QLatin1String("QSQLITE");
    WriteTransaction tx(*db, sqliteWriteLock());
    if (!tx.isActive())
        return tx.error();
    QSqlQuery q(*db);
    if (!sqlite) {
        // Several instances may start at once: one creates the tables, the others wait.
        if (!q.exec(QStringLiteral("SELECT pg_advisory_xact_lock(7270417)")))
            return dbError(q.lastError(), QStringLiteral("be prepared"));
    }
    if (!q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS companion_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")))
        return dbError(q.lastError(), QStringLiteral("be prepared"));
    int version = 0;
    if (!q.exec(QStringLiteral("SELECT value FROM companion_meta WHERE key = 'schema_version'")))
        return dbError(q.lastError(), QStringLiteral("be read"));
    if (q.next())
        version = q.value(0).toInt();
    if (version > SchemaVersion) {
        return Error(QStringLiteral("database_too_new"),
            QStringLiteral("The order database was written by a newer calstudio-companion (schema %1; this one knows "
                           "%2). Run the newer version.")
                .arg(version)
                .arg(SchemaVersion));
    }
    if (version < 1) {
        const QString serial = sqlite ? QStringLiteral("INTEGER PRIMARY KEY AUTOINCREMENT")
                                      : QStringLiteral("BIGSERIAL PRIMARY KEY");
        const QStringList ddl = {
            QStringLiteral("CREATE TABLE orders ("
                           " id TEXT PRIMARY KEY,"
                           " token_hash TEXT NOT NULL,"
                           " status TEXT NOT NULL,"
                           " format_id TEXT NOT NULL,"
                           " quantity INTEGER NOT NULL,"
                           " title TEXT NOT NULL,"
                           " client_reference TEXT NOT NULL DEFAULT '',"
                           " quote_json TEXT,"
                           " checkout_attempt INTEGER NOT NULL DEFAULT 0,"
                           " stripe_session_id TEXT,"
                           " checkout_url TEXT,"
                           " session_expires_at BIGINT NOT NULL DEFAULT 0,"
                           " payment_intent TEXT,"
                           " amount_paid BIGINT NOT NULL DEFAULT 0,"
                           " currency TEXT,"
                           " shipping_json TEXT,"
                           " contact_json TEXT,"
                           " flag TEXT,"
                           " created_at BIGINT NOT NULL,"
                           " updated_at BIGINT NOT NULL)"),
            QStringLiteral("CREATE INDEX orders_status ON orders (status, created_at)"),
            QStringLiteral("CREATE INDEX orders_session ON orders (stripe_session_id)"),
            QStringLiteral("CREATE INDEX orders_payment_intent ON orders (payment_intent)"),
            QStringLiteral("CREATE TABLE order_history ("
                           " id %1,"
                           " order_id TEXT NOT NULL REFERENCES orders (id),"
                           " at BIGINT NOT NULL,"
                           " from_status TEXT NOT NULL DEFAULT '',"
                           " to_status TEXT NOT NULL,"
                           " source TEXT NOT NULL,"
                           " note TEXT NOT NULL DEFAULT '')")
                .arg(serial),
            QStringLiteral("CREATE INDEX order_history_order ON order_history (order_id, id)"),
            QStringLiteral("CREATE TABLE order_files ("
                           " order_id TEXT NOT NULL REFERENCES orders (id),"
                           " position TEXT NOT NULL,"
                           " sha256 TEXT NOT NULL,"
                           " extension TEXT NOT NULL,"
                           " size BIGINT NOT NULL,"
                           " width INTEGER NOT NULL,"
                           " height INTEGER NOT NULL,"
                           " uploaded_at BIGINT NOT NULL,"
                           " PRIMARY KEY (order_id, position))"),
            QStringLiteral("CREATE TABLE stripe_events ("
                           " event_id TEXT PRIMARY KEY,"
                           " type TEXT NOT NULL,"
                           " payload TEXT NOT NULL,"
                           " received_at BIGINT NOT NULL,"
                           " processed_at BIGINT,"
                           " outcome TEXT)"),
            QStringLiteral("CREATE INDEX stripe_events_pending ON stripe_events (processed_at, received_at)"),
            QStringLiteral("INSERT INTO companion_meta (key, value) VALUES ('schema_version', '1')"),
        };
        for (const QString &statement : ddl) {
            if (!q.exec(statement))
                return dbError(q.lastError(), QStringLiteral("be created"));
        }
    }
    if (version < 2) {
        // Fulfillment at Printify (issue 8): the durable work queue, upload ids by content,
        // Printify events, shipments, and what the catalog learnt from Printify.
        const QStringList ddl = {
            QStringLiteral("ALTER TABLE orders ADD COLUMN shipping_option TEXT"),
            QStringLiteral("ALTER TABLE orders ADD COLUMN files_deleted_at BIGINT NOT NULL DEFAULT 0"),
            QStringLiteral("CREATE TABLE fulfillment_jobs ("
                           " order_id TEXT PRIMARY KEY REFERENCES orders (id),"
                           " step TEXT NOT NULL,"
                           " attempts INTEGER NOT NULL DEFAULT 0,"
                           " next_attempt_at BIGINT NOT NULL,"
                           " lease_owner TEXT,"
                           " lease_expires_at BIGINT NOT NULL DEFAULT 0,"
                           " printify_product_id TEXT,"
                           " printify_order_id TEXT,"
                           " order_create_started_at BIGINT NOT NULL DEFAULT 0,"
                           " last_error TEXT NOT NULL DEFAULT '',"
                           " created_at BIGINT NOT NULL,"
                           " updated_at BIGINT NOT NULL)"),
            QStringLiteral("CREATE INDEX fulfillment_due ON fulfillment_jobs (step, next_attempt_at)"),
            QStringLiteral("CREATE INDEX fulfillment_printify_order ON fulfillment_jobs (printify_order_id)"),
            QStringLiteral("CREATE TABLE printify_uploads ("
                           " sha256 TEXT PRIMARY KEY,"
                           " upload_id TEXT NOT NULL,"
                           " uploaded_at BIGINT NOT NULL)"),
            QStringLiteral("CREATE TABLE printify_events ("
                           " event_id TEXT PRIMARY KEY,"
                           " topic TEXT NOT NULL,"
                           " printify_order_id TEXT NOT NULL DEFAULT '',"
                           " payload TEXT NOT NULL,"
                           " received_at BIGINT NOT NULL)"),
            QStringLiteral("CREATE TABLE shipments ("
                           " order_id TEXT NOT NULL REFERENCES orders (id),"
                           " tracking_number TEXT NOT NULL,"
                           " carrier TEXT NOT NULL DEFAULT '',"
                           " tracking_url TEXT NOT NULL DEFAULT '',"
                           " shipped_at TEXT NOT NULL DEFAULT '',"
                           " delivered_at TEXT NOT NULL DEFAULT '',"
                           " PRIMARY KEY (order_id, tracking_number))"),
            QStringLiteral("CREATE TABLE printify_catalog ("
                           " format_id TEXT PRIMARY KEY,"
                           " format_json TEXT NOT NULL,"
                           " problem TEXT NOT NULL DEFAULT '',"
                           " fetched_at BIGINT NOT NULL)"),
            QStringLiteral("UPDATE companion_meta SET value = '2' WHERE key = 'schema_version'"),
        };
        for (const QString &statement : ddl) {
            if (!q.exec(statement))
                return dbError(q.lastError(), QStringLiteral("be upgraded"));
        }
    }
    return tx.commit();
}

Result<QSqlQuery> OrderStore::prepared(const QString &sql, const QString &what)
{
    auto db = connection();
    if (!db)
        return db.error();
    ThreadConnection *thread = t_connections[m_id].get();
    if (const auto it = thread->statements.constFind(sql); it != thread->statements.constEnd())
        return *it;
    QSqlQuery q(*db);
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return dbError(q.lastError(), what);
    thread->statements.insert(sql, q);
    return q;
}

Result<QSqlQuery> OrderStore::runPrepared(const QString &sql, const QVariantList &values, const QString &what)
{
    auto q = prepared(sql, what);
    if (!q)
        return q;
    for (int i = 0; i < values.size(); ++i)
        q->bindValue(i, values.at(i));
    if (!q->exec()) {
        const Error error = dbError(q->lastError(), what);
        q->finish();
        return error;
    }
    return q;
}

Result<QSqlQuery> OrderStore::run(const QString &sql, const QVariantList &values, const QString &what)
{
    auto db = connection();
    if (!db)
        return db.error();
    std::unique_lock<std::mutex> lock;
    if (std::mutex *writes = sqliteWriteLock(); writes && !sql.startsWith(QLatin1String("SELECT")))
        lock = std::unique_lock<std::mutex>(*writes);
    QSqlQuery q(*db);
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return dbError(q.lastError(), what);
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec())
        return dbError(q.lastError(), what);
    return q;
}

std::mutex *OrderStore::sqliteWriteLock()
{
    return m_settings.driver == QLatin1String("QSQLITE") ? &m_sqliteWrites : nullptr;
}

Status OrderStore::ping()
{
    auto db = connection();
    if (!db)
        return db.error();
    QSqlQuery q(*db);
    if (!q.exec(QStringLiteral("SELECT 1")) || !q.next()) {
        // A dropped PostgreSQL connection: close it so the next call reconnects.
        const Error error(QStringLiteral("database_unavailable"),
            QStringLiteral("The order database does not answer."), q.lastError().text());
        q.finish();
        db->close();
        return error;
    }
    return Status::success();
}

Status OrderStore::createOrder(const OrderRecord &o, const QString &source)
{
    auto db = connection();
    if (!db)
        return db.error();
    WriteTransaction tx(*db, sqliteWriteLock());
    if (!tx.isActive())
        return tx.error();
    QSqlQuery q(*db);
    q.prepare(QStringLiteral("INSERT INTO orders (id, token_hash, status, format_id, quantity, title, client_reference, "
                             "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    const qint64 now = o.createdAt > 0 ? o.createdAt : nowMs();
    q.addBindValue(o.id);
    q.addBindValue(QString::fromLatin1(o.tokenHash));
    q.addBindValue(orderStatusId(o.status));
    q.addBindValue(o.formatId);
    q.addBindValue(o.quantity);
    q.addBindValue(text(o.title));
    q.addBindValue(text(o.clientReference));
    q.addBindValue(now);
    q.addBindValue(now);
    if (!q.exec())
        return dbError(q.lastError(), QStringLiteral("store the new order"));
    if (Status s = insertHistory(*db, o.id, QString(), orderStatusId(o.status), source, QStringLiteral("order created"));
        !s)
        return s;
    return tx.commit();
}

Result<std::optional<OrderRecord>> OrderStore::findWhere(const QString &column, const QString &value)
{
    auto q = runPrepared(QStringLiteral("SELECT %1 FROM orders WHERE %2 = ? ORDER BY created_at DESC")
                  .arg(QLatin1String(OrderColumns), column),
        { value }, QStringLiteral("read the order"));
    if (!q)
        return q.error();
    std::optional<OrderRecord> order;
    if (q->next())
        order = orderFromRow(*q);
    q->finish(); // a reused statement must not keep the read snapshot open
    return order;
}

Result<std::optional<OrderRecord>> OrderStore::find(const QString &orderId)
{
    return findWhere(QStringLiteral("id"), orderId);
}

Result<std::optional<OrderRecord>> OrderStore::findBySession(const QString &sessionId)
{
    return findWhere(QStringLiteral("stripe_session_id"), sessionId);
}

Result<std::optional<OrderRecord>> OrderStore::findByPaymentIntent(const QString &paymentIntent)
{
    return findWhere(QStringLiteral("payment_intent"), paymentIntent);
}

Result<QList<OrderRecord>> OrderStore::list(std::optional<OrderStatus> status, bool flaggedOnly, int limit)
{
    auto db = connection();
    if (!db)
        return db.error();
    QStringList where;
    if (status)
        where << QStringLiteral("status = ?");
    if (flaggedOnly)
        where << QStringLiteral("flag IS NOT NULL AND flag <> ''");
    QSqlQuery q(*db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM orders %2 ORDER BY created_at DESC, id LIMIT ?")
                  .arg(QLatin1String(OrderColumns),
                      where.isEmpty() ? QString() : QStringLiteral("WHERE ") + where.join(QStringLiteral(" AND "))));
    if (status)
        q.addBindValue(orderStatusId(*status));
    q.addBindValue(qBound(1, limit, 10000));
    if (!q.exec())
        return dbError(q.lastError(), QStringLiteral("list orders"));
    QList<OrderRecord> out;
    while (q.next())
        out.append(orderFromRow(q));
    return out;
}

Result<QList<OrderFile>> OrderStore::files(const QString &orderId)
{
    auto q = runPrepared(QStringLiteral("SELECT position, sha256, extension, size, width, height, uploaded_at FROM order_files "
                             "WHERE order_id = ? ORDER BY position"),
        { orderId }, QStringLiteral("read the order's files"));
    if (!q)
        return q.error();
    QList<OrderFile> out;
    while (q->next()) {
        out.append(OrderFile { q->value(0).toString(), q->value(1).toString(), q->value(2).toString(),
            q->value(3).toLongLong(), QSize(q->value(4).toInt(), q->value(5).toInt()), q->value(6).toLongLong() });
    }
    q->finish();
    return out;
}

Result<QList<OrderHistoryEntry>> OrderStore::history(const QString &orderId)
{
    auto q = runPrepared(QStringLiteral("SELECT at, from_status, to_status, source, note FROM order_history WHERE order_id = ? "
                             "ORDER BY id"),
        { orderId }, QStringLiteral("read the order's history"));
    if (!q)
        return q.error();
    QList<OrderHistoryEntry> out;
    while (q->next()) {
        out.append(OrderHistoryEntry { q->value(0).toLongLong(), q->value(1).toString(), q->value(2).toString(),
            q->value(3).toString(), q->value(4).toString() });
    }
    q->finish();
    return out;
}

Result<bool> OrderStore::putFile(const QString &orderId, const OrderFile &file)
{
    auto db = connection();
    if (!db)
        return db.error();
    const bool sqlite = m_settings.driver == QLatin1String("QSQLITE");
    WriteTransaction tx(*db, sqliteWriteLock());
    if (!tx.isActive())
        return tx.error();
    QSqlQuery q(*db);
    q.prepare(QStringLiteral("SELECT status FROM orders WHERE id = ?") + (sqlite ? QString() : QStringLiteral(" FOR UPDATE")));
    q.addBindValue(orderId);
    if (!q.exec())
        return dbError(q.lastError(), QStringLiteral("read the order"));
    if (!q.next())
        return Error(QStringLiteral("order_not_found"), QStringLiteral("There is no such order."));
    if (q.value(0).toString() != orderStatusId(OrderStatus::Draft))
        return false;
    q.finish();
    q.prepare(QStringLiteral("INSERT INTO order_files (order_id, position, sha256, extension, size, width, height, "
                             "uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                             "ON CONFLICT (order_id, position) DO UPDATE SET sha256 = excluded.sha256, "
                             "extension = excluded.extension, size = excluded.size, width = excluded.width, "
                             "height = excluded.height, uploaded_at = excluded.uploaded_at"));
    q.addBindValue(orderId);
    q.addBindValue(file.position);
    q.addBindValue(file.sha256);
    q.addBindValue(file.extension);
    q.addBindValue(file.size);
    q.addBindValue(file.pixels.width());
    q.addBindValue(file.pixels.height());
    q.addBindValue(nowMs());
    if (!q.exec())
        return dbError(q.lastError(), QStringLiteral("store the print file"));
    q.prepare(QStringLiteral("UPDATE orders SET updated_at = ? WHERE id = ?"));
    q.addBindValue(nowMs());
    q.addBindValue(orderId);
    if (!q.exec())
        return dbError(q.lastError(), QStringLiteral("store the print file"));
    if (Status s = tx.commit(); !s)
        return s.error();
    return true;
}

Result<OrderStore::CheckoutAttempt> OrderStore::advanceCheckoutAttempt(const QString &orderId, int expected,
    qint64 expiresAt)
{
    auto db = connection();
    if (!db)
        return db.error();
    WriteTransaction tx(*db, sqliteWriteLock());
    if (!tx.isActive())
        return tx.error();
    QSqlQuery q(*db);
    q.prepare(QStringLiteral("UPDATE orders SET checkout_attempt = checkout_attempt + 1, session_expires_at = ?, "
                             "updated_at = ? WHERE id = ? AND checkout_attempt = ?"));
    q.addBindValue(expiresAt);
    q.addBindValue(nowMs());
    q.addBindValue(orderId);
    q.addBindValue(expected);
    if (!q.exec())
        return dbError(q.lastError(), QStringLiteral("start a checkout"));
    q.prepare(QStringLiteral("SELECT checkout_attempt, session_expires_at FROM orders WHERE id = ?"));
    q.addBindValue(orderId);
    if (!q.exec())
        return dbError(q.lastError(), QStringLiteral("start a checkout"));
    if (!q.next())
        return Error(QStringLiteral("order_not_found"), QStringLiteral("There is no such order."));
    const CheckoutAttempt attempt { q.value(0).toInt(), q.value(1).toLongLong() };
    q.finish();
    if (Status s = tx.commit(); !s)
        return s.error();
    return attempt;
}

Result<bool> OrderStore::applyTransition(const QString &orderId, const Transition &t)
{
    auto db = connection();
    if (!db)
        return db.error();
    const bool sqlite = m_settings.driver == QLatin1String("QSQLITE");
    WriteTransaction tx(*db, sqliteWriteLock());
    if (!tx.isActive())
        return tx.error();
    QSqlQuery q(*db);
    q.prepare(QStringLiteral("SELECT status, stripe_session_id FROM orders WHERE id = ?")
        + (sqlite ? QString() : QStringLiteral(" FOR UPDATE")));
    q.addBindValue(orderId);
    if (!q.exec())
        return dbError(q.lastError(), QStringLiteral("read the order"));
    if (!q.next())
        return Error(QStringLiteral("order_not_found"), QStringLiteral("There is no such order."));
    const auto current = orderStatusFromId(q.value(0).toString());
    const QString session = q.value(1).toString();
    q.finish();
    if (!current || !canTransition(*current, t.to) || (!t.from.isEmpty() && !t.from.contains(*current))
        || (!t.requireSessionId.isEmpty() && session != t.requireSessionId)) {
        return false;
    }

    QStringList assignments { QStringLiteral("status = ?"), QStringLiteral("updated_at = ?") };
    QVariantList values { orderStatusId(t.to), nowMs() };
    addAssignments(t.set, settableColumns(), assignments, values);
    q.prepare(QStringLiteral("UPDATE orders SET %1 WHERE id = ? AND status = ?").arg(assignments.join(QStringLiteral(", "))));
    for (const QVariant &v : std::as_const(values))
        q.addBindValue(v);
    q.addBindValue(orderId);
    q.addBindValue(orderStatusId(*current));
    if (!q.exec())
        return dbError(q.lastError(), QStringLiteral("change the order's status"));
    if (q.numRowsAffected() != 1)
        return false;
    if (Status s = insertHistory(*db, orderId, orderStatusId(*current), orderStatusId(t.to), t.source, t.note); !s)
        return s.error();
    if (t.to == OrderStatus::Paid) {
        // Paid and queued for fulfillment in the same transaction: a paid order always has its job.
        q.prepare(QStringLiteral("INSERT INTO fulfillment_jobs (order_id, step, next_attempt_at, created_at, updated_at) "
                                 "VALUES (?, 'upload', ?, ?, ?) ON CONFLICT (order_id) DO NOTHING"));
        const qint64 now = nowMs();
        q.addBindValue(orderId);
        q.addBindValue(now);
        q.addBindValue(now);
        q.addBindValue(now);
        if (!q.exec())
            return dbError(q.lastError(), QStringLiteral("queue the order for printing"));
    }
    if (Status s = tx.commit(); !s)
        return s.error();
    return true;
}

Status OrderStore::update(const QString &orderId, const QVariantMap &set, const QString &source, const QString &note)
{
    auto db = connection();
    if (!db)
        return db.error();
    const bool sqlite = m_settings.driver == QLatin1String("QSQLITE");
    WriteTransaction tx(*db, sqliteWriteLock());
    if (!tx.isActive())
        return tx.error();
    QSqlQuery q(*db);
    q.prepare(QStringLiteral("SELECT status FROM orders WHERE id = ?") + (sqlite ? QString() : QStringLiteral(" FOR UPDATE")));
    q.addBindValue(orderId);
    if (!q.exec())
        return dbError(q.lastError(), QStringLiteral("read the order"));
    if (!q.next())
        return Error(QStringLiteral("order_not_found"), QStringLiteral("There is no such order."));
    const QString status = q.value(0).toString();
    q.finish();
    QStringList assignments { QStringLiteral("updated_at = ?") };
    QVariantList values { nowMs() };
    addAssignments(set, settableColumns(), assignments, values);
    q.prepare(QStringLiteral("UPDATE orders SET %1 WHERE id = ?").arg(assignments.join(QStringLiteral(", "))));
    for (const QVariant &v : std::as_const(values))
        q.addBindValue(v);
    q.addBindValue(orderId);
    if (!q.exec())
        return dbError(q.lastError(), QStringLiteral("update the order"));
    if (!note.isEmpty()) {
        if (Status s = insertHistory(*db, orderId, status, status, source, note); !s)
            return s;
    }
    return tx.commit();
}

Result<bool> OrderStore::recordStripeEvent(const QString &eventId, const QString &type, const QByteArray &payload)
{
    auto q = run(QStringLiteral("INSERT INTO stripe_events (event_id, type, payload, received_at) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT (event_id) DO NOTHING"),
        { eventId, type, QString::fromUtf8(payload), nowMs() }, QStringLiteral("record the payment event"));
    if (!q)
        return q.error();
    return q->numRowsAffected() == 1;
}

Status OrderStore::markStripeEventProcessed(const QString &eventId, const QString &outcome)
{
    auto q = run(QStringLiteral("UPDATE stripe_events SET processed_at = ?, outcome = ? WHERE event_id = ?"),
        { nowMs(), outcome, eventId }, QStringLiteral("record the payment event"));
    if (!q)
        return q.error();
    return Status::success();
}

Result<QList<StoredEvent>> OrderStore::unprocessedStripeEvents()
{
    auto q = run(QStringLiteral("SELECT event_id, type, payload, received_at FROM stripe_events " "WHERE processed_at IS NULL ORDER BY received_at"),
        {}, QStringLiteral("read payment events"));
    if (!q)
        return q.error();
    QList<StoredEvent> out;
    while (q->next())
        out.append(StoredEvent { q->value(0).toString(), q->value(1).toString(), q->value(2).toString().toUtf8(),
            q->value(3).toLongLong() });
    return out;
}

// --- fulfillment -------------------------------------------------------------------------------------

namespace {

constexpr auto JobColumns = "order_id, step, attempts, next_attempt_at, lease_owner, lease_expires_at, "
                            "printify_product_id, printify_order_id, order_create_started_at, last_error";

FulfillmentJob jobFromRow(const QSqlQuery &q)
{
    FulfillmentJob j;
    j.orderId = q.value(0).toString();
    j.step = q.value(1).toString();
    j.attempts = q.value(2).toInt();
    j.nextAttemptAt = q.value(3).toLongLong();
    j.leaseOwner = q.value(4).toString();
    j.leaseExpiresAt = q.value(5).toLongLong();
    j.productId = q.value(6).toString();
    j.printifyOrderId = q.value(7).toString();
    j.orderCreateStartedAt = q.value(8).toLongLong();
    j.lastError = q.value(9).toString();
    return j;
}

const QStringList &jobColumns()
{
    static const QStringList columns = {
        QStringLiteral("step"), QStringLiteral("attempts"), QStringLiteral("next_attempt_at"),
        QStringLiteral("printify_product_id"), QStringLiteral("printify_order_id"),
        QStringLiteral("order_create_started_at"), QStringLiteral("last_error"),
    };
    return columns;
}

} // namespace

Result<std::optional<FulfillmentJob>> OrderStore::claimFulfillmentJob(const QString &owner, qint64 leaseMs)
{
    auto db = connection();
    if (!db)
        return db.error();
    const bool sqlite = m_settings.driver == QLatin1String("QSQLITE");
    WriteTransaction tx(*db, sqliteWriteLock());
    if (!tx.isActive())
        return tx.error();
    const qint64 now = nowMs();
    QSqlQuery q(*db);
    q.prepare(QStringLiteral("SELECT %1 FROM fulfillment_jobs WHERE step NOT IN ('done', 'failed') "
                             "AND next_attempt_at <= ? AND (lease_owner IS NULL OR lease_expires_at < ?) "
                             "ORDER BY next_attempt_at LIMIT 1")
                  .arg(QLatin1String(JobColumns))
        + (sqlite ? QString() : QStringLiteral(" FOR UPDATE SKIP LOCKED")));
    q.addBindValue(now);
    q.addBindValue(now);
    if (!q.exec())
        return dbError(q.lastError(), QStringLiteral("read the print queue"));
    if (!q.next())
        return std::optional<FulfillmentJob>();
    FulfillmentJob job = jobFromRow(q);
    q.finish();
    q.prepare(QStringLiteral("UPDATE fulfillment_jobs SET lease_owner = ?, lease_expires_at = ?, updated_at = ? "
                             "WHERE order_id = ?"));
    q.addBindValue(owner);
    q.addBindValue(now + leaseMs);
    q.addBindValue(now);
    q.addBindValue(job.orderId);
    if (!q.exec())
        return dbError(q.lastError(), QStringLiteral("claim print work"));
    if (Status s = tx.commit(); !s)
        return s.error();
    job.leaseOwner = owner;
    job.leaseExpiresAt = now + leaseMs;
    return std::optional<FulfillmentJob>(job);
}

Result<bool> OrderStore::updateFulfillmentJob(const QString &orderId, const QString &owner, const QVariantMap &set,
    qint64 leaseMs)
{
    auto db = connection();
    if (!db)
        return db.error();
    const qint64 now = nowMs();
    QStringList assignments { QStringLiteral("lease_expires_at = ?"), QStringLiteral("updated_at = ?") };
    QVariantList values { now + leaseMs, now };
    addAssignments(set, jobColumns(), assignments, values);
    std::unique_lock<std::mutex> lock;
    if (std::mutex *writes = sqliteWriteLock())
        lock = std::unique_lock<std::mutex>(*writes);
    QSqlQuery q(*db);
    // Only the lease holder writes, and only while its lease runs.
    q.prepare(QStringLiteral("UPDATE fulfillment_jobs SET %1 WHERE order_id = ? AND lease_owner = ? AND lease_expires_at >= ?")
                  .arg(assignments.join(QStringLiteral(", "))));
    for (const QVariant &v : std::as_const(values))
        q.addBindValue(v);
    q.addBindValue(orderId);
    q.addBindValue(owner);
    q.addBindValue(now);
    if (!q.exec())
        return dbError(q.lastError(), QStringLiteral("record print progress"));
    return q.numRowsAffected() == 1;
}

Status OrderStore::releaseFulfillmentJob(const QString &orderId, const QString &owner)
{
    auto q = run(QStringLiteral("UPDATE fulfillment_jobs SET lease_owner = NULL, lease_expires_at = 0 "
                             "WHERE order_id = ? AND lease_owner = ?"),
        { orderId, owner }, QStringLiteral("record print progress"));
    if (!q)
        return q.error();
    return Status::success();
}

Result<std::optional<FulfillmentJob>> OrderStore::fulfillmentJob(const QString &orderId)
{
    auto q = run(QStringLiteral("SELECT %1 FROM fulfillment_jobs WHERE order_id = ?").arg(QLatin1String(JobColumns)),
        { orderId }, QStringLiteral("read the print queue"));
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<FulfillmentJob>();
    return std::optional<FulfillmentJob>(jobFromRow(*q));
}

Status OrderStore::requeueFulfillmentJob(const QString &orderId, const QString &step)
{
    auto db = connection();
    if (!db)
        return db.error();
    std::unique_lock<std::mutex> lock;
    if (std::mutex *writes = sqliteWriteLock())
        lock = std::unique_lock<std::mutex>(*writes);
    QSqlQuery q(*db);
    q.prepare(QStringLiteral("UPDATE fulfillment_jobs SET step = ?, attempts = 0, next_attempt_at = ?, lease_owner = NULL, "
                             "lease_expires_at = 0, last_error = '', updated_at = ? WHERE order_id = ?"));
    const qint64 now = nowMs();
    q.addBindValue(step);
    q.addBindValue(now);
    q.addBindValue(now);
    q.addBindValue(orderId);
    if (!q.exec())
        return dbError(q.lastError(), QStringLiteral("queue the order again"));
    if (q.numRowsAffected() != 1)
        return Error(QStringLiteral("order_not_found"), QStringLiteral("This order has no print job."));
    return Status::success();
}

Result<QList<FulfillmentJob>> OrderStore::openFulfillmentJobs()
{
    auto q = run(QStringLiteral("SELECT %1 FROM fulfillment_jobs WHERE step NOT IN ('done', 'failed') ORDER BY next_attempt_at") .arg(QLatin1String(JobColumns)),
        {}, QStringLiteral("read the print queue"));
    if (!q)
        return q.error();
    QList<FulfillmentJob> out;
    while (q->next())
        out.append(jobFromRow(*q));
    return out;
}

Result<QString> OrderStore::printifyUploadId(const QString &sha256)
{
    auto q = run(QStringLiteral("SELECT upload_id FROM printify_uploads WHERE sha256 = ?"),
        { sha256 }, QStringLiteral("read upload records"));
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toString() : QString();
}

Status OrderStore::recordPrintifyUpload(const QString &sha256, const QString &uploadId)
{
    auto q = run(QStringLiteral("INSERT INTO printify_uploads (sha256, upload_id, uploaded_at) VALUES (?, ?, ?) "
                             "ON CONFLICT (sha256) DO UPDATE SET upload_id = excluded.upload_id, uploaded_at = excluded.uploaded_at"),
        { sha256, uploadId, nowMs() }, QStringLiteral("record an upload"));
    if (!q)
        return q.error();
    return Status::success();
}

Result<bool> OrderStore::recordPrintifyEvent(const QString &eventId, const QString &topic, const QString &printifyOrderId,
    const QByteArray &payload)
{
    auto q = run(QStringLiteral("INSERT INTO printify_events (event_id, topic, printify_order_id, payload, received_at) "
                             "VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING"),
        { eventId, topic, text(printifyOrderId), QString::fromUtf8(payload), nowMs() }, QStringLiteral("record the print event"));
    if (!q)
        return q.error();
    return q->numRowsAffected() == 1;
}

Result<QString> OrderStore::orderIdForPrintifyOrder(const QString &printifyOrderId)
{
    auto q = run(QStringLiteral("SELECT order_id FROM fulfillment_jobs WHERE printify_order_id = ?"),
        { printifyOrderId }, QStringLiteral("read the print queue"));
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toString() : QString();
}

Status OrderStore::upsertShipment(const QString &orderId, const Shipment &sh)
{
    auto q = run(QStringLiteral("INSERT INTO shipments (order_id, tracking_number, carrier, tracking_url, shipped_at, delivered_at) "
                             "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (order_id, tracking_number) DO UPDATE SET "
                             "carrier = excluded.carrier, tracking_url = excluded.tracking_url, "
                             "shipped_at = CASE WHEN excluded.shipped_at <> '' THEN excluded.shipped_at ELSE shipments.shipped_at END, "
                             "delivered_at = CASE WHEN excluded.delivered_at <> '' THEN excluded.delivered_at ELSE shipments.delivered_at END"),
        { orderId, text(sh.trackingNumber), text(sh.carrier), text(sh.trackingUrl), text(sh.shippedAt), text(sh.deliveredAt) }, QStringLiteral("record the shipment"));
    if (!q)
        return q.error();
    return Status::success();
}

Result<QList<Shipment>> OrderStore::shipments(const QString &orderId)
{
    auto q = runPrepared(QStringLiteral("SELECT tracking_number, carrier, tracking_url, shipped_at, delivered_at FROM shipments "
                             "WHERE order_id = ? ORDER BY shipped_at, tracking_number"),
        { orderId }, QStringLiteral("read shipments"));
    if (!q)
        return q.error();
    QList<Shipment> out;
    while (q->next()) {
        out.append(Shipment { q->value(0).toString(), q->value(1).toString(), q->value(2).toString(), q->value(3).toString(),
            q->value(4).toString() });
    }
    q->finish();
    return out;
}

Status OrderStore::putCatalogEntry(const CatalogEntry &e)
{
    auto q = run(QStringLiteral("INSERT INTO printify_catalog (format_id, format_json, problem, fetched_at) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT (format_id) DO UPDATE SET format_json = excluded.format_json, "
                             "problem = excluded.problem, fetched_at = excluded.fetched_at"),
        { e.formatId, text(jsonText(e.format)), text(e.problem), e.fetchedAt > 0 ? e.fetchedAt : nowMs() }, QStringLiteral("store the catalog"));
    if (!q)
        return q.error();
    return Status::success();
}

Result<QList<OrderStore::CatalogEntry>> OrderStore::catalogEntries()
{
    auto q = run(QStringLiteral("SELECT format_id, format_json, problem, fetched_at FROM printify_catalog ORDER BY format_id"),
        {}, QStringLiteral("read the catalog"));
    if (!q)
        return q.error();
    QList<CatalogEntry> out;
    while (q->next())
        out.append(CatalogEntry { q->value(0).toString(), jsonObject(q->value(1)), q->value(2).toString(), q->value(3).toLongLong() });
    return out;
}

Result<QList<OrderRecord>> OrderStore::ordersWithFilesFinishedBefore(qint64 beforeMs)
{
    auto q = run(QStringLiteral("SELECT %1 FROM orders WHERE status IN ('delivered', 'refunded', 'canceled') "
                             "AND files_deleted_at = 0 AND updated_at < ?")
                  .arg(QLatin1String(OrderColumns)),
        { beforeMs }, QStringLiteral("list finished orders"));
    if (!q)
        return q.error();
    QList<OrderRecord> out;
    while (q->next())
        out.append(orderFromRow(*q));
    return out;
}

Result<bool> OrderStore::fileStillNeeded(const QString &sha256, const QString &exceptOrderId)
{
    auto q = run(QStringLiteral("SELECT 1 FROM order_files f JOIN orders o ON o.id = f.order_id WHERE f.sha256 = ? "
                             "AND f.order_id <> ? AND o.files_deleted_at = 0 LIMIT 1"),
        { sha256, exceptOrderId }, QStringLiteral("check file use"));
    if (!q)
        return q.error();
    return q->next();
}

} // namespace CalStudio
