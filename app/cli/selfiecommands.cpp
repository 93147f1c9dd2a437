#include "app/cli/selfiecommands.h"

#include "app/cli/clicommands.h"
#include "core/imaging/facedetector.h"
#include "core/imaging/imagedecoder.h"
#include "core/imaging/selfieanalyzer.h"
#include "core/project/project.h"
#include "core/project/selfieimporter.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace CalStudio::Cli {

namespace {
QString statusId(ImportOutcome::Status status)
{
    switch (status) {
    case ImportOutcome::Status::Imported:
        return QStringLiteral("imported");
    case ImportOutcome::Status::Duplicate:
        return QStringLiteral("duplicate");
    case ImportOutcome::Status::Cancelled:
        return QStringLiteral("cancelled");
    case ImportOutcome::Status::Failed:
        break;
    }
    return QStringLiteral("failed");
}
} // namespace

int importCommand(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose)
{
    QStringList rest = args;
    const bool json = rest.removeAll(QStringLiteral("--json")) > 0;
    if (rest.size() < 2) {
        err << "usage: calstudio-cli import PROJECT FILE|FOLDER… [--json]" << Qt::endl;
        return ExitCode::Usage;
    }
    auto project = Project::open(rest.takeFirst());
    if (!project) {
        err << "error: " << project.error().userMessage << Qt::endl;
        return ExitCode::Failed;
    }
    QList<ImportItem> items;
    for (const QString &arg : std::as_const(rest)) {
        const QFileInfo info(arg);
        if (info.isDir()) {
            for (const QString &file : SelfieImporter::imageFilesIn(arg))
                items.append({QFileInfo(file).fileName(), file, {}});
        } else {
            items.append({info.fileName(), info.absoluteFilePath(), {}});
        }
    }
    SelfieImporter importer(project->get());
    QObject::connect(&importer, &SelfieImporter::itemFinished, &importer, [&](const ImportOutcome &o) {
        err << "[" << importer.done() << "/" << importer.total() << "] " << o.name << ": " << statusId(o.status);
        if (!o.error.isNull())
            err << " — " << o.error.userMessage << (verbose && !o.error.detail.isEmpty() ? QStringLiteral(" (") + o.error.detail + QLatin1Char(')') : QString());
        err << Qt::endl;
    });
    importer.start(items);
    importer.waitForFinished();
    if (auto st = (*project)->flush(); !st) {
        err << "error: " << st.error().userMessage << Qt::endl;
        return ExitCode::Failed;
    }

    bool anyFailed = false;
    QJsonArray report;
    for (const ImportOutcome &o : importer.outcomes()) {
        anyFailed = anyFailed || o.status == ImportOutcome::Status::Failed;
        QJsonObject entry{{QStringLiteral("name"), o.name}, {QStringLiteral("status"), statusId(o.status)}};
        if (!o.error.isNull()) {
            entry[QStringLiteral("code")] = o.error.code;
            entry[QStringLiteral("message")] = o.error.userMessage;
        }
        if (!o.warnings.isEmpty())
            entry[QStringLiteral("warnings")] = QJsonArray::fromStringList(o.warnings);
        if (o.selfieId)
            entry[QStringLiteral("selfie_id")] = o.selfieId;
        report.append(entry);
    }
    if (json) {
        out << QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("files"), report},
                                                           {QStringLiteral("selfies"), int((*project)->selfies().size())}})
                                     .toJson(QJsonDocument::Indented));
    } else {
        int imported = 0;
        for (const ImportOutcome &o : importer.outcomes())
            imported += o.status == ImportOutcome::Status::Imported ? 1 : 0;
        out << imported << " of " << importer.total() << " imported; the project has " << (*project)->selfies().size()
            << " selfies." << Qt::endl;
    }
    return anyFailed ? ExitCode::Failed : ExitCode::Ok;
}

int facesCommand(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose)
{
    if (args.size() != 1) {
        err << "usage: calstudio-cli faces IMAGE" << Qt::endl;
        return ExitCode::Usage;
    }
    QFile file(args.constFirst());
    const ImageLimits limits;
    if (!file.open(QIODevice::ReadOnly)) {
        err << "error: cannot read " << args.constFirst() << ": " << file.errorString() << Qt::endl;
        return ExitCode::Failed;
    }
    if (file.size() > limits.maxFileBytes) {
        err << "error: the file is larger than " << limits.maxFileBytes / (1024 * 1024) << " MB" << Qt::endl;
        return ExitCode::Failed;
    }
    const QByteArray bytes = file.readAll();
    auto decoded = ImageDecoder::decode(bytes, limits, 1536);
    if (!decoded) {
        err << "error: " << decoded.error().userMessage << Qt::endl;
        if (verbose)
            err << "detail: " << decoded.error().detail << Qt::endl;
        return ExitCode::Failed;
    }
    auto detector = FaceDetector::create();
    if (!detector) {
        err << "error: " << detector.error().userMessage << Qt::endl;
        return ExitCode::Failed;
    }
    if (detector->usingFallback())
        err << "warning: the face model could not be loaded; using the simpler Haar detector" << Qt::endl;
    const QList<Face> faces = detector->detect(decoded->image);
    const SelfieAnalysis analysis = SelfieAnalyzer(limits).analyze(
        decoded->image, faces, -1, QSize(decoded->probe.width, decoded->probe.height));
    out << QString::fromUtf8(QJsonDocument(analysis.toJson()).toJson(QJsonDocument::Indented));
    return ExitCode::Ok;
}

} // namespace CalStudio::Cli
