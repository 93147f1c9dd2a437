#include "core/generation/httpimageprovider.h"

#include "core/generation/generationlogging.h"
#include "core/generation/httponeshotbody.h"
#include "core/generation/httppricetable.h"

#include <QBuffer>
#include <QDateTime>
#include <QFutureWatcher>
#include <QImageReader>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPromise>
#include <QRegularExpression>
#include <QThreadPool>

#include <cmath>
#include <memory>

namespace CalStudio {

using Kind = GenerationError::Kind;

HttpImageProvider::HttpImageProvider(HttpProviderConfig config, QObject *parent)
    : ImageProvider(parent)
    , m_config(std::move(config))
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        if (!m_reply)
            return;
        m_timedOut = true;
        m_reply->abort();
    });
}

HttpImageProvider::~HttpImageProvider()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void HttpImageProvider::setNetworkAccessManager(QNetworkAccessManager *manager)
{
    m_manager = manager;
}

bool HttpImageProvider::beginCall()
{
    if (m_busy) {
        // Not finishSoon(): that would end the running call. Answer for this extra call only.
        qCWarning(lcGeneration) << id() << "generate() while a call is running; refused";
        QTimer::singleShot(0, this, [this] {
            Q_EMIT finished(makeError(Kind::BadRequest, tr("This provider is already running a request.")));
        });
        return false;
    }
    m_busy = true;
    m_cancelled = false;
    m_timedOut = false;
    m_requestSent = false;
    return true;
}

void HttpImageProvider::finishSoon(GenerationError error)
{
    const quint64 call = m_call;
    QTimer::singleShot(0, this, [this, call, error = std::move(error)] {
        if (call == m_call && m_busy)
            deliver(error);
    });
}

QUrl HttpImageProvider::endpoint(const QString &path) const
{
    QUrl url = m_config.baseUrl;
    QString prefix = url.path();
    while (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    url.setPath(prefix + path);
    return url;
}

void HttpImageProvider::send(QNetworkRequest request, QByteArray body, Interpreter interpret)
{
    if (!m_manager)
        m_manager = new QNetworkAccessManager(this);
    auto *upload = new HttpOneShotBody(std::move(body));
    request.setHeader(QNetworkRequest::ContentLengthHeader, upload->totalSize());
    // Unbuffered, so QNAM streams from the one-shot device and cannot rewind it for a silent re-send.
    request.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
    QNetworkReply *reply = m_manager->post(request, upload);
    upload->setParent(reply);
    start(reply, std::move(interpret));
}

void HttpImageProvider::start(QNetworkReply *reply, Interpreter interpret)
{
    m_reply = reply;
    m_interpret = std::move(interpret);
    m_elapsed.start();
    // "Sent" decides between Transient (nothing reached the provider) and ResponseLost (it may
    // have run and billed): requestSent() fires once the request is written out, and a complete
    // upload is the same proof for bodies that take several writes.
    connect(reply, &QNetworkReply::requestSent, this, [this] { m_requestSent = true; });
    connect(reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent, qint64 total) {
        if (total > 0 && sent == total)
            m_requestSent = true;
    });
    connect(reply, &QNetworkReply::finished, this, &HttpImageProvider::onReplyFinished);
    m_deadline.start(m_config.timeout);
}

void HttpImageProvider::cancel()
{
    if (!m_busy)
        return;
    m_cancelled = true;
    if (m_reply) {
        m_reply->abort(); // finished() → onReplyFinished() answers Cancelled
        return;
    }
    // Waiting for the interpreter or a queued answer: answer now, the late result is dropped.
    deliver(makeError(Kind::Cancelled, tr("Cancelled.")));
}

void HttpImageProvider::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    m_deadline.stop();
    reply->deleteLater();
    const qint64 ms = m_elapsed.elapsed();

    if (m_cancelled) {
        qCInfo(lcGeneration) << id() << "call cancelled after" << ms << "ms";
        deliver(makeError(Kind::Cancelled, tr("Cancelled.")));
        return;
    }
    if (m_timedOut) {
        qCWarning(lcGeneration) << id() << "no answer within" << m_config.timeout.count() << "ms";
        deliver(makeError(Kind::Transient,
                          tr("%1 did not answer within %2 s. The request may still have been processed and billed.")
                              .arg(id())
                              .arg(m_config.timeout.count() / 1000.0)));
        return;
    }

    const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const QNetworkReply::NetworkError error = reply->error();
    // Codes below 100 are transport failures (no or incomplete HTTP answer); 1xx are proxy failures.
    // ContentReSendError: the connection closed before any answer and QNAM wanted to re-send (HttpOneShotBody).
    const bool transportFailure = (error != QNetworkReply::NoError && error < QNetworkReply::ContentAccessDenied)
        || error == QNetworkReply::ContentReSendError;
    if (!statusAttribute.isValid() || transportFailure) {
        const bool lost = error == QNetworkReply::ContentReSendError || (m_requestSent && error != QNetworkReply::ConnectionRefusedError
            && error != QNetworkReply::HostNotFoundError && error != QNetworkReply::SslHandshakeFailedError
            && error < QNetworkReply::ProxyConnectionRefusedError);
        qCWarning(lcGeneration) << id() << "transport failure after" << ms << "ms:" << error
                                << (lost ? "(request was sent)" : "(request not sent)");
        if (lost) {
            deliver(makeError(Kind::ResponseLost,
                              tr("The connection to %1 was lost after the request was sent. The image may have been "
                                 "generated and billed, but the answer never arrived.")
                                  .arg(id())));
        } else {
            deliver(makeError(Kind::Transient, tr("Could not reach %1 (%2).").arg(id(), reply->errorString())));
        }
        return;
    }

    HttpAnswer answer;
    answer.status = statusAttribute.toInt();
    answer.headers = reply->rawHeaderPairs();
    answer.body = reply->readAll();
    qCInfo(lcGeneration) << id() << "HTTP" << answer.status << "after" << ms << "ms," << answer.body.size() << "bytes";

    // Parse on a worker thread; a QFutureWatcher brings the outcome back to this thread.
    auto promise = std::make_shared<QPromise<Outcome>>();
    auto *watcher = new QFutureWatcher<Outcome>(this);
    const quint64 call = m_call;
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, call] {
        watcher->deleteLater();
        if (call != m_call || !m_busy || watcher->future().resultCount() == 0)
            return;
        deliver(watcher->result());
    });
    watcher->setFuture(promise->future());
    QThreadPool::globalInstance()->start(
        [promise, interpret = std::move(m_interpret), answer = std::move(answer)]() mutable {
            promise->start();
            promise->addResult(interpret(std::move(answer)));
            promise->finish();
        });
    m_interpret = nullptr;
}

void HttpImageProvider::deliver(const Outcome &outcome)
{
    m_busy = false;
    ++m_call;
    if (const auto *error = std::get_if<GenerationError>(&outcome)) {
        // Kind, status and the provider's reason code only: provider messages can echo parts of the key.
        qCInfo(lcGeneration) << id() << "failed: kind" << int(error->kind) << "HTTP" << error->httpStatus << "reason"
                             << error->providerReason << "retry after" << error->retryAfter.count() << "ms";
    } else if (const auto *image = std::get_if<GeneratedImage>(&outcome)) {
        qCInfo(lcGeneration) << id() << "image" << image->mimeType << image->nativeSize << "model" << image->model
                             << "≈ $" << image->costUsd;
    }
    Q_EMIT finished(outcome);
}

GenerationError HttpImageProvider::makeError(Kind kind, QString message, QString providerReason, int httpStatus)
{
    GenerationError error;
    error.kind = kind;
    error.message = std::move(message);
    error.providerReason = std::move(providerReason);
    error.httpStatus = httpStatus;
    return error;
}

std::optional<QByteArray> HttpImageProvider::decodeBase64(QByteArray &&base64)
{
    auto result = QByteArray::fromBase64Encoding(std::move(base64), QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return std::nullopt;
    return std::move(result.decoded);
}

ImageProvider::Outcome HttpImageProvider::imageOutcome(QByteArray bytes, const QString &provider, const QString &model,
                                                       QString note)
{
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    const QByteArray format = reader.format();
    const QSize size = reader.size(); // header only: no full decode of a 4K image here
    if (format.isEmpty() || !size.isValid()) {
        return makeError(Kind::Transient, QObject::tr("%1 sent an image that cannot be read.").arg(provider),
                         QStringLiteral("UNREADABLE_IMAGE"), 200);
    }
    buffer.close();
    GeneratedImage image;
    image.mimeType = format == "jpg" ? QStringLiteral("image/jpeg") : QStringLiteral("image/") + QString::fromLatin1(format);
    image.nativeSize = size;
    image.model = model;
    image.note = std::move(note);
    image.costUsd = HttpPriceTable::estimateUsd(provider, model, size);
    image.bytes = std::move(bytes);
    return image;
}

std::chrono::milliseconds HttpImageProvider::parseRetryAfter(const QByteArray &value)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::chrono::milliseconds(0);
    bool ok = false;
    const double seconds = trimmed.toDouble(&ok);
    if (ok)
        return std::chrono::milliseconds(qMax<qint64>(0, qint64(std::llround(seconds * 1000))));
    const QDateTime when = QDateTime::fromString(QString::fromLatin1(trimmed), Qt::RFC2822Date);
    if (when.isValid())
        return std::chrono::milliseconds(qMax<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(when)));
    return std::chrono::milliseconds(0);
}

std::chrono::milliseconds HttpImageProvider::parseDuration(const QString &text)
{
    static const QRegularExpression piece(QStringLiteral("(\\d+(?:\\.\\d+)?)(ms|h|m|s)"));
    double total = 0;
    qsizetype consumed = 0;
    auto it = piece.globalMatch(text.trimmed());
    while (it.hasNext()) {
        const auto match = it.next();
        if (match.capturedStart() != consumed)
            return std::chrono::milliseconds(0);
        consumed = match.capturedEnd();
        const double value = match.captured(1).toDouble();
        const QString unit = match.captured(2);
        total += unit == QLatin1String("ms") ? value
            : unit == QLatin1String("s")     ? value * 1000
            : unit == QLatin1String("m")     ? value * 60000
                                             : value * 3600000;
    }
    if (consumed == 0 || consumed != text.trimmed().size())
        return std::chrono::milliseconds(0);
    return std::chrono::milliseconds(qint64(std::llround(total)));
}

} // namespace CalStudio
