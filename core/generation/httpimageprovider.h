#pragma once

#include "core/generation/httpanswer.h"
#include "core/generation/httpproviderconfig.h"
#include "core/generation/imageprovider.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace CalStudio {

/**
 * What the HTTP image providers share: one call at a time over a
 * QNetworkAccessManager, a deadline for the whole call, cancellation by
 * QNetworkReply::abort(), and the network-level failure mapping:
 *
 * - cancel() → Cancelled;
 * - deadline passed → Transient;
 * - connection failed before the request was sent (refused, DNS, TLS) → Transient;
 * - connection lost after the request was sent → ResponseLost (it may have run and been billed);
 * - any complete HTTP answer → the subclass's interpreter, run on a worker thread
 *   so that parsing a 25 MB answer never blocks the UI thread.
 */
class HttpImageProvider : public ImageProvider {
    Q_OBJECT
public:
    /// Turns a complete HTTP answer into the outcome. Runs on a worker thread: it may only use its arguments.
    using Interpreter = std::function<Outcome(HttpAnswer &&)>;

    explicit HttpImageProvider(HttpProviderConfig config, QObject *parent = nullptr);
    ~HttpImageProvider() override;

    /// Shares a manager (connection reuse); by default each provider has its own.
    void setNetworkAccessManager(QNetworkAccessManager *manager);
    [[nodiscard]] const HttpProviderConfig &config() const { return m_config; }
    void setConfig(const HttpProviderConfig &config) { m_config = config; }
    /// Whether a call is running (generate() was called and finished() not yet emitted).
    [[nodiscard]] bool isBusy() const { return m_busy; }

    void cancel() override;

    /// Parses a Retry-After value: delta seconds (fractions allowed) or an HTTP date.
    static std::chrono::milliseconds parseRetryAfter(const QByteArray &value);
    /// Parses durations such as "55s", "1.5s", "250ms", "1m30s", "6m0s" (Google RetryInfo, OpenAI reset headers).
    static std::chrono::milliseconds parseDuration(const QString &text);

protected:
    /// Claims the provider for a new call; if it is busy, answers with an error and returns false.
    bool beginCall();
    /// Answers from the event loop, so that callers always get finished() after generate() returned.
    void finishSoon(GenerationError error);
    /// `path` appended to the configured base URL, keeping any path prefix of the base.
    [[nodiscard]] QUrl endpoint(const QString &path) const;

    /**
     * POSTs `body` as a one-shot upload (see HttpOneShotBody): a dropped
     * connection never makes QNetworkAccessManager re-send a billed request.
     */
    void send(QNetworkRequest request, QByteArray body, Interpreter interpret);

    static GenerationError makeError(GenerationError::Kind kind, QString message, QString providerReason = {},
                                     int httpStatus = 0);
    /**
     * Fills a GeneratedImage from decoded bytes: the real format and pixel size
     * are read from the image header (the declared MIME type is not trusted),
     * and the cost comes from the price table. An unreadable image is an error.
     */
    static Outcome imageOutcome(QByteArray bytes, const QString &provider, const QString &model, QString note);
    /// Decodes standard base64 in place (no second full-size copy); nullopt when it is not valid base64.
    static std::optional<QByteArray> decodeBase64(QByteArray &&base64);

private:
    void start(QNetworkReply *reply, Interpreter interpret);
    void onReplyFinished();
    void deliver(const Outcome &outcome);

    HttpProviderConfig m_config;
    QNetworkAccessManager *m_manager = nullptr;
    QPointer<QNetworkReply> m_reply;
    Interpreter m_interpret;
    QTimer m_deadline;
    QElapsedTimer m_elapsed;
    quint64 m_call = 0; ///< bumped per answer, so late results of an abandoned call are dropped
    bool m_busy = false;
    bool m_cancelled = false;
    bool m_timedOut = false;
    bool m_requestSent = false;
};

} // namespace CalStudio
