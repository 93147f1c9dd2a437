#include "app/cli/rendercommand.h"

#include "app/cli/clicommands.h"
#include "core/commerce/printformat.h"
#include "core/imaging/facedetector.h"
#include "core/imaging/renderer.h"
#include "core/project/cropplanner.h"
#include "core/project/project.h"
#include "core/project/projectstore.h"

#include <QCommandLineParser>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <optional>

namespace CalStudio::Cli {

namespace {

constexpr int PreviewLongEdge = 1600;

QString pageName(int page)
{
    return page == 0 ? QStringLiteral("Cover") : QLocale(QLocale::English).standaloneMonthName(page);
}

QString warningId(CropWarning::Kind kind)
{
    switch (kind) {
    case CropWarning::Kind::LowResolution:
        return QStringLiteral("low_dpi");
    case CropWarning::Kind::VeryLowResolution:
        return QStringLiteral("very_low_dpi");
    case CropWarning::Kind::FaceCut:
        return QStringLiteral("face_cut");
    case CropWarning::Kind::FaceInBinding:
        return QStringLiteral("face_in_binding");
    }
    return {};
}

QJsonObject rectJson(const QRect &r)
{
    return QJsonObject{{QStringLiteral("x"), r.x()}, {QStringLiteral("y"), r.y()}, {QStringLiteral("w"), r.width()},
                       {QStringLiteral("h"), r.height()}};
}

QSize previewSize(QSize output)
{
    const double scale = double(PreviewLongEdge) / qMax(output.width(), output.height());
    return QSize(qMax(1, qRound(output.width() * scale)), qMax(1, qRound(output.height() * scale)));
}

} // namespace

int renderCommand(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose)
{
    QCommandLineParser p;
    const QCommandLineOption formatOption(QStringLiteral("format"), QStringLiteral("Print format id."), QStringLiteral("id"));
    const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Output folder."), QStringLiteral("dir"));
    const QCommandLineOption previewsOption(QStringLiteral("previews"), QStringLiteral("Screen previews (JPEG, 1600 px)."));
    const QCommandLineOption printOption(QStringLiteral("print"), QStringLiteral("Print files at the exact size (JPEG q95)."));
    const QCommandLineOption pngOption(QStringLiteral("png"), QStringLiteral("Print files also as PNG."));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("The plans as JSON on stdout."));
    p.addOptions({formatOption, outOption, previewsOption, printOption, pngOption, jsonOption});
    const char *usage = "usage: calstudio-cli render PROJECT --format ID --out DIR [--previews] [--print] [--png] [--json]";
    if (!p.parse(QStringList{QStringLiteral("render")} + args) || p.positionalArguments().size() != 1
        || !p.isSet(formatOption) || !p.isSet(outOption)) {
        err << (p.errorText().isEmpty() ? QString() : p.errorText() + QLatin1Char('\n')) << usage << Qt::endl;
        return ExitCode::Usage;
    }
    const auto format = findFormat(p.value(formatOption), err);
    if (!format)
        return ExitCode::Usage;
    const bool previews = p.isSet(previewsOption) || !p.isSet(printOption);
    const bool print = p.isSet(printOption) || !p.isSet(previewsOption);
    const QDir outDir(p.value(outOption));
    for (const QString &sub : {QStringLiteral("previews"), QStringLiteral("print")}) {
        if ((sub == QLatin1String("previews") ? previews : print) && !outDir.mkpath(sub)) {
            err << "error: cannot create " << outDir.filePath(sub) << Qt::endl;
            return ExitCode::Failed;
        }
    }

    auto project = Project::open(p.positionalArguments().constFirst());
    if (!project) {
        printError(err, project.error(), verbose);
        return ExitCode::Failed;
    }
    Project &pr = **project;
    ProjectStore &store = pr.store();
    std::optional<FaceDetector> detector;
    QJsonArray plans;
    int failures = 0;
    int rendered = 0;
    for (int page = 0; page < MonthEntry::PageCount; ++page) {
        const qint64 masterId = pr.month(page).masterId;
        if (masterId == 0 || !format->position(page)) {
            if (!p.isSet(jsonOption))
                err << pageName(page) << ": no picture yet, skipped" << Qt::endl;
            continue;
        }
        const auto fail = [&](const Error &error) {
            err << pageName(page) << ": ";
            printError(err, error, verbose);
            ++failures;
        };
        auto info = store.masterInfo(masterId);
        if (!info) {
            fail(info.error());
            continue;
        }
        auto bytes = store.readBlob(info->blobId);
        if (!bytes) {
            fail(bytes.error());
            continue;
        }
        // Decoded once: the faces (when not stored yet) and every output come from this one copy.
        auto master = Renderer::load(*bytes);
        if (!master) {
            fail(master.error());
            continue;
        }
        auto stored = store.masterFaces(masterId);
        std::optional<MasterFaces> faces;
        if (stored && *stored)
            if (auto f = MasterFaces::fromJson(**stored))
                faces = *f;
        if (!faces) {
            if (!detector) {
                auto created = FaceDetector::create();
                if (!created) {
                    fail(created.error());
                    continue;
                }
                detector = std::move(*created);
            }
            faces = MasterFaces::detect(master->scaledCopy(FaceDetector::MaxDetectionEdge), master->size(), *detector);
            if (auto st = store.setMasterFaces(masterId, faces->toJson()); !st)
                qWarning("faces of master %lld not stored: %s", masterId, qPrintable(st.error().userMessage));
        }
        auto plan = CropPlanner::plan(*info, *faces, *format, page, pr.userCrop(page, format->id));
        if (!plan) {
            fail(plan.error());
            continue;
        }
        const QString name = QStringLiteral("%1").arg(page, 2, 10, QLatin1Char('0'));
        QList<RenderOutput> outputs;
        if (previews)
            outputs.append({plan->crop, previewSize(plan->outputPixels), RenderKind::ScreenPreview, false, 300,
                            outDir.filePath(QStringLiteral("previews/%1.jpg").arg(name))});
        if (print) {
            outputs.append({plan->crop, plan->outputPixels, RenderKind::PrintJpeg, true, format->targetDpi,
                            outDir.filePath(QStringLiteral("print/%1.jpg").arg(name))});
            if (p.isSet(pngOption))
                outputs.append({plan->crop, plan->outputPixels, RenderKind::PrintPng, true, format->targetDpi,
                                outDir.filePath(QStringLiteral("print/%1.png").arg(name))});
        }
        // An offline draft stays labelled "Offline draft — not AI" whatever the crop cut away.
        for (RenderOutput &o : outputs)
            o.draftLabel = info->provider == QLatin1String("offline");
        auto result = master->render(outputs);
        if (!result) {
            fail(result.error());
            continue;
        }
        ++rendered;
        QJsonArray warnings;
        for (const CropWarning &w : std::as_const(plan->warnings)) {
            warnings.append(QJsonObject{{QStringLiteral("kind"), warningId(w.kind)}, {QStringLiteral("message"), w.message}});
            if (!p.isSet(jsonOption))
                err << pageName(page) << ": warning: " << w.message << Qt::endl;
        }
        QJsonArray files;
        for (const RenderedOutput &o : std::as_const(*result))
            files.append(QDir(outDir).relativeFilePath(o.path));
        plans.append(QJsonObject{{QStringLiteral("page"), page},
                                 {QStringLiteral("crop"), rectJson(plan->crop)},
                                 {QStringLiteral("source"), plan->userCrop ? QStringLiteral("user") : QStringLiteral("auto")},
                                 {QStringLiteral("width"), plan->outputPixels.width()},
                                 {QStringLiteral("height"), plan->outputPixels.height()},
                                 {QStringLiteral("effective_dpi"), qRound(plan->effectiveDpi)},
                                 {QStringLiteral("faces"), int(plan->faces.size())},
                                 {QStringLiteral("cut_faces"), int(plan->cutFaces.size())},
                                 {QStringLiteral("warnings"), warnings},
                                 {QStringLiteral("files"), files}});
        if (!p.isSet(jsonOption))
            out << pageName(page) << ": " << plan->crop.width() << "×" << plan->crop.height() << " at "
                << plan->crop.x() << "," << plan->crop.y() << " (" << (plan->userCrop ? "your crop" : "automatic")
                << "), " << qRound(plan->effectiveDpi) << " DPI → " << files.size() << " file(s)" << Qt::endl;
    }
    if (auto st = pr.flush(); !st)
        printError(err, st.error(), verbose);
    if (p.isSet(jsonOption))
        out << QJsonDocument(QJsonObject{{QStringLiteral("format"), format->id}, {QStringLiteral("pages"), plans}})
                   .toJson(QJsonDocument::Indented);
    if (rendered == 0 && failures == 0)
        err << "nothing to render: the project has no pictures yet (calstudio-cli generate)" << Qt::endl;
    return failures > 0 ? ExitCode::Failed : ExitCode::Ok;
}

} // namespace CalStudio::Cli
