#pragma once

#include <QString>
#include <QUrl>

#include <chrono>

namespace CalStudio {

/**
 * Connection settings of one HTTP image provider. `baseUrl` points at the
 * vendor, a proxy/gateway, or calstudio-sandbox (a path prefix is kept, so
 * "https://gateway.example/google" works). `apiKey` comes from the caller
 * (the keychain) and is only ever put into the auth header: never logged,
 * never stored by the provider anywhere else. `timeout` bounds a whole call;
 * 4K answers take up to about two minutes, hence 300 s by default
 * (EXTERNAL_APIS.md 3.a/3.d).
 */
struct HttpProviderConfig {
    QUrl baseUrl;
    QString apiKey;
    std::chrono::milliseconds timeout{std::chrono::seconds(300)};
};

} // namespace CalStudio
