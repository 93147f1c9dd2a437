#include "app/cli/generatecommands.h"

#include "app/cli/clicommands.h"
#include "core/generation/generationrequest.h"
#include "core/generation/masterbuilder.h"
#include "core/generation/openaiprovider.h"
#include "core/generation/falprovider.h"
#include "core/generation/geminiprovider.h"
#include "core/generation/replicateprovider.h"
#include "core/generation/generationqueue.h"
#include "core/generation/generationplanner.h"
#include "core/generation/offlineprovider.h"
#include "core/imaging/imagedecoder.h"
#include "core/imaging/referencebuilder.h"
#include "core/imaging/selfieanalysis.h"
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

void printError(QTextStream &err, const Error &error, bool verbose)
{
    err << "error: " << error.userMessage << Qt::endl;
    if (verbose && !error.detail.isEmpty())
        err << "detail: " << error.detail << Qt::endl;
}

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

struct ProviderChoice {
    QString model;
    QString keyVariable; ///< environment variable the CLI reads the key from (never logged)
    const char *defaultBaseUrl = nullptr;
};

std::optional<ProviderChoice> providerChoice(const QString &id)
{
    if (id == QLatin1String("offline"))
        return ProviderChoice{QString::fromLatin1(OfflineProvider::ModelId), {}, nullptr};
    if (id == QLatin1String("gemini"))
        return ProviderChoice{QStringLiteral("gemini-3-pro-image"), QStringLiteral("CALSTUDIO_GEMINI_KEY"),
                              GeminiProvider::DefaultBaseUrl};
    if (id == QLatin1String("openai"))
        return ProviderChoice{QStringLiteral("gpt-image-1"), QStringLiteral("CALSTUDIO_OPENAI_KEY"),
                              OpenAIProvider::DefaultBaseUrl};
    if (id == QLatin1String("replicate"))
        return ProviderChoice{QString::fromLatin1(ReplicateProvider::DefaultModel),
                              QStringLiteral("CALSTUDIO_REPLICATE_KEY"), ReplicateProvider::DefaultBaseUrl};
    if (id == QLatin1String("fal"))
        return ProviderChoice{QString::fromLatin1(FalProvider::DefaultModel), QStringLiteral("CALSTUDIO_FAL_KEY"),
                              FalProvider::DefaultBaseUrl};
    return std::nullopt;
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
    const auto choice = providerChoice(providerId);
    if (!choice) {
        err << "error: unknown provider “" << providerId << "”; use offline, gemini, openai, replicate or fal"
            << Qt::endl;
        return ExitCode::Usage;
    }
    const QString apiKey = choice->keyVariable.isEmpty() ? QString() : qEnvironmentVariable(qPrintable(choice->keyVariable));
    if (!choice->keyVariable.isEmpty() && apiKey.isEmpty()) {
        err << "error: set " << choice->keyVariable << " to your " << providerId << " API key" << Qt::endl;
        return ExitCode::Usage;
    }
    const QUrl baseUrl = p.isSet(baseUrlOption) ? QUrl(p.value(baseUrlOption))
                                                : QUrl(QString::fromLatin1(choice->defaultBaseUrl ? choice->defaultBaseUrl : ""));

    auto store = ProjectStore::open(p.positionalArguments().constFirst());
    if (!store) {
        printError(err, store.error(), verbose);
        return ExitCode::Failed;
    }
    GenerationPlanner planner(**store, QStandardPaths::writableLocation(QStandardPaths::CacheLocation)
                                           + QStringLiteral("/references"));
    GenerationQueue queue(
        **store,
        [&](const QString &id) -> std::unique_ptr<ImageProvider> {
            if (id == QLatin1String("offline"))
                return std::make_unique<OfflineProvider>();
            const auto c = providerChoice(id);
            const QString key = c && !c->keyVariable.isEmpty() ? qEnvironmentVariable(qPrintable(c->keyVariable)) : QString();
            HttpProviderConfig config;
            config.baseUrl = id == providerId ? baseUrl : QUrl(QString::fromLatin1(c ? c->defaultBaseUrl : ""));
            config.apiKey = key;
            if (id == QLatin1String("gemini"))
                return std::make_unique<GeminiProvider>(config);
            if (id == QLatin1String("openai"))
                return std::make_unique<OpenAIProvider>(config);
            if (id == QLatin1String("replicate"))
                return std::make_unique<ReplicateProvider>(config);
            if (id == QLatin1String("fal"))
                return std::make_unique<FalProvider>(config);
            return nullptr;
        },
        [&](const GenerationRequest &request, const GeneratedImage &image) { return planner.store(request, image); });
    queue.setPreparer([&](GenerationRequest &request) { planner.prepare(request); });
    queue.setSpendCap(cap);

    if (!p.isSet(resumeOption)) {
        auto requests = planner.requests(*months, candidates, providerId,
                                         p.isSet(modelOption) ? p.value(modelOption) : choice->model,
                                         QSize(side, side), baseSeed);
        if (!requests) {
            printError(err, requests.error(), verbose);
            return ExitCode::Failed;
        }
        for (const GenerationRequest &r : std::as_const(*requests)) {
            if (auto id = queue.enqueue(r); !id) {
                printError(err, id.error(), verbose);
                return ExitCode::Failed;
            }
        }
    }

    QEventLoop loop;
    QHash<qint64, QString> reported;
    QObject::connect(&queue, &GenerationQueue::jobChanged, &loop, [&](qint64 jobId) {
        for (const QueueJobInfo &j : queue.jobs()) {
            if (j.id != jobId || j.state == QLatin1String("queued") || j.state == QLatin1String("running")
                || reported.value(j.id) == j.state)
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
    if (auto st = queue.start(); !st) {
        printError(err, st.error(), verbose);
        return ExitCode::Failed;
    }
    if (queue.runningCount() > 0 || std::any_of(queue.jobs().begin(), queue.jobs().end(), [](const QueueJobInfo &j) {
            return j.state == QLatin1String("queued");
        }))
        loop.exec();

    int doneCount = 0;
    QStringList failed;
    for (const QueueJobInfo &j : queue.jobs()) {
        if (j.state == QLatin1String("done"))
            ++doneCount;
        else if (!failed.contains(monthName(j.month)))
            failed.append(monthName(j.month));
    }
    if (!planner.referenceError().isNull())
        err << "note: " << planner.referenceError().userMessage << Qt::endl;
    out << doneCount << " candidate(s) made; spent about $" << QString::number(queue.spent(), 'f', 2) << Qt::endl;
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
