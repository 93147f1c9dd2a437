#include "core/generation/apikeystore.h"

#include "core/generation/apikeybackendkeychain.h"
#include "core/generation/generationlogging.h"

#include <QMetaObject>
#include <QPointer>

namespace CalStudio {

// Logging rule of this file: provider ids, status and QtKeychain's error
// text only — never a key, never a value derived from one.

ApiKeyStore::ApiKeyStore(QObject *parent)
    : ApiKeyStore(std::make_unique<ApiKeyBackendKeychain>(), parent)
{
}

ApiKeyStore::ApiKeyStore(std::unique_ptr<Backend> backend, QObject *parent)
    : QObject(parent)
    , m_backend(std::move(backend))
{
    Q_ASSERT(m_backend);
}

ApiKeyStore::~ApiKeyStore() = default;

QStringList ApiKeyStore::providers()
{
    return { QStringLiteral("gemini"), QStringLiteral("openai"), QStringLiteral("replicate"), QStringLiteral("fal") };
}

QString ApiKeyStore::displayName(const QString &provider)
{
    if (provider == QLatin1String("gemini"))
        return QStringLiteral("Gemini");
    if (provider == QLatin1String("openai"))
        return QStringLiteral("OpenAI");
    if (provider == QLatin1String("replicate"))
        return QStringLiteral("Replicate");
    if (provider == QLatin1String("fal"))
        return QStringLiteral("fal.ai");
    return provider;
}

QString ApiKeyStore::keyName(const QString &provider)
{
    return QStringLiteral("api-key/") + provider;
}

ApiKeyStore::Backend::Callback ApiKeyStore::answerLater(Operation operation, const QString &provider)
{
    // Always answer from the event loop, never from inside the call, and not
    // at all once the store is gone.
    QPointer<ApiKeyStore> self(this);
    return [self, operation, provider](Backend::Result result) {
        if (!self)
            return;
        QMetaObject::invokeMethod(
            self.data(),
            [self, operation, provider, result = std::move(result)] {
                if (self)
                    self->finish(operation, provider, result);
            },
            Qt::QueuedConnection);
    };
}

void ApiKeyStore::readKey(const QString &provider)
{
    const auto session = m_sessionKeys.constFind(provider);
    if (session != m_sessionKeys.constEnd()) {
        // Answered from memory: says nothing about the keychain, so not through finish().
        QPointer<ApiKeyStore> self(this);
        QMetaObject::invokeMethod(
            this,
            [self, provider, key = *session] {
                if (self)
                    Q_EMIT self->keyRead(provider, key, Error());
            },
            Qt::QueuedConnection);
        return;
    }
    m_backend->read(keyName(provider), answerLater(Operation::Read, provider));
}

void ApiKeyStore::writeKey(const QString &provider, const QString &key)
{
    m_backend->write(keyName(provider), key, answerLater(Operation::Write, provider));
}

void ApiKeyStore::deleteKey(const QString &provider)
{
    m_backend->remove(keyName(provider), answerLater(Operation::Delete, provider));
}

void ApiKeyStore::setSessionKey(const QString &provider, const QString &key)
{
    qCInfo(lcGeneration) << "API key for" << provider << "kept in memory for this session only";
    m_sessionKeys.insert(provider, key);
}

void ApiKeyStore::clearSessionKey(const QString &provider)
{
    m_sessionKeys.remove(provider);
}

bool ApiKeyStore::hasSessionKey(const QString &provider) const
{
    return m_sessionKeys.contains(provider);
}

void ApiKeyStore::finish(Operation operation, const QString &provider, const Backend::Result &result)
{
    const QString name = displayName(provider);
    Error error;
    switch (result.status) {
    case Backend::Status::Ok:
        break;
    case Backend::Status::NotFound:
        error = Error(ErrorNotFound, tr("No %1 key is saved yet.").arg(name), result.detail);
        break;
    case Backend::Status::Unavailable:
        error = Error(ErrorUnavailable,
            tr("Your system keychain could not be reached, so your %1 key cannot be saved. "
               "You can still use it for this session only.")
                .arg(name),
            result.detail);
        break;
    case Backend::Status::Failed:
        error = Error(ErrorFailed,
            tr("Your system keychain could not be reached or refused the request. "
               "Check that it is unlocked and try again."),
            result.detail);
        break;
    }

    if (result.status == Backend::Status::Unavailable) {
        if (m_keychainAvailable) {
            m_keychainAvailable = false;
            qCWarning(lcGeneration) << "No system keychain available; API keys can only be kept for this session:"
                                    << result.detail;
            Q_EMIT keychainAvailableChanged(false);
        }
    } else if (result.status != Backend::Status::Failed && !m_keychainAvailable) {
        m_keychainAvailable = true;
        qCInfo(lcGeneration) << "System keychain reachable again";
        Q_EMIT keychainAvailableChanged(true);
    }

    // A failing keychain is worth a warning; a missing one was reported once above.
    const auto logFailure = [&](const QString &what) {
        if (error.code == ErrorFailed)
            qCWarning(lcGeneration).noquote()
                << what << "the API key for" << provider << "failed:" << error.code << result.detail;
        else
            qCInfo(lcGeneration).noquote()
                << what << "the API key for" << provider << "failed:" << error.code << result.detail;
    };

    switch (operation) {
    case Operation::Read:
        if (!error.isNull() && error.code != ErrorNotFound)
            logFailure(QStringLiteral("reading"));
        Q_EMIT keyRead(provider, error.isNull() ? result.secret : QString(), error);
        break;
    case Operation::Write:
        if (error.isNull()) {
            // A saved key replaces one kept for the session.
            m_sessionKeys.remove(provider);
            qCInfo(lcGeneration) << "API key for" << provider << "saved in the system keychain";
        } else {
            logFailure(QStringLiteral("saving"));
        }
        Q_EMIT keyWritten(provider, error);
        break;
    case Operation::Delete:
        // Removing always forgets the session key; without a keychain there is nothing else to remove.
        if (m_sessionKeys.remove(provider) > 0 && error.code == ErrorUnavailable)
            error = Error();
        if (error.isNull())
            qCInfo(lcGeneration) << "API key for" << provider << "removed";
        else
            logFailure(QStringLiteral("removing"));
        Q_EMIT keyDeleted(provider, error);
        break;
    }
}

} // namespace CalStudio
