#include "app/sandbox/falfake.h"

#include "app/sandbox/fakeimage.h"
#include "app/sandbox/faultplan.h"
#include "app/sandbox/replicatefake.h"

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

SandboxReply fastApiError(const QString &field, const QString &message, const QString &type, int status = 422)
{
    return FalFake::detail(status, QJsonArray{QJsonObject{{QStringLiteral("loc"), QJsonArray{QStringLiteral("body"), field}},
                                                          {QStringLiteral("msg"), message},
                                                          {QStringLiteral("type"), type}}});
}

} // namespace

FalFake::FalFake(FaultPlan *faults, QString validKey)
    : m_faults(faults)
    , m_validKey(std::move(validKey))
{
}

int FalFake::count(const QByteArray &method, const QString &pathPart) const
{
    return int(std::count_if(m_requests.cbegin(), m_requests.cend(), [&](const SandboxRequest &r) {
        return r.method == method && r.path.contains(pathPart);
    }));
}

SandboxReply FalFake::detail(int status, const QJsonValue &detail)
{
    return json(status, QJsonObject{{QStringLiteral("detail"), detail}});
}

QString FalFake::origin(const SandboxRequest &request) const
{
    const QByteArray host = request.header("host");
    return QStringLiteral("http://") + QString::fromLatin1(host.isEmpty() ? QByteArrayLiteral("127.0.0.1") : host)
        + QString::fromLatin1(PathPrefix);
}

SandboxReply FalFake::submit(const SandboxRequest &request, const QString &modelPath, const QString &scenario)
{
    if (scenario == QLatin1String("quota"))
        return detail(403, QStringLiteral("User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing."));
    if (scenario == QLatin1String("permission"))
        return detail(403, QStringLiteral("You do not have access to this application."));
    if (scenario == QLatin1String("not-found"))
        return detail(404, QStringLiteral("Application '%1' not found").arg(modelPath));
    if (scenario == QLatin1String("rate-limit")) {
        SandboxReply reply = detail(429, QStringLiteral("Too many concurrent requests. Retry later."));
        reply.headers = {{"retry-after", "5"}};
        return reply;
    }
    if (scenario == QLatin1String("rate-limit-no-hint"))
        return detail(429, QStringLiteral("Rate limit exceeded."));
    if (scenario == QLatin1String("server-error"))
        return detail(500, QStringLiteral("Internal server error"));
    if (scenario == QLatin1String("unavailable"))
        return detail(503, QStringLiteral("Service temporarily unavailable. Please retry."));
    if (scenario == QLatin1String("html-502")) {
        SandboxReply reply;
        reply.status = 502;
        reply.contentType = "text/html";
        reply.body = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";
        return reply;
    }
    if (scenario == QLatin1String("bad-request"))
        return fastApiError(QStringLiteral("resolution"), QStringLiteral("value is not a valid enumeration member; permitted: '1K', '2K', '4K'"),
                            QStringLiteral("type_error.enum"));
    if (scenario == QLatin1String("prompt-block"))
        return fastApiError(QStringLiteral("prompt"),
                            QStringLiteral("The prompt was flagged by the content checker and cannot be processed."),
                            QStringLiteral("content_policy_violation"));
    const QStringList segments = modelPath.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (segments.size() < 2)
        return detail(404, QStringLiteral("Application not found"));
    const QJsonObject input = QJsonDocument::fromJson(request.body).object();
    const QString prompt = input.value(QLatin1String("prompt")).toString();
    if (prompt.trimmed().isEmpty())
        return fastApiError(QStringLiteral("prompt"), QStringLiteral("field required"), QStringLiteral("value_error.missing"));
    const QJsonArray images = input.value(QLatin1String("image_urls")).toArray();
    if (images.isEmpty())
        return fastApiError(QStringLiteral("image_urls"), QStringLiteral("field required"), QStringLiteral("value_error.missing"));
    for (const QJsonValue &image : images) {
        const QString uri = image.toString();
        if (!uri.startsWith(QLatin1String("data:")) && !uri.startsWith(QLatin1String("https://")) && !uri.startsWith(QLatin1String("http://")))
            return fastApiError(QStringLiteral("image_urls"), QStringLiteral("invalid or missing URL scheme"), QStringLiteral("value_error.url.scheme"));
    }
    const QSize size = ReplicateFake::outputSize(input.value(QLatin1String("resolution")).toString(QStringLiteral("1K")),
                                                 input.value(QLatin1String("aspect_ratio")).toString());
    if (!size.isValid())
        return fastApiError(QStringLiteral("resolution"), QStringLiteral("unsupported resolution or aspect_ratio"), QStringLiteral("value_error"));

    Job job;
    job.id = QStringLiteral("0000fa1-sandbox-%1").arg(++m_counter, 4, 10, QLatin1Char('0'));
    job.appId = segments.mid(0, 2).join(QLatin1Char('/'));
    job.prompt = prompt;
    job.size = size;
    job.scenario = scenario;
    m_jobs.insert(job.id, job);
    // The URLs drop the subpath (EXTERNAL_APIS.md 3.c "subpath rule").
    const QString base = origin(request) + QLatin1Char('/') + job.appId + QStringLiteral("/requests/") + job.id;
    return json(200, QJsonObject{{QStringLiteral("request_id"), job.id},
                                 {QStringLiteral("gateway_request_id"), job.id},
                                 {QStringLiteral("response_url"), base},
                                 {QStringLiteral("status_url"), QString(base + QStringLiteral("/status"))},
                                 {QStringLiteral("cancel_url"), QString(base + QStringLiteral("/cancel"))},
                                 {QStringLiteral("queue_position"), 0}});
}

SandboxReply FalFake::handle(const SandboxRequest &request)
{
    m_requests.append(request);
    const QString prefix = QString::fromLatin1(PathPrefix);
    const QString path = request.path.startsWith(prefix + QLatin1Char('/')) ? request.path.mid(prefix.size()) : QString();

    static const QRegularExpression filePath(QStringLiteral("^/files/(\\d{1,5})x(\\d{1,5})(-huge)?\\.png$"));
    if (const auto match = filePath.match(path); match.hasMatch() && request.method == "GET") {
        const QSize size(match.captured(1).toInt(), match.captured(2).toInt());
        if (size.width() < 1 || size.height() < 1 || size.width() > 8192 || size.height() > 8192)
            return detail(404, QStringLiteral("File not found"));
        SandboxReply reply;
        reply.contentType = "image/png";
        reply.body = FakeImage::encoded(size, "png", !match.captured(3).isEmpty());
        return reply;
    }

    static const QRegularExpression requestPath(QStringLiteral("^/(.+)/requests/([^/]+)(/status|/cancel)?$"));
    const auto match = requestPath.match(path);
    const bool isSubmit = request.method == "POST" && !match.hasMatch() && !path.isEmpty();
    const std::optional<Fault> fault = isSubmit && m_faults ? m_faults->take(QStringLiteral("fal")) : std::nullopt;
    const QString scenario = fault ? fault->scenario : QString();

    SandboxReply reply = [&] {
        const QByteArray auth = request.header("authorization");
        const QString key = auth.startsWith("Key ") ? QString::fromUtf8(auth.mid(4)) : QString();
        if (key != m_validKey || scenario == QLatin1String("invalid-key"))
            return detail(401, QStringLiteral("Unauthorized"));
        if (isSubmit)
            return submit(request, path.mid(1), scenario);
        if (!match.hasMatch())
            return detail(404, QStringLiteral("Not found"));
        const QString appId = match.captured(1);
        const auto it = m_jobs.find(match.captured(2));
        // The subpath rule: status/result/cancel live under {owner}/{app} only.
        if (it == m_jobs.end() || appId != it->appId)
            return detail(404, QStringLiteral("Request not found"));
        Job &job = *it;
        const QString action = match.captured(3);
        if (action == QLatin1String("/cancel")) {
            if (request.method != "PUT")
                return detail(405, QStringLiteral("Method Not Allowed"));
            if (job.status == QLatin1String("COMPLETED"))
                return json(400, QJsonObject{{QStringLiteral("status"), QStringLiteral("ALREADY_COMPLETED")}});
            job.status = QStringLiteral("CANCELED");
            return json(202, QJsonObject{{QStringLiteral("status"), QStringLiteral("CANCELLATION_REQUESTED")}});
        }
        if (request.method != "GET")
            return detail(405, QStringLiteral("Method Not Allowed"));
        if (action == QLatin1String("/status")) {
            if (job.status == QLatin1String("IN_QUEUE") || job.status == QLatin1String("IN_PROGRESS")) {
                ++job.polls;
                if (job.polls >= m_pollsToFinish && job.scenario != QLatin1String("stuck-processing"))
                    job.status = QStringLiteral("COMPLETED");
                else if (job.polls >= 2)
                    job.status = QStringLiteral("IN_PROGRESS");
            }
            QJsonObject body{{QStringLiteral("status"), job.status},
                             {QStringLiteral("response_url"), QString(origin(request) + QLatin1Char('/') + job.appId + QStringLiteral("/requests/") + job.id)}};
            if (job.status == QLatin1String("IN_QUEUE"))
                body.insert(QStringLiteral("queue_position"), 1);
            else
                body.insert(QStringLiteral("logs"), QJsonArray{QJsonObject{{QStringLiteral("message"), QStringLiteral("step %1").arg(job.polls)},
                                                                           {QStringLiteral("level"), QStringLiteral("INFO")}}});
            return json(job.status == QLatin1String("COMPLETED") ? 200 : 202, body);
        }
        // Result.
        if (job.status != QLatin1String("COMPLETED"))
            return detail(400, QStringLiteral("Request is still in progress"));
        if (job.scenario == QLatin1String("safety"))
            return fastApiError(QStringLiteral("prompt"),
                                QStringLiteral("The content could not be processed because it contained material flagged by a content checker."),
                                QStringLiteral("content_policy_violation"));
        if (job.scenario == QLatin1String("result-error"))
            return detail(500, QStringLiteral("Internal error while running the model"));
        const QString url = origin(request)
            + QStringLiteral("/files/%1x%2%3.png")
                  .arg(job.size.width())
                  .arg(job.size.height())
                  .arg(job.scenario == QLatin1String("huge") ? QStringLiteral("-huge") : QString());
        QJsonArray images;
        if (job.scenario != QLatin1String("text-only")) {
            images.append(QJsonObject{{QStringLiteral("url"), url},
                                      {QStringLiteral("width"), job.size.width()},
                                      {QStringLiteral("height"), job.size.height()},
                                      {QStringLiteral("content_type"), QStringLiteral("image/png")}});
        }
        return json(200, QJsonObject{
                             {QStringLiteral("images"), images},
                             {QStringLiteral("has_nsfw_concepts"), QJsonArray{job.scenario == QLatin1String("nsfw-flag")}},
                             {QStringLiteral("seed"), 42},
                             {QStringLiteral("prompt"), job.prompt},
                         });
    }();

    if (fault) {
        reply.delay = fault->delay;
        reply.drop = fault->scenario == QLatin1String("drop");
    }
    return reply;
}

} // namespace CalStudio
