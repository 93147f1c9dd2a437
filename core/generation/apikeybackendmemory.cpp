#include "core/generation/apikeybackendmemory.h"

namespace CalStudio {

bool ApiKeyBackendMemory::failed(const Callback &done)
{
    ++m_calls;
    if (m_failure == Status::Ok)
        return false;
    done(Result { m_failure, {}, m_failureDetail });
    return true;
}

void ApiKeyBackendMemory::read(const QString &name, Callback done)
{
    if (failed(done))
        return;
    const auto it = m_secrets.constFind(name);
    if (it == m_secrets.constEnd())
        done(Result { Status::NotFound, {}, QStringLiteral("Entry not found") });
    else
        done(Result { Status::Ok, *it, {} });
}

void ApiKeyBackendMemory::write(const QString &name, const QString &secret, Callback done)
{
    if (failed(done))
        return;
    m_secrets.insert(name, secret);
    done(Result {});
}

void ApiKeyBackendMemory::remove(const QString &name, Callback done)
{
    if (failed(done))
        return;
    m_secrets.remove(name);
    done(Result {});
}

void ApiKeyBackendMemory::setFailure(Status status, const QString &detail)
{
    m_failure = status;
    m_failureDetail = detail;
}

} // namespace CalStudio
