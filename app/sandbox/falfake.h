#pragma once

#include "app/sandbox/sandboxtypes.h"

#include <QHash>
#include <QJsonObject>
#include <QSize>

namespace CalStudio {

class FaultPlan;

/**
 * Fake of fal.ai's queue API (EXTERNAL_APIS.md 3.c and 4.5), served under the
 * path prefix `/fal` (a client's base URL is `http://127.0.0.1:PORT/fal`):
 *
 * - `POST /fal/{owner}/{app}[/{subpath}]` → `request_id`, `status_url`,
 *   `response_url`, `cancel_url`, `queue_position`;
 * - `GET /fal/{owner}/{app}/requests/{id}/status` → `IN_QUEUE`, then
 *   `IN_PROGRESS` with logs, then `COMPLETED` after pollsToFinish() polls;
 *   the subpath rule is enforced (status/result/cancel with the subpath → 404);
 * - `GET /fal/{owner}/{app}/requests/{id}` → `{images:[{url,width,height,
 *   content_type}],has_nsfw_concepts,seed,prompt}` with the URL on the fake's
 *   own file route `GET /fal/files/{W}x{H}[-huge].png` (a real PNG of that size);
 * - `PUT …/cancel` → 202 `CANCELLATION_REQUESTED` or 400 `ALREADY_COMPLETED`.
 *
 * `Authorization: Key` is checked first; any other scheme (such as Bearer)
 * gets 401 `{"detail":"Unauthorized"}`. Faults (api "fal") are taken on
 * submit and shape that request: invalid-key, permission (403), not-found
 * (404), quota (403 "User is locked"), rate-limit (429 with Retry-After),
 * rate-limit-no-hint (429 without), bad-request (422 FastAPI `detail[]`),
 * server-error, unavailable (503), html-502, prompt-block (422
 * content_policy_violation on submit), safety (the result GET after
 * COMPLETED answers 422 content_policy_violation), nsfw-flag
 * (`has_nsfw_concepts:[true]`), text-only (`images:[]`), result-error (the
 * result GET answers 500), stuck-processing, huge (the output file is a noisy
 * PNG of about 16 MB at 4K), slow (delay), drop. Never touches sockets.
 */
class FalFake {
public:
    static constexpr auto PathPrefix = "/fal";

    FalFake(FaultPlan *faults, QString validKey);

    /// Any request under PathPrefix.
    SandboxReply handle(const SandboxRequest &request);

    [[nodiscard]] const QList<SandboxRequest> &requests() const { return m_requests; }
    void clearRequests() { m_requests.clear(); }
    /// How many recorded requests have `method` and a path containing `pathPart`.
    [[nodiscard]] int count(const QByteArray &method, const QString &pathPart) const;
    void setPollsToFinish(int polls) { m_pollsToFinish = polls; }

    static SandboxReply detail(int status, const QJsonValue &detail);

private:
    struct Job {
        QString id;
        QString appId;
        QString prompt;
        QSize size;
        QString scenario;
        QString status = QStringLiteral("IN_QUEUE");
        int polls = 0;
    };

    SandboxReply submit(const SandboxRequest &request, const QString &modelPath, const QString &scenario);
    QString origin(const SandboxRequest &request) const;

    FaultPlan *m_faults;
    QString m_validKey;
    QList<SandboxRequest> m_requests;
    QHash<QString, Job> m_jobs;
    int m_pollsToFinish = 3;
    int m_counter = 0;
};

} // namespace CalStudio
