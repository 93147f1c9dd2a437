#pragma once

#include "core/generation/apikeystore.h"

#include <QHash>

namespace CalStudio {

/**
 * An in-process ApiKeyStore backend for tests and previews: secrets live in
 * a hash. setFailure() makes every following call answer with that status
 * (Unavailable simulates a system without a keychain) until cleared with
 * Status::Ok.
 */
class ApiKeyBackendMemory : public ApiKeyStore::Backend {
public:
    void read(const QString &name, Callback done) override;
    void write(const QString &name, const QString &secret, Callback done) override;
    void remove(const QString &name, Callback done) override;

    void setFailure(Status status, const QString &detail = {});
    /// Direct access for tests.
    [[nodiscard]] QHash<QString, QString> secrets() const { return m_secrets; }
    [[nodiscard]] int callCount() const { return m_calls; }

private:
    bool failed(const Callback &done);

    QHash<QString, QString> m_secrets;
    Status m_failure = Status::Ok;
    QString m_failureDetail;
    int m_calls = 0;
};

} // namespace CalStudio
