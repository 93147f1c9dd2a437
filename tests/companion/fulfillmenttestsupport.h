#pragma once

// Shared by the process-level fulfillment tests (tst_fulfillmentcrash,
// tst_fulfillmentpg): a calstudio-companion configuration for the in-process
// Printify fake, the companion as a child process (its JSON log in a file),
// paid orders put into the order database directly (the payment path is
// tested in tst_companionpayment), and the checks every test makes —
// Printify orders per external_id and transitions in the history.
//
// The Printify fake runs in the test's thread, so the test must keep its
// event loop running while a companion works: every wait here pumps events
// (QTest::qWait), none blocks in QProcess::waitFor….

#include "companiontestsupport.h"

#include "app/sandbox/sandboxserver.h"
#include "core/companion/filestore.h"
#include "core/companion/orderstore.h"
#include "core/companion/pricebook.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTest>

#include <csignal>
#include <functional>
#include <memory>

namespace CalStudio::FulfillmentTest {

using namespace CalStudio::CompanionTest;

/// Printify's placeholder size for every position of blueprint 1253.
inline const QSize Placeholder(3454, 2725);
inline const QString FormatId = QStringLiteral("wall-landscape");
inline const QString PrintifyToken = QStringLiteral("printify-sandbox-token");
inline const QString PrintifyShop = QStringLiteral("12345");

/// Pumps the event loop until `done` (asked every `pollMs`) or `ms` have passed; returns `done()`.
inline bool waitUntil(const std::function<bool()> &done, int ms, int pollMs = 25)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > ms)
            return done();
        QTest::qWait(pollMs);
    }
    return true;
}

/// A JPEG of `size` whose content depends on `seed` (different seeds, different bytes).
inline QByteArray jpeg(QSize size, int seed)
{
    QImage image(size, QImage::Format_RGB32);
    for (int y = 0; y < size.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < size.width(); ++x)
            line[x] = qRgb((x * 255) / size.width(), (y * 255) / size.height(), (seed * 97) & 0xff);
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "JPEG");
    writer.setQuality(85);
    if (!writer.write(image))
        qFatal("could not encode a test image: %s", qPrintable(writer.errorString()));
    return bytes;
}

/**
 * The companion's configuration: the shared test configuration with the
 * wall-landscape format mapped to Printify blueprint 1253 (provider 234,
 * variant 94860), the in-process Printify fake, and short fulfillment times.
 * A Printify call ends within timeout_seconds (2), so lease_seconds (9) is
 * the minimum the configuration accepts (2 × 2 + 5): a killed instance's work
 * is taken over at most 9 s after its last renewal.
 */
inline QJsonObject companionConfig(const QString &dataDir, quint16 sandboxPort, const QJsonObject &fulfillmentOverrides = {})
{
    const QString sandbox = QStringLiteral("http://127.0.0.1:%1").arg(sandboxPort);
    QJsonObject c = configJson(dataDir, sandbox, QStringLiteral("http://127.0.0.1:1"));
    QJsonArray formats = c.value(QStringLiteral("formats")).toArray();
    QJsonObject wall = formats.at(1).toObject();
    wall.insert(QStringLiteral("printify"), QJsonObject { { QStringLiteral("blueprint_id"), 1253 },
                                                { QStringLiteral("print_provider_id"), 234 },
                                                { QStringLiteral("variant_id"), 94860 } });
    formats.replace(1, wall);
    c.insert(QStringLiteral("formats"), formats);
    c.insert(QStringLiteral("printify"), QJsonObject {
        { QStringLiteral("api_token"), PrintifyToken },
        { QStringLiteral("shop_id"), PrintifyShop },
        { QStringLiteral("api_base"), sandbox },
        { QStringLiteral("timeout_seconds"), 2 },
    });
    QJsonObject fulfillment { { QStringLiteral("retry_seconds"), 1 }, { QStringLiteral("poll_seconds"), 60 },
        { QStringLiteral("max_attempts"), 8 }, { QStringLiteral("lease_seconds"), 9 } };
    for (auto it = fulfillmentOverrides.begin(); it != fulfillmentOverrides.end(); ++it)
        fulfillment.insert(it.key(), it.value());
    c.insert(QStringLiteral("fulfillment"), fulfillment);
    return c;
}

inline QString writeJson(const QString &path, const QJsonObject &json)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    f.write(QJsonDocument(json).toJson());
    return path;
}

/// Fast Printify fake: pending 300 ms (send_to_production answers 8502 meanwhile), no rate limits in the way.
inline void configureFake(SandboxServer &sandbox)
{
    PrintifyFake::Settings settings;
    settings.pendingMs = 300;
    settings.productionMs = 200;
    settings.rateLimitPerMinute = 1000000;
    settings.catalogRateLimitPerMinute = 1000000;
    sandbox.printify().setSettings(settings, true);
}

/**
 * One calstudio-companion process at a time (start() again after it ended):
 * stdout and stderr go to `<logBase>-<n>.log`, so the JSON log of every run
 * survives a kill -9 and a full pipe never blocks the server.
 */
class CompanionProcess {
public:
    CompanionProcess(QString name, QString logBase)
        : m_name(std::move(name))
        , m_logBase(std::move(logBase))
    {
    }
    ~CompanionProcess() { kill(); }
    CompanionProcess(const CompanionProcess &) = delete;
    CompanionProcess &operator=(const CompanionProcess &) = delete;

    /// Starts the companion with `configPath`; `crashAt` sets CALSTUDIO_COMPANION_CRASH_AT.
    bool start(const QString &configPath, const QProcessEnvironment &baseEnv, const QString &crashAt = {})
    {
        kill();
        QProcessEnvironment env = baseEnv;
        env.remove(QStringLiteral("CALSTUDIO_COMPANION_CRASH_AT"));
        if (!crashAt.isEmpty())
            env.insert(QStringLiteral("CALSTUDIO_COMPANION_CRASH_AT"), crashAt);
        env.insert(QStringLiteral("COMPANION_LISTEN"), QStringLiteral("127.0.0.1:0"));
        m_logPath = QStringLiteral("%1-%2.log").arg(m_logBase).arg(++m_runs);
        m_process = std::make_unique<QProcess>();
        m_process->setProcessEnvironment(env);
        m_process->setProcessChannelMode(QProcess::MergedChannels);
        m_process->setStandardOutputFile(m_logPath);
        m_process->start(QStringLiteral(CALSTUDIO_COMPANION_PATH), { QStringLiteral("--config"), configPath });
        // waitForStarted only waits for exec(); it does not need the event loop.
        return m_process->waitForStarted(10000);
    }

    [[nodiscard]] bool running() const { return m_process && m_process->state() != QProcess::NotRunning; }

    /// Pumps events until the process ended (at most `ms`).
    bool waitForExit(int ms)
    {
        return waitUntil([this] { return !running(); }, ms);
    }

    /// Whether the last run ended by SIGKILL.
    [[nodiscard]] bool killedBySigkill() const
    {
        return m_process && m_process->state() == QProcess::NotRunning && m_process->exitStatus() == QProcess::CrashExit
            && m_process->exitCode() == SIGKILL;
    }

    [[nodiscard]] QString exitDescription() const
    {
        if (!m_process)
            return QStringLiteral("never started");
        if (running())
            return QStringLiteral("still running");
        return QStringLiteral("%1 %2").arg(m_process->exitStatus() == QProcess::CrashExit ? QStringLiteral("signal")
                                                                                            : QStringLiteral("exit code"))
            .arg(m_process->exitCode());
    }

    /// kill -9, and wait for the end.
    void kill()
    {
        if (!running())
            return;
        ::kill(pid_t(m_process->processId()), SIGKILL);
        waitForExit(10000);
    }

    /// Stops the process: SIGTERM, then SIGKILL if it has not ended within `ms`. (A clean stop is
    /// tst_companionapp's subject; a SIGTERM before the server installed its handler ends it by the signal.)
    void stop(int ms = 15000)
    {
        if (!running())
            return;
        ::kill(pid_t(m_process->processId()), SIGTERM);
        if (!waitForExit(ms))
            kill();
    }

    /// The JSON log of run `run` (default: the latest).
    [[nodiscard]] QByteArray log(int run = 0) const
    {
        QFile f(QStringLiteral("%1-%2.log").arg(m_logBase).arg(run > 0 ? run : m_runs));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    /// The log lines (parsed) whose "event" is `event`, over every run.
    [[nodiscard]] QList<QJsonObject> events(const QString &event) const
    {
        QList<QJsonObject> found;
        for (int run = 1; run <= m_runs; ++run) {
            for (const QByteArray &line : log(run).split('\n')) {
                const QJsonObject o = QJsonDocument::fromJson(line).object();
                if (o.value(QStringLiteral("event")).toString() == event)
                    found.append(o);
            }
        }
        return found;
    }

    /// Whether the latest run logged "listening" (it serves), pumping events up to `ms`; false if it ended.
    bool waitForListening(int ms = 30000)
    {
        waitUntil([this] { return !running() || log().contains("\"event\":\"listening\""); }, ms);
        return running() && log().contains("\"event\":\"listening\"");
    }

    /// The last `lines` lines of the latest log, for failure messages.
    [[nodiscard]] QByteArray tail(int lines = 15) const
    {
        const QList<QByteArray> all = log().split('\n');
        return m_name.toUtf8() + ":\n" + all.mid(qMax<qsizetype>(0, all.size() - lines - 1)).join('\n');
    }

    [[nodiscard]] const QString &name() const { return m_name; }

private:
    QString m_name;
    QString m_logBase;
    QString m_logPath;
    int m_runs = 0;
    std::unique_ptr<QProcess> m_process;
};

/// The format Printify's catalog gave the companion (stored at its start), or nothing yet.
inline std::optional<PrintFormat> discoveredFormat(OrderStore &store)
{
    auto entries = store.catalogEntries();
    if (!entries)
        return std::nullopt;
    for (const auto &e : *entries) {
        if (e.formatId == FormatId && e.problem.isEmpty()) {
            if (auto format = PrintFormat::fromJson(e.format))
                return *format;
        }
    }
    return std::nullopt;
}

/**
 * A paid order of the Printify format with a print file for each of
 * `format`'s positions (`files`: position → stored file, "*" for the rest),
 * queued for fulfillment as the payment path leaves it. Returns an error
 * text, empty when done.
 */
inline QString putPaidOrder(OrderStore &store, const CompanionConfig &config, const QString &id, const PrintFormat &format,
    const QHash<QString, StoredFile> &files)
{
    OrderRecord order;
    order.id = id;
    order.tokenHash = "0";
    order.formatId = FormatId;
    order.title = QStringLiteral("Fulfillment %1").arg(id);
    if (Status s = store.createOrder(order, QStringLiteral("test")); !s)
        return s.error().toString();
    for (const ImagePosition &p : format.positions) {
        const StoredFile file = files.value(p.id, files.value(QStringLiteral("*")));
        auto put = store.putFile(id, { p.id, file.sha256, QStringLiteral("jpg"), file.size, Placeholder, 0 });
        if (!put || !*put)
            return QStringLiteral("putFile %1 failed").arg(p.id);
    }
    const auto quote = config.priceBook.quote(FormatId, 1);
    if (!quote)
        return quote.error().toString();
    auto awaiting = store.applyTransition(id, { OrderStatus::AwaitingPayment, {}, {}, QStringLiteral("test"), {},
                                                  { { QStringLiteral("stripe_session_id"), QStringLiteral("cs_test_%1").arg(id) },
                                                      { QStringLiteral("quote_json"), QVariant::fromValue(quote->toJson()) } } });
    if (!awaiting || !*awaiting)
        return QStringLiteral("awaiting_payment refused");
    auto paid = store.applyTransition(id,
        { OrderStatus::Paid, {}, {}, QStringLiteral("test"), {},
            { { QStringLiteral("amount_paid"), quote->subtotal + 699 }, { QStringLiteral("currency"), QStringLiteral("usd") },
                { QStringLiteral("shipping_option"), QStringLiteral("standard") },
                { QStringLiteral("payment_intent"), QStringLiteral("pi_%1").arg(id) },
                { QStringLiteral("shipping_json"),
                    QVariant::fromValue(QJsonObject { { QStringLiteral("name"), QStringLiteral("Ada Lovelace") },
                        { QStringLiteral("address"), QJsonObject { { QStringLiteral("line1"), QStringLiteral("1 Main St") },
                                                         { QStringLiteral("city"), QStringLiteral("Springfield") },
                                                         { QStringLiteral("postal_code"), QStringLiteral("12345") },
                                                         { QStringLiteral("state"), QStringLiteral("IL") },
                                                         { QStringLiteral("country"), QStringLiteral("US") } } } }) },
                { QStringLiteral("contact_json"),
                    QVariant::fromValue(QJsonObject { { QStringLiteral("email"), QStringLiteral("ada@example.com") } }) } } });
    if (!paid || !*paid)
        return QStringLiteral("paid refused");
    return {};
}

inline std::optional<OrderStatus> statusOf(OrderStore &store, const QString &id)
{
    auto found = store.find(id);
    if (!found || !found->has_value())
        return std::nullopt;
    return (**found).status;
}

/// How often the history records a change *to* `to` (notes, with from == to, do not count).
inline int transitionsTo(OrderStore &store, const QString &id, const QString &to)
{
    const QList<OrderHistoryEntry> entries = store.history(id).valueOr(QList<OrderHistoryEntry>());
    return int(std::count_if(entries.begin(), entries.end(), [&](const OrderHistoryEntry &h) { return h.to == to && h.from != to; }));
}

/// The history as text, for failure messages.
inline QString historyText(OrderStore &store, const QString &id)
{
    QStringList lines;
    for (const OrderHistoryEntry &h : store.history(id).valueOr(QList<OrderHistoryEntry>()))
        lines << QStringLiteral("%1 -> %2 (%3: %4)").arg(h.from, h.to, h.source, h.note);
    return lines.join(QLatin1Char('\n'));
}

/// The Printify fake's orders with `externalId`.
inline QList<const PrintifyFake::Order *> printifyOrders(SandboxServer &sandbox, const QString &externalId)
{
    QList<const PrintifyFake::Order *> found;
    for (const auto *o : sandbox.printify().orders()) {
        if (o->externalId == externalId)
            found.append(o);
    }
    return found;
}

} // namespace CalStudio::FulfillmentTest
