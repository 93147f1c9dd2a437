#include "core/companion/ratelimiter.h"

#include <QTest>
#include <QThread>

#include <atomic>
#include <vector>

using namespace CalStudio;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

/// A fixed origin for the injected clock, far from the epoch so earlier times stay valid.
Clock::time_point t0()
{
    return Clock::time_point(std::chrono::hours(1000));
}

} // namespace

class TestRateLimiter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void burstThenRefusal()
    {
        RateLimiter limiter(10);
        for (int i = 0; i < 10; ++i) {
            const auto d = limiter.take(QStringLiteral("1.2.3.4"), t0());
            QVERIFY2(d.allowed, qPrintable(QStringLiteral("request %1").arg(i + 1)));
            QCOMPARE(d.retryAfterSeconds, 0);
        }
        const auto refused = limiter.take(QStringLiteral("1.2.3.4"), t0());
        QVERIFY(!refused.allowed);
        QCOMPARE(refused.retryAfterSeconds, 6); // one token every 60 / 10 s
    }

    // One token comes back every 60 / perMinute seconds; retryAfter counts down to it.
    void refillAndRetryAfter_data()
    {
        QTest::addColumn<int>("perMinute");
        QTest::addColumn<int>("elapsedMs");
        QTest::addColumn<bool>("allowed");
        QTest::addColumn<int>("retryAfter");
        QTest::newRow("10/min, at once") << 10 << 0 << false << 6;
        QTest::newRow("10/min, 1 s later") << 10 << 1000 << false << 5;
        QTest::newRow("10/min, 5.5 s later") << 10 << 5500 << false << 1;
        QTest::newRow("10/min, 5.999 s later") << 10 << 5999 << false << 1;
        QTest::newRow("10/min, 6 s later") << 10 << 6000 << true << 0;
        QTest::newRow("10/min, an hour later") << 10 << 3600000 << true << 0;
        QTest::newRow("1/min, at once") << 1 << 0 << false << 60;
        QTest::newRow("1/min, 59 s later") << 1 << 59000 << false << 1;
        QTest::newRow("1/min, 60 s later") << 1 << 60000 << true << 0;
        QTest::newRow("120/min, at once") << 120 << 0 << false << 1;
        QTest::newRow("120/min, 0.5 s later") << 120 << 500 << true << 0;
    }
    void refillAndRetryAfter()
    {
        QFETCH(int, perMinute);
        QFETCH(int, elapsedMs);
        QFETCH(bool, allowed);
        QFETCH(int, retryAfter);
        RateLimiter limiter(perMinute);
        for (int i = 0; i < perMinute; ++i)
            QVERIFY(limiter.take(QStringLiteral("k"), t0()).allowed);
        const auto d = limiter.take(QStringLiteral("k"), t0() + std::chrono::milliseconds(elapsedMs));
        QCOMPARE(d.allowed, allowed);
        QCOMPARE(d.retryAfterSeconds, retryAfter);
    }

    void refillIsCappedAtTheBurst()
    {
        RateLimiter limiter(3);
        QVERIFY(limiter.take(QStringLiteral("k"), t0()).allowed);
        // A long pause refills to 3, not more.
        const auto later = t0() + 1h;
        for (int i = 0; i < 3; ++i)
            QVERIFY(limiter.take(QStringLiteral("k"), later).allowed);
        QVERIFY(!limiter.take(QStringLiteral("k"), later).allowed);
    }

    void keysAreIndependent()
    {
        RateLimiter limiter(2);
        QVERIFY(limiter.take(QStringLiteral("a"), t0()).allowed);
        QVERIFY(limiter.take(QStringLiteral("a"), t0()).allowed);
        QVERIFY(!limiter.take(QStringLiteral("a"), t0()).allowed);
        QVERIFY(limiter.take(QStringLiteral("b"), t0()).allowed);
        QVERIFY(limiter.take(QStringLiteral("b"), t0()).allowed);
        QVERIFY(!limiter.take(QStringLiteral("b"), t0()).allowed);
    }

    void refusedRequestsDoNotSpend()
    {
        RateLimiter limiter(10);
        for (int i = 0; i < 10; ++i)
            QVERIFY(limiter.take(QStringLiteral("k"), t0()).allowed);
        for (int i = 0; i < 100; ++i)
            QVERIFY(!limiter.take(QStringLiteral("k"), t0() + 1s).allowed);
        QVERIFY(limiter.take(QStringLiteral("k"), t0() + 6s).allowed);
    }

    void clockGoingBackwardsGivesNothing()
    {
        RateLimiter limiter(1);
        QVERIFY(limiter.take(QStringLiteral("k"), t0()).allowed);
        const auto d = limiter.take(QStringLiteral("k"), t0() - 10min);
        QVERIFY(!d.allowed);
        QCOMPARE(d.retryAfterSeconds, 60);
        QVERIFY(!limiter.take(QStringLiteral("k"), t0() + 59s).allowed);
        QVERIFY(limiter.take(QStringLiteral("k"), t0() + 60s).allowed);
    }

    void disabledWhenNotPositive()
    {
        RateLimiter limiter(0);
        for (int i = 0; i < 1000; ++i)
            QVERIFY(limiter.take(QStringLiteral("k"), t0()).allowed);
        QCOMPARE(limiter.trackedKeys(), 0);
    }

    void forgetsFullBuckets()
    {
        RateLimiter limiter(10);
        for (int i = 0; i < 500; ++i)
            QVERIFY(limiter.take(QStringLiteral("10.0.%1.%2").arg(i / 256).arg(i % 256), t0()).allowed);
        QCOMPARE(limiter.trackedKeys(), 500);
        // A minute later every bucket has refilled; the next call sweeps them all.
        QVERIFY(limiter.take(QStringLiteral("other"), t0() + 61s).allowed);
        QCOMPARE(limiter.trackedKeys(), 1);
    }

    // A sweep forgets refilled buckets only: a client that is still limited stays limited.
    void keepsLimitedClientsWhenSweeping()
    {
        RateLimiter limiter(1);
        QVERIFY(limiter.take(QStringLiteral("a"), t0()).allowed); // first sweep at t0
        QVERIFY(limiter.take(QStringLiteral("limited"), t0() + 50s).allowed);
        QVERIFY(limiter.take(QStringLiteral("b"), t0() + 61s).allowed); // sweeps: "a" has refilled, "limited" not
        QCOMPARE(limiter.trackedKeys(), 2);
        const auto d = limiter.take(QStringLiteral("limited"), t0() + 61s);
        QVERIFY(!d.allowed);
        QCOMPARE(d.retryAfterSeconds, 49);
    }

    void keyCountIsCapped()
    {
        const int cap = 100;
        RateLimiter limiter(1, cap);
        // Every client stays limited (its bucket is empty), so nothing is full and sweeps cannot help.
        for (int i = 0; i < 10 * cap; ++i) {
            QVERIFY(limiter.take(QStringLiteral("client-%1").arg(i), t0() + std::chrono::milliseconds(i)).allowed);
            QVERIFY(limiter.trackedKeys() <= cap);
        }
        // The most recent clients are still limited.
        QVERIFY(!limiter.take(QStringLiteral("client-%1").arg(10 * cap - 1), t0() + 1s).allowed);
    }

    void threadSafe()
    {
        RateLimiter limiter(1000);
        std::atomic<int> allowed { 0 };
        std::vector<QThread *> threads;
        for (int t = 0; t < 8; ++t) {
            threads.push_back(QThread::create([&] {
                for (int i = 0; i < 500; ++i) {
                    if (limiter.take(QStringLiteral("shared"), t0()).allowed)
                        ++allowed;
                    limiter.take(QStringLiteral("own-%1").arg(i % 50), t0());
                }
            }));
            threads.back()->start();
        }
        for (QThread *thread : threads) {
            QVERIFY(thread->wait(60000));
            delete thread;
        }
        // 4000 attempts on one key at one instant: exactly the burst gets through.
        QCOMPARE(allowed.load(), 1000);
    }
};

QTEST_GUILESS_MAIN(TestRateLimiter)
#include "tst_ratelimiter.moc"
