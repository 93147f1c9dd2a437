#include "app/cli/cropcommand.h"

#include "app/cli/clicommands.h"
#include "core/commerce/printformat.h"
#include "core/imaging/facedetector.h"
#include "core/imaging/imagedecoder.h"
#include "core/imaging/masterfaces.h"
#include "core/imaging/smartcrop.h"

#include <QCommandLineParser>
#include <QFile>

namespace CalStudio::Cli {

namespace {

const char *const CropUsage = "usage: calstudio-cli crop IMAGE --format ID|--aspect W:H [--json]";

QString rectJson(const QRect &r)
{
    return QStringLiteral("{\"x\":%1,\"y\":%2,\"w\":%3,\"h\":%4}").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
}

} // namespace

int cropCommand(const QStringList &args, QTextStream &out, QTextStream &err, bool verbose)
{
    QCommandLineParser p;
    const QCommandLineOption formatOption(
        QStringLiteral("format"), QStringLiteral("Print format id"), QStringLiteral("id"));
    const QCommandLineOption aspectOption(
        QStringLiteral("aspect"), QStringLiteral("Aspect ratio W:H"), QStringLiteral("W:H"));
    const QCommandLineOption jsonOption(QStringLiteral("json"), QStringLiteral("Print JSON"));
    p.addOptions({ formatOption, aspectOption, jsonOption });
    if (!p.parse(QStringList { QStringLiteral("crop") } + args) || p.positionalArguments().size() != 1
        || p.isSet(formatOption) == p.isSet(aspectOption)) {
        err << (p.errorText().isEmpty() ? QString() : p.errorText() + QLatin1Char('\n')) << CropUsage << Qt::endl;
        return ExitCode::Usage;
    }

    // The target first: a typo in the arguments should not cost a face detection.
    CropTarget target;
    if (p.isSet(formatOption)) {
        const auto format = findFormat(p.value(formatOption), err);
        if (!format)
            return ExitCode::Usage;
        auto forPosition = CropTarget::forPosition(*format, 1);
        if (!forPosition) {
            printError(err, forPosition.error(), verbose);
            return ExitCode::Failed;
        }
        target = *forPosition;
    } else {
        auto forAspect = CropTarget::forAspect(p.value(aspectOption));
        if (!forAspect) {
            err << "--aspect: " << forAspect.error().userMessage << Qt::endl;
            return ExitCode::Usage;
        }
        target = *forAspect;
    }

    const QString path = p.positionalArguments().constFirst();
    QFile file(path);
    ImageLimits limits;
    limits.minShortEdge = 1; // any picture can be cropped; only imported selfies need a minimum
    if (!file.open(QIODevice::ReadOnly)) {
        err << "error: cannot read " << path << ": " << file.errorString() << Qt::endl;
        return ExitCode::Failed;
    }
    if (file.size() > limits.maxFileBytes) {
        err << "error: the file is larger than " << limits.maxFileBytes / (1024 * 1024) << " MB" << Qt::endl;
        return ExitCode::Failed;
    }
    // Upright (EXIF applied) and no larger than the detector looks at; boxes are scaled back to full size.
    auto decoded = ImageDecoder::decode(file.readAll(), limits, FaceDetector::MaxDetectionEdge);
    if (!decoded) {
        printError(err, decoded.error(), verbose);
        return ExitCode::Failed;
    }
    const QSize imageSize(decoded->probe.width, decoded->probe.height);
    auto detector = FaceDetector::create();
    if (!detector) {
        printError(err, detector.error(), verbose);
        return ExitCode::Failed;
    }
    if (detector->usingFallback())
        err << "warning: the face model could not be loaded; using the simpler Haar detector" << Qt::endl;
    const MasterFaces found = MasterFaces::detect(decoded->image, imageSize, *detector);

    // SmartCrop gets exactly the whole-pixel boxes printed, so "not cut" means inside the printed crop.
    CropRequest request;
    request.imageSize = imageSize;
    request.target = target;
    QList<QRect> faceRects;
    for (const CropFace &f : found.cropFaces()) {
        const QRect r = f.box.toAlignedRect().intersected(QRect(QPoint(0, 0), imageSize));
        if (r.isEmpty())
            continue;
        CropFace whole = f;
        whole.box = QRectF(r);
        request.faces.append(whole);
        faceRects.append(r);
    }
    if (request.faces.isEmpty()) {
        auto salient = SmartCrop::saliency(decoded->image);
        if (salient) {
            const double sx = double(imageSize.width()) / decoded->image.width();
            const double sy = double(imageSize.height()) / decoded->image.height();
            request.saliency
                = QRectF(salient->x() * sx, salient->y() * sy, salient->width() * sx, salient->height() * sy);
        } else {
            err << "warning: " << salient.error().userMessage << " The crop is centred." << Qt::endl;
        }
    }
    auto planned = SmartCrop::plan(request);
    if (!planned) {
        printError(err, planned.error(), verbose);
        return ExitCode::Failed;
    }

    if (p.isSet(jsonOption)) {
        QStringList faces, cut;
        for (const QRect &r : std::as_const(faceRects))
            faces.append(rectJson(r));
        for (int i : std::as_const(planned->cutFaces))
            cut.append(QString::number(i));
        // Written by hand to keep the contract's key order (QJsonObject sorts keys).
        out << "{\"width\":" << imageSize.width() << ",\"height\":" << imageSize.height() << ",\"faces\":["
            << faces.join(QLatin1Char(',')) << "],\"crop\":" << rectJson(planned->crop) << ",\"cut_faces\":["
            << cut.join(QLatin1Char(',')) << "]}" << Qt::endl;
    } else {
        const QRect &c = planned->crop;
        out << "crop " << c.x() << "," << c.y() << " " << c.width() << "x" << c.height() << " of " << imageSize.width()
            << "x" << imageSize.height() << "; " << faceRects.size() << " face(s)";
        if (!planned->cutFaces.isEmpty())
            out << ", " << planned->cutFaces.size() << " cut";
        out << Qt::endl;
    }
    return ExitCode::Ok;
}

} // namespace CalStudio::Cli
