#include "core/imaging/selfieanalysis.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <algorithm>

namespace CalStudio {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("SelfieAnalysis", text);
}

} // namespace

const Face *SelfieAnalysis::face() const
{
    return mainFace >= 0 && mainFace < faces.size() ? &faces[mainFace] : nullptr;
}

const SelfieCheck *SelfieAnalysis::check(const QString &id) const
{
    const auto it = std::find_if(checks.begin(), checks.end(), [&](const SelfieCheck &c) { return c.id == id; });
    return it == checks.end() ? nullptr : &*it;
}

QList<SelfieCheck> SelfieAnalysis::problems() const
{
    QList<SelfieCheck> failed;
    std::copy_if(checks.begin(), checks.end(), std::back_inserter(failed), [](const SelfieCheck &c) { return !c.ok; });
    return failed;
}

bool SelfieAnalysis::usable() const
{
    if (!face())
        return false;
    for (const SelfieCheck &c : checks) {
        if (!c.ok && c.id != QLatin1String("several_faces") && c.id != QLatin1String("low_resolution"))
            return false;
    }
    return true;
}

QJsonObject SelfieAnalysis::toJson() const
{
    QJsonArray faceArray;
    for (const Face &f : faces) {
        QJsonArray landmarks;
        for (const QPointF &p : f.landmarks)
            landmarks.append(QJsonArray { p.x(), p.y() });
        faceArray.append(QJsonObject {
            { QStringLiteral("x"), f.box.x() },
            { QStringLiteral("y"), f.box.y() },
            { QStringLiteral("w"), f.box.width() },
            { QStringLiteral("h"), f.box.height() },
            { QStringLiteral("score"), double(f.score) },
            { QStringLiteral("landmarks"), landmarks },
        });
    }
    QJsonArray checkArray;
    for (const SelfieCheck &c : checks) {
        checkArray.append(QJsonObject {
            { QStringLiteral("id"), c.id },
            { QStringLiteral("ok"), c.ok },
            { QStringLiteral("message"), c.message },
        });
    }
    QJsonObject metricsObject {
        { QStringLiteral("sharpness"), metrics.sharpness },
        { QStringLiteral("brightness"), metrics.brightness },
        { QStringLiteral("relativeSize"), metrics.relativeSize },
    };
    if (metrics.yaw)
        metricsObject.insert(QStringLiteral("yaw"), *metrics.yaw);
    return QJsonObject {
        { QStringLiteral("width"), imageSize.width() },
        { QStringLiteral("height"), imageSize.height() },
        { QStringLiteral("faces"), faceArray },
        { QStringLiteral("checks"), checkArray },
        { QStringLiteral("mainFace"), mainFace },
        { QStringLiteral("mainFaceChosenByUser"), mainFaceChosenByUser },
        { QStringLiteral("metrics"), metricsObject },
    };
}

Result<SelfieAnalysis> SelfieAnalysis::fromJson(const QJsonObject &json)
{
    const auto bad = [](const QString &why) {
        return Error(QStringLiteral("bad_analysis"),
            tr("The stored face analysis of a selfie is damaged; it will be analysed again."), why);
    };
    SelfieAnalysis a;
    a.imageSize = QSize(json.value(QStringLiteral("width")).toInt(-1), json.value(QStringLiteral("height")).toInt(-1));
    if (a.imageSize.width() <= 0 || a.imageSize.height() <= 0)
        return bad(QStringLiteral("missing or invalid width/height"));
    if (!json.value(QStringLiteral("faces")).isArray() || !json.value(QStringLiteral("checks")).isArray())
        return bad(QStringLiteral("faces or checks is not an array"));
    for (const QJsonValue &v : json.value(QStringLiteral("faces")).toArray()) {
        const QJsonObject o = v.toObject();
        Face f;
        f.box = QRectF(o.value(QStringLiteral("x")).toDouble(), o.value(QStringLiteral("y")).toDouble(),
            o.value(QStringLiteral("w")).toDouble(), o.value(QStringLiteral("h")).toDouble());
        f.score = float(o.value(QStringLiteral("score")).toDouble());
        const QJsonArray landmarks = o.value(QStringLiteral("landmarks")).toArray();
        if (landmarks.size() != int(f.landmarks.size()))
            return bad(QStringLiteral("a face does not have five landmarks"));
        for (qsizetype i = 0; i < landmarks.size(); ++i) {
            const QJsonArray p = landmarks.at(i).toArray();
            f.landmarks[size_t(i)] = QPointF(p.at(0).toDouble(), p.at(1).toDouble());
        }
        a.faces.append(f);
    }
    for (const QJsonValue &v : json.value(QStringLiteral("checks")).toArray()) {
        const QJsonObject o = v.toObject();
        const QString id = o.value(QStringLiteral("id")).toString();
        if (id.isEmpty())
            return bad(QStringLiteral("a check has no id"));
        a.checks.append({ id, o.value(QStringLiteral("ok")).toBool(), o.value(QStringLiteral("message")).toString() });
    }
    a.mainFace = json.value(QStringLiteral("mainFace")).toInt(a.faces.isEmpty() ? -1 : 0);
    if (a.mainFace < -1 || a.mainFace >= a.faces.size() || (a.mainFace == -1 && !a.faces.isEmpty()))
        return bad(QStringLiteral("mainFace %1 does not name one of %2 faces").arg(a.mainFace).arg(a.faces.size()));
    a.mainFaceChosenByUser = json.value(QStringLiteral("mainFaceChosenByUser")).toBool();
    const QJsonObject m = json.value(QStringLiteral("metrics")).toObject();
    a.metrics.sharpness = m.value(QStringLiteral("sharpness")).toDouble();
    a.metrics.brightness = m.value(QStringLiteral("brightness")).toDouble();
    a.metrics.relativeSize = m.value(QStringLiteral("relativeSize")).toDouble();
    if (m.contains(QStringLiteral("yaw")))
        a.metrics.yaw = m.value(QStringLiteral("yaw")).toDouble();
    return a;
}

} // namespace CalStudio
