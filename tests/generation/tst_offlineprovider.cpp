#include "core/generation/offlinecomposer.h"
#include "core/generation/offlineprovider.h"
#include "core/imaging/draftlabel.h"
#include "core/imaging/imagedecoder.h"
#include "core/imaging/personcutout.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace CalStudio;

namespace {

QImage astronaut()
{
    return QImage(QStringLiteral(CALSTUDIO_TEST_DATA_DIR "/faces/astronaut.png"))
        .convertToFormat(QImage::Format_RGB888);
}

/// The astronaut's face in astronaut.png (512²), forehead to chin (as in the imaging tests).
QRectF astronautFace()
{
    return { 178.5, 58.4, 93.7, 117.2 };
}

GenerationRequest request(int month = 3, const QString &style = QStringLiteral("photorealistic"), int side = 256)
{
    GenerationRequest r;
    r.month = month;
    r.provider = QStringLiteral("offline");
    r.promptSent = QStringLiteral("A walk through blossoming orchards.");
    r.style = style;
    r.size = QSize(side, side);
    r.seed = 42;
    ReferenceImage full;
    full.kind = ReferenceImage::Kind::FullImage;
    full.jpeg = *ImageDecoder::encodeImage(astronaut(), false, 90);
    full.size = QSize(512, 512);
    r.references = { full };
    return r;
}

QByteArray bytesOf(const ImageProvider::Outcome &outcome)
{
    if (const auto *image = std::get_if<GeneratedImage>(&outcome))
        return image->bytes;
    qWarning() << "generation failed:" << std::get<GenerationError>(outcome).message;
    return {};
}

QImage pixels(const QByteArray &png)
{
    return QImage::fromData(png, "PNG").convertToFormat(QImage::Format_RGB888);
}

/// Mean absolute difference per channel, 0–255.
double difference(const QImage &a, const QImage &b)
{
    if (a.size() != b.size())
        return 255;
    qint64 sum = 0;
    for (int y = 0; y < a.height(); ++y) {
        const uchar *pa = a.constScanLine(y);
        const uchar *pb = b.constScanLine(y);
        for (int x = 0; x < a.width() * 3; ++x)
            sum += std::abs(int(pa[x]) - int(pb[x]));
    }
    return double(sum) / (qint64(a.width()) * a.height() * 3);
}

} // namespace

class TestOfflineProvider : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sameInputsGiveIdenticalBytes()
    {
        const QByteArray a = bytesOf(OfflineComposer::compose(request()));
        const QByteArray b = bytesOf(OfflineComposer::compose(request()));
        QVERIFY(!a.isEmpty());
        QCOMPARE(a, b);
    }

    void differentInputsGiveDifferentImages_data()
    {
        QTest::addColumn<int>("month");
        QTest::addColumn<QString>("style");
        QTest::addColumn<qint64>("seed");
        QTest::addColumn<QString>("prompt");
        QTest::newRow("month") << 8 << QStringLiteral("photorealistic") << qint64(42) << QString();
        QTest::newRow("cover") << 0 << QStringLiteral("photorealistic") << qint64(42) << QString();
        QTest::newRow("style") << 3 << QStringLiteral("watercolor") << qint64(42) << QString();
        QTest::newRow("seed") << 3 << QStringLiteral("photorealistic") << qint64(43) << QString();
        QTest::newRow("prompt") << 3 << QStringLiteral("photorealistic") << qint64(42) << QStringLiteral("Kites.");
    }

    void differentInputsGiveDifferentImages()
    {
        QFETCH(int, month);
        QFETCH(QString, style);
        QFETCH(qint64, seed);
        QFETCH(QString, prompt);
        GenerationRequest other = request(month, style);
        other.seed = seed;
        if (!prompt.isEmpty())
            other.promptSent = prompt;
        // The base image is the same for every row; compose it once.
        static const QImage base = pixels(bytesOf(OfflineComposer::compose(request())));
        const QImage changed = pixels(bytesOf(OfflineComposer::compose(other)));
        QVERIFY(!base.isNull() && !changed.isNull());
        QVERIFY2(difference(base, changed) > 1.0, qPrintable(QString::number(difference(base, changed))));
    }

    void stylesLookDistinct()
    {
        const QStringList styles { QStringLiteral("photorealistic"), QStringLiteral("watercolor"),
            QStringLiteral("pencil-sketch"), QStringLiteral("pop-art"), QStringLiteral("vintage-film"),
            QStringLiteral("cinematic") };
        QList<QImage> images;
        for (const QString &style : styles) {
            images.append(pixels(bytesOf(OfflineComposer::compose(request(3, style)))));
            QVERIFY2(!images.last().isNull(), qPrintable(style));
        }
        for (int i = 0; i < images.size(); ++i) {
            for (int j = i + 1; j < images.size(); ++j) {
                const double d = difference(images.at(i), images.at(j));
                QVERIFY2(d > 6.0,
                    qPrintable(styles.at(i) + QStringLiteral(" vs ") + styles.at(j) + QStringLiteral(": ")
                        + QString::number(d)));
            }
        }
        QCOMPARE(OfflineComposer::lookFor(QStringLiteral("3d-cartoon")), StyleFilter::Look::PopArt);
        QCOMPARE(OfflineComposer::lookFor(QStringLiteral("oil-painting")), StyleFilter::Look::OilPaint);
        QCOMPARE(OfflineComposer::lookFor(QStringLiteral("no-such-style")), StyleFilter::Look::Photographic);
    }

    void labelIsVisible_data()
    {
        QTest::addColumn<int>("month");
        QTest::addColumn<QString>("style");
        QTest::newRow("winter light") << 1 << QStringLiteral("watercolor");
        QTest::newRow("pencil on paper") << 5 << QStringLiteral("pencil-sketch");
        QTest::newRow("dark december") << 12 << QStringLiteral("vintage-film");
        QTest::newRow("no selfie") << 7 << QStringLiteral("pop-art");
    }

    void labelIsVisible()
    {
        QFETCH(int, month);
        QFETCH(QString, style);
        GenerationRequest r = request(month, style, 512);
        if (QByteArray(QTest::currentDataTag()) == "no selfie")
            r.references.clear();
        const auto outcome = OfflineComposer::compose(r);
        QCOMPARE(std::get<GeneratedImage>(outcome).note, DraftLabel::text());
        const QImage image = pixels(bytesOf(outcome));
        const QRect band = DraftLabel::bandRect(image.size());
        QVERIFY(band.height() >= 24);
        // The band is dark and carries bright text: high contrast whatever the picture is.
        qint64 lumaSum = 0;
        int bright = 0;
        int dark = 0;
        for (int y = band.top() + band.height() / 8; y <= band.bottom(); ++y) {
            for (int x = band.left(); x <= band.right(); ++x) {
                const int luma = qGray(image.pixel(x, y));
                lumaSum += luma;
                bright += luma > 200;
                dark += luma < 60;
            }
        }
        const int count = (band.bottom() - band.top() - band.height() / 8 + 1) * band.width();
        QVERIFY2(bright > count / 50, qPrintable(QString::number(bright)));
        QVERIFY2(dark > count / 2, qPrintable(QString::number(dark)));
        // The text sits in the middle of the band, not smeared along an edge.
        QVERIFY(qGray(image.pixel(2, band.bottom() - 2)) < 60);
    }

    void outputHasTheRequestedSize_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("tiny") << QSize(64, 64);
        QTest::newRow("square") << QSize(700, 700);
        QTest::newRow("landscape") << QSize(900, 600);
        QTest::newRow("above the working size") << QSize(1536, 1536);
    }

    void outputHasTheRequestedSize()
    {
        QFETCH(QSize, size);
        GenerationRequest r = request();
        r.size = size;
        const auto outcome = OfflineComposer::compose(r);
        const auto &image = std::get<GeneratedImage>(outcome);
        QCOMPARE(image.nativeSize, size);
        QCOMPARE(image.mimeType, QStringLiteral("image/png"));
        QVERIFY(image.bytes.startsWith("\x89PNG"));
        QCOMPARE(pixels(image.bytes).size(), size);
    }

    void refusesImpossibleSizes()
    {
        GenerationRequest r = request();
        r.size = QSize(0, 10);
        const auto outcome = OfflineComposer::compose(r);
        QVERIFY(std::holds_alternative<GenerationError>(outcome));
        QCOMPARE(std::get<GenerationError>(outcome).kind, GenerationError::Kind::BadRequest);
    }

    void grabCutSeparatesTheAstronaut()
    {
        const QImage photo = astronaut();
        auto cut = PersonCutout::cut(photo, astronautFace(), 7);
        QVERIFY2(cut.ok(), cut.ok() ? "" : qPrintable(cut.error().detail));
        QCOMPARE(cut->size(), photo.size());
        QVERIFY(cut->hasAlphaChannel());
        const QPointF centre = astronautFace().center();
        QCOMPARE(qAlpha(cut->pixel(centre.toPoint())), 255);
        QCOMPARE(qAlpha(cut->pixel(5, 5)), 0); // top-left: the dark background of the photo
        QCOMPARE(qAlpha(cut->pixel(506, 5)), 0);
        qint64 opaque = 0;
        for (int y = 0; y < cut->height(); ++y) {
            for (int x = 0; x < cut->width(); ++x)
                opaque += qAlpha(cut->pixel(x, y)) > 128;
        }
        const double share = double(opaque) / (cut->width() * cut->height());
        QVERIFY2(share > 0.1 && share < 0.8, qPrintable(QString::number(share)));
        // Same seed, same matte.
        QCOMPARE(*PersonCutout::cut(photo, astronautFace(), 7), *cut);
    }

    void grabCutRefusesNothing()
    {
        QCOMPARE(PersonCutout::cut(QImage(), astronautFace()).error().code, QStringLiteral("no_image"));
        QCOMPARE(PersonCutout::cut(astronaut(), QRectF()).error().code, QStringLiteral("no_image"));
    }

    void providerAnswersOnItsThreadWithTheDefaultSize()
    {
        OfflineProvider provider;
        QCOMPARE(provider.id(), QStringLiteral("offline"));
        QThread *answeredOn = nullptr;
        connect(&provider, &ImageProvider::finished, this, [&] { answeredOn = QThread::currentThread(); });
        QSignalSpy spy(&provider, &ImageProvider::finished);
        GenerationRequest r = request();
        r.size = QSize(4096, 4096); // the default of GenerationRequest
        QCOMPARE(GenerationRequest {}.size, r.size);
        provider.generate(r);
        QVERIFY(provider.isRunning());
        QVERIFY(spy.wait(60000));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(answeredOn, provider.thread());
        const auto outcome = spy.at(0).at(0).value<ImageProvider::Outcome>();
        const auto &image = std::get<GeneratedImage>(outcome);
        QCOMPARE(image.nativeSize, QSize(4096, 4096));
        QCOMPARE(QImage::fromData(image.bytes, "PNG").size(), QSize(4096, 4096));
        // Async gives the same bytes as the synchronous path.
        QCOMPARE(image.bytes, bytesOf(OfflineComposer::compose(r)));
        QVERIFY(!provider.isRunning());
    }

    void cancelAnswersCancelled()
    {
        OfflineProvider provider;
        QSignalSpy spy(&provider, &ImageProvider::finished);
        GenerationRequest r = request(6, QStringLiteral("watercolor"), 4096);
        provider.generate(r);
        provider.cancel();
        QVERIFY(spy.wait(30000));
        QTest::qWait(50);
        QCOMPARE(spy.count(), 1);
        const auto outcome = spy.at(0).at(0).value<ImageProvider::Outcome>();
        QVERIFY(std::holds_alternative<GenerationError>(outcome));
        QCOMPARE(std::get<GenerationError>(outcome).kind, GenerationError::Kind::Cancelled);
        QVERIFY(!std::get<GenerationError>(outcome).retryable());

        // The provider is usable again after a cancel.
        provider.generate(request());
        QVERIFY(spy.wait(30000));
        QVERIFY(std::holds_alternative<GeneratedImage>(spy.at(1).at(0).value<ImageProvider::Outcome>()));
    }

    void busyProviderRefusesASecondRequest()
    {
        OfflineProvider provider;
        QSignalSpy spy(&provider, &ImageProvider::finished);
        provider.generate(request());
        provider.generate(request(4));
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 2, 30000);
        const auto first = spy.at(0).at(0).value<ImageProvider::Outcome>();
        QCOMPARE(std::get<GenerationError>(first).kind, GenerationError::Kind::BadRequest);
        QVERIFY(std::holds_alternative<GeneratedImage>(spy.at(1).at(0).value<ImageProvider::Outcome>()));
    }

    void destroyingWhileRunningIsSafe()
    {
        auto provider = std::make_unique<OfflineProvider>();
        provider->generate(request(2, QStringLiteral("oil-painting"), 2048));
        provider.reset();
    }
};

QTEST_GUILESS_MAIN(TestOfflineProvider)
#include "tst_offlineprovider.moc"
