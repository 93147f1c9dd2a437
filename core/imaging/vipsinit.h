#pragma once

#include <QString>

namespace vips {
class VError;
}

namespace CalStudio {

/**
 * Starts libvips once per process, from any thread.
 *
 * Every function in calstudio_imaging that uses libvips calls
 * `VipsInit::ensure()` first; the first call initialises the library,
 * bounds its operation cache and picks a thread count, later calls are
 * a cheap check. No libvips type appears here, so the header is safe to
 * include anywhere.
 */
class VipsInit {
public:
    /// True when libvips is ready; false (and logged once) if it could not start.
    static bool ensure();
    /**
     * libvips' (process-wide) error text — of `error` when given, else its
     * error buffer — cleared afterwards so the next failure starts clean.
     * For Error::detail, never for users.
     */
    static QString takeError(const vips::VError *error = nullptr);
};

} // namespace CalStudio
