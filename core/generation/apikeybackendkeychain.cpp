#include "core/generation/apikeybackendkeychain.h"

#include <qt6keychain/keychain.h>

namespace CalStudio {

ApiKeyBackendKeychain::ApiKeyBackendKeychain(QString serviceName)
    : m_serviceName(std::move(serviceName))
{
}

ApiKeyStore::Backend::Status ApiKeyBackendKeychain::classify(int keychainError, const QString &errorString)
{
    switch (static_cast<QKeychain::Error>(keychainError)) {
    case QKeychain::NoError:
        return Status::Ok;
    case QKeychain::EntryNotFound:
        return Status::NotFound;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return Status::Unavailable;
    case QKeychain::OtherError: {
        // The texts QtKeychain 0.13.2 gives when no Secret Service can be used (TOOLCHAIN.md 8).
        static const char *const unavailable[] = {
            "Cannot autolaunch D-Bus",
            "No such interface",
            "Unknown error",
            "D-Bus is not running",
            "org.freedesktop.DBus.Error.ServiceUnknown",
            "org.freedesktop.DBus.Error.NoServer",
            "org.freedesktop.DBus.Error.NotSupported",
            "was not provided by any .service files",
            "Object does not exist at path",
            "cannot open display",
        };
        for (const char *text : unavailable) {
            if (errorString.contains(QLatin1String(text), Qt::CaseInsensitive))
                return Status::Unavailable;
        }
        return Status::Failed;
    }
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        break;
    }
    return Status::Failed;
}

namespace {

void connectJob(QKeychain::Job *job, ApiKeyStore::Backend::Callback done, bool isDelete)
{
    QObject::connect(job, &QKeychain::Job::finished, job, [done = std::move(done), isDelete](QKeychain::Job *finished) {
        ApiKeyStore::Backend::Result result;
        result.status = ApiKeyBackendKeychain::classify(finished->error(), finished->errorString());
        if (result.status != ApiKeyStore::Backend::Status::Ok)
            result.detail
                = QStringLiteral("QtKeychain error %1: %2").arg(int(finished->error())).arg(finished->errorString());
        if (isDelete && result.status == ApiKeyStore::Backend::Status::NotFound)
            result = {};
        if (result.status == ApiKeyStore::Backend::Status::Ok) {
            if (auto *readJob = qobject_cast<QKeychain::ReadPasswordJob *>(finished))
                result.secret = readJob->textData();
        }
        done(std::move(result));
    });
}

} // namespace

void ApiKeyBackendKeychain::read(const QString &name, Callback done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_serviceName);
    job->setAutoDelete(true);
    job->setKey(name);
    connectJob(job, std::move(done), false);
    job->start();
}

void ApiKeyBackendKeychain::write(const QString &name, const QString &secret, Callback done)
{
    auto *job = new QKeychain::WritePasswordJob(m_serviceName);
    job->setAutoDelete(true);
    job->setKey(name);
    job->setTextData(secret);
    connectJob(job, std::move(done), false);
    job->start();
}

void ApiKeyBackendKeychain::remove(const QString &name, Callback done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_serviceName);
    job->setAutoDelete(true);
    job->setKey(name);
    connectJob(job, std::move(done), true);
    job->start();
}

} // namespace CalStudio
