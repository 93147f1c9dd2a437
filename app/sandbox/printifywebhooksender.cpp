#include "app/sandbox/printifywebhooksender.h"

#include <QMessageAuthenticationCode>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QStringList>
#include <QTimer>

#include <utility>

namespace CalStudio {

QString PrintifyWebhookSender::Mode::describe() const
{
    QStringList parts;
    if (duplicates > 1)
        parts.append(QStringLiteral("duplicates=%1").arg(duplicates));
    if (wrongSecret)
        parts.append(QStringLiteral("wrong_secret"));
    if (noSignature)
        parts.append(QStringLiteral("no_signature"));
    if (hold)
        parts.append(QStringLiteral("hold"));
    return parts.isEmpty() ? QStringLiteral("normal") : parts.join(QLatin1Char(','));
}

PrintifyWebhookSender::PrintifyWebhookSender(QObject *parent)
    : QObject(parent)
{
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

PrintifyWebhookSender::~PrintifyWebhookSender()
{
    reset();
}

void PrintifyWebhookSender::setMode(const Mode &mode)
{
    m_mode = mode;
    m_mode.duplicates = qBound(1, m_mode.duplicates, 20);
}

QByteArray PrintifyWebhookSender::signature(const QByteArray &secret, const QByteArray &body)
{
    return QMessageAuthenticationCode::hash(body, secret, QCryptographicHash::Sha256).toHex();
}

QByteArray PrintifyWebhookSender::signatureHeader(const QByteArray &secret, const QByteArray &body)
{
    return "sha256=" + signature(secret, body);
}

void PrintifyWebhookSender::send(const PrintifyEvent &event, const QList<Target> &targets)
{
    if (m_mode.hold) {
        m_held.append({ event, targets });
        return;
    }
    enqueue(event, targets, m_mode);
}

int PrintifyWebhookSender::release()
{
    const QList<Held> held = std::exchange(m_held, {});
    m_mode.hold = false;
    for (auto it = held.crbegin(); it != held.crend(); ++it)
        enqueue(it->event, it->targets, m_mode);
    return int(held.size());
}

int PrintifyWebhookSender::pendingCount() const
{
    int count = m_retrying;
    for (const Queue &queue : m_queues)
        count += int(queue.jobs.size()) + (queue.inFlight ? 1 : 0);
    return count;
}

void PrintifyWebhookSender::reset()
{
    ++m_generation;
    m_held.clear();
    m_retrying = 0;
    m_mode = {};
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

void PrintifyWebhookSender::enqueue(const PrintifyEvent &event, const QList<Target> &targets, const Mode &mode)
{
    for (const Target &target : targets) {
        const QString key = target.url.toString();
        for (int copy = 1; copy <= mode.duplicates; ++copy)
            m_queues[key].jobs.append(Job { event, target, mode, copy, 1 });
        pump(key);
    }
}

void PrintifyWebhookSender::pump(const QString &queueKey)
{
    Queue &queue = m_queues[queueKey];
    if (queue.inFlight || queue.jobs.isEmpty())
        return;
    const Job job = queue.jobs.takeFirst();

    QByteArray header;
    if (!job.mode.noSignature) {
        if (job.mode.wrongSecret)
            header = signatureHeader(
                "pfy_wrong_" + QByteArray::number(QRandomGenerator::global()->generate64(), 16), job.event.body);
        else if (!job.target.secret.isEmpty())
            header = signatureHeader(job.target.secret, job.event.body);
    }

    QNetworkRequest request(job.target.url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!header.isEmpty())
        request.setRawHeader("X-Pfy-Signature", header);
    request.setRawHeader("User-Agent", "Printify-Webhooks/1.0 (calstudio-sandbox)");
    request.setRawHeader("Accept", "*/*");
    request.setTransferTimeout(10000);
    QNetworkReply *reply = m_network.post(request, job.event.body);
    queue.inFlight = reply;
    connect(reply, &QNetworkReply::finished, this,
        [this, queueKey, reply, job, header] { finished(queueKey, reply, job, header); });
}

void PrintifyWebhookSender::finished(
    const QString &queueKey, QNetworkReply *reply, const Job &job, const QByteArray &header)
{
    Queue &queue = m_queues[queueKey];
    if (queue.inFlight == reply)
        queue.inFlight = nullptr;
    reply->deleteLater();

    Delivery delivery;
    delivery.eventId = job.event.id;
    delivery.eventType = job.event.type;
    delivery.webhookId = job.target.webhookId;
    delivery.url = job.target.url;
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
        QTimer::singleShot(m_retryDelays.at(job.attempt - 1), this, [this, queueKey, retry, generation] {
            if (generation != m_generation)
                return;
            --m_retrying;
            m_queues[queueKey].jobs.append(retry);
            pump(queueKey);
        });
    }
    Q_EMIT attemptFinished(int(m_deliveries.size() - 1));
    pump(queueKey);
}

} // namespace CalStudio
