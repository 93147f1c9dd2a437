#pragma once

// Helpers shared by the wire-level provider tests (tst_*provider.cpp).

#include "core/generation/imageprovider.h"

#include <QBuffer>
#include <QColor>
#include <QImage>
#include <QMutex>
#include <QStringList>

namespace CalStudio::ProviderTestSupport {

/// A small JPEG of one colour, as a reference photo.
inline QByteArray jpegOf(const QColor &color)
{
    QImage image(64, 48, QImage::Format_RGB32);
    image.fill(color);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG");
    return bytes;
}

/// Every log line while installed (category + message), to prove keys and image bytes never appear.
inline QMutex logMutex;
inline QStringList capturedLog;
inline void captureMessage(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    QMutexLocker lock(&logMutex);
    capturedLog.append(QString::fromUtf8(context.category ? context.category : "") + QLatin1Char(' ') + message);
}

/// The error of an outcome, or a default GenerationError when it was an image.
inline GenerationError errorOf(const ImageProvider::Outcome &outcome)
{
    if (const auto *error = std::get_if<GenerationError>(&outcome))
        return *error;
    return {};
}

} // namespace CalStudio::ProviderTestSupport
