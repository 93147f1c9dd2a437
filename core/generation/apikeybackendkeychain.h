#pragma once

#include "core/generation/apikeystore.h"

namespace CalStudio {

/**
 * ApiKeyStore backend on the OS keychain through QtKeychain (0.13: libsecret
 * → Secret Service on Linux). Errors that mean "there is no keychain here"
 * (TOOLCHAIN.md 8: NoBackendAvailable, NotImplemented, or OtherError with
 * "Cannot autolaunch D-Bus", "No such interface", "Unknown error", a missing
 * D-Bus service or a locked/missing login collection) map to
 * Status::Unavailable; "Entry not found" to Status::NotFound; anything else
 * to Status::Failed. Deleting a missing entry counts as success.
 */
class ApiKeyBackendKeychain : public ApiKeyStore::Backend {
public:
    explicit ApiKeyBackendKeychain(QString serviceName = ApiKeyStore::DefaultServiceName);

    void read(const QString &name, Callback done) override;
    void write(const QString &name, const QString &secret, Callback done) override;
    void remove(const QString &name, Callback done) override;

    /// Classifies a QtKeychain error (its enum value and errorString()).
    static Status classify(int keychainError, const QString &errorString);

private:
    QString m_serviceName;
};

} // namespace CalStudio
