#pragma once

#include <QHash>
#include <QMutex>
#include <QString>

#include <chrono>

namespace CalStudio {

/**
 * A token bucket per key (the client's IP address), for the per-IP limits on
 * order creation and checkout.
 *
 * Each key may spend `perMinute` requests at once and then one every
 * 60 / perMinute seconds: its bucket holds up to `perMinute` tokens and
 * refills continuously at `perMinute` tokens a minute. take() spends one token
 * or, with an empty bucket, says how long until the next one.
 *
 * Memory stays bounded: a bucket that has refilled completely is the same as
 * no bucket, so such buckets are forgotten (swept at most once a minute, and
 * whenever the table is full); when more than `maxKeys` keys are active at
 * once, the least recently used half is forgotten, which at worst gives those
 * clients a fresh allowance — never blocks a client that was not limited.
 *
 * Thread-safe: take() may be called from any thread. The clock is a parameter
 * so tests can drive it; a time earlier than one already seen counts as no
 * time passing. `perMinute` ≤ 0 disables limiting (every request is allowed).
 */
class RateLimiter {
public:
    struct Decision {
        bool allowed = true;
        int retryAfterSeconds = 0; ///< when refused: whole seconds (≥ 1) until a token is available; 0 when allowed
    };

    /// The default cap on keys tracked at once.
    static constexpr int DefaultMaxKeys = 100000;

    explicit RateLimiter(int perMinute, int maxKeys = DefaultMaxKeys);

    RateLimiter(const RateLimiter &) = delete;
    RateLimiter &operator=(const RateLimiter &) = delete;

    /// Spends one token of `key`'s bucket, if it has one.
    Decision take(const QString &key, std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

    [[nodiscard]] int perMinute() const { return m_perMinute; }
    /// How many keys have a bucket right now (for tests and health figures).
    [[nodiscard]] int trackedKeys() const;

private:
    struct Bucket {
        double tokens = 0;
        std::chrono::steady_clock::time_point updated;
    };

    void refill(Bucket &bucket, std::chrono::steady_clock::time_point now) const;
    void sweep(std::chrono::steady_clock::time_point now);

    const int m_perMinute;
    const int m_maxKeys;
    mutable QMutex m_mutex;
    QHash<QString, Bucket> m_buckets;
    std::chrono::steady_clock::time_point m_lastSweep;
    bool m_swept = false;
};

} // namespace CalStudio
