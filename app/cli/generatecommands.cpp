#include "app/cli/generatecommands.h"

#include "app/cli/clicommands.h"
#include "core/generation/generationrequest.h"
#include "core/generation/masterbuilder.h"
#include "core/generation/generationsession.h"
#include "core/generation/providercatalog.h"
#include "core/imaging/imagedecoder.h"
#include "core/imaging/referencebuilder.h"
#include "core/imaging/selfieanalysis.h"
#include "core/project/project.h"
#include "core/project/projectstore.h"
#include "core/project/stylepreset.h"

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QLocale>
#include <QSaveFile>
#include <QStandardPaths>

#include <memory>
#include <optional>

namespace CalStudio::Cli {

namespace {


/// "1-12", "3", "0,6-8" → sorted unique months 0–12; nothing on bad input.
std::optional<QList<int>> parseMonths(const QString &text)
{
    QList<int> months;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QStringList range = part.split(QLatin1Char('-'));
        bool okA = false;
        bool okB = true;
        const int a = range.value(0).trimmed().toInt(&okA);
        const int b = range.size() == 2 ? range.value(1).trimmed().toInt(&okB) : a;
        if (!okA || !okB || range.size() > 2 || a < 0 || b > 12 || a > b)
            return std::nullopt;
        for (int m = a; m <= b; ++m) {
            if (!months.contains(m))
                months.append(m);
        }
    }
    if (months.isEmpty())
        return std::nullopt;
    std::sort(months.begin(), months.end());
    return months;
}

QString monthName(int month)
{
    return month == 0 ? QStringLiteral("Cover") : QLocale(QLocale::English).standaloneMonthName(month);
}

} // namespace

int generateCommand(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose)
{
    QCommandLineParser p;
    const QCommandLineOption providerOption(
        QStringLiteral("provider"), QStringLiteral("Image provider."), QStringLiteral("id"), QStringLiteral("offline"));
    const QCommandLineOption modelOption(QStringLiteral("model"), QStringLiteral("Provider's model id."),
                                         QStringLiteral("id"));
    const QCommandLineOption baseUrlOption(QStringLiteral("base-url"),
                                           QStringLiteral("API base URL (proxy, gateway or calstudio-sandbox)."),
                                           QStringLiteral("url"));
    const QCommandLineOption monthsOption(QStringLiteral("months"), QStringLiteral("Months, e.g. 1-12 or 0,3."),
                                          QStringLiteral("list"), QStringLiteral("1-12"));
    const QCommandLineOption candidatesOption(QStringLiteral("candidates"), QStringLiteral("Candidates per month."),
                                              QStringLiteral("n"), QStringLiteral("2"));
    const QCommandLineOption sizeOption(QStringLiteral("size"), QStringLiteral("Output side in pixels."),
                                        QStringLiteral("px"), QString::number(MasterBuilder::MasterSide));
    const QCommandLineOption seedOption(QStringLiteral("seed"), QStringLiteral("Base seed."), QStringLiteral("s"),
                                        QStringLiteral("1"));
    const QCommandLineOption resumeOption(QStringLiteral("resume"),
                                          QStringLiteral("Only finish jobs left over from an interrupted run."));
    const QCommandLineOption capOption(QStringLiteral("spend-cap"), QStringLiteral("Stop at this many USD."),
                                       QStringLiteral("usd"), QStringLiteral("0"));
    p.addOptions({providerOption, modelOption, baseUrlOption, monthsOption, candidatesOption, sizeOption, seedOption,
                  resumeOption, capOption});
    const char *usage = "usage: calstudio-cli generate PROJECT --provider offline|gemini|openai|replicate|fal [--model ID] "
                        "[--base-url URL] [--months 1-12] [--candidates 2] [--size N] [--seed S] [--spend-cap USD] "
                        "[--resume]\n  keys come from CALSTUDIO_GEMINI_KEY, _OPENAI_KEY, _REPLICATE_KEY or _FAL_KEY";
    if (!p.parse(QStringList{QStringLiteral("generate")} + args) || p.positionalArguments().size() != 1) {
        err << (p.errorText().isEmpty() ? QString() : p.errorText() + QLatin1Char('\n')) << usage << Qt::endl;
        return ExitCode::Usage;
    }
    const auto months = parseMonths(p.value(monthsOption));
    bool okCount = false;
    bool okSize = false;
    bool okSeed = false;
    bool okCap = false;
    const int candidates = p.value(candidatesOption).toInt(&okCount);
    const int side = p.value(sizeOption).toInt(&okSize);
    const qint64 baseSeed = p.value(seedOption).toLongLong(&okSeed);
    const double cap = p.value(capOption).toDouble(&okCap);
    if (!months || !okCount || candidates < 1 || candidates > 4 || !okSize || side < 16 || side > 8192 || !okSeed
        || !okCap) {
        err << "error: --months takes 0–12 (e.g. 1-12), --candidates 1–4, --size 16–8192" << Qt::endl
            << usage << Qt::endl;
        return ExitCode::Usage;
    }
    const QString providerId = p.value(providerOption);
    const auto info = ProviderCatalog::find(providerId);
    if (!info) {
        err << "error: unknown provider “" << providerId << "”; use offline, gemini, openai, replicate or fal"
            << Qt::endl;
        return ExitCode::Usage;
    }
    if (info->needsKey && qEnvironmentVariable(qPrintable(info->keyVariable)).isEmpty()) {
        err << "error: set " << info->keyVariable << " to your " << info->displayName << " API key" << Qt::endl;
        return ExitCode::Usage;
    }

    auto project = Project::open(p.positionalArguments().constFirst());
    if (!project) {
        printError(err, project.error(), verbose);
        return ExitCode::Failed;
    }
    if (p.isSet(capOption)) {
        if (auto st = (*project)->setSpendCap(cap); !st) {
            printError(err, st.error(), verbose);
            return ExitCode::Usage;
        }
    }
    GenerationSession session(**project, QStandardPaths::writableLocation(QStandardPaths::CacheLocation)
                                             + QStringLiteral("/references"));
    const QUrl baseUrl(p.value(baseUrlOption));
    session.setConfigLookup([&](const QString &id) {
        HttpProviderConfig config;
        const auto c = ProviderCatalog::find(id);
        config.baseUrl = id == providerId && p.isSet(baseUrlOption) ? baseUrl : c ? c->defaultBaseUrl : QUrl();
        // The key goes from the environment into the request's auth header only.
        config.apiKey = c && c->needsKey ? qEnvironmentVariable(qPrintable(c->keyVariable)) : QString();
        return config;
    });
    QObject::connect(&session, &GenerationSession::errorOccurred, [&](const Error &error) { printError(err, error, verbose); });

    GenerationQueue &queue = session.queue();
    QEventLoop loop;
    QHash<qint64, QString> reported;
    QObject::connect(&queue, &GenerationQueue::jobChanged, &loop, [&](qint64 jobId) {
        for (const QueueJobInfo &j : queue.jobs()) {
            if (j.id != jobId || reported.value(j.id) == j.state)
                continue;
            reported.insert(j.id, j.state);
            err << monthName(j.month) << " (job " << j.id << "): " << j.state;
            if (!j.lastError.isEmpty() && j.state != QLatin1String("done"))
                err << " — " << j.lastError;
            if (!j.providerReason.isEmpty())
                err << " [" << j.providerReason << "]";
            err << Qt::endl;
        }
    });
    QObject::connect(&queue, &GenerationQueue::idle, &loop, &QEventLoop::quit);
    QObject::connect(&queue, &GenerationQueue::pausedBySpendCap, &loop, [&](double spent, double limit) {
        err << "spend cap reached: $" << QString::number(spent, 'f', 2) << " of $" << QString::number(limit, 'f', 2)
            << "; the remaining jobs stay queued (run again with --resume and a higher --spend-cap)" << Qt::endl;
        loop.quit();
    });

    if (p.isSet(resumeOption)) {
        if (auto st = session.resume(); !st) {
            printError(err, st.error(), verbose);
            return ExitCode::Failed;
        }
    } else {
        GenerationSession::RunOptions options;
        options.months = *months;
        options.candidates = candidates;
        options.provider = providerId;
        options.model = p.value(modelOption);
        options.side = side;
        options.baseSeed = baseSeed;
        err << "estimate: " << GenerationSession::estimate(options).text() << Qt::endl;
        if (auto ids = session.generate(options); !ids) {
            printError(err, ids.error(), verbose);
            return ExitCode::Failed;
        }
    }
    const auto pending = [&] {
        const QList<QueueJobInfo> jobs = queue.jobs();
        return !queue.isPaused() && std::any_of(jobs.begin(), jobs.end(), [](const QueueJobInfo &j) {
            return j.state == QLatin1String("queued") || j.state == QLatin1String("running");
        });
    };
    if (pending())
        loop.exec();
    session.waitForMasters();

    int doneCount = 0;
    QStringList failed;
    for (const QueueJobInfo &j : queue.jobs()) {
        if (j.state == QLatin1String("done"))
            ++doneCount;
        else if (!failed.contains(monthName(j.month)))
            failed.append(monthName(j.month));
    }
    if (!session.planner().referenceError().isNull())
        err << "note: " << session.planner().referenceError().userMessage << Qt::endl;
    if (auto st = (*project)->flush(); !st) {
        printError(err, st.error(), verbose);
        return ExitCode::Failed;
    }
    out << doneCount << " candidate(s) made; spent about $" << QString::number(session.spentUsd(), 'f', 2)
        << " on this project" << Qt::endl;
    if (!failed.isEmpty()) {
        err << "not finished: " << failed.join(QStringLiteral(", ")) << Qt::endl;
        return ExitCode::Failed;
    }
    return ExitCode::Ok;
}

int exportMastersCommand(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose)
{
    if (args.size() != 2) {
        err << "usage: calstudio-cli export-masters PROJECT DIR" << Qt::endl;
        return ExitCode::Usage;
    }
    auto store = ProjectStore::open(args.at(0), ProjectStore::Access::ReadOnly);
    if (!store) {
        printError(err, store.error(), verbose);
        return ExitCode::Failed;
    }
    auto masters = (*store)->masters();
    if (!masters) {
        printError(err, masters.error(), verbose);
        return ExitCode::Failed;
    }
    if (masters->isEmpty()) {
        err << "error: the project has no masters yet; run calstudio-cli generate first" << Qt::endl;
        return ExitCode::Failed;
    }
    const QDir dir(args.at(1));
    if (!QDir().mkpath(dir.absolutePath())) {
        err << "error: cannot create the folder " << dir.absolutePath() << Qt::endl;
        return ExitCode::Failed;
    }
    for (const MasterInfo &m : *masters) {
        auto bytes = (*store)->readMaster(m.month);
        if (!bytes) {
            printError(err, bytes.error(), verbose);
            return ExitCode::Failed;
        }
        const QString path = dir.filePath(QStringLiteral("%1.png").arg(m.month, 2, 10, QLatin1Char('0')));
        // QSaveFile: a half-written PNG never replaces a good one.
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(*bytes) != bytes->size() || !file.commit()) {
            err << "error: cannot write " << path << ": " << file.errorString() << Qt::endl;
            return ExitCode::Failed;
        }
        out << path << Qt::endl;
    }
    return ExitCode::Ok;
}

} // namespace CalStudio::Cli
