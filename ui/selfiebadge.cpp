#include "ui/selfiebadge.h"

#include <QCoreApplication>

namespace CalStudio {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CalStudio::SelfieBadge", text);
}

} // namespace

QColor SelfieBadge::colour() const
{
    switch (level) {
    case Level::Good:
        return QColor(0x2e, 0x7d, 0x32);
    case Level::Warning:
        return QColor(0xb2, 0x6a, 0x00);
    case Level::Problem:
        return QColor(0xb3, 0x26, 0x1e);
    case Level::Unknown:
        break;
    }
    return QColor(0x6f, 0x6a, 0x62);
}

QString SelfieBadge::description() const
{
    return details.isEmpty() ? text : text + QStringLiteral(": ") + details;
}

QString SelfieBadge::shortText(const QString &checkId)
{
    if (checkId == QLatin1String("no_face"))
        return tr("No face");
    if (checkId == QLatin1String("several_faces"))
        return tr("Several faces");
    if (checkId == QLatin1String("face_too_small"))
        return tr("Face too small");
    if (checkId == QLatin1String("blurry"))
        return tr("Blurry");
    if (checkId == QLatin1String("too_dark"))
        return tr("Too dark");
    if (checkId == QLatin1String("too_bright"))
        return tr("Too bright");
    if (checkId == QLatin1String("low_resolution"))
        return tr("Low resolution");
    return tr("Check");
}

QString SelfieBadge::okText(const QString &checkId, const SelfieAnalysis &analysis)
{
    if (checkId == QLatin1String("no_face"))
        return tr("Face found");
    if (checkId == QLatin1String("several_faces"))
        return analysis.faces.size() > 1 ? tr("Your face picked") : tr("One face");
    if (checkId == QLatin1String("face_too_small"))
        return tr("Big enough");
    if (checkId == QLatin1String("blurry"))
        return tr("Sharp");
    if (checkId == QLatin1String("too_dark"))
        return tr("Not too dark");
    if (checkId == QLatin1String("too_bright"))
        return tr("Not too bright");
    if (checkId == QLatin1String("low_resolution"))
        return tr("Enough pixels");
    return tr("OK");
}

bool SelfieBadge::isWarningOnly(const QString &checkId)
{
    return checkId == QLatin1String("several_faces") || checkId == QLatin1String("low_resolution");
}

SelfieBadge SelfieBadge::of(const std::optional<SelfieAnalysis> &analysis)
{
    SelfieBadge badge;
    if (!analysis) {
        badge.text = tr("Not checked");
        badge.details = tr("This selfie could not be checked. Delete it and import it again.");
        return badge;
    }
    const QList<SelfieCheck> problems = analysis->problems();
    if (problems.isEmpty()) {
        badge.level = Level::Good;
        badge.text = tr("Good");
        badge.details = tr("Your face is clear, sharp and well lit.");
        return badge;
    }
    // The badge names the worst problem: one that stops the selfie from being used beats a warning.
    const SelfieCheck *worst = &problems.first();
    for (const SelfieCheck &c : problems) {
        if (!isWarningOnly(c.id)) {
            worst = &c;
            break;
        }
    }
    badge.level = isWarningOnly(worst->id) ? Level::Warning : Level::Problem;
    badge.text = shortText(worst->id);
    QStringList messages;
    for (const SelfieCheck &c : problems)
        messages.append(c.message);
    badge.details = messages.join(QLatin1Char('\n'));
    return badge;
}

} // namespace CalStudio
