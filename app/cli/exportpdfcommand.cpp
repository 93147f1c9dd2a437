#include "app/cli/exportpdfcommand.h"

#include "app/cli/clicommands.h"
#include "core/commerce/printformat.h"
#include "core/project/pdfexporter.h"
#include "core/project/projectstore.h"

#include <QCommandLineParser>
#include <QFileInfo>

namespace CalStudio::Cli {

int exportPdfCommand(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose)
{
    QCommandLineParser p;
    const QCommandLineOption formatOption(
        QStringLiteral("format"), QStringLiteral("Print format id."), QStringLiteral("id"));
    const QCommandLineOption outOption(
        QStringLiteral("out"), QStringLiteral("The PDF to write."), QStringLiteral("file"));
    const QCommandLineOption marksOption(QStringLiteral("crop-marks"), QStringLiteral("Crop marks outside the bleed."));
    const QCommandLineOption losslessOption(
        QStringLiteral("lossless"), QStringLiteral("Photos deflated instead of JPEG."));
    p.addOptions({ formatOption, outOption, marksOption, losslessOption });
    const char *usage = "usage: calstudio-cli export-pdf PROJECT --format ID --out FILE [--crop-marks] [--lossless]";
    if (!p.parse(QStringList { QStringLiteral("export-pdf") } + args) || p.positionalArguments().size() != 1
        || !p.isSet(formatOption) || !p.isSet(outOption) || p.value(outOption).isEmpty()) {
        err << (p.errorText().isEmpty() ? QString() : p.errorText() + QLatin1Char('\n')) << usage << Qt::endl;
        return ExitCode::Usage;
    }
    const auto format = findFormat(p.value(formatOption), err);
    if (!format)
        return ExitCode::Usage;

    // Read-only: no lock is taken, so this works while the studio has the project open.
    auto store = ProjectStore::open(p.positionalArguments().constFirst(), ProjectStore::Access::ReadOnly);
    if (!store) {
        printError(err, store.error(), verbose);
        return ExitCode::Failed;
    }
    PdfExportOptions options;
    options.cropMarks = p.isSet(marksOption);
    options.losslessImages = p.isSet(losslessOption);
    auto request = PdfExporter::request(**store, *format, p.value(outOption), options);
    if (!request) {
        printError(err, request.error(), verbose);
        return ExitCode::Failed;
    }
    if (!request->document.holidayError().isNull())
        err << "warning: " << request->document.holidayError().userMessage << Qt::endl;
    for (const PdfPageSource &source : std::as_const(request->pages)) {
        if (!source.master)
            err << request->document.pageTitle(source.page)
                << ": no picture yet, the page shows a placeholder (calstudio-cli generate)" << Qt::endl;
    }

    const auto result = PdfExporter::exportPdf(*request, [&err, verbose](int done, int total) {
        if (verbose)
            err << "page " << done << "/" << total << Qt::endl;
        return true;
    });
    if (!result) {
        printError(err, result.error(), verbose);
        return ExitCode::Failed;
    }
    for (const PdfPageReport &page : std::as_const(result->pages)) {
        for (const CropWarning &warning : page.warnings)
            err << page.title << ": warning: " << warning.message << Qt::endl;
    }
    int pictures = 0;
    for (const PdfPageReport &page : std::as_const(result->pages))
        pictures += page.hasPicture ? 1 : 0;
    out << QFileInfo(result->path).filePath() << ": " << result->pages.size() << " pages (" << pictures
        << " with pictures) of " << QString::number(result->pageSizePoints.width() / 72, 'g', 4) << " × "
        << QString::number(result->pageSizePoints.height() / 72, 'g', 4) << " in"
        << (options.cropMarks ? " with crop marks" : "") << ", " << QString::number(result->bytes / 1e6, 'f', 1)
        << " MB" << Qt::endl;
    return ExitCode::Ok;
}

} // namespace CalStudio::Cli
