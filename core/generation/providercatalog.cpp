#include "core/generation/providercatalog.h"

#include "core/generation/apikeystore.h"
#include "core/generation/falprovider.h"
#include "core/generation/geminiprovider.h"
#include "core/generation/httppricetable.h"
#include "core/generation/offlineprovider.h"
#include "core/generation/openaiprovider.h"
#include "core/generation/replicateprovider.h"

#include <QJsonObject>

namespace CalStudio {

namespace {

ProviderInfo httpProvider(const QString &id, const char *defaultModel, const char *baseUrl)
{
    ProviderInfo info;
    info.id = id;
    info.displayName = ApiKeyStore::displayName(id);
    info.defaultModel = QString::fromLatin1(defaultModel);
    info.models.append(info.defaultModel);
    // Every other model the price table knows for this provider, so what is offered can be estimated.
    const QString prefix = id + QLatin1Char('/');
    const QJsonObject models = HttpPriceTable::effective().value(QStringLiteral("models")).toObject();
    for (auto it = models.begin(); it != models.end(); ++it) {
        if (it.key().startsWith(prefix)) {
            const QString model = it.key().mid(prefix.size());
            if (!info.models.contains(model))
                info.models.append(model);
        }
    }
    info.defaultBaseUrl = QUrl(QString::fromLatin1(baseUrl));
    info.needsKey = true;
    info.keyVariable = QStringLiteral("CALSTUDIO_%1_KEY").arg(id.toUpper());
    return info;
}

} // namespace

QList<ProviderInfo> ProviderCatalog::all()
{
    ProviderInfo offline;
    offline.id = QStringLiteral("offline");
    offline.displayName = QStringLiteral("Offline draft (not AI)");
    offline.defaultModel = QString::fromLatin1(OfflineProvider::ModelId);
    offline.models = {offline.defaultModel};
    offline.needsKey = false;
    return {
        offline,
        httpProvider(QStringLiteral("gemini"), GeminiProvider::DefaultModel, GeminiProvider::DefaultBaseUrl),
        httpProvider(QStringLiteral("openai"), OpenAIProvider::DefaultModel, OpenAIProvider::DefaultBaseUrl),
        httpProvider(QStringLiteral("replicate"), ReplicateProvider::DefaultModel, ReplicateProvider::DefaultBaseUrl),
        httpProvider(QStringLiteral("fal"), FalProvider::DefaultModel, FalProvider::DefaultBaseUrl),
    };
}

std::optional<ProviderInfo> ProviderCatalog::find(const QString &id)
{
    for (const ProviderInfo &info : all()) {
        if (info.id == id)
            return info;
    }
    return std::nullopt;
}

std::unique_ptr<ImageProvider> ProviderCatalog::create(const QString &id, const HttpProviderConfig &config)
{
    if (id == QLatin1String("offline"))
        return std::make_unique<OfflineProvider>();
    if (id == QLatin1String("gemini"))
        return std::make_unique<GeminiProvider>(config);
    if (id == QLatin1String("openai"))
        return std::make_unique<OpenAIProvider>(config);
    if (id == QLatin1String("replicate"))
        return std::make_unique<ReplicateProvider>(config);
    if (id == QLatin1String("fal"))
        return std::make_unique<FalProvider>(config);
    return nullptr;
}

QSize ProviderCatalog::expectedNativeSize(const QString &provider, const QString &model, QSize wanted)
{
    const auto tier = [](const QString &t) {
        const int edge = t == QLatin1String("4K") ? 4096 : t == QLatin1String("2K") ? 2048 : 1024;
        return QSize(edge, edge);
    };
    if (provider == QLatin1String("gemini"))
        return tier(GeminiProvider::imageSizeFor(model, wanted));
    if (provider == QLatin1String("openai")) {
        const QStringList wh = OpenAIProvider::sizeFor(model, QStringLiteral("1:1"), wanted).split(QLatin1Char('x'));
        const QSize size(wh.value(0).toInt(), wh.value(1).toInt());
        return size.isValid() && !size.isEmpty() ? size : QSize(1024, 1024);
    }
    if (provider == QLatin1String("replicate") || provider == QLatin1String("fal"))
        return tier(ReplicateProvider::resolutionFor(wanted));
    return wanted;
}

} // namespace CalStudio
