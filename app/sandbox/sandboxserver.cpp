#include "app/sandbox/sandboxserver.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QScopeGuard>
#include <QTcpSocket>
#include <QTimer>

#include <memory>
#include <utility>

namespace CalStudio {

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    default:
        return "OTHER";
    }
}

SandboxReply jsonReply(int status, const QJsonObject &object)
{
    SandboxReply reply;
    reply.status = status;
    reply.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return reply;
}

} // namespace

SandboxServer::SandboxServer(const QString &validKey)
    : m_gemini(&m_faults, validKey)
    , m_openai(&m_faults, validKey)
    , m_replicate(&m_faults, validKey)
    , m_fal(&m_faults, validKey)
    , m_stripe(&m_faults, &m_stripeWebhooks)
    , m_printify(&m_faults, &m_printifyWebhooks)
{
    installRoutes();
}

quint16 SandboxServer::listen(const QHostAddress &address, quint16 port)
{
    return m_http.listen(address, port);
}

void SandboxServer::setStripeWebhook(const QUrl &url, const QByteArray &secret)
{
    if (url.isEmpty())
        m_stripeWebhooks.setEndpoints({});
    else
        m_stripeWebhooks.setEndpoints({StripeWebhookSender::Endpoint{url, secret}});
}

SandboxRequest SandboxServer::toSandboxRequest(const QHttpServerRequest &request)
{
    SandboxRequest result;
    result.method = methodName(request.method());
    result.path = request.url().path();
    result.query = request.query();
    result.headers = request.headers();
    result.body = request.body();
    return result;
}

void SandboxServer::installRoutes()
{
    using Method = QHttpServerRequest::Method;
    m_http.route(QStringLiteral("/v1beta/models/<arg>"), Method::Post,
                 [this](const QString &modelAndMethod, const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                     deliver(m_gemini.handle(toSandboxRequest(request), modelAndMethod), std::move(responder));
                 });
    m_http.route(QStringLiteral("/v1/images/edits"), Method::Post,
                 [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                     deliver(m_openai.handle(toSandboxRequest(request)), std::move(responder));
                 });
    m_http.route(QStringLiteral("/_sandbox/faults"), Method::Get | Method::Post | Method::Delete,
                 [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                     deliver(control(request), std::move(responder));
                 });
    m_http.route(QStringLiteral("/_sandbox/requests"), Method::Get,
                 [this](const QHttpServerRequest &, QHttpServerResponder &&responder) {
                     // A summary only: header names (not values, which hold keys) and body sizes.
                     QJsonArray list;
                     const auto add = [&list](const QString &api, const SandboxRequest &r) {
                         QJsonArray names;
                         for (const auto &h : r.headers)
                             names.append(QString::fromLatin1(h.first.toLower()));
                         list.append(QJsonObject{{QStringLiteral("api"), api},
                                                 {QStringLiteral("method"), QString::fromLatin1(r.method)},
                                                 {QStringLiteral("path"), r.path},
                                                 {QStringLiteral("headers"), names},
                                                 {QStringLiteral("bodyBytes"), qint64(r.body.size())}});
                     };
                     for (const SandboxRequest &r : m_gemini.requests())
                         add(QStringLiteral("gemini"), r);
                     for (const SandboxRequest &r : m_openai.requests())
                         add(QStringLiteral("openai"), r);
                     for (const SandboxRequest &r : m_replicate.requests())
                         add(QStringLiteral("replicate"), r);
                     for (const SandboxRequest &r : m_fal.requests())
                         add(QStringLiteral("fal"), r);
                     for (const SandboxRequest &r : m_stripe.requests())
                         add(QStringLiteral("stripe"), r);
                     for (const PrintifyFake::Recorded &r : m_printify.requests()) {
                         add(QStringLiteral("printify"), r.request);
                         // Upload bodies are kept cut short: report the size that arrived.
                         QJsonObject last = list.last().toObject();
                         last.insert(QStringLiteral("bodyBytes"), r.bodyBytes);
                         list.replace(list.size() - 1, last);
                     }
                     deliver(jsonReply(200, QJsonObject{{QStringLiteral("requests"), list}}), std::move(responder));
                 });
    m_http.setMissingHandler([this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        // Replicate and fal.ai paths have variable depth: dispatched by prefix.
        const QString path = request.url().path();
        if (path.startsWith(QLatin1String("/v1/models/")) || path == QLatin1String("/v1/predictions")
            || path.startsWith(QLatin1String("/v1/predictions/")) || path.startsWith(QLatin1String(ReplicateFake::FilePrefix))) {
            deliver(m_replicate.handle(toSandboxRequest(request)), std::move(responder));
            return;
        }
        if (StripeFake::handles(path)) {
            deliver(m_stripe.handle(toSandboxRequest(request)), std::move(responder));
            return;
        }
        if (PrintifyFake::handles(path)) {
            deliver(m_printify.handle(toSandboxRequest(request)), std::move(responder));
            return;
        }
        if (path.startsWith(QLatin1String(FalFake::PathPrefix) + QLatin1Char('/'))) {
            deliver(m_fal.handle(toSandboxRequest(request)), std::move(responder));
            return;
        }
        responder.write(QJsonDocument(QJsonObject{{QStringLiteral("error"),
                                                   QJsonObject{{QStringLiteral("code"), 404},
                                                               {QStringLiteral("message"),
                                                                QStringLiteral("No sandbox route for %1").arg(request.url().path())},
                                                               {QStringLiteral("status"), QStringLiteral("NOT_FOUND")}}}}),
                        QHttpServerResponder::StatusCode::NotFound);
    });
}

SandboxReply SandboxServer::control(const QHttpServerRequest &request)
{
    if (request.method() == QHttpServerRequest::Method::Delete)
        m_faults.clear();
    if (request.method() == QHttpServerRequest::Method::Post) {
        const QString error = m_faults.apply(request.body());
        if (!error.isEmpty())
            return jsonReply(400, QJsonObject{{QStringLiteral("error"), error}});
    }
    return jsonReply(200, QJsonObject{{QStringLiteral("faults"), m_faults.toJson()}});
}

void SandboxServer::deliver(SandboxReply reply, QHttpServerResponder &&responder)
{
    // QHttpServer 6.4 keeps the connection open for as long as the responder is alive, so a
    // delayed answer keeps the responder in a shared_ptr and writes from a timer. The socket
    // is watched with a QPointer: a client that timed out and aborted has deleted it.
    auto shared = std::make_shared<QHttpServerResponder>(std::move(responder));
    QPointer<QTcpSocket> socket = shared->socket();
    deliver(std::move(reply), std::move(shared), std::move(socket));
}

void SandboxServer::deliver(
    SandboxReply reply, std::shared_ptr<QHttpServerResponder> shared, QPointer<QTcpSocket> socket)
{
    if (reply.deferred) {
        // The fake answers later (after its own I/O); the responder waits in the callback meanwhile.
        auto deferred = std::move(reply.deferred);
        auto called = std::make_shared<bool>(false);
        deferred([this, shared, socket, called](SandboxReply later) {
            if (std::exchange(*called, true))
                return;
            deliver(std::move(later), shared, socket);
        });
        return;
    }
    auto send = [shared, socket, reply = std::move(reply)]() mutable {
        // Whatever happens below, the request is no longer in flight for the fake.
        const auto finished = qScopeGuard([&reply] {
            if (reply.finished)
                reply.finished();
        });
        if (!socket || socket->state() != QAbstractSocket::ConnectedState)
            return;
        if (reply.drop) {
            // Nothing at all comes back: the client sees the connection closed after its request.
            socket->abort();
            return;
        }
        shared->writeStatusLine(QHttpServerResponder::StatusCode(reply.status));
        for (const auto &header : std::as_const(reply.headers))
            shared->writeHeader(header.first, header.second);
        shared->writeHeader("Content-Type", reply.contentType);
        shared->writeHeader("Content-Length", QByteArray::number(reply.body.size()));
        shared->writeBody(reply.body);
    };
    if (reply.delay.count() > 0)
        QTimer::singleShot(reply.delay, &m_http, std::move(send));
    else
        send();
}

} // namespace CalStudio
