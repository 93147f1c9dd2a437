#include "app/sandbox/multipartform.h"

namespace CalStudio {

static QByteArray parameter(const QByteArray &headerValue, const QByteArray &name)
{
    const QList<QByteArray> items = headerValue.split(';');
    for (const QByteArray &raw : items) {
        const QByteArray item = raw.trimmed();
        if (!item.startsWith(QByteArray(name + '=')))
            continue;
        QByteArray value = item.mid(name.size() + 1);
        if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
            value = value.mid(1, value.size() - 2);
        return value;
    }
    return {};
}

std::optional<MultipartForm> MultipartForm::parse(const QByteArray &contentType, const QByteArray &body)
{
    if (!contentType.trimmed().toLower().startsWith("multipart/form-data"))
        return std::nullopt;
    const QByteArray boundary = parameter(contentType, "boundary");
    if (boundary.isEmpty())
        return std::nullopt;
    const QByteArray delimiter = QByteArray("--" + boundary);

    MultipartForm form;
    qsizetype pos = body.indexOf(delimiter);
    if (pos < 0)
        return std::nullopt;
    while (true) {
        pos += delimiter.size();
        if (body.mid(pos, 2) == "--")
            return form; // closing delimiter
        if (body.mid(pos, 2) != "\r\n")
            return std::nullopt;
        pos += 2;
        const qsizetype headerEnd = body.indexOf("\r\n\r\n", pos);
        if (headerEnd < 0)
            return std::nullopt;
        MultipartPart part;
        const QList<QByteArray> headerLines = body.mid(pos, headerEnd - pos).split('\n');
        for (const QByteArray &rawLine : headerLines) {
            const QByteArray line = rawLine.trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon < 0)
                continue;
            const QByteArray key = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (key == "content-disposition") {
                part.name = QString::fromUtf8(parameter(value, "name"));
                part.fileName = QString::fromUtf8(parameter(value, "filename"));
            } else if (key == "content-type") {
                part.contentType = value;
            }
        }
        const qsizetype dataStart = headerEnd + 4;
        const qsizetype next = body.indexOf(QByteArray("\r\n" + delimiter), dataStart);
        if (next < 0)
            return std::nullopt;
        part.data = body.mid(dataStart, next - dataStart);
        form.m_parts.append(part);
        pos = next + 2;
    }
}

std::optional<QString> MultipartForm::field(const QString &name) const
{
    for (const MultipartPart &part : m_parts) {
        if (part.name == name)
            return QString::fromUtf8(part.data);
    }
    return std::nullopt;
}

QList<MultipartPart> MultipartForm::all(const QString &name) const
{
    QList<MultipartPart> result;
    for (const MultipartPart &part : m_parts) {
        if (part.name == name)
            result.append(part);
    }
    return result;
}

} // namespace CalStudio
