// Wire-level tests of GeminiProvider against the sandbox's GeminiFake, served in-process
// by QHttpServer on an OS-chosen port (no subprocess, no network beyond loopback).
#include "providertestsupport.h"
#include "app/sandbox/faultplan.h"
#include "app/sandbox/geminifake.h"
#include "app/sandbox/sandboxserver.h"
#include "core/generation/geminiprovider.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>
#include <QTcpServer>
#include <QTest>

using namespace CalStudio;
using namespace CalStudio::ProviderTestSupport;
using Kind = GenerationError::Kind;

namespace {

const QString kKey = QStringLiteral("gm-test-key-7f3a9c21");

ReferenceImage reference(ReferenceImage::Kind kind, const QColor &color)
{
    ReferenceImage image;
    image.kind = kind;
    image.jpeg = jpegOf(color);
    image.size = QSize(64, 48);
    return image;
}

GenerationRequest requestFor(const QString &model, QSize size, const QString &aspect = QStringLiteral("1:1"))
{
    GenerationRequest request;
    request.month = 3;
    request.provider = QStringLiteral("gemini");
    request.model = model;
    request.promptSent = QStringLiteral("Studio portrait of the person in the reference photos as a 1920s aviator");
    request.aspectRatio = aspect;
    request.size = size;
    request.references = {reference(ReferenceImage::Kind::FaceCrop, Qt::red), reference(ReferenceImage::Kind::FullImage, Qt::blue)};
    return request;
}

qint64 statusKiB(const QByteArray &field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith(field))
            return line.mid(field.size()).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

qint64 peakRssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}


} // namespace

class TestGeminiProvider : public QObject {
    Q_OBJECT

private:
    HttpProviderConfig config(std::chrono::milliseconds timeout = std::chrono::seconds(60)) const
    {
        HttpProviderConfig c;
        c.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
        c.apiKey = kKey;
        c.timeout = timeout;
        return c;
    }

    // Runs one call and checks that finished() comes exactly once.
    ImageProvider::Outcome run(GeminiProvider &provider, const GenerationRequest &request, int timeoutMs = 60000)
    {
        QList<ImageProvider::Outcome> outcomes;
        auto connection = connect(&provider, &ImageProvider::finished, this,
                                  [&outcomes](const ImageProvider::Outcome &outcome) { outcomes.append(outcome); });
        provider.generate(request);
        (void)QTest::qWaitFor([&outcomes] { return !outcomes.isEmpty(); }, timeoutMs);
        QTest::qWait(20);
        disconnect(connection);
        // Exactly one answer per call; checked in cleanup() because QCOMPARE cannot return a value.
        if (outcomes.size() != 1)
            m_answerCountWrong = true;
        return outcomes.value(0, GenerationError{});
    }

    std::unique_ptr<SandboxServer> m_server;
    quint16 m_port = 0;
    bool m_answerCountWrong = false;

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<SandboxServer>(kKey);
        m_port = m_server->listen();
        QVERIFY(m_port != 0);
    }

    void cleanup()
    {
        QVERIFY2(!m_answerCountWrong, "a call did not answer exactly once");
        m_answerCountWrong = false;
    }

    void init()
    {
        m_server->faults().clear();
        m_server->gemini().clearRequests();
    }

    void requestShape()
    {
        GeminiProvider provider(config());
        const GenerationRequest request = requestFor(QStringLiteral("gemini-3-pro-image"), QSize(1024, 1024));
        const auto outcome = run(provider, request);
        QVERIFY(std::holds_alternative<GeneratedImage>(outcome));

        QCOMPARE(m_server->gemini().requests().size(), 1);
        const SandboxRequest sent = m_server->gemini().requests().first();
        QCOMPARE(sent.method, QByteArray("POST"));
        QCOMPARE(sent.path, QStringLiteral("/v1beta/models/gemini-3-pro-image:generateContent"));
        QCOMPARE(sent.header("x-goog-api-key"), kKey.toUtf8());
        QVERIFY(sent.header("authorization").isEmpty());
        QVERIFY(sent.query.isEmpty()); // the key travels in the header, never in the URL
        QVERIFY(sent.header("content-type").startsWith("application/json"));

        const QJsonObject body = QJsonDocument::fromJson(sent.body).object();
        const QJsonArray parts = body[QLatin1String("contents")][0][QLatin1String("parts")].toArray();
        QCOMPARE(parts.size(), 3);
        QCOMPARE(parts[0][QLatin1String("text")].toString(), request.promptSent);
        for (int i = 0; i < 2; ++i) {
            const QJsonObject inlineData = parts[i + 1][QLatin1String("inline_data")].toObject();
            QCOMPARE(inlineData[QLatin1String("mime_type")].toString(), QStringLiteral("image/jpeg"));
            QCOMPARE(inlineData[QLatin1String("data")].toString().toLatin1(), request.references[i].jpeg.toBase64());
        }
        const QJsonObject generationConfig = body[QLatin1String("generationConfig")].toObject();
        QCOMPARE(generationConfig[QLatin1String("imageConfig")][QLatin1String("aspectRatio")].toString(), QStringLiteral("1:1"));
        QCOMPARE(generationConfig[QLatin1String("imageConfig")][QLatin1String("imageSize")].toString(), QStringLiteral("1K"));
        QVERIFY(generationConfig[QLatin1String("responseModalities")].toArray().contains(QStringLiteral("IMAGE")));

        const auto image = std::get<GeneratedImage>(outcome);
        QCOMPARE(image.nativeSize, QSize(1024, 1024));
        QCOMPARE(image.mimeType, QStringLiteral("image/png"));
        QCOMPARE(image.model, QStringLiteral("gemini-3-pro-image"));
        QCOMPARE(image.note, QStringLiteral("Here is your portrait."));
        QCOMPARE(image.costUsd, 0.134);
        QImage decoded;
        QVERIFY(decoded.loadFromData(image.bytes, "PNG"));
        QCOMPARE(decoded.size(), QSize(1024, 1024));
    }

    void sizes_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("aspect");
        QTest::addColumn<QSize>("wanted");
        QTest::addColumn<QString>("sentSize");
        QTest::addColumn<QSize>("native");
        QTest::addColumn<double>("cost");
        QTest::newRow("pro 1K 1:1") << "gemini-3-pro-image" << "1:1" << QSize(1024, 1024) << "1K" << QSize(1024, 1024) << 0.134;
        QTest::newRow("pro 4K 1:1") << "gemini-3-pro-image" << "1:1" << QSize(4096, 4096) << "4K" << QSize(4096, 4096) << 0.24;
        QTest::newRow("flash 2K 16:9") << "gemini-3.1-flash-image" << "16:9" << QSize(2000, 1125) << "2K" << QSize(2752, 1536) << 0.067;
        QTest::newRow("preview alias 1K 4:3") << "gemini-3-pro-image-preview" << "4:3" << QSize(1200, 900) << "1K"
                                              << QSize(1200, 896) << 0.134;
        QTest::newRow("legacy has one size") << "gemini-2.5-flash-image" << "1:1" << QSize(4096, 4096) << "" << QSize(1024, 1024)
                                             << 0.039;
    }

    void sizes()
    {
        QFETCH(QString, model);
        QFETCH(QString, aspect);
        QFETCH(QSize, wanted);
        QFETCH(QString, sentSize);
        QFETCH(QSize, native);
        QFETCH(double, cost);
        GeminiProvider provider(config());
        const auto outcome = run(provider, requestFor(model, wanted, aspect));
        QVERIFY2(std::holds_alternative<GeneratedImage>(outcome), qPrintable(errorOf(outcome).message));
        const QJsonObject imageConfig = QJsonDocument::fromJson(m_server->gemini().requests().last().body)
                                            .object()[QLatin1String("generationConfig")][QLatin1String("imageConfig")]
                                            .toObject();
        QCOMPARE(imageConfig.value(QLatin1String("imageSize")).toString(), sentSize);
        const auto image = std::get<GeneratedImage>(outcome);
        QCOMPARE(image.nativeSize, native);
        QCOMPARE(image.costUsd, cost);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("httpStatus");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<qint64>("retryAfterMs");
        QTest::addColumn<QString>("messagePart");
        const QString good = kKey;
        QTest::newRow("wrong key → 400 API_KEY_INVALID") << "" << "wrong-key" << int(Kind::InvalidKey) << 400 << "API_KEY_INVALID" << 0LL << "key";
        QTest::newRow("scripted invalid key") << "invalid-key" << good << int(Kind::InvalidKey) << 400 << "API_KEY_INVALID" << 0LL << "key";
        QTest::newRow("403") << "permission" << good << int(Kind::Permission) << 403 << "PERMISSION_DENIED" << 0LL << "may not use";
        QTest::newRow("404 model") << "not-found" << good << int(Kind::BadRequest) << 404 << "NOT_FOUND" << 0LL << "does not know";
        QTest::newRow("429 per minute, RetryInfo 7s") << "rate-limit" << good << int(Kind::RateLimited) << 429 << "RESOURCE_EXHAUSTED" << 7000LL << "7 s";
        QTest::newRow("429 per day") << "quota" << good << int(Kind::QuotaExhausted) << 429
                                     << "GenerateRequestsPerDayPerProjectPerModel" << 0LL << "quota is used up";
        QTest::newRow("400 invalid argument") << "bad-request" << good << int(Kind::BadRequest) << 400 << "INVALID_ARGUMENT" << 0LL << "invalid argument";
        QTest::newRow("500") << "server-error" << good << int(Kind::Transient) << 500 << "INTERNAL" << 0LL << "500";
        QTest::newRow("503 overloaded") << "unavailable" << good << int(Kind::Transient) << 503 << "UNAVAILABLE" << 0LL << "503";
        QTest::newRow("502 HTML from a proxy") << "html-502" << good << int(Kind::Transient) << 502 << "HTTP_502" << 0LL << "502";
        QTest::newRow("prompt blocked") << "prompt-block" << good << int(Kind::SafetyRefusal) << 200 << "OTHER" << 0LL << "refused";
        QTest::newRow("output blocked IMAGE_SAFETY") << "safety" << good << int(Kind::SafetyRefusal) << 200 << "IMAGE_SAFETY" << 0LL << "refused";
        QTest::newRow("text only NO_IMAGE") << "text-only" << good << int(Kind::BadRequest) << 200 << "NO_IMAGE" << 0LL
                                            << "the model answered without an image";
    }

    void errors()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, key);
        QFETCH(int, kind);
        QFETCH(int, httpStatus);
        QFETCH(QString, reason);
        QFETCH(qint64, retryAfterMs);
        QFETCH(QString, messagePart);
        if (!scenario.isEmpty())
            m_server->faults().push(Fault{QStringLiteral("gemini"), scenario, 1, {}});
        HttpProviderConfig c = config();
        c.apiKey = key;
        GeminiProvider provider(c);
        const auto outcome = run(provider, requestFor(QStringLiteral("gemini-3-pro-image"), QSize(1024, 1024)));
        QVERIFY(std::holds_alternative<GenerationError>(outcome));
        const GenerationError error = errorOf(outcome);
        QCOMPARE(int(error.kind), kind);
        QCOMPARE(error.httpStatus, httpStatus);
        QCOMPARE(error.providerReason, reason);
        QCOMPARE(qint64(error.retryAfter.count()), retryAfterMs);
        QVERIFY2(error.message.contains(messagePart, Qt::CaseInsensitive), qPrintable(error.message));
        QCOMPARE(error.retryable(), kind == int(Kind::RateLimited) || kind == int(Kind::Transient));
    }

    void thoughtPartsAreIgnored()
    {
        m_server->faults().push(Fault{QStringLiteral("gemini"), QStringLiteral("thoughts"), 1, {}});
        GeminiProvider provider(config());
        const auto outcome = run(provider, requestFor(QStringLiteral("gemini-3-pro-image"), QSize(1024, 1024)));
        QVERIFY(std::holds_alternative<GeneratedImage>(outcome));
        const auto image = std::get<GeneratedImage>(outcome);
        QCOMPARE(image.nativeSize, QSize(1024, 1024)); // not the 64² thought draft
        QVERIFY(!image.note.contains(QLatin1String("Planning")));
    }

    void huge4KAnswer()
    {
        m_server->faults().push(Fault{QStringLiteral("gemini"), QStringLiteral("huge"), 1, {}});
        GeminiProvider provider(config());
        const qint64 before = peakRssKiB();
        const auto outcome = run(provider, requestFor(QStringLiteral("gemini-3-pro-image"), QSize(4096, 4096)));
        QVERIFY(std::holds_alternative<GeneratedImage>(outcome));
        const auto image = std::get<GeneratedImage>(outcome);
        QCOMPARE(image.nativeSize, QSize(4096, 4096));
        QVERIFY2(image.bytes.size() > 12 * 1024 * 1024, QByteArray::number(image.bytes.size()));
        QVERIFY2(image.bytes.size() < 30 * 1024 * 1024, QByteArray::number(image.bytes.size()));
        // The server's own copies (raw image, PNG, JSON) sit in this process too, so this is an upper bound.
        qInfo("huge 4K answer: PNG %.1f MB, peak RSS %lld → %lld KiB", image.bytes.size() / 1048576.0, before, peakRssKiB());
    }

    // Memory of the parse step alone on a real 4K wire body: the peak above the body itself.
    void interpretPeakMemory()
    {
        GeminiFake fake(nullptr, kKey);
        SandboxRequest request;
        request.headers = {{"x-goog-api-key", kKey.toUtf8()}, {"Content-Type", "application/json"}};
        request.body = GeminiProvider::requestBody(requestFor(QStringLiteral("gemini-3-pro-image"), QSize(4096, 4096)));
        FaultPlan faults;
        faults.push(Fault{QString(), QStringLiteral("huge"), 1, {}});
        GeminiFake hugeFake(&faults, kKey);
        HttpAnswer answer;
        answer.status = 200;
        answer.body = hugeFake.handle(request, QStringLiteral("gemini-3-pro-image:generateContent")).body;
        const qint64 bodyKiB = answer.body.size() / 1024;
        QFile clear(QStringLiteral("/proc/self/clear_refs"));
        if (!clear.open(QIODevice::WriteOnly) || clear.write("5") != 1)
            QSKIP("cannot reset the peak RSS counter here");
        clear.close();
        const qint64 before = statusKiB("VmRSS:");
        const auto outcome = GeminiProvider::interpret(std::move(answer), QStringLiteral("gemini-3-pro-image"));
        const qint64 peak = statusKiB("VmHWM:");
        QVERIFY(std::holds_alternative<GeneratedImage>(outcome));
        const qint64 extra = peak - before;
        qInfo("interpret: body %lld KiB, peak above the body %lld KiB (%.1f× the body)", bodyKiB, extra,
              double(extra) / double(bodyKiB));
        // Body released after parsing; JSON tree + one UTF-16 copy of the base64 + in-place decode.
        QVERIFY2(extra < 4 * bodyKiB, QByteArray::number(extra));
    }

    void timeoutIsTransient()
    {
        m_server->faults().push(Fault{QStringLiteral("gemini"), QStringLiteral("slow"), 1, std::chrono::milliseconds(3000)});
        GeminiProvider provider(config(std::chrono::milliseconds(300)));
        QElapsedTimer timer;
        timer.start();
        const auto outcome = run(provider, requestFor(QStringLiteral("gemini-3-pro-image"), QSize(1024, 1024)));
        QCOMPARE(int(errorOf(outcome).kind), int(Kind::Transient));
        QVERIFY(errorOf(outcome).message.contains(QLatin1String("did not answer")));
        QVERIFY(timer.elapsed() < 2500);
    }

    void droppedConnectionIsResponseLost()
    {
        m_server->faults().push(Fault{QStringLiteral("gemini"), QStringLiteral("drop"), 1, std::chrono::milliseconds(100)});
        GeminiProvider provider(config());
        const auto outcome = run(provider, requestFor(QStringLiteral("gemini-3-pro-image"), QSize(1024, 1024)));
        QCOMPARE(int(errorOf(outcome).kind), int(Kind::ResponseLost));
        QVERIFY(errorOf(outcome).message.contains(QLatin1String("billed")));
        QCOMPARE(m_server->gemini().requests().size(), 1); // not silently re-sent
    }

    void unreachableIsTransient()
    {
        HttpProviderConfig c = config();
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        c.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closed.serverPort()));
        closed.close();
        GeminiProvider provider(c);
        const auto outcome = run(provider, requestFor(QStringLiteral("gemini-3-pro-image"), QSize(1024, 1024)));
        QCOMPARE(int(errorOf(outcome).kind), int(Kind::Transient));
    }

    void cancel()
    {
        m_server->faults().push(Fault{QStringLiteral("gemini"), QStringLiteral("slow"), 1, std::chrono::milliseconds(3000)});
        GeminiProvider provider(config());
        QList<ImageProvider::Outcome> outcomes;
        connect(&provider, &ImageProvider::finished, this, [&outcomes](const ImageProvider::Outcome &o) { outcomes.append(o); });
        provider.generate(requestFor(QStringLiteral("gemini-3-pro-image"), QSize(1024, 1024)));
        QTest::qWait(150);
        QVERIFY(provider.isBusy());
        provider.cancel();
        QTRY_COMPARE(outcomes.size(), 1);
        QCOMPARE(int(errorOf(outcomes.first()).kind), int(Kind::Cancelled));
        QTest::qWait(200);
        QCOMPARE(outcomes.size(), 1);
        QVERIFY(!provider.isBusy());
        provider.cancel(); // idle: no second answer
        QTest::qWait(50);
        QCOMPARE(outcomes.size(), 1);
    }

    void clientSideLimits()
    {
        GeminiProvider provider(config());
        GenerationRequest request = requestFor(QStringLiteral("gemini-2.5-flash-image"), QSize(1024, 1024));
        request.references.append(request.references);
        const auto outcome = run(provider, request);
        QCOMPARE(int(errorOf(outcome).kind), int(Kind::BadRequest));
        QCOMPARE(errorOf(outcome).providerReason, QStringLiteral("TOO_MANY_REFERENCES"));

        HttpProviderConfig noKey = config();
        noKey.apiKey.clear();
        GeminiProvider keyless(noKey);
        QCOMPARE(int(errorOf(run(keyless, requestFor(QString(), QSize(1024, 1024)))).kind), int(Kind::InvalidKey));
        QVERIFY(m_server->gemini().requests().isEmpty());
    }

    void durations_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("55s") << "55s" << 55000LL;
        QTest::newRow("1.5s") << "1.5s" << 1500LL;
        QTest::newRow("0.250s") << "0.250s" << 250LL;
        QTest::newRow("250ms") << "250ms" << 250LL;
        QTest::newRow("1m30s") << "1m30s" << 90000LL;
        QTest::newRow("empty") << "" << 0LL;
        QTest::newRow("junk") << "soon" << 0LL;
    }

    void durations()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        QCOMPARE(qint64(HttpImageProvider::parseDuration(text).count()), ms);
    }

    // The fake's handler is a plain function of the request: no sockets needed.
    void fakeRejectsBadConfigurationWithoutSockets_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("imageConfig");
        QTest::addColumn<int>("status");
        QTest::newRow("lower-case 4k") << "gemini-3-pro-image" << "{\"imageSize\":\"4k\"}" << 400;
        QTest::newRow("unknown ratio") << "gemini-3-pro-image" << "{\"aspectRatio\":\"7:5\"}" << 400;
        QTest::newRow("imageSize on legacy") << "gemini-2.5-flash-image" << "{\"imageSize\":\"1K\"}" << 400;
        QTest::newRow("1:4 only on 3.1 Flash") << "gemini-3-pro-image" << "{\"aspectRatio\":\"1:4\"}" << 400;
        QTest::newRow("1:4 on 3.1 Flash") << "gemini-3.1-flash-image" << "{\"aspectRatio\":\"1:4\"}" << 200;
        QTest::newRow("unknown model") << "gemini-9-image" << "{}" << 404;
    }

    void fakeRejectsBadConfigurationWithoutSockets()
    {
        QFETCH(QString, model);
        QFETCH(QString, imageConfig);
        QFETCH(int, status);
        GeminiFake fake(nullptr, kKey);
        SandboxRequest request;
        request.path = QStringLiteral("/v1beta/models/%1:generateContent").arg(model);
        request.headers = {{"x-goog-api-key", kKey.toUtf8()}, {"Content-Type", "application/json"}};
        request.body = "{\"contents\":[{\"parts\":[{\"text\":\"a cat\"},{\"inlineData\":{\"mimeType\":\"image/jpeg\",\"data\":\""
            + jpegOf(Qt::green).toBase64() + "\"}}]}],\"generationConfig\":{\"imageConfig\":" + imageConfig.toUtf8() + "}}";
        const SandboxReply reply = fake.handle(request, model + QStringLiteral(":generateContent"));
        QCOMPARE(reply.status, status);
        if (status == 400)
            QCOMPARE(QJsonDocument::fromJson(reply.body)[QLatin1String("error")][QLatin1String("status")].toString(),
                     QStringLiteral("INVALID_ARGUMENT"));
    }

    void keyNeverLogged()
    {
        // Our categories and Qt's network stack at debug level; qt.httpserver belongs to the in-process
        // fake (it prints whole requests, headers included) and stays at its default (off).
        QLoggingCategory::setFilterRules(QStringLiteral("calstudio.*.debug=true\nqt.network.*.debug=true"));
        capturedLog.clear();
        const QtMessageHandler previous = qInstallMessageHandler(captureMessage);
        {
            GeminiProvider provider(config());
            run(provider, requestFor(QStringLiteral("gemini-3-pro-image"), QSize(1024, 1024)));
            m_server->faults().push(Fault{QStringLiteral("gemini"), QStringLiteral("rate-limit"), 1, {}});
            run(provider, requestFor(QStringLiteral("gemini-3-pro-image"), QSize(1024, 1024)));
            m_server->faults().push(Fault{QStringLiteral("gemini"), QStringLiteral("drop"), 1, {}});
            run(provider, requestFor(QStringLiteral("gemini-3-pro-image"), QSize(1024, 1024)));
            HttpProviderConfig wrong = config();
            wrong.apiKey = QStringLiteral("gm-wrong-key-55aa");
            GeminiProvider wrongProvider(wrong);
            run(wrongProvider, requestFor(QStringLiteral("gemini-3-pro-image"), QSize(1024, 1024)));
        }
        qInstallMessageHandler(previous);
        QLoggingCategory::setFilterRules(QString());
        QMutexLocker lock(&logMutex);
        QVERIFY2(capturedLog.size() >= 4, qPrintable(capturedLog.join(QLatin1Char('\n'))));
        for (const QString &line : std::as_const(capturedLog)) {
            QVERIFY2(!line.contains(kKey), qPrintable(line));
            QVERIFY2(!line.contains(QLatin1String("gm-wrong-key-55aa")), qPrintable(line));
            QVERIFY2(!line.contains(QLatin1String("iVBORw0KGgo")), "image bytes were logged");
        }
    }
};

QTEST_GUILESS_MAIN(TestGeminiProvider)
#include "tst_geminiprovider.moc"
