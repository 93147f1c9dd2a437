#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QString>
#include <QUrl>

#include <chrono>

class QNetworkReply;

namespace CalStudio {

/// One Stripe event as the fake created it: `body` is the exact JSON every delivery sends.
struct StripeEvent {
    QString id; ///< evt_…
    QString type;
    qint64 created = 0;
    QByteArray body;
};

/**
 * Delivers the Stripe fake's events to webhook endpoints the way Stripe does
 * (EXTERNAL_APIS.md 2.8): `POST` with `Content-Type: application/json;
 * charset=utf-8` and `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret,
 * t + "." + body)>`, a fresh `t` and signature per attempt, redirects not
 * followed, any non-2xx or network error retried after retryDelays() (a few
 * short steps instead of Stripe's three days).
 *
 * Asynchronous on the owner's thread (QNetworkAccessManager): send() returns at
 * once and never blocks the server. Per endpoint one request is in flight at a
 * time and events go out in the order they were sent (a retry goes to the back
 * of the queue), so the delivery modes below give a deterministic order.
 *
 * Delivery modes (setMode(), for events sent afterwards) produce the cases a
 * webhook handler must survive: `duplicates` (each event N times), a rolled
 * secret (two `v1` entries: the endpoint's secret, then the new one), a wrong
 * secret, a stale `t` (10 minutes old, beyond the 300 s tolerance), and
 * `hold` (events wait until release(), which sends them newest first, so
 * `async_payment_succeeded` arrives before `completed`).
 *
 * Every attempt is recorded in deliveries() with the status the endpoint
 * answered (0 when unreachable), and announced by attemptFinished().
 */
class StripeWebhookSender : public QObject {
    Q_OBJECT

public:
    struct Endpoint {
        QUrl url;
        QByteArray secret; ///< whsec_…, used as the HMAC key bytes exactly as given
    };

    struct Mode {
        int duplicates = 1; ///< deliveries per event
        QByteArray rolledSecret; ///< non-empty: also sign with this (a second v1 after the endpoint's)
        bool wrongSecret = false; ///< sign with a secret the endpoint does not know
        bool stale = false; ///< t 600 s in the past
        bool hold = false; ///< keep events until release()

        [[nodiscard]] QString describe() const;
    };

    struct Delivery {
        QString eventId;
        QString eventType;
        QUrl url;
        int copy = 1; ///< 1…duplicates
        int attempt = 1; ///< 1 = first try, then retries
        int status = 0; ///< HTTP status the endpoint answered; 0 = no answer
        QString error; ///< network error text when status is 0
        QByteArray signatureHeader;
        QString mode;
        QDateTime at;
    };

    explicit StripeWebhookSender(QObject *parent = nullptr);
    ~StripeWebhookSender() override;

    void setEndpoints(const QList<Endpoint> &endpoints);
    [[nodiscard]] const QList<Endpoint> &endpoints() const { return m_endpoints; }
    void setMode(const Mode &mode);
    [[nodiscard]] const Mode &mode() const { return m_mode; }
    /// Waits before the 2nd, 3rd, … attempt; attempts = delays + 1. Default 250 ms, 1 s, 3 s.
    void setRetryDelays(const QList<std::chrono::milliseconds> &delays) { m_retryDelays = delays; }

    /// Delivers `event` to every endpoint in the current mode (or holds it).
    void send(const StripeEvent &event);
    /// Sends the held events, newest first, and stops holding; returns how many were held.
    int release();
    [[nodiscard]] int heldCount() const { return int(m_held.size()); }
    /// Requests waiting, in flight or waiting to be retried.
    [[nodiscard]] int pendingCount() const;

    [[nodiscard]] const QList<Delivery> &deliveries() const { return m_deliveries; }
    void clearDeliveries() { m_deliveries.clear(); }
    /// Drops held, queued and retrying deliveries (in-flight requests are aborted) and the log.
    void reset();

    /// lowercase hex HMAC-SHA256(key = secret, message = t + "." + body).
    static QByteArray signature(const QByteArray &secret, qint64 timestamp, const QByteArray &body);
    /// `t=<t>,v1=<sig>[,v1=<sig>…]`, one v1 per secret in order.
    static QByteArray signatureHeader(qint64 timestamp, const QList<QByteArray> &secrets, const QByteArray &body);

Q_SIGNALS:
    /// An attempt ended; `index` is its place in deliveries().
    void attemptFinished(int index);

private:
    struct Job {
        StripeEvent event;
        Endpoint endpoint;
        Mode mode;
        int copy = 1;
        int attempt = 1;
    };
    struct Queue {
        QList<Job> jobs;
        QNetworkReply *inFlight = nullptr;
    };

    void enqueue(const StripeEvent &event, const Mode &mode);
    void pump(const QString &endpointKey);
    void finished(const QString &endpointKey, QNetworkReply *reply, const Job &job, const QByteArray &header);

    QNetworkAccessManager m_network;
    QList<Endpoint> m_endpoints;
    Mode m_mode;
    QList<std::chrono::milliseconds> m_retryDelays { std::chrono::milliseconds(250), std::chrono::seconds(1),
        std::chrono::seconds(3) };
    QList<StripeEvent> m_held;
    QHash<QString, Queue> m_queues; ///< by endpoint URL
    int m_retrying = 0;
    quint64 m_generation = 0; ///< bumped by reset(): retries scheduled before it are dropped
    QList<Delivery> m_deliveries;
};

} // namespace CalStudio
