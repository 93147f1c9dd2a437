#include "core/generation/falprovider.h"

#include "core/generation/generationlogging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace CalStudio {

using Kind = GenerationError::Kind;

namespace {

QString effectiveModel(const GenerationRequest &request)
{
    return request.model.isEmpty() ? QString::fromLatin1(FalProvider::DefaultModel) : request.model;
}

} // namespace

FalProvider::FalProvider(HttpProviderConfig config, QObject *parent)
    : HttpImageProvider(withDefaultBaseUrl(std::move(config), DefaultBaseUrl), parent)
{
}

QByteArray FalProvider::authorization() const
{
    return QByteArray("Key " + config().apiKey.toUtf8());
}

QJsonObject FalProvider::inputFor(const GenerationRequest &request)
{
    return QJsonObject{
        {QStringLiteral("prompt"), request.promptSent},
        {QStringLiteral("image_urls"), referenceDataUris(request)},
        {QStringLiteral("aspect_ratio"), request.aspectRatio.isEmpty() ? QStringLiteral("1:1") : request.aspectRatio},
        {QStringLiteral("resolution"), resolutionTier(request.size)},
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

void FalProvider::generate(const GenerationRequest &request)
{
    if (!beginCall())
        return;
    m_requestId.clear();
    m_model = effectiveModel(request);

    if (config().apiKey.isEmpty()) {
        finishSoon(makeError(Kind::InvalidKey, tr("No fal.ai API key is set. Add one in Settings."),
                             QStringLiteral("no_key")));
        return;
    }
    if (request.references.isEmpty() || request.references.size() > MaxImages) {
        finishSoon(makeError(Kind::BadRequest,
                             tr("fal.ai's %1 takes 1 to %2 reference photos; %3 were given.")
                                 .arg(m_model)
                                 .arg(MaxImages)
                                 .arg(request.references.size()),
                             QStringLiteral("reference_count")));
        return;
    }

    QNetworkRequest networkRequest(endpoint(QLatin1Char('/') + m_model));
    networkRequest.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    networkRequest.setRawHeader("Authorization", authorization());
    qCInfo(lcGeneration) << "fal: submit" << m_model << "month" << request.month << "references" << request.references.size()
                         << "resolution" << resolutionTier(request.size);
    submitJob(networkRequest, QJsonDocument(inputFor(request)).toJson(QJsonDocument::Compact),
              [this](const QJsonObject &answer) { handleSubmitted(answer); });
}

void FalProvider::handleSubmitted(const QJsonObject &answer)
{
    m_requestId = answer.value(QLatin1String("request_id")).toString();
    if (m_requestId.isEmpty()) {
        finishNow(makeError(Kind::ResponseLost, tr("fal.ai answered without a request id."),
                            QStringLiteral("no_request_id"), 200));
        return;
    }
    const QString base = QLatin1Char('/') + appIdOf(m_model) + QStringLiteral("/requests/") + m_requestId;
    m_responseUrl = apiUrl(answer.value(QLatin1String("response_url")).toString(), base);
    m_statusUrl = apiUrl(answer.value(QLatin1String("status_url")).toString(), base + QStringLiteral("/status"));
    m_cancelUrl = apiUrl(answer.value(QLatin1String("cancel_url")).toString(), base + QStringLiteral("/cancel"));
    qCInfo(lcGeneration) << id() << "request" << m_requestId << "queued at position"
                         << answer.value(QLatin1String("queue_position")).toInt();
    pollLater(m_statusUrl, [this](const QJsonObject &status) { handleStatus(status); });
}

void FalProvider::handleStatus(const QJsonObject &status)
{
    const QString state = status.value(QLatin1String("status")).toString();
    qCInfo(lcGeneration) << id() << "request" << m_requestId << "status" << state;
    if (state == QLatin1String("IN_QUEUE") || state == QLatin1String("IN_PROGRESS")) {
        pollLater(m_statusUrl, [this](const QJsonObject &next) { handleStatus(next); });
        return;
    }
    // COMPLETED, and the [UNCONFIRMED] FAILED/CANCELED: the result GET says what came out (or the error body).
    fetchJson(m_responseUrl, [this](const QJsonObject &result) { handleResult(result); });
}

void FalProvider::handleResult(const QJsonObject &result)
{
    const QJsonArray images = result.value(QLatin1String("images")).toArray();
    const QJsonArray nsfw = result.value(QLatin1String("has_nsfw_concepts")).toArray();
    if (!nsfw.isEmpty() && nsfw.first().toBool()) {
        finishNow(makeError(Kind::SafetyRefusal,
                            tr("fal.ai's safety checker flagged this image. Reword the prompt or use other photos."),
                            QStringLiteral("has_nsfw_concepts"), 200));
        return;
    }
    const QUrl url(images.first().toObject().value(QLatin1String("url")).toString());
    if (url.isEmpty() || !url.isValid() || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))) {
        finishNow(
            makeError(Kind::BadRequest, tr("fal.ai answered without an image URL."), QStringLiteral("no_image"), 200));
        return;
    }
    downloadImage(url, m_model);
}

void FalProvider::cancelRemote()
{
    if (m_requestId.isEmpty())
        return;
    // Best effort: nobody waits for this answer.
    QNetworkRequest request(m_cancelUrl);
    request.setRawHeader("Authorization", authorization());
    QNetworkReply *reply = networkAccessManager()->put(request, QByteArray());
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    qCInfo(lcGeneration) << id() << "cancel requested for" << m_requestId;
}

} // namespace CalStudio
