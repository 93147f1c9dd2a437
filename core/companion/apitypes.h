#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

namespace CalStudio {

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

/**
 * One HTTP request as the companion's handlers see it: a plain value, so
 * CompanionApi can be tested without sockets. CompanionServer fills it from
 * QHttpServerRequest; `requestId` is the id that every log line of this
 * request carries and that the response returns as `X-Request-Id`.
 */
struct ApiRequest {
    QByteArray method = "GET";
    QString path; ///< decoded path, no query
    QUrlQuery query;
    HttpHeaders headers;
    QByteArray body;
    QString remoteAddress; ///< the client's IP (the rate limits key on it)
    QString requestId;

    /// Case-insensitive header lookup; empty when absent.
    [[nodiscard]] QByteArray header(const QByteArray &name) const;
    /// The token of an `Authorization: Bearer <token>` header; empty when absent or another scheme.
    [[nodiscard]] QString bearerToken() const;
    /// The media type of Content-Type without parameters, lower case ("application/json").
    [[nodiscard]] QByteArray mediaType() const;
};

/// What a handler answers. Errors use the body `{"error":{"code","message"}}`.
struct ApiResponse {
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    HttpHeaders headers;

    static ApiResponse json(int status, const QJsonObject &object);
    static ApiResponse error(int status, const QString &code, const QString &message);
    static ApiResponse html(int status, const QByteArray &page);

    [[nodiscard]] QByteArray header(const QByteArray &name) const;
    /// The body parsed as a JSON object (empty when it is not one) — for tests and tools.
    [[nodiscard]] QJsonObject jsonBody() const;
};

} // namespace CalStudio
