// Wire-level tests of ReplicateProvider against the sandbox's ReplicateFake, served in-process
// by QHttpServer on an OS-chosen port.
#include "providertestsupport.h"
#include "app/sandbox/replicatefake.h"
#include "app/sandbox/sandboxserver.h"
#include "core/generation/replicateprovider.h"

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

const QString kKey = QStringLiteral("r8_test_replicate_5a6b7c8d9e0f");

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
    request.provider = QStringLiteral("replicate");
    request.model = model;
    request.promptSent = QStringLiteral("Watercolour portrait of the person in the photos in a spring garden");
    request.aspectRatio = aspect;
    request.size = size;
    request.references = {reference(ReferenceImage::Kind::FaceCrop, Qt::red), reference(ReferenceImage::Kind::FullImage, Qt::blue)};
    return request;
}


} // namespace

class TestReplicateProvider : public QObject {
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

    std::unique_ptr<ReplicateProvider> provider(std::chrono::milliseconds timeout = std::chrono::seconds(60)) const
    {
        auto p = std::make_unique<ReplicateProvider>(config(timeout));
        p->setPollInterval(std::chrono::milliseconds(20));
        return p;
    }

    ImageProvider::Outcome run(ReplicateProvider &provider, const GenerationRequest &request, int timeoutMs = 60000)
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

    ReplicateFake &fake() { return m_server->replicate(); }
    void fault(const QString &scenario, std::chrono::milliseconds delay = {})
    {
        m_server->faults().push(Fault{QStringLiteral("replicate"), scenario, 1, delay});
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

    void init()
    {
        m_server->faults().clear();
        fake().clearRequests();
        fake().setPollsToFinish(2);
        fake().setFileOrigin(QUrl());
    }

    void cleanup()
    {
        QVERIFY2(!m_answerCountWrong, "a call did not answer exactly once");
        m_answerCountWrong = false;
    }

    void requestShapePollingAndDownload()
    {
        auto p = provider();
        fake().setPollsToFinish(3);
        const auto outcome = run(*p, requestFor(QString(), QSize(1024, 768), QStringLiteral("4:3")));
        const auto *image = std::get_if<GeneratedImage>(&outcome);
        QVERIFY2(image, qPrintable(errorOf(outcome).message));
        QCOMPARE(image->nativeSize, QSize(1024, 768));
        QCOMPARE(image->mimeType, QStringLiteral("image/png"));
        QCOMPARE(image->model, QStringLiteral("google/nano-banana-pro"));
        QVERIFY(image->costUsd > 0);
        QVERIFY(!p->isBusy());

        const QList<SandboxRequest> &requests = fake().requests();
        QCOMPARE(fake().count("POST", QStringLiteral("/predictions")), 1);
        QCOMPARE(fake().count("GET", QStringLiteral("/v1/predictions/")), 3); // processing, processing, succeeded
        QCOMPARE(fake().count("GET", QString::fromLatin1(ReplicateFake::FilePrefix)), 1);
        const SandboxRequest &create = requests.first();
        QCOMPARE(create.path, QStringLiteral("/v1/models/google/nano-banana-pro/predictions"));
        QCOMPARE(create.header("authorization"), QByteArray("Bearer " + kKey.toUtf8()));
        QVERIFY(create.header("prefer").startsWith("wait"));
        QCOMPARE(create.header("content-type"), QByteArray("application/json"));
        const QJsonObject input = QJsonDocument::fromJson(create.body).object().value(QLatin1String("input")).toObject();
        QCOMPARE(input.value(QLatin1String("prompt")).toString(), requestFor().promptSent);
        QCOMPARE(input.value(QLatin1String("resolution")).toString(), QStringLiteral("1K"));
        QCOMPARE(input.value(QLatin1String("aspect_ratio")).toString(), QStringLiteral("4:3"));
        const QJsonArray images = input.value(QLatin1String("image_input")).toArray();
        QCOMPARE(images.size(), 2);
        QVERIFY(images.first().toString().startsWith(QLatin1String("data:image/jpeg;base64,")));
        // Polls carry the token (same origin); so does the same-origin download.
        for (const SandboxRequest &r : requests) {
            if (r.method == "GET" && r.path.startsWith(QLatin1String("/v1/")))
                QCOMPARE(r.header("authorization"), QByteArray("Bearer " + kKey.toUtf8()));
        }
    }

    void versionedModelUsesPredictionsEndpoint()
    {
        auto p = provider();
        const auto outcome = run(*p, requestFor(QStringLiteral("google/nano-banana-pro:abc123")));
        QVERIFY2(std::holds_alternative<GeneratedImage>(outcome), qPrintable(errorOf(outcome).message));
        const SandboxRequest &create = fake().requests().first();
        QCOMPARE(create.path, QStringLiteral("/v1/predictions"));
        QCOMPARE(QJsonDocument::fromJson(create.body).object().value(QLatin1String("version")).toString(),
                 QStringLiteral("google/nano-banana-pro:abc123"));
    }

    void outputArrayAndSyncMode()
    {
        auto p = provider();
        fault(QStringLiteral("output-array"));
        QVERIFY(std::holds_alternative<GeneratedImage>(run(*p, requestFor())));
        fake().clearRequests();
        fault(QStringLiteral("sync")); // finished within Prefer: wait: no poll at all
        QVERIFY(std::holds_alternative<GeneratedImage>(run(*p, requestFor())));
        QCOMPARE(fake().count("GET", QStringLiteral("/v1/predictions/")), 0);
    }

    void downloadToOtherOriginHasNoToken()
    {
        SandboxServer files(kKey);
        const quint16 filesPort = files.listen();
        QVERIFY(filesPort != 0);
        fake().setFileOrigin(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(filesPort)));
        auto p = provider();
        const auto outcome = run(*p, requestFor());
        QVERIFY2(std::holds_alternative<GeneratedImage>(outcome), qPrintable(errorOf(outcome).message));
        QCOMPARE(files.replicate().requests().size(), 1);
        QVERIFY(files.replicate().requests().first().header("authorization").isEmpty());
    }

    void errors_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("status");
        QTest::newRow("invalid-key") << QStringLiteral("invalid-key") << int(Kind::InvalidKey) << 401;
        QTest::newRow("quota") << QStringLiteral("quota") << int(Kind::QuotaExhausted) << 402;
        QTest::newRow("rate-limit") << QStringLiteral("rate-limit") << int(Kind::RateLimited) << 429;
        QTest::newRow("bad-request") << QStringLiteral("bad-request") << int(Kind::BadRequest) << 422;
        QTest::newRow("not-found") << QStringLiteral("not-found") << int(Kind::BadRequest) << 404;
        QTest::newRow("server-error") << QStringLiteral("server-error") << int(Kind::Transient) << 500;
        QTest::newRow("unavailable") << QStringLiteral("unavailable") << int(Kind::Transient) << 503;
        QTest::newRow("html-502") << QStringLiteral("html-502") << int(Kind::Transient) << 502;
        QTest::newRow("safety") << QStringLiteral("safety") << int(Kind::SafetyRefusal) << 200;
        QTest::newRow("expired") << QStringLiteral("expired") << int(Kind::ResponseLost) << 404;
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
            QCOMPARE(error.retryAfter.count(), 7000);
        if (scenario == QLatin1String("safety"))
            QVERIFY(error.providerReason.contains(QLatin1String("NSFW")));
        QCOMPARE(fake().count("POST", QStringLiteral("/predictions")), 1); // never re-submitted
    }

    // Faults switched at run time through the control endpoint, as a running calstudio-sandbox is driven:
    // each scenario in Replicate's wire shape must reach the real client as the right typed error.
    void runtimeFaults_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("status");
        QTest::addColumn<qint64>("retryAfterMs");
        QTest::addColumn<QString>("reason"); // part of providerReason
        QTest::addColumn<bool>("atSubmit"); // answered by the create request (no poll)
        QTest::newRow("invalid-key") << QStringLiteral("invalid-key") << int(Kind::InvalidKey) << 401 << qint64(0)
                                     << QStringLiteral("Unauthenticated") << true;
        QTest::newRow("permission") << QStringLiteral("permission") << int(Kind::Permission) << 403 << qint64(0)
                                    << QStringLiteral("Forbidden") << true;
        QTest::newRow("rate-limit") << QStringLiteral("rate-limit") << int(Kind::RateLimited) << 429 << qint64(7000)
                                    << QStringLiteral("HTTP_429") << true;
        QTest::newRow("rate-limit-no-hint") << QStringLiteral("rate-limit-no-hint") << int(Kind::RateLimited) << 429
                                            << qint64(0) << QStringLiteral("HTTP_429") << true;
        QTest::newRow("quota") << QStringLiteral("quota") << int(Kind::QuotaExhausted) << 402 << qint64(0)
                               << QStringLiteral("Insufficient credit") << true;
        QTest::newRow("bad-request") << QStringLiteral("bad-request") << int(Kind::BadRequest) << 422 << qint64(0)
                                     << QStringLiteral("Input validation failed") << true;
        QTest::newRow("not-found") << QStringLiteral("not-found") << int(Kind::BadRequest) << 404 << qint64(0)
                                   << QStringLiteral("Not found") << true;
        QTest::newRow("server-error") << QStringLiteral("server-error") << int(Kind::Transient) << 500 << qint64(0)
                                      << QStringLiteral("Internal Server Error") << true;
        QTest::newRow("unavailable") << QStringLiteral("unavailable") << int(Kind::Transient) << 503 << qint64(0)
                                     << QStringLiteral("Service Unavailable") << true;
        QTest::newRow("html-502") << QStringLiteral("html-502") << int(Kind::Transient) << 502 << qint64(0)
                                  << QStringLiteral("HTTP_502") << true;
        QTest::newRow("safety") << QStringLiteral("safety") << int(Kind::SafetyRefusal) << 200 << qint64(0)
                                << QStringLiteral("NSFW") << false;
        QTest::newRow("prompt-block") << QStringLiteral("prompt-block") << int(Kind::SafetyRefusal) << 200 << qint64(0)
                                      << QStringLiteral("(E005)") << false;
        QTest::newRow("text-only") << QStringLiteral("text-only") << int(Kind::BadRequest) << 200 << qint64(0)
                                   << QStringLiteral("no_output") << false;
        QTest::newRow("expired") << QStringLiteral("expired") << int(Kind::ResponseLost) << 404 << qint64(0)
                                 << QStringLiteral("download_http_404") << false;
    }

    void runtimeFaults()
    {
        QFETCH(QString, scenario);
        QFETCH(int, kind);
        QFETCH(int, status);
        QFETCH(qint64, retryAfterMs);
        QFETCH(QString, reason);
        QFETCH(bool, atSubmit);
        const ControlAnswer scripted = scriptFault(m_port, QStringLiteral("replicate"), scenario);
        QCOMPARE(scripted.status, 200);
        QCOMPARE(scripted.body.value(QLatin1String("faults")).toArray().size(), 1);

        auto p = provider();
        verifyError(errorOf(run(*p, requestFor())), kind, status, retryAfterMs, reason);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(fake().count("POST", QStringLiteral("/predictions")), 1); // never re-submitted
        QCOMPARE(fake().count("GET", QStringLiteral("/v1/predictions/")) == 0, atSubmit);
        QCOMPARE(pendingFaults(m_port), 0); // used up by this one call

        // The fault affected one call only: the next one succeeds.
        const auto next = run(*p, requestFor());
        QVERIFY2(std::holds_alternative<GeneratedImage>(next), qPrintable(errorOf(next).message));
    }

    void runtimeSlowAnswerBeyondTimeout()
    {
        QCOMPARE(scriptFault(m_port, QStringLiteral("replicate"), QStringLiteral("slow"), 3000).status, 200);
        auto p = provider(std::chrono::milliseconds(300));
        QElapsedTimer timer;
        timer.start();
        verifyError(errorOf(run(*p, requestFor())), int(Kind::Transient), 0, 0, QStringLiteral("timeout"));
        if (QTest::currentTestFailed())
            return;
        QVERIFY(timer.elapsed() < 2500);
        QTest::qWait(100);
        QCOMPARE(fake().count("POST", QStringLiteral("/predictions")), 1);
        QCOMPARE(fake().count("POST", QStringLiteral("/cancel")), 0); // no prediction id yet: nothing to cancel
    }

    void runtimeDroppedConnectionIsResponseLost()
    {
        QCOMPARE(scriptFault(m_port, QStringLiteral("replicate"), QStringLiteral("drop")).status, 200);
        auto p = provider();
        verifyError(errorOf(run(*p, requestFor())), int(Kind::ResponseLost), 0, 0, QString());
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(fake().requests().size(), 1); // the billed POST was not re-sent
    }

    void runtimeHuge4KOutput()
    {
        QCOMPARE(scriptFault(m_port, QStringLiteral("replicate"), QStringLiteral("huge")).status, 200);
        auto p = provider();
        verifyHuge4K(run(*p, requestFor(QString(), QSize(4096, 4096))));
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(fake().count("GET", QStringLiteral("-huge.png")), 1);
    }

    void runtimeControlChecksScenariosPerApi()
    {
        // Scenarios of other APIs are refused, so a typo cannot silently script nothing.
        QCOMPARE(scriptFault(m_port, QStringLiteral("replicate"), QStringLiteral("thoughts")).status, 400);
        QCOMPARE(scriptFault(m_port, QStringLiteral("replicate"), QStringLiteral("nsfw-flag")).status, 400);
        QCOMPARE(scriptFault(m_port, QStringLiteral("replicate"), QStringLiteral("rate-limit-no-hint")).status, 200);
        QCOMPARE(sandboxControl(m_port, "DELETE").status, 200);
        QCOMPARE(pendingFaults(m_port), 0);
        QString error;
        const auto fault = FaultPlan::parseSpec(QStringLiteral("replicate:stuck-processing,count=2,delay=5"), &error);
        QVERIFY2(fault, qPrintable(error));
        QCOMPARE(fault->api, QStringLiteral("replicate"));
        QCOMPARE(fault->count, 2);
        QVERIFY(!FaultPlan::parseSpec(QStringLiteral("replicate:prompt_block"), &error));
        QVERIFY(error.contains(QLatin1String("prompt-block")));
    }

    void retryHintFromDetail()
    {
        HttpAnswer answer;
        answer.status = 429;
        answer.body = R"({"detail":"Request was throttled. Expected available in 12 seconds.","status":429})";
        const GenerationError error = ReplicateProvider::errorFromStatus(answer);
        QCOMPARE(int(error.kind), int(Kind::RateLimited));
        QCOMPARE(error.retryAfter.count(), 12000);
        answer.status = 400;
        answer.body = R"({"detail":"You have insufficient credit to run this model.","status":400})";
        QCOMPARE(int(ReplicateProvider::errorFromStatus(answer).kind), int(Kind::QuotaExhausted));
    }

    void timeoutWhileStuckIsTransientAndCancelsRemotely()
    {
        fault(QStringLiteral("stuck-processing"));
        auto p = provider(std::chrono::milliseconds(600));
        QElapsedTimer timer;
        timer.start();
        const GenerationError error = errorOf(run(*p, requestFor()));
        QCOMPARE(int(error.kind), int(Kind::Transient));
        QVERIFY(timer.elapsed() < 3000);
        QVERIFY(fake().count("GET", QStringLiteral("/v1/predictions/")) >= 2); // it did poll
        QTRY_COMPARE(fake().count("POST", QStringLiteral("/cancel")), 1);
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
        const auto outcome = run(*p, requestFor());
        QCOMPARE(int(errorOf(outcome).kind), int(Kind::ResponseLost));
        QCOMPARE(fake().count("POST", QStringLiteral("/predictions")), 1);
        QCOMPARE(fake().requests().size(), 1);
    }

    void cancelWhilePolling()
    {
        fault(QStringLiteral("stuck-processing"));
        auto p = provider();
        QList<ImageProvider::Outcome> outcomes;
        connect(p.get(), &ImageProvider::finished, this, [&outcomes](const ImageProvider::Outcome &o) { outcomes.append(o); });
        p->generate(requestFor());
        QTRY_VERIFY(fake().count("GET", QStringLiteral("/v1/predictions/")) >= 1);
        p->cancel();
        QTRY_COMPARE(outcomes.size(), 1);
        QCOMPARE(int(errorOf(outcomes.first()).kind), int(Kind::Cancelled));
        QVERIFY(!p->isBusy());
        QTRY_COMPARE(fake().count("POST", QStringLiteral("/cancel")), 1);
        const SandboxRequest cancel = fake().requests().last();
        QCOMPARE(cancel.header("authorization"), QByteArray("Bearer " + kKey.toUtf8()));
        QTest::qWait(200);
        QCOMPARE(outcomes.size(), 1);
    }

    void cancelDuringSubmit()
    {
        fault(QStringLiteral("slow"), std::chrono::milliseconds(3000));
        auto p = provider();
        QList<ImageProvider::Outcome> outcomes;
        connect(p.get(), &ImageProvider::finished, this, [&outcomes](const ImageProvider::Outcome &o) { outcomes.append(o); });
        p->generate(requestFor());
        QTest::qWait(150);
        p->cancel();
        QTRY_COMPARE(outcomes.size(), 1);
        QCOMPARE(int(errorOf(outcomes.first()).kind), int(Kind::Cancelled));
    }

    void missingKeyAndReferences()
    {
        HttpProviderConfig c = config();
        c.apiKey.clear();
        ReplicateProvider noKey(c);
        QCOMPARE(int(errorOf(run(noKey, requestFor())).kind), int(Kind::InvalidKey));
        auto p = provider();
        GenerationRequest request = requestFor();
        request.references.clear();
        QCOMPARE(int(errorOf(run(*p, request)).kind), int(Kind::BadRequest));
        QVERIFY(fake().requests().isEmpty());
    }

    void fakeWithoutSockets()
    {
        ReplicateFake fake(nullptr, kKey);
        SandboxRequest request;
        request.path = QStringLiteral("/v1/models/google/nano-banana-pro/predictions");
        request.headers = {{"Authorization", "Bearer wrong"}, {"Host", "127.0.0.1:9"}};
        request.body = R"({"input":{"prompt":"a cat","resolution":"1K"}})";
        SandboxReply reply = fake.handle(request);
        QCOMPARE(reply.status, 401);
        QVERIFY(reply.body.contains("Unauthenticated"));
        request.headers = {{"Authorization", "Bearer " + kKey.toUtf8()}, {"Host", "127.0.0.1:9"}};
        reply = fake.handle(request);
        QCOMPARE(reply.status, 201);
        const QJsonObject prediction = QJsonDocument::fromJson(reply.body).object();
        QCOMPARE(prediction.value(QLatin1String("status")).toString(), QStringLiteral("starting"));
        QVERIFY(prediction.value(QLatin1String("urls")).toObject().value(QLatin1String("get")).toString().startsWith(
            QLatin1String("http://127.0.0.1:9/v1/predictions/")));
        QCOMPARE(ReplicateFake::outputSize(QStringLiteral("4K"), QStringLiteral("3:4")), QSize(3072, 4096));
    }

    void keyNeverLogged()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("calstudio.*.debug=true\nqt.network.*.debug=true"));
        capturedLog.clear();
        const QtMessageHandler previous = qInstallMessageHandler(captureMessage);
        const QString wrongKey = QStringLiteral("r8_wrong_key_9988776655");
        {
            auto p = provider();
            run(*p, requestFor());
            fault(QStringLiteral("rate-limit"));
            run(*p, requestFor());
            fault(QStringLiteral("safety"));
            run(*p, requestFor());
            HttpProviderConfig wrong = config();
            wrong.apiKey = wrongKey;
            ReplicateProvider wrongProvider(wrong);
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

QTEST_GUILESS_MAIN(TestReplicateProvider)
#include "tst_replicateprovider.moc"
