#pragma once

#include <QJsonObject>
#include <QMutex>
#include <QString>

#include <cstdio>
#include <functional>

namespace CalStudio {

/**
 * Structured logs of the companion: one JSON object per line
 * (`{"ts":…,"level":…,"event":…,"request_id":…,…}`), ready for journald,
 * Loki or `jq`. Thread-safe; each line is written whole.
 *
 * Secrets never reach a log line: before writing, every field whose name
 * says it holds a secret or personal data (token, secret, key, password,
 * authorization, signature, email, phone, name, address, card, shipping,
 * customer) is dropped, recursively. Callers still should not pass such
 * values; the filter is the second line of defence, and tests assert on it.
 */
class JsonLog {
public:
    enum class Level { Debug, Info, Warning, Error };

    /// Writes to stderr by default.
    JsonLog();
    /// Writes every line to `sink` instead (tests capture the output this way).
    explicit JsonLog(std::function<void(const QByteArray &line)> sink);

    void setMinimumLevel(Level level) { m_minimum = level; }

    void write(Level level, const QString &event, QJsonObject fields = {});
    void info(const QString &event, QJsonObject fields = {}) { write(Level::Info, event, std::move(fields)); }
    void warning(const QString &event, QJsonObject fields = {}) { write(Level::Warning, event, std::move(fields)); }
    void error(const QString &event, QJsonObject fields = {}) { write(Level::Error, event, std::move(fields)); }

    /// Whether a field of this name is dropped (see the class comment).
    static bool isSensitiveField(const QString &name);
    /// `fields` without sensitive fields, recursively.
    static QJsonObject redacted(const QJsonObject &fields);

private:
    std::function<void(const QByteArray &)> m_sink;
    Level m_minimum = Level::Info;
    QMutex m_mutex;
};

} // namespace CalStudio
