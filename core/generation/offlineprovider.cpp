#include "core/generation/offlineprovider.h"

#include "core/generation/generationlogging.h"
#include "core/generation/offlinecomposer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace CalStudio {

OfflineProvider::OfflineProvider(QObject *parent)
    : ImageProvider(parent)
{
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, &OfflineProvider::onWorkerFinished);
}

OfflineProvider::~OfflineProvider()
{
    if (m_running) {
        m_cancel->store(true);
        m_watcher.waitForFinished();
    }
}

QString OfflineProvider::id() const
{
    return QStringLiteral("offline");
}

bool OfflineProvider::isRunning() const
{
    return m_running;
}

void OfflineProvider::generate(const GenerationRequest &request)
{
    if (m_running) {
        const GenerationError busy { GenerationError::Kind::BadRequest,
            QCoreApplication::translate("CalStudio::OfflineProvider", "The offline provider is already busy."),
            QStringLiteral("busy"), {}, 0 };
        // Queued so the caller always gets its answer after generate() returns, like a real request.
        QMetaObject::invokeMethod(
            this, [this, busy] { Q_EMIT finished(busy); }, Qt::QueuedConnection);
        return;
    }
    m_running = true;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    qCInfo(lcGeneration) << "offline: month" << request.month << "style" << request.style << "size" << request.size;
    m_watcher.setFuture(QtConcurrent::run([request, flag = m_cancel]() -> Outcome {
        QElapsedTimer timer;
        timer.start();
        Outcome outcome = OfflineComposer::compose(request, flag.get());
        qCDebug(lcGeneration) << "offline: composed in" << timer.elapsed() << "ms";
        return outcome;
    }));
}

void OfflineProvider::cancel()
{
    if (m_running)
        m_cancel->store(true);
}

void OfflineProvider::onWorkerFinished()
{
    m_running = false;
    Outcome outcome = m_watcher.result();
    // A cancel that came after the last check still wins: the caller asked to drop it.
    if (m_cancel->load() && std::holds_alternative<GeneratedImage>(outcome)) {
        outcome = GenerationError { GenerationError::Kind::Cancelled,
            QCoreApplication::translate("CalStudio::OfflineProvider", "Generation was cancelled."), {}, {}, 0 };
    }
    Q_EMIT finished(outcome);
}

} // namespace CalStudio
