#pragma once

#include "app/sandbox/sandboxtypes.h"

#include <QHash>
#include <QJsonObject>
#include <QSize>
#include <QUrl>

namespace CalStudio {

class FaultPlan;

/**
 * Fake of Replicate's predictions API (EXTERNAL_APIS.md 3.b and 4.4):
 *
 * - `POST /v1/models/{owner}/{name}/predictions` and `POST /v1/predictions`
 *   (`"version"`) → 201 with status `starting` (with `Prefer: wait` too: the
 *   fake's model always outlasts the wait, except for the `sync` scenario);
 * - `GET /v1/predictions/{id}` → `processing`, then `succeeded` after
 *   pollsToFinish() polls, with `output` a URL (an array for
 *   `bytedance/seedream*` models or the `output-array` scenario) on the
 *   fake's own file route;
 * - `POST /v1/predictions/{id}/cancel` → `canceled`;
 * - `GET /replicate-files/{expiresMs}/{W}x{H}[-huge].png` → a real PNG of that
 *   size, 404 once expired (fileLifetime(), 1 h by default).
 *
 * `Authorization: Bearer` is checked first (401 problem JSON). Faults (api
 * "replicate") are taken on create and shape that prediction: invalid-key,
 * permission (403), quota (402), rate-limit (429 with Retry-After and the
 * "available in N seconds" detail), rate-limit-no-hint (429 without either),
 * bad-request (422 with invalid_fields), not-found, server-error, unavailable,
 * html-502, prompt-block (fails on the first poll, "flagged as sensitive
 * (E005)"), safety (ends `failed` with an NSFW error), text-only (succeeds
 * with `output` null), stuck-processing, output-array, expired, sync, huge
 * (the output file is a noisy PNG of about 16 MB at 4K), slow (delay), drop.
 * Never touches sockets.
 */
class ReplicateFake {
public:
    static constexpr auto FilePrefix = "/replicate-files/";

    ReplicateFake(FaultPlan *faults, QString validKey);

    SandboxReply handle(const SandboxRequest &request);

    [[nodiscard]] const QList<SandboxRequest> &requests() const { return m_requests; }
    void clearRequests() { m_requests.clear(); }
    /// How many recorded requests have `method` and a path containing `pathPart`.
    [[nodiscard]] int count(const QByteArray &method, const QString &pathPart) const;

    void setPollsToFinish(int polls) { m_pollsToFinish = polls; }
    [[nodiscard]] int pollsToFinish() const { return m_pollsToFinish; }
    void setFileLifetime(std::chrono::milliseconds lifetime) { m_fileLifetime = lifetime; }
    /// Origin of output URLs; empty (default) = the origin the request came to (its Host header).
    void setFileOrigin(const QUrl &origin) { m_fileOrigin = origin; }

    /// Output size for `resolution` (1K/2K/4K) and `aspect` ("W:H"); invalid when not accepted.
    static QSize outputSize(const QString &resolution, const QString &aspect);
    static SandboxReply problem(int status, const QString &title, const QString &detail, const QJsonObject &extra = {});

private:
    struct Prediction {
        QString id;
        QString model;
        QSize size;
        QString scenario;
        QString status = QStringLiteral("starting");
        QString origin;
        int polls = 0;
        bool outputArray = false;
    };

    SandboxReply create(const SandboxRequest &request, const QString &model, const QString &scenario);
    SandboxReply serveFile(const QString &path) const;
    QJsonObject toJson(const Prediction &prediction) const;

    FaultPlan *m_faults;
    QString m_validKey;
    QList<SandboxRequest> m_requests;
    QHash<QString, Prediction> m_predictions;
    QUrl m_fileOrigin;
    std::chrono::milliseconds m_fileLifetime{std::chrono::hours(1)};
    int m_pollsToFinish = 2;
    int m_counter = 0;
};

} // namespace CalStudio
