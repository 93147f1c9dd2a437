#pragma once

#include "app/sandbox/falfake.h"
#include "app/sandbox/faultplan.h"
#include "app/sandbox/geminifake.h"
#include "app/sandbox/openaifake.h"
#include "app/sandbox/replicatefake.h"
#include "app/sandbox/sandboxtypes.h"

#include <QHostAddress>
#include <QHttpServer>

class QHttpServerRequest;
class QHttpServerResponder;

namespace CalStudio {

/**
 * The sandbox's routes on one QHttpServer: Gemini, OpenAI, Replicate and fal.ai
 * fakes (the last two are reached by path prefix: `/v1/models/`, `/v1/predictions`,
 * `/replicate-files/` and `/fal/`, whose variable-depth paths QHttpServer 6.4
 * routes cannot express) plus the
 * control endpoints `POST|GET|DELETE /_sandbox/faults` and
 * `GET /_sandbox/requests`. Used by calstudio-sandbox and, in-process on an
 * OS-chosen port, by the provider tests. Route lambdas only convert the
 * request and hand it to a fake; delivery of a SandboxReply (delays, dropped
 * connections) happens in deliver().
 */
class SandboxServer {
public:
    explicit SandboxServer(const QString &validKey = QStringLiteral("sandbox-key"));

    /// Listens on `address:port` (0 = OS-chosen); returns the port, 0 on failure.
    quint16 listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);

    FaultPlan &faults() { return m_faults; }
    GeminiFake &gemini() { return m_gemini; }
    OpenAIFake &openai() { return m_openai; }
    ReplicateFake &replicate() { return m_replicate; }
    FalFake &fal() { return m_fal; }

    static SandboxRequest toSandboxRequest(const QHttpServerRequest &request);

private:
    void installRoutes();
    void deliver(SandboxReply reply, QHttpServerResponder &&responder);
    SandboxReply control(const QHttpServerRequest &request);

    FaultPlan m_faults;
    GeminiFake m_gemini;
    OpenAIFake m_openai;
    ReplicateFake m_replicate;
    FalFake m_fal;
    QHttpServer m_http;
};

} // namespace CalStudio
