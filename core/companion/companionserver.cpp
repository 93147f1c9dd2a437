#include "core/companion/companionserver.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QPointer>
#include <QRegularExpression>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpSocket>

namespace CalStudio {

namespace {

QString newRequestId()
{
    return QStringLiteral("req_%1").arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'));
}

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    case QHttpServerRequest::Method::Connect:
        return "CONNECT";
    case QHttpServerRequest::Method::Trace:
        return "TRACE";
    default:
        return "UNKNOWN";
    }
}

/// The client's address: the peer, or — when the peer is a trusted proxy — the
/// last address in its X-Forwarded-For (the one the proxy itself saw).
QString clientAddress(const QHttpServerRequest &request, const QList<QHostAddress> &trustedProxies)
{
    const QHostAddress peer = request.remoteAddress();
    const bool trusted = std::any_of(trustedProxies.begin(), trustedProxies.end(),
        [&](const QHostAddress &p) { return p.isEqual(peer, QHostAddress::TolerantConversion); });
    if (trusted) {
        const QByteArray forwarded = request.value("X-Forwarded-For");
        const QHostAddress client(QString::fromLatin1(forwarded.split(',').last().trimmed()));
        if (!forwarded.isEmpty() && !client.isNull())
            return client.toString();
    }
    return peer.toString();
}

} // namespace

CompanionServer::CompanionServer(CompanionConfig config, std::shared_ptr<OrderStore> store, JsonLog *log, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_store(std::move(store))
    , m_log(log)
{
    m_pool.setMaxThreadCount(m_config.workerThreads);
    // Database connections are per thread; keep the threads instead of reconnecting.
    m_pool.setExpiryTimeout(-1);
    m_api = std::make_unique<CompanionApi>(m_config, m_store, m_log,
        [this](std::function<void()> work) { m_pool.start(std::move(work)); });
    m_http.setMissingHandler([this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        dispatch(request, std::move(responder));
    });
    connect(&m_pendingEvents, &QTimer::timeout, this, [this] {
        m_pool.start([this] {
            m_api->processPendingEvents();
            m_api->reloadCatalog(); // picks up `admin sync-catalog` too
        });
    });
    m_pendingEvents.start(std::chrono::minutes(1));
    m_pool.start([this] {
        if (const int n = m_api->processPendingEvents(); n > 0 && m_log)
            m_log->info(QStringLiteral("stripe_events_resumed"), { { QStringLiteral("count"), n } });
    });
    m_api->reloadCatalog();

    if (!m_config.printifyApiToken.isEmpty() && !m_config.printifyShopId.isEmpty()) {
        m_worker = std::make_unique<FulfillmentWorker>(m_config, m_store, m_log, &m_pool);
        FulfillmentWorker *worker = m_worker.get();
        m_api->setPrintifyHintHandler([worker](const QString &orderId) { (void)worker->syncFromPrintify(orderId); });
        m_api->setRetryHandler([worker](const QString &orderId) { return worker->retry(orderId, QStringLiteral("admin")); });
        auto syncCatalog = [this, worker] {
            if (auto result = worker->syncCatalog(); !result && m_log) {
                m_log->error(QStringLiteral("catalog_sync_failed"), { { QStringLiteral("code"), result.error().code },
                                                                       { QStringLiteral("detail"), result.error().detail } });
            }
            m_api->reloadCatalog();
        };
        m_pool.start(syncCatalog);
        worker->start();
        // Hourly: old print files; every sixth hour the catalog is read from Printify again.
        connect(&m_housekeeping, &QTimer::timeout, this, [this, worker, syncCatalog] {
            static int hours = 0;
            if (++hours % 6 == 0)
                m_pool.start(syncCatalog);
            m_pool.start([worker] { worker->deleteOldFiles(); });
        });
        m_housekeeping.start(std::chrono::hours(1));
    }
}

CompanionServer::~CompanionServer()
{
    m_pendingEvents.stop();
    m_housekeeping.stop();
    if (m_worker)
        m_worker->stop();
    m_pool.waitForDone();
}

Result<quint16> CompanionServer::listen()
{
    return listen(m_config.listenAddress, m_config.listenPort);
}

Result<quint16> CompanionServer::listen(const QHostAddress &address, quint16 port)
{
    if (!m_config.tlsCertificateFile.isEmpty()) {
        QFile certFile(m_config.tlsCertificateFile);
        QFile keyFile(m_config.tlsKeyFile);
        if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
            return Error(QStringLiteral("tls_unreadable"), QStringLiteral("The TLS certificate or key cannot be read."),
                m_config.tlsCertificateFile);
        }
        const QSslCertificate certificate(&certFile, QSsl::Pem);
        QSslKey key(&keyFile, QSsl::Rsa, QSsl::Pem);
        if (key.isNull()) {
            keyFile.seek(0);
            key = QSslKey(&keyFile, QSsl::Ec, QSsl::Pem);
        }
        if (certificate.isNull() || key.isNull())
            return Error(QStringLiteral("tls_invalid"), QStringLiteral("The TLS certificate or key is not valid PEM."));
        m_http.sslSetup(certificate, key);
    }
    const quint16 bound = m_http.listen(address, port);
    if (bound == 0) {
        return Error(QStringLiteral("listen_failed"),
            QStringLiteral("Cannot listen on %1:%2 — is another server using the port?").arg(address.toString()).arg(port));
    }
    if (m_log) {
        m_log->info(QStringLiteral("listening"), { { QStringLiteral("address"), address.toString() },
                                                    { QStringLiteral("port"), bound },
                                                    { QStringLiteral("mode"), m_config.mode() },
                                                    { QStringLiteral("tls"), !m_config.tlsCertificateFile.isEmpty() } });
    }
    return bound;
}

void CompanionServer::dispatch(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    ApiRequest r;
    r.method = methodName(request.method());
    r.path = request.url().path();
    r.query = request.query();
    r.headers = request.headers();
    r.body = request.body();
    r.remoteAddress = clientAddress(request, m_config.trustedProxies);
    const QByteArray given = request.value("X-Request-Id");
    static const QRegularExpression safeId(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    r.requestId = safeId.match(QString::fromLatin1(given)).hasMatch() ? QString::fromLatin1(given) : newRequestId();

    auto shared = std::make_shared<QHttpServerResponder>(std::move(responder));
    QPointer<QTcpSocket> socket = shared->socket();
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    m_pool.start([this, r = std::move(r), shared, socket, timer]() mutable {
        ApiResponse response = m_api->handle(r);
        if (m_log) {
            m_log->info(QStringLiteral("request"), { { QStringLiteral("request_id"), r.requestId },
                                                      { QStringLiteral("method"), QString::fromLatin1(r.method) },
                                                      { QStringLiteral("path"), r.path },
                                                      { QStringLiteral("status"), response.status },
                                                      { QStringLiteral("ms"), double(timer->nsecsElapsed() / 100000) / 10.0 },
                                                      { QStringLiteral("remote"), r.remoteAddress } });
        }
        response.headers.append({ QByteArray("X-Request-Id"), r.requestId.toLatin1() });
        if (r.method == "HEAD")
            response.body.clear();
        // The responder belongs to the socket's thread: write from there.
        QMetaObject::invokeMethod(&m_http, [shared, socket, response = std::move(response)] {
            if (!socket || socket->state() != QAbstractSocket::ConnectedState)
                return;
            shared->writeStatusLine(QHttpServerResponder::StatusCode(response.status));
            for (const auto &header : response.headers)
                shared->writeHeader(header.first, header.second);
            shared->writeHeader("Content-Type", response.contentType);
            shared->writeHeader("Content-Length", QByteArray::number(response.body.size()));
            if (response.header("Cache-Control").isEmpty())
                shared->writeHeader("Cache-Control", "no-store");
            shared->writeBody(response.body);
        }, Qt::QueuedConnection);
    });
}

} // namespace CalStudio
