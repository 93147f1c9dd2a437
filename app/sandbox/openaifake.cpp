#include "app/sandbox/openaifake.h"

#include "app/sandbox/fakeimage.h"
#include "app/sandbox/faultplan.h"
#include "app/sandbox/multipartform.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace CalStudio {

namespace {

constexpr qsizetype kMaxImages = 16;
constexpr qsizetype kMaxImageBytes = 50 * 1024 * 1024;
constexpr qsizetype kMaxPromptChars = 32000;

bool isGptImage1Family(const QString &model)
{
    return model == QLatin1String("gpt-image-1") || model == QLatin1String("gpt-image-1-mini")
        || model == QLatin1String("gpt-image-1.5");
}

bool isGptImage2(const QString &model)
{
    return model == QLatin1String("gpt-image-2") || model.startsWith(QLatin1String("gpt-image-2-"));
}

// The real message shows the key's first and last characters; the sandbox does the same
// so clients are tested against it (they must not log provider messages for 401s).
QString masked(const QString &key)
{
    if (key.size() <= 8)
        return QStringLiteral("********");
    return key.left(3) + QString(key.size() - 7, QLatin1Char('*')) + key.right(4);
}

} // namespace

OpenAIFake::OpenAIFake(FaultPlan *faults, QString validKey)
    : m_faults(faults)
    , m_validKey(std::move(validKey))
{
}

QSize OpenAIFake::outputSize(const QString &model, const QString &size)
{
    if (isGptImage1Family(model)) {
        if (size.isEmpty() || size == QLatin1String("auto") || size == QLatin1String("1024x1024"))
            return {1024, 1024};
        if (size == QLatin1String("1536x1024"))
            return {1536, 1024};
        if (size == QLatin1String("1024x1536"))
            return {1024, 1536};
        return {};
    }
    if (isGptImage2(model)) {
        if (size.isEmpty() || size == QLatin1String("auto"))
            return {1024, 1024};
        static const QRegularExpression pattern(QStringLiteral("^(\\d{2,5})x(\\d{2,5})$"));
        const auto match = pattern.match(size);
        if (!match.hasMatch())
            return {};
        const int w = match.captured(1).toInt();
        const int h = match.captured(2).toInt();
        // Caps as configured from third-party reports (EXTERNAL_APIS.md 3.d, [UNCONFIRMED]):
        // multiples of 16, long edge ≤ 3840, ratio ≤ 3:1, at most 3840×2160 pixels.
        if (w % 16 || h % 16 || qMax(w, h) > 3840 || qMax(w, h) > 3 * qMin(w, h) || qint64(w) * h > 3840LL * 2160)
            return {};
        return {w, h};
    }
    return {};
}

SandboxReply OpenAIFake::error(int status, const QString &message, const QString &type, const QString &code,
                               const QString &param)
{
    QJsonObject error{{QStringLiteral("message"), message},
                      {QStringLiteral("type"), type},
                      {QStringLiteral("param"), param.isEmpty() ? QJsonValue() : QJsonValue(param)},
                      {QStringLiteral("code"), code.isEmpty() ? QJsonValue() : QJsonValue(code)}};
    SandboxReply reply;
    reply.status = status;
    reply.body = QJsonDocument(QJsonObject{{QStringLiteral("error"), error}}).toJson(QJsonDocument::Compact);
    return reply;
}

SandboxReply OpenAIFake::faultReply(const QString &scenario, const QString &model)
{
    if (scenario == QLatin1String("permission")) {
        return error(403,
                     QStringLiteral("Your organization must be verified to use the model `%1`. Please go to: "
                                    "https://platform.openai.com/settings/organization/general and click on Verify Organization.")
                         .arg(model),
                     QStringLiteral("invalid_request_error"), {});
    }
    if (scenario == QLatin1String("not-found")) {
        return error(404, QStringLiteral("The model `%1` does not exist or you do not have access to it.").arg(model),
                     QStringLiteral("invalid_request_error"), QStringLiteral("model_not_found"));
    }
    if (scenario == QLatin1String("rate-limit")) {
        SandboxReply reply = error(429,
                                   QStringLiteral("Rate limit reached for %1 in organization org-sandbox on images per minute (IPM): "
                                                  "Limit 5, Used 5, Requested 1. Please try again in 7s.")
                                       .arg(model),
                                   QStringLiteral("requests"), QStringLiteral("rate_limit_exceeded"));
        reply.headers = {{"retry-after", "7"},
                         {"x-ratelimit-limit-requests", "5"},
                         {"x-ratelimit-remaining-requests", "0"},
                         {"x-ratelimit-reset-requests", "7s"}};
        return reply;
    }
    if (scenario == QLatin1String("quota")) {
        return error(429,
                     QStringLiteral("You exceeded your current quota, please check your plan and billing details."),
                     QStringLiteral("insufficient_quota"), QStringLiteral("insufficient_quota"));
    }
    if (scenario == QLatin1String("safety") || scenario == QLatin1String("prompt-block")) {
        return error(400,
                     QStringLiteral("Your request was rejected as a result of our safety system. Your request may contain "
                                    "content that is not allowed by our safety system."),
                     QStringLiteral("image_generation_user_error"), QStringLiteral("moderation_blocked"));
    }
    if (scenario == QLatin1String("bad-request")) {
        return error(400, QStringLiteral("Invalid value: 'size'. Supported values are: '1024x1024', '1024x1536', '1536x1024', and 'auto'."),
                     QStringLiteral("invalid_request_error"), QStringLiteral("invalid_value"), QStringLiteral("size"));
    }
    if (scenario == QLatin1String("server-error")) {
        return error(500, QStringLiteral("The server had an error processing your request. Sorry about that!"),
                     QStringLiteral("server_error"), {});
    }
    if (scenario == QLatin1String("unavailable")) {
        return error(503, QStringLiteral("The engine is currently overloaded, please try again later."),
                     QStringLiteral("server_error"), QStringLiteral("engine_overloaded"));
    }
    if (scenario == QLatin1String("html-502")) {
        SandboxReply reply;
        reply.status = 502;
        reply.contentType = "text/html";
        reply.body = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>"
                     "<hr><center>cloudflare</center></body></html>";
        return reply;
    }
    return {};
}

SandboxReply OpenAIFake::handle(const SandboxRequest &request)
{
    m_requests.append(request);
    const std::optional<Fault> fault = m_faults ? m_faults->take(QStringLiteral("openai")) : std::nullopt;
    const QString scenario = fault ? fault->scenario : QString();

    SandboxReply reply = [&] {
        const QByteArray auth = request.header("authorization");
        if (auth.isEmpty()) {
            return error(401,
                         QStringLiteral("You didn't provide an API key. You need to provide your API key in an Authorization "
                                        "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."),
                         QStringLiteral("invalid_request_error"), {});
        }
        const QString key = auth.startsWith("Bearer ") ? QString::fromUtf8(auth.mid(7)) : QString();
        if (key != m_validKey || scenario == QLatin1String("invalid-key")) {
            return error(401,
                         QStringLiteral("Incorrect API key provided: %1. You can find your API key at "
                                        "https://platform.openai.com/account/api-keys.")
                             .arg(masked(key)),
                         QStringLiteral("invalid_request_error"), QStringLiteral("invalid_api_key"));
        }

        const auto form = MultipartForm::parse(request.header("content-type"), request.body);
        if (!form) {
            return error(400, QStringLiteral("Invalid Content-Type header (expected multipart/form-data with a boundary)."),
                         QStringLiteral("invalid_request_error"), {});
        }
        const QString model = form->field(QStringLiteral("model")).value_or(QStringLiteral("dall-e-2"));
        if (SandboxReply scripted = faultReply(scenario, model); !scripted.body.isEmpty())
            return scripted;

        if (!isGptImage1Family(model) && !isGptImage2(model)) {
            return error(400, QStringLiteral("Invalid value: '%1'. The sandbox only serves the gpt-image family.").arg(model),
                         QStringLiteral("invalid_request_error"), QStringLiteral("invalid_value"), QStringLiteral("model"));
        }
        const QString prompt = form->field(QStringLiteral("prompt")).value_or(QString());
        if (prompt.trimmed().isEmpty()) {
            return error(400, QStringLiteral("Missing required parameter: 'prompt'."), QStringLiteral("invalid_request_error"),
                         QStringLiteral("missing_required_parameter"), QStringLiteral("prompt"));
        }
        if (prompt.size() > kMaxPromptChars) {
            return error(400, QStringLiteral("Invalid 'prompt': string too long. Expected a string with maximum length 32000."),
                         QStringLiteral("invalid_request_error"), QStringLiteral("string_above_max_length"),
                         QStringLiteral("prompt"));
        }
        QList<MultipartPart> images = form->all(QStringLiteral("image[]"));
        images.append(form->all(QStringLiteral("image")));
        if (images.isEmpty()) {
            return error(400, QStringLiteral("Missing required parameter: 'image'."), QStringLiteral("invalid_request_error"),
                         QStringLiteral("missing_required_parameter"), QStringLiteral("image"));
        }
        if (images.size() > kMaxImages) {
            return error(400, QStringLiteral("Invalid 'image': too many images (%1); at most 16.").arg(images.size()),
                         QStringLiteral("invalid_request_error"), QStringLiteral("invalid_value"), QStringLiteral("image"));
        }
        for (const MultipartPart &image : images) {
            static const QList<QByteArray> accepted{"image/png", "image/jpeg", "image/webp"};
            if (!accepted.contains(image.contentType.toLower()) || image.data.isEmpty() || image.data.size() > kMaxImageBytes) {
                return error(400,
                             QStringLiteral("Invalid file 'image': unsupported mimetype ('%1'). Supported file formats are "
                                            "'image/jpeg', 'image/png', and 'image/webp'.")
                                 .arg(QString::fromLatin1(image.contentType)),
                             QStringLiteral("invalid_request_error"), QStringLiteral("invalid_image_format"),
                             QStringLiteral("image"));
            }
        }
        const QString sizeText = form->field(QStringLiteral("size")).value_or(QStringLiteral("auto"));
        const QSize size = outputSize(model, sizeText);
        if (!size.isValid()) {
            return error(400, QStringLiteral("Invalid value: '%1'. Supported values for %2 differ; see the size rules.").arg(sizeText, model),
                         QStringLiteral("invalid_request_error"), QStringLiteral("invalid_value"), QStringLiteral("size"));
        }
        const QString outputFormat = form->field(QStringLiteral("output_format")).value_or(QStringLiteral("png"));
        const QByteArray format = outputFormat == QLatin1String("jpeg") ? QByteArrayLiteral("jpeg") : QByteArrayLiteral("png");
        const QByteArray bytes = FakeImage::encoded(size, format, scenario == QLatin1String("huge"));

        const int imageTokens = 323 * int(images.size());
        const int textTokens = int(prompt.size() / 4) + 1;
        const int outputTokens = size.width() * size.height() > 1024 * 1024 ? 6240 : 4160;
        QJsonObject body{
            {QStringLiteral("created"), QDateTime::currentSecsSinceEpoch()},
            {QStringLiteral("data"), QJsonArray{QJsonObject{{QStringLiteral("b64_json"), QString::fromLatin1(bytes.toBase64())}}}},
            {QStringLiteral("background"), QStringLiteral("opaque")},
            {QStringLiteral("output_format"), QString::fromLatin1(format)},
            {QStringLiteral("quality"), form->field(QStringLiteral("quality")).value_or(QStringLiteral("auto"))},
            {QStringLiteral("size"), QStringLiteral("%1x%2").arg(size.width()).arg(size.height())},
            {QStringLiteral("usage"),
             QJsonObject{{QStringLiteral("input_tokens"), imageTokens + textTokens},
                         {QStringLiteral("input_tokens_details"),
                          QJsonObject{{QStringLiteral("image_tokens"), imageTokens}, {QStringLiteral("text_tokens"), textTokens}}},
                         {QStringLiteral("output_tokens"), outputTokens},
                         {QStringLiteral("total_tokens"), imageTokens + textTokens + outputTokens}}},
        };
        SandboxReply ok;
        ok.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        return ok;
    }();

    reply.headers.append({"x-request-id", QByteArray("req_sandbox_") + QByteArray::number(++m_counter)});
    if (fault) {
        reply.delay = fault->delay;
        reply.drop = fault->scenario == QLatin1String("drop");
    }
    return reply;
}

} // namespace CalStudio
