#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

#include <chrono>
#include <functional>

namespace CalStudio {

using SandboxHeaders = QList<QPair<QByteArray, QByteArray>>;

/// One HTTP request as the fakes see it: a plain value, so handlers can be tested without sockets.
struct SandboxRequest {
    QByteArray method = "POST";
    QString path;
    QUrlQuery query;
    SandboxHeaders headers;
    QByteArray body;

    /// Case-insensitive header lookup (HTTP header names are case-insensitive).
    [[nodiscard]] QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return {};
    }
};

/// What a fake wants sent back, including the misbehaviours a real network shows.
struct SandboxReply {
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    SandboxHeaders headers;
    std::chrono::milliseconds delay{0}; ///< wait this long before answering (slow-answer faults)
    bool drop = false; ///< close the connection without answering (after `delay`)
    /// Called once the reply was written or dropped, or its client was found gone (after `delay`):
    /// how a fake learns that a delayed request is no longer in flight (Stripe idempotency).
    std::function<void()> finished;
    /// Answer later: when set, the server ignores every other field and calls it once with a function
    /// that delivers the real reply (which may itself be delayed, dropped or deferred again). For
    /// answers that wait on I/O, e.g. the Printify fake fetching an upload's URL; the server keeps
    /// serving other requests meanwhile. The function may be called at most once; calling it after
    /// the client went away only runs the real reply's `finished`.
    std::function<void(std::function<void(SandboxReply)> respond)> deferred;

    [[nodiscard]] QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return {};
    }
};

} // namespace CalStudio
