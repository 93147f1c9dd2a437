#include "core/generation/openaiprovider.h"

#include "core/generation/generationlogging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace CalStudio {

using Kind = GenerationError::Kind;

namespace {

QString effectiveModel(const GenerationRequest &request)
{
    return request.model.isEmpty() ? QString::fromLatin1(OpenAIProvider::DefaultModel) : request.model;
}

bool isGptImage2(const QString &model)
{
    return model == QLatin1String("gpt-image-2") || model.startsWith(QLatin1String("gpt-image-2-"))
        || model.startsWith(QLatin1String("gpt-image-2."));
}

double ratioOf(const QString &aspectRatio)
{
    const QStringList parts = aspectRatio.split(QLatin1Char(':'));
    const double w = parts.value(0).toDouble();
    const double h = parts.value(1).toDouble();
    return (w > 0 && h > 0) ? w / h : 1.0;
}

// multipart/form-data written by hand rather than with QHttpMultiPart: the body must go out
// through HttpOneShotBody so that QNAM can never re-send it (see there).
class FormData {
public:
    FormData()
        : m_boundary("calstudio-" + QByteArray::number(QRandomGenerator::global()->generate64(), 16))
    {
    }
    void add(const QByteArray &name, const QByteArray &value)
    {
        m_body += "--" + m_boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }
    void addFile(const QByteArray &name, const QByteArray &fileName, const QByteArray &type, const QByteArray &data)
    {
        m_body += "--" + m_boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName
            + "\"\r\nContent-Type: " + type + "\r\n\r\n";
        m_body += data;
        m_body += "\r\n";
    }
    QByteArray contentType() const { return "multipart/form-data; boundary=" + m_boundary; }
    QByteArray finish()
    {
        m_body += "--" + m_boundary + "--\r\n";
        return std::move(m_body);
    }

private:
    QByteArray m_boundary;
    QByteArray m_body;
};

std::chrono::milliseconds retryHint(const HttpAnswer &answer)
{
    bool ok = false;
    const qint64 ms = answer.header("retry-after-ms").trimmed().toLongLong(&ok);
    if (ok && ms >= 0)
        return std::chrono::milliseconds(ms);
    if (const QByteArray retryAfter = answer.header("retry-after"); !retryAfter.isEmpty())
        return HttpImageProvider::parseRetryAfter(retryAfter);
    return HttpImageProvider::parseDuration(QString::fromLatin1(answer.header("x-ratelimit-reset-requests")));
}

GenerationError errorFromStatus(const HttpAnswer &answer, const QString &model)
{
    const int status = answer.status;
    const QJsonObject error = QJsonDocument::fromJson(answer.body).object().value(QLatin1String("error")).toObject();
    const QString code = error.value(QLatin1String("code")).toString();
    const QString type = error.value(QLatin1String("type")).toString();
    const QString message = error.value(QLatin1String("message")).toString();
    const QString reason = !code.isEmpty() ? code : !type.isEmpty() ? type : QStringLiteral("HTTP_%1").arg(status);
    const auto make = [&](Kind kind, const QString &text) {
        GenerationError e;
        e.kind = kind;
        e.message = text;
        e.providerReason = reason;
        e.httpStatus = status;
        return e;
    };

    // The 401 message echoes the key's first and last characters: it is never shown or logged.
    if (status == 401)
        return make(Kind::InvalidKey, QObject::tr("OpenAI rejected the API key. Check the OpenAI key in Settings."));
    if (status == 403) {
        return make(Kind::Permission, QObject::tr("This OpenAI key may not use %1 (the organisation may need to be verified). %2")
                                          .arg(model, message));
    }
    if (status == 429) {
        if (code == QLatin1String("insufficient_quota") || type == QLatin1String("insufficient_quota")) {
            return make(Kind::QuotaExhausted,
                        QObject::tr("Your OpenAI quota is used up. Check your plan and billing; retrying will not help."));
        }
        GenerationError e = make(Kind::RateLimited, QObject::tr("OpenAI is limiting the request rate; retry later."));
        e.retryAfter = retryHint(answer);
        return e;
    }
    const bool safety = code == QLatin1String("moderation_blocked") || code == QLatin1String("content_policy_violation")
        || message.contains(QLatin1String("safety system"));
    if (status == 400 && safety) {
        return make(Kind::SafetyRefusal, QObject::tr("OpenAI's safety system refused this request (%1). Reword the prompt or use "
                                                     "other photos.")
                                             .arg(reason));
    }
    if (status >= 500 || status == 408) {
        GenerationError e = make(Kind::Transient, QObject::tr("OpenAI is unavailable right now (HTTP %1). Try again later.").arg(status));
        e.retryAfter = retryHint(answer);
        return e;
    }
    return make(Kind::BadRequest, message.isEmpty() ? QObject::tr("OpenAI rejected the request (HTTP %1).").arg(status)
                                                    : QObject::tr("OpenAI rejected the request: %1").arg(message));
}

} // namespace

OpenAIProvider::OpenAIProvider(HttpProviderConfig config, QObject *parent)
    : HttpImageProvider(std::move(config), parent)
{
    if (this->config().baseUrl.isEmpty()) {
        HttpProviderConfig c = this->config();
        c.baseUrl = QUrl(QString::fromLatin1(DefaultBaseUrl));
        setConfig(c);
    }
}

QString OpenAIProvider::sizeFor(const QString &model, const QString &aspectRatio, QSize wanted)
{
    const double ratio = ratioOf(aspectRatio);
    if (isGptImage2(model)) {
        // Free WxH with (reported, [UNCONFIRMED]) caps: multiples of 16, long edge ≤ 3840,
        // ratio ≤ 3:1 and at most 3840×2160 pixels; 1:1 gives 2880×2880.
        const double r = qBound(1.0 / 3.0, ratio, 3.0);
        const double maxPixels = 3840.0 * 2160.0;
        double w = std::sqrt(maxPixels * r);
        double h = std::sqrt(maxPixels / r);
        const double fit = std::min({1.0, 3840.0 / qMax(w, h),
                                     wanted.isValid() ? double(qMax(wanted.width(), wanted.height())) / qMax(w, h) : 1.0});
        const int width = qMax(16, int(std::floor(w * fit / 16.0)) * 16);
        const int height = qMax(16, int(std::floor(h * fit / 16.0)) * 16);
        return QStringLiteral("%1x%2").arg(width).arg(height);
    }
    // gpt-image-1 family: three fixed sizes.
    if (ratio > 1.2)
        return QStringLiteral("1536x1024");
    if (ratio < 1.0 / 1.2)
        return QStringLiteral("1024x1536");
    return QStringLiteral("1024x1024");
}

void OpenAIProvider::generate(const GenerationRequest &request)
{
    if (!beginCall())
        return;
    const QString model = effectiveModel(request);
    if (config().apiKey.isEmpty()) {
        finishSoon(makeError(Kind::InvalidKey, tr("No OpenAI API key is set. Add one in Settings."), QStringLiteral("no_key")));
        return;
    }
    if (request.references.isEmpty() || request.references.size() > MaxImages) {
        finishSoon(makeError(Kind::BadRequest,
                             tr("OpenAI image edits take 1 to %1 reference photos; %2 were given.")
                                 .arg(MaxImages)
                                 .arg(request.references.size()),
                             QStringLiteral("reference_count")));
        return;
    }

    const QString size = sizeFor(model, request.aspectRatio, request.size);
    FormData form;
    form.add("model", model.toUtf8());
    form.add("prompt", request.promptSent.toUtf8());
    form.add("size", size.toUtf8());
    form.add("quality", "high");
    form.add("output_format", "png");
    form.add("n", "1");
    if (model == QLatin1String("gpt-image-1") || model == QLatin1String("gpt-image-1.5"))
        form.add("input_fidelity", "high"); // keeps faces closer to the references
    for (qsizetype i = 0; i < request.references.size(); ++i)
        form.addFile("image[]", "reference-" + QByteArray::number(i + 1) + ".jpg", "image/jpeg", request.references.at(i).jpeg);

    QNetworkRequest networkRequest(endpoint(QStringLiteral("/v1/images/edits")));
    networkRequest.setHeader(QNetworkRequest::ContentTypeHeader, form.contentType());
    networkRequest.setRawHeader("Authorization", QByteArray("Bearer " + config().apiKey.toUtf8()));
    qCInfo(lcGeneration) << "openai: images/edits" << model << "month" << request.month << "references"
                         << request.references.size() << "size" << size;
    send(networkRequest, form.finish(), [model](HttpAnswer &&answer) { return interpret(std::move(answer), model); });
}

ImageProvider::Outcome OpenAIProvider::interpret(HttpAnswer &&answer, const QString &model)
{
    if (answer.status != 200)
        return errorFromStatus(answer, model);

    QJsonParseError parseError;
    QJsonDocument document = QJsonDocument::fromJson(answer.body, &parseError);
    answer.body = QByteArray();
    if (!document.isObject()) {
        return makeError(Kind::Transient, QObject::tr("OpenAI sent an answer that is not JSON (%1).").arg(parseError.errorString()),
                         QStringLiteral("bad_json"), 200);
    }
    QString base64;
    QString note;
    {
        const QJsonObject root = document.object();
        document = QJsonDocument();
        const QJsonArray data = root.value(QLatin1String("data")).toArray();
        const QJsonObject first = data.first().toObject();
        base64 = first.value(QLatin1String("b64_json")).toString();
        note = first.value(QLatin1String("revised_prompt")).toString();
    }
    if (base64.isEmpty())
        return makeError(Kind::BadRequest, QObject::tr("The model answered without an image."), QStringLiteral("no_image"), 200);
    QByteArray latin1 = base64.toLatin1();
    base64 = QString();
    std::optional<QByteArray> bytes = decodeBase64(std::move(latin1));
    if (!bytes || bytes->isEmpty())
        return makeError(Kind::Transient, QObject::tr("OpenAI sent image data that is not valid base64."), QStringLiteral("bad_base64"), 200);
    return imageOutcome(std::move(*bytes), QStringLiteral("openai"), model, note);
}

} // namespace CalStudio
