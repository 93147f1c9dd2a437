#include "app/sandbox/faultplan.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace CalStudio {

const QStringList &FaultPlan::knownScenarios()
{
    static const QStringList scenarios{
        QStringLiteral("invalid-key"), QStringLiteral("permission"), QStringLiteral("not-found"),
        QStringLiteral("rate-limit"), QStringLiteral("quota"), QStringLiteral("bad-request"),
        QStringLiteral("server-error"), QStringLiteral("unavailable"), QStringLiteral("html-502"),
        QStringLiteral("prompt-block"), QStringLiteral("safety"), QStringLiteral("text-only"),
        QStringLiteral("thoughts"), QStringLiteral("slow"), QStringLiteral("drop"), QStringLiteral("huge"),
    };
    return scenarios;
}

static bool validApi(const QString &api)
{
    return api.isEmpty() || api == QLatin1String("gemini") || api == QLatin1String("openai");
}

static std::optional<Fault> validated(Fault fault, QString *error)
{
    if (!validApi(fault.api)) {
        if (error)
            *error = QStringLiteral("unknown api \"%1\" (gemini, openai)").arg(fault.api);
        return std::nullopt;
    }
    if (!FaultPlan::knownScenarios().contains(fault.scenario)) {
        if (error)
            *error = QStringLiteral("unknown scenario \"%1\" (%2)")
                         .arg(fault.scenario, FaultPlan::knownScenarios().join(QStringLiteral(", ")));
        return std::nullopt;
    }
    if (fault.count == 0 || fault.count < -1 || fault.delay.count() < 0) {
        if (error)
            *error = QStringLiteral("count must be -1 or positive and delay not negative");
        return std::nullopt;
    }
    // A slow answer without a delay would not be slow: default to beyond any sane test timeout.
    if (fault.scenario == QLatin1String("slow") && fault.delay.count() == 0)
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
        if (!ok) {
            if (error)
                *error = QStringLiteral("bad fault option \"%1\" (count=N, delay=MS)").arg(field);
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
    for (qsizetype i = 0; i < m_faults.size(); ++i) {
        Fault &fault = m_faults[i];
        if (!fault.api.isEmpty() && fault.api != api)
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
        array.append(QJsonObject{{QStringLiteral("api"), fault.api},
                                 {QStringLiteral("scenario"), fault.scenario},
                                 {QStringLiteral("count"), fault.count},
                                 {QStringLiteral("delayMs"), qint64(fault.delay.count())}});
    }
    return array;
}

} // namespace CalStudio
