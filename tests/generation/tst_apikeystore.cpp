// ApiKeyStore: the in-memory backend (round trip, errors, the no-keychain
// fallback), the QtKeychain error classification, no key in any log, and the
// real OS keychain (gnome-keyring recipe of TOOLCHAIN.md 8, run by scripts/test.sh).
#include "core/generation/apikeybackendkeychain.h"
#include "core/generation/apikeybackendmemory.h"
#include "core/generation/apikeystore.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QMutex>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

using namespace CalStudio;
using Status = ApiKeyStore::Backend::Status;

namespace {

QMutex logMutex;
QStringList capturedLog;
QtMessageHandler previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&logMutex);
        capturedLog.append(QString::fromLatin1(context.category ? context.category : "") + QLatin1Char(' ') + message);
    }
    if (previousHandler)
        previousHandler(type, context, message);
}

/// Captures every message of every category (debug included) while alive.
class LogCapture {
public:
    LogCapture()
    {
        QMutexLocker lock(&logMutex);
        capturedLog.clear();
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=true"));
        previousHandler = qInstallMessageHandler(captureMessage);
    }
    ~LogCapture()
    {
        qInstallMessageHandler(previousHandler);
        previousHandler = nullptr;
        QLoggingCategory::setFilterRules(QString());
    }
    QStringList lines() const
    {
        QMutexLocker lock(&logMutex);
        return capturedLog;
    }
};

QString uniqueKey()
{
    return QStringLiteral("sk-test-%1").arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'));
}

struct MemoryStore {
    ApiKeyBackendMemory *backend = new ApiKeyBackendMemory;
    ApiKeyStore store { std::unique_ptr<ApiKeyStore::Backend>(backend) };
};

Error waitWrite(ApiKeyStore &store, const QString &provider, const QString &key)
{
    QSignalSpy spy(&store, &ApiKeyStore::keyWritten);
    store.writeKey(provider, key);
    if (!spy.wait(20000) || spy.size() != 1)
        return Error(QStringLiteral("test.timeout"), QStringLiteral("no answer"));
    QTest::qWait(10);
    if (spy.size() != 1)
        return Error(QStringLiteral("test.twice"), QStringLiteral("answered twice"));
    if (spy.at(0).at(0).toString() != provider)
        return Error(QStringLiteral("test.provider"), QStringLiteral("wrong provider"));
    return spy.at(0).at(1).value<Error>();
}

std::pair<QString, Error> waitRead(ApiKeyStore &store, const QString &provider)
{
    QSignalSpy spy(&store, &ApiKeyStore::keyRead);
    store.readKey(provider);
    if (!spy.wait(20000) || spy.size() != 1)
        return { {}, Error(QStringLiteral("test.timeout"), QStringLiteral("no answer")) };
    if (spy.at(0).at(0).toString() != provider)
        return { {}, Error(QStringLiteral("test.provider"), QStringLiteral("wrong provider")) };
    return { spy.at(0).at(1).toString(), spy.at(0).at(2).value<Error>() };
}

Error waitDelete(ApiKeyStore &store, const QString &provider)
{
    QSignalSpy spy(&store, &ApiKeyStore::keyDeleted);
    store.deleteKey(provider);
    if (!spy.wait(20000) || spy.size() != 1)
        return Error(QStringLiteral("test.timeout"), QStringLiteral("no answer"));
    return spy.at(0).at(1).value<Error>();
}

} // namespace

class TestApiKeyStore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<CalStudio::Error>(); }

    void providersAndNames()
    {
        QCOMPARE(ApiKeyStore::providers(),
            (QStringList { QStringLiteral("gemini"), QStringLiteral("openai"), QStringLiteral("replicate"),
                QStringLiteral("fal") }));
        QCOMPARE(ApiKeyStore::keyName(QStringLiteral("gemini")), QStringLiteral("api-key/gemini"));
        QCOMPARE(ApiKeyStore::displayName(QStringLiteral("fal")), QStringLiteral("fal.ai"));
        QCOMPARE(ApiKeyStore::DefaultServiceName, QStringLiteral("Calendar Studio"));
    }

    void memoryRoundTrip()
    {
        MemoryStore m;
        const QString key = uniqueKey();
        QSignalSpy written(&m.store, &ApiKeyStore::keyWritten);
        m.store.writeKey(QStringLiteral("gemini"), key);
        QCOMPARE(written.size(), 0); // answers later, never from inside the call
        QVERIFY(written.wait(5000));
        QVERIFY(written.at(0).at(1).value<Error>().isNull());
        QCOMPARE(m.backend->secrets().value(QStringLiteral("api-key/gemini")), key);

        auto [readBack, readError] = waitRead(m.store, QStringLiteral("gemini"));
        QVERIFY2(readError.isNull(), qPrintable(readError.code));
        QCOMPARE(readBack, key);

        QVERIFY(waitDelete(m.store, QStringLiteral("gemini")).isNull());
        auto [gone, notFound] = waitRead(m.store, QStringLiteral("gemini"));
        QVERIFY(gone.isEmpty());
        QCOMPARE(notFound.code, ApiKeyStore::ErrorNotFound);
        QVERIFY(m.store.keychainAvailable());
    }

    void errorsSurface()
    {
        MemoryStore m;
        m.backend->setFailure(Status::Failed, QStringLiteral("QtKeychain error 4: access denied"));
        const Error error = waitWrite(m.store, QStringLiteral("openai"), uniqueKey());
        QCOMPARE(error.code, ApiKeyStore::ErrorFailed);
        QVERIFY(error.userMessage.startsWith(QStringLiteral("Your system keychain could not be reached")));
        QCOMPARE(error.detail, QStringLiteral("QtKeychain error 4: access denied"));
        QVERIFY(m.store.keychainAvailable()); // a failure is not "no keychain"

        auto [key, readError] = waitRead(m.store, QStringLiteral("openai"));
        QVERIFY(key.isEmpty());
        QCOMPARE(readError.code, ApiKeyStore::ErrorFailed);
        QCOMPARE(waitDelete(m.store, QStringLiteral("openai")).code, ApiKeyStore::ErrorFailed);
    }

    void fallbackWithoutKeychain()
    {
        MemoryStore m;
        QSignalSpy availability(&m.store, &ApiKeyStore::keychainAvailableChanged);
        m.backend->setFailure(
            Status::Unavailable, QStringLiteral("QtKeychain error 7: Cannot autolaunch D-Bus without X11 $DISPLAY"));
        const QString key = uniqueKey();
        const Error error = waitWrite(m.store, QStringLiteral("replicate"), key);
        QCOMPARE(error.code, ApiKeyStore::ErrorUnavailable);
        QVERIFY(error.userMessage.startsWith(QStringLiteral("Your system keychain could not be reached")));
        QVERIFY(!m.store.keychainAvailable());
        QCOMPARE(availability.size(), 1);
        QCOMPARE(availability.at(0).at(0).toBool(), false);

        // The UI keeps the key for this session only; reads answer it without the backend.
        m.store.setSessionKey(QStringLiteral("replicate"), key);
        QVERIFY(m.store.hasSessionKey(QStringLiteral("replicate")));
        const int calls = m.backend->callCount();
        auto [readBack, readError] = waitRead(m.store, QStringLiteral("replicate"));
        QVERIFY(readError.isNull());
        QCOMPARE(readBack, key);
        QCOMPARE(m.backend->callCount(), calls);
        QVERIFY(m.backend->secrets().isEmpty()); // never saved

        // Other providers still report the missing keychain.
        QCOMPARE(waitRead(m.store, QStringLiteral("fal")).second.code, ApiKeyStore::ErrorUnavailable);

        // Removing forgets the session key and succeeds: there is nothing else to remove.
        QVERIFY(waitDelete(m.store, QStringLiteral("replicate")).isNull());
        QVERIFY(!m.store.hasSessionKey(QStringLiteral("replicate")));

        // A keychain that comes back is noticed, and a saved key replaces the session key.
        m.store.setSessionKey(QStringLiteral("replicate"), key);
        m.backend->setFailure(Status::Ok);
        QVERIFY(waitWrite(m.store, QStringLiteral("replicate"), key).isNull());
        QVERIFY(m.store.keychainAvailable());
        QCOMPARE(availability.size(), 2);
        QVERIFY(!m.store.hasSessionKey(QStringLiteral("replicate")));
    }

    void destroyedStoreDoesNotAnswer()
    {
        auto *backend = new ApiKeyBackendMemory;
        auto store = std::make_unique<ApiKeyStore>(std::unique_ptr<ApiKeyStore::Backend>(backend));
        QSignalSpy spy(store.get(), &ApiKeyStore::keyWritten);
        store->writeKey(QStringLiteral("gemini"), uniqueKey());
        store.reset();
        QTest::qWait(20); // must not crash
    }

    void classifiesKeychainErrors_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("status");
        // The headless results listed in TOOLCHAIN.md 8.
        QTest::newRow("no bus") << 7 << QStringLiteral("Cannot autolaunch D-Bus without X11 $DISPLAY")
                                << int(Status::Unavailable);
        QTest::newRow("no libsecret") << 7 << QStringLiteral("Unknown error") << int(Status::Unavailable);
        QTest::newRow("no interface") << 7 << QStringLiteral("No such interface 'org.freedesktop.Secret.Collection'")
                                      << int(Status::Unavailable);
        QTest::newRow("locked login")
            << 7
            << QStringLiteral("Object does not exist at path \u201c/org/freedesktop/secrets/collection/login\u201d")
            << int(Status::Unavailable);
        QTest::newRow("no backend") << 5 << QString() << int(Status::Unavailable);
        QTest::newRow("not implemented") << 6 << QString() << int(Status::Unavailable);
        QTest::newRow("not found") << 1 << QStringLiteral("Entry not found") << int(Status::NotFound);
        QTest::newRow("denied") << 4 << QStringLiteral("Access denied") << int(Status::Failed);
        QTest::newRow("other") << 7 << QStringLiteral("Something odd") << int(Status::Failed);
        QTest::newRow("ok") << 0 << QString() << int(Status::Ok);
    }
    void classifiesKeychainErrors()
    {
        QFETCH(int, code);
        QFETCH(QString, text);
        QFETCH(int, status);
        QCOMPARE(int(ApiKeyBackendKeychain::classify(code, text)), status);
    }

    void keyNeverLogged()
    {
        const QString key = uniqueKey();
        QStringList lines;
        {
            LogCapture capture;
            MemoryStore m;
            QVERIFY(waitWrite(m.store, QStringLiteral("gemini"), key).isNull());
            QCOMPARE(waitRead(m.store, QStringLiteral("gemini")).first, key);
            m.backend->setFailure(Status::Unavailable, QStringLiteral("QtKeychain error 7: Unknown error"));
            QCOMPARE(waitWrite(m.store, QStringLiteral("openai"), key).code, ApiKeyStore::ErrorUnavailable);
            m.store.setSessionKey(QStringLiteral("openai"), key);
            QCOMPARE(waitRead(m.store, QStringLiteral("openai")).first, key);
            m.backend->setFailure(Status::Failed, QStringLiteral("QtKeychain error 4: denied"));
            QCOMPARE(waitWrite(m.store, QStringLiteral("fal"), key).code, ApiKeyStore::ErrorFailed);
            m.backend->setFailure(Status::Ok);
            QVERIFY(waitDelete(m.store, QStringLiteral("gemini")).isNull());
            QVERIFY(waitDelete(m.store, QStringLiteral("openai")).isNull());
            lines = capture.lines();
        }
        QVERIFY2(!lines.isEmpty(), "the store logs its operations (without keys)");
        for (const QString &line : std::as_const(lines))
            QVERIFY2(!line.contains(key), qPrintable(QStringLiteral("key in log line: ") + line.left(40)));
    }

    /// The real OS keychain: runs under scripts/test.sh (dbus-run-session + unlocked gnome-keyring).
    void realKeychainRoundTrip()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("No D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset), so no Secret Service: run via "
                  "scripts/test.sh "
                  "(dbus-run-session + unlocked gnome-keyring, TOOLCHAIN.md 8) to run this test.");

        // A service of its own, so a developer's real "Calendar Studio" keys are never touched.
        const QString service = QStringLiteral("Calendar Studio Test %1").arg(QCoreApplication::applicationPid());
        const QString key = uniqueKey();
        const QString provider = QStringLiteral("gemini");
        QStringList lines;
        {
            LogCapture capture;
            {
                ApiKeyStore writer(std::make_unique<ApiKeyBackendKeychain>(service));
                const Error error = waitWrite(writer, provider, key);
                if (error.code == ApiKeyStore::ErrorUnavailable) {
                    QVERIFY(!writer.keychainAvailable());
                    QSKIP(qPrintable(QStringLiteral("No Secret Service reachable on this session bus (%1); run via "
                                                    "scripts/test.sh (gnome-keyring recipe, TOOLCHAIN.md 8).")
                                         .arg(error.detail)));
                }
                QVERIFY2(error.isNull(), qPrintable(error.code + QLatin1Char(' ') + error.detail));
                QVERIFY(writer.keychainAvailable());
            }
            {
                ApiKeyStore reader(std::make_unique<ApiKeyBackendKeychain>(service));
                auto [readBack, error] = waitRead(reader, provider);
                QVERIFY2(error.isNull(), qPrintable(error.code + QLatin1Char(' ') + error.detail));
                QCOMPARE(readBack, key);
                const Error deleted = waitDelete(reader, provider);
                QVERIFY2(deleted.isNull(), qPrintable(deleted.code + QLatin1Char(' ') + deleted.detail));
            }
            {
                ApiKeyStore again(std::make_unique<ApiKeyBackendKeychain>(service));
                auto [gone, error] = waitRead(again, provider);
                QVERIFY(gone.isEmpty());
                QCOMPARE(error.code, ApiKeyStore::ErrorNotFound);
                // Deleting what is not there is not an error.
                QVERIFY(waitDelete(again, provider).isNull());
            }
            lines = capture.lines();
        }
        for (const QString &line : std::as_const(lines))
            QVERIFY2(!line.contains(key), qPrintable(QStringLiteral("key in log line: ") + line.left(40)));
        qInfo("real keychain round trip ran against the Secret Service");
    }
};

QTEST_GUILESS_MAIN(TestApiKeyStore)
#include "tst_apikeystore.moc"
