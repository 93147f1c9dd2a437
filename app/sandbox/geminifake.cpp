#include "app/sandbox/geminifake.h"

#include "app/sandbox/fakeimage.h"
#include "app/sandbox/faultplan.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace CalStudio {

namespace {

const QString kPro = QStringLiteral("gemini-3-pro-image");
const QString kFlash = QStringLiteral("gemini-3.1-flash-image");
const QString kLite = QStringLiteral("gemini-3.1-flash-lite-image");
const QString kLegacy = QStringLiteral("gemini-2.5-flash-image");

// Official 1K sizes per ratio for Pro and 3.1 Flash (EXTERNAL_APIS.md 3.a); 2K and 4K are exact multiples.
const QHash<QString, QSize> &oneKSizes()
{
    static const QHash<QString, QSize> sizes{
        {QStringLiteral("1:1"), {1024, 1024}}, {QStringLiteral("2:3"), {848, 1264}},
        {QStringLiteral("3:2"), {1264, 848}}, {QStringLiteral("3:4"), {896, 1200}},
        {QStringLiteral("4:3"), {1200, 896}}, {QStringLiteral("4:5"), {928, 1152}},
        {QStringLiteral("5:4"), {1152, 928}}, {QStringLiteral("9:16"), {768, 1376}},
        {QStringLiteral("16:9"), {1376, 768}}, {QStringLiteral("21:9"), {1584, 672}},
    };
    return sizes;
}

const QHash<QString, QSize> &legacySizes()
{
    static const QHash<QString, QSize> sizes{
        {QStringLiteral("1:1"), {1024, 1024}}, {QStringLiteral("2:3"), {832, 1248}},
        {QStringLiteral("3:2"), {1248, 832}}, {QStringLiteral("3:4"), {864, 1184}},
        {QStringLiteral("4:3"), {1184, 864}}, {QStringLiteral("4:5"), {896, 1152}},
        {QStringLiteral("5:4"), {1152, 896}}, {QStringLiteral("9:16"), {768, 1344}},
        {QStringLiteral("16:9"), {1344, 768}}, {QStringLiteral("21:9"), {1536, 672}},
    };
    return sizes;
}

// 3.1 Flash's extra ratios have no published table: about one megapixel, multiples of 16.
QSize extraFlashSize(const QString &ratio)
{
    const QStringList parts = ratio.split(QLatin1Char(':'));
    const double r = parts.value(0).toDouble() / parts.value(1).toDouble();
    const int w = int(std::lround(std::sqrt(1024.0 * 1024.0 * r) / 16.0)) * 16;
    const int h = int(std::lround(std::sqrt(1024.0 * 1024.0 / r) / 16.0)) * 16;
    return {w, h};
}

int outputTokens(const QString &model, const QString &imageSize)
{
    if (model == kLegacy)
        return 1290;
    if (imageSize == QLatin1String("4K"))
        return 2000;
    if (imageSize == QLatin1String("512"))
        return 747;
    return 1120;
}

QJsonObject part(const QString &text, bool thought = false)
{
    QJsonObject p{{QStringLiteral("text"), text}};
    if (thought)
        p.insert(QStringLiteral("thought"), true);
    return p;
}

QJsonObject imagePart(const QByteArray &bytes, const QByteArray &mime, bool thought = false)
{
    QJsonObject p{{QStringLiteral("inlineData"),
                   QJsonObject{{QStringLiteral("mimeType"), QString::fromLatin1(mime)},
                               {QStringLiteral("data"), QString::fromLatin1(bytes.toBase64())}}}};
    if (thought) {
        p.insert(QStringLiteral("thought"), true);
        p.insert(QStringLiteral("thoughtSignature"), QStringLiteral("c2FuZGJveC10aG91Z2h0"));
    }
    return p;
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

SandboxReply badArgument(const QString &message)
{
    return GeminiFake::rpcError(400, QStringLiteral("INVALID_ARGUMENT"), message);
}

} // namespace

GeminiFake::GeminiFake(FaultPlan *faults, QString validKey)
    : m_faults(faults)
    , m_validKey(std::move(validKey))
{
}

QString GeminiFake::canonicalModel(const QString &model)
{
    QString id = model;
    if (id.endsWith(QLatin1String("-preview")))
        id.chop(8); // older ids are still accepted (EXTERNAL_APIS.md 3.a)
    if (id == kPro || id == kFlash || id == kLite || id == kLegacy)
        return id;
    return {};
}

int GeminiFake::maxReferenceImages(const QString &canonicalModel)
{
    if (canonicalModel == kLegacy)
        return 3;
    if (canonicalModel == kFlash)
        return 14; // ≤ 10 object + ≤ 4 character images
    return 14;
}

QSize GeminiFake::outputSize(const QString &model, const QString &aspectRatio, const QString &imageSize)
{
    const QString id = canonicalModel(model);
    const QString ratio = aspectRatio.isEmpty() ? QStringLiteral("1:1") : aspectRatio;
    if (id == kLegacy) {
        // Legacy has a single size class; imageSize is not accepted (EXTERNAL_APIS.md 4.3).
        return imageSize.isEmpty() ? legacySizes().value(ratio) : QSize();
    }
    const QString tier = imageSize.isEmpty() ? QStringLiteral("1K") : imageSize;
    if (id == kLite)
        return tier == QLatin1String("1K") ? oneKSizes().value(ratio) : QSize();
    if (id != kPro && id != kFlash)
        return {};

    static const QStringList flashExtra{QStringLiteral("1:4"), QStringLiteral("4:1"), QStringLiteral("1:8"),
                                        QStringLiteral("8:1")};
    QSize base = oneKSizes().value(ratio);
    if (!base.isValid() && id == kFlash && flashExtra.contains(ratio))
        base = extraFlashSize(ratio);
    if (!base.isValid())
        return {};
    if (tier == QLatin1String("1K"))
        return base;
    if (tier == QLatin1String("2K"))
        return base * 2;
    if (tier == QLatin1String("4K"))
        return base * 4;
    if (tier == QLatin1String("512") && id == kFlash)
        return QSize(base.width() / 32 * 16, base.height() / 32 * 16);
    return {}; // lower-case "4k" and anything else are rejected like the real API
}

SandboxReply GeminiFake::rpcError(int code, const QString &status, const QString &message, const QJsonArray &details)
{
    QJsonObject error{{QStringLiteral("code"), code},
                      {QStringLiteral("message"), message},
                      {QStringLiteral("status"), status}};
    if (!details.isEmpty())
        error.insert(QStringLiteral("details"), details);
    SandboxReply reply;
    reply.status = code;
    reply.body = compact(QJsonObject{{QStringLiteral("error"), error}});
    return reply;
}

SandboxReply GeminiFake::faultReply(const QString &scenario, const QString &model)
{
    const QString help = QStringLiteral("type.googleapis.com/google.rpc.Help");
    if (scenario == QLatin1String("invalid-key")) {
        return rpcError(400, QStringLiteral("INVALID_ARGUMENT"), QStringLiteral("API key not valid. Please pass a valid API key."),
                        QJsonArray{QJsonObject{{QStringLiteral("@type"), QStringLiteral("type.googleapis.com/google.rpc.ErrorInfo")},
                                               {QStringLiteral("reason"), QStringLiteral("API_KEY_INVALID")},
                                               {QStringLiteral("domain"), QStringLiteral("googleapis.com")},
                                               {QStringLiteral("metadata"),
                                                QJsonObject{{QStringLiteral("service"),
                                                             QStringLiteral("generativelanguage.googleapis.com")}}}}});
    }
    if (scenario == QLatin1String("permission")) {
        return rpcError(403, QStringLiteral("PERMISSION_DENIED"),
                        QStringLiteral("Generative Language API has not been used in project sandbox before or it is disabled."));
    }
    if (scenario == QLatin1String("not-found")) {
        return rpcError(404, QStringLiteral("NOT_FOUND"),
                        QStringLiteral("models/%1 is not found for API version v1beta, or is not supported for generateContent.")
                            .arg(model));
    }
    if (scenario == QLatin1String("rate-limit") || scenario == QLatin1String("quota")) {
        // Per-minute limits clear by themselves; a per-day quota (or a tier with limit 0) does not.
        const bool daily = scenario == QLatin1String("quota");
        const QString quotaId = daily ? QStringLiteral("GenerateRequestsPerDayPerProjectPerModel")
                                      : QStringLiteral("GenerateRequestsPerMinutePerProjectPerModel");
        const QString metric = daily ? QStringLiteral("generativelanguage.googleapis.com/generate_requests_per_model_per_day")
                                     : QStringLiteral("generativelanguage.googleapis.com/generate_requests_per_model");
        QJsonArray details{
            QJsonObject{{QStringLiteral("@type"), QStringLiteral("type.googleapis.com/google.rpc.QuotaFailure")},
                        {QStringLiteral("violations"),
                         QJsonArray{QJsonObject{{QStringLiteral("quotaMetric"), metric},
                                                {QStringLiteral("quotaId"), quotaId},
                                                {QStringLiteral("quotaDimensions"),
                                                 QJsonObject{{QStringLiteral("location"), QStringLiteral("global")},
                                                             {QStringLiteral("model"), model}}},
                                                {QStringLiteral("quotaValue"), daily ? QStringLiteral("250") : QStringLiteral("10")}}}}},
            QJsonObject{{QStringLiteral("@type"), help},
                        {QStringLiteral("links"),
                         QJsonArray{QJsonObject{{QStringLiteral("description"), QStringLiteral("Learn more about Gemini API quotas")},
                                                {QStringLiteral("url"), QStringLiteral("https://ai.google.dev/gemini-api/docs/rate-limits")}}}}},
        };
        details.append(QJsonObject{{QStringLiteral("@type"), QStringLiteral("type.googleapis.com/google.rpc.RetryInfo")},
                                   {QStringLiteral("retryDelay"), daily ? QStringLiteral("52915s") : QStringLiteral("7s")}});
        return rpcError(429, QStringLiteral("RESOURCE_EXHAUSTED"),
                        QStringLiteral("You exceeded your current quota, please check your plan and billing details. "
                                       "For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits."),
                        details);
    }
    if (scenario == QLatin1String("bad-request"))
        return badArgument(QStringLiteral("Request contains an invalid argument."));
    if (scenario == QLatin1String("server-error"))
        return rpcError(500, QStringLiteral("INTERNAL"), QStringLiteral("An internal error has occurred. Please retry or report."));
    if (scenario == QLatin1String("unavailable"))
        return rpcError(503, QStringLiteral("UNAVAILABLE"), QStringLiteral("The model is overloaded. Please try again later."));
    if (scenario == QLatin1String("html-502")) {
        SandboxReply reply;
        reply.status = 502;
        reply.contentType = "text/html; charset=UTF-8";
        reply.body = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
                     "<body><h1>Bad Gateway</h1><p>The proxy could not reach the upstream server.</p></body></html>";
        return reply;
    }
    return {};
}

SandboxReply GeminiFake::handle(const SandboxRequest &request, const QString &modelAndMethod)
{
    m_requests.append(request);
    const std::optional<Fault> fault = m_faults ? m_faults->take(QStringLiteral("gemini")) : std::nullopt;
    const QString scenario = fault ? fault->scenario : QString();

    SandboxReply reply = [&] {
        const qsizetype colon = modelAndMethod.lastIndexOf(QLatin1Char(':'));
        const QString model = modelAndMethod.left(colon);
        if (colon < 0 || modelAndMethod.mid(colon + 1) != QLatin1String("generateContent"))
            return rpcError(404, QStringLiteral("NOT_FOUND"), QStringLiteral("Method not found."));

        // The key is checked before anything else, as Google does; the key may also come as ?key=.
        QString key = QString::fromUtf8(request.header("x-goog-api-key"));
        if (key.isEmpty())
            key = request.query.queryItemValue(QStringLiteral("key"));
        if (key.isEmpty()) {
            return rpcError(403, QStringLiteral("PERMISSION_DENIED"),
                            QStringLiteral("Method doesn't allow unregistered callers (callers without established identity). "
                                           "Please use API Key or other form of API consumer identity to call this API."));
        }
        if (key != m_validKey || scenario == QLatin1String("invalid-key"))
            return faultReply(QStringLiteral("invalid-key"), model);

        if (SandboxReply scripted = faultReply(scenario, model); !scripted.body.isEmpty())
            return scripted;

        const QString id = canonicalModel(model);
        if (id.isEmpty())
            return faultReply(QStringLiteral("not-found"), model);

        if (!request.header("content-type").toLower().startsWith("application/json"))
            return badArgument(QStringLiteral("Invalid JSON payload received. Expected Content-Type application/json."));
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
        if (!doc.isObject())
            return badArgument(QStringLiteral("Invalid JSON payload received. %1").arg(parseError.errorString()));
        return answer(model, doc.object(), scenario);
    }();

    if (fault) {
        reply.delay = fault->delay;
        reply.drop = fault->scenario == QLatin1String("drop");
    }
    return reply;
}

SandboxReply GeminiFake::answer(const QString &model, const QJsonObject &body, const QString &scenario)
{
    const QString id = canonicalModel(model);
    const QJsonArray contents = body.value(QLatin1String("contents")).toArray();
    if (contents.isEmpty())
        return badArgument(QStringLiteral("* GenerateContentRequest.contents: contents is not specified"));

    int images = 0;
    bool hasText = false;
    for (const QJsonValue &content : contents) {
        const QJsonArray parts = content.toObject().value(QLatin1String("parts")).toArray();
        if (parts.isEmpty())
            return badArgument(QStringLiteral("* GenerateContentRequest.contents.parts: contents.parts must not be empty."));
        for (const QJsonValue &partValue : parts) {
            const QJsonObject p = partValue.toObject();
            if (p.contains(QLatin1String("text"))) {
                hasText = hasText || !p.value(QLatin1String("text")).toString().trimmed().isEmpty();
                continue;
            }
            QJsonObject inline_ = p.value(QLatin1String("inline_data")).toObject();
            if (inline_.isEmpty())
                inline_ = p.value(QLatin1String("inlineData")).toObject();
            if (inline_.isEmpty())
                return badArgument(QStringLiteral("* GenerateContentRequest.contents.parts: unsupported part."));
            QString mime = inline_.value(QLatin1String("mime_type")).toString();
            if (mime.isEmpty())
                mime = inline_.value(QLatin1String("mimeType")).toString();
            const QByteArray data = inline_.value(QLatin1String("data")).toString().toLatin1();
            const auto decoded = QByteArray::fromBase64Encoding(data, QByteArray::AbortOnBase64DecodingErrors);
            if (!mime.startsWith(QLatin1String("image/")) || !decoded || decoded.decoded.isEmpty())
                return badArgument(QStringLiteral("Invalid value at 'contents.parts.inline_data' (mime type or base64 data)."));
            ++images;
        }
    }
    if (!hasText && images == 0)
        return badArgument(QStringLiteral("* GenerateContentRequest.contents: contents is not specified"));
    if (images > maxReferenceImages(id))
        return badArgument(QStringLiteral("Too many input images: %1 accepts at most %2.").arg(id).arg(maxReferenceImages(id)));

    const QJsonObject config = body.value(QLatin1String("generationConfig")).toObject();
    const QJsonObject imageConfig = config.value(QLatin1String("imageConfig")).toObject();
    const QString ratio = imageConfig.value(QLatin1String("aspectRatio")).toString();
    const QString imageSize = imageConfig.value(QLatin1String("imageSize")).toString();
    const QSize size = outputSize(id, ratio, imageSize);
    if (!size.isValid()) {
        return badArgument(QStringLiteral("Unsupported image configuration for %1: aspectRatio \"%2\", imageSize \"%3\".")
                               .arg(id, ratio, imageSize));
    }
    const QStringList modalities = [&] {
        QStringList list;
        for (const QJsonValue &v : config.value(QLatin1String("responseModalities")).toArray())
            list.append(v.toString().toUpper());
        return list;
    }();
    const bool wantText = modalities.isEmpty() || modalities.contains(QLatin1String("TEXT"));

    const int tokens = outputTokens(id, imageSize.isEmpty() ? QStringLiteral("1K") : imageSize);
    const int promptTokens = 20 + images * 258;
    QJsonObject usage{{QStringLiteral("promptTokenCount"), promptTokens},
                      {QStringLiteral("candidatesTokenCount"), tokens},
                      {QStringLiteral("totalTokenCount"), promptTokens + tokens}};
    QJsonObject response{{QStringLiteral("modelVersion"), model},
                         {QStringLiteral("responseId"), QStringLiteral("sandbox-%1").arg(++m_counter)},
                         {QStringLiteral("usageMetadata"), usage}};

    if (scenario == QLatin1String("prompt-block")) {
        usage.insert(QStringLiteral("candidatesTokenCount"), 0);
        usage.insert(QStringLiteral("totalTokenCount"), promptTokens);
        response.insert(QStringLiteral("usageMetadata"), usage);
        response.insert(QStringLiteral("promptFeedback"),
                        QJsonObject{{QStringLiteral("blockReason"), QStringLiteral("OTHER")},
                                    {QStringLiteral("safetyRatings"), QJsonArray{}}});
        SandboxReply reply;
        reply.body = compact(response);
        return reply;
    }

    QJsonArray parts;
    QString finishReason = QStringLiteral("STOP");
    if (scenario == QLatin1String("safety")) {
        finishReason = QStringLiteral("IMAGE_SAFETY");
        parts.append(part(QStringLiteral("I can't create an image of that real person.")));
    } else if (scenario == QLatin1String("text-only")) {
        finishReason = QStringLiteral("NO_IMAGE");
        parts.append(part(QStringLiteral("I'd be happy to help! Could you describe the scene in more detail?")));
    } else {
        if (scenario == QLatin1String("thoughts")) {
            // Interim thought parts come first and must be ignored, including their draft image.
            parts.append(part(QStringLiteral("Planning the composition..."), true));
            parts.append(imagePart(FakeImage::encoded(QSize(64, 64)), "image/png", true));
        }
        if (wantText)
            parts.append(part(QStringLiteral("Here is your portrait.")));
        const bool huge = scenario == QLatin1String("huge");
        parts.append(imagePart(FakeImage::encoded(size, "png", huge), "image/png"));
    }
    QJsonObject candidate{{QStringLiteral("content"),
                           QJsonObject{{QStringLiteral("role"), QStringLiteral("model")}, {QStringLiteral("parts"), parts}}},
                          {QStringLiteral("finishReason"), finishReason},
                          {QStringLiteral("index"), 0}};
    response.insert(QStringLiteral("candidates"), QJsonArray{candidate});
    SandboxReply reply;
    reply.body = compact(response);
    return reply;
}

} // namespace CalStudio
