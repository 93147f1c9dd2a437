// HttpPriceTable: built-in estimates, the user's table in AppConfigLocation
// laid over the built-in one (save, reset, re-read when changed on disk),
// validation of every kind of bad row, a damaged or unreadable user file
// falling back to the built-in prices with a warning, and the provider
// catalog offering a model the user added.
#include "core/generation/generationsession.h"
#include "core/generation/httppricetable.h"
#include "core/generation/providercatalog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>

#include <atomic>
#include <limits>
#include <thread>

using namespace CalStudio;

namespace {

const QString kGemini = QStringLiteral("gemini");
const QString kPro = QStringLiteral("gemini-3-pro-image");
const QSize kSmall(1024, 1024);
const QSize kLarge(4096, 4096);

QJsonObject tier(double usd)
{
    return QJsonObject { { QStringLiteral("usd"), usd } };
}

QJsonObject tier(double maxEdge, double usd)
{
    return QJsonObject { { QStringLiteral("maxEdge"), maxEdge }, { QStringLiteral("usd"), usd } };
}

QJsonObject table(const QString &key, const QJsonArray &tiers)
{
    return QJsonObject { { QStringLiteral("currency"), QStringLiteral("USD") },
        { QStringLiteral("models"), QJsonObject { { key, tiers } } } };
}

void writeUserFile(const QByteArray &bytes)
{
    const QString path = HttpPriceTable::userTablePath();
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

} // namespace

class TestHttpPriceTable : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("CalendarStudioTest"));
        QCoreApplication::setApplicationName(QStringLiteral("Calendar Studio PriceTable Test"));
        // The tests run with a private HOME (tests/CMakeLists.txt); never write into a real config folder.
        QVERIFY2(HttpPriceTable::userTablePath().startsWith(
                     QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)),
            qPrintable(HttpPriceTable::userTablePath()));
        QVERIFY(qEnvironmentVariableIsSet("XDG_CONFIG_HOME"));
    }

    void init()
    {
        QDir(HttpPriceTable::userTablePath()).removeRecursively(); // a directory left by unreadableUserFile
        QVERIFY(HttpPriceTable::resetUserTable().ok());
        QVERIFY(!QFileInfo::exists(HttpPriceTable::userTablePath()));
    }

    void cleanupTestCase() { QVERIFY(HttpPriceTable::resetUserTable().ok()); }

    void builtInEstimates()
    {
        QVERIFY(HttpPriceTable::validate(HttpPriceTable::builtIn()).ok());
        QCOMPARE(HttpPriceTable::effective(), HttpPriceTable::builtIn());
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kSmall), 0.134);
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, QSize(3200, 1800)), 0.134);
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, QSize(3201, 1800)), 0.24);
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kLarge), 0.24);
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro + QStringLiteral("-preview"), kLarge), 0.24);
        QCOMPARE(
            HttpPriceTable::estimateUsd(QStringLiteral("openai"), QStringLiteral("gpt-image-1-2025-04-15"), kSmall),
            0.167);
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, QStringLiteral("no-such-model"), kSmall), 0.0);
        QVERIFY(HttpPriceTable::userTable().isEmpty());
        QVERIFY(HttpPriceTable::userTableError().isNull());
    }

    void overrideChangesEstimates()
    {
        QVERIFY(HttpPriceTable::saveUserTable(
            table(QStringLiteral("gemini/gemini-3-pro-image"), { tier(2048, 0.5), tier(0.75) }))
                    .ok());
        QVERIFY(QFileInfo::exists(HttpPriceTable::userTablePath()));
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kSmall), 0.5);
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kLarge), 0.75);
        // Models the user did not list keep their built-in prices.
        QCOMPARE(HttpPriceTable::estimateUsd(QStringLiteral("openai"), QStringLiteral("gpt-image-1"), kSmall), 0.167);
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, QStringLiteral("gemini-2.5-flash-image"), kSmall), 0.039);
        QCOMPARE(HttpPriceTable::userTable().value(QStringLiteral("models")).toObject().keys(),
            QStringList { QStringLiteral("gemini/gemini-3-pro-image") });
        QVERIFY(HttpPriceTable::userTableError().isNull());

        // What the session shows before a run follows: 12 months × 2 candidates × $0.75.
        GenerationSession::RunOptions options;
        options.months = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
        options.provider = kGemini;
        options.model = kPro;
        options.side = 4096;
        const CostEstimate estimate = GenerationSession::estimate(options);
        QCOMPARE(estimate.perImageUsd, 0.75);
        QCOMPARE(estimate.totalUsd(), 18.0);

        // The file has the layout of resources/prices.json.
        QFile file(HttpPriceTable::userTablePath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject saved = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(saved.value(QStringLiteral("currency")).toString(), QStringLiteral("USD"));
        QVERIFY(HttpPriceTable::validate(saved).ok());
    }

    void resetRestores()
    {
        QVERIFY(HttpPriceTable::saveUserTable(table(QStringLiteral("gemini/gemini-3-pro-image"), { tier(9) })).ok());
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kSmall), 9.0);
        QVERIFY(HttpPriceTable::resetUserTable().ok());
        QVERIFY(!QFileInfo::exists(HttpPriceTable::userTablePath()));
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kSmall), 0.134);
        QCOMPARE(HttpPriceTable::effective(), HttpPriceTable::builtIn());
        // Resetting without a user table is fine too.
        QVERIFY(HttpPriceTable::resetUserTable().ok());
    }

    void validTables_data()
    {
        QTest::addColumn<QJsonObject>("table");
        QTest::newRow("empty models") << QJsonObject { { QStringLiteral("models"), QJsonObject() } };
        QTest::newRow("no currency") << QJsonObject { { QStringLiteral("models"),
            QJsonObject { { QStringLiteral("fal/a/b/c"), QJsonArray { tier(0) } } } } };
        QTest::newRow("offline") << table(QStringLiteral("offline/offline-draft"), { tier(0) });
        QTest::newRow("bounded only") << table(QStringLiteral("openai/x"), { tier(512, 0.1), tier(1024, 0.2) });
        QTest::newRow("three tiers") << table(
            QStringLiteral("replicate/a/b"), { tier(1, 0.1), tier(2, 0.2), tier(0.3) });
        QTest::newRow("snapshot id") << table(QStringLiteral("openai/gpt-image-1-2025-04-15"), { tier(0.2) });
    }

    void validTables()
    {
        QFETCH(QJsonObject, table);
        const Status status = HttpPriceTable::validate(table);
        QVERIFY2(status.ok(), qPrintable(status.error().toString()));
    }

    void invalidTables_data()
    {
        QTest::addColumn<QJsonObject>("table");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("named"); ///< the user message names the bad row

        const QString key = QStringLiteral("gemini/my-model");
        QTest::newRow("no models") << QJsonObject { { QStringLiteral("currency"), QStringLiteral("USD") } }
                                   << "prices_bad_format"
                                   << "models";
        QTest::newRow("models not an object")
            << QJsonObject { { QStringLiteral("models"), QJsonArray { 1 } } } << "prices_bad_format"
            << "models";
        QTest::newRow("euro") << QJsonObject { { QStringLiteral("currency"), QStringLiteral("EUR") },
            { QStringLiteral("models"), QJsonObject() } }
                              << "prices_bad_currency"
                              << "USD";
        QTest::newRow("no slash") << table(QStringLiteral("gemini"), { tier(1) }) << "prices_bad_key"
                                  << "gemini";
        QTest::newRow("empty model") << table(QStringLiteral("gemini/"), { tier(1) }) << "prices_bad_key"
                                     << "gemini/";
        QTest::newRow("empty provider") << table(QStringLiteral("/model"), { tier(1) }) << "prices_bad_key"
                                        << "/model";
        QTest::newRow("space in model") << table(QStringLiteral("gemini/my model"), { tier(1) }) << "prices_bad_key"
                                        << "gemini/my model";
        QTest::newRow("unknown provider")
            << table(QStringLiteral("midjourney/v7"), { tier(1) }) << "prices_unknown_provider"
            << "midjourney/v7";
        QTest::newRow("provider case") << table(QStringLiteral("Gemini/x"), { tier(1) }) << "prices_unknown_provider"
                                       << "Gemini/x";
        QTest::newRow("empty tiers") << table(key, {}) << "prices_no_tiers" << key;
        QTest::newRow("tiers not a list")
            << QJsonObject { { QStringLiteral("models"), QJsonObject { { key, 0.5 } } } } << "prices_no_tiers" << key;
        QTest::newRow("tier not an object") << table(key, { 0.5 }) << "prices_bad_tier" << key;
        QTest::newRow("unknown field") << table(
            key, { QJsonObject { { QStringLiteral("maxedge"), 1024 }, { QStringLiteral("usd"), 0.1 } } })
                                       << "prices_bad_tier"
                                       << "maxedge";
        QTest::newRow("no usd") << table(key, { QJsonObject { { QStringLiteral("maxEdge"), 1024 } } })
                                << "prices_bad_price" << key;
        QTest::newRow("usd as text") << table(key, { QJsonObject { { QStringLiteral("usd"), QStringLiteral("0.1") } } })
                                     << "prices_bad_price" << key;
        QTest::newRow("negative usd") << table(key, { tier(-0.01) }) << "prices_bad_price" << key;
        QTest::newRow("infinite usd") << table(key, { tier(std::numeric_limits<double>::infinity()) })
                                      << "prices_bad_price" << key;
        QTest::newRow("nan usd") << table(key, { tier(std::numeric_limits<double>::quiet_NaN()) }) << "prices_bad_price"
                                 << key;
        QTest::newRow("zero edge") << table(key, { tier(0, 0.1), tier(0.2) }) << "prices_bad_edge" << key;
        QTest::newRow("negative edge") << table(key, { tier(-5, 0.1), tier(0.2) }) << "prices_bad_edge" << key;
        QTest::newRow("fractional edge") << table(key, { tier(1024.5, 0.1), tier(0.2) }) << "prices_bad_edge" << key;
        QTest::newRow("edge as text") << table(key,
            { QJsonObject { { QStringLiteral("maxEdge"), QStringLiteral("1024") }, { QStringLiteral("usd"), 1 } } })
                                      << "prices_bad_edge" << key;
        QTest::newRow("huge edge") << table(key, { tier(1e12, 0.1) }) << "prices_bad_edge" << key;
        QTest::newRow("edges decrease") << table(key, { tier(2048, 0.1), tier(1024, 0.2), tier(0.3) })
                                        << "prices_edge_order"
                                        << "(1024 px)";
        QTest::newRow("edges repeat") << table(key, { tier(1024, 0.1), tier(1024, 0.2) }) << "prices_edge_order" << key;
        QTest::newRow("open tier first") << table(key, { tier(0.1), tier(1024, 0.2) }) << "prices_open_tier" << key;
        QTest::newRow("two open tiers") << table(key, { tier(0.1), tier(0.2) }) << "prices_open_tier" << key;
    }

    void invalidTables()
    {
        QFETCH(QJsonObject, table);
        QFETCH(QString, code);
        QFETCH(QString, named);
        const Status status = HttpPriceTable::validate(table);
        QVERIFY(!status.ok());
        QCOMPARE(status.error().code, code);
        QVERIFY2(status.error().userMessage.contains(named), qPrintable(status.error().userMessage));
        QVERIFY(!status.error().userMessage.contains(QLatin1String("%")));

        // Nothing invalid is ever saved; what was saved before stays in force.
        QVERIFY(
            HttpPriceTable::saveUserTable(::table(QStringLiteral("gemini/gemini-3-pro-image"), { tier(0.9) })).ok());
        const Status save = HttpPriceTable::saveUserTable(table);
        QVERIFY(!save.ok());
        QCOMPARE(save.error().code, code);
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kSmall), 0.9);
        QVERIFY(HttpPriceTable::userTableError().isNull());
    }

    void lineNumberNamed()
    {
        const Status status = HttpPriceTable::validate(
            table(QStringLiteral("openai/gpt-image-1"), { tier(1024, 0.1), tier(2048, -1), tier(0.3) }));
        QCOMPARE(status.error().code, QStringLiteral("prices_bad_price"));
        QVERIFY2(status.error().userMessage.contains(QLatin1String("line 2")), qPrintable(status.error().userMessage));
        QVERIFY(status.error().userMessage.contains(QLatin1String("openai/gpt-image-1")));
    }

    void corruptUserFileFallsBack_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("code");
        QTest::newRow("garbage") << QByteArray("{\"models\": {\"gemini/gemini-3-pro-image\": [{\"usd\": 9")
                                 << "prices_corrupt";
        QTest::newRow("empty") << QByteArray() << "prices_corrupt";
        QTest::newRow("array") << QByteArray("[1, 2]") << "prices_corrupt";
        QTest::newRow("binary") << QByteArray("\x00\xff\xfe garbage", 12) << "prices_corrupt";
        QTest::newRow("invalid table") << QByteArray("{\"models\": {\"gemini/gemini-3-pro-image\": [{\"usd\": -9}]}}")
                                       << "prices_bad_price";
        QTest::newRow("too large") << QByteArray(2 * 1024 * 1024, ' ') << "prices_corrupt";
    }

    void corruptUserFileFallsBack()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, code);
        writeUserFile(bytes);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^user price table ignored")));
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kSmall), 0.134);
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kLarge), 0.24);
        QCOMPARE(HttpPriceTable::effective(), HttpPriceTable::builtIn());
        QVERIFY(HttpPriceTable::userTable().isEmpty());
        QCOMPARE(HttpPriceTable::userTableError().code, code);
        QVERIFY(HttpPriceTable::userTableError().userMessage.contains(QLatin1String("built-in prices are used")));
        // The catalog still lists the built-in models.
        QVERIFY(ProviderCatalog::find(kGemini)->models.contains(kPro));
        // Saving valid prices replaces the damaged file.
        QVERIFY(HttpPriceTable::saveUserTable(table(QStringLiteral("gemini/gemini-3-pro-image"), { tier(0.3) })).ok());
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kSmall), 0.3);
        QVERIFY(HttpPriceTable::userTableError().isNull());
    }

    void unreadableUserFile()
    {
        // A directory where the file should be: not readable as a table, and neither saving nor resetting works.
        QVERIFY(QDir().mkpath(HttpPriceTable::userTablePath()));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^user price table ignored")));
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kSmall), 0.134);
        QCOMPARE(HttpPriceTable::userTableError().code, QStringLiteral("prices_unreadable"));
        const Status save = HttpPriceTable::saveUserTable(table(QStringLiteral("gemini/x"), { tier(1) }));
        QCOMPARE(save.error().code, QStringLiteral("prices_save_failed"));
        QVERIFY(!save.error().userMessage.isEmpty());
        const Status reset = HttpPriceTable::resetUserTable();
        QCOMPARE(reset.error().code, QStringLiteral("prices_reset_failed"));
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kSmall), 0.134);
        QVERIFY(QDir(HttpPriceTable::userTablePath()).removeRecursively());
    }

    void fileChangedOnDiskIsReread()
    {
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kSmall), 0.134);
        // Another window saved prices: picked up without restarting.
        writeUserFile(QJsonDocument(table(QStringLiteral("gemini/gemini-3-pro-image"), { tier(1.25) })).toJson());
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kSmall), 1.25);
        QVERIFY(QFile::remove(HttpPriceTable::userTablePath()));
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kSmall), 0.134);
    }

    void catalogOffersUserModel()
    {
        QVERIFY(!ProviderCatalog::find(QStringLiteral("replicate"))->models.contains(QStringLiteral("acme/painter-2")));
        QJsonObject models { { QStringLiteral("replicate/acme/painter-2"), QJsonArray { tier(0.07) } },
            { QStringLiteral("fal/fal-ai/acme/edit"), QJsonArray { tier(1024, 0.02), tier(0.04) } } };
        QVERIFY(HttpPriceTable::saveUserTable(QJsonObject { { QStringLiteral("models"), models } }).ok());
        const auto replicate = ProviderCatalog::find(QStringLiteral("replicate"));
        QVERIFY(replicate->models.contains(QStringLiteral("acme/painter-2")));
        QCOMPARE(replicate->models.first(), replicate->defaultModel);
        QVERIFY(replicate->models.contains(QStringLiteral("black-forest-labs/flux-2-pro"))); // built-in ones stay
        QVERIFY(ProviderCatalog::find(QStringLiteral("fal"))->models.contains(QStringLiteral("fal-ai/acme/edit")));
        QVERIFY(!ProviderCatalog::find(kGemini)->models.contains(QStringLiteral("acme/painter-2")));

        GenerationSession::RunOptions options;
        options.months = { 1, 2, 3 };
        options.candidates = 2;
        options.provider = QStringLiteral("replicate");
        options.model = QStringLiteral("acme/painter-2");
        const CostEstimate estimate = GenerationSession::estimate(options);
        QVERIFY(estimate.priceKnown);
        QCOMPARE(estimate.perImageUsd, 0.07);

        QVERIFY(HttpPriceTable::resetUserTable().ok());
        QVERIFY(!ProviderCatalog::find(QStringLiteral("replicate"))->models.contains(QStringLiteral("acme/painter-2")));
    }

    void estimatesWhileSaving()
    {
        // Providers estimate on worker threads while the dialog saves: no torn reads, only known prices.
        std::atomic<bool> stop { false };
        std::atomic<int> bad { 0 };
        std::thread reader([&] {
            while (!stop) {
                const double usd = HttpPriceTable::estimateUsd(kGemini, kPro, kSmall);
                if (usd != 0.134 && usd != 0.5)
                    ++bad;
            }
        });
        for (int i = 0; i < 40; ++i) {
            QVERIFY(
                HttpPriceTable::saveUserTable(table(QStringLiteral("gemini/gemini-3-pro-image"), { tier(0.5) })).ok());
            QVERIFY(HttpPriceTable::resetUserTable().ok());
        }
        stop = true;
        reader.join();
        QCOMPARE(bad.load(), 0);
    }
};

QTEST_GUILESS_MAIN(TestHttpPriceTable)
#include "tst_httppricetable.moc"
