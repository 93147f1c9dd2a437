#include "core/companion/ratelimiter.h"

#include <QMutexLocker>

#include <algorithm>
#include <cmath>
#include <vector>

namespace CalStudio {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto SweepInterval = std::chrono::minutes(1);

} // namespace

RateLimiter::RateLimiter(int perMinute, int maxKeys)
    : m_perMinute(perMinute)
    , m_maxKeys(std::max(maxKeys, 1))
{
}

void RateLimiter::refill(Bucket &bucket, Clock::time_point now) const
{
    if (now <= bucket.updated)
        return; // a clock read earlier on another thread: no time has passed
    const double seconds = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min(double(m_perMinute), bucket.tokens + seconds * m_perMinute / 60.0);
    bucket.updated = now;
}

void RateLimiter::sweep(Clock::time_point now)
{
    m_lastSweep = now;
    m_swept = true;
    for (auto it = m_buckets.begin(); it != m_buckets.end();) {
        refill(it.value(), now);
        if (it->tokens >= m_perMinute)
            it = m_buckets.erase(it);
        else
            ++it;
    }
    if (m_buckets.size() < m_maxKeys)
        return;
    // Still full of clients that are being limited right now: forget the least recently
    // used half rather than refusing new clients.
    std::vector<Clock::time_point> times;
    times.reserve(size_t(m_buckets.size()));
    for (const Bucket &b : std::as_const(m_buckets))
        times.push_back(b.updated);
    const auto middle = times.begin() + qsizetype(times.size() / 2);
    std::nth_element(times.begin(), middle, times.end());
    const Clock::time_point cutoff = *middle;
    for (auto it = m_buckets.begin(); it != m_buckets.end();) {
        if (it->updated <= cutoff)
            it = m_buckets.erase(it);
        else
            ++it;
    }
}

RateLimiter::Decision RateLimiter::take(const QString &key, Clock::time_point now)
{
    if (m_perMinute <= 0)
        return { true, 0 };
    QMutexLocker lock(&m_mutex);
    if (!m_swept || now - m_lastSweep >= SweepInterval || (m_buckets.size() >= m_maxKeys && !m_buckets.contains(key)))
        sweep(now);

    auto it = m_buckets.find(key);
    if (it == m_buckets.end())
        it = m_buckets.insert(key, Bucket { double(m_perMinute), now });
    Bucket &bucket = it.value();
    refill(bucket, now);
    if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { true, 0 };
    }
    const double seconds = (1 - bucket.tokens) * 60.0 / m_perMinute;
    return { false, std::max(1, int(std::ceil(seconds - 1e-9))) };
}

int RateLimiter::trackedKeys() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_buckets.size());
}

} // namespace CalStudio
