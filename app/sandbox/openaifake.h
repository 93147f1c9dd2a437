#pragma once

#include "app/sandbox/sandboxtypes.h"

#include <QSize>

namespace CalStudio {

class FaultPlan;

/**
 * Fake of OpenAI `POST /v1/images/edits` (EXTERNAL_APIS.md 3.d and 4.6):
 * checks `Authorization: Bearer` first, parses multipart/form-data with
 * repeated `image[]` parts (or a single `image`), validates model, prompt and
 * size per model, and answers `{"created","data":[{"b64_json"}],"usage",…}`
 * with a real image of the requested size, or the `{"error":{message,type,
 * param,code}}` shapes a FaultPlan scripts. Never touches sockets.
 */
class OpenAIFake {
public:
    OpenAIFake(FaultPlan *faults, QString validKey);

    SandboxReply handle(const SandboxRequest &request);

    [[nodiscard]] const QList<SandboxRequest> &requests() const { return m_requests; }
    void clearRequests() { m_requests.clear(); }

    /// Output size for `size` on `model`; invalid when the model does not accept it.
    static QSize outputSize(const QString &model, const QString &size);

    static SandboxReply error(int status, const QString &message, const QString &type, const QString &code,
                              const QString &param = {});

private:
    SandboxReply faultReply(const QString &scenario, const QString &model);

    FaultPlan *m_faults;
    QString m_validKey;
    QList<SandboxRequest> m_requests;
    int m_counter = 0;
};

} // namespace CalStudio
