#include "app/cli/pagescommand.h"

#include "app/cli/clicommands.h"
#include "core/project/calendardocument.h"
#include "core/project/projectstore.h"

#include <QCommandLineParser>
#include <QDir>
#include <QRegularExpression>

namespace CalStudio::Cli {

int pagesCommand(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose)
{
    QCommandLineParser p;
    const QCommandLineOption outDir(QStringLiteral("out"), QStringLiteral("Folder for the PNG files"),
                                    QStringLiteral("dir"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Page size in pixels"),
                                  QStringLiteral("WxH"), QStringLiteral("1275x1650"));
    p.addOptions({outDir, size});
    if (!p.parse(QStringList{QStringLiteral("pages")} + args) || p.positionalArguments().size() != 1
        || !p.isSet(outDir)) {
        err << "usage: calstudio-cli pages PROJECT --out DIR [--size WxH]" << Qt::endl;
        return ExitCode::Usage;
    }
    const auto match = QRegularExpression(QStringLiteral("^(\\d{2,5})x(\\d{2,5})$")).match(p.value(size));
    const QSize pageSize = match.hasMatch() ? QSize(match.captured(1).toInt(), match.captured(2).toInt()) : QSize();
    if (!pageSize.isValid() || pageSize.width() > 12000 || pageSize.height() > 12000) {
        err << "--size must be WIDTHxHEIGHT in pixels, at most 12000x12000" << Qt::endl;
        return ExitCode::Usage;
    }

    auto store = ProjectStore::open(p.positionalArguments().constFirst(), ProjectStore::Access::ReadOnly);
    if (!store) {
        err << "error: " << store.error().userMessage << Qt::endl;
        return ExitCode::Failed;
    }
    auto document = CalendarDocument::fromStore(**store);
    if (!document) {
        err << "error: " << document.error().userMessage << Qt::endl;
        return ExitCode::Failed;
    }
    if (!document->holidayError().isNull())
        err << "warning: " << document->holidayError().userMessage << Qt::endl;
    if (verbose)
        err << "rendering " << CalendarDocument::PageCount << " pages of " << pageSize.width() << "x"
            << pageSize.height() << Qt::endl;

    QDir dir(p.value(outDir));
    if (!dir.mkpath(QStringLiteral("."))) {
        err << "error: cannot create " << dir.path() << Qt::endl;
        return ExitCode::Failed;
    }
    const PageComposer composer = document->composer();
    for (int page = 0; page < CalendarDocument::PageCount; ++page) {
        QString name;
        QImage image;
        if (page == 0) {
            name = QStringLiteral("00-cover.png");
            image = composer.renderCover(pageSize, document->cover());
        } else {
            const auto [year, month] = document->yearMonth(page);
            name = QStringLiteral("%1-%2-%3.png")
                       .arg(page, 2, 10, QLatin1Char('0'))
                       .arg(year)
                       .arg(month, 2, 10, QLatin1Char('0'));
            image = composer.renderMonth(pageSize, document->monthPage(page));
        }
        const QString path = dir.filePath(name);
        if (!image.save(path)) {
            err << "error: could not write " << path << " (disk full or no permission?)" << Qt::endl;
            return ExitCode::Failed;
        }
        out << path << '\n';
    }
    return ExitCode::Ok;
}

} // namespace CalStudio::Cli
