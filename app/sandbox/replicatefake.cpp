#include "app/sandbox/replicatefake.h"

#include "app/sandbox/fakeimage.h"
#include "app/sandbox/faultplan.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>

namespace CalStudio {

namespace {

SandboxReply json(int status, const QJsonObject &object)
{
    SandboxReply reply;
    reply.status = status;
    reply.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return reply;
}

QString originOf(const SandboxRequest &request)
{
    const QByteArray host = request.header("host");
    return QStringLiteral("http://") + QString::fromLatin1(host.isEmpty() ? QByteArrayLiteral("127.0.0.1") : host);
}

} // namespace

ReplicateFake::ReplicateFake(FaultPlan *faults, QString validKey)
    : m_faults(faults)
    , m_validKey(std::move(validKey))
{
}

int ReplicateFake::count(const QByteArray &method, const QString &pathPart) const
{
    return int(std::count_if(m_requests.cbegin(), m_requests.cend(), [&](const SandboxRequest &r) {
        return r.method == method && r.path.contains(pathPart);
    }));
}

QSize ReplicateFake::outputSize(const QString &resolution, const QString &aspect)
{
    const int edge = resolution == QLatin1String("1K") ? 1024
        : resolution == QLatin1String("2K")            ? 2048
        : resolution == QLatin1String("4K")            ? 4096
                                                       : 0;
    if (edge == 0)
        return {};
    if (aspect.isEmpty() || aspect == QLatin1String("match_input_image"))
        return {edge, edge};
    static const QRegularExpression pattern(QStringLiteral("^(\\d{1,2}):(\\d{1,2})$"));
    const auto match = pattern.match(aspect);
    if (!match.hasMatch())
        return {};
    const int w = match.captured(1).toInt();
    const int h = match.captured(2).toInt();
    if (w <= 0 || h <= 0)
        return {};
    if (w >= h)
        return {edge, qMax(16, edge * h / w / 16 * 16)};
    return {qMax(16, edge * w / h / 16 * 16), edge};
}

SandboxReply ReplicateFake::problem(int status, const QString &title, const QString &detail, const QJsonObject &extra)
{
    QJsonObject body{{QStringLiteral("title"), title}, {QStringLiteral("detail"), detail}, {QStringLiteral("status"), status}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        body.insert(it.key(), it.value());
    SandboxReply reply = json(status, body);
    reply.contentType = "application/problem+json";
    return reply;
}

QJsonObject ReplicateFake::toJson(const Prediction &p) const
{
    const QString get = p.origin + QStringLiteral("/v1/predictions/") + p.id;
    QJsonValue output;
    if (p.status == QLatin1String("succeeded") && p.scenario != QLatin1String("text-only")) {
        const qint64 expires = p.scenario == QLatin1String("expired")
            ? QDateTime::currentMSecsSinceEpoch() - 1
            : QDateTime::currentMSecsSinceEpoch() + m_fileLifetime.count();
        const QString origin = m_fileOrigin.isEmpty() ? p.origin : m_fileOrigin.toString(QUrl::StripTrailingSlash);
        const QString url = origin + QString::fromLatin1(FilePrefix)
            + QStringLiteral("%1/%2x%3%4.png")
                  .arg(expires)
                  .arg(p.size.width())
                  .arg(p.size.height())
                  .arg(p.scenario == QLatin1String("huge") ? QStringLiteral("-huge") : QString());
        output = p.outputArray ? QJsonValue(QJsonArray{url}) : QJsonValue(url);
    }
    QJsonValue error;
    if (p.status == QLatin1String("failed")) {
        // Model failures are not HTTP errors: the prediction ends `failed` with a text (EXTERNAL_APIS.md 3.b).
        error = p.scenario == QLatin1String("prompt-block")
            ? QStringLiteral("The input or output was flagged as sensitive. "
                             "Please try again with different inputs. (E005)")
            : QStringLiteral("NSFW content detected. Try running it again, or try a different prompt.");
    }
    return QJsonObject{
        {QStringLiteral("id"), p.id},
        {QStringLiteral("model"), p.model},
        {QStringLiteral("version"), QStringLiteral("sandbox")},
        {QStringLiteral("status"), p.status},
        {QStringLiteral("output"), output},
        {QStringLiteral("error"), error},
        {QStringLiteral("logs"), QString()},
        {QStringLiteral("data_removed"), false},
        {QStringLiteral("source"), QStringLiteral("api")},
        {QStringLiteral("created_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {QStringLiteral("urls"),
         QJsonObject{{QStringLiteral("get"), get},
                     {QStringLiteral("cancel"), QString(get + QStringLiteral("/cancel"))},
                     {QStringLiteral("web"), QString(QStringLiteral("https://replicate.com/p/") + p.id)}}},
    };
}

SandboxReply ReplicateFake::serveFile(const QString &path) const
{
    static const QRegularExpression pattern(
        QStringLiteral("^/replicate-files/(\\d+)/(\\d{1,5})x(\\d{1,5})(-huge)?\\.png$"));
    const auto match = pattern.match(path);
    if (!match.hasMatch() || match.captured(1).toLongLong() < QDateTime::currentMSecsSinceEpoch())
        return problem(404, QStringLiteral("Not found"), QStringLiteral("The file does not exist or has expired."));
    const QSize size(match.captured(2).toInt(), match.captured(3).toInt());
    if (size.width() < 1 || size.height() < 1 || size.width() > 8192 || size.height() > 8192)
        return problem(404, QStringLiteral("Not found"), QStringLiteral("No such file."));
    SandboxReply reply;
    reply.contentType = "image/png";
    reply.body = FakeImage::encoded(size, "png", !match.captured(4).isEmpty());
    return reply;
}

SandboxReply ReplicateFake::create(const SandboxRequest &request, const QString &model, const QString &scenario)
{
    if (scenario == QLatin1String("quota"))
        return problem(402, QStringLiteral("Insufficient credit"),
                       QStringLiteral("You have insufficient credit to run this model. Go to https://replicate.com/account/billing."));
    if (scenario == QLatin1String("permission"))
        return problem(403, QStringLiteral("Forbidden"),
                       QStringLiteral("You do not have permission to run this model."));
    if (scenario == QLatin1String("rate-limit")) {
        SandboxReply reply = json(429, QJsonObject{{QStringLiteral("detail"), QStringLiteral("Request was throttled. Expected available in 7 seconds.")},
                                                   {QStringLiteral("status"), 429}});
        reply.headers = {{"retry-after", "7"}};
        return reply;
    }
    if (scenario == QLatin1String("rate-limit-no-hint"))
        return json(429, QJsonObject{{QStringLiteral("detail"), QStringLiteral("Request was throttled.")},
                                     {QStringLiteral("status"), 429}});
    if (scenario == QLatin1String("not-found"))
        return problem(404, QStringLiteral("Not found"), QStringLiteral("The requested resource could not be found."));
    if (scenario == QLatin1String("server-error"))
        return problem(500, QStringLiteral("Internal Server Error"), QStringLiteral("Something went wrong."));
    if (scenario == QLatin1String("unavailable"))
        return problem(503, QStringLiteral("Service Unavailable"), QStringLiteral("Replicate is temporarily unavailable."));
    if (scenario == QLatin1String("html-502")) {
        SandboxReply reply;
        reply.status = 502;
        reply.contentType = "text/html";
        reply.body = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";
        return reply;
    }

    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QJsonObject input = body.value(QLatin1String("input")).toObject();
    const auto invalid = [](const QString &field, const QString &text) {
        return problem(422, QStringLiteral("Input validation failed"), text,
                       QJsonObject{{QStringLiteral("invalid_fields"),
                                    QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("invalid")},
                                                           {QStringLiteral("field"), field},
                                                           {QStringLiteral("description"), text}}}}});
    };
    if (scenario == QLatin1String("bad-request"))
        return invalid(QStringLiteral("resolution"), QStringLiteral("resolution must be one of the following: \"1K\", \"2K\", \"4K\""));
    if (input.value(QLatin1String("prompt")).toString().trimmed().isEmpty())
        return invalid(QStringLiteral("prompt"), QStringLiteral("prompt is required"));
    const QJsonArray images = input.value(QLatin1String("image_input")).toArray();
    if (images.size() > 14)
        return invalid(QStringLiteral("image_input"), QStringLiteral("image_input: Array must have at most 14 items"));
    for (const QJsonValue &image : images) {
        const QString uri = image.toString();
        if (!uri.startsWith(QLatin1String("data:image/")) && !uri.startsWith(QLatin1String("https://"))
            && !uri.startsWith(QLatin1String("http://")))
            return invalid(QStringLiteral("image_input"), QStringLiteral("image_input: each item must be a URI"));
    }
    const QSize size = outputSize(input.value(QLatin1String("resolution")).toString(QStringLiteral("2K")),
                                  input.value(QLatin1String("aspect_ratio")).toString());
    if (!size.isValid())
        return invalid(QStringLiteral("resolution"), QStringLiteral("resolution or aspect_ratio is not supported"));

    Prediction p;
    p.id = QStringLiteral("sbx%1rpl").arg(++m_counter, 6, 10, QLatin1Char('0'));
    p.model = model;
    p.size = size;
    p.scenario = scenario;
    p.origin = originOf(request);
    p.outputArray = scenario == QLatin1String("output-array") || model.startsWith(QLatin1String("bytedance/seedream"));
    if (scenario == QLatin1String("sync") && request.header("prefer").startsWith("wait"))
        p.status = QStringLiteral("succeeded");
    m_predictions.insert(p.id, p);
    return json(201, toJson(p));
}

SandboxReply ReplicateFake::handle(const SandboxRequest &request)
{
    m_requests.append(request);
    if (request.path.startsWith(QLatin1String(FilePrefix)) && request.method == "GET")
        return serveFile(request.path);

    const bool isCreate = request.method == "POST"
        && (request.path == QLatin1String("/v1/predictions")
            || (request.path.startsWith(QLatin1String("/v1/models/")) && request.path.endsWith(QLatin1String("/predictions"))));
    const std::optional<Fault> fault = isCreate && m_faults ? m_faults->take(QStringLiteral("replicate")) : std::nullopt;
    const QString scenario = fault ? fault->scenario : QString();

    SandboxReply reply = [&] {
        const QByteArray auth = request.header("authorization");
        const QString key = auth.startsWith("Bearer ") ? QString::fromUtf8(auth.mid(7)) : QString();
        if (key != m_validKey || scenario == QLatin1String("invalid-key"))
            return problem(401, QStringLiteral("Unauthenticated"), QStringLiteral("You did not pass a valid authentication token"));

        if (isCreate) {
            QString model;
            if (request.path == QLatin1String("/v1/predictions")) {
                model = QJsonDocument::fromJson(request.body).object().value(QLatin1String("version")).toString().section(QLatin1Char(':'), 0, 0);
                if (model.isEmpty())
                    return problem(422, QStringLiteral("Input validation failed"), QStringLiteral("version is required"));
            } else {
                model = request.path.mid(11).chopped(12); // "/v1/models/" … "/predictions"
                if (model.count(QLatin1Char('/')) != 1)
                    return problem(404, QStringLiteral("Not found"), QStringLiteral("The requested resource could not be found."));
            }
            return create(request, model, scenario);
        }

        static const QRegularExpression predictionPath(QStringLiteral("^/v1/predictions/([^/]+)(/cancel)?$"));
        const auto match = predictionPath.match(request.path);
        if (!match.hasMatch() || !m_predictions.contains(match.captured(1)))
            return problem(404, QStringLiteral("Not found"), QStringLiteral("The requested resource could not be found."));
        Prediction &p = m_predictions[match.captured(1)];
        const bool running = p.status == QLatin1String("starting") || p.status == QLatin1String("processing");
        if (!match.captured(2).isEmpty()) {
            if (request.method != "POST")
                return problem(404, QStringLiteral("Not found"), QStringLiteral("Use POST to cancel."));
            if (running)
                p.status = QStringLiteral("canceled");
            return json(200, toJson(p));
        }
        if (request.method != "GET")
            return problem(404, QStringLiteral("Not found"), QStringLiteral("Use GET to read a prediction."));
        if (running) {
            ++p.polls;
            if (p.scenario == QLatin1String("prompt-block"))
                p.status = QStringLiteral("failed"); // the input check fails at once
            else if (p.scenario == QLatin1String("stuck-processing") || p.polls < m_pollsToFinish)
                p.status = QStringLiteral("processing");
            else
                p.status = p.scenario == QLatin1String("safety") ? QStringLiteral("failed") : QStringLiteral("succeeded");
        }
        return json(200, toJson(p));
    }();

    reply.headers.append({"x-request-id", QByteArray("rpl_sandbox_") + QByteArray::number(m_requests.size())});
    if (fault) {
        reply.delay = fault->delay;
        reply.drop = fault->scenario == QLatin1String("drop");
    }
    return reply;
}

} // namespace CalStudio
