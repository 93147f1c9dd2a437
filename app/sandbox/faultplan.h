#pragma once

#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

namespace CalStudio {

/**
 * One scripted misbehaviour. `api` limits it to "gemini" or "openai" (empty =
 * the next request of any API); `count` is how many requests it affects (-1 =
 * every request until cleared); `delay` is waited before the (possibly faulty)
 * answer is sent.
 */
struct Fault {
    QString api;
    QString scenario;
    int count = 1;
    std::chrono::milliseconds delay{0};
};

/**
 * The queue of faults tests and demos script, consumed in order by the fakes.
 * Filled from `--fault` options at start-up and from `POST /_sandbox/faults`
 * at run time. Scenarios (see knownScenarios()): invalid-key, permission,
 * not-found, rate-limit, quota, bad-request, server-error, unavailable,
 * html-502, prompt-block, safety, text-only, thoughts, slow, drop, huge.
 */
class FaultPlan {
public:
    static const QStringList &knownScenarios();

    /// Parses `[API:]SCENARIO[,count=N][,delay=MS]`, e.g. "gemini:rate-limit" or "slow,delay=400000".
    static std::optional<Fault> parseSpec(const QString &spec, QString *error = nullptr);
    /// Parses `{"api","scenario","count","delayMs"}`.
    static std::optional<Fault> fromJson(const QJsonObject &object, QString *error = nullptr);

    void push(const Fault &fault);
    void clear();
    /// Applies a control request: a fault object, or `{"clear":bool,"faults":[…]}`. Returns an error text or empty.
    QString apply(const QByteArray &json);

    /// The fault for the next request of `api`, if any; consumes one use of it.
    std::optional<Fault> take(const QString &api);

    [[nodiscard]] QJsonArray toJson() const;
    [[nodiscard]] bool isEmpty() const { return m_faults.isEmpty(); }

private:
    QList<Fault> m_faults;
};

} // namespace CalStudio
