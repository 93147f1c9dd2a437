#pragma once

#include "app/sandbox/sandboxtypes.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSize>

namespace CalStudio {

class FaultPlan;

/**
 * Fake of Gemini `POST /v1beta/models/{model}:generateContent` (EXTERNAL_APIS.md
 * 3.a and 4.3): checks `x-goog-api-key` first, validates contents, inline images
 * (snake_case or camelCase), aspect ratio and image size per model, and answers
 * with a real PNG of exactly the size from the official table, or with the
 * Google RPC error / safety-block shapes that a FaultPlan scripts. Never touches
 * sockets: the server turns the SandboxReply into bytes.
 */
class GeminiFake {
public:
    GeminiFake(FaultPlan *faults, QString validKey);

    /// `modelAndMethod` is the last path segment, e.g. "gemini-3-pro-image:generateContent".
    SandboxReply handle(const SandboxRequest &request, const QString &modelAndMethod);

    /// Every request received, oldest first (tests assert on them).
    [[nodiscard]] const QList<SandboxRequest> &requests() const { return m_requests; }
    void clearRequests() { m_requests.clear(); }

    /// Output size for a model/ratio/size tier; an invalid QSize when the combination is not supported.
    static QSize outputSize(const QString &model, const QString &aspectRatio, const QString &imageSize);
    /// Canonical id ("-preview" aliases folded), or empty for an unknown model.
    static QString canonicalModel(const QString &model);
    /// Most reference images the model accepts.
    static int maxReferenceImages(const QString &canonicalModel);

    /// A Google RPC error body: {"error":{"code","message","status","details"}}.
    static SandboxReply rpcError(int code, const QString &status, const QString &message,
                                 const QJsonArray &details = {});

private:
    SandboxReply answer(const QString &model, const QJsonObject &body, const QString &scenario);
    SandboxReply faultReply(const QString &scenario, const QString &model);

    FaultPlan *m_faults;
    QString m_validKey;
    QList<SandboxRequest> m_requests;
    int m_counter = 0;
};

} // namespace CalStudio
