#include "core/generation/generationqueue.h"
#include "core/project/jobstore.h"
#include "core/project/projectstore.h"

#include <QMutex>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace CalStudio;
using namespace std::chrono_literals;

namespace {

/// A provider whose answers the test scripts: after `delayMs`, the next scripted outcome for its month.
class ScriptedProvider : public ImageProvider {
public:
    struct Script {
        QHash<int, QList<ImageProvider::Outcome>> outcomes; ///< per month, consumed in order
        int running = 0;
        int maxRunning = 0;
        int calls = 0;
        int delayMs = 30;
    };
    ScriptedProvider(QString id, Script *script)
        : m_id(std::move(id))
        , m_script(script)
    {
    }
    QString id() const override { return m_id; }
    void generate(const GenerationRequest &request) override
    {
        ++m_script->calls;
        m_script->maxRunning = qMax(m_script->maxRunning, ++m_script->running);
        const int month = request.month;
        m_timer = new QTimer(this);
        m_timer->setSingleShot(true);
        connect(m_timer, &QTimer::timeout, this, [this, month] {
            --m_script->running;
            auto &list = m_script->outcomes[month];
            Outcome outcome = list.isEmpty() ? Outcome(image()) : list.takeFirst();
            Q_EMIT finished(outcome);
        });
        m_timer->start(m_script->delayMs);
    }
    void cancel() override
    {
        if (m_timer && m_timer->isActive()) {
            m_timer->stop();
            --m_script->running;
            Q_EMIT finished(GenerationError{GenerationError::Kind::Cancelled, QStringLiteral("Cancelled"), {}, 0ms, 0});
        }
    }
    static GeneratedImage image(double cost = 0.24)
    {
        GeneratedImage g;
        g.bytes = QByteArray("png");
        g.mimeType = QStringLiteral("image/png");
        g.nativeSize = QSize(4096, 4096);
        g.costUsd = cost;
        return g;
    }

private:
    QString m_id;
    Script *m_script;
    QTimer *m_timer = nullptr;
};

GenerationRequest request(int month, const QString &provider = QStringLiteral("gemini"))
{
    GenerationRequest r;
    r.month = month;
    r.provider = provider;
    r.model = QStringLiteral("gemini-3-pro-image");
    r.promptSent = QStringLiteral("Month %1").arg(month);
    return r;
}

GenerationError error(GenerationError::Kind kind, std::chrono::milliseconds retryAfter = 0ms,
                      const QString &reason = {})
{
    return GenerationError{kind, QStringLiteral("error"), reason, retryAfter, 0};
}

struct Fixture {
    QTemporaryDir dir;
    std::unique_ptr<ProjectStore> store;
    ScriptedProvider::Script script;
    QList<int> storedMonths;
    Fixture()
    {
        auto s = ProjectStore::create(dir.filePath(QStringLiteral("q.calstudio")),
                                      ProjectSettings::defaults(QDate(2026, 11, 26), QLocale(QStringLiteral("en_US"))));
        store = std::move(*s);
    }
    std::unique_ptr<GenerationQueue> queue()
    {
        auto q = std::make_unique<GenerationQueue>(
            *store,
            [this](const QString &provider) { return std::make_unique<ScriptedProvider>(provider, &script); },
            [this](const GenerationRequest &r, const GeneratedImage &) {
                storedMonths.append(r.month);
                return Status::success();
            });
        q->setBackoff(20ms, 200ms);
        return q;
    }
    QString state(const GenerationQueue &q, int month)
    {
        for (const QueueJobInfo &j : q.jobs())
            if (j.month == month)
                return j.state;
        return {};
    }
};

} // namespace

class TestGenerationQueue : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // While a worker stores a picture (it holds the file's write gate), the queue neither waits on this
    // thread nor sends a request whose "running" record is not written; it catches up when the gate is free.
    void workerWritesDoNotBlockTheQueue()
    {
        Fixture f;
        f.script.delayMs = 600; // long enough to see it running on a loaded machine
        auto q = f.queue();
        QVERIFY(q->enqueue(request(1)));
        QMutex &gate = ProjectStore::writeGate(f.store->path());
        gate.lock();
        QVERIFY(q->start());
        QTest::qWait(150);
        QCOMPARE(f.script.calls, 0); // not sent: its record could not be written yet
        QCOMPARE(f.state(*q, 1), QStringLiteral("queued"));
        gate.unlock();
        QTRY_COMPARE_WITH_TIMEOUT(f.script.calls, 1, 2000);
        QCOMPARE(JobStore(*f.store).load({QStringLiteral("running")})->size(), 1); // written before it was sent

        // The answer arrives while the gate is taken: the job is done in memory at once, on file soon after.
        gate.lock();
        QTRY_COMPARE_WITH_TIMEOUT(f.state(*q, 1), QStringLiteral("done"), 5000);
        QCOMPARE(JobStore(*f.store).load({QStringLiteral("done")})->size(), 0);
        gate.unlock();
        QTRY_COMPARE_WITH_TIMEOUT(JobStore(*f.store).load({QStringLiteral("done")})->size(), 1, 2000);
    }

    void concurrencyLimitIsNeverExceeded()
    {
        Fixture f;
        auto q = f.queue();
        q->setConcurrency(QStringLiteral("gemini"), 2);
        QSignalSpy idle(q.get(), &GenerationQueue::idle);
        for (int m = 1; m <= 12; ++m)
            QVERIFY(q->enqueue(request(m)));
        QVERIFY(q->start());
        QTRY_VERIFY_WITH_TIMEOUT(idle.count() >= 1 && f.storedMonths.size() == 12, 10000);
        QCOMPARE(f.script.maxRunning, 2);
        QCOMPARE(f.script.calls, 12);
        QVERIFY(q->eta().has_value());
    }

    void retriesHonourRetryAfterAndStopOnRefusal()
    {
        Fixture f;
        f.script.outcomes[1] = {error(GenerationError::Kind::RateLimited, 150ms), error(GenerationError::Kind::Transient)};
        f.script.outcomes[2] = {error(GenerationError::Kind::SafetyRefusal, 0ms, QStringLiteral("IMAGE_SAFETY"))};
        f.script.outcomes[3] = {error(GenerationError::Kind::InvalidKey)};
        auto q = f.queue();
        QElapsedTimer timer;
        timer.start();
        for (int m = 1; m <= 3; ++m)
            QVERIFY(q->enqueue(request(m)));
        QVERIFY(q->start());
        QTRY_COMPARE_WITH_TIMEOUT(f.state(*q, 1), QStringLiteral("done"), 10000);
        // Three attempts for month 1, and not before the provider's 150 ms.
        QVERIFY(timer.elapsed() >= 150);
        QCOMPARE(f.state(*q, 2), QStringLiteral("refused"));
        QCOMPARE(f.state(*q, 3), QStringLiteral("failed"));
        QCOMPARE(f.script.calls, 5);
        for (const QueueJobInfo &j : q->jobs()) {
            if (j.month == 2)
                QCOMPARE(j.providerReason, QStringLiteral("IMAGE_SAFETY"));
            if (j.month == 1)
                QCOMPARE(j.attempts, 3);
        }
    }

    void givesUpAfterMaxAttempts()
    {
        Fixture f;
        f.script.outcomes[4] = {error(GenerationError::Kind::Transient), error(GenerationError::Kind::Transient),
                                error(GenerationError::Kind::Transient)};
        auto q = f.queue();
        q->setMaxAttempts(3);
        QVERIFY(q->enqueue(request(4)));
        QVERIFY(q->start());
        QTRY_COMPARE_WITH_TIMEOUT(f.state(*q, 4), QStringLiteral("failed"), 10000);
        QCOMPARE(f.script.calls, 3);
    }

    // The app dies while jobs run: queued ones resume, offline ones rerun, paid ones are "lost", done ones never rerun.
    void resumesAfterACrash()
    {
        Fixture f;
        {
            JobStore jobs(*f.store);
            auto add = [&](int month, const QString &provider, const QString &state) {
                JobRecord j;
                j.kind = QStringLiteral("generate");
                j.month = month;
                j.requestJson = GenerationQueue::requestToJson(request(month, provider));
                j.state = state;
                QVERIFY(jobs.add(j));
            };
            add(1, QStringLiteral("gemini"), QStringLiteral("done"));
            add(2, QStringLiteral("gemini"), QStringLiteral("running"));
            add(3, QStringLiteral("offline"), QStringLiteral("running"));
            add(4, QStringLiteral("gemini"), QStringLiteral("queued"));
        }
        auto q = f.queue();
        QSignalSpy idle(q.get(), &GenerationQueue::idle);
        QVERIFY(q->start());
        QTRY_VERIFY_WITH_TIMEOUT(f.storedMonths.size() == 2, 10000);
        std::sort(f.storedMonths.begin(), f.storedMonths.end());
        QCOMPARE(f.storedMonths, (QList<int>{3, 4}));
        QCOMPARE(f.state(*q, 2), QStringLiteral("lost"));
        QCOMPARE(f.script.calls, 2);
        // What the table says now.
        auto stored = JobStore(*f.store).load();
        QHash<int, QString> states;
        for (const JobRecord &j : *stored)
            states.insert(j.month, j.state);
        QCOMPARE(states.value(1), QStringLiteral("done"));
        QCOMPARE(states.value(2), QStringLiteral("lost"));
        QCOMPARE(states.value(3), QStringLiteral("done"));
        QCOMPARE(states.value(4), QStringLiteral("done"));
    }

    void spendCapPauses()
    {
        Fixture f;
        auto q = f.queue();
        q->setConcurrency(QStringLiteral("gemini"), 1);
        q->setSpendCap(0.5); // two images of $0.24 stay under, the third reaches it
        QSignalSpy capped(q.get(), &GenerationQueue::pausedBySpendCap);
        for (int m = 1; m <= 5; ++m)
            QVERIFY(q->enqueue(request(m)));
        QVERIFY(q->start());
        QTRY_COMPARE_WITH_TIMEOUT(capped.count(), 1, 10000);
        QTest::qWait(100);
        QCOMPARE(f.storedMonths.size(), 3);
        QVERIFY(q->isPaused());
        QVERIFY(q->spent() >= 0.5);
        q->setSpendCap(0);
        q->resume();
        QTRY_COMPARE_WITH_TIMEOUT(f.storedMonths.size(), 5, 10000);
    }

    void cancelOneAndAll()
    {
        Fixture f;
        f.script.delayMs = 300;
        auto q = f.queue();
        q->setConcurrency(QStringLiteral("gemini"), 1);
        QList<qint64> ids;
        for (int m = 1; m <= 3; ++m)
            ids.append(*q->enqueue(request(m)));
        QVERIFY(q->start());
        QTRY_COMPARE(f.state(*q, 1), QStringLiteral("running"));
        q->cancel(ids.at(0));
        QTRY_COMPARE(f.state(*q, 1), QStringLiteral("cancelled"));
        q->cancelAll();
        QTRY_COMPARE(f.state(*q, 2), QStringLiteral("cancelled"));
        QTRY_COMPARE(f.state(*q, 3), QStringLiteral("cancelled"));
        QVERIFY(f.storedMonths.isEmpty());
    }

    void requestJsonRoundTrip()
    {
        GenerationRequest r = request(7);
        r.seed = 1234567890123LL;
        r.size = QSize(2048, 2048);
        ReferenceImage reference;
        reference.jpeg = QByteArray(10, 'x');
        r.references.append(reference);
        const auto back = GenerationQueue::requestFromJson(GenerationQueue::requestToJson(r));
        QVERIFY(back);
        QCOMPARE(back->seed, r.seed);
        QCOMPARE(back->size, r.size);
        QCOMPARE(back->promptSent, r.promptSent);
        QVERIFY(back->references.isEmpty()); // never persisted
        QVERIFY(!GenerationQueue::requestFromJson("{}"));
    }
};

QTEST_GUILESS_MAIN(TestGenerationQueue)
#include "tst_generationqueue.moc"
