#pragma once

#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>
#include <optional>

namespace CalStudio {

/**
 * One scripted misbehaviour. `api` limits it to "gemini", "openai",
 * "replicate", "fal", "stripe" or "printify" (empty = the next request of any
 * API that implements the scenario); `count` is how
 * many requests it affects (-1 = every request until cleared); `delay` is
 * waited before the (possibly faulty) answer is sent. The Gemini and OpenAI
 * fakes take a fault on every request; the Replicate and fal.ai fakes take it
 * when a job is submitted, and it then shapes that job's whole life (its
 * polls, result and output file); the Stripe fake takes it on every `/v1/`
 * API request (not on the hosted page or the control routes); the Printify
 * fake takes it on the next `/v1/`/`/v2/` request it applies to (the create
 * scenarios wait for an orders.json or products.json POST, `validation` for a
 * POST) whose "METHOD /path" contains `match` when that is set (printify only,
 * e.g. "send_to_production" or "POST /v1/shops/12345/orders.json").
 */
struct Fault {
    QString api;
    QString scenario;
    int count = 1;
    std::chrono::milliseconds delay{0};
    QString match = {}; ///< printify only: a substring of "METHOD /path" the request must contain
};

/**
 * The queue of faults tests and demos script, consumed in order by the fakes.
 * Filled from `--fault` options at start-up and from `POST /_sandbox/faults`
 * at run time. Each API accepts the scenarios its fake implements, in its own
 * wire shape (scenariosFor(); what each does: helpText()):
 *
 * - the four image APIs: invalid-key, permission, not-found, rate-limit,
 *   quota, bad-request, server-error, unavailable, html-502, prompt-block,
 *   safety, slow, drop, huge;
 * - gemini: text-only, thoughts;
 * - replicate and fal: rate-limit-no-hint, text-only, stuck-processing;
 *   replicate: output-array, expired, sync; fal: nsfw-flag, result-error;
 * - stripe: invalid-key, rate-limit, rate-limit-no-hint, lock-timeout,
 *   server-error, unavailable, html-502, slow, drop;
 * - printify: invalid-key, rate-limit, server-error, unavailable, html-502,
 *   slow, drop, timeout-after-create, drop-after-create, validation.
 */
class FaultPlan {
public:
    /// "gemini", "openai", "replicate", "fal", "stripe", "printify".
    static const QStringList &apis();
    /// Every scenario some fake implements.
    static const QStringList &knownScenarios();
    /// The scenarios the fake of `api` implements; knownScenarios() for an empty `api` (any API).
    static QStringList scenariosFor(const QString &api);
    /// Scenarios per API and what each does, for `calstudio-sandbox --help`.
    static QString helpText();

    /// Parses `[API:]SCENARIO[,count=N][,delay=MS][,match=TEXT]`, e.g. "gemini:rate-limit",
    /// "slow,delay=400000" or "printify:server-error,match=send_to_production".
    static std::optional<Fault> parseSpec(const QString &spec, QString *error = nullptr);
    /// Parses `{"api","scenario","count","delayMs","match"}`.
    static std::optional<Fault> fromJson(const QJsonObject &object, QString *error = nullptr);

    void push(const Fault &fault);
    void clear();
    /// Applies a control request: a fault object, or `{"clear":bool,"faults":[…]}`. Returns an error text or empty.
    QString apply(const QByteArray &json);

    /// The fault for the next request of `api`, if any (a fault without an api only when `api`
    /// implements its scenario); consumes one use of it.
    std::optional<Fault> take(const QString &api);
    /// Like take(api), but only a fault whose `match` (if any) is in `requestLine` ("METHOD /path") and whose
    /// scenario `applies` to this request (null = all do); faults that do not apply wait for a later request.
    std::optional<Fault> take(const QString &api, const QString &requestLine,
                              const std::function<bool(const QString &scenario)> &applies);

    [[nodiscard]] QJsonArray toJson() const;
    [[nodiscard]] bool isEmpty() const { return m_faults.isEmpty(); }

private:
    QList<Fault> m_faults;
};

} // namespace CalStudio
