#include "core/imaging/imagedecoder.h"
#include "core/imaging/draftlabel.h"
#include "core/imaging/renderer.h"

#include <QBuffer>
#include <QColorSpace>
#include <QDir>
#include <QFile>
#include <QImageReader>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <optional>
#include <sys/resource.h>
#include <thread>

using namespace CalStudio;

namespace {

/// Why a result failed, for QVERIFY2 (which evaluates its message even on success).
template<typename T>
QByteArray why(const Result<T> &result)
{
    return result.ok() ? QByteArray() : result.error().toString().toUtf8();
}

const QColor kRed(220, 30, 30);
const QColor kGreen(30, 180, 60);
const QColor kBlue(40, 60, 210);
const QColor kWhite(250, 250, 250);

/// A master with four coloured quadrants: red top-left, green top-right, blue bottom-left, white bottom-right.
QImage quadrants(QSize size)
{
    QImage image(size, QImage::Format_RGB888);
    const int hw = size.width() / 2;
    const int hh = size.height() / 2;
    for (int y = 0; y < size.height(); ++y) {
        uchar *row = image.scanLine(y);
        for (int x = 0; x < size.width(); ++x) {
            const QColor &c = y < hh ? (x < hw ? kRed : kGreen) : (x < hw ? kBlue : kWhite);
            row[3 * x] = uchar(c.red());
            row[3 * x + 1] = uchar(c.green());
            row[3 * x + 2] = uchar(c.blue());
        }
    }
    image.setColorSpace(QColorSpace::SRgb);
    return image;
}

/// A master as the project stores it: 8-bit sRGB PNG with libvips' sRGB profile.
QByteArray masterPng(const QImage &image)
{
    auto png = ImageDecoder::encodeImage(image, true);
    if (!png)
        qFatal("cannot encode test master: %s", why(png).constData());
    return *png;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QSize encodedSize(const QByteArray &bytes)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    return QImageReader(&buffer).size();
}

bool near(QRgb a, const QColor &b, int tolerance)
{
    return std::abs(qRed(a) - b.red()) <= tolerance && std::abs(qGreen(a) - b.green()) <= tolerance
        && std::abs(qBlue(a) - b.blue()) <= tolerance;
}

QString describe(QRgb c)
{
    return QStringLiteral("(%1,%2,%3)").arg(qRed(c)).arg(qGreen(c)).arg(qBlue(c));
}

// ---- JPEG and PNG parsing, so metadata is checked in the bytes themselves --------

struct Segment {
    uchar marker = 0;
    QByteArray payload;
};

/// The marker segments of a JPEG up to (not including) the scan.
QList<Segment> jpegSegments(const QByteArray &jpeg)
{
    QList<Segment> segments;
    if (!jpeg.startsWith("\xFF\xD8"))
        return segments;
    qsizetype at = 2;
    while (at + 4 <= jpeg.size() && uchar(jpeg[at]) == 0xFF) {
        const uchar marker = uchar(jpeg[at + 1]);
        const qsizetype length = (uchar(jpeg[at + 2]) << 8) | uchar(jpeg[at + 3]);
        segments.append({ marker, jpeg.mid(at + 4, length - 2) });
        if (marker == 0xDA)
            break;
        at += 2 + length;
    }
    return segments;
}

std::optional<Segment> firstSegment(const QList<Segment> &segments, uchar marker, const QByteArray &prefix = {})
{
    for (const Segment &s : segments)
        if (s.marker == marker && s.payload.startsWith(prefix))
            return s;
    return std::nullopt;
}

/// Sampling factors (H<<4 | V) of each component in the frame header (SOF0/1/2).
QList<int> samplingFactors(const QByteArray &jpeg)
{
    for (const Segment &s : jpegSegments(jpeg)) {
        if (s.marker < 0xC0 || s.marker > 0xC2)
            continue;
        QList<int> factors;
        const int components = uchar(s.payload[5]);
        for (int c = 0; c < components; ++c)
            factors.append(uchar(s.payload[6 + 3 * c + 1]));
        return factors;
    }
    return {};
}

struct Chunk {
    QByteArray type;
    QByteArray data;
};

QList<Chunk> pngChunks(const QByteArray &png)
{
    QList<Chunk> chunks;
    if (!png.startsWith("\x89PNG\r\n\x1A\n"))
        return chunks;
    qsizetype at = 8;
    while (at + 12 <= png.size()) {
        const quint32 length = (quint32(uchar(png[at])) << 24) | (uchar(png[at + 1]) << 16) | (uchar(png[at + 2]) << 8)
            | uchar(png[at + 3]);
        chunks.append({ png.mid(at + 4, 4), png.mid(at + 8, qsizetype(length)) });
        at += 12 + qsizetype(length);
    }
    return chunks;
}

quint32 bigEndian32(const QByteArray &bytes, qsizetype at)
{
    return (quint32(uchar(bytes[at])) << 24) | (uchar(bytes[at + 1]) << 16) | (uchar(bytes[at + 2]) << 8)
        | uchar(bytes[at + 3]);
}

RenderOutput output(QRect crop, QSize size, RenderKind kind = RenderKind::ScreenPreview, const QString &path = {})
{
    RenderOutput o;
    o.crop = crop;
    o.size = size;
    o.kind = kind;
    o.path = path;
    return o;
}

QStringList filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot);
}

} // namespace

class TestRenderer : public QObject {
    Q_OBJECT

private:
    QByteArray m_small; ///< 1200×900 quadrants
    QByteArray m_big; ///< 4096² quadrants, for print-size outputs
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_small = masterPng(quadrants(QSize(1200, 900)));
        m_big = masterPng(quadrants(QSize(4096, 4096)));
    }

    void loadReportsSize()
    {
        auto renderer = Renderer::load(m_small);
        QVERIFY2(renderer.ok(), why(renderer).constData());
        QCOMPARE(renderer->size(), QSize(1200, 900));
    }

    void exactSize_data()
    {
        QTest::addColumn<QRect>("crop");
        QTest::addColumn<QSize>("size");

        QTest::newRow("2:3 print from a 4096 master") << QRect(683, 0, 2731, 4096) << QSize(2400, 3600);
        QTest::newRow("odd crop, not quite 2:3") << QRect(17, 33, 2699, 4051) << QSize(2400, 3600);
        QTest::newRow("3:2 preview") << QRect(0, 1365, 4096, 2731) << QSize(800, 533);
        QTest::newRow("2:3 preview, 533 wide") << QRect(1001, 3, 2731, 4093) << QSize(533, 800);
        QTest::newRow("square thumbnail") << QRect(5, 7, 4089, 4089) << QSize(400, 400);
        QTest::newRow("aspect differs from the crop") << QRect(0, 0, 1000, 1000) << QSize(800, 533);
        QTest::newRow("upscale, odd factors") << QRect(3, 5, 333, 777) << QSize(2400, 3600);
        QTest::newRow("upscale one axis only") << QRect(0, 0, 3000, 500) << QSize(2550, 3300);
        QTest::newRow("same size") << QRect(100, 100, 641, 479) << QSize(641, 479);
        QTest::newRow("one pixel") << QRect(2048, 2048, 1, 1) << QSize(1, 1);
        QTest::newRow("one pixel to odd") << QRect(0, 0, 1, 1) << QSize(7, 5);
        QTest::newRow("whole master to a strip") << QRect(0, 0, 4096, 4096) << QSize(4096, 1);
        QTest::newRow("reduced 64 times") << QRect(0, 0, 4096, 4096) << QSize(64, 64);
        QTest::newRow("reduced 65 times") << QRect(0, 0, 4095, 4095) << QSize(63, 63);
        QTest::newRow("reduced 4096 times") << QRect(0, 0, 4096, 4096) << QSize(1, 1);
        QTest::newRow("Printify position") << QRect(0, 456, 4096, 3232) << QSize(3454, 2725);
    }

    void exactSize()
    {
        QFETCH(QRect, crop);
        QFETCH(QSize, size);
        auto rendered = Renderer::render(m_big, { output(crop, size) });
        QVERIFY2(rendered.ok(), why(rendered).constData());
        QCOMPARE(rendered->size(), 1);
        QCOMPARE(rendered->first().size, size);
        QCOMPARE(encodedSize(rendered->first().bytes), size);
    }

    void exactSizeRandom()
    {
        // Many crops and sizes in one call, so the master is decoded once.
        auto renderer = Renderer::load(m_small);
        QVERIFY(renderer.ok());
        QRandomGenerator random(20261126);
        QList<RenderOutput> outputs;
        for (int i = 0; i < 60; ++i) {
            const int w = random.bounded(1, 1201);
            const int h = random.bounded(1, 901);
            const QRect crop(random.bounded(0, 1200 - w + 1), random.bounded(0, 900 - h + 1), w, h);
            outputs.append(output(crop, QSize(random.bounded(1, 1700), random.bounded(1, 1700))));
        }
        auto rendered = renderer->render(outputs);
        QVERIFY2(rendered.ok(), why(rendered).constData());
        for (qsizetype i = 0; i < outputs.size(); ++i)
            QVERIFY2(encodedSize((*rendered)[i].bytes) == outputs[i].size,
                qPrintable(QStringLiteral("output %1: %2x%3 from %4x%5")
                               .arg(i)
                               .arg(outputs[i].size.width())
                               .arg(outputs[i].size.height())
                               .arg(outputs[i].crop.width())
                               .arg(outputs[i].crop.height())));
    }

    // An offline draft's label is burned into every output, whatever the crop cut away from the master's own.
    void draftLabelIsBurnedIn()
    {
        QImage plain(800, 800, QImage::Format_RGB888);
        plain.fill(QColor(40, 160, 90));
        const QByteArray master = masterPng(plain);
        RenderOutput output;
        output.crop = QRect(100, 100, 400, 300); // nowhere near the master's bottom band or corner tag
        output.size = QSize(800, 600);
        output.kind = RenderKind::PrintPng;
        const auto without = Renderer::render(master, {output});
        QVERIFY2(without, why(without));
        output.draftLabel = true;
        const auto with = Renderer::render(master, {output});
        QVERIFY2(with, why(with));
        const QImage a = QImage::fromData(without->first().bytes).convertToFormat(QImage::Format_RGB888);
        const QImage b = QImage::fromData(with->first().bytes).convertToFormat(QImage::Format_RGB888);
        QCOMPARE(b.size(), QSize(800, 600));
        // Unlabelled: one flat colour. Labelled: the dark band across the bottom, where DraftLabel puts it.
        const QRect band = DraftLabel::bandRect(b.size());
        const QColor inBand = b.pixelColor(band.left() + 2, band.center().y());
        QVERIFY(qAbs(a.pixelColor(band.left() + 2, band.center().y()).green() - 160) < 8);
        QVERIFY2(inBand.green() < 100, qPrintable(inBand.name()));
        QCOMPARE(b.pixelColor(400, 100), a.pixelColor(400, 100)); // the picture itself is untouched above it
    }

    void cropIsApplied_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("print png") << int(RenderKind::PrintPng);
        QTest::newRow("print jpeg") << int(RenderKind::PrintJpeg);
        QTest::newRow("preview") << int(RenderKind::ScreenPreview);
    }

    void cropIsApplied()
    {
        QFETCH(int, kind);
        const auto k = RenderKind(kind);
        const int tolerance = k == RenderKind::PrintPng ? 2 : 12;
        // Quadrants of the 1200×900 master: 600×450 each.
        const QList<RenderOutput> outputs = {
            output(QRect(650, 20, 500, 400), QSize(250, 200), k), // inside green
            output(QRect(40, 480, 500, 400), QSize(500, 400), k), // inside blue, same size
            output(QRect(600, 0, 600, 900), QSize(200, 300), k), // right half: green over white
            output(QRect(0, 0, 1200, 900), QSize(120, 90), k), // everything
        };
        auto rendered = Renderer::render(m_small, outputs);
        QVERIFY2(rendered.ok(), why(rendered).constData());
        const auto decode = [&](int i) { return QImage::fromData((*rendered)[i].bytes); };

        const QImage green = decode(0);
        for (const QPoint p : { QPoint(0, 0), QPoint(249, 199), QPoint(125, 100) })
            QVERIFY2(near(green.pixel(p), kGreen, tolerance), qPrintable(describe(green.pixel(p))));
        const QImage blue = decode(1);
        QVERIFY2(near(blue.pixel(250, 200), kBlue, tolerance), qPrintable(describe(blue.pixel(250, 200))));
        const QImage half = decode(2);
        QVERIFY2(near(half.pixel(100, 60), kGreen, tolerance), qPrintable(describe(half.pixel(100, 60))));
        QVERIFY2(near(half.pixel(100, 240), kWhite, tolerance), qPrintable(describe(half.pixel(100, 240))));
        const QImage all = decode(3);
        QVERIFY(near(all.pixel(20, 15), kRed, tolerance));
        QVERIFY(near(all.pixel(100, 15), kGreen, tolerance));
        QVERIFY(near(all.pixel(20, 75), kBlue, tolerance));
        QVERIFY(near(all.pixel(100, 75), kWhite, tolerance));
    }

    void printJpegMetadata_data()
    {
        QTest::addColumn<int>("dpi");
        QTest::addColumn<bool>("sharpen");
        QTest::newRow("300 dpi") << 300 << false;
        QTest::newRow("300 dpi sharpened") << 300 << true;
        QTest::newRow("240 dpi") << 240 << false;
    }

    void printJpegMetadata()
    {
        QFETCH(int, dpi);
        QFETCH(bool, sharpen);
        const QString path = m_dir.filePath(QStringLiteral("print-%1-%2.jpg").arg(dpi).arg(sharpen));
        RenderOutput o = output(QRect(683, 0, 2731, 4096), QSize(2400, 3600), RenderKind::PrintJpeg, path);
        o.dpi = dpi;
        o.sharpen = sharpen;
        auto rendered = Renderer::render(m_big, { o });
        QVERIFY2(rendered.ok(), why(rendered).constData());
        QCOMPARE(rendered->first().path, path);
        QVERIFY(rendered->first().bytes.isEmpty());
        const QByteArray jpeg = readFile(path);
        QCOMPARE(rendered->first().encodedBytes, jpeg.size());
        QCOMPARE(encodedSize(jpeg), QSize(2400, 3600));

        const QList<Segment> segments = jpegSegments(jpeg);
        QVERIFY(!segments.isEmpty());
        // JFIF APP0 first, density in dots per inch.
        const Segment &app0 = segments.first();
        QCOMPARE(app0.marker, uchar(0xE0));
        QVERIFY(app0.payload.startsWith(QByteArray("JFIF\0", 5)));
        QCOMPARE(int(uchar(app0.payload[7])), 1); // units: dots per inch
        QCOMPARE((uchar(app0.payload[8]) << 8) | uchar(app0.payload[9]), dpi);
        QCOMPARE((uchar(app0.payload[10]) << 8) | uchar(app0.payload[11]), dpi);

        // The sRGB profile, whole, as APP2 ICC_PROFILE.
        const auto icc = firstSegment(segments, 0xE2, QByteArray("ICC_PROFILE\0", 12));
        QVERIFY(icc.has_value());
        const QByteArray profile = icc->payload.mid(14);
        QCOMPARE(int(uchar(icc->payload[12])), 1);
        QCOMPARE(int(uchar(icc->payload[13])), 1);
        QCOMPARE(qsizetype(bigEndian32(profile, 0)), profile.size());
        QCOMPARE(profile.mid(36, 4), QByteArray("acsp"));
        const QColorSpace space = QColorSpace::fromIccProfile(profile);
        QVERIFY(space.isValid());
        QCOMPARE(space, QColorSpace(QColorSpace::SRgb));

        // No EXIF, XMP or anything else from the master.
        QVERIFY(!firstSegment(segments, 0xE1).has_value());
        QVERIFY(!firstSegment(segments, 0xED).has_value());

        // 4:4:4: every component sampled 1×1.
        QCOMPARE(samplingFactors(jpeg), (QList<int> { 0x11, 0x11, 0x11 }));

        // And Qt (another reader) agrees.
        QImageReader reader(path);
        const QImage image = reader.read();
        QVERIFY(!image.isNull());
        QCOMPARE(image.colorSpace(), QColorSpace(QColorSpace::SRgb));
        QCOMPARE(qRound(image.dotsPerMeterX() * 0.0254), dpi);
    }

    void previewJpegIsSmall()
    {
        auto rendered = Renderer::render(m_big, { output(QRect(683, 0, 2731, 4096), QSize(533, 800)) });
        QVERIFY(rendered.ok());
        const QByteArray jpeg = rendered->first().bytes;
        const QList<Segment> segments = jpegSegments(jpeg);
        QVERIFY(!firstSegment(segments, 0xE2).has_value()); // no 7 KB profile in a preview
        QVERIFY(!firstSegment(segments, 0xE1).has_value());
        QCOMPARE(samplingFactors(jpeg), (QList<int> { 0x22, 0x11, 0x11 })); // 4:2:0 is fine on screen
    }

    void printPngMetadata_data()
    {
        QTest::addColumn<int>("dpi");
        QTest::addColumn<quint32>("pixelsPerMetre");
        QTest::newRow("300 dpi") << 300 << quint32(11811);
        QTest::newRow("150 dpi") << 150 << quint32(5906);
    }

    void printPngMetadata()
    {
        QFETCH(int, dpi);
        QFETCH(quint32, pixelsPerMetre);
        const QString path = m_dir.filePath(QStringLiteral("print-%1.png").arg(dpi));
        RenderOutput o = output(QRect(0, 456, 4096, 3232), QSize(3454, 2725), RenderKind::PrintPng, path);
        o.dpi = dpi;
        auto rendered = Renderer::render(m_big, { o });
        QVERIFY2(rendered.ok(), why(rendered).constData());
        const QByteArray png = readFile(path);
        QCOMPARE(encodedSize(png), QSize(3454, 2725));

        const QList<Chunk> chunks = pngChunks(png);
        QStringList types;
        for (const Chunk &c : chunks)
            types.append(QString::fromLatin1(c.type));
        QVERIFY2(types.contains(QStringLiteral("iCCP")), qPrintable(types.join(u' ')));
        QVERIFY2(types.contains(QStringLiteral("pHYs")), qPrintable(types.join(u' ')));
        QVERIFY2(!types.contains(QStringLiteral("eXIf")) && !types.contains(QStringLiteral("tEXt"))
                && !types.contains(QStringLiteral("iTXt")),
            qPrintable(types.join(u' ')));
        for (const Chunk &c : chunks) {
            if (c.type == "pHYs") {
                QCOMPARE(bigEndian32(c.data, 0), pixelsPerMetre);
                QCOMPARE(bigEndian32(c.data, 4), pixelsPerMetre);
                QCOMPARE(int(uchar(c.data[8])), 1); // unit: metre
            }
        }
        QImageReader reader(path);
        const QImage image = reader.read();
        QCOMPARE(image.colorSpace(), QColorSpace(QColorSpace::SRgb));
        QCOMPARE(qRound(image.dotsPerMeterX() * 0.0254), dpi);
    }

    void jpegAndPngShareOnePrint()
    {
        const QString jpg = m_dir.filePath(QStringLiteral("both.jpg"));
        const QString png = m_dir.filePath(QStringLiteral("both.png"));
        const QRect crop(683, 0, 2731, 4096);
        RenderOutput a = output(crop, QSize(2400, 3600), RenderKind::PrintJpeg, jpg);
        RenderOutput b = output(crop, QSize(2400, 3600), RenderKind::PrintPng, png);
        a.sharpen = b.sharpen = true;
        auto rendered = Renderer::render(m_big, { a, output(crop, QSize(533, 800)), b });
        QVERIFY2(rendered.ok(), why(rendered).constData());
        QCOMPARE(rendered->size(), 3);
        QCOMPARE((*rendered)[0].path, jpg);
        QCOMPARE((*rendered)[2].path, png);
        const QImage fromJpeg(jpg);
        const QImage fromPng(png);
        QCOMPARE(fromJpeg.size(), fromPng.size());
        for (const QPoint p : { QPoint(10, 10), QPoint(2390, 3590), QPoint(1200, 900), QPoint(1300, 2700) })
            QVERIFY(near(fromJpeg.pixel(p), QColor(fromPng.pixel(p)), 6));
    }

    void upscaleIsReported()
    {
        auto rendered = Renderer::render(m_small,
            { output(QRect(0, 0, 300, 450), QSize(2400, 3600)), output(QRect(0, 0, 1200, 900), QSize(800, 600)),
                output(QRect(0, 0, 1000, 500), QSize(900, 600)) });
        QVERIFY(rendered.ok());
        QVERIFY((*rendered)[0].upscaled);
        QCOMPARE((*rendered)[0].scale, 8.0);
        QCOMPARE((*rendered)[0].effectiveDpi, 37.5);
        QVERIFY(!(*rendered)[1].upscaled);
        QVERIFY(qFuzzyCompare((*rendered)[1].effectiveDpi, 450.0));
        QVERIFY((*rendered)[2].upscaled); // 500 rows to 600: enlarged, even though narrower
    }

    void corruptMaster_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("truncated") << m_small.left(m_small.size() / 2);
        QTest::newRow("text") << QByteArray("this is not a picture at all, just words");
        QByteArray damaged = m_small;
        for (qsizetype i = damaged.size() / 3; i < damaged.size() / 3 + 64; ++i)
            damaged[i] = char(damaged[i] ^ 0x5A);
        QTest::newRow("damaged in the middle") << damaged;
    }

    void corruptMaster()
    {
        QFETCH(QByteArray, bytes);
        QTemporaryDir out;
        const QString path = out.filePath(QStringLiteral("print.jpg"));
        auto rendered = Renderer::render(bytes,
            { output(QRect(0, 0, 100, 100), QSize(100, 100), RenderKind::PrintJpeg, path),
                output(QRect(0, 0, 100, 100), QSize(10, 10), RenderKind::ScreenPreview) });
        QVERIFY(!rendered.ok());
        QCOMPARE(rendered.error().code, QStringLiteral("corrupt_master"));
        QVERIFY(!rendered.error().userMessage.isEmpty());
        QCOMPARE(filesIn(out.path()), QStringList());
    }

    void badOutputWritesNothing_data()
    {
        QTest::addColumn<QRect>("crop");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<int>("dpi");
        QTest::newRow("crop outside") << QRect(1000, 0, 300, 300) << QSize(100, 100) << 300;
        QTest::newRow("crop empty") << QRect(0, 0, 0, 10) << QSize(100, 100) << 300;
        QTest::newRow("size empty") << QRect(0, 0, 100, 100) << QSize(0, 100) << 300;
        QTest::newRow("size huge") << QRect(0, 0, 100, 100) << QSize(20000, 100) << 300;
        QTest::newRow("dpi zero") << QRect(0, 0, 100, 100) << QSize(100, 100) << 0;
    }

    void badOutputWritesNothing()
    {
        QFETCH(QRect, crop);
        QFETCH(QSize, size);
        QFETCH(int, dpi);
        QTemporaryDir out;
        RenderOutput bad = output(crop, size, RenderKind::PrintJpeg, out.filePath(QStringLiteral("b.jpg")));
        bad.dpi = dpi;
        // The good output comes first and still is not written: all are checked before any is made.
        auto rendered = Renderer::render(m_small,
            { output(
                  QRect(0, 0, 100, 100), QSize(50, 50), RenderKind::PrintJpeg, out.filePath(QStringLiteral("a.jpg"))),
                bad });
        QVERIFY(!rendered.ok());
        QCOMPARE(rendered.error().code, QStringLiteral("bad_output"));
        QCOMPARE(filesIn(out.path()), QStringList());
    }

    void unwritableDestination_data()
    {
        QTest::addColumn<QString>("relative");
        QTest::newRow("missing folder") << QStringLiteral("no/such/folder/print.jpg");
        QTest::newRow("parent is a file") << QStringLiteral("afile/print.jpg");
    }

    void unwritableDestination()
    {
        QFETCH(QString, relative);
        QTemporaryDir out;
        QFile blocker(out.filePath(QStringLiteral("afile")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        auto rendered = Renderer::render(
            m_small, { output(QRect(0, 0, 600, 900), QSize(200, 300), RenderKind::PrintJpeg, out.filePath(relative)) });
        QVERIFY(!rendered.ok());
        QCOMPARE(rendered.error().code, QStringLiteral("unwritable"));
        QVERIFY(rendered.error().userMessage.contains(QStringLiteral("print.jpg")));
        QCOMPARE(filesIn(out.path()), QStringList { QStringLiteral("afile") });
    }

    void failedWriteLeavesNothingHalfWritten_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("png") << int(RenderKind::PrintPng);
        QTest::newRow("jpeg") << int(RenderKind::PrintJpeg);
    }

    void failedWriteLeavesNothingHalfWritten()
    {
        // A file size limit makes the write fail part-way, as a full disk
        // would (running as root, permissions cannot be used to refuse it).
        QFETCH(int, kind);
        QTemporaryDir out;
        const QString path = out.filePath(QStringLiteral("print.out"));
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("the previous print file");
        old.close();

        struct rlimit saved { };
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &saved), 0);
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        struct rlimit limited = saved;
        limited.rlim_cur = 64 * 1024;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &limited), 0);
        auto rendered
            = Renderer::render(m_big, { output(QRect(683, 0, 2731, 4096), QSize(2400, 3600), RenderKind(kind), path) });
        setrlimit(RLIMIT_FSIZE, &saved);
        std::signal(SIGXFSZ, oldHandler);

        QVERIFY(!rendered.ok());
        QVERIFY2(rendered.error().code == QStringLiteral("unwritable")
                || rendered.error().code == QStringLiteral("disk_full"),
            why(rendered).constData());
        QCOMPARE(filesIn(out.path()), QStringList { QStringLiteral("print.out") });
        QCOMPARE(readFile(path), QByteArray("the previous print file"));
    }

    void replacesAnExistingFile()
    {
        const QString path = m_dir.filePath(QStringLiteral("replace.jpg"));
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write(QByteArray(1024 * 1024, 'x'));
        old.close();
        auto rendered = Renderer::render(
            m_small, { output(QRect(0, 0, 600, 900), QSize(200, 300), RenderKind::PrintJpeg, path) });
        QVERIFY(rendered.ok());
        QCOMPARE(encodedSize(readFile(path)), QSize(200, 300));
    }

    void scaledCopy()
    {
        auto renderer = Renderer::load(m_big);
        QVERIFY(renderer.ok());
        const QImage copy = renderer->scaledCopy(1024);
        QCOMPARE(copy.size(), QSize(1024, 1024));
        QCOMPARE(copy.format(), QImage::Format_RGB888);
        QCOMPARE(copy.colorSpace(), QColorSpace(QColorSpace::SRgb));
        QVERIFY(near(copy.pixel(100, 100), kRed, 2));
        QVERIFY(near(copy.pixel(900, 900), kWhite, 2));
        auto small = Renderer::load(m_small);
        QVERIFY(small.ok());
        QCOMPARE(small->scaledCopy(1024).size(), QSize(1024, 768));
        QCOMPARE(small->scaledCopy(4096).size(), QSize(1200, 900)); // never enlarged
        QVERIFY(small->scaledCopy(0).isNull());
    }

    void otherColourSpaceIsConverted()
    {
        QImage p3(64, 64, QImage::Format_RGB888);
        p3.fill(QColor(100, 150, 200));
        p3.setColorSpace(QColorSpace::DisplayP3);
        QByteArray png;
        QBuffer buffer(&png);
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        QVERIFY(p3.save(&buffer, "PNG")); // Qt embeds the Display P3 profile
        const QRgb expected = p3.convertedToColorSpace(QColorSpace::SRgb).pixel(10, 10);
        QVERIFY(!near(expected, QColor(100, 150, 200), 3)); // the conversion matters

        auto rendered = Renderer::render(png, { output(QRect(0, 0, 64, 64), QSize(32, 32), RenderKind::PrintPng) });
        QVERIFY2(rendered.ok(), why(rendered).constData());
        const QImage image = QImage::fromData(rendered->first().bytes);
        QCOMPARE(image.colorSpace(), QColorSpace(QColorSpace::SRgb));
        QVERIFY2(near(image.pixel(16, 16), QColor(expected), 3),
            qPrintable(describe(image.pixel(16, 16)) + QStringLiteral(" vs ") + describe(expected)));
    }

    void masterMetadataNeverReachesOutputs()
    {
        QImage image = quadrants(QSize(400, 300));
        image.setText(QStringLiteral("Description"), QStringLiteral("private note in the master"));
        QByteArray png;
        QBuffer buffer(&png);
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        QVERIFY(image.save(&buffer, "PNG"));
        QVERIFY(png.contains("private note"));

        auto rendered = Renderer::render(png,
            { output(QRect(0, 0, 400, 300), QSize(200, 150), RenderKind::PrintPng),
                output(QRect(0, 0, 400, 300), QSize(200, 150), RenderKind::PrintJpeg),
                output(QRect(0, 0, 400, 300), QSize(200, 150)) });
        QVERIFY2(rendered.ok(), why(rendered).constData());
        QStringList types;
        for (const Chunk &c : pngChunks((*rendered)[0].bytes))
            types.append(QString::fromLatin1(c.type));
        types.removeDuplicates();
        types.sort();
        QCOMPARE(types,
            (QStringList { QStringLiteral("IDAT"), QStringLiteral("IEND"), QStringLiteral("IHDR"),
                QStringLiteral("iCCP"), QStringLiteral("pHYs") }));
        for (const RenderedOutput &r : *rendered)
            QVERIFY(!r.bytes.contains("private note"));
    }

    void lastRenderLetsGoOfTheMaster()
    {
        auto renderer = Renderer::load(m_small);
        QVERIFY(renderer.ok());
        const Renderer copy = *renderer;
        const QList<RenderOutput> outputs = { output(QRect(0, 0, 600, 450), QSize(60, 45), RenderKind::PrintPng),
            output(QRect(600, 0, 600, 450), QSize(60, 45), RenderKind::PrintPng) };
        auto moved = std::move(*renderer).render(outputs);
        QVERIFY2(moved.ok(), why(moved).constData());
        QVERIFY(near(QImage::fromData((*moved)[0].bytes).pixel(30, 20), kRed, 2));
        QVERIFY(near(QImage::fromData((*moved)[1].bytes).pixel(30, 20), kGreen, 2));
        QVERIFY(renderer->size().isEmpty());
        QVERIFY(renderer->scaledCopy(100).isNull());
        auto again = renderer->render(outputs);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, QStringLiteral("render_failed"));
        // Another copy still holds the master and renders from it.
        auto fromCopy = copy.render(outputs);
        QVERIFY(fromCopy.ok());
        QCOMPARE((*fromCopy)[0].bytes, (*moved)[0].bytes);
        // And the last copy can hand it over too, with one output only.
        Renderer last = copy;
        auto single = std::move(last).render({ outputs[1] });
        QVERIFY(single.ok());
        QCOMPARE(single->first().bytes, (*moved)[1].bytes);
    }

    void rendersOnSeveralThreads()
    {
        auto renderer = Renderer::load(m_small);
        QVERIFY(renderer.ok());
        QList<QByteArray> results(4);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                auto r = renderer->render({ output(QRect(t * 100, 0, 600, 900), QSize(200, 300)) });
                if (r)
                    results[t] = r->first().bytes;
            });
        for (auto &t : threads)
            t.join();
        for (const QByteArray &bytes : results)
            QCOMPARE(encodedSize(bytes), QSize(200, 300));
    }
};

QTEST_GUILESS_MAIN(TestRenderer)
#include "tst_renderer.moc"
