#pragma once

#include "core/generation/httpproviderconfig.h"

#include <QSize>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>

namespace CalStudio {

class ImageProvider;

/// What the studio and the CLI need to know about one image service.
struct ProviderInfo {
    QString id; ///< "offline", "gemini", "openai", "replicate", "fal"
    QString displayName; ///< "Offline draft", "Gemini", …
    QString defaultModel;
    QStringList models; ///< the default first, then the others the price table knows
    QUrl defaultBaseUrl; ///< empty for the offline provider
    bool needsKey = true;
    QString keyVariable; ///< environment variable the CLI reads the key from
};

/**
 * The image services Calendar Studio can use, in display order, and the one
 * place that turns a service id plus its connection settings into a
 * provider. The studio and `calstudio-cli generate` both go through here, so
 * they offer the same services and models.
 */
class ProviderCatalog {
public:
    static QList<ProviderInfo> all();
    static std::optional<ProviderInfo> find(const QString &id);

    /// A new provider for `id` (nullptr for an unknown id). `config` is ignored by the offline provider.
    static std::unique_ptr<ImageProvider> create(const QString &id, const HttpProviderConfig &config);

    /// The size `model` will actually deliver when asked for `wanted` (used for price estimates).
    static QSize expectedNativeSize(const QString &provider, const QString &model, QSize wanted);
};

} // namespace CalStudio
