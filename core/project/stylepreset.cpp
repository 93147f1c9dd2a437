#include "core/project/stylepreset.h"

#include "core/project/projectlogging.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace CalStudio {

namespace {

const QString StylesResource = QStringLiteral(":/calstudio/styles.json");

QList<StylePreset> loadPresets()
{
    QList<StylePreset> presets;
    QFile file(StylesResource);
    if (!file.open(QIODevice::ReadOnly)) {
        // The file is compiled into calstudio_project; missing means a broken build.
        qCCritical(lcProject) << "Style presets not found at" << StylesResource;
        return presets;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject()) {
        qCCritical(lcProject) << "Style presets are not valid JSON:" << parseError.errorString();
        return presets;
    }
    const QJsonArray styles = doc.object().value(QLatin1String("styles")).toArray();
    for (const QJsonValue &value : styles) {
        const QJsonObject o = value.toObject();
        StylePreset preset {
            o.value(QLatin1String("id")).toString(),
            o.value(QLatin1String("name")).toString(),
            o.value(QLatin1String("description")).toString(),
            o.value(QLatin1String("promptSuffix")).toString(),
        };
        if (preset.id.isEmpty() || preset.name.isEmpty() || preset.promptSuffix.isEmpty()) {
            qCCritical(lcProject) << "Skipping an incomplete style preset:" << preset.id;
            continue;
        }
        presets.append(preset);
    }
    return presets;
}

} // namespace

const QList<StylePreset> &StylePreset::all()
{
    static const QList<StylePreset> presets = loadPresets();
    return presets;
}

std::optional<StylePreset> StylePreset::find(const QString &id)
{
    for (const StylePreset &preset : all()) {
        if (preset.id == id)
            return preset;
    }
    return std::nullopt;
}

} // namespace CalStudio
