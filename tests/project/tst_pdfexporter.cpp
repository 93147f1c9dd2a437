// PdfExporter: the calendar as a print PDF. The PDF itself is read back
// (through its xref table, as a viewer would): every page is trim + bleed
// in points, every photo is one image XObject of exactly the photo area's
// pixels drawn 1:1 at 300 DPI as a real JPEG, crop marks grow the page and
// lie outside the bleed, and a cancelled or impossible export leaves no
// file behind.

#include "core/calendar/pagecomposer.h"
#include "core/project/calendardocument.h"
#include "core/project/pdfexporter.h"
#include "core/project/project.h"
#include "core/project/projectstore.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QPainter>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace CalStudio;

namespace {

/// One indirect object of a PDF: its dictionary text and, for a stream, the raw (still encoded) bytes.
struct PdfObject {
    QByteArray dict;
    QByteArray stream;
};

/**
 * A minimal reader for the PDFs Qt writes: objects found through the xref
 * table (so a wrong offset fails), stream lengths resolved when indirect.
 */
struct Pdf {
    QMap<int, PdfObject> objects;
    QList<int> pages; ///< page object numbers in /Kids order

    static std::optional<Pdf> read(const QByteArray &bytes)
    {
        Pdf pdf;
        const int startxref = bytes.lastIndexOf("startxref");
        if (startxref < 0)
            return std::nullopt;
        const qint64 xref = bytes.mid(startxref + 9, 24).trimmed().split('\n').first().trimmed().toLongLong();
        if (bytes.mid(xref, 4) != "xref")
            return std::nullopt;
        const QList<QByteArray> header = bytes.mid(xref + 5, 32).split('\n').first().trimmed().split(' ');
        const int count = header.value(1).toInt();
        QMap<int, qint64> offsets;
        const qint64 table = bytes.indexOf('\n', xref + 5) + 1;
        for (int i = 1; i < count; ++i) {
            const QByteArray entry = bytes.mid(table + i * 20, 20);
            if (entry.at(17) == 'n')
                offsets.insert(i, entry.left(10).toLongLong());
        }
        QMap<int, QByteArray> raw; // dictionary or value text of each object
        QMap<int, qint64> streamStart;
        for (auto it = offsets.cbegin(); it != offsets.cend(); ++it) {
            const QByteArray head = QByteArray::number(it.key()) + " 0 obj";
            if (bytes.mid(it.value(), head.size()) != head)
                return std::nullopt;
            const qint64 begin = it.value() + head.size();
            const qint64 end = bytes.indexOf("endobj", begin);
            const qint64 stream = bytes.indexOf("stream\n", begin);
            if (stream >= 0 && stream < end) {
                raw.insert(it.key(), bytes.mid(begin, stream - begin));
                streamStart.insert(it.key(), stream + 7);
            } else {
                raw.insert(it.key(), bytes.mid(begin, end - begin));
            }
        }
        static const QRegularExpression lengthRx(QStringLiteral("/Length (\\d+)( 0 R)?"));
        for (auto it = raw.cbegin(); it != raw.cend(); ++it) {
            PdfObject object;
            object.dict = it.value();
            if (streamStart.contains(it.key())) {
                const auto m = lengthRx.match(QString::fromLatin1(object.dict));
                if (!m.hasMatch())
                    return std::nullopt;
                const qint64 length = m.captured(2).isEmpty() ? m.captured(1).toLongLong()
                                                              : raw.value(m.captured(1).toInt()).trimmed().toLongLong();
                object.stream = bytes.mid(streamStart.value(it.key()), length);
                if (!bytes.mid(streamStart.value(it.key()) + length, 16).trimmed().startsWith("endstream"))
                    return std::nullopt;
            }
            pdf.objects.insert(it.key(), object);
        }
        for (const PdfObject &o : std::as_const(pdf.objects)) {
            if (!o.dict.contains("/Type /Pages"))
                continue;
            static const QRegularExpression kidRx(QStringLiteral("(\\d+) 0 R"));
            const QString kids = QString::fromLatin1(o.dict.mid(o.dict.indexOf("/Kids")));
            for (auto m = kidRx.globalMatch(kids.left(kids.indexOf(QLatin1Char(']')))); m.hasNext();)
                pdf.pages.append(m.next().captured(1).toInt());
        }
        return pdf;
    }

    [[nodiscard]] QSizeF mediaBox(int page) const
    {
        static const QRegularExpression rx(
            QStringLiteral("/MediaBox \\[([-\\d.]+) ([-\\d.]+) ([-\\d.]+) ([-\\d.]+)\\]"));
        const auto m = rx.match(QString::fromLatin1(objects.value(pages.value(page)).dict));
        if (!m.hasMatch())
            return {};
        return QSizeF(
            m.captured(3).toDouble() - m.captured(1).toDouble(), m.captured(4).toDouble() - m.captured(2).toDouble());
    }

    /// Numbers of the image XObjects a page uses.
    [[nodiscard]] QList<int> images(int page) const
    {
        static const QRegularExpression resourcesRx(QStringLiteral("/Resources (\\d+) 0 R"));
        static const QRegularExpression imageRx(QStringLiteral("/Im\\d+ (\\d+) 0 R"));
        const auto r = resourcesRx.match(QString::fromLatin1(objects.value(pages.value(page)).dict));
        QList<int> result;
        if (!r.hasMatch())
            return result;
        const QString resources = QString::fromLatin1(objects.value(r.captured(1).toInt()).dict);
        for (auto m = imageRx.globalMatch(resources); m.hasNext();) {
            const int number = m.next().captured(1).toInt();
            if (objects.value(number).dict.contains("/Subtype /Image"))
                result.append(number);
        }
        return result;
    }

    [[nodiscard]] int allImages() const
    {
        int n = 0;
        for (const PdfObject &o : objects)
            n += o.dict.contains("/Subtype /Image") ? 1 : 0;
        return n;
    }

    /// The page's content stream, inflated.
    [[nodiscard]] QByteArray content(int page) const
    {
        static const QRegularExpression contentsRx(QStringLiteral("/Contents (\\d+) 0 R"));
        const auto m = contentsRx.match(QString::fromLatin1(objects.value(pages.value(page)).dict));
        const PdfObject object = objects.value(m.captured(1).toInt());
        if (!object.dict.contains("/FlateDecode"))
            return object.stream;
        // qUncompress wants the inflated size up front; it grows the buffer when the guess is short.
        QByteArray sized(4, '\0');
        const quint32 guess = quint32(object.stream.size()) * 8 + 1024;
        for (int i = 0; i < 4; ++i)
            sized[i] = char((guess >> (24 - 8 * i)) & 0xff);
        return qUncompress(sized + object.stream);
    }
};

int intValue(const QByteArray &dict, const char *key)
{
    const QRegularExpression rx(QStringLiteral("/%1 (\\d+)").arg(QLatin1String(key)));
    return rx.match(QString::fromLatin1(dict)).captured(1).toInt();
}

/// The size in a JPEG's start-of-frame header, and whether it is one.
QSize jpegSize(const QByteArray &jpeg)
{
    if (!jpeg.startsWith("\xff\xd8"))
        return {};
    int i = 2;
    while (i + 9 < jpeg.size()) {
        const auto marker = uchar(jpeg.at(i + 1));
        const int length = (uchar(jpeg.at(i + 2)) << 8) | uchar(jpeg.at(i + 3));
        if (marker >= 0xc0 && marker <= 0xc2)
            return QSize((uchar(jpeg.at(i + 7)) << 8) | uchar(jpeg.at(i + 8)),
                (uchar(jpeg.at(i + 5)) << 8) | uchar(jpeg.at(i + 6)));
        i += 2 + length;
    }
    return {};
}

/// A 1024² master with the test face in it, as PNG.
QByteArray masterPng()
{
    static const QByteArray png = [] {
        QImage picture(1024, 1024, QImage::Format_RGB888);
        picture.fill(QColor(90, 120, 160));
        {
            QPainter painter(&picture);
            QLinearGradient sky(0, 0, 0, 1024);
            sky.setColorAt(0, QColor(40, 70, 140));
            sky.setColorAt(1, QColor(230, 180, 120));
            painter.fillRect(picture.rect(), sky);
            painter.drawImage(
                QRect(312, 200, 400, 400), QImage(QStringLiteral(CALSTUDIO_TEST_DATA_DIR "/faces/astronaut.png")));
        }
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        picture.save(&buffer, "PNG");
        return bytes;
    }();
    return png;
}

/// A project whose calendar months (1–12, 0 the cover) in `months` have a master.
std::unique_ptr<Project> makeProject(
    const QString &path, const QList<int> &months, const QString &layout, int startMonth = 1)
{
    auto created
        = Project::create(path, ProjectSettings::defaults(QDate(2026, 11, 26), QLocale(QStringLiteral("en_US"))));
    if (!created)
        return nullptr;
    std::unique_ptr<Project> project = std::move(*created);
    if (!project->setPageLayout(layout) || !project->setStartMonth(startMonth))
        return nullptr;
    for (const int month : months) {
        CandidateRecord candidate;
        candidate.month = month;
        candidate.provider = QStringLiteral("offline");
        candidate.status = QStringLiteral("done");
        if (!project->store().addCandidate(candidate, masterPng()))
            return nullptr;
        const auto id = project->store().addMaster(
            month, MasterSource { candidate.id, 0 }, masterPng(), QSize(1024, 1024), QSize(1024, 1024));
        if (!id)
            return nullptr;
        project->assignMaster(month, *id);
    }
    return project;
}

/// The bleed box of a page in device units (1/300 in), where the composer draws.
QRectF bleedBox(const PrintFormat &format, bool cropMarks)
{
    const double mark = cropMarks ? PdfExporter::CropMarkAreaInches * 300 : 0;
    return QRectF(mark, mark, (format.trimInches.width() + 2 * format.bleedInches) * 300,
        (format.trimInches.height() + 2 * format.bleedInches) * 300);
}

/// The image placements of a content stream: the scale of each image pixel (1 = 300 DPI) and its offset.
struct Placement {
    double scaleX = 0;
    double scaleY = 0;
    QPointF offset;
    QSize pixels;
};

QList<Placement> placements(const QByteArray &content)
{
    // Qt writes the drawImage() matrix, then the image's own "w 0 0 -h 0 h cm" and Do.
    static const QRegularExpression rx(QStringLiteral("([-\\d.]+) ([-\\d.]+) ([-\\d.]+) ([-\\d.]+) ([-\\d.]+) "
                                                      "([-\\d.]+) cm\\s+(\\d+) 0 0 -(\\d+) 0 \\d+ cm /Im\\d+\\s+Do"));
    QList<Placement> result;
    for (auto m = rx.globalMatch(QString::fromLatin1(content)); m.hasNext();) {
        const auto match = m.next();
        result.append({ match.captured(1).toDouble(), match.captured(4).toDouble(),
            QPointF(match.captured(5).toDouble(), match.captured(6).toDouble()),
            QSize(match.captured(7).toInt(), match.captured(8).toInt()) });
    }
    return result;
}

/// Corners of the page (outside `bleed`) that have path points drawn in them.
int markedCorners(const QByteArray &content, const QRectF &bleed)
{
    static const QRegularExpression rx(QStringLiteral("([-\\d.]+) ([-\\d.]+) [ml]\\n"));
    QSet<int> corners;
    for (auto m = rx.globalMatch(QString::fromLatin1(content)); m.hasNext();) {
        const auto match = m.next();
        const QPointF p(match.captured(1).toDouble(), match.captured(2).toDouble());
        const bool left = p.x() < bleed.left() - 1;
        const bool right = p.x() > bleed.right() + 1;
        const bool top = p.y() < bleed.top() - 1;
        const bool bottom = p.y() > bleed.bottom() + 1;
        if (!left && !right && !top && !bottom)
            continue;
        const bool westHalf = p.x() < bleed.center().x();
        const bool northHalf = p.y() < bleed.center().y();
        corners.insert((northHalf ? 0 : 2) + (westHalf ? 0 : 1));
    }
    return int(corners.size());
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestPdfExporter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void pageSizeIsTrimPlusBleed_data()
    {
        QTest::addColumn<QString>("formatId");
        QTest::addColumn<QString>("layout");
        for (const PrintFormat &format : PrintFormat::builtIn()) {
            for (const char *layout : { "photo-above", "full-bleed", "side-by-side" })
                QTest::addRow("%s %s", qPrintable(format.id), layout) << format.id << QString::fromLatin1(layout);
        }
    }

    // 13 pages of (trim + 2 × bleed) × 72 points; each photo one JPEG XObject of the
    // photo area's exact pixels, drawn 1:1 (300 DPI); pages without a picture get none.
    void pageSizeIsTrimPlusBleed()
    {
        QFETCH(QString, formatId);
        QFETCH(QString, layout);
        const PrintFormat format = *PrintFormat::find(formatId);
        QTemporaryDir dir;
        auto project = makeProject(dir.filePath(QStringLiteral("p.calstudio")), { 0, 3 }, layout);
        QVERIFY(project);
        const QString out = dir.filePath(QStringLiteral("calendar.pdf"));
        const auto result = PdfExporter::exportPdf(*project, format, out);
        QVERIFY2(result, qPrintable(result.ok() ? QString() : result.error().toString()));
        QCOMPARE(result->path, out);
        QCOMPARE(result->bytes, QFileInfo(out).size());

        const QSizeF points((format.trimInches.width() + 2 * format.bleedInches) * 72,
            (format.trimInches.height() + 2 * format.bleedInches) * 72);
        QCOMPARE(result->pageSizePoints, points);
        const auto pdf = Pdf::read(readAll(out));
        QVERIFY(pdf);
        QCOMPARE(pdf->pages.size(), 13);
        QCOMPARE(result->pages.size(), 13);
        for (int page = 0; page < 13; ++page) {
            QVERIFY(std::abs(pdf->mediaBox(page).width() - points.width()) < 0.01);
            QVERIFY(std::abs(pdf->mediaBox(page).height() - points.height()) < 0.01);
            QCOMPARE(result->pages.at(page).page, page);
        }
        QCOMPARE(pdf->allImages(), 2); // the cover's photo and March's, nothing else rasterized

        const CalendarDocument document = CalendarDocument::fromProject(*project);
        const QRectF bleed = bleedBox(format, false);
        for (const int page : { 0, 3 }) {
            const PdfPageReport &report = result->pages.at(page);
            QVERIFY(report.hasPicture);
            const QList<int> images = pdf->images(page);
            QCOMPARE(images.size(), 1);
            const PdfObject image = pdf->objects.value(images.first());
            const QSize pixels(intValue(image.dict, "Width"), intValue(image.dict, "Height"));
            QCOMPARE(pixels, report.photoPixels);
            QVERIFY(image.dict.contains("/Filter /DCTDecode"));
            QCOMPARE(jpegSize(image.stream), pixels);
            if (page == 3) {
                // The composer's own geometry says where the photo goes: exactly its pixels at 300 DPI.
                const QRectF area = document.composer().monthGeometry(bleed, document.monthPage(3)).photo;
                QCOMPARE(pixels, QSize(qRound(area.width()), qRound(area.height())));
                if (layout == QLatin1String("full-bleed"))
                    QCOMPARE(pixels, format.position(3)->pixels);
            } else {
                QCOMPARE(pixels.width(), qRound(bleed.width()));
                QVERIFY(pixels.height() > bleed.height() / 2 && pixels.height() < bleed.height());
            }
            // Drawn 1:1: one image pixel is one device unit, 1/300 in, so nothing was resampled.
            const QList<Placement> drawn = placements(pdf->content(page));
            QCOMPARE(drawn.size(), 1);
            QCOMPARE(drawn.first().pixels, pixels);
            QVERIFY2(std::abs(drawn.first().scaleX - 1) < 0.001 && std::abs(drawn.first().scaleY - 1) < 0.001,
                qPrintable(QStringLiteral("%1 × %2").arg(drawn.first().scaleX).arg(drawn.first().scaleY)));
            // The photo is cut from the master around the face, with the photo area's aspect.
            QVERIFY(QRect(0, 0, 1024, 1024).contains(report.photoCrop));
            QVERIFY(std::abs(double(report.photoCrop.width()) / report.photoCrop.height()
                        - double(pixels.width()) / pixels.height())
                < 2.0 / report.photoCrop.height());
            QVERIFY(report.photoCrop.intersects(QRect(312, 200, 400, 400)));
        }
        for (int page = 0; page < 13; ++page) {
            if (page != 0 && page != 3) {
                QVERIFY(!result->pages.at(page).hasPicture);
                QVERIFY(pdf->images(page).isEmpty());
            }
        }
        // No face was stored yet: detected now, handed back for storing.
        QCOMPARE(result->detectedFaces.size(), 2);
    }

    // Every page with a picture, in calendar order from July: page 1 shows July's master.
    void allThirteenPhotosInCalendarOrder()
    {
        QTemporaryDir dir;
        QList<int> months;
        for (int m = 0; m <= 12; ++m)
            months.append(m);
        auto project
            = makeProject(dir.filePath(QStringLiteral("p.calstudio")), months, QStringLiteral("photo-above"), 7);
        QVERIFY(project);
        const PrintFormat format = *PrintFormat::find(QStringLiteral("wall-portrait"));
        // Faces stored for every master: nothing is detected during the export.
        for (int m = 0; m <= 12; ++m) {
            const qint64 id = project->month(m).masterId;
            QVERIFY(project->store().setMasterFaces(id,
                QJsonObject { { QStringLiteral("width"), 1024 }, { QStringLiteral("height"), 1024 },
                    { QStringLiteral("faces"), QJsonArray {} } }));
        }
        QList<std::pair<int, int>> progress;
        const QString out = dir.filePath(QStringLiteral("all.pdf"));
        const auto result = PdfExporter::exportPdf(*project, format, out, {}, [&progress](int done, int total) {
            progress.append({ done, total });
            return true;
        });
        QVERIFY2(result, qPrintable(result.ok() ? QString() : result.error().toString()));
        QVERIFY(result->detectedFaces.isEmpty());
        QCOMPARE(progress.size(), 14);
        QCOMPARE(progress.first(), std::make_pair(0, 13));
        QCOMPARE(progress.last(), std::make_pair(13, 13));
        QCOMPARE(result->pages.at(1).title, QStringLiteral("July 2027"));
        const auto pdf = Pdf::read(readAll(out));
        QVERIFY(pdf);
        QCOMPARE(pdf->pages.size(), 13);
        QCOMPARE(pdf->allImages(), 13); // one per page, each embedded once
        for (int page = 0; page < 13; ++page) {
            QVERIFY(result->pages.at(page).hasPicture);
            QCOMPARE(pdf->images(page).size(), 1);
            // A 1024 px master printed 8.75 in wide: far below 300 DPI, and the report says so.
            QVERIFY(result->pages.at(page).effectiveDpi < 200);
            QVERIFY(!result->pages.at(page).warnings.isEmpty());
        }
    }

    // A hand-made crop on a full-bleed page is printed exactly as the crop editor fitted it.
    void userCropIsKept()
    {
        QTemporaryDir dir;
        auto project = makeProject(dir.filePath(QStringLiteral("p.calstudio")), { 5 }, QStringLiteral("full-bleed"));
        QVERIFY(project);
        const PrintFormat format = *PrintFormat::find(QStringLiteral("square"));
        const QRectF crop(0.1, 0.2, 0.5, 0.5);
        QVERIFY(project->setUserCrop(5, format.id, crop));
        const auto result = PdfExporter::exportPdf(*project, format, dir.filePath(QStringLiteral("c.pdf")));
        QVERIFY(result);
        QCOMPARE(result->pages.at(5).photoCrop,
            CropPlanner::fitUserCrop(crop, QSize(1024, 1024), format.position(5)->pixels));
        QCOMPARE(result->pages.at(5).photoPixels, format.position(5)->pixels);
    }

    // Crop marks: the page grows by the mark area on every side, marks sit in all four corners
    // outside the bleed, and the calendar itself is where it was, shifted into the middle.
    void cropMarksGrowThePageAndStayOutsideTheBleed()
    {
        QTemporaryDir dir;
        auto project = makeProject(dir.filePath(QStringLiteral("p.calstudio")), { 1 }, QStringLiteral("full-bleed"));
        QVERIFY(project);
        const PrintFormat format = *PrintFormat::find(QStringLiteral("wall-landscape"));
        PdfExportOptions options;
        options.cropMarks = true;
        const QString out = dir.filePath(QStringLiteral("marks.pdf"));
        const auto result = PdfExporter::exportPdf(*project, format, out, options);
        QVERIFY(result);
        const double grow = 2 * PdfExporter::CropMarkAreaInches * 72;
        const QSizeF points(11.25 * 72 + grow, 8.75 * 72 + grow);
        QCOMPARE(result->pageSizePoints, points);
        const auto pdf = Pdf::read(readAll(out));
        QVERIFY(pdf);
        QCOMPARE(pdf->pages.size(), 13);
        const QRectF bleed = bleedBox(format, true);
        for (int page = 0; page < 13; ++page) {
            QVERIFY(std::abs(pdf->mediaBox(page).width() - points.width()) < 0.01);
            QVERIFY(std::abs(pdf->mediaBox(page).height() - points.height()) < 0.01);
            QCOMPARE(markedCorners(pdf->content(page), bleed), 4);
        }
        const QList<Placement> drawn = placements(pdf->content(1));
        QCOMPARE(drawn.size(), 1);
        QCOMPARE(drawn.first().pixels, QSize(3375, 2625));
        QVERIFY(std::abs(drawn.first().offset.x() - bleed.x()) < 0.01);
        QVERIFY(std::abs(drawn.first().offset.y() - bleed.y()) < 0.01);

        // Without marks nothing is drawn outside the bleed box (it is the whole page).
        const QString plain = dir.filePath(QStringLiteral("plain.pdf"));
        QVERIFY(PdfExporter::exportPdf(*project, format, plain));
        const auto plainPdf = Pdf::read(readAll(plain));
        QVERIFY(plainPdf);
        QCOMPARE(markedCorners(plainPdf->content(1), bleedBox(format, false)), 0);
    }

    void cropMarkLinesExtendTheTrimEdges()
    {
        const QRectF page(0, 0, 1000, 800);
        const QRectF bleed(100, 100, 800, 600);
        const QRectF trim = bleed.adjusted(30, 30, -30, -30);
        const QList<QLineF> lines = PdfExporter::cropMarkLines(trim, bleed, page, 10);
        QCOMPARE(lines.size(), 8);
        for (const QLineF &line : lines) {
            QVERIFY(line.dx() == 0 || line.dy() == 0);
            // Never on the printed area, and always on a trim edge's extension.
            QVERIFY(
                !bleed.adjusted(-9, -9, 9, 9).contains(line.p1()) && !bleed.adjusted(-9, -9, 9, 9).contains(line.p2()));
            QVERIFY(line.x1() == trim.left() || line.x1() == trim.right() || line.y1() == trim.top()
                || line.y1() == trim.bottom());
            QVERIFY(page.contains(line.p1()) && page.contains(line.p2()));
        }
        QVERIFY(PdfExporter::cropMarkLines(trim, bleed, bleed, 10).isEmpty());
    }

    // Cancelling stops before the next page and leaves no file — and an older PDF of the same name untouched.
    void cancelLeavesNoFile()
    {
        QTemporaryDir dir;
        auto project
            = makeProject(dir.filePath(QStringLiteral("p.calstudio")), { 0, 1, 2, 3 }, QStringLiteral("photo-above"));
        QVERIFY(project);
        const PrintFormat format = *PrintFormat::find(QStringLiteral("square"));
        const QStringList before = QDir(dir.path()).entryList(QDir::Files | QDir::Hidden);

        const QString fresh = dir.filePath(QStringLiteral("fresh.pdf"));
        int calls = 0;
        const auto cancelled = PdfExporter::exportPdf(*project, format, fresh, {}, [&calls](int done, int) {
            ++calls;
            return done < 2;
        });
        QVERIFY(!cancelled);
        QCOMPARE(cancelled.error().code, QStringLiteral("cancelled"));
        QCOMPARE(calls, 3); // 0, 1, 2: stopped after the second page
        QVERIFY(!QFileInfo::exists(fresh));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), before); // no temporary file left

        const QString existing = dir.filePath(QStringLiteral("existing.pdf"));
        {
            QFile file(existing);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("%PDF-1.4 an older export");
        }
        const auto again = PdfExporter::exportPdf(*project, format, existing, {}, [](int, int) { return false; });
        QCOMPARE(again.error().code, QStringLiteral("cancelled"));
        QCOMPARE(readAll(existing), QByteArray("%PDF-1.4 an older export"));
    }

    void unwritableDestinationFailsCleanly_data()
    {
        QTest::addColumn<QString>("relative");
        QTest::newRow("missing folder") << QStringLiteral("no/such/folder/calendar.pdf");
        QTest::newRow("folder is a file") << QStringLiteral("afile/calendar.pdf");
    }

    void unwritableDestinationFailsCleanly()
    {
        QFETCH(QString, relative);
        QTemporaryDir dir;
        auto project = makeProject(dir.filePath(QStringLiteral("p.calstudio")), { 1 }, QStringLiteral("photo-above"));
        QVERIFY(project);
        {
            QFile file(dir.filePath(QStringLiteral("afile")));
            QVERIFY(file.open(QIODevice::WriteOnly));
        }
        const QString out = dir.filePath(relative);
        const auto result = PdfExporter::exportPdf(*project, *PrintFormat::find(QStringLiteral("square")), out);
        QVERIFY(!result);
        QCOMPARE(result.error().code, QStringLiteral("unwritable"));
        QVERIFY(result.error().userMessage.contains(QStringLiteral("calendar.pdf")));
        QVERIFY(!QFileInfo::exists(out));
    }

    // The lossless option embeds the same pixels deflated instead of as JPEG.
    void losslessImagesAreDeflated()
    {
        QTemporaryDir dir;
        auto project = makeProject(dir.filePath(QStringLiteral("p.calstudio")), { 2 }, QStringLiteral("side-by-side"));
        QVERIFY(project);
        PdfExportOptions options;
        options.losslessImages = true;
        const QString out = dir.filePath(QStringLiteral("lossless.pdf"));
        const auto result
            = PdfExporter::exportPdf(*project, *PrintFormat::find(QStringLiteral("wall-portrait")), out, options);
        QVERIFY(result);
        const auto pdf = Pdf::read(readAll(out));
        QVERIFY(pdf);
        const QList<int> images = pdf->images(2);
        QCOMPARE(images.size(), 1);
        const QByteArray dict = pdf->objects.value(images.first()).dict;
        QVERIFY(dict.contains("/Filter /FlateDecode"));
        QCOMPARE(QSize(intValue(dict, "Width"), intValue(dict, "Height")), result->pages.at(2).photoPixels);
    }

    // The request from a read-only store (what the CLI uses) sees the same pages and crops.
    void requestFromStoreMatchesTheProject()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.calstudio"));
        const PrintFormat format = *PrintFormat::find(QStringLiteral("square"));
        {
            auto project = makeProject(path, { 0, 4 }, QStringLiteral("photo-above"), 3);
            QVERIFY(project);
            // Crops are keyed by month entry: 4 is April, page 2 of a March start.
            QVERIFY(project->setUserCrop(4, format.id, QRectF(0.2, 0.2, 0.6, 0.6)));
            QVERIFY(project->flush());
        }
        auto store = ProjectStore::open(path, ProjectStore::Access::ReadOnly);
        QVERIFY(store);
        const auto request = PdfExporter::request(**store, format, dir.filePath(QStringLiteral("s.pdf")));
        QVERIFY(request);
        QCOMPARE(request->pages.size(), 13);
        QVERIFY(request->pages.at(0).master);
        QVERIFY(request->pages.at(2).master); // page 2 of a March start is April
        QVERIFY(request->pages.at(2).userCrop);
        QVERIFY(!request->pages.at(3).userCrop); // May's page: April's crop stays with April
        QVERIFY(!request->pages.at(1).master);
        const auto result = PdfExporter::exportPdf(*request);
        QVERIFY2(result, qPrintable(result.ok() ? QString() : result.error().toString()));
        QVERIFY(result->pages.at(2).hasPicture);
        QVERIFY(!result->pages.at(1).hasPicture);
    }
};

QTEST_MAIN(TestPdfExporter)
#include "tst_pdfexporter.moc"
