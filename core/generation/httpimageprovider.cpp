#include "core/generation/httpimageprovider.h"

#include "core/generation/generationlogging.h"
#include "core/generation/httponeshotbody.h"
#include "core/generation/httppricetable.h"

#include <QBuffer>
#include <QDateTime>
#include <QFutureWatcher>
#include <QImageReader>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPromise>
#include <QRegularExpression>
#include <QThreadPool>

#include <algorithm>
#include <cmath>
#include <memory>

namespace CalStudio {

using Kind = GenerationError::Kind;

namespace {

// Codes below 100 are transport failures (no or incomplete HTTP answer); 1xx are proxy failures.
// ContentReSendError: the connection closed before any answer and QNAM wanted to re-send (HttpOneShotBody).
bool isTransportFailure(QNetworkReply *reply)
{
    const QNetworkReply::NetworkError error = reply->error();
    return !reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid()
        || (error != QNetworkReply::NoError && error < QNetworkReply::ContentAccessDenied)
        || error == QNetworkReply::ContentReSendError;
}

HttpAnswer answerOf(QNetworkReply *reply)
{
    HttpAnswer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.headers = reply->rawHeaderPairs();
    answer.body = reply->readAll();
    return answer;
}

} // namespace

HttpImageProvider::HttpImageProvider(HttpProviderConfig config, QObject *parent)
    : ImageProvider(parent)
    , m_config(std::move(config))
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &HttpImageProvider::onDeadline);
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &HttpImageProvider::repeatStep);
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

QNetworkAccessManager *HttpImageProvider::networkAccessManager()
{
    if (!m_manager)
        m_manager = new QNetworkAccessManager(this);
    return m_manager;
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
    m_step = Step::Request;
    m_stepFailures = 0;
    m_onJson = nullptr;
    return true;
}

void HttpImageProvider::finishSoon(GenerationError error)
{
    const quint64 call = m_call;
    QTimer::singleShot(0, this, [this, call, error = std::move(error)] {
        if (call == m_call && m_busy)
            finishNow(error);
    });
}

HttpProviderConfig HttpImageProvider::withDefaultBaseUrl(HttpProviderConfig config, const char *defaultBaseUrl)
{
    if (config.baseUrl.isEmpty())
        config.baseUrl = QUrl(QString::fromLatin1(defaultBaseUrl));
    return config;
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
    m_step = Step::Request;
    m_interpret = std::move(interpret);
    post(std::move(request), std::move(body));
}

void HttpImageProvider::submitJob(QNetworkRequest request, QByteArray body, JsonHandler onAnswer)
{
    m_step = Step::Submit;
    m_onJson = std::move(onAnswer);
    post(std::move(request), std::move(body));
}

void HttpImageProvider::post(QNetworkRequest request, QByteArray body)
{
    auto *upload = new HttpOneShotBody(std::move(body));
    request.setHeader(QNetworkRequest::ContentLengthHeader, upload->totalSize());
    // Unbuffered, so QNAM streams from the one-shot device and cannot rewind it for a silent re-send.
    request.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
    QNetworkReply *reply = networkAccessManager()->post(request, upload);
    upload->setParent(reply);
    m_elapsed.start();
    // "Sent" decides between Transient (nothing reached the provider) and ResponseLost (it may
    // have run and billed): requestSent() fires once the request is written out, and a complete
    // upload is the same proof for bodies that take several writes.
    connect(reply, &QNetworkReply::requestSent, this, [this] { m_requestSent = true; });
    connect(reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent, qint64 total) {
        if (total > 0 && sent == total)
            m_requestSent = true;
    });
    issue(reply);
    m_deadline.start(m_config.timeout);
}

void HttpImageProvider::pollLater(const QUrl &statusUrl, JsonHandler onStatus)
{
    m_step = Step::Poll;
    m_stepUrl = statusUrl;
    m_onJson = std::move(onStatus);
    m_pollTimer.start(m_pollInterval);
}

void HttpImageProvider::fetchJson(const QUrl &url, JsonHandler onResult)
{
    m_step = Step::Fetch;
    m_stepUrl = url;
    m_onJson = std::move(onResult);
    get(url);
}

void HttpImageProvider::downloadImage(const QUrl &url, const QString &model, const QString &failureHint)
{
    m_step = Step::Download;
    m_onJson = nullptr;
    m_downloadModel = model;
    m_downloadHint = failureHint;
    qCInfo(lcGeneration) << id() << "downloading output from" << url.host();
    get(url);
}

void HttpImageProvider::repeatStep()
{
    if (!m_busy || m_cancelled || m_timedOut)
        return;
    get(m_stepUrl);
}

void HttpImageProvider::get(const QUrl &url)
{
    QNetworkRequest request(url);
    // The key goes to the API's own origin only: output files live on other hosts.
    if (const QByteArray auth = authorization(); !auth.isEmpty() && sameOriginAsApi(url))
        request.setRawHeader("Authorization", auth);
    issue(networkAccessManager()->get(request));
}

void HttpImageProvider::issue(QNetworkReply *reply)
{
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, &HttpImageProvider::onReplyFinished);
}

bool HttpImageProvider::sameOriginAsApi(const QUrl &url) const
{
    const QUrl api = m_config.baseUrl;
    const auto port = [](const QUrl &u) { return u.port(u.scheme() == QLatin1String("https") ? 443 : 80); };
    return url.scheme() == api.scheme() && url.host().compare(api.host(), Qt::CaseInsensitive) == 0
        && port(url) == port(api);
}

QUrl HttpImageProvider::apiUrl(const QString &returned, const QString &fallbackPath) const
{
    const QUrl url(returned);
    if (!returned.isEmpty() && url.isValid() && sameOriginAsApi(url))
        return url;
    return endpoint(fallbackPath);
}

void HttpImageProvider::cancel()
{
    if (!m_busy || m_cancelled)
        return;
    m_cancelled = true;
    m_pollTimer.stop();
    if (m_step == Step::Submit || m_step == Step::Poll)
        cancelRemote();
    if (m_reply) {
        m_reply->abort(); // finished() → onReplyFinished() answers Cancelled
        return;
    }
    if (m_step == Step::Request) {
        // Waiting for the interpreter or a queued answer: answer now, the late result is dropped.
        finishNow(makeError(Kind::Cancelled, tr("Cancelled.")));
        return;
    }
    // Between two polls of a queued job.
    finishSoon(makeError(Kind::Cancelled, tr("Cancelled.")));
}

void HttpImageProvider::onDeadline()
{
    if (!m_busy)
        return;
    if (m_step == Step::Request) {
        // One request: its finished() answers (see onReplyFinished()); a running interpreter is not bounded.
        if (!m_reply)
            return;
        m_timedOut = true;
        m_reply->abort();
        return;
    }
    m_timedOut = true;
    m_pollTimer.stop();
    dropReply();
    if (m_step == Step::Submit || m_step == Step::Poll)
        cancelRemote();
    qCWarning(lcGeneration) << id() << "no result within" << m_config.timeout.count() << "ms";
    finishNow(makeError(Kind::Transient,
                        tr("%1 did not finish within %2 s. The request may still run and be billed.")
                            .arg(displayName())
                            .arg(m_config.timeout.count() / 1000.0),
                        QStringLiteral("timeout")));
}

void HttpImageProvider::dropReply()
{
    if (!m_reply)
        return;
    m_reply->disconnect(this);
    m_reply->abort();
    m_reply->deleteLater();
    m_reply = nullptr;
}

GenerationError HttpImageProvider::transportError(QNetworkReply *reply) const
{
    const QNetworkReply::NetworkError error = reply->error();
    const bool lost = error == QNetworkReply::ContentReSendError
        || (m_requestSent && error != QNetworkReply::ConnectionRefusedError && error != QNetworkReply::HostNotFoundError
            && error != QNetworkReply::SslHandshakeFailedError && error < QNetworkReply::ProxyConnectionRefusedError);
    qCWarning(lcGeneration) << id() << "transport failure after" << m_elapsed.elapsed() << "ms:" << error
                            << (lost ? "(request was sent)" : "(request not sent)");
    if (lost) {
        return makeError(Kind::ResponseLost,
                         tr("The connection to %1 was lost after the request was sent. The image may have been "
                            "generated and billed, but the answer never arrived.")
                             .arg(displayName()));
    }
    return makeError(Kind::Transient, tr("Could not reach %1 (%2).").arg(displayName(), reply->errorString()));
}

void HttpImageProvider::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();
    if (m_step != Step::Request) {
        onStepFinished(reply);
        return;
    }
    m_deadline.stop();
    const qint64 ms = m_elapsed.elapsed();

    if (m_cancelled) {
        qCInfo(lcGeneration) << id() << "call cancelled after" << ms << "ms";
        finishNow(makeError(Kind::Cancelled, tr("Cancelled.")));
        return;
    }
    if (m_timedOut) {
        qCWarning(lcGeneration) << id() << "no answer within" << m_config.timeout.count() << "ms";
        finishNow(makeError(Kind::Transient,
                            tr("%1 did not answer within %2 s. The request may still have been processed and billed.")
                                .arg(displayName())
                                .arg(m_config.timeout.count() / 1000.0)));
        return;
    }
    if (isTransportFailure(reply)) {
        finishNow(transportError(reply));
        return;
    }

    HttpAnswer answer = answerOf(reply);
    qCInfo(lcGeneration) << id() << "HTTP" << answer.status << "after" << ms << "ms," << answer.body.size() << "bytes";

    // Parse on a worker thread; a QFutureWatcher brings the outcome back to this thread.
    auto promise = std::make_shared<QPromise<Outcome>>();
    auto *watcher = new QFutureWatcher<Outcome>(this);
    const quint64 call = m_call;
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, call] {
        watcher->deleteLater();
        if (call != m_call || !m_busy || watcher->future().resultCount() == 0)
            return;
        finishNow(watcher->result());
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

void HttpImageProvider::onStepFinished(QNetworkReply *reply)
{
    if (!m_busy)
        return;
    if (m_cancelled) {
        qCInfo(lcGeneration) << id() << "call cancelled after" << m_elapsed.elapsed() << "ms";
        finishNow(makeError(Kind::Cancelled, tr("Cancelled.")));
        return;
    }
    if (m_timedOut)
        return; // onDeadline() answered

    if (isTransportFailure(reply)) {
        if (m_step == Step::Submit) {
            finishNow(transportError(reply));
            return;
        }
        qCWarning(lcGeneration) << id() << "transport failure in step" << int(m_step) << "after" << m_elapsed.elapsed()
                                << "ms:" << reply->error();
        if (m_step != Step::Download && ++m_stepFailures < MaxStepFailures) {
            if (m_step == Step::Poll)
                m_pollTimer.start(m_pollInterval);
            else
                repeatStep();
            return;
        }
        const QString reason
            = m_step == Step::Download ? QStringLiteral("download_failed") : QStringLiteral("poll_failed");
        finishNow(makeError(Kind::ResponseLost,
                            tr("The request ran on %1 (and is billed) but its result could not be fetched (%2).")
                                .arg(displayName(), reply->errorString()),
                            reason));
        return;
    }

    HttpAnswer answer = answerOf(reply);
    qCInfo(lcGeneration) << id() << "step" << int(m_step) << "HTTP" << answer.status << "after" << m_elapsed.elapsed()
                         << "ms," << answer.body.size() << "bytes";

    if (m_step == Step::Download) {
        if (answer.status != 200) {
            QString message = tr("The image was generated (and billed) but could not be downloaded (HTTP %1).")
                                  .arg(answer.status);
            if (!m_downloadHint.isEmpty())
                message += QLatin1Char(' ') + m_downloadHint;
            finishNow(makeError(Kind::ResponseLost, message, QStringLiteral("download_http_%1").arg(answer.status),
                                answer.status));
            return;
        }
        finishNow(imageOutcome(std::move(answer.body), id(), m_downloadModel, QString()));
        return;
    }

    if (answer.status < 200 || answer.status >= 300) {
        GenerationError error = errorFromAnswer(answer);
        // A poll that fails says nothing about the job, which may still finish: ask again a few times.
        const bool retry = m_step == Step::Poll && (error.kind == Kind::Transient || error.kind == Kind::RateLimited);
        if (retry && ++m_stepFailures < MaxStepFailures) {
            m_pollTimer.start(std::max(m_pollInterval, error.retryAfter));
            return;
        }
        if (retry)
            error.kind = Kind::ResponseLost;
        finishNow(error);
        return;
    }
    const QJsonDocument document = QJsonDocument::fromJson(answer.body);
    if (!document.isObject()) {
        // After a submit the job may exist (and be billed): the answer is lost, not merely unreadable.
        finishNow(makeError(m_step == Step::Submit ? Kind::ResponseLost : Kind::Transient,
                            tr("%1 sent an answer that is not JSON.").arg(displayName()), QStringLiteral("bad_json"),
                            answer.status));
        return;
    }
    m_stepFailures = 0;
    // A copy: the handler usually sets the next step's handler.
    const JsonHandler handler = m_onJson;
    if (handler)
        handler(document.object());
}

void HttpImageProvider::finishNow(const Outcome &outcome)
{
    m_busy = false;
    ++m_call;
    m_deadline.stop();
    m_pollTimer.stop();
    m_onJson = nullptr;
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

GenerationError HttpImageProvider::errorFromAnswer(const HttpAnswer &answer) const
{
    const int status = answer.status;
    const QString reason = QStringLiteral("HTTP_%1").arg(status);
    if (status == 429) {
        const QString message = tr("%1 is limiting requests; retry later.").arg(displayName());
        GenerationError error = makeError(Kind::RateLimited, message, reason, status);
        error.retryAfter = parseRetryAfter(answer.header("retry-after"));
        return error;
    }
    if (status >= 500 || status == 408) {
        return makeError(Kind::Transient,
                         tr("%1 is unavailable right now (HTTP %2). Try again later.").arg(displayName()).arg(status),
                         reason, status);
    }
    return makeError(Kind::BadRequest, tr("%1 rejected the request (HTTP %2).").arg(displayName()).arg(status), reason,
                     status);
}

QString HttpImageProvider::resolutionTier(QSize wanted)
{
    const int edge = wanted.isValid() ? qMax(wanted.width(), wanted.height()) : 4096;
    return edge <= 1024 ? QStringLiteral("1K") : edge <= 2048 ? QStringLiteral("2K") : QStringLiteral("4K");
}

QJsonArray HttpImageProvider::referenceDataUris(const GenerationRequest &request)
{
    QJsonArray uris;
    for (const ReferenceImage &reference : request.references)
        uris.append(QString::fromLatin1("data:image/jpeg;base64," + reference.jpeg.toBase64()));
    return uris;
}

bool HttpImageProvider::isSafetyText(const QString &text)
{
    static const QRegularExpression safety(
        QStringLiteral("nsfw|safety|sensitive|content.polic|flagged|moderation|prohibited|unsafe"),
        QRegularExpression::CaseInsensitiveOption);
    return safety.match(text).hasMatch();
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
