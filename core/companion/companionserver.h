#pragma once

#include "core/common/result.h"
#include "core/companion/companionapi.h"
#include "core/companion/fulfillmentworker.h"
#include "core/companion/jsonlog.h"

#include <QHttpServer>
#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <memory>

class QHttpServerRequest;
class QHttpServerResponder;

namespace CalStudio {

/**
 * Puts CompanionApi on the network: one QHttpServer (TLS when configured),
 * a dedicated worker pool on which every request is handled, and an access
 * log line per request (JSON, with its request id, never a body or token).
 *
 * QHttpServer 6.4 routes answer 404 for a wrong method and cannot carry a
 * request id into the response, so all requests go through one handler that
 * hands them to CompanionApi, whose own table answers 404 and 405. The
 * socket thread only copies the request and writes the answer; a slow
 * Stripe call or upload check never holds up other clients. Stripe events
 * left unprocessed (a crash after recording one) are retried at start and
 * every minute.
 */
class CompanionServer : public QObject {
    Q_OBJECT
public:
    CompanionServer(CompanionConfig config, std::shared_ptr<OrderStore> store, JsonLog *log, QObject *parent = nullptr);
    ~CompanionServer() override;

    /// Listens on the configured address and port (port 0: any free port). Returns the port.
    Result<quint16> listen();
    /// Like listen(), on an explicit address and port (tests).
    Result<quint16> listen(const QHostAddress &address, quint16 port);

    CompanionApi &api() { return *m_api; }
    /// Null when Printify is not configured (no token or shop id): orders are then only taken and paid.
    FulfillmentWorker *fulfillment() { return m_worker.get(); }
    QThreadPool &pool() { return m_pool; }

private:
    void dispatch(const QHttpServerRequest &request, QHttpServerResponder &&responder);

    CompanionConfig m_config;
    std::shared_ptr<OrderStore> m_store;
    JsonLog *m_log;
    QThreadPool m_pool;
    std::unique_ptr<CompanionApi> m_api;
    std::unique_ptr<FulfillmentWorker> m_worker;
    QTimer m_housekeeping;
    QHttpServer m_http;
    QTimer m_pendingEvents;
};

} // namespace CalStudio
