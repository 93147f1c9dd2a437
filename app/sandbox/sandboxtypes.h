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
