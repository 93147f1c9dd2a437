#pragma once

#include "core/generation/httpanswer.h"
#include "core/generation/httpproviderconfig.h"
#include "core/generation/imageprovider.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
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
 *
 * Two kinds of call:
 *
 * - one request (Gemini, OpenAI): send() POSTs and an Interpreter turns the
 *   answer into the outcome;
 * - a queued job (Replicate, fal.ai): submitJob() POSTs, pollLater() GETs a
 *   status URL every pollInterval() until the subclass's handler sees the job
 *   done, fetchJson() GETs a result document, downloadImage() GETs the output
 *   and delivers it. The API key goes only to the API's own origin
 *   (sameOriginAsApi()), never to a file host. Polls survive up to
 *   MaxStepFailures failures in a row (transport, 5xx, 408, 429), result
 *   fetches as many transport failures; after that, or when the download
 *   fails, the call is ResponseLost (the job ran and is billed). The deadline covers the whole job; when it passes, or
 *   on cancel(), cancelRemote() is asked to stop the job while it is still
 *   queued or running. The subclass supplies only what is specific to its
 *   API: the submit request, the JSON handlers, authorization(),
 *   errorFromAnswer() and cancelRemote().
 */
class HttpImageProvider : public ImageProvider {
    Q_OBJECT
public:
    /// Turns a complete HTTP answer into the outcome. Runs on a worker thread: it may only use its arguments.
    using Interpreter = std::function<Outcome(HttpAnswer &&)>;
    /// Handles a queued job's 2xx JSON answer on the provider's thread: it continues the call (pollLater(),
    /// fetchJson(), downloadImage()) or ends it (finishNow()).
    using JsonHandler = std::function<void(const QJsonObject &)>;

    /// Polls and result fetches of a queued job may fail this many times in a row before the call is ResponseLost.
    static constexpr int MaxStepFailures = 3;

    explicit HttpImageProvider(HttpProviderConfig config, QObject *parent = nullptr);
    ~HttpImageProvider() override;

    /// Shares a manager (connection reuse); by default each provider has its own.
    void setNetworkAccessManager(QNetworkAccessManager *manager);
    [[nodiscard]] const HttpProviderConfig &config() const { return m_config; }
    void setConfig(const HttpProviderConfig &config) { m_config = config; }
    /// Whether a call is running (generate() was called and finished() not yet emitted).
    [[nodiscard]] bool isBusy() const { return m_busy; }
    /// Pause between status polls of queued jobs (Replicate, fal.ai); default 1 s. Unused by one-request APIs.
    void setPollInterval(std::chrono::milliseconds interval) { m_pollInterval = interval; }
    [[nodiscard]] std::chrono::milliseconds pollInterval() const { return m_pollInterval; }

    void cancel() override;

    /// Parses a Retry-After value: delta seconds (fractions allowed) or an HTTP date.
    static std::chrono::milliseconds parseRetryAfter(const QByteArray &value);
    /// Parses durations such as "55s", "1.5s", "250ms", "1m30s", "6m0s" (Google RetryInfo, OpenAI reset headers).
    static std::chrono::milliseconds parseDuration(const QString &text);
    /// "1K", "2K" or "4K": the smallest tier whose edge covers the wanted size's long edge (4K when invalid).
    static QString resolutionTier(QSize wanted);

protected:
    /// Claims the provider for a new call; if it is busy, answers with an error and returns false.
    bool beginCall();
    /// Answers from the event loop, so that callers always get finished() after generate() returned.
    void finishSoon(GenerationError error);
    /// Ends the running call now with `outcome` (a queued job's handler found the result or an error).
    void finishNow(const Outcome &outcome);
    /// `config` with `defaultBaseUrl` filled in when its base URL is empty (for subclass constructors).
    static HttpProviderConfig withDefaultBaseUrl(HttpProviderConfig config, const char *defaultBaseUrl);
    /// `path` appended to the configured base URL, keeping any path prefix of the base.
    [[nodiscard]] QUrl endpoint(const QString &path) const;

    /**
     * POSTs `body` as a one-shot upload (see HttpOneShotBody): a dropped
     * connection never makes QNetworkAccessManager re-send a billed request.
     */
    void send(QNetworkRequest request, QByteArray body, Interpreter interpret);

    /// @name Queued jobs (Replicate, fal.ai)
    /// @{
    /**
     * Submits a job: POSTs `body` one-shot like send() and starts the call's
     * deadline. A 2xx JSON object goes to `onAnswer`; a 2xx that is not a JSON
     * object is ResponseLost ("bad_json": the job may exist and be billed); any
     * other status goes through errorFromAnswer(); transport failures map as
     * for send().
     */
    void submitJob(QNetworkRequest request, QByteArray body, JsonHandler onAnswer);
    /**
     * After pollInterval(), GETs `statusUrl` (an API URL: it carries
     * authorization()) and hands a 2xx JSON object to `onStatus`. Transport
     * failures and Transient/RateLimited answers are polled again (after the
     * longer of pollInterval() and the answer's retry hint) up to
     * MaxStepFailures times in a row, then the call is ResponseLost; other
     * errors end the call; a 2xx that is not JSON is Transient ("bad_json").
     */
    void pollLater(const QUrl &statusUrl, JsonHandler onStatus);
    /// GETs `url` now and hands a 2xx JSON object to `onResult`; transport failures are retried at once (as for
    /// pollLater(), sharing its failure count), error statuses end the call.
    void fetchJson(const QUrl &url, JsonHandler onResult);
    /**
     * GETs the output image at `url` and ends the call with it (imageOutcome(),
     * so the real format and size are read from the bytes, and an unreadable
     * image is an error). authorization() is sent only when `url` has the API's
     * origin: output files usually live on another host, which must never see
     * the key. A failed download is ResponseLost ("download_failed" or
     * "download_http_N"; `failureHint` is appended to the message).
     */
    void downloadImage(const QUrl &url, const QString &model, const QString &failureHint = {});
    /// Whether `url` has the configured API's scheme, host and port (where the key may go).
    [[nodiscard]] bool sameOriginAsApi(const QUrl &url) const;
    /// `returned` when it is a URL on the API's origin, else `fallbackPath` under the base URL (so the key never
    /// follows a URL an answer pointed elsewhere).
    [[nodiscard]] QUrl apiUrl(const QString &returned, const QString &fallbackPath) const;

    /// The Authorization header value for API requests (e.g. "Bearer <token>"); empty = none. Used by the
    /// queued-job GETs; subclasses use it for their submit and cancel requests too.
    [[nodiscard]] virtual QByteArray authorization() const { return {}; }
    /// The error for a non-2xx answer of the API (queued jobs). The default maps 5xx/408 to Transient,
    /// 429 to RateLimited (Retry-After) and anything else to BadRequest.
    [[nodiscard]] virtual GenerationError errorFromAnswer(const HttpAnswer &answer) const;
    /// Best-effort request to stop the submitted job (deadline passed, or cancel()); nobody waits for its
    /// answer. Called only before the result is fetched. The default does nothing.
    virtual void cancelRemote() { }
    /// The API's name in messages for the user ("Replicate"); id() by default.
    [[nodiscard]] virtual QString displayName() const { return id(); }
    /// The manager the calls go through (created on first use), for a subclass's own requests (cancelRemote()).
    QNetworkAccessManager *networkAccessManager();
    /// @}

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
    /// The references as `data:image/jpeg;base64,…` URIs (the queue APIs take inputs by URL).
    static QJsonArray referenceDataUris(const GenerationRequest &request);
    /// Whether a provider's error text or code reads like a safety/content-policy refusal (NSFW, moderation, …).
    static bool isSafetyText(const QString &text);

private:
    /// What the running call is doing; the queued-job steps decide retries and which failure is which.
    enum class Step { Request, Submit, Poll, Fetch, Download };

    void post(QNetworkRequest request, QByteArray body);
    void get(const QUrl &url);
    void issue(QNetworkReply *reply);
    void onReplyFinished();
    void onStepFinished(QNetworkReply *reply);
    void onDeadline();
    void repeatStep();
    void dropReply();
    [[nodiscard]] GenerationError transportError(QNetworkReply *reply) const;

    HttpProviderConfig m_config;
    QNetworkAccessManager *m_manager = nullptr;
    QPointer<QNetworkReply> m_reply;
    Interpreter m_interpret;
    JsonHandler m_onJson; ///< handler of the current queued-job step
    QUrl m_stepUrl; ///< URL of the current poll/fetch, for repeats
    QString m_downloadModel;
    QString m_downloadHint;
    QTimer m_deadline;
    QTimer m_pollTimer;
    QElapsedTimer m_elapsed;
    std::chrono::milliseconds m_pollInterval{1000};
    Step m_step = Step::Request;
    quint64 m_call = 0; ///< bumped per answer, so late results of an abandoned call are dropped
    int m_stepFailures = 0;
    bool m_busy = false;
    bool m_cancelled = false;
    bool m_timedOut = false;
    bool m_requestSent = false;
};

} // namespace CalStudio
