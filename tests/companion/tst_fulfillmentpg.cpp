// Several companion instances on one PostgreSQL database (issue 8, "Tests"):
// two real calstudio-companion processes share the order database and the
// data directory; the test puts paid orders into the database (as the
// payment path leaves them) and both instances' fulfillment workers claim
// them (SELECT … FOR UPDATE SKIP LOCKED plus a lease).
//
//  1. 50 paid orders processed concurrently → exactly 50 Printify orders, no
//     external_id twice, every order in_production with each transition once,
//     and both instances did part of the work.
//  2. 20 more; one instance is killed with SIGKILL mid-way → the other takes
//     over the dead one's jobs once their leases ran out and finishes all.
//
// The database: CALSTUDIO_TEST_POSTGRES=postgresql://user@host:port/db names
// a server where the test may CREATE DATABASE (it makes its own and drops it).
// scripts/test.sh starts a throwaway cluster and sets it. Without it the test
// skips — or fails when CALSTUDIO_REQUIRE_POSTGRES=1.

#include "fulfillmenttestsupport.h"

#include <QCoreApplication>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QUrl>

using namespace CalStudio;
using namespace CalStudio::FulfillmentTest;

class TestFulfillmentPg : public QObject {
    Q_OBJECT

private:
    QUrl m_server; // CALSTUDIO_TEST_POSTGRES
    QString m_databaseName; // this run's database
    QString m_databaseUrl; // COMPANION_DATABASE_URL of both instances
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SandboxServer> m_sandbox;
    quint16 m_sandboxPort = 0;
    std::shared_ptr<OrderStore> m_store;
    CompanionConfig m_config;
    QString m_configPath;
    QProcessEnvironment m_env;
    std::unique_ptr<CompanionProcess> m_a;
    std::unique_ptr<CompanionProcess> m_b;
    PrintFormat m_format;
    StoredFile m_file;

    /// Runs `sql` on the server's own database (CREATE/DROP DATABASE); an error text, empty when done.
    QString serverExec(const QString &sql)
    {
        const QString name = QStringLiteral("tst_fulfillmentpg_admin");
        QString error;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
            db.setHostName(m_server.host());
            db.setPort(m_server.port(5432));
            db.setUserName(m_server.userName());
            db.setPassword(m_server.password());
            db.setDatabaseName(m_server.path().mid(1));
            db.setConnectOptions(QStringLiteral("connect_timeout=5"));
            if (!db.open()) {
                error = db.lastError().text();
            } else {
                QSqlQuery q(db);
                if (!q.exec(sql))
                    error = q.lastError().text();
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
        return error;
    }

    QStringList putOrders(const QString &prefix, int count)
    {
        QStringList ids;
        for (int i = 1; i <= count; ++i) {
            const QString id = QStringLiteral("%1%2").arg(prefix).arg(i, 3, 10, QLatin1Char('0'));
            const QString error = putPaidOrder(*m_store, m_config, id, m_format, { { QStringLiteral("*"), m_file } });
            if (!error.isEmpty()) {
                qWarning("putPaidOrder %s: %s", qPrintable(id), qPrintable(error));
                return {};
            }
            ids << id;
            // The Printify fake lives on this thread: keep answering the companions.
            QCoreApplication::processEvents();
        }
        return ids;
    }

    int countInProduction(const QStringList &ids)
    {
        auto orders = m_store->list(OrderStatus::InProduction, false, 1000);
        if (!orders)
            return -1;
        const QSet<QString> wanted(ids.begin(), ids.end());
        return int(std::count_if(orders->begin(), orders->end(), [&](const OrderRecord &o) { return wanted.contains(o.id); }));
    }

    int printifyOrderCount(const QStringList &ids)
    {
        const QSet<QString> wanted(ids.begin(), ids.end());
        int n = 0;
        for (const auto *o : m_sandbox->printify().orders())
            n += wanted.contains(o->externalId) ? 1 : 0;
        return n;
    }

    /// Order id → how many "printify_order" log lines (an order adopted by its job) `process` wrote.
    QHash<QString, int> adopted(const CompanionProcess &process)
    {
        QHash<QString, int> n;
        for (const QJsonObject &e : process.events(QStringLiteral("printify_order")))
            ++n[e.value(QStringLiteral("order_id")).toString()];
        return n;
    }

    QString stuck(const QStringList &ids)
    {
        QStringList lines;
        for (const QString &id : ids) {
            const auto status = statusOf(*m_store, id);
            if (status == OrderStatus::InProduction)
                continue;
            auto job = m_store->fulfillmentJob(id);
            lines << QStringLiteral("%1: %2, job %3 attempts %4 lease %5 error %6")
                         .arg(id, status ? orderStatusId(*status) : QStringLiteral("?"),
                             job && job->has_value() ? (**job).step : QStringLiteral("none"))
                         .arg(job && job->has_value() ? (**job).attempts : -1)
                         .arg(job && job->has_value() ? (**job).leaseOwner : QString(),
                             job && job->has_value() ? (**job).lastError : QString());
            if (lines.size() >= 10)
                break;
        }
        return lines.join(QLatin1Char('\n')) + QLatin1Char('\n') + QString::fromUtf8(m_a->tail(8)) + QLatin1Char('\n')
            + QString::fromUtf8(m_b->tail(8));
    }

    /// Exactly one Printify order per id, the recorded one, and each transition once.
    void checkOrders(const QStringList &ids)
    {
        QSet<QString> printifyIds;
        for (const QString &id : ids) {
            const auto orders = printifyOrders(*m_sandbox, id);
            QVERIFY2(orders.size() == 1, qPrintable(QStringLiteral("%1: %2 Printify orders").arg(id).arg(orders.size())));
            const FulfillmentJob job = **m_store->fulfillmentJob(id);
            QCOMPARE(job.printifyOrderId, orders.first()->id);
            QCOMPARE(orders.first()->lineItems.first().productId, job.productId);
            QVERIFY(!printifyIds.contains(job.printifyOrderId));
            printifyIds.insert(job.printifyOrderId);
            for (const char *to : { "submitting", "submitted", "in_production" }) {
                QVERIFY2(transitionsTo(*m_store, id, QLatin1String(to)) == 1,
                    qPrintable(QStringLiteral("%1: %2 × %3\n").arg(id, QLatin1String(to)).arg(transitionsTo(*m_store, id, QLatin1String(to)))
                        + historyText(*m_store, id)));
            }
        }
        QCOMPARE(printifyOrderCount(ids), ids.size());
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString url = qEnvironmentVariable("CALSTUDIO_TEST_POSTGRES");
        if (url.isEmpty()) {
            const char *why = "CALSTUDIO_TEST_POSTGRES is not set: run scripts/test.sh, which starts a throwaway "
                              "PostgreSQL cluster, or set it to postgresql://user@host:port/db of a server where the "
                              "test may CREATE DATABASE";
            if (qEnvironmentVariable("CALSTUDIO_REQUIRE_POSTGRES") == QLatin1String("1"))
                QFAIL(why);
            QSKIP(why);
        }
        QVERIFY2(QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")), "the Qt driver QPSQL is missing (libqt6sql6-psql)");
        m_server = QUrl(url);
        QVERIFY2(m_server.isValid() && !m_server.host().isEmpty() && m_server.path().size() > 1, qPrintable(url));

        // A database of our own: parallel runs and earlier runs do not meet.
        m_databaseName = QStringLiteral("calstudio_fpg_%1_%2")
                             .arg(QCoreApplication::applicationPid())
                             .arg(QDateTime::currentMSecsSinceEpoch());
        const QString created = serverExec(QStringLiteral("CREATE DATABASE %1").arg(m_databaseName));
        QVERIFY2(created.isEmpty(), qPrintable(created));
        QUrl database = m_server;
        database.setPath(QLatin1Char('/') + m_databaseName);
        database.setQuery(QString());
        m_databaseUrl = database.toString();

        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_sandbox = std::make_unique<SandboxServer>();
        m_sandboxPort = m_sandbox->listen();
        QVERIFY(m_sandboxPort != 0);
        configureFake(*m_sandbox);

        // One data directory for both (the print files are shared like the database).
        const QString dataDir = m_dir->filePath(QStringLiteral("data"));
        QVERIFY(QDir().mkpath(dataDir));
        m_configPath = writeJson(m_dir->filePath(QStringLiteral("companion.json")), companionConfig(dataDir, m_sandboxPort));
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(QStringLiteral("COMPANION_DATABASE_URL"), m_databaseUrl);
        QProcessEnvironment configEnv;
        configEnv.insert(QStringLiteral("COMPANION_DATABASE_URL"), m_databaseUrl);
        auto parsed = CompanionConfig::load(m_configPath, configEnv);
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().userMessage));
        m_config = *parsed;
        QCOMPARE(m_config.database().driver, QStringLiteral("QPSQL"));

        // Both instances start at once (one creates the tables, the other waits for it).
        m_a = std::make_unique<CompanionProcess>(QStringLiteral("instance A"), m_dir->filePath(QStringLiteral("a")));
        m_b = std::make_unique<CompanionProcess>(QStringLiteral("instance B"), m_dir->filePath(QStringLiteral("b")));
        QVERIFY(m_a->start(m_configPath, m_env));
        QVERIFY(m_b->start(m_configPath, m_env));
        QVERIFY2(m_a->waitForListening(), m_a->tail().constData());
        QVERIFY2(m_b->waitForListening(), m_b->tail().constData());

        auto store = OrderStore::open(m_config.database());
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
        m_store = *store;
        std::optional<PrintFormat> format;
        QVERIFY2(waitUntil([&] { return (format = discoveredFormat(*m_store)).has_value(); }, 30000, 100),
            m_a->tail().constData());
        m_format = *format;
        QCOMPARE(m_format.positions.size(), 13);
        auto stored = FileStore(dataDir + QStringLiteral("/files")).put(jpeg(Placeholder, 3), QStringLiteral("jpg"));
        QVERIFY(stored.ok());
        m_file = *stored;
    }

    void cleanupTestCase()
    {
        m_a.reset();
        m_b.reset();
        m_store.reset();
        m_sandbox.reset();
        if (!m_databaseName.isEmpty()) {
            const QString dropped = serverExec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_databaseName));
            if (!dropped.isEmpty())
                qWarning("could not drop %s: %s", qPrintable(m_databaseName), qPrintable(dropped));
        }
    }

    void fiftyOrdersTwoInstances()
    {
        QElapsedTimer t;
        t.start();
        const QStringList ids = putOrders(QStringLiteral("ord_pg_a"), 50);
        QCOMPARE(ids.size(), 50);
        QVERIFY2(waitUntil([&] { return countInProduction(ids) == ids.size(); }, 150000, 200), qPrintable(stuck(ids)));
        qInfo("50 orders in production after %lld ms", t.elapsed());
        checkOrders(ids);

        // Both instances did part of the work, and each order was adopted by exactly one of them, once.
        const QHash<QString, int> byA = adopted(*m_a);
        const QHash<QString, int> byB = adopted(*m_b);
        for (const QString &id : ids)
            QVERIFY2(byA.value(id) + byB.value(id) == 1, qPrintable(QStringLiteral("%1: A %2, B %3").arg(id).arg(byA.value(id)).arg(byB.value(id))));
        qInfo("instance A submitted %lld orders, instance B %lld; %d product creates, %d order creates", qsizetype(byA.size()),
            qsizetype(byB.size()), m_sandbox->printify().count("POST", QStringLiteral("/products.json")),
            m_sandbox->printify().count("POST", QStringLiteral("/v1/shops/12345/orders.json")));
        QVERIFY2(!byA.isEmpty() && !byB.isEmpty(), "one instance did all the work");
        QVERIFY(m_a->events(QStringLiteral("fulfillment_failed")).isEmpty());
        QVERIFY(m_b->events(QStringLiteral("fulfillment_failed")).isEmpty());
    }

    void killedInstanceIsTakenOver()
    {
        QVERIFY(m_a->running());
        QVERIFY(m_b->running());
        QElapsedTimer t;
        t.start();
        const QStringList ids = putOrders(QStringLiteral("ord_pg_b"), 20);
        QCOMPARE(ids.size(), 20);

        // Mid-way: some orders are at Printify, most are not in production yet.
        QVERIFY2(waitUntil([&] { return printifyOrderCount(ids) >= 5; }, 60000), qPrintable(stuck(ids)));
        const int inProductionAtKill = countInProduction(ids);
        m_a->kill();
        QVERIFY(m_a->killedBySigkill());
        qInfo("instance A killed after %lld ms: %d Printify orders, %d in production", t.elapsed(), printifyOrderCount(ids),
            inProductionAtKill);
        QVERIFY2(inProductionAtKill < ids.size(), "everything was done before the kill");

        // The dead instance's leases: unchanged 3 s later (the live one renews or releases its own
        // within one Printify call of at most 2 s).
        auto leased = [&] {
            QHash<QString, QPair<QString, qint64>> leases;
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            for (const FulfillmentJob &job : m_store->openFulfillmentJobs().valueOr(QList<FulfillmentJob>())) {
                if (!job.leaseOwner.isEmpty() && job.leaseExpiresAt > now)
                    leases.insert(job.orderId, { job.leaseOwner, job.leaseExpiresAt });
            }
            return leases;
        };
        const auto before = leased();
        QTest::qWait(3000);
        const auto after = leased();
        QStringList orphaned;
        for (auto it = before.begin(); it != before.end(); ++it) {
            if (after.value(it.key()) == it.value())
                orphaned << it.key();
        }
        qInfo("%lld jobs were held by the killed instance: %s", qsizetype(orphaned.size()), qPrintable(orphaned.join(u' ')));
        // It was killed while working (orders not yet at Printify were due, so its workers were busy claiming).
        QVERIFY2(!orphaned.isEmpty(), "the killed instance held no job: nothing to take over");

        QVERIFY2(waitUntil([&] { return countInProduction(ids) == ids.size(); }, 150000, 200), qPrintable(stuck(ids)));
        qInfo("20 orders in production %lld ms after the start of the round", t.elapsed());
        QVERIFY(m_b->running());
        checkOrders(ids);
        // The orders the dead instance held were finished by the live one, which took their leases over.
        const QHash<QString, int> byB = adopted(*m_b);
        for (const QString &id : std::as_const(orphaned)) {
            auto job = m_store->fulfillmentJob(id);
            QVERIFY(job && job->has_value());
            QCOMPARE((**job).step, QStringLiteral("track"));
            QVERIFY((**job).leaseOwner != before.value(id).first);
        }
        // Each order was adopted once in all (the killed instance's log ends where it died).
        const QHash<QString, int> byA = adopted(*m_a);
        for (const QString &id : ids)
            QVERIFY2(byA.value(id) + byB.value(id) <= 1, qPrintable(id));
        QVERIFY(m_b->events(QStringLiteral("fulfillment_failed")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestFulfillmentPg)
#include "tst_fulfillmentpg.moc"
