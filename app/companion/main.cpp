// calstudio-companion: the shop's server. Parses options, loads the
// configuration and wires CompanionServer; everything else is in core/companion.

#include "app/companion/admincommands.h"
#include "core/companion/companionconfig.h"
#include "core/companion/companionserver.h"
#include "core/companion/jsonlog.h"
#include "core/companion/orderstore.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QSocketNotifier>
#include <QTextStream>

#include <csignal>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <sys/socket.h>
#include <unistd.h>

using namespace CalStudio;

namespace {

int g_signalPipe[2] = { -1, -1 };

void onSignal(int)
{
    const char c = 1;
    // Only async-signal-safe calls here; the event loop reads the pipe and quits.
    [[maybe_unused]] const auto written = ::write(g_signalPipe[0], &c, 1);
}

void quitOnTermination(QCoreApplication &app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalPipe[1], QSocketNotifier::Read, &app);
    QObject::connect(notifier, &QSocketNotifier::activated, &app, [&app] {
        char c;
        [[maybe_unused]] const auto read = ::read(g_signalPipe[1], &c, 1);
        app.quit();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
}

int usage(QTextStream &err)
{
    err << "usage: calstudio-companion [--config FILE] [--check-config]\n"
           "       calstudio-companion [--config FILE] admin list|show …   (see admin --help)\n"
           "The configuration file defaults to $COMPANION_CONFIG, else /etc/calstudio-companion/companion.json;\n"
           "environment variables (STRIPE_SECRET_KEY, COMPANION_LISTEN, …) override it. See packaging/companion/README.md.\n";
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
#if defined(__GLIBC__)
    // Request bodies (print files, up to 50 MB) and their decoded pixels are large, short-lived
    // blocks: with a fixed 1 MB mmap threshold they go back to the system when freed instead of
    // staying in the worker threads' heaps (RSS after 20 parallel 5 MB uploads: 33 MB instead of
    // about 95 MB; docs/BENCHMARKS.md).
    mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
#endif
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("calstudio-companion"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CALSTUDIO_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);

    QStringList args = app.arguments().mid(1);
    QString configPath = qEnvironmentVariable("COMPANION_CONFIG", QStringLiteral("/etc/calstudio-companion/companion.json"));
    bool checkOnly = false;
    QStringList admin;
    for (int i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (a == QLatin1String("--config") && i + 1 < args.size()) {
            configPath = args[++i];
        } else if (a == QLatin1String("--check-config")) {
            checkOnly = true;
        } else if (a == QLatin1String("--version")) {
            out << "calstudio-companion " << QCoreApplication::applicationVersion() << '\n';
            return 0;
        } else if (a == QLatin1String("admin")) {
            admin = args.mid(i + 1);
            if (admin.isEmpty())
                admin << QStringLiteral("--help");
            break;
        } else {
            return usage(err);
        }
    }

    auto config = CompanionConfig::load(configPath);
    if (!config) {
        err << "calstudio-companion: the configuration in " << configPath << " is not usable:\n"
            << config.error().userMessage << '\n';
        return 1;
    }
    if (!admin.isEmpty())
        return runAdminCommand(*config, admin);

    auto store = OrderStore::open(config->database());
    if (!store) {
        err << "calstudio-companion: " << store.error().toString() << '\n';
        return 1;
    }
    if (checkOnly) {
        out << QJsonDocument(config->redactedJson()).toJson(QJsonDocument::Indented);
        out << "configuration OK; order database reachable (" << config->mode() << " mode)\n";
        return 0;
    }

    JsonLog log;
    // Qt's own messages and the clients' logging categories become JSON lines too, so the
    // server's stderr is one structured stream.
    static JsonLog *qtLog = &log;
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &context, const QString &message) {
        const JsonLog::Level level = type == QtDebugMsg || type == QtInfoMsg ? JsonLog::Level::Info
            : type == QtWarningMsg                                           ? JsonLog::Level::Warning
                                                                             : JsonLog::Level::Error;
        if (type == QtDebugMsg)
            return;
        qtLog->write(level, QStringLiteral("log"),
            { { QStringLiteral("category"), QString::fromLatin1(context.category ? context.category : "default") },
                { QStringLiteral("message"), message } });
    });
    CompanionServer server(*config, *store, &log);
    auto port = server.listen();
    if (!port) {
        err << "calstudio-companion: " << port.error().toString() << '\n';
        return 1;
    }
    quitOnTermination(app);
    const int code = app.exec();
    log.info(QStringLiteral("stopped"));
    qInstallMessageHandler(nullptr);
    return code;
}
