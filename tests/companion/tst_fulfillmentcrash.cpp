// Crash at every step (issue 8, "Tests"): the real calstudio-companion
// process is killed with SIGKILL right after a Printify call returned —
// before and after its result is recorded (CALSTUDIO_COMPANION_CRASH_AT) —
// and started again. Every time there must be exactly one Printify order for
// the paid order, recorded in its job, and the order must reach
// in_production with each transition once in its history.
//
// SQLite (the default single-instance database), read by the test while the
// companion writes it (WAL). Printify is the in-process fake of
// calstudio-sandbox, which has no idempotency: a second create would be a
// second order. A killed instance's lease runs out before the restarted one
// may take the job (lease_seconds 9), so each crash costs about 10 s.

#include "fulfillmenttestsupport.h"

#include <QTest>

using namespace CalStudio;
using namespace CalStudio::FulfillmentTest;

class TestFulfillmentCrash : public QObject {
    Q_OBJECT

private:
    QByteArray m_cover; // the front cover's print file
    QByteArray m_month; // every month's (another file: two uploads, so a crash can fall between them)
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SandboxServer> m_sandbox;
    quint16 m_sandboxPort = 0;
    std::shared_ptr<OrderStore> m_store;
    CompanionConfig m_config;
    std::unique_ptr<CompanionProcess> m_companion;

    QString failureContext(const QString &id)
    {
        QString text = QString::fromUtf8(m_companion->tail());
        if (m_store) {
            text += QStringLiteral("\nhistory:\n") + historyText(*m_store, id);
            if (auto job = m_store->fulfillmentJob(id); job && job->has_value()) {
                text += QStringLiteral("\njob: step=%1 attempts=%2 printify_order=%3 last_error=%4")
                            .arg((**job).step)
                            .arg((**job).attempts)
                            .arg((**job).printifyOrderId, (**job).lastError);
            }
        }
        return text;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_cover = jpeg(Placeholder, 1);
        m_month = jpeg(Placeholder, 2);
        QVERIFY(m_cover != m_month);
        QVERIFY(m_cover.size() < 5 * 1024 * 1024); // uploaded inline (base64)
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_sandbox = std::make_unique<SandboxServer>();
        m_sandboxPort = m_sandbox->listen();
        QVERIFY(m_sandboxPort != 0);
        configureFake(*m_sandbox);
        m_companion = std::make_unique<CompanionProcess>(QStringLiteral("calstudio-companion"), m_dir->filePath(QStringLiteral("companion")));
    }

    void cleanup()
    {
        m_companion.reset(); // kill -9 if still running
        m_store.reset();
        m_sandbox.reset();
        m_dir.reset();
    }

    void crashAndRestart_data()
    {
        QTest::addColumn<QStringList>("points");
        for (const char *point : { "upload:returned", "upload:recorded", "product:returned", "product:recorded",
                 "order:returned", "order:recorded", "send:returned", "send:recorded" })
            QTest::newRow(point) << QStringList { QString::fromLatin1(point) };
        // Two kills in a row around the create: after it returned, then — the restarted instance
        // having found the order by external_id — right after recording that.
        QTest::newRow("order:returned+order:recorded")
            << QStringList { QStringLiteral("order:returned"), QStringLiteral("order:recorded") };
    }

    void crashAndRestart()
    {
        QFETCH(QStringList, points);
        const QString dataDir = m_dir->filePath(QStringLiteral("data"));
        QVERIFY(QDir().mkpath(dataDir));
        const QString configPath = writeJson(m_dir->filePath(QStringLiteral("companion.json")), companionConfig(dataDir, m_sandboxPort));
        QVERIFY(!configPath.isEmpty());
        auto parsed = CompanionConfig::load(configPath, QProcessEnvironment());
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().userMessage));
        m_config = *parsed;
        const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        StoredFile cover;
        StoredFile month;
        const QString id = QStringLiteral("ord_crash%1").arg(QString(points.join(QLatin1Char('_'))).remove(QLatin1Char(':')));

        for (int i = 0; i < points.size(); ++i) {
            QVERIFY(m_companion->start(configPath, env, points[i]));
            if (i == 0) {
                // The order arrives once the companion runs and knows Printify's catalog (as after a real
                // checkout): the paid order and its job, with the print files in the data directory.
                auto store = OrderStore::open(m_config.database());
                QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
                m_store = *store;
                std::optional<PrintFormat> format;
                QVERIFY2(waitUntil([&] { return (format = discoveredFormat(*m_store)).has_value(); }, 30000),
                    m_companion->tail().constData());
                QCOMPARE(format->positions.size(), 13);
                QCOMPARE(format->positions.first().id, QStringLiteral("front_cover"));
                FileStore files(dataDir + QStringLiteral("/files"));
                auto storedCover = files.put(m_cover, QStringLiteral("jpg"));
                auto storedMonth = files.put(m_month, QStringLiteral("jpg"));
                QVERIFY(storedCover.ok() && storedMonth.ok());
                cover = *storedCover;
                month = *storedMonth;
                const QString error = putPaidOrder(*m_store, m_config, id, *format,
                    { { QStringLiteral("front_cover"), cover }, { QStringLiteral("*"), month } });
                QVERIFY2(error.isEmpty(), qPrintable(error));
            }
            // The crash point is reached: SIGKILL, nothing cleaned up. (A restarted instance first waits
            // for the killed one's lease to run out.)
            QVERIFY2(m_companion->waitForExit(90000), qPrintable(QStringLiteral("no crash at %1\n").arg(points[i]) + failureContext(id)));
            QVERIFY2(m_companion->killedBySigkill(),
                qPrintable(QStringLiteral("%1: %2\n").arg(points[i], m_companion->exitDescription()) + failureContext(id)));
            QVERIFY2(printifyOrders(*m_sandbox, id).size() <= 1, qPrintable(failureContext(id)));
        }

        // Restarted without the crash point: the order goes on from what was recorded.
        QVERIFY(m_companion->start(configPath, env));
        QVERIFY2(m_companion->waitForListening(), qPrintable(failureContext(id)));
        const bool sent = waitUntil(
            [&] {
                auto job = m_store->fulfillmentJob(id);
                return statusOf(*m_store, id) == OrderStatus::InProduction && job && job->has_value()
                    && (**job).step == QLatin1String("track");
            },
            90000);
        QVERIFY2(sent, qPrintable(failureContext(id)));

        // Exactly one Printify order, created by exactly one create call, and it is the recorded one.
        const auto orders = printifyOrders(*m_sandbox, id);
        QVERIFY2(orders.size() == 1, qPrintable(QStringLiteral("%1 Printify orders\n").arg(orders.size()) + failureContext(id)));
        QCOMPARE(m_sandbox->printify().count("POST", QStringLiteral("/v1/shops/12345/orders.json")), 1);
        const FulfillmentJob job = **m_store->fulfillmentJob(id);
        QCOMPARE(job.printifyOrderId, orders.first()->id);
        QCOMPARE(orders.first()->lineItems.size(), 1);
        QCOMPARE(orders.first()->lineItems.first().productId, job.productId);
        QCOMPARE(orders.first()->lineItems.first().files.size(), 13);
        QVERIFY2(orders.first()->status == QLatin1String("sending-to-production")
                || orders.first()->status == QLatin1String("in-production"),
            qPrintable(orders.first()->status));
        // Both print files reached Printify (content-addressed ids: a repeated upload is harmless).
        QVERIFY(!m_store->printifyUploadId(cover.sha256).valueOr(QString()).isEmpty());
        QVERIFY(!m_store->printifyUploadId(month.sha256).valueOr(QString()).isEmpty());

        // Every transition once, in order.
        QStringList transitions;
        for (const OrderHistoryEntry &h : m_store->history(id).valueOr(QList<OrderHistoryEntry>())) {
            if (h.from != h.to)
                transitions << h.to;
        }
        QVERIFY2(transitions
                == QStringList({ QStringLiteral("draft"), QStringLiteral("awaiting_payment"), QStringLiteral("paid"),
                    QStringLiteral("submitting"), QStringLiteral("submitted"), QStringLiteral("in_production") }),
            qPrintable(historyText(*m_store, id)));
        QVERIFY(m_companion->events(QStringLiteral("fulfillment_failed")).isEmpty());
        m_companion->stop();
    }
};

QTEST_GUILESS_MAIN(TestFulfillmentCrash)
#include "tst_fulfillmentcrash.moc"
