#include "core/generation/httppricetable.h"

#include "core/generation/generationlogging.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace CalStudio {

const QJsonObject &HttpPriceTable::builtIn()
{
    static const QJsonObject table = [] {
        QFile file(QStringLiteral(":/calstudio/prices.json"));
        if (!file.open(QIODevice::ReadOnly)) {
            qCWarning(lcGeneration) << "price table :/calstudio/prices.json missing; costs will show as unknown";
            return QJsonObject();
        }
        return QJsonDocument::fromJson(file.readAll()).object();
    }();
    return table;
}

double HttpPriceTable::estimateUsd(const QString &provider, const QString &model, QSize nativeSize)
{
    return estimateUsd(builtIn(), provider, model, nativeSize);
}

double HttpPriceTable::estimateUsd(const QJsonObject &table, const QString &provider, const QString &model, QSize nativeSize)
{
    static const QRegularExpression snapshot(QStringLiteral("-(preview|\\d{4}-\\d{2}-\\d{2})$"));
    QString id = model;
    id.remove(snapshot);
    const QJsonArray tiers = table.value(QLatin1String("models")).toObject().value(provider + QLatin1Char('/') + id).toArray();
    const int edge = qMax(nativeSize.width(), nativeSize.height());
    for (const QJsonValue &value : tiers) {
        const QJsonObject tier = value.toObject();
        if (!tier.contains(QLatin1String("maxEdge")) || edge <= tier.value(QLatin1String("maxEdge")).toInt())
            return tier.value(QLatin1String("usd")).toDouble();
    }
    return 0;
}

} // namespace CalStudio
