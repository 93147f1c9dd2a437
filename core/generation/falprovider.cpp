#include "core/generation/falprovider.h"

#include "core/generation/generationlogging.h"
#include "core/generation/httponeshotbody.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>

#include <algorithm>

namespace CalStudio {

using Kind = GenerationError::Kind;

namespace {

constexpr int kMaxPollFailures = 3;

QString effectiveModel(const GenerationRequest &request)
{
    return request.model.isEmpty() ? QString::fromLatin1(FalProvider::DefaultModel) : request.model;
}

bool isSafetyText(const QString &text)
{
    static const QRegularExpression safety(
        QStringLiteral("nsfw|safety|sensitive|content.polic|flagged|moderation|prohibited|unsafe"),
        QRegularExpression::CaseInsensitiveOption);
    return safety.match(text).hasMatch();
}

bool isTransportFailure(QNetworkReply *reply)
{
    const QNetworkReply::NetworkError error = reply->error();
    return !reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid()
        || (error != QNetworkReply::NoError && error < QNetworkReply::ContentAccessDenied)
        || error == QNetworkReply::ContentReSendError;
}

QString resolutionFor(QSize wanted)
{
    const int edge = wanted.isValid() ? qMax(wanted.width(), wanted.height()) : 4096;
    return edge <= 1024 ? QStringLiteral("1K") : edge <= 2048 ? QStringLiteral("2K") : QStringLiteral("4K");
}

} // namespace

FalProvider::FalProvider(HttpProviderConfig config, QObject *parent)
    : HttpImageProvider(std::move(config), parent)
{
    if (this->config().baseUrl.isEmpty()) {
        HttpProviderConfig c = this->config();
        c.baseUrl = QUrl(QString::fromLatin1(DefaultBaseUrl));
        setConfig(c);
    }
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &FalProvider::onDeadline);
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &FalProvider::poll);
}

FalProvider::~FalProvider()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

QNetworkAccessManager *FalProvider::manager()
{
    if (!m_manager)
        m_manager = new QNetworkAccessManager(this);
    return m_manager;
}

QJsonObject FalProvider::inputFor(const GenerationRequest &request)
{
    QJsonArray images;
    for (const ReferenceImage &reference : request.references)
        images.append(QString::fromLatin1("data:image/jpeg;base64," + reference.jpeg.toBase64()));
    return QJsonObject{
        {QStringLiteral("prompt"), request.promptSent},
        {QStringLiteral("image_urls"), images},
        {QStringLiteral("aspect_ratio"), request.aspectRatio.isEmpty() ? QStringLiteral("1:1") : request.aspectRatio},
        {QStringLiteral("resolution"), resolutionFor(request.size)},
        {QStringLiteral("num_images"), 1},
        {QStringLiteral("output_format"), QStringLiteral("png")},
    };
}

QString FalProvider::appIdOf(const QString &model)
{
    const QStringList parts = model.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    return parts.mid(0, 2).join(QLatin1Char('/'));
}

GenerationError FalProvider::errorFromStatus(const HttpAnswer &answer)
{
    const int status = answer.status;
    const QJsonValue detailValue = QJsonDocument::fromJson(answer.body).object().value(QLatin1String("detail"));
    QString detail;
    QString type;
    if (detailValue.isArray()) {
        QStringList messages;
        for (const QJsonValue &value : detailValue.toArray()) {
            const QJsonObject item = value.toObject();
            messages.append(item.value(QLatin1String("msg")).toString());
            if (type.isEmpty())
                type = item.value(QLatin1String("type")).toString();
        }
        detail = messages.join(QStringLiteral("; "));
    } else {
        detail = detailValue.toString();
    }
    const auto make = [&](Kind kind, const QString &text) {
        return makeError(kind, text, type.isEmpty() ? QStringLiteral("HTTP_%1").arg(status) : type, status);
    };
    if (status == 401)
        return make(Kind::InvalidKey, QObject::tr("fal.ai rejected the API key. Check the fal.ai key in Settings."));
    if (status == 402 || detail.contains(QLatin1String("exhausted balance"), Qt::CaseInsensitive)
        || detail.contains(QLatin1String("user is locked"), Qt::CaseInsensitive)) {
        return make(Kind::QuotaExhausted, QObject::tr("Your fal.ai balance is used up. Top up your fal.ai account; retrying will not help."));
    }
    if (status == 403)
        return make(Kind::Permission, QObject::tr("This fal.ai key may not run this model."));
    if (status == 429) {
        GenerationError e = make(Kind::RateLimited, QObject::tr("fal.ai is limiting requests; retry later."));
        e.retryAfter = parseRetryAfter(answer.header("retry-after"));
        return e;
    }
    if (status >= 400 && status < 500 && (isSafetyText(type) || isSafetyText(detail))) {
        GenerationError e = make(Kind::SafetyRefusal,
                                 QObject::tr("fal.ai's content checker refused this image (%1). Reword the prompt or use other photos.")
                                     .arg(detail));
        e.providerReason = detail.isEmpty() ? type : detail;
        return e;
    }
    if (status >= 500 || status == 408) {
        GenerationError e = make(Kind::Transient, QObject::tr("fal.ai is unavailable right now (HTTP %1). Try again later.").arg(status));
        e.retryAfter = parseRetryAfter(answer.header("retry-after"));
        return e;
    }
    return make(Kind::BadRequest, detail.isEmpty() ? QObject::tr("fal.ai rejected the request (HTTP %1).").arg(status)
                                                   : QObject::tr("fal.ai rejected the request: %1").arg(detail));
}

bool FalProvider::sameOriginAsApi(const QUrl &url) const
{
    const QUrl api = config().baseUrl;
    return url.scheme() == api.scheme() && url.host().compare(api.host(), Qt::CaseInsensitive) == 0
        && url.port(url.scheme() == QLatin1String("https") ? 443 : 80) == api.port(api.scheme() == QLatin1String("https") ? 443 : 80);
}

QUrl FalProvider::apiUrl(const QString &returned, const QString &fallbackPath) const
{
    const QUrl url(returned);
    if (!returned.isEmpty() && url.isValid() && sameOriginAsApi(url))
        return url;
    return endpoint(fallbackPath);
}

void FalProvider::generate(const GenerationRequest &request)
{
    if (m_active) {
        qCWarning(lcGeneration) << id() << "generate() while a call is running; refused";
        QTimer::singleShot(0, this, [this] {
            Q_EMIT finished(makeError(Kind::BadRequest, tr("This provider is already running a request.")));
        });
        return;
    }
    m_active = true;
    m_cancelled = false;
    m_timedOut = false;
    m_requestSent = false;
    m_pollFailures = 0;
    m_requestId.clear();
    m_model = effectiveModel(request);

    if (config().apiKey.isEmpty()) {
        answerSoon(makeError(Kind::InvalidKey, tr("No fal.ai API key is set. Add one in Settings."), QStringLiteral("no_key")));
        return;
    }
    if (request.references.isEmpty() || request.references.size() > MaxImages) {
        answerSoon(makeError(Kind::BadRequest,
                             tr("fal.ai's %1 takes 1 to %2 reference photos; %3 were given.")
                                 .arg(m_model)
                                 .arg(MaxImages)
                                 .arg(request.references.size()),
                             QStringLiteral("reference_count")));
        return;
    }

    QNetworkRequest networkRequest(endpoint(QLatin1Char('/') + m_model));
    networkRequest.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    networkRequest.setRawHeader("Authorization", QByteArray("Key " + config().apiKey.toUtf8()));
    auto *upload = new HttpOneShotBody(QJsonDocument(inputFor(request)).toJson(QJsonDocument::Compact));
    networkRequest.setHeader(QNetworkRequest::ContentLengthHeader, upload->totalSize());
    // Unbuffered, so QNAM cannot rewind the body for a silent (billed) re-send.
    networkRequest.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
    qCInfo(lcGeneration) << "fal: submit" << m_model << "month" << request.month << "references" << request.references.size()
                         << "resolution" << resolutionFor(request.size);
    m_elapsed.start();
    m_deadline.start(config().timeout);
    QNetworkReply *reply = manager()->post(networkRequest, upload);
    upload->setParent(reply);
    connect(reply, &QNetworkReply::requestSent, this, [this] { m_requestSent = true; });
    connect(reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent, qint64 total) {
        if (total > 0 && sent == total)
            m_requestSent = true;
    });
    issue(reply, Step::Submit);
}

void FalProvider::issue(QNetworkReply *reply, Step step)
{
    m_reply = reply;
    m_step = step;
    connect(reply, &QNetworkReply::finished, this, &FalProvider::onReplyFinished);
}

void FalProvider::get(const QUrl &url, Step step)
{
    QNetworkRequest request(url);
    if (sameOriginAsApi(url))
        request.setRawHeader("Authorization", QByteArray("Key " + config().apiKey.toUtf8()));
    issue(manager()->get(request), step);
}

void FalProvider::poll()
{
    if (!m_active || m_cancelled || m_timedOut)
        return;
    get(m_statusUrl, Step::Poll);
}

void FalProvider::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();
    if (!m_active)
        return;
    if (m_cancelled) {
        finish(makeError(Kind::Cancelled, tr("Cancelled.")));
        return;
    }
    if (m_timedOut)
        return;

    if (isTransportFailure(reply)) {
        const QNetworkReply::NetworkError error = reply->error();
        qCWarning(lcGeneration) << id() << "transport failure in step" << int(m_step) << "after" << m_elapsed.elapsed()
                                << "ms:" << error;
        if (m_step == Step::Submit) {
            const bool lost = error == QNetworkReply::ContentReSendError
                || (m_requestSent && error != QNetworkReply::ConnectionRefusedError && error != QNetworkReply::HostNotFoundError
                    && error != QNetworkReply::SslHandshakeFailedError && error < QNetworkReply::ProxyConnectionRefusedError);
            if (lost) {
                finish(makeError(Kind::ResponseLost,
                                 tr("The connection to fal.ai was lost after the request was submitted. It may have run "
                                    "and been billed, but the answer never arrived.")));
            } else {
                finish(makeError(Kind::Transient, tr("Could not reach fal.ai (%1).").arg(reply->errorString())));
            }
            return;
        }
        if (m_step != Step::Download && ++m_pollFailures < kMaxPollFailures) {
            if (m_step == Step::Result)
                get(m_responseUrl, Step::Result);
            else
                m_pollTimer.start(m_pollInterval);
            return;
        }
        finish(makeError(Kind::ResponseLost,
                         tr("The request ran on fal.ai (and is billed) but its result could not be fetched (%1).")
                             .arg(reply->errorString()),
                         m_step == Step::Download ? QStringLiteral("download_failed") : QStringLiteral("poll_failed")));
        return;
    }

    HttpAnswer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.headers = reply->rawHeaderPairs();
    answer.body = reply->readAll();
    qCInfo(lcGeneration) << id() << "step" << int(m_step) << "HTTP" << answer.status << "after" << m_elapsed.elapsed() << "ms,"
                         << answer.body.size() << "bytes";

    if (m_step == Step::Download) {
        if (answer.status != 200) {
            finish(makeError(Kind::ResponseLost,
                             tr("The image was generated (and billed) but could not be downloaded (HTTP %1).").arg(answer.status),
                             QStringLiteral("download_http_%1").arg(answer.status), answer.status));
            return;
        }
        finish(imageOutcome(std::move(answer.body), id(), m_model, QString()));
        return;
    }
    if (answer.status < 200 || answer.status >= 300) {
        GenerationError error = errorFromStatus(answer);
        const bool retry = m_step == Step::Poll && (error.kind == Kind::Transient || error.kind == Kind::RateLimited);
        if (retry && ++m_pollFailures < kMaxPollFailures) {
            m_pollTimer.start(std::max(m_pollInterval, error.retryAfter));
            return;
        }
        if (retry)
            error.kind = Kind::ResponseLost;
        finish(error);
        return;
    }
    const QJsonDocument document = QJsonDocument::fromJson(answer.body);
    if (!document.isObject()) {
        finish(makeError(m_step == Step::Submit ? Kind::ResponseLost : Kind::Transient, tr("fal.ai sent an answer that is not JSON."),
                         QStringLiteral("bad_json"), answer.status));
        return;
    }
    m_pollFailures = 0;
    if (m_step == Step::Submit)
        handleSubmitted(document.object());
    else if (m_step == Step::Poll)
        handleStatus(document.object());
    else
        handleResult(document.object());
}

void FalProvider::handleSubmitted(const QJsonObject &answer)
{
    m_requestId = answer.value(QLatin1String("request_id")).toString();
    if (m_requestId.isEmpty()) {
        finish(makeError(Kind::ResponseLost, tr("fal.ai answered without a request id."), QStringLiteral("no_request_id"), 200));
        return;
    }
    const QString base = QLatin1Char('/') + appIdOf(m_model) + QStringLiteral("/requests/") + m_requestId;
    m_responseUrl = apiUrl(answer.value(QLatin1String("response_url")).toString(), base);
    m_statusUrl = apiUrl(answer.value(QLatin1String("status_url")).toString(), base + QStringLiteral("/status"));
    m_cancelUrl = apiUrl(answer.value(QLatin1String("cancel_url")).toString(), base + QStringLiteral("/cancel"));
    qCInfo(lcGeneration) << id() << "request" << m_requestId << "queued at position"
                         << answer.value(QLatin1String("queue_position")).toInt();
    m_pollTimer.start(m_pollInterval);
}

void FalProvider::handleStatus(const QJsonObject &status)
{
    const QString state = status.value(QLatin1String("status")).toString();
    qCInfo(lcGeneration) << id() << "request" << m_requestId << "status" << state;
    if (state == QLatin1String("IN_QUEUE") || state == QLatin1String("IN_PROGRESS")) {
        m_pollTimer.start(m_pollInterval);
        return;
    }
    // COMPLETED, and the [UNCONFIRMED] FAILED/CANCELED: the result GET says what came out (or the error body).
    get(m_responseUrl, Step::Result);
}

void FalProvider::handleResult(const QJsonObject &result)
{
    const QJsonArray images = result.value(QLatin1String("images")).toArray();
    const QJsonArray nsfw = result.value(QLatin1String("has_nsfw_concepts")).toArray();
    if (!nsfw.isEmpty() && nsfw.first().toBool()) {
        finish(makeError(Kind::SafetyRefusal,
                         tr("fal.ai's safety checker flagged this image. Reword the prompt or use other photos."),
                         QStringLiteral("has_nsfw_concepts"), 200));
        return;
    }
    const QUrl url(images.first().toObject().value(QLatin1String("url")).toString());
    if (url.isEmpty() || !url.isValid() || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))) {
        finish(makeError(Kind::BadRequest, tr("fal.ai answered without an image URL."), QStringLiteral("no_image"), 200));
        return;
    }
    qCInfo(lcGeneration) << id() << "downloading output from" << url.host();
    get(url, Step::Download);
}

void FalProvider::onDeadline()
{
    if (!m_active)
        return;
    m_timedOut = true;
    m_pollTimer.stop();
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    cancelRemote();
    qCWarning(lcGeneration) << id() << "no result within" << config().timeout.count() << "ms";
    finish(makeError(Kind::Transient,
                     tr("fal.ai did not finish within %1 s. The request may still run and be billed.")
                         .arg(config().timeout.count() / 1000.0),
                     QStringLiteral("timeout")));
}

void FalProvider::cancelRemote()
{
    if (m_requestId.isEmpty() || m_step == Step::Result || m_step == Step::Download)
        return;
    QNetworkRequest request(m_cancelUrl);
    request.setRawHeader("Authorization", QByteArray("Key " + config().apiKey.toUtf8()));
    QNetworkReply *reply = manager()->put(request, QByteArray());
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    qCInfo(lcGeneration) << id() << "cancel requested for" << m_requestId;
}

void FalProvider::cancel()
{
    if (!m_active || m_cancelled)
        return;
    m_cancelled = true;
    m_pollTimer.stop();
    cancelRemote();
    if (m_reply) {
        m_reply->abort();
        return;
    }
    answerSoon(makeError(Kind::Cancelled, tr("Cancelled.")));
}

void FalProvider::answerSoon(const GenerationError &error)
{
    const quint64 call = m_call;
    QTimer::singleShot(0, this, [this, call, error] {
        if (call == m_call && m_active)
            finish(error);
    });
}

void FalProvider::finish(const Outcome &outcome)
{
    m_active = false;
    ++m_call;
    m_deadline.stop();
    m_pollTimer.stop();
    if (const auto *error = std::get_if<GenerationError>(&outcome)) {
        qCInfo(lcGeneration) << id() << "failed: kind" << int(error->kind) << "HTTP" << error->httpStatus << "reason"
                             << error->providerReason << "retry after" << error->retryAfter.count() << "ms";
    } else if (const auto *image = std::get_if<GeneratedImage>(&outcome)) {
        qCInfo(lcGeneration) << id() << "image" << image->mimeType << image->nativeSize << "model" << image->model << "≈ $"
                             << image->costUsd;
    }
    Q_EMIT finished(outcome);
}

} // namespace CalStudio
