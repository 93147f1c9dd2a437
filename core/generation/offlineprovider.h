#pragma once

#include "core/generation/imageprovider.h"

#include <QFutureWatcher>

#include <atomic>
#include <memory>

namespace CalStudio {

/**
 * The provider that needs no key and no network: a deterministic, clearly
 * labelled non-AI composite of the user's selfie on a month-themed
 * background, filtered per style preset (see OfflineComposer for the steps).
 *
 * The work runs on Qt's global thread pool; finished() is emitted on the
 * thread this object lives in, exactly once per generate(). cancel() is
 * honoured between steps (well under a second). A generate() while a request
 * runs answers with a BadRequest error and leaves the running one alone.
 * Destroying the provider cancels and waits for the worker.
 */
class OfflineProvider : public ImageProvider {
    Q_OBJECT
public:
    static constexpr auto ModelId = "offline-composite-1";

    explicit OfflineProvider(QObject *parent = nullptr);
    ~OfflineProvider() override;

    [[nodiscard]] QString id() const override;
    void generate(const GenerationRequest &request) override;
    void cancel() override;
    [[nodiscard]] bool isRunning() const;

private:
    void onWorkerFinished();

    QFutureWatcher<Outcome> m_watcher;
    std::shared_ptr<std::atomic_bool> m_cancel;
    bool m_running = false;
};

} // namespace CalStudio
