#include "core/generation/replicateprovider.h"

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
    return request.model.isEmpty() ? QString::fromLatin1(ReplicateProvider::DefaultModel) : request.model;
}

bool isSafetyText(const QString &text)
{
    static const QRegularExpression safety(
        QStringLiteral("nsfw|safety|sensitive|content polic|flagged|moderation|prohibited|unsafe"),
        QRegularExpression::CaseInsensitiveOption);
    return safety.match(text).hasMatch();
}

std::chrono::milliseconds retryHint(const HttpAnswer &answer, const QString &detail)
{
    if (const QByteArray retryAfter = answer.header("retry-after"); !retryAfter.isEmpty())
        return HttpImageProvider::parseRetryAfter(retryAfter);
    static const QRegularExpression seconds(QStringLiteral("available in (\\d+(?:\\.\\d+)?) seconds?"));
    const auto match = seconds.match(detail);
    if (match.hasMatch())
        return std::chrono::milliseconds(qint64(match.captured(1).toDouble() * 1000));
    return std::chrono::milliseconds(0);
}

bool isTransportFailure(QNetworkReply *reply)
{
    const QNetworkReply::NetworkError error = reply->error();
    return !reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid()
        || (error != QNetworkReply::NoError && error < QNetworkReply::ContentAccessDenied)
        || error == QNetworkReply::ContentReSendError;
}

} // namespace

ReplicateProvider::ReplicateProvider(HttpProviderConfig config, QObject *parent)
    : HttpImageProvider(std::move(config), parent)
{
    if (this->config().baseUrl.isEmpty()) {
        HttpProviderConfig c = this->config();
        c.baseUrl = QUrl(QString::fromLatin1(DefaultBaseUrl));
        setConfig(c);
    }
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &ReplicateProvider::onDeadline);
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &ReplicateProvider::poll);
}

ReplicateProvider::~ReplicateProvider()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

QNetworkAccessManager *ReplicateProvider::manager()
{
    if (!m_manager)
        m_manager = new QNetworkAccessManager(this);
    return m_manager;
}

QString ReplicateProvider::resolutionFor(QSize wanted)
{
    const int edge = wanted.isValid() ? qMax(wanted.width(), wanted.height()) : 4096;
    return edge <= 1024 ? QStringLiteral("1K") : edge <= 2048 ? QStringLiteral("2K") : QStringLiteral("4K");
}

QJsonObject ReplicateProvider::inputFor(const GenerationRequest &request)
{
    QJsonArray images;
    for (const ReferenceImage &reference : request.references)
        images.append(QString::fromLatin1("data:image/jpeg;base64," + reference.jpeg.toBase64()));
    return QJsonObject{
        {QStringLiteral("prompt"), request.promptSent},
        {QStringLiteral("image_input"), images},
        {QStringLiteral("aspect_ratio"), request.aspectRatio.isEmpty() ? QStringLiteral("1:1") : request.aspectRatio},
        {QStringLiteral("resolution"), resolutionFor(request.size)},
        {QStringLiteral("output_format"), QStringLiteral("png")},
        {QStringLiteral("safety_filter_level"), QStringLiteral("block_only_high")},
    };
}

GenerationError ReplicateProvider::errorFromStatus(const HttpAnswer &answer)
{
    const int status = answer.status;
    const QJsonObject problem = QJsonDocument::fromJson(answer.body).object();
    const QString title = problem.value(QLatin1String("title")).toString();
    const QString detail = problem.value(QLatin1String("detail")).toString();
    const auto make = [&](Kind kind, const QString &text) {
        return makeError(kind, text, title.isEmpty() ? QStringLiteral("HTTP_%1").arg(status) : title, status);
    };
    if (status == 401)
        return make(Kind::InvalidKey, QObject::tr("Replicate rejected the API token. Check the Replicate token in Settings."));
    if (status == 402 || detail.contains(QLatin1String("insufficient credit"), Qt::CaseInsensitive)
        || detail.contains(QLatin1String("billing"), Qt::CaseInsensitive)) {
        return make(Kind::QuotaExhausted,
                    QObject::tr("Your Replicate credit is used up. Add credit in your Replicate account; retrying will not help."));
    }
    if (status == 403)
        return make(Kind::Permission, QObject::tr("This Replicate token may not run this model."));
    if (status == 429) {
        GenerationError e = make(Kind::RateLimited, QObject::tr("Replicate is limiting the request rate; retry later."));
        e.retryAfter = retryHint(answer, detail);
        return e;
    }
    if (status >= 500 || status == 408) {
        GenerationError e = make(Kind::Transient, QObject::tr("Replicate is unavailable right now (HTTP %1). Try again later.").arg(status));
        e.retryAfter = retryHint(answer, detail);
        return e;
    }
    if (status == 404)
        return make(Kind::BadRequest, QObject::tr("Replicate does not know this model or version (HTTP 404)."));
    return make(Kind::BadRequest, detail.isEmpty() ? QObject::tr("Replicate rejected the request (HTTP %1).").arg(status)
                                                   : QObject::tr("Replicate rejected the request: %1").arg(detail));
}

GenerationError ReplicateProvider::errorFromPrediction(const QJsonObject &prediction)
{
    const QString status = prediction.value(QLatin1String("status")).toString();
    const QString error = prediction.value(QLatin1String("error")).toString();
    if (status == QLatin1String("failed") && isSafetyText(error)) {
        return makeError(Kind::SafetyRefusal,
                         QObject::tr("Replicate's safety filter refused this image (%1). Reword the prompt or use other photos.")
                             .arg(error),
                         error, 200);
    }
    if (status == QLatin1String("failed")) {
        return makeError(Kind::Transient, QObject::tr("The Replicate model failed: %1").arg(error),
                         error.isEmpty() ? status : error, 200);
    }
    return makeError(Kind::Transient, QObject::tr("The Replicate prediction ended as \"%1\".").arg(status), status, 200);
}

bool ReplicateProvider::sameOriginAsApi(const QUrl &url) const
{
    const QUrl api = config().baseUrl;
    return url.scheme() == api.scheme() && url.host().compare(api.host(), Qt::CaseInsensitive) == 0
        && url.port(url.scheme() == QLatin1String("https") ? 443 : 80) == api.port(api.scheme() == QLatin1String("https") ? 443 : 80);
}

void ReplicateProvider::generate(const GenerationRequest &request)
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
    m_predictionId.clear();
    m_getUrl.clear();
    m_cancelUrl.clear();
    m_model = effectiveModel(request);

    if (config().apiKey.isEmpty()) {
        answerSoon(makeError(Kind::InvalidKey, tr("No Replicate API token is set. Add one in Settings."), QStringLiteral("no_key")));
        return;
    }
    if (request.references.isEmpty() || request.references.size() > MaxImages) {
        answerSoon(makeError(Kind::BadRequest,
                             tr("Replicate's %1 takes 1 to %2 reference photos; %3 were given.")
                                 .arg(m_model)
                                 .arg(MaxImages)
                                 .arg(request.references.size()),
                             QStringLiteral("reference_count")));
        return;
    }

    QJsonObject body{{QStringLiteral("input"), inputFor(request)}};
    QUrl url;
    const qsizetype colon = m_model.indexOf(QLatin1Char(':'));
    if (colon >= 0) {
        url = endpoint(QStringLiteral("/v1/predictions"));
        body.insert(QStringLiteral("version"), m_model);
    } else {
        url = endpoint(QStringLiteral("/v1/models/%1/predictions").arg(m_model));
    }
    const qint64 waitSeconds = std::clamp<qint64>(qint64(config().timeout.count() / 1000) - 1, 1, 60);
    QNetworkRequest networkRequest(url);
    networkRequest.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    networkRequest.setRawHeader("Authorization", QByteArray("Bearer " + config().apiKey.toUtf8()));
    networkRequest.setRawHeader("Prefer", "wait=" + QByteArray::number(waitSeconds));

    auto *upload = new HttpOneShotBody(QJsonDocument(body).toJson(QJsonDocument::Compact));
    networkRequest.setHeader(QNetworkRequest::ContentLengthHeader, upload->totalSize());
    // Unbuffered, so QNAM cannot rewind the body for a silent (billed) re-send.
    networkRequest.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
    qCInfo(lcGeneration) << "replicate: create prediction" << m_model << "month" << request.month << "references"
                         << request.references.size() << "resolution" << resolutionFor(request.size);
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

void ReplicateProvider::issue(QNetworkReply *reply, Step step)
{
    m_reply = reply;
    m_step = step;
    connect(reply, &QNetworkReply::finished, this, &ReplicateProvider::onReplyFinished);
}

void ReplicateProvider::onReplyFinished()
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
        return; // onDeadline() answered

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
                                 tr("The connection to Replicate was lost after the prediction was submitted. It may have "
                                    "run and been billed, but the answer never arrived.")));
            } else {
                finish(makeError(Kind::Transient, tr("Could not reach Replicate (%1).").arg(reply->errorString())));
            }
            return;
        }
        if (m_step == Step::Poll && ++m_pollFailures < kMaxPollFailures) {
            m_pollTimer.start(m_pollInterval);
            return;
        }
        finish(makeError(Kind::ResponseLost,
                         tr("The prediction ran on Replicate (and is billed) but its result could not be fetched (%1).")
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
                             tr("The image was generated (and billed) but could not be downloaded (HTTP %1); Replicate "
                                "output links expire after about an hour.")
                                 .arg(answer.status),
                             QStringLiteral("download_http_%1").arg(answer.status), answer.status));
            return;
        }
        finish(imageOutcome(std::move(answer.body), id(), m_model, QString()));
        return;
    }

    if (answer.status < 200 || answer.status >= 300) {
        GenerationError error = errorFromStatus(answer);
        const bool retryPoll = m_step == Step::Poll && (error.kind == Kind::Transient || error.kind == Kind::RateLimited);
        if (retryPoll && ++m_pollFailures < kMaxPollFailures) {
            m_pollTimer.start(std::max(m_pollInterval, error.retryAfter));
            return;
        }
        if (retryPoll)
            error.kind = Kind::ResponseLost;
        finish(error);
        return;
    }
    m_pollFailures = 0;
    const QJsonDocument document = QJsonDocument::fromJson(answer.body);
    if (!document.isObject()) {
        finish(makeError(m_step == Step::Submit ? Kind::ResponseLost : Kind::Transient,
                         tr("Replicate sent an answer that is not JSON."), QStringLiteral("bad_json"), answer.status));
        return;
    }
    handlePrediction(document.object());
}

void ReplicateProvider::handlePrediction(const QJsonObject &prediction)
{
    const QString status = prediction.value(QLatin1String("status")).toString();
    if (const QString predictionId = prediction.value(QLatin1String("id")).toString(); !predictionId.isEmpty())
        m_predictionId = predictionId;
    const QJsonObject urls = prediction.value(QLatin1String("urls")).toObject();
    // The token goes only to the API's own origin: a urls.get elsewhere is replaced by the documented path.
    const QUrl get(urls.value(QLatin1String("get")).toString());
    m_getUrl = get.isValid() && sameOriginAsApi(get) ? get : endpoint(QStringLiteral("/v1/predictions/") + m_predictionId);
    const QUrl cancelUrl(urls.value(QLatin1String("cancel")).toString());
    m_cancelUrl = cancelUrl.isValid() && sameOriginAsApi(cancelUrl)
        ? cancelUrl
        : endpoint(QStringLiteral("/v1/predictions/%1/cancel").arg(m_predictionId));
    qCInfo(lcGeneration) << id() << "prediction" << m_predictionId << "status" << status;

    if (status == QLatin1String("starting") || status == QLatin1String("processing")) {
        if (m_predictionId.isEmpty()) {
            finish(makeError(Kind::ResponseLost, tr("Replicate answered without a prediction id."), QStringLiteral("no_id"), 200));
            return;
        }
        m_pollTimer.start(m_pollInterval);
        return;
    }
    if (status != QLatin1String("succeeded")) {
        finish(errorFromPrediction(prediction));
        return;
    }
    const QJsonValue output = prediction.value(QLatin1String("output"));
    const QString first = output.isArray() ? output.toArray().first().toString() : output.toString();
    const QUrl url(first);
    if (first.isEmpty() || !url.isValid()
        || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))) {
        finish(makeError(Kind::BadRequest, tr("The Replicate model succeeded without an image URL."), QStringLiteral("no_output"), 200));
        return;
    }
    download(url);
}

void ReplicateProvider::poll()
{
    if (!m_active || m_cancelled || m_timedOut)
        return;
    QNetworkRequest request(m_getUrl);
    request.setRawHeader("Authorization", QByteArray("Bearer " + config().apiKey.toUtf8()));
    issue(manager()->get(request), Step::Poll);
}

void ReplicateProvider::download(const QUrl &url)
{
    QNetworkRequest request(url);
    if (sameOriginAsApi(url))
        request.setRawHeader("Authorization", QByteArray("Bearer " + config().apiKey.toUtf8()));
    qCInfo(lcGeneration) << id() << "downloading output from" << url.host();
    issue(manager()->get(request), Step::Download);
}

void ReplicateProvider::onDeadline()
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
                     tr("Replicate did not finish within %1 s. The prediction may still run and be billed.")
                         .arg(config().timeout.count() / 1000.0),
                     QStringLiteral("timeout")));
}

void ReplicateProvider::cancelRemote()
{
    if (m_predictionId.isEmpty() || m_step == Step::Download)
        return;
    // Best effort: nobody waits for this answer.
    QNetworkRequest request(m_cancelUrl);
    request.setRawHeader("Authorization", QByteArray("Bearer " + config().apiKey.toUtf8()));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = manager()->post(request, QByteArray());
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    qCInfo(lcGeneration) << id() << "cancel requested for prediction" << m_predictionId;
}

void ReplicateProvider::cancel()
{
    if (!m_active || m_cancelled)
        return;
    m_cancelled = true;
    m_pollTimer.stop();
    cancelRemote();
    if (m_reply) {
        m_reply->abort(); // onReplyFinished() answers Cancelled
        return;
    }
    answerSoon(makeError(Kind::Cancelled, tr("Cancelled.")));
}

void ReplicateProvider::answerSoon(const GenerationError &error)
{
    const quint64 call = m_call;
    QTimer::singleShot(0, this, [this, call, error] {
        if (call == m_call && m_active)
            finish(error);
    });
}

void ReplicateProvider::finish(const Outcome &outcome)
{
    m_active = false;
    ++m_call;
    m_deadline.stop();
    m_pollTimer.stop();
    if (const auto *error = std::get_if<GenerationError>(&outcome)) {
        // Kind, status and reason only: never keys, never provider messages that could echo them.
        qCInfo(lcGeneration) << id() << "failed: kind" << int(error->kind) << "HTTP" << error->httpStatus << "reason"
                             << error->providerReason << "retry after" << error->retryAfter.count() << "ms";
    } else if (const auto *image = std::get_if<GeneratedImage>(&outcome)) {
        qCInfo(lcGeneration) << id() << "image" << image->mimeType << image->nativeSize << "model" << image->model << "≈ $"
                             << image->costUsd;
    }
    Q_EMIT finished(outcome);
}

} // namespace CalStudio
