#include "core/companion/jsonlog.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

namespace CalStudio {

namespace {

QString levelName(JsonLog::Level level)
{
    switch (level) {
    case JsonLog::Level::Debug:
        return QStringLiteral("debug");
    case JsonLog::Level::Info:
        return QStringLiteral("info");
    case JsonLog::Level::Warning:
        return QStringLiteral("warning");
    case JsonLog::Level::Error:
        return QStringLiteral("error");
    }
    return QStringLiteral("info");
}

QJsonValue redactedValue(const QJsonValue &value)
{
    if (value.isObject())
        return JsonLog::redacted(value.toObject());
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue &v : value.toArray())
            out.append(redactedValue(v));
        return out;
    }
    return value;
}

} // namespace

JsonLog::JsonLog()
    : m_sink([](const QByteArray &line) {
        std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
        std::fflush(stderr);
    })
{
}

JsonLog::JsonLog(std::function<void(const QByteArray &)> sink)
    : m_sink(std::move(sink))
{
}

bool JsonLog::isSensitiveField(const QString &name)
{
    static const QStringList words = {
        QStringLiteral("token"), QStringLiteral("secret"), QStringLiteral("key"), QStringLiteral("password"),
        QStringLiteral("authorization"), QStringLiteral("signature"), QStringLiteral("email"), QStringLiteral("phone"),
        QStringLiteral("name"), QStringLiteral("address"), QStringLiteral("card"), QStringLiteral("shipping"),
        QStringLiteral("customer"), QStringLiteral("cookie"),
    };
    const QString lower = name.toLower();
    for (const QString &w : words) {
        if (lower.contains(w))
            return true;
    }
    return false;
}

QJsonObject JsonLog::redacted(const QJsonObject &fields)
{
    QJsonObject out;
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        if (!isSensitiveField(it.key()))
            out.insert(it.key(), redactedValue(it.value()));
    }
    return out;
}

void JsonLog::write(Level level, const QString &event, QJsonObject fields)
{
    if (int(level) < int(m_minimum))
        return;
    QJsonObject line = redacted(fields);
    line.insert(QStringLiteral("ts"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    line.insert(QStringLiteral("level"), levelName(level));
    line.insert(QStringLiteral("event"), event);
    QByteArray bytes = QJsonDocument(line).toJson(QJsonDocument::Compact);
    bytes.append('\n');
    QMutexLocker lock(&m_mutex);
    m_sink(bytes);
}

} // namespace CalStudio
