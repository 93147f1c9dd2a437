// calstudio-sandbox: serves the Gemini, OpenAI, Replicate and fal.ai image API fakes on loopback
// for demos and end-to-end runs. Options and wiring only; the behaviour lives in calstudio_sandbox_lib.
#include "app/sandbox/faultplan.h"
#include "app/sandbox/sandboxserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

using namespace CalStudio;

int main(int argc, char *argv[])
{
    // QCoreApplication is enough: the fakes fill QImage scan lines directly and never need a platform plugin.
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("calstudio-sandbox"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Loopback fakes of the Gemini (POST /v1beta/models/{model}:generateContent) and OpenAI "
                       "(POST /v1/images/edits) image APIs, Replicate predictions (/v1/predictions…) and the fal.ai "
                       "queue (under /fal/).\n\n"
                       "Faults are scripted with --fault at start-up or at run time with POST /_sandbox/faults "
                       "({\"clear\":true,\"faults\":[{\"api\":\"replicate\",\"scenario\":\"rate-limit\","
                       "\"count\":1,\"delayMs\":0}]}); GET lists them, DELETE clears them. Each fake answers in "
                       "its API's own wire shape.\n\n")
        + FaultPlan::helpText());
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("TCP port on 127.0.0.1 (0 = OS-chosen)."),
                                        QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption keyOption(QStringLiteral("key"), QStringLiteral("The API key the fakes accept."),
                                       QStringLiteral("key"), QStringLiteral("sandbox-key"));
    const QCommandLineOption faultOption(
        QStringLiteral("fault"),
        QStringLiteral("Script a fault, repeatable: [API:]SCENARIO[,count=N][,delay=MS] with API one of %1 "
                       "(none = the next request of any API; count -1 = always). Scenarios: see above.")
            .arg(FaultPlan::apis().join(QStringLiteral(", "))),
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
        const auto fault = FaultPlan::parseSpec(spec, &error);
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
