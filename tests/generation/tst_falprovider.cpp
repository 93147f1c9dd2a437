// Wire-level tests of FalProvider against the sandbox's FalFake, served in-process
// by QHttpServer on an OS-chosen port.
#include "providertestsupport.h"
#include "app/sandbox/falfake.h"
#include "app/sandbox/sandboxserver.h"
#include "core/generation/falprovider.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>
#include <QTest>

using namespace CalStudio;
using namespace CalStudio::ProviderTestSupport;
using Kind = GenerationError::Kind;

namespace {

const QString kKey = QStringLiteral("fal-test-key-1f2e3d4c:5b6a7980");

ReferenceImage reference(ReferenceImage::Kind kind, const QColor &color)
{
    ReferenceImage image;
    image.kind = kind;
    image.jpeg = jpegOf(color);
    image.size = QSize(64, 48);
    return image;
}

GenerationRequest requestFor(const QString &model = QString(), QSize size = QSize(1024, 1024),
                             const QString &aspect = QStringLiteral("1:1"))
{
    GenerationRequest request;
    request.month = 3;
    request.provider = QStringLiteral("fal");
    request.model = model;
    request.promptSent = QStringLiteral("Watercolour portrait of the person in the photos in a spring garden");
    request.aspectRatio = aspect;
    request.size = size;
    request.references = {reference(ReferenceImage::Kind::FaceCrop, Qt::red), reference(ReferenceImage::Kind::FullImage, Qt::blue)};
    return request;
}


} // namespace

class TestFalProvider : public QObject {
    Q_OBJECT

private:
    HttpProviderConfig config(std::chrono::milliseconds timeout = std::chrono::seconds(60)) const
    {
        HttpProviderConfig c;
        c.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:%1/fal").arg(m_port));
        c.apiKey = kKey;
        c.timeout = timeout;
        return c;
    }

    std::unique_ptr<FalProvider> provider(std::chrono::milliseconds timeout = std::chrono::seconds(60)) const
    {
        auto p = std::make_unique<FalProvider>(config(timeout));
        p->setPollInterval(std::chrono::milliseconds(20));
        return p;
    }

    ImageProvider::Outcome run(FalProvider &provider, const GenerationRequest &request, int timeoutMs = 60000)
    {
        QList<ImageProvider::Outcome> outcomes;
        auto connection = connect(&provider, &ImageProvider::finished, this,
                                  [&outcomes](const ImageProvider::Outcome &outcome) { outcomes.append(outcome); });
        provider.generate(request);
        (void)QTest::qWaitFor([&outcomes] { return !outcomes.isEmpty(); }, timeoutMs);
        QTest::qWait(20);
        disconnect(connection);
        if (outcomes.size() != 1)
            m_answerCountWrong = true;
        return outcomes.value(0, GenerationError{});
    }

    FalFake &fake() { return m_server->fal(); }
    void fault(const QString &scenario, std::chrono::milliseconds delay = {})
    {
        m_server->faults().push(Fault{QStringLiteral("fal"), scenario, 1, delay});
    }
    int submits() const { return m_server->fal().count("POST", QStringLiteral("/fal/fal-ai/")); }

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

    void init()
    {
        m_server->faults().clear();
        fake().clearRequests();
        fake().setPollsToFinish(3);
    }

    void cleanup()
    {
        QVERIFY2(!m_answerCountWrong, "a call did not answer exactly once");
        m_answerCountWrong = false;
    }

    void requestShapePollingAndDownload()
    {
        auto p = provider();
        const auto outcome = run(*p, requestFor(QString(), QSize(1024, 1024)));
        const auto *image = std::get_if<GeneratedImage>(&outcome);
        QVERIFY2(image, qPrintable(errorOf(outcome).message));
        QCOMPARE(image->nativeSize, QSize(1024, 1024));
        QCOMPARE(image->mimeType, QStringLiteral("image/png"));
        QCOMPARE(image->model, QStringLiteral("fal-ai/nano-banana-pro/edit"));
        QVERIFY(image->costUsd > 0);
        QVERIFY(!p->isBusy());

        const QList<SandboxRequest> &requests = fake().requests();
        const SandboxRequest &submit = requests.first();
        QCOMPARE(submit.method, QByteArray("POST"));
        QCOMPARE(submit.path, QStringLiteral("/fal/fal-ai/nano-banana-pro/edit"));
        QCOMPARE(submit.header("authorization"), QByteArray("Key " + kKey.toUtf8()));
        const QJsonObject input = QJsonDocument::fromJson(submit.body).object();
        QCOMPARE(input.value(QLatin1String("prompt")).toString(), requestFor().promptSent);
        QCOMPARE(input.value(QLatin1String("resolution")).toString(), QStringLiteral("1K"));
        QCOMPARE(input.value(QLatin1String("num_images")).toInt(), 1);
        const QJsonArray images = input.value(QLatin1String("image_urls")).toArray();
        QCOMPARE(images.size(), 2);
        QVERIFY(images.first().toString().startsWith(QLatin1String("data:image/jpeg;base64,")));
        // Subpath rule: status/result without "/edit"; 3 polls (IN_QUEUE, IN_PROGRESS, COMPLETED), one result, one download.
        QCOMPARE(fake().count("GET", QStringLiteral("/fal/fal-ai/nano-banana-pro/requests/")), 4);
        QCOMPARE(fake().count("GET", QStringLiteral("/status")), 3);
        QCOMPARE(fake().count("GET", QStringLiteral("/edit/requests/")), 0);
        QCOMPARE(fake().count("GET", QStringLiteral("/fal/files/")), 1);
        QCOMPARE(requests.size(), 6);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("status");
        QTest::newRow("invalid-key") << QStringLiteral("invalid-key") << int(Kind::InvalidKey) << 401;
        QTest::newRow("quota") << QStringLiteral("quota") << int(Kind::QuotaExhausted) << 403;
        QTest::newRow("rate-limit") << QStringLiteral("rate-limit") << int(Kind::RateLimited) << 429;
        QTest::newRow("bad-request") << QStringLiteral("bad-request") << int(Kind::BadRequest) << 422;
        QTest::newRow("server-error") << QStringLiteral("server-error") << int(Kind::Transient) << 500;
        QTest::newRow("html-502") << QStringLiteral("html-502") << int(Kind::Transient) << 502;
        QTest::newRow("safety") << QStringLiteral("safety") << int(Kind::SafetyRefusal) << 422;
        QTest::newRow("nsfw-flag") << QStringLiteral("nsfw-flag") << int(Kind::SafetyRefusal) << 200;
        QTest::newRow("result-error") << QStringLiteral("result-error") << int(Kind::Transient) << 500;
    }

    void errors()
    {
        QFETCH(QString, scenario);
        QFETCH(int, kind);
        QFETCH(int, status);
        fault(scenario);
        auto p = provider();
        const GenerationError error = errorOf(run(*p, requestFor()));
        QCOMPARE(int(error.kind), kind);
        QCOMPARE(error.httpStatus, status);
        QVERIFY(!error.message.isEmpty());
        if (scenario == QLatin1String("rate-limit"))
            QCOMPARE(error.retryAfter.count(), 5000);
        if (scenario == QLatin1String("safety"))
            QVERIFY(error.providerReason.contains(QLatin1String("content checker")));
        QCOMPARE(submits(), 1); // never re-submitted
    }

    // Faults switched at run time through the control endpoint, as a running calstudio-sandbox is driven:
    // each scenario in fal.ai's wire shape must reach the real client as the right typed error.
    void runtimeFaults_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("status");
        QTest::addColumn<qint64>("retryAfterMs");
        QTest::addColumn<QString>("reason"); // part of providerReason
        QTest::addColumn<bool>("atSubmit"); // answered by the submit request (no poll)
        QTest::newRow("invalid-key") << QStringLiteral("invalid-key") << int(Kind::InvalidKey) << 401 << qint64(0)
                                     << QStringLiteral("HTTP_401") << true;
        QTest::newRow("permission") << QStringLiteral("permission") << int(Kind::Permission) << 403 << qint64(0)
                                    << QStringLiteral("HTTP_403") << true;
        QTest::newRow("not-found") << QStringLiteral("not-found") << int(Kind::BadRequest) << 404 << qint64(0)
                                   << QStringLiteral("HTTP_404") << true;
        QTest::newRow("quota") << QStringLiteral("quota") << int(Kind::QuotaExhausted) << 403 << qint64(0)
                               << QStringLiteral("HTTP_403") << true;
        QTest::newRow("rate-limit") << QStringLiteral("rate-limit") << int(Kind::RateLimited) << 429 << qint64(5000)
                                    << QStringLiteral("HTTP_429") << true;
        QTest::newRow("rate-limit-no-hint") << QStringLiteral("rate-limit-no-hint") << int(Kind::RateLimited) << 429
                                            << qint64(0) << QStringLiteral("HTTP_429") << true;
        QTest::newRow("bad-request") << QStringLiteral("bad-request") << int(Kind::BadRequest) << 422 << qint64(0)
                                     << QStringLiteral("type_error.enum") << true;
        QTest::newRow("server-error") << QStringLiteral("server-error") << int(Kind::Transient) << 500 << qint64(0)
                                      << QStringLiteral("HTTP_500") << true;
        QTest::newRow("unavailable") << QStringLiteral("unavailable") << int(Kind::Transient) << 503 << qint64(0)
                                     << QStringLiteral("HTTP_503") << true;
        QTest::newRow("html-502") << QStringLiteral("html-502") << int(Kind::Transient) << 502 << qint64(0)
                                  << QStringLiteral("HTTP_502") << true;
        QTest::newRow("prompt-block") << QStringLiteral("prompt-block") << int(Kind::SafetyRefusal) << 422 << qint64(0)
                                      << QStringLiteral("content checker") << true;
        QTest::newRow("safety") << QStringLiteral("safety") << int(Kind::SafetyRefusal) << 422 << qint64(0)
                                << QStringLiteral("content checker") << false;
        QTest::newRow("nsfw-flag") << QStringLiteral("nsfw-flag") << int(Kind::SafetyRefusal) << 200 << qint64(0)
                                   << QStringLiteral("has_nsfw_concepts") << false;
        QTest::newRow("text-only") << QStringLiteral("text-only") << int(Kind::BadRequest) << 200 << qint64(0)
                                   << QStringLiteral("no_image") << false;
        QTest::newRow("result-error") << QStringLiteral("result-error") << int(Kind::Transient) << 500 << qint64(0)
                                      << QStringLiteral("HTTP_500") << false;
    }

    void runtimeFaults()
    {
        QFETCH(QString, scenario);
        QFETCH(int, kind);
        QFETCH(int, status);
        QFETCH(qint64, retryAfterMs);
        QFETCH(QString, reason);
        QFETCH(bool, atSubmit);
        const ControlAnswer scripted = scriptFault(m_port, QStringLiteral("fal"), scenario);
        QCOMPARE(scripted.status, 200);
        QCOMPARE(scripted.body.value(QLatin1String("faults")).toArray().size(), 1);

        auto p = provider();
        verifyError(errorOf(run(*p, requestFor())), kind, status, retryAfterMs, reason);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(submits(), 1); // never re-submitted
        QCOMPARE(fake().count("GET", QStringLiteral("/status")) == 0, atSubmit);
        QCOMPARE(fake().count("GET", QStringLiteral("/fal/files/")), 0); // no image was fetched
        QCOMPARE(pendingFaults(m_port), 0); // used up by this one call

        // The fault affected one call only: the next one succeeds.
        const auto next = run(*p, requestFor());
        QVERIFY2(std::holds_alternative<GeneratedImage>(next), qPrintable(errorOf(next).message));
    }

    void runtimeSlowAnswerBeyondTimeout()
    {
        QCOMPARE(scriptFault(m_port, QStringLiteral("fal"), QStringLiteral("slow"), 3000).status, 200);
        auto p = provider(std::chrono::milliseconds(300));
        QElapsedTimer timer;
        timer.start();
        verifyError(errorOf(run(*p, requestFor())), int(Kind::Transient), 0, 0, QStringLiteral("timeout"));
        if (QTest::currentTestFailed())
            return;
        QVERIFY(timer.elapsed() < 2500);
        QTest::qWait(100);
        QCOMPARE(submits(), 1);
        QCOMPARE(fake().count("PUT", QStringLiteral("/cancel")), 0); // no request id yet: nothing to cancel
    }

    void runtimeDroppedConnectionIsResponseLost()
    {
        QCOMPARE(scriptFault(m_port, QStringLiteral("fal"), QStringLiteral("drop")).status, 200);
        auto p = provider();
        verifyError(errorOf(run(*p, requestFor())), int(Kind::ResponseLost), 0, 0, QString());
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(fake().requests().size(), 1); // the billed POST was not re-sent
    }

    void runtimeHuge4KOutput()
    {
        QCOMPARE(scriptFault(m_port, QStringLiteral("fal"), QStringLiteral("huge")).status, 200);
        auto p = provider();
        verifyHuge4K(run(*p, requestFor(QString(), QSize(4096, 4096))));
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(fake().count("GET", QStringLiteral("-huge.png")), 1);
    }

    void runtimeControlChecksScenariosPerApi()
    {
        // Scenarios of other APIs are refused, so a typo cannot silently script nothing.
        QCOMPARE(scriptFault(m_port, QStringLiteral("fal"), QStringLiteral("sync")).status, 400);
        QCOMPARE(scriptFault(m_port, QStringLiteral("fal"), QStringLiteral("thoughts")).status, 400);
        QCOMPARE(scriptFault(m_port, QStringLiteral("falai"), QStringLiteral("safety")).status, 400);
        QCOMPARE(scriptFault(m_port, QStringLiteral("fal"), QStringLiteral("nsfw-flag")).status, 200);
        QCOMPARE(sandboxControl(m_port, "DELETE").status, 200);
        QCOMPARE(pendingFaults(m_port), 0);
        QString error;
        const auto fault = FaultPlan::parseSpec(QStringLiteral("fal:prompt-block,count=-1"), &error);
        QVERIFY2(fault, qPrintable(error));
        QCOMPARE(fault->api, QStringLiteral("fal"));
        QCOMPARE(fault->count, -1);
        QVERIFY(!FaultPlan::parseSpec(QStringLiteral("fal:expired"), &error));
    }

    void bearerIsRejected()
    {
        SandboxRequest request;
        request.path = QStringLiteral("/fal/fal-ai/nano-banana-pro/edit");
        request.headers = {{"Authorization", "Bearer " + kKey.toUtf8()}};
        request.body = R"({"prompt":"a cat","image_urls":["https://example.com/a.jpg"]})";
        FalFake fake(nullptr, kKey);
        const SandboxReply reply = fake.handle(request);
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.body, QByteArray(R"({"detail":"Unauthorized"})"));
    }

    void fakeEnforcesSubpathRule()
    {
        FalFake fake(nullptr, kKey);
        SandboxRequest submit;
        submit.path = QStringLiteral("/fal/fal-ai/nano-banana-pro/edit");
        submit.headers = {{"Authorization", "Key " + kKey.toUtf8()}, {"Host", "127.0.0.1:9"}};
        submit.body = R"({"prompt":"a cat","image_urls":["https://example.com/a.jpg"]})";
        const SandboxReply queued = fake.handle(submit);
        QCOMPARE(queued.status, 200);
        const QJsonObject answer = QJsonDocument::fromJson(queued.body).object();
        const QString id = answer.value(QLatin1String("request_id")).toString();
        QCOMPARE(answer.value(QLatin1String("status_url")).toString(),
                 QStringLiteral("http://127.0.0.1:9/fal/fal-ai/nano-banana-pro/requests/%1/status").arg(id));
        SandboxRequest poll = submit;
        poll.method = "GET";
        poll.body.clear();
        poll.path = QStringLiteral("/fal/fal-ai/nano-banana-pro/edit/requests/%1/status").arg(id);
        QCOMPARE(fake.handle(poll).status, 404);
        poll.path = QStringLiteral("/fal/fal-ai/nano-banana-pro/requests/%1/status").arg(id);
        QCOMPARE(fake.handle(poll).status, 202);
        // FastAPI-style 422 for a missing prompt.
        submit.body = R"({"image_urls":["https://example.com/a.jpg"]})";
        const SandboxReply invalid = fake.handle(submit);
        QCOMPARE(invalid.status, 422);
        QVERIFY(invalid.body.contains("value_error.missing"));
    }

    void errorMappingFromBodies()
    {
        HttpAnswer answer;
        answer.status = 403;
        answer.body = R"({"detail":"User is locked. Reason: Exhausted balance."})";
        QCOMPARE(int(FalProvider::errorFromStatus(answer).kind), int(Kind::QuotaExhausted));
        answer.status = 403;
        answer.body = R"({"detail":"Forbidden"})";
        QCOMPARE(int(FalProvider::errorFromStatus(answer).kind), int(Kind::Permission));
        answer.status = 422;
        answer.body = R"({"detail":[{"loc":["body","prompt"],"msg":"field required","type":"value_error.missing"}]})";
        const GenerationError error = FalProvider::errorFromStatus(answer);
        QCOMPARE(int(error.kind), int(Kind::BadRequest));
        QCOMPARE(error.providerReason, QStringLiteral("value_error.missing"));
        QCOMPARE(FalProvider::appIdOf(QStringLiteral("fal-ai/bytedance/seedream/v4/edit")), QStringLiteral("fal-ai/bytedance"));
    }

    void timeoutWhileStuckIsTransientAndCancelsRemotely()
    {
        fault(QStringLiteral("stuck-processing"));
        auto p = provider(std::chrono::milliseconds(600));
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(int(errorOf(run(*p, requestFor())).kind), int(Kind::Transient));
        QVERIFY(timer.elapsed() < 3000);
        QVERIFY(fake().count("GET", QStringLiteral("/status")) >= 2);
        QTRY_COMPARE(fake().count("PUT", QStringLiteral("/cancel")), 1);
    }

    void slowSubmitTimesOut()
    {
        fault(QStringLiteral("slow"), std::chrono::milliseconds(3000));
        auto p = provider(std::chrono::milliseconds(300));
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(int(errorOf(run(*p, requestFor())).kind), int(Kind::Transient));
        QVERIFY(timer.elapsed() < 2500);
    }

    void droppedConnectionIsResponseLost()
    {
        fault(QStringLiteral("drop"));
        auto p = provider();
        QCOMPARE(int(errorOf(run(*p, requestFor())).kind), int(Kind::ResponseLost));
        QCOMPARE(submits(), 1);
        QCOMPARE(fake().requests().size(), 1);
    }

    void cancelWhilePolling()
    {
        fault(QStringLiteral("stuck-processing"));
        auto p = provider();
        QList<ImageProvider::Outcome> outcomes;
        connect(p.get(), &ImageProvider::finished, this, [&outcomes](const ImageProvider::Outcome &o) { outcomes.append(o); });
        p->generate(requestFor());
        QTRY_VERIFY(fake().count("GET", QStringLiteral("/status")) >= 1);
        p->cancel();
        QTRY_COMPARE(outcomes.size(), 1);
        QCOMPARE(int(errorOf(outcomes.first()).kind), int(Kind::Cancelled));
        QVERIFY(!p->isBusy());
        QTRY_COMPARE(fake().count("PUT", QStringLiteral("/fal/fal-ai/nano-banana-pro/requests/")), 1);
        QCOMPARE(fake().requests().last().header("authorization"), QByteArray("Key " + kKey.toUtf8()));
        QTest::qWait(200);
        QCOMPARE(outcomes.size(), 1);
    }

    void missingKeyAndReferences()
    {
        HttpProviderConfig c = config();
        c.apiKey.clear();
        FalProvider noKey(c);
        QCOMPARE(int(errorOf(run(noKey, requestFor())).kind), int(Kind::InvalidKey));
        auto p = provider();
        GenerationRequest request = requestFor();
        request.references.clear();
        QCOMPARE(int(errorOf(run(*p, request)).kind), int(Kind::BadRequest));
        QVERIFY(fake().requests().isEmpty());
    }

    void keyNeverLogged()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("calstudio.*.debug=true\nqt.network.*.debug=true"));
        capturedLog.clear();
        const QtMessageHandler previous = qInstallMessageHandler(captureMessage);
        const QString wrongKey = QStringLiteral("fal-wrong-key-9988776655");
        {
            auto p = provider();
            run(*p, requestFor());
            fault(QStringLiteral("rate-limit"));
            run(*p, requestFor());
            fault(QStringLiteral("safety"));
            run(*p, requestFor());
            HttpProviderConfig wrong = config();
            wrong.apiKey = wrongKey;
            FalProvider wrongProvider(wrong);
            run(wrongProvider, requestFor());
        }
        qInstallMessageHandler(previous);
        QLoggingCategory::setFilterRules(QString());
        QMutexLocker lock(&logMutex);
        QVERIFY(capturedLog.size() >= 4);
        for (const QString &line : std::as_const(capturedLog)) {
            QVERIFY2(!line.contains(kKey), qPrintable(line));
            QVERIFY2(!line.contains(wrongKey), qPrintable(line));
            QVERIFY2(!line.contains(QLatin1String("iVBORw0KGgo")), "image bytes were logged");
            QVERIFY2(!line.contains(QLatin1String("/9j/")), "reference bytes were logged");
        }
    }
};

QTEST_GUILESS_MAIN(TestFalProvider)
#include "tst_falprovider.moc"
