#pragma once

// Helpers shared by the wire-level provider tests (tst_*provider.cpp).

#include "core/generation/imageprovider.h"

#include <QBuffer>
#include <QColor>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStringList>
#include <QTest>

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

/**
 * Checks one row of a runtime-fault table: the typed kind, the HTTP status,
 * the retry hint (0 = none) and a part of providerReason, plus a message for
 * the user. Callers return when QTest::currentTestFailed().
 */
inline void verifyError(const GenerationError &error, int kind, int status, qint64 retryAfterMs, const QString &reason)
{
    QCOMPARE(int(error.kind), kind);
    QCOMPARE(error.httpStatus, status);
    QCOMPARE(qint64(error.retryAfter.count()), retryAfterMs);
    QVERIFY2(error.providerReason.contains(reason), qPrintable(error.providerReason));
    QVERIFY(!error.message.isEmpty());
}

/// Checks a huge 4K answer: a 4096² PNG of many megabytes arrived whole. Callers return when the test failed.
inline void verifyHuge4K(const ImageProvider::Outcome &outcome)
{
    const auto *image = std::get_if<GeneratedImage>(&outcome);
    QVERIFY2(image, qPrintable(errorOf(outcome).message));
    QCOMPARE(image->nativeSize, QSize(4096, 4096));
    QCOMPARE(image->mimeType, QStringLiteral("image/png"));
    QVERIFY2(image->bytes.size() > 8 * 1024 * 1024, QByteArray::number(image->bytes.size()));
}

/// An answer of the sandbox's fault control endpoint.
struct ControlAnswer {
    int status = 0; ///< 0 when nothing came back
    QJsonObject body;
};

/**
 * Drives `/_sandbox/faults` over HTTP on `port`, as scripts drive a running
 * calstudio-sandbox: POST `json` to script faults, GET to list them, DELETE to
 * clear them. The server must run on this thread (in-process), which the wait
 * keeps serving.
 */
inline ControlAnswer sandboxControl(quint16 port, const QByteArray &method, const QByteArray &json = {})
{
    QNetworkAccessManager manager;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/_sandbox/faults").arg(port)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = manager.sendCustomRequest(request, method, json);
    (void)QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000);
    ControlAnswer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = QJsonDocument::fromJson(reply->readAll()).object();
    delete reply;
    return answer;
}

/// Replaces the scripted faults at run time with one use of `api:scenario` (answer delayed by `delayMs`).
inline ControlAnswer scriptFault(quint16 port, const QString &api, const QString &scenario, qint64 delayMs = 0)
{
    const QJsonObject fault{{QStringLiteral("api"), api},
                            {QStringLiteral("scenario"), scenario},
                            {QStringLiteral("count"), 1},
                            {QStringLiteral("delayMs"), delayMs}};
    const QJsonObject body{{QStringLiteral("clear"), true}, {QStringLiteral("faults"), QJsonArray{fault}}};
    return sandboxControl(port, "POST", QJsonDocument(body).toJson(QJsonDocument::Compact));
}

/// How many scripted faults are still waiting (GET /_sandbox/faults); -1 when the endpoint did not answer 200.
inline int pendingFaults(quint16 port)
{
    const ControlAnswer answer = sandboxControl(port, "GET");
    return answer.status == 200 ? int(answer.body.value(QLatin1String("faults")).toArray().size()) : -1;
}

} // namespace CalStudio::ProviderTestSupport
