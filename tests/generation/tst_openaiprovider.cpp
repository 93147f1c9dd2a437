// Wire-level tests of OpenAIProvider against the sandbox's OpenAIFake, served in-process
// by QHttpServer on an OS-chosen port.
#include "providertestsupport.h"
#include "app/sandbox/multipartform.h"
#include "app/sandbox/openaifake.h"
#include "app/sandbox/sandboxserver.h"
#include "core/generation/openaiprovider.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QImage>
#include <QLoggingCategory>
#include <QMutex>
#include <QTcpServer>
#include <QTest>

using namespace CalStudio;
using namespace CalStudio::ProviderTestSupport;
using Kind = GenerationError::Kind;

namespace {

const QString kKey = QStringLiteral("sk-test-openai-1b2c3d4e5f60");

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
    request.month = 7;
    request.provider = QStringLiteral("openai");
    request.model = model;
    request.promptSent = QStringLiteral("Watercolour portrait of the person in the photos at a summer lake");
    request.aspectRatio = aspect;
    request.size = size;
    request.references = {reference(ReferenceImage::Kind::FaceCrop, Qt::red),
                          reference(ReferenceImage::Kind::FaceCrop, Qt::blue),
                          reference(ReferenceImage::Kind::FullImage, Qt::yellow)};
    return request;
}


} // namespace

class TestOpenAIProvider : public QObject {
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

    ImageProvider::Outcome run(OpenAIProvider &provider, const GenerationRequest &request, int timeoutMs = 60000)
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
        m_server->openai().clearRequests();
    }

    void requestShape()
    {
        OpenAIProvider provider(config());
        const GenerationRequest request = requestFor(QStringLiteral("gpt-image-1"), QSize(1024, 1024));
        const auto outcome = run(provider, request);
        QVERIFY2(std::holds_alternative<GeneratedImage>(outcome), qPrintable(errorOf(outcome).message));

        QCOMPARE(m_server->openai().requests().size(), 1);
        const SandboxRequest sent = m_server->openai().requests().first();
        QCOMPARE(sent.path, QStringLiteral("/v1/images/edits"));
        QCOMPARE(sent.header("authorization"), QByteArray("Bearer " + kKey.toUtf8()));
        const auto form = MultipartForm::parse(sent.header("content-type"), sent.body);
        QVERIFY(form);
        QCOMPARE(form->field(QStringLiteral("model")).value_or(QString()), QStringLiteral("gpt-image-1"));
        QCOMPARE(form->field(QStringLiteral("prompt")).value_or(QString()), request.promptSent);
        QCOMPARE(form->field(QStringLiteral("size")).value_or(QString()), QStringLiteral("1024x1024"));
        QCOMPARE(form->field(QStringLiteral("quality")).value_or(QString()), QStringLiteral("high"));
        const QList<MultipartPart> images = form->all(QStringLiteral("image[]"));
        QCOMPARE(images.size(), 3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(images[i].contentType, QByteArray("image/jpeg"));
            QCOMPARE(images[i].data, request.references[i].jpeg);
            QVERIFY(!images[i].fileName.isEmpty());
        }

        const auto image = std::get<GeneratedImage>(outcome);
        QCOMPARE(image.nativeSize, QSize(1024, 1024));
        QCOMPARE(image.mimeType, QStringLiteral("image/png"));
        QCOMPARE(image.model, QStringLiteral("gpt-image-1"));
        QCOMPARE(image.costUsd, 0.167);
        QImage decoded;
        QVERIFY(decoded.loadFromData(image.bytes));
        QCOMPARE(decoded.size(), QSize(1024, 1024));
    }

    // OpenAI has no 4K: the largest size for the aspect is requested and the native size reported.
    void sizes_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("aspect");
        QTest::addColumn<QSize>("wanted");
        QTest::addColumn<QString>("sentSize");
        QTest::addColumn<QSize>("native");
        QTest::newRow("gpt-image-1 4K square") << "gpt-image-1" << "1:1" << QSize(4096, 4096) << "1024x1024" << QSize(1024, 1024);
        QTest::newRow("gpt-image-1 3:2") << "gpt-image-1" << "3:2" << QSize(4096, 2731) << "1536x1024" << QSize(1536, 1024);
        QTest::newRow("gpt-image-1-mini 2:3") << "gpt-image-1-mini" << "2:3" << QSize(2731, 4096) << "1024x1536" << QSize(1024, 1536);
        QTest::newRow("gpt-image-2 4K square") << "gpt-image-2" << "1:1" << QSize(4096, 4096) << "2880x2880" << QSize(2880, 2880);
        QTest::newRow("gpt-image-2 16:9") << "gpt-image-2" << "16:9" << QSize(4096, 2304) << "3840x2160" << QSize(3840, 2160);
    }

    void sizes()
    {
        QFETCH(QString, model);
        QFETCH(QString, aspect);
        QFETCH(QSize, wanted);
        QFETCH(QString, sentSize);
        QFETCH(QSize, native);
        QCOMPARE(OpenAIProvider::sizeFor(model, aspect, wanted), sentSize);
        OpenAIProvider provider(config());
        const auto outcome = run(provider, requestFor(model, wanted, aspect));
        QVERIFY2(std::holds_alternative<GeneratedImage>(outcome), qPrintable(errorOf(outcome).message));
        QCOMPARE(std::get<GeneratedImage>(outcome).nativeSize, native);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("httpStatus");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<qint64>("retryAfterMs");
        const QString good = kKey;
        QTest::newRow("401 wrong key") << "" << "sk-wrong-0000000000000" << int(Kind::InvalidKey) << 401 << "invalid_api_key" << 0LL;
        QTest::newRow("403 org not verified") << "permission" << good << int(Kind::Permission) << 403 << "invalid_request_error" << 0LL;
        QTest::newRow("404 model") << "not-found" << good << int(Kind::BadRequest) << 404 << "model_not_found" << 0LL;
        QTest::newRow("429 rate limit, Retry-After 7") << "rate-limit" << good << int(Kind::RateLimited) << 429 << "rate_limit_exceeded" << 7000LL;
        QTest::newRow("429 insufficient_quota") << "quota" << good << int(Kind::QuotaExhausted) << 429 << "insufficient_quota" << 0LL;
        QTest::newRow("400 moderation_blocked") << "safety" << good << int(Kind::SafetyRefusal) << 400 << "moderation_blocked" << 0LL;
        QTest::newRow("400 invalid size") << "bad-request" << good << int(Kind::BadRequest) << 400 << "invalid_value" << 0LL;
        QTest::newRow("500") << "server-error" << good << int(Kind::Transient) << 500 << "server_error" << 0LL;
        QTest::newRow("503") << "unavailable" << good << int(Kind::Transient) << 503 << "engine_overloaded" << 0LL;
        QTest::newRow("502 HTML") << "html-502" << good << int(Kind::Transient) << 502 << "HTTP_502" << 0LL;
    }

    void errors()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, key);
        QFETCH(int, kind);
        QFETCH(int, httpStatus);
        QFETCH(QString, reason);
        QFETCH(qint64, retryAfterMs);
        if (!scenario.isEmpty())
            m_server->faults().push(Fault{QStringLiteral("openai"), scenario, 1, {}});
        HttpProviderConfig c = config();
        c.apiKey = key;
        OpenAIProvider provider(c);
        const auto outcome = run(provider, requestFor(QStringLiteral("gpt-image-1"), QSize(1024, 1024)));
        QVERIFY(std::holds_alternative<GenerationError>(outcome));
        const GenerationError error = errorOf(outcome);
        QCOMPARE(int(error.kind), kind);
        QCOMPARE(error.httpStatus, httpStatus);
        QCOMPARE(error.providerReason, reason);
        QCOMPARE(qint64(error.retryAfter.count()), retryAfterMs);
        QVERIFY(!error.message.isEmpty());
        QVERIFY(!error.message.contains(key.right(4))); // the 401 body echoes parts of the key
    }

    void retryAfter_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("seconds") << QByteArray("7") << 7000LL;
        QTest::newRow("fraction") << QByteArray("1.5") << 1500LL;
        QTest::newRow("empty") << QByteArray() << 0LL;
        QTest::newRow("past date") << QByteArray("Wed, 21 Oct 2015 07:28:00 GMT") << 0LL;
    }

    void retryAfter()
    {
        QFETCH(QByteArray, value);
        QFETCH(qint64, ms);
        QCOMPARE(qint64(HttpImageProvider::parseRetryAfter(value).count()), ms);
    }

    void timeoutIsTransient()
    {
        m_server->faults().push(Fault{QStringLiteral("openai"), QStringLiteral("slow"), 1, std::chrono::milliseconds(3000)});
        OpenAIProvider provider(config(std::chrono::milliseconds(300)));
        QElapsedTimer timer;
        timer.start();
        const auto outcome = run(provider, requestFor(QStringLiteral("gpt-image-1"), QSize(1024, 1024)));
        QCOMPARE(int(errorOf(outcome).kind), int(Kind::Transient));
        QVERIFY(timer.elapsed() < 2500);
    }

    void droppedConnectionIsResponseLost()
    {
        m_server->faults().push(Fault{QStringLiteral("openai"), QStringLiteral("drop"), 1, {}});
        OpenAIProvider provider(config());
        const auto outcome = run(provider, requestFor(QStringLiteral("gpt-image-1"), QSize(1024, 1024)));
        QCOMPARE(int(errorOf(outcome).kind), int(Kind::ResponseLost));
        QCOMPARE(m_server->openai().requests().size(), 1);
    }

    void cancel()
    {
        m_server->faults().push(Fault{QStringLiteral("openai"), QStringLiteral("slow"), 1, std::chrono::milliseconds(3000)});
        OpenAIProvider provider(config());
        QList<ImageProvider::Outcome> outcomes;
        connect(&provider, &ImageProvider::finished, this, [&outcomes](const ImageProvider::Outcome &o) { outcomes.append(o); });
        provider.generate(requestFor(QStringLiteral("gpt-image-1"), QSize(1024, 1024)));
        QTest::qWait(150);
        provider.cancel();
        QTRY_COMPARE(outcomes.size(), 1);
        QCOMPARE(int(errorOf(outcomes.first()).kind), int(Kind::Cancelled));
        QTest::qWait(200);
        QCOMPARE(outcomes.size(), 1);
    }

    void noReferencesIsBadRequest()
    {
        OpenAIProvider provider(config());
        GenerationRequest request = requestFor(QStringLiteral("gpt-image-1"), QSize(1024, 1024));
        request.references.clear();
        QCOMPARE(int(errorOf(run(provider, request)).kind), int(Kind::BadRequest));
        QVERIFY(m_server->openai().requests().isEmpty());
    }

    void fakeValidatesWithoutSockets()
    {
        OpenAIFake fake(nullptr, kKey);
        SandboxRequest request;
        request.path = QStringLiteral("/v1/images/edits");
        request.headers = {{"Authorization", "Bearer " + kKey.toUtf8()}, {"Content-Type", "multipart/form-data; boundary=XyZ"}};
        request.body = "--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ngpt-image-1\r\n"
                       "--XyZ\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\na cat\r\n"
                       "--XyZ\r\nContent-Disposition: form-data; name=\"size\"\r\n\r\n4096x4096\r\n"
                       "--XyZ\r\nContent-Disposition: form-data; name=\"image[]\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
            + jpegOf(Qt::green) + "\r\n--XyZ--\r\n";
        const SandboxReply reply = fake.handle(request);
        QCOMPARE(reply.status, 400); // gpt-image-1 has no 4096 size
        QVERIFY(reply.body.contains("\"param\":\"size\""));
        QVERIFY(!reply.header("x-request-id").isEmpty());
    }

    void keyNeverLogged()
    {
        // Our categories and Qt's network stack at debug level; qt.httpserver belongs to the in-process
        // fake (it prints whole requests, headers included) and stays at its default (off).
        QLoggingCategory::setFilterRules(QStringLiteral("calstudio.*.debug=true\nqt.network.*.debug=true"));
        capturedLog.clear();
        const QtMessageHandler previous = qInstallMessageHandler(captureMessage);
        const QString wrongKey = QStringLiteral("sk-wrong-key-9988776655");
        {
            OpenAIProvider provider(config());
            run(provider, requestFor(QStringLiteral("gpt-image-1"), QSize(1024, 1024)));
            m_server->faults().push(Fault{QStringLiteral("openai"), QStringLiteral("rate-limit"), 1, {}});
            run(provider, requestFor(QStringLiteral("gpt-image-1"), QSize(1024, 1024)));
            HttpProviderConfig wrong = config();
            wrong.apiKey = wrongKey;
            OpenAIProvider wrongProvider(wrong);
            run(wrongProvider, requestFor(QStringLiteral("gpt-image-1"), QSize(1024, 1024)));
        }
        qInstallMessageHandler(previous);
        QLoggingCategory::setFilterRules(QString());
        QMutexLocker lock(&logMutex);
        QVERIFY(capturedLog.size() >= 3);
        for (const QString &line : std::as_const(capturedLog)) {
            QVERIFY2(!line.contains(kKey), qPrintable(line));
            QVERIFY2(!line.contains(wrongKey), qPrintable(line));
            QVERIFY2(!line.contains(wrongKey.right(4)), qPrintable(line)); // not even the masked echo
            QVERIFY2(!line.contains(QLatin1String("iVBORw0KGgo")), "image bytes were logged");
        }
    }
};

QTEST_GUILESS_MAIN(TestOpenAIProvider)
#include "tst_openaiprovider.moc"
