#include "core/generation/replicateprovider.h"

#include "core/generation/generationlogging.h"

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

QString effectiveModel(const GenerationRequest &request)
{
    return request.model.isEmpty() ? QString::fromLatin1(ReplicateProvider::DefaultModel) : request.model;
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

} // namespace

ReplicateProvider::ReplicateProvider(HttpProviderConfig config, QObject *parent)
    : HttpImageProvider(withDefaultBaseUrl(std::move(config), DefaultBaseUrl), parent)
{
}

QByteArray ReplicateProvider::authorization() const
{
    return QByteArray("Bearer " + config().apiKey.toUtf8());
}

QJsonObject ReplicateProvider::inputFor(const GenerationRequest &request)
{
    return QJsonObject{
        {QStringLiteral("prompt"), request.promptSent},
        {QStringLiteral("image_input"), referenceDataUris(request)},
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

void ReplicateProvider::generate(const GenerationRequest &request)
{
    if (!beginCall())
        return;
    m_predictionId.clear();
    m_getUrl.clear();
    m_cancelUrl.clear();
    m_model = effectiveModel(request);

    if (config().apiKey.isEmpty()) {
        finishSoon(makeError(Kind::InvalidKey, tr("No Replicate API token is set. Add one in Settings."),
                             QStringLiteral("no_key")));
        return;
    }
    if (request.references.isEmpty() || request.references.size() > MaxImages) {
        finishSoon(makeError(Kind::BadRequest,
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
    networkRequest.setRawHeader("Authorization", authorization());
    networkRequest.setRawHeader("Prefer", "wait=" + QByteArray::number(waitSeconds));
    qCInfo(lcGeneration) << "replicate: create prediction" << m_model << "month" << request.month << "references"
                         << request.references.size() << "resolution" << resolutionFor(request.size);
    submitJob(networkRequest, QJsonDocument(body).toJson(QJsonDocument::Compact),
              [this](const QJsonObject &prediction) { handlePrediction(prediction); });
}

void ReplicateProvider::handlePrediction(const QJsonObject &prediction)
{
    const QString status = prediction.value(QLatin1String("status")).toString();
    if (const QString predictionId = prediction.value(QLatin1String("id")).toString(); !predictionId.isEmpty())
        m_predictionId = predictionId;
    const QJsonObject urls = prediction.value(QLatin1String("urls")).toObject();
    // The token goes only to the API's own origin: a urls.get elsewhere is replaced by the documented path.
    m_getUrl = apiUrl(urls.value(QLatin1String("get")).toString(), QStringLiteral("/v1/predictions/") + m_predictionId);
    m_cancelUrl = apiUrl(urls.value(QLatin1String("cancel")).toString(),
                         QStringLiteral("/v1/predictions/%1/cancel").arg(m_predictionId));
    qCInfo(lcGeneration) << id() << "prediction" << m_predictionId << "status" << status;

    if (status == QLatin1String("starting") || status == QLatin1String("processing")) {
        if (m_predictionId.isEmpty()) {
            finishNow(makeError(Kind::ResponseLost, tr("Replicate answered without a prediction id."),
                                QStringLiteral("no_id"), 200));
            return;
        }
        pollLater(m_getUrl, [this](const QJsonObject &next) { handlePrediction(next); });
        return;
    }
    if (status != QLatin1String("succeeded")) {
        finishNow(errorFromPrediction(prediction));
        return;
    }
    const QJsonValue output = prediction.value(QLatin1String("output"));
    const QString first = output.isArray() ? output.toArray().first().toString() : output.toString();
    const QUrl url(first);
    if (first.isEmpty() || !url.isValid()
        || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))) {
        finishNow(makeError(Kind::BadRequest, tr("The Replicate model succeeded without an image URL."),
                            QStringLiteral("no_output"), 200));
        return;
    }
    downloadImage(url, m_model, tr("Replicate output links expire after about an hour."));
}

void ReplicateProvider::cancelRemote()
{
    if (m_predictionId.isEmpty())
        return;
    // Best effort: nobody waits for this answer.
    QNetworkRequest request(m_cancelUrl);
    request.setRawHeader("Authorization", authorization());
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = networkAccessManager()->post(request, QByteArray());
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    qCInfo(lcGeneration) << id() << "cancel requested for prediction" << m_predictionId;
}

} // namespace CalStudio
