#include "app/cli/generatecommands.h"

#include "app/cli/clicommands.h"
#include "core/generation/generationrequest.h"
#include "core/generation/masterbuilder.h"
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

/// The exact text a provider gets: the scene, then how it looks, then what to leave out.
QString promptSent(const MonthEntry &entry)
{
    QString prompt = entry.prompt.trimmed();
    if (const auto preset = StylePreset::find(entry.style); preset && !preset->promptSuffix.isEmpty())
        prompt += (prompt.isEmpty() ? QString() : QStringLiteral(" ")) + preset->promptSuffix.trimmed();
    if (!entry.avoid.trimmed().isEmpty())
        prompt += QStringLiteral(" Avoid: ") + entry.avoid.trimmed();
    return prompt;
}

/**
 * References from the project's best selfies: the best one as a full image and
 * a face crop, the next two as face crops (varied angles help a real model;
 * the offline provider uses the full image).
 */
Result<QList<ReferenceImage>> buildReferences(const ProjectStore &store, QTextStream &err)
{
    auto selfies = store.loadSelfies();
    if (!selfies)
        return selfies.error();
    QList<SelfieAnalysis> analyses;
    for (const SelfieRecord &r : *selfies) {
        auto a = SelfieAnalysis::fromJson(QJsonDocument::fromJson(r.analysisJson).object());
        SelfieAnalysis analysis = a ? *a : SelfieAnalysis {};
        if (r.mainFace >= 0 && r.mainFace < analysis.faces.size())
            analysis.mainFace = r.mainFace;
        analyses.append(analysis);
    }
    const QList<int> picks = ReferenceBuilder::pickBest(analyses, 3);
    if (picks.isEmpty()) {
        err << "note: no usable selfie in the project; drafts show the month's background only" << Qt::endl;
        return QList<ReferenceImage> {};
    }
    const ReferenceBuilder builder(
        QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/references"));
    QList<ReferenceImage> refs;
    for (int i = 0; i < picks.size(); ++i) {
        const SelfieRecord &record = selfies->at(picks.at(i));
        const SelfieAnalysis &analysis = analyses.at(picks.at(i));
        auto bytes = store.readBlob(record.blobId);
        if (!bytes)
            return bytes.error();
        // References are at most 1536 px, so a 48 MP selfie need not be decoded in full.
        auto decoded = ImageDecoder::decode(*bytes, {}, 2048);
        if (!decoded)
            return decoded.error();
        const QImage &upright = decoded->image;
        // The analysis may have been made on a different decode size.
        const double sx = analysis.imageSize.width() > 0 ? double(upright.width()) / analysis.imageSize.width() : 1;
        const double sy = analysis.imageSize.height() > 0 ? double(upright.height()) / analysis.imageSize.height() : 1;
        const QRectF box = analysis.face()->box;
        const QRectF face(box.x() * sx, box.y() * sy, box.width() * sx, box.height() * sy);
        if (i == 0) {
            auto full = builder.fullImage(upright, record.sourceSha256);
            if (!full)
                return full.error();
            refs.append(*full);
        }
        auto crop = builder.faceCrop(upright, face, record.sourceSha256);
        if (!crop)
            return crop.error();
        refs.append(*crop);
    }
    return refs;
}

QString statusOf(const GenerationError &e)
{
    switch (e.kind) {
    case GenerationError::Kind::SafetyRefusal:
        return QStringLiteral("refused");
    case GenerationError::Kind::Cancelled:
        return QStringLiteral("cancelled");
    default:
        return QStringLiteral("failed");
    }
}

} // namespace

int generateCommand(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose)
{
    QCommandLineParser p;
    const QCommandLineOption providerOption(
        QStringLiteral("provider"), QStringLiteral("Image provider."), QStringLiteral("id"), QStringLiteral("offline"));
    const QCommandLineOption monthsOption(QStringLiteral("months"), QStringLiteral("Months, e.g. 1-12 or 0,3."),
        QStringLiteral("list"), QStringLiteral("1-12"));
    const QCommandLineOption candidatesOption(QStringLiteral("candidates"), QStringLiteral("Candidates per month."),
        QStringLiteral("n"), QStringLiteral("2"));
    const QCommandLineOption sizeOption(QStringLiteral("size"), QStringLiteral("Output side in pixels."),
        QStringLiteral("px"), QString::number(MasterBuilder::MasterSide));
    const QCommandLineOption seedOption(
        QStringLiteral("seed"), QStringLiteral("Base seed."), QStringLiteral("s"), QStringLiteral("1"));
    p.addOptions({ providerOption, monthsOption, candidatesOption, sizeOption, seedOption });
    const char *usage = "usage: calstudio-cli generate PROJECT --provider offline [--months 1-12] [--candidates 2] "
                        "[--size N] [--seed S]";
    if (!p.parse(QStringList { QStringLiteral("generate") } + args) || p.positionalArguments().size() != 1) {
        err << (p.errorText().isEmpty() ? QString() : p.errorText() + QLatin1Char('\n')) << usage << Qt::endl;
        return ExitCode::Usage;
    }
    const auto months = parseMonths(p.value(monthsOption));
    bool okCount = false;
    bool okSize = false;
    bool okSeed = false;
    const int candidates = p.value(candidatesOption).toInt(&okCount);
    const int side = p.value(sizeOption).toInt(&okSize);
    const qint64 baseSeed = p.value(seedOption).toLongLong(&okSeed);
    if (!months || !okCount || candidates < 1 || candidates > 4 || !okSize || side < 16 || side > 8192 || !okSeed) {
        err << "error: --months takes 0–12 (e.g. 1-12), --candidates 1–4, --size 16–8192" << Qt::endl
            << usage << Qt::endl;
        return ExitCode::Usage;
    }
    const QString providerId = p.value(providerOption);
    if (providerId != QLatin1String("offline")) {
        err << "error: provider “" << providerId
            << "” is not available in this build yet; use --provider offline (no key, no network)" << Qt::endl;
        return ExitCode::Usage;
    }

    auto store = ProjectStore::open(p.positionalArguments().constFirst());
    if (!store) {
        printError(err, store.error(), verbose);
        return ExitCode::Failed;
    }
    auto entries = (*store)->loadMonths();
    if (!entries) {
        printError(err, entries.error(), verbose);
        return ExitCode::Failed;
    }
    auto refs = buildReferences(**store, err);
    if (!refs) {
        printError(err, refs.error(), verbose);
        return ExitCode::Failed;
    }

    OfflineProvider provider;
    const int total = int(months->size()) * candidates;
    int done = 0;
    QStringList failedMonths;
    for (const int month : *months) {
        const MonthEntry entry = entries->value(month);
        bool monthFailed = false;
        std::optional<CandidateRecord> firstGood;
        for (int i = 0; i < candidates; ++i) {
            GenerationRequest request;
            request.month = month;
            request.provider = provider.id();
            request.model = QString::fromLatin1(OfflineProvider::ModelId);
            request.promptSent = promptSent(entry);
            request.style = entry.style;
            request.size = QSize(side, side);
            request.seed = baseSeed * 1000 + month * 10 + i;
            request.references = *refs;

            QElapsedTimer timer;
            timer.start();
            ImageProvider::Outcome outcome;
            QEventLoop loop;
            QObject::connect(&provider, &ImageProvider::finished, &loop, [&](const ImageProvider::Outcome &o) {
                outcome = o;
                loop.quit();
            });
            provider.generate(request);
            loop.exec();

            CandidateRecord record;
            record.month = month;
            record.provider = request.provider;
            record.model = request.model;
            record.promptSent = request.promptSent;
            record.seed = request.seed;
            QByteArray bytes;
            if (const auto *image = std::get_if<GeneratedImage>(&outcome)) {
                record.model = image->model.isEmpty() ? request.model : image->model;
                record.width = image->nativeSize.width();
                record.height = image->nativeSize.height();
                record.costMicros = qRound64(image->costUsd * 1e6);
                record.status = QStringLiteral("done");
                bytes = image->bytes;
            } else {
                const auto &error = std::get<GenerationError>(outcome);
                record.status = statusOf(error);
                record.error = error.message;
                monthFailed = true;
            }
            if (auto st = (*store)->addCandidate(record, bytes); !st) {
                printError(err, st.error(), verbose);
                return ExitCode::Failed;
            }
            ++done;
            err << "[" << done << "/" << total << "] " << monthName(month) << " candidate " << (i + 1) << "/"
                << candidates << ": " << record.status;
            if (!record.error.isEmpty())
                err << " — " << record.error;
            err << " (" << QString::number(timer.elapsed() / 1000.0, 'f', 1) << " s)" << Qt::endl;
            if (record.status == QLatin1String("done") && !firstGood)
                firstGood = record;
        }
        if (entry.masterId == 0 && firstGood) {
            auto master = MasterBuilder::makeMaster(**store, *firstGood);
            if (!master) {
                err << monthName(month) << ": master failed — " << master.error().userMessage << Qt::endl;
                monthFailed = true;
            } else {
                err << monthName(month) << ": candidate " << firstGood->id << " is the master" << Qt::endl;
            }
        }
        if (monthFailed)
            failedMonths.append(monthName(month));
    }
    if (!failedMonths.isEmpty()) {
        err << "failed: " << failedMonths.join(QStringLiteral(", ")) << Qt::endl;
        return ExitCode::Failed;
    }
    out << "generated " << total << " candidate(s) for " << months->size() << " month(s)" << Qt::endl;
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
