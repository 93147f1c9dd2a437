#include "core/imaging/vipsinit.h"

#include "core/imaging/imaginglogging.h"

#include <QThread>

#include <vips/vips8>

#include <algorithm>
#include <cstdlib>
#include <mutex>

namespace CalStudio {

namespace {

// libvips reports recoverable trouble ("error in tile", "not enough data")
// through GLib warnings on stderr. Each such case also ends as an Error value
// for the caller, so the text belongs in the imaging log, not on the terminal.
void routeVipsWarnings(const gchar *, GLogLevelFlags, const gchar *message, gpointer)
{
    qCDebug(lcImaging) << "libvips:" << message;
}

} // namespace

bool VipsInit::ensure()
{
    static std::once_flag once;
    static bool ready = false;
    std::call_once(once, [] {
        // vips_init() is itself guarded, but calling it exactly once keeps the
        // cache and concurrency settings below from racing with other threads.
        if (vips_init("calstudio") != 0) {
            qCWarning(lcImaging) << "libvips failed to start:" << vips_error_buffer();
            vips_error_clear();
            return;
        }
        // Imports decode several files at once on worker threads, and every
        // decode runs its own libvips thread pool; a small pool per call keeps
        // the total near the core count. VIPS_CONCURRENCY still wins.
        if (!std::getenv("VIPS_CONCURRENCY"))
            vips_concurrency_set(std::clamp(QThread::idealThreadCount() / 2, 1, 4));
        // The operation cache would keep decoded photos alive after a call
        // returns; it buys nothing for one-shot decodes, so keep it small.
        vips_cache_set_max_mem(64 * 1024 * 1024);
        vips_cache_set_max(50);
        vips_cache_set_max_files(8);
        g_log_set_handler("VIPS", GLogLevelFlags(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO),
                          routeVipsWarnings, nullptr);
        ready = true;
        qCDebug(lcImaging) << "libvips" << vips_version_string() << "concurrency" << vips_concurrency_get();
    });
    return ready;
}

QString VipsInit::takeError(const vips::VError *error)
{
    QString text = error ? QString::fromUtf8(error->what()) : QString::fromUtf8(vips_error_buffer());
    vips_error_clear();
    return text.trimmed();
}

} // namespace CalStudio
