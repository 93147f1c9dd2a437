#include "app/sandbox/stripewebhooksender.h"

#include <QMessageAuthenticationCode>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QRandomGenerator>
#include <QStringList>
#include <QTimer>

#include <utility>

namespace CalStudio {

QString StripeWebhookSender::Mode::describe() const
{
    QStringList parts;
    if (duplicates > 1)
        parts.append(QStringLiteral("duplicates=%1").arg(duplicates));
    if (!rolledSecret.isEmpty())
        parts.append(QStringLiteral("roll_secret"));
    if (wrongSecret)
        parts.append(QStringLiteral("wrong_secret"));
    if (stale)
        parts.append(QStringLiteral("stale"));
    if (hold)
        parts.append(QStringLiteral("hold"));
    return parts.isEmpty() ? QStringLiteral("normal") : parts.join(QLatin1Char(','));
}

StripeWebhookSender::StripeWebhookSender(QObject *parent)
    : QObject(parent)
{
    // Stripe does not follow redirects: a 3xx is a failed delivery.
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

StripeWebhookSender::~StripeWebhookSender()
{
    reset();
}

void StripeWebhookSender::setEndpoints(const QList<Endpoint> &endpoints)
{
    m_endpoints = endpoints;
}

void StripeWebhookSender::setMode(const Mode &mode)
{
    m_mode = mode;
    m_mode.duplicates = qBound(1, m_mode.duplicates, 20);
}

QByteArray StripeWebhookSender::signature(const QByteArray &secret, qint64 timestamp, const QByteArray &body)
{
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, secret);
    mac.addData(QByteArray::number(timestamp));
    mac.addData(".");
    mac.addData(body);
    return mac.result().toHex();
}

QByteArray StripeWebhookSender::signatureHeader(
    qint64 timestamp, const QList<QByteArray> &secrets, const QByteArray &body)
{
    QByteArray header = "t=" + QByteArray::number(timestamp);
    for (const QByteArray &secret : secrets)
        header += ",v1=" + signature(secret, timestamp, body);
    return header;
}

void StripeWebhookSender::send(const StripeEvent &event)
{
    if (m_mode.hold) {
        m_held.append(event);
        return;
    }
    enqueue(event, m_mode);
}

int StripeWebhookSender::release()
{
    const QList<StripeEvent> held = std::exchange(m_held, {});
    m_mode.hold = false;
    for (auto it = held.crbegin(); it != held.crend(); ++it)
        enqueue(*it, m_mode);
    return int(held.size());
}

int StripeWebhookSender::pendingCount() const
{
    int count = m_retrying;
    for (const Queue &queue : m_queues)
        count += int(queue.jobs.size()) + (queue.inFlight ? 1 : 0);
    return count;
}

void StripeWebhookSender::reset()
{
    ++m_generation;
    m_held.clear();
    m_retrying = 0;
    for (Queue &queue : m_queues) {
        queue.jobs.clear();
        if (QNetworkReply *reply = std::exchange(queue.inFlight, nullptr)) {
            reply->disconnect(this);
            reply->abort();
            reply->deleteLater();
        }
    }
    m_queues.clear();
    m_deliveries.clear();
}

void StripeWebhookSender::enqueue(const StripeEvent &event, const Mode &mode)
{
    for (const Endpoint &endpoint : std::as_const(m_endpoints)) {
        const QString key = endpoint.url.toString();
        for (int copy = 1; copy <= mode.duplicates; ++copy)
            m_queues[key].jobs.append(Job { event, endpoint, mode, copy, 1 });
        pump(key);
    }
}

void StripeWebhookSender::pump(const QString &endpointKey)
{
    Queue &queue = m_queues[endpointKey];
    if (queue.inFlight || queue.jobs.isEmpty())
        return;
    const Job job = queue.jobs.takeFirst();

    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const qint64 timestamp = job.mode.stale ? now - 600 : now;
    QList<QByteArray> secrets;
    if (job.mode.wrongSecret)
        secrets.append("whsec_wrong_" + QByteArray::number(QRandomGenerator::global()->generate64(), 16));
    else
        secrets.append(job.endpoint.secret);
    if (!job.mode.rolledSecret.isEmpty())
        secrets.append(job.mode.rolledSecret);
    const QByteArray header = signatureHeader(timestamp, secrets, job.event.body);

    QNetworkRequest request(job.endpoint.url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json; charset=utf-8"));
    request.setRawHeader("Stripe-Signature", header);
    request.setRawHeader("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)");
    request.setRawHeader("Accept", "*/*; q=0.5, application/xml");
    request.setRawHeader("Cache-Control", "no-cache");
    request.setTransferTimeout(10000);
    QNetworkReply *reply = m_network.post(request, job.event.body);
    queue.inFlight = reply;
    connect(reply, &QNetworkReply::finished, this,
        [this, endpointKey, reply, job, header] { finished(endpointKey, reply, job, header); });
}

void StripeWebhookSender::finished(
    const QString &endpointKey, QNetworkReply *reply, const Job &job, const QByteArray &header)
{
    Queue &queue = m_queues[endpointKey];
    if (queue.inFlight == reply)
        queue.inFlight = nullptr;
    reply->deleteLater();

    Delivery delivery;
    delivery.eventId = job.event.id;
    delivery.eventType = job.event.type;
    delivery.url = job.endpoint.url;
    delivery.copy = job.copy;
    delivery.attempt = job.attempt;
    delivery.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (delivery.status == 0)
        delivery.error = reply->errorString();
    delivery.signatureHeader = header;
    delivery.mode = job.mode.describe();
    delivery.at = QDateTime::currentDateTimeUtc();
    m_deliveries.append(delivery);

    const bool ok = delivery.status >= 200 && delivery.status < 300;
    if (!ok && job.attempt <= m_retryDelays.size()) {
        ++m_retrying;
        Job retry = job;
        ++retry.attempt;
        const quint64 generation = m_generation;
        QTimer::singleShot(m_retryDelays.at(job.attempt - 1), this, [this, endpointKey, retry, generation] {
            if (generation != m_generation)
                return;
            --m_retrying;
            m_queues[endpointKey].jobs.append(retry);
            pump(endpointKey);
        });
    }
    Q_EMIT attemptFinished(int(m_deliveries.size() - 1));
    pump(endpointKey);
}

} // namespace CalStudio
