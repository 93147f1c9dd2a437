#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace CalStudio {

/// One part of a multipart/form-data body.
struct MultipartPart {
    QString name;
    QString fileName;
    QByteArray contentType;
    QByteArray data;
};

/**
 * A minimal multipart/form-data parser (RFC 7578) for the OpenAI fake: enough
 * to see repeated `image[]` parts and text fields exactly as a client sent them.
 */
class MultipartForm {
public:
    /// Parses `body` given the request's Content-Type; nullopt when it is not well-formed multipart.
    static std::optional<MultipartForm> parse(const QByteArray &contentType, const QByteArray &body);

    [[nodiscard]] const QList<MultipartPart> &parts() const { return m_parts; }
    /// The text of the first part called `name`, or nullopt.
    [[nodiscard]] std::optional<QString> field(const QString &name) const;
    /// All parts called `name` (e.g. every `image[]`).
    [[nodiscard]] QList<MultipartPart> all(const QString &name) const;

private:
    QList<MultipartPart> m_parts;
};

} // namespace CalStudio
