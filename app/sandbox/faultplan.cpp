#include "app/sandbox/faultplan.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>

namespace CalStudio {

namespace {

struct ScenarioInfo {
    const char *name;
    const char *description;
};

// One table for validation, --help and the docs, so they cannot drift apart.
const QList<ScenarioInfo> &scenarioTable()
{
    static const QList<ScenarioInfo> table{
        {"invalid-key", "the key is refused: 401 in the API's shape (Gemini: 400 API_KEY_INVALID)"},
        {"permission", "403: the key may not use this model (Gemini PERMISSION_DENIED, OpenAI org not verified)"},
        {"not-found", "404: unknown model"},
        {"rate-limit", "429 with a retry hint (Retry-After: 7; Gemini RetryInfo 7s; fal Retry-After: 5; "
                       "Stripe code rate_limit with Retry-After: 1; Printify X-RateLimit-Limit and Retry-After: 1)"},
        {"rate-limit-no-hint", "429 without any retry hint"},
        {"quota", "billing or quota used up (Gemini daily quota, OpenAI insufficient_quota, Replicate 402, "
                  "fal 403 \"User is locked\")"},
        {"bad-request", "invalid input: 400 (Gemini, OpenAI) or 422 (Replicate invalid_fields, fal FastAPI detail[])"},
        {"server-error", "500 with a JSON body (Stripe: api_error, saved under the Idempotency-Key as Stripe "
                         "saves 500s; Printify: the request is not executed)"},
        {"lock-timeout", "429 with code lock_timeout (Stripe's lock contention)"},
        {"unavailable", "503: overloaded"},
        {"html-502", "502 with an HTML body, as a proxy sends it"},
        {"prompt-block", "the prompt is refused (Gemini promptFeedback.blockReason, OpenAI moderation_blocked, "
                         "Replicate prediction fails at once \"flagged as sensitive (E005)\", fal 422 "
                         "content_policy_violation on submit)"},
        {"safety", "the image is refused (Gemini IMAGE_SAFETY, OpenAI moderation_blocked, Replicate prediction "
                   "ends failed with an NSFW error, fal result GET 422 content_policy_violation)"},
        {"text-only", "an answer without an image (Gemini NO_IMAGE, Replicate output null, fal images:[])"},
        {"thoughts", "interim thought parts (text and a draft image) before the real image"},
        {"nsfw-flag", "a result with has_nsfw_concepts [true]"},
        {"result-error", "the result GET after COMPLETED answers 500"},
        {"stuck-processing", "the job never finishes (for deadline and cancel tests)"},
        {"output-array", "output as an array of URLs instead of one URL"},
        {"expired", "the output URL has already expired (404)"},
        {"sync", "the prediction finishes within Prefer: wait (no polling)"},
        {"slow", "the answer (for Replicate and fal the submit answer) comes after delay ms, 10 s by default: "
                 "beyond a short client timeout (Stripe: the request executes at once and its Idempotency-Key "
                 "stays in flight until the answer is sent; Printify: any request executes at once)"},
        {"drop", "the connection is closed without an answer (after delay ms; Stripe: after executing; Printify: "
                 "without executing)"},
        {"timeout-after-create", "a create POST (Printify orders.json or products.json) is executed, so the order "
                                 "or product exists, but the answer is held for delay ms, 10 s by default: beyond "
                                 "the client's timeout"},
        {"drop-after-create", "a create POST (Printify orders.json or products.json) is executed, then the "
                              "connection is closed without an answer (after delay ms)"},
        {"validation", "the next POST is refused with Printify's 400 code 8150 \"Validation failed.\" without "
                       "being executed"},
        {"huge", "a noisy 4K image of about 16 MB of PNG (Gemini, OpenAI: base64 in the JSON; Replicate, fal: "
                 "the output file); ask for 4K to get 4096 px"},
    };
    return table;
}

const QHash<QString, QStringList> &scenariosByApi()
{
    static const QStringList common{
        QStringLiteral("invalid-key"), QStringLiteral("permission"), QStringLiteral("not-found"),
        QStringLiteral("rate-limit"), QStringLiteral("quota"), QStringLiteral("bad-request"),
        QStringLiteral("server-error"), QStringLiteral("unavailable"), QStringLiteral("html-502"),
        QStringLiteral("prompt-block"), QStringLiteral("safety"), QStringLiteral("slow"),
        QStringLiteral("drop"), QStringLiteral("huge"),
    };
    static const QStringList queued{QStringLiteral("rate-limit-no-hint"), QStringLiteral("text-only"),
                                    QStringLiteral("stuck-processing")};
    static const QHash<QString, QStringList> byApi{
        {QStringLiteral("gemini"), common + QStringList{QStringLiteral("text-only"), QStringLiteral("thoughts")}},
        {QStringLiteral("openai"), common},
        {QStringLiteral("replicate"),
         common + queued
             + QStringList{QStringLiteral("output-array"), QStringLiteral("expired"), QStringLiteral("sync")}},
        {QStringLiteral("fal"),
         common + queued + QStringList{QStringLiteral("nsfw-flag"), QStringLiteral("result-error")}},
        {QStringLiteral("stripe"),
         QStringList{QStringLiteral("invalid-key"), QStringLiteral("rate-limit"), QStringLiteral("rate-limit-no-hint"),
                     QStringLiteral("lock-timeout"), QStringLiteral("server-error"), QStringLiteral("unavailable"),
                     QStringLiteral("html-502"), QStringLiteral("slow"), QStringLiteral("drop")}},
        {QStringLiteral("printify"),
         QStringList{QStringLiteral("invalid-key"), QStringLiteral("rate-limit"), QStringLiteral("server-error"),
                     QStringLiteral("unavailable"), QStringLiteral("html-502"), QStringLiteral("slow"),
                     QStringLiteral("drop"), QStringLiteral("timeout-after-create"),
                     QStringLiteral("drop-after-create"), QStringLiteral("validation")}},
    };
    return byApi;
}

} // namespace

const QStringList &FaultPlan::apis()
{
    static const QStringList names{QStringLiteral("gemini"), QStringLiteral("openai"), QStringLiteral("replicate"),
                                   QStringLiteral("fal"), QStringLiteral("stripe"), QStringLiteral("printify")};
    return names;
}

const QStringList &FaultPlan::knownScenarios()
{
    static const QStringList scenarios = [] {
        QStringList names;
        for (const ScenarioInfo &info : scenarioTable())
            names.append(QString::fromLatin1(info.name));
        return names;
    }();
    return scenarios;
}

QStringList FaultPlan::scenariosFor(const QString &api)
{
    if (api.isEmpty())
        return knownScenarios();
    return scenariosByApi().value(api);
}

QString FaultPlan::helpText()
{
    // Wrapped to 100 columns with a hanging indent, so the list stays readable in a terminal.
    const auto wrapped = [](const QString &head, const QString &text) -> QString {
        constexpr int width = 100;
        const QString indent(head.size(), QLatin1Char(' '));
        QString out = head;
        qsizetype column = head.size();
        for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            if (column > head.size() && column + 1 + word.size() > width) {
                out += QLatin1Char('\n') + indent;
                column = indent.size();
            } else if (column > head.size()) {
                out += QLatin1Char(' ');
                ++column;
            }
            out += word;
            column += word.size();
        }
        return out + QLatin1Char('\n');
    };
    QString text = QStringLiteral("Scenarios per API:\n");
    for (const QString &api : apis()) {
        text += wrapped(QStringLiteral("  %1 ").arg(api + QLatin1Char(':'), -10),
                        scenariosFor(api).join(QStringLiteral(", ")));
    }
    text += QStringLiteral("What they do:\n");
    for (const ScenarioInfo &info : scenarioTable()) {
        const QString name = QString::fromLatin1(info.name);
        QStringList only;
        for (const QString &api : apis()) {
            if (scenariosFor(api).contains(name))
                only.append(api);
        }
        const QString which
            = only.size() == apis().size() ? QString() : QStringLiteral("(%1) ").arg(only.join(QStringLiteral(", ")));
        text += wrapped(QStringLiteral("  %1 ").arg(name, -18), which + QString::fromLatin1(info.description));
    }
    text.chop(1); // the parser adds the blank line before the options
    return text;
}

static std::optional<Fault> validated(Fault fault, QString *error)
{
    if (!fault.api.isEmpty() && !FaultPlan::apis().contains(fault.api)) {
        if (error)
            *error = QStringLiteral("unknown api \"%1\" (%2)")
                         .arg(fault.api, FaultPlan::apis().join(QStringLiteral(", ")));
        return std::nullopt;
    }
    const QStringList scenarios = FaultPlan::scenariosFor(fault.api);
    if (!scenarios.contains(fault.scenario)) {
        if (error) {
            *error = QStringLiteral("unknown scenario \"%1\"%2 (%3)")
                         .arg(fault.scenario,
                              fault.api.isEmpty() ? QString() : QStringLiteral(" for %1").arg(fault.api),
                              scenarios.join(QStringLiteral(", ")));
        }
        return std::nullopt;
    }
    if (!fault.match.isEmpty() && fault.api != QLatin1String("printify")) {
        if (error)
            *error = QStringLiteral("match is only supported for the printify api");
        return std::nullopt;
    }
    if (fault.count == 0 || fault.count < -1 || fault.delay.count() < 0) {
        if (error)
            *error = QStringLiteral("count must be -1 or positive and delay not negative");
        return std::nullopt;
    }
    // A slow answer without a delay would not be slow: default to beyond any sane test timeout.
    if ((fault.scenario == QLatin1String("slow") || fault.scenario == QLatin1String("timeout-after-create"))
        && fault.delay.count() == 0)
        fault.delay = std::chrono::seconds(10);
    return fault;
}

std::optional<Fault> FaultPlan::parseSpec(const QString &spec, QString *error)
{
    const QStringList fields = spec.split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (fields.isEmpty()) {
        if (error)
            *error = QStringLiteral("empty fault");
        return std::nullopt;
    }
    Fault fault;
    const QString head = fields.first().trimmed();
    const qsizetype colon = head.indexOf(QLatin1Char(':'));
    if (colon >= 0) {
        fault.api = head.left(colon);
        fault.scenario = head.mid(colon + 1);
    } else {
        fault.scenario = head;
    }
    for (qsizetype i = 1; i < fields.size(); ++i) {
        const QString field = fields.at(i).trimmed();
        bool ok = false;
        if (field.startsWith(QLatin1String("count=")))
            fault.count = field.mid(6).toInt(&ok);
        else if (field.startsWith(QLatin1String("delay=")))
            fault.delay = std::chrono::milliseconds(field.mid(6).toLongLong(&ok));
        else if (field.startsWith(QLatin1String("match=")))
            ok = !(fault.match = field.mid(6)).isEmpty();
        if (!ok) {
            if (error)
                *error = QStringLiteral("bad fault option \"%1\" (count=N, delay=MS, match=TEXT)").arg(field);
            return std::nullopt;
        }
    }
    return validated(fault, error);
}

std::optional<Fault> FaultPlan::fromJson(const QJsonObject &object, QString *error)
{
    Fault fault;
    fault.api = object.value(QLatin1String("api")).toString();
    fault.scenario = object.value(QLatin1String("scenario")).toString();
    fault.count = object.value(QLatin1String("count")).toInt(1);
    fault.delay = std::chrono::milliseconds(object.value(QLatin1String("delayMs")).toInteger(0));
    fault.match = object.value(QLatin1String("match")).toString();
    return validated(fault, error);
}

void FaultPlan::push(const Fault &fault)
{
    m_faults.append(fault);
}

void FaultPlan::clear()
{
    m_faults.clear();
}

QString FaultPlan::apply(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject())
        return QStringLiteral("body must be a JSON object: %1").arg(parseError.errorString());
    const QJsonObject root = doc.object();
    QList<Fault> parsed;
    QString error;
    if (root.contains(QLatin1String("scenario"))) {
        const auto fault = fromJson(root, &error);
        if (!fault)
            return error;
        parsed.append(*fault);
    }
    const QJsonArray faults = root.value(QLatin1String("faults")).toArray();
    for (const QJsonValue &value : faults) {
        const auto fault = fromJson(value.toObject(), &error);
        if (!fault)
            return error;
        parsed.append(*fault);
    }
    // All or nothing: a half-applied script would make a test fail in confusing ways.
    if (root.value(QLatin1String("clear")).toBool())
        clear();
    m_faults.append(parsed);
    return {};
}

std::optional<Fault> FaultPlan::take(const QString &api)
{
    return take(api, QString(), {});
}

std::optional<Fault> FaultPlan::take(
    const QString &api, const QString &requestLine, const std::function<bool(const QString &)> &applies)
{
    for (qsizetype i = 0; i < m_faults.size(); ++i) {
        Fault &fault = m_faults[i];
        if (!fault.api.isEmpty() && fault.api != api)
            continue;
        if (!fault.match.isEmpty() && !requestLine.contains(fault.match))
            continue;
        if (applies && !applies(fault.scenario))
            continue;
        // A fault for any API waits for one that implements it (a Gemini scenario never reaches Stripe).
        if (fault.api.isEmpty() && !scenariosFor(api).contains(fault.scenario))
            continue;
        const Fault result = fault;
        if (fault.count > 0 && --fault.count == 0)
            m_faults.removeAt(i);
        return result;
    }
    return std::nullopt;
}

QJsonArray FaultPlan::toJson() const
{
    QJsonArray array;
    for (const Fault &fault : m_faults) {
        QJsonObject object{{QStringLiteral("api"), fault.api},
                           {QStringLiteral("scenario"), fault.scenario},
                           {QStringLiteral("count"), fault.count},
                           {QStringLiteral("delayMs"), qint64(fault.delay.count())}};
        if (!fault.match.isEmpty())
            object.insert(QStringLiteral("match"), fault.match);
        array.append(object);
    }
    return array;
}

} // namespace CalStudio
