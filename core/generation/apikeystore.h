#pragma once

#include "core/common/error.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace CalStudio {

/**
 * The user's own API keys for the image services, kept in the OS keychain
 * (QtKeychain → Secret Service / Keychain / Credential Manager) under the
 * service "Calendar Studio" and names like "api-key/gemini". Keys never go
 * into the project, QSettings or logs.
 *
 * readKey(), writeKey() and deleteKey() are asynchronous and answer exactly
 * once, always later from the event loop, with keyRead(), keyWritten() or
 * keyDeleted(). A failure carries an Error (codes: ErrorNotFound,
 * ErrorUnavailable, ErrorFailed) whose user message is plain language.
 *
 * When the system has no reachable keychain (headless Linux without a Secret
 * Service, TOOLCHAIN.md 8) the backend reports ErrorUnavailable and
 * keychainAvailable() turns false. The UI may then keep a key in memory for
 * this session only with setSessionKey(); such a key is never saved and is
 * what readKey() answers for that provider while it is set.
 */
class ApiKeyStore : public QObject {
    Q_OBJECT
public:
    static inline const QString DefaultServiceName = QStringLiteral("Calendar Studio");
    static inline const QString ErrorNotFound = QStringLiteral("keychain.not-found");
    static inline const QString ErrorUnavailable = QStringLiteral("keychain.unavailable");
    static inline const QString ErrorFailed = QStringLiteral("keychain.failed");

    /**
     * Where the secrets really live. Implementations answer each call exactly
     * once through `done`, which they may call synchronously or later (the
     * store always re-posts the answer to the event loop). They never log
     * secrets.
     */
    class Backend {
    public:
        enum class Status { Ok, NotFound, Unavailable, Failed };
        struct Result {
            Status status = Status::Ok;
            QString secret; ///< for reads
            QString detail; ///< technical text for Error::detail; never a secret
        };
        using Callback = std::function<void(Result)>;

        virtual ~Backend() = default;
        virtual void read(const QString &name, Callback done) = 0;
        virtual void write(const QString &name, const QString &secret, Callback done) = 0;
        virtual void remove(const QString &name, Callback done) = 0;
    };

    /// A store on the OS keychain (ApiKeyBackendKeychain with DefaultServiceName).
    explicit ApiKeyStore(QObject *parent = nullptr);
    /// A store on `backend` (tests use ApiKeyBackendMemory).
    explicit ApiKeyStore(std::unique_ptr<Backend> backend, QObject *parent = nullptr);
    ~ApiKeyStore() override;

    /// Provider ids in display order: gemini, openai, replicate, fal.
    static QStringList providers();
    /// "Gemini", "OpenAI", "Replicate", "fal.ai"; the id itself for unknown ones.
    static QString displayName(const QString &provider);
    /// The keychain entry name, "api-key/<provider>".
    static QString keyName(const QString &provider);

    void readKey(const QString &provider);
    void writeKey(const QString &provider, const QString &key);
    /// Removes the key from the keychain and forgets a session key.
    void deleteKey(const QString &provider);

    /// False once the backend reported that no keychain can be reached.
    [[nodiscard]] bool keychainAvailable() const { return m_keychainAvailable; }

    /// Keeps `key` in memory for this session only (never saved anywhere).
    void setSessionKey(const QString &provider, const QString &key);
    void clearSessionKey(const QString &provider);
    [[nodiscard]] bool hasSessionKey(const QString &provider) const;

Q_SIGNALS:
    /// `key` is empty when `error` is set (ErrorNotFound when no key is stored).
    void keyRead(const QString &provider, const QString &key, const CalStudio::Error &error);
    void keyWritten(const QString &provider, const CalStudio::Error &error);
    void keyDeleted(const QString &provider, const CalStudio::Error &error);
    void keychainAvailableChanged(bool available);

private:
    enum class Operation { Read, Write, Delete };
    void finish(Operation operation, const QString &provider, const Backend::Result &result);
    Backend::Callback answerLater(Operation operation, const QString &provider);

    std::unique_ptr<Backend> m_backend;
    QHash<QString, QString> m_sessionKeys;
    bool m_keychainAvailable = true;
};

} // namespace CalStudio
