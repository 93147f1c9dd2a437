// calstudio-sandbox: serves the Gemini and OpenAI image API fakes on loopback for demos and
// end-to-end runs. Options and wiring only; the behaviour lives in calstudio_sandbox_lib.
#include "app/sandbox/faultplan.h"
#include "app/sandbox/sandboxserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

using namespace CalStudio;

namespace {

// Replicate and fal.ai scenarios: FaultPlan::parseSpec knows the gemini/openai ones only.
const QStringList &queueScenarios()
{
    static const QStringList scenarios{
        QStringLiteral("invalid-key"), QStringLiteral("quota"), QStringLiteral("rate-limit"), QStringLiteral("bad-request"),
        QStringLiteral("not-found"), QStringLiteral("server-error"), QStringLiteral("unavailable"), QStringLiteral("html-502"),
        QStringLiteral("safety"), QStringLiteral("nsfw-flag"), QStringLiteral("result-error"), QStringLiteral("stuck-processing"),
        QStringLiteral("output-array"), QStringLiteral("expired"), QStringLiteral("sync"), QStringLiteral("slow"),
        QStringLiteral("drop"),
    };
    return scenarios;
}

std::optional<Fault> parseFault(const QString &spec, QString *error)
{
    const bool queueApi = spec.startsWith(QLatin1String("replicate:")) || spec.startsWith(QLatin1String("fal:"));
    if (!queueApi)
        return FaultPlan::parseSpec(spec, error);
    const QStringList fields = spec.split(QLatin1Char(','), Qt::SkipEmptyParts);
    Fault fault;
    fault.api = fields.first().section(QLatin1Char(':'), 0, 0);
    fault.scenario = fields.first().section(QLatin1Char(':'), 1);
    for (qsizetype i = 1; i < fields.size(); ++i) {
        const QString field = fields.at(i).trimmed();
        bool ok = false;
        if (field.startsWith(QLatin1String("count=")))
            fault.count = field.mid(6).toInt(&ok);
        else if (field.startsWith(QLatin1String("delay=")))
            fault.delay = std::chrono::milliseconds(field.mid(6).toLongLong(&ok));
        if (!ok || fault.count == 0 || fault.count < -1 || fault.delay.count() < 0) {
            *error = QStringLiteral("bad fault option \"%1\" (count=N, delay=MS)").arg(field);
            return std::nullopt;
        }
    }
    if (!queueScenarios().contains(fault.scenario)) {
        *error = QStringLiteral("unknown scenario \"%1\" (%2)").arg(fault.scenario, queueScenarios().join(QStringLiteral(", ")));
        return std::nullopt;
    }
    if (fault.scenario == QLatin1String("slow") && fault.delay.count() == 0)
        fault.delay = std::chrono::seconds(10);
    return fault;
}

} // namespace

int main(int argc, char *argv[])
{
    // QCoreApplication is enough: the fakes fill QImage scan lines directly and never need a platform plugin.
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("calstudio-sandbox"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Loopback fakes of the Gemini (POST /v1beta/models/{model}:generateContent) and OpenAI "
        "(POST /v1/images/edits) image APIs, Replicate predictions (/v1/predictions…) and the fal.ai queue "
        "(under /fal/). Faults are scripted with --fault or POST /_sandbox/faults "
        "({\"clear\":true,\"faults\":[{\"api\":\"gemini\",\"scenario\":\"rate-limit\",\"count\":1,\"delayMs\":0}]})."));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("TCP port on 127.0.0.1 (0 = OS-chosen)."),
                                        QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption keyOption(QStringLiteral("key"), QStringLiteral("The API key the fakes accept."),
                                       QStringLiteral("key"), QStringLiteral("sandbox-key"));
    const QCommandLineOption faultOption(
        QStringLiteral("fault"),
        QStringLiteral("Script a fault, repeatable: [gemini:|openai:|replicate:|fal:]SCENARIO[,count=N][,delay=MS] "
                       "(count -1 = always). Scenarios: %1. Replicate/fal.ai (prefix required): %2.")
            .arg(FaultPlan::knownScenarios().join(QStringLiteral(", ")), queueScenarios().join(QStringLiteral(", "))),
        QStringLiteral("spec"));
    parser.addOptions({portOption, keyOption, faultOption});
    parser.process(app);

    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    if (!portOk || port > 65535) {
        std::fprintf(stderr, "calstudio-sandbox: --port must be 0–65535\n");
        return 2;
    }

    SandboxServer server(parser.value(keyOption));
    const QStringList faults = parser.values(faultOption);
    for (const QString &spec : faults) {
        QString error;
        const auto fault = parseFault(spec, &error);
        if (!fault) {
            std::fprintf(stderr, "calstudio-sandbox: --fault %s: %s\n", qPrintable(spec), qPrintable(error));
            return 2;
        }
        server.faults().push(*fault);
    }

    const quint16 bound = server.listen(QHostAddress::LocalHost, quint16(port));
    if (bound == 0) {
        std::fprintf(stderr, "calstudio-sandbox: cannot listen on 127.0.0.1:%u\n", port);
        return 1;
    }
    // Scripts wait for this exact first line to learn the port.
    QTextStream(stdout) << "listening on http://127.0.0.1:" << bound << Qt::endl;
    return app.exec();
}
