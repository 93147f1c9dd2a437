#include "core/generation/geminiprovider.h"

#include "core/generation/generationlogging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QRegularExpression>

namespace CalStudio {

using Kind = GenerationError::Kind;

namespace {

QString effectiveModel(const GenerationRequest &request)
{
    return request.model.isEmpty() ? QString::fromLatin1(GeminiProvider::DefaultModel) : request.model;
}

bool isSingleSizeModel(const QString &model)
{
    return model.startsWith(QLatin1String("gemini-2.5-flash-image"))
        || model.startsWith(QLatin1String("gemini-3.1-flash-lite-image"));
}

// Finish reasons that mean "the output was blocked" (EXTERNAL_APIS.md 3.a): do not retry the same prompt.
bool isBlockReason(const QString &finishReason)
{
    static const QStringList blocks{QStringLiteral("SAFETY"), QStringLiteral("IMAGE_SAFETY"),
                                    QStringLiteral("PROHIBITED_CONTENT"), QStringLiteral("IMAGE_PROHIBITED_CONTENT"),
                                    QStringLiteral("RECITATION"), QStringLiteral("IMAGE_RECITATION"),
                                    QStringLiteral("BLOCKLIST"), QStringLiteral("SPII")};
    return blocks.contains(finishReason);
}

QJsonObject inlineDataOf(const QJsonObject &part)
{
    const QJsonValue camel = part.value(QLatin1String("inlineData"));
    return camel.isObject() ? camel.toObject() : part.value(QLatin1String("inline_data")).toObject();
}

GenerationError errorFromStatus(const HttpAnswer &answer, const QString &model)
{
    const int status = answer.status;
    const QJsonObject error = QJsonDocument::fromJson(answer.body).object().value(QLatin1String("error")).toObject();
    const QString rpcStatus = error.value(QLatin1String("status")).toString();
    const QString message = error.value(QLatin1String("message")).toString();
    QString reason;
    QString quotaId;
    bool daily = false;
    std::chrono::milliseconds retryDelay{0};
    for (const QJsonValue &value : error.value(QLatin1String("details")).toArray()) {
        const QJsonObject detail = value.toObject();
        const QString type = detail.value(QLatin1String("@type")).toString();
        if (type.endsWith(QLatin1String("google.rpc.ErrorInfo"))) {
            reason = detail.value(QLatin1String("reason")).toString();
        } else if (type.endsWith(QLatin1String("google.rpc.QuotaFailure"))) {
            for (const QJsonValue &v : detail.value(QLatin1String("violations")).toArray()) {
                const QJsonObject violation = v.toObject();
                const QString id = violation.value(QLatin1String("quotaId")).toString();
                const QString metric = violation.value(QLatin1String("quotaMetric")).toString();
                if (quotaId.isEmpty())
                    quotaId = id;
                if (id.contains(QLatin1String("PerDay")) || metric.contains(QLatin1String("per_day"))) {
                    daily = true;
                    quotaId = id;
                }
            }
        } else if (type.endsWith(QLatin1String("google.rpc.RetryInfo"))) {
            retryDelay = HttpImageProvider::parseDuration(detail.value(QLatin1String("retryDelay")).toString());
        }
    }
    const QString code = !reason.isEmpty() ? reason : !rpcStatus.isEmpty() ? rpcStatus : QStringLiteral("HTTP_%1").arg(status);
    const auto make = [&](Kind kind, const QString &text, const QString &providerReason) {
        GenerationError e;
        e.kind = kind;
        e.message = text;
        e.providerReason = providerReason;
        e.httpStatus = status;
        return e;
    };

    if ((status == 400 && reason == QLatin1String("API_KEY_INVALID")) || status == 401) {
        return make(Kind::InvalidKey, QObject::tr("Google rejected the API key. Check the Gemini key in Settings."), code);
    }
    if (status == 403 || (status == 400 && rpcStatus == QLatin1String("FAILED_PRECONDITION"))) {
        return make(Kind::Permission,
                    QObject::tr("This Gemini key may not use %1 (the API may be disabled for the project, billing may be "
                                "missing, or the service is not offered in your region). %2")
                        .arg(model, message),
                    code);
    }
    if (status == 429) {
        // A daily quota, or a tier whose limit is 0, will not clear within any sensible retry delay.
        if (daily || message.contains(QLatin1String("limit: 0"))) {
            return make(Kind::QuotaExhausted,
                        QObject::tr("Your Gemini quota is used up (%1). Check your plan and billing; retrying now will not help.")
                            .arg(quotaId.isEmpty() ? rpcStatus : quotaId),
                        quotaId.isEmpty() ? code : quotaId);
        }
        GenerationError e = make(Kind::RateLimited,
                                 QObject::tr("Gemini is limiting the request rate; the request can be retried in %1 s.")
                                     .arg(retryDelay.count() / 1000.0),
                                 code);
        e.retryAfter = retryDelay;
        return e;
    }
    if (status == 404) {
        return make(Kind::BadRequest, QObject::tr("Gemini does not know the model %1 (or this key cannot see it).").arg(model),
                    code);
    }
    if (status >= 500 || status == 408) {
        GenerationError e = make(Kind::Transient,
                                 QObject::tr("Gemini is unavailable right now (HTTP %1). Try again later.").arg(status), code);
        e.retryAfter = retryDelay;
        return e;
    }
    return make(Kind::BadRequest,
                message.isEmpty() ? QObject::tr("Gemini rejected the request (HTTP %1).").arg(status)
                                  : QObject::tr("Gemini rejected the request: %1").arg(message),
                code);
}

} // namespace

GeminiProvider::GeminiProvider(HttpProviderConfig config, QObject *parent)
    : HttpImageProvider(std::move(config), parent)
{
    if (this->config().baseUrl.isEmpty()) {
        HttpProviderConfig c = this->config();
        c.baseUrl = QUrl(QString::fromLatin1(DefaultBaseUrl));
        setConfig(c);
    }
}

QString GeminiProvider::imageSizeFor(const QString &model, QSize wanted)
{
    if (isSingleSizeModel(model))
        return {};
    // By area, so that every aspect ratio gets the smallest tier that covers the wanted size
    // (1K is about 1 MP at any ratio, 2K about 4 MP, 4K about 16 MP; 20 % slack).
    const double megapixels = double(wanted.width()) * wanted.height() / (1024.0 * 1024.0);
    if (megapixels <= 1.2)
        return QStringLiteral("1K");
    if (megapixels <= 4.8)
        return QStringLiteral("2K");
    return QStringLiteral("4K");
}

int GeminiProvider::maxReferenceImages(const QString &model)
{
    // API limits of EXTERNAL_APIS.md 3.a; identity consistency is best with fewer (Pro ≤ 5, Flash ≤ 4 people).
    if (model.startsWith(QLatin1String("gemini-2.5-flash-image")))
        return 3;
    return 14;
}

QByteArray GeminiProvider::requestBody(const GenerationRequest &request)
{
    const QString model = effectiveModel(request);
    QJsonArray parts{QJsonObject{{QStringLiteral("text"), request.promptSent}}};
    for (const ReferenceImage &reference : request.references) {
        parts.append(QJsonObject{{QStringLiteral("inline_data"),
                                  QJsonObject{{QStringLiteral("mime_type"), QStringLiteral("image/jpeg")},
                                              {QStringLiteral("data"), QString::fromLatin1(reference.jpeg.toBase64())}}}});
    }
    QJsonObject imageConfig;
    if (!request.aspectRatio.isEmpty())
        imageConfig.insert(QStringLiteral("aspectRatio"), request.aspectRatio);
    const QString tier = imageSizeFor(model, request.size);
    if (!tier.isEmpty())
        imageConfig.insert(QStringLiteral("imageSize"), tier);
    QJsonObject generationConfig{
        {QStringLiteral("responseModalities"), QJsonArray{QStringLiteral("TEXT"), QStringLiteral("IMAGE")}},
        {QStringLiteral("imageConfig"), imageConfig},
    };
    if (request.seed != 0)
        generationConfig.insert(QStringLiteral("seed"), qint64(request.seed & 0x7fffffff));
    const QJsonObject body{
        {QStringLiteral("contents"),
         QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")}, {QStringLiteral("parts"), parts}}}},
        {QStringLiteral("generationConfig"), generationConfig},
    };
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

void GeminiProvider::generate(const GenerationRequest &request)
{
    if (!beginCall())
        return;
    const QString model = effectiveModel(request);
    static const QRegularExpression modelPattern(QStringLiteral("^[A-Za-z0-9._-]+$"));
    if (!modelPattern.match(model).hasMatch()) {
        finishSoon(makeError(Kind::BadRequest, tr("\"%1\" is not a Gemini model id.").arg(model), QStringLiteral("BAD_MODEL")));
        return;
    }
    if (config().apiKey.isEmpty()) {
        finishSoon(makeError(Kind::InvalidKey, tr("No Gemini API key is set. Add one in Settings."), QStringLiteral("NO_KEY")));
        return;
    }
    if (request.references.size() > maxReferenceImages(model)) {
        finishSoon(makeError(Kind::BadRequest,
                             tr("%1 accepts at most %2 reference photos; %3 were given.")
                                 .arg(model)
                                 .arg(maxReferenceImages(model))
                                 .arg(request.references.size()),
                             QStringLiteral("TOO_MANY_REFERENCES")));
        return;
    }

    QNetworkRequest networkRequest(endpoint(QStringLiteral("/v1beta/models/%1:generateContent").arg(model)));
    networkRequest.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    networkRequest.setRawHeader("x-goog-api-key", config().apiKey.toUtf8());
    qCInfo(lcGeneration) << "gemini: generateContent" << model << "month" << request.month << "references"
                         << request.references.size() << "size" << imageSizeFor(model, request.size) << "aspect"
                         << request.aspectRatio;
    send(networkRequest, requestBody(request),
         [model](HttpAnswer &&answer) { return interpret(std::move(answer), model); });
}

ImageProvider::Outcome GeminiProvider::interpret(HttpAnswer &&answer, const QString &requestedModel)
{
    if (answer.status != 200)
        return errorFromStatus(answer, requestedModel);

    // Memory: the body (≈25 MB for a 4K PNG) is parsed once and released at once; the chosen
    // base64 string is then the only copy left besides the in-place decode (see the tests' note).
    QJsonParseError parseError;
    QJsonDocument document = QJsonDocument::fromJson(answer.body, &parseError);
    answer.body = QByteArray();
    if (!document.isObject()) {
        return makeError(Kind::Transient, QObject::tr("Gemini sent an answer that is not JSON (%1).").arg(parseError.errorString()),
                         QStringLiteral("BAD_JSON"), 200);
    }

    QString model = requestedModel;
    QString note;
    QString base64;
    {
        const QJsonObject root = document.object();
        document = QJsonDocument();
        if (const QString version = root.value(QLatin1String("modelVersion")).toString(); !version.isEmpty())
            model = version;
        const QJsonArray candidates = root.value(QLatin1String("candidates")).toArray();
        if (candidates.isEmpty()) {
            const QString blockReason = root.value(QLatin1String("promptFeedback")).toObject().value(QLatin1String("blockReason")).toString();
            if (!blockReason.isEmpty()) {
                return makeError(Kind::SafetyRefusal,
                                 QObject::tr("Gemini refused the prompt (%1). Reword the prompt or use other photos.").arg(blockReason),
                                 blockReason, 200);
            }
            return makeError(Kind::BadRequest, QObject::tr("The model answered without an image."), QStringLiteral("NO_CANDIDATES"), 200);
        }
        const QJsonObject candidate = candidates.first().toObject();
        const QString finishReason = candidate.value(QLatin1String("finishReason")).toString();
        const QJsonArray parts = candidate.value(QLatin1String("content")).toObject().value(QLatin1String("parts")).toArray();
        qsizetype imageIndex = -1;
        QStringList texts;
        for (qsizetype i = 0; i < parts.size(); ++i) {
            const QJsonObject part = parts.at(i).toObject();
            if (part.value(QLatin1String("thought")).toBool())
                continue; // interim thoughts (text or draft images) are neither billed nor the answer
            if (!inlineDataOf(part).isEmpty())
                imageIndex = i;
            else if (part.contains(QLatin1String("text")))
                texts.append(part.value(QLatin1String("text")).toString());
        }
        note = texts.join(QLatin1Char('\n')).trimmed();
        if (imageIndex < 0) {
            const QString said = note.size() > 200 ? note.left(200) + QStringLiteral("…") : note;
            if (isBlockReason(finishReason)) {
                return makeError(Kind::SafetyRefusal,
                                 QObject::tr("Gemini refused to create this image (%1). Reword the prompt; some models "
                                             "refuse to depict real people.")
                                     .arg(finishReason),
                                 finishReason, 200);
            }
            return makeError(Kind::BadRequest,
                             said.isEmpty() ? QObject::tr("The model answered without an image.")
                                            : QObject::tr("The model answered without an image: “%1”").arg(said),
                             finishReason.isEmpty() ? QStringLiteral("NO_IMAGE") : finishReason, 200);
        }
        base64 = inlineDataOf(parts.at(imageIndex).toObject()).value(QLatin1String("data")).toString();
    } // the JSON tree is released here

    QByteArray latin1 = base64.toLatin1();
    base64 = QString();
    std::optional<QByteArray> bytes = decodeBase64(std::move(latin1));
    if (!bytes || bytes->isEmpty())
        return makeError(Kind::Transient, QObject::tr("Gemini sent image data that is not valid base64."), QStringLiteral("BAD_BASE64"), 200);
    return imageOutcome(std::move(*bytes), QStringLiteral("gemini"), model, note);
}

} // namespace CalStudio
