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

/// One Printify webhook event as the fake created it: `body` is the exact JSON every delivery sends.
struct PrintifyEvent {
    QString id; ///< a UUID
    QString type; ///< the topic, e.g. "order:shipment:created"
    QString resourceId; ///< the order (or product) id
    QDateTime created;
    QByteArray body;
};

/**
 * Delivers the Printify fake's events to the registered webhooks the way
 * Printify does (EXTERNAL_APIS.md 1.10): `POST` of the envelope with
 * `Content-Type: application/json` and, when the webhook has a secret,
 * `X-Pfy-Signature: sha256=<lowercase hex HMAC-SHA256(key = secret,
 * message = raw body)>`. Redirects are not followed; any non-2xx answer or
 * network error is retried after retryDelays() (a few short steps: Printify's
 * real policy is unknown).
 *
 * Asynchronous on the owner's thread (QNetworkAccessManager): send() returns at
 * once and never blocks the server. Per URL one request is in flight at a time
 * and events go out in the order they were sent (a retry goes to the back of
 * the queue), so the delivery modes give a deterministic order.
 *
 * Delivery modes (setMode(), for events sent afterwards) produce the cases a
 * webhook handler must survive: `duplicates` (each event N times, same id and
 * bytes), `wrong_secret` (signed with a secret the receiver does not know),
 * `no_signature` (the header left out even though the webhook has a secret)
 * and `hold` (events wait until release(), which sends them newest first, so
 * `order:shipment:delivered` arrives before `order:shipment:created`).
 *
 * Every attempt is recorded in deliveries() with the status the receiver
 * answered (0 when unreachable), and announced by attemptFinished().
 */
class PrintifyWebhookSender : public QObject {
    Q_OBJECT

public:
    /// Where one event goes: a registered webhook of its topic.
    struct Target {
        QString webhookId;
        QUrl url;
        QByteArray secret; ///< HMAC key bytes exactly as registered; empty = unsigned
    };

    struct Mode {
        int duplicates = 1; ///< deliveries per event and webhook
        bool wrongSecret = false;
        bool noSignature = false;
        bool hold = false; ///< keep events until release()

        [[nodiscard]] QString describe() const;
    };

    struct Delivery {
        QString eventId;
        QString eventType;
        QString webhookId;
        QUrl url;
        int copy = 1; ///< 1…duplicates
        int attempt = 1; ///< 1 = first try, then retries
        int status = 0; ///< HTTP status the receiver answered; 0 = no answer
        QString error; ///< network error text when status is 0
        QByteArray signatureHeader; ///< empty when none was sent
        QString mode;
        QDateTime at;
    };

    explicit PrintifyWebhookSender(QObject *parent = nullptr);
    ~PrintifyWebhookSender() override;

    void setMode(const Mode &mode);
    [[nodiscard]] const Mode &mode() const { return m_mode; }
    /// Waits before the 2nd, 3rd, … attempt; attempts = delays + 1. Default 250 ms, 1 s, 3 s.
    void setRetryDelays(const QList<std::chrono::milliseconds> &delays) { m_retryDelays = delays; }

    /// Delivers `event` to `targets` in the current mode (or holds it).
    void send(const PrintifyEvent &event, const QList<Target> &targets);
    /// Sends the held events, newest first, and stops holding; returns how many were held.
    int release();
    [[nodiscard]] int heldCount() const { return int(m_held.size()); }
    /// Requests waiting, in flight or waiting to be retried.
    [[nodiscard]] int pendingCount() const;

    [[nodiscard]] const QList<Delivery> &deliveries() const { return m_deliveries; }
    /// Drops held, queued and retrying deliveries (in-flight requests are aborted), the log and the mode.
    void reset();

    /// Lowercase hex HMAC-SHA256(key = secret, message = body).
    static QByteArray signature(const QByteArray &secret, const QByteArray &body);
    /// `sha256=<signature>`, the X-Pfy-Signature value.
    static QByteArray signatureHeader(const QByteArray &secret, const QByteArray &body);

Q_SIGNALS:
    /// An attempt ended; `index` is its place in deliveries().
    void attemptFinished(int index);

private:
    struct Held {
        PrintifyEvent event;
        QList<Target> targets;
    };
    struct Job {
        PrintifyEvent event;
        Target target;
        Mode mode;
        int copy = 1;
        int attempt = 1;
    };
    struct Queue {
        QList<Job> jobs;
        QNetworkReply *inFlight = nullptr;
    };

    void enqueue(const PrintifyEvent &event, const QList<Target> &targets, const Mode &mode);
    void pump(const QString &queueKey);
    void finished(const QString &queueKey, QNetworkReply *reply, const Job &job, const QByteArray &header);

    QNetworkAccessManager m_network;
    Mode m_mode;
    QList<std::chrono::milliseconds> m_retryDelays { std::chrono::milliseconds(250), std::chrono::seconds(1),
        std::chrono::seconds(3) };
    QList<Held> m_held;
    QHash<QString, Queue> m_queues; ///< by target URL
    int m_retrying = 0;
    quint64 m_generation = 0; ///< bumped by reset(): retries scheduled before it are dropped
    QList<Delivery> m_deliveries;
};

} // namespace CalStudio
