#pragma once

#include <QByteArray>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QString>
#include <QUrl>

#include <chrono>

namespace CalStudio {

/**
 * One HTTP request and its answer, made synchronously on the calling thread —
 * the plumbing StripeClient and PrintifyClient share. Each exchange uses a
 * fresh QNetworkAccessManager and a local event loop with a deadline, so it
 * works on any worker thread and shares nothing with other threads or tries.
 *
 * `Body::OneShot` sends the body through a device that refuses to be rewound:
 * QNetworkAccessManager (Qt 6.4) silently re-sends a request whose connection
 * closed before any answer, which for a call without idempotency (a Printify
 * order) would repeat it. With the rewind refused, that becomes a transport
 * failure instead, and the request reached the server at most once.
 */
struct HttpExchange {
    enum class Body { None, Rewindable, OneShot };

    bool transportFailed = false; ///< no complete HTTP answer
    bool timedOut = false;
    bool neverSent = false; ///< the connection could not be opened: the request never left
    QString transportError; ///< what went wrong, for an Error's detail
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;

    [[nodiscard]] QByteArray header(const QByteArray &name) const;
    [[nodiscard]] bool succeeded() const { return !transportFailed && status >= 200 && status < 300; }

    static HttpExchange run(const QNetworkRequest &request, const QByteArray &method, const QByteArray &payload,
        Body body, std::chrono::milliseconds timeout);

    /// "calstudio-companion/<version>" (the application's version when `version` is empty).
    static QByteArray userAgent(const QString &version);
    /// `path` ("/v1/…[?query]") on `base`, whose own path may already end in "/v1".
    static QUrl endpoint(const QUrl &base, const QString &path);
    /// A Retry-After value (seconds or an HTTP date) as a wait; 0 when absent or unreadable.
    static std::chrono::milliseconds retryAfter(const QByteArray &value);
};

} // namespace CalStudio
