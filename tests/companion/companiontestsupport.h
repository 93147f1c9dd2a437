#pragma once

// Shared by the companion's API tests: a configuration with a small test
// format (so print files are quick to make), print files of any size and
// colour model, signed Stripe events, and ApiRequest shortcuts.

#include "core/companion/apitypes.h"
#include "core/companion/companionconfig.h"
#include "core/companion/stripesignature.h"

#include <QBuffer>
#include <QColorSpace>
#include <QDateTime>
#include <QImage>
#include <QImageWriter>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

namespace CalStudio::CompanionTest {

inline const QString AdminToken = QStringLiteral("admin-token-0123456789abcdef0123456789");
inline const QByteArray WebhookSecret = "whsec_companion_test_secret";
inline const QString StripeKey = QStringLiteral("sk_test_sandbox");

/// 13 positions of 170 × 130 px: 4 × 3 in + 0.125 in bleed at 40 px per inch.
inline QJsonObject miniFormat()
{
    QJsonArray positions;
    const QStringList ids = { QStringLiteral("front_cover"), QStringLiteral("january"), QStringLiteral("february"),
        QStringLiteral("march"), QStringLiteral("april"), QStringLiteral("may"), QStringLiteral("june"),
        QStringLiteral("july"), QStringLiteral("august"), QStringLiteral("september"), QStringLiteral("october"),
        QStringLiteral("november"), QStringLiteral("december") };
    for (int page = 0; page < ids.size(); ++page) {
        positions.append(QJsonObject { { QStringLiteral("id"), ids[page] }, { QStringLiteral("page"), page },
            { QStringLiteral("width"), 170 }, { QStringLiteral("height"), 130 } });
    }
    return QJsonObject {
        { QStringLiteral("id"), QStringLiteral("mini") },
        { QStringLiteral("title"), QStringLiteral("Mini test calendar") },
        { QStringLiteral("trim_width_in"), 4.0 },
        { QStringLiteral("trim_height_in"), 3.0 },
        { QStringLiteral("bleed_in"), 0.125 },
        { QStringLiteral("safe_margin_in"), 0.125 },
        { QStringLiteral("binding_edge"), QStringLiteral("top") },
        { QStringLiteral("binding_depth_in"), 0.25 },
        { QStringLiteral("dpi"), 72 },
        { QStringLiteral("positions"), positions },
    };
}

inline QJsonObject configJson(const QString &dataDir, const QString &stripeBase, const QString &publicUrl)
{
    return QJsonObject {
        { QStringLiteral("listen"), QStringLiteral("127.0.0.1:0") },
        { QStringLiteral("public_url"), publicUrl },
        { QStringLiteral("data_dir"), dataDir },
        { QStringLiteral("stripe"), QJsonObject {
              { QStringLiteral("secret_key"), StripeKey },
              { QStringLiteral("webhook_secrets"), QJsonArray { QString::fromLatin1(WebhookSecret) } },
              { QStringLiteral("api_base"), stripeBase },
          } },
        { QStringLiteral("admin_token"), AdminToken },
        { QStringLiteral("limits"), QJsonObject { { QStringLiteral("max_upload_bytes"), 200000 },
                                        { QStringLiteral("orders_per_minute_per_ip"), 1000 },
                                        { QStringLiteral("checkouts_per_minute_per_ip"), 1000 } } },
        { QStringLiteral("worker_threads"), 8 },
        { QStringLiteral("formats"), QJsonArray {
              QJsonObject {
                  { QStringLiteral("format"), miniFormat() },
                  { QStringLiteral("product_name"), QStringLiteral("Mini calendar") },
                  { QStringLiteral("price"), QJsonObject { { QStringLiteral("amount"), 2999 }, { QStringLiteral("currency"), QStringLiteral("usd") } } },
                  { QStringLiteral("max_quantity"), 5 },
                  { QStringLiteral("shipping"), QJsonArray {
                        QJsonObject { { QStringLiteral("id"), QStringLiteral("standard") }, { QStringLiteral("display_name"), QStringLiteral("Standard") },
                            { QStringLiteral("amount"), 699 }, { QStringLiteral("min_days"), 5 }, { QStringLiteral("max_days"), 9 } },
                        QJsonObject { { QStringLiteral("id"), QStringLiteral("express") }, { QStringLiteral("display_name"), QStringLiteral("Express") },
                            { QStringLiteral("amount"), 1499 }, { QStringLiteral("min_days"), 2 }, { QStringLiteral("max_days"), 3 } },
                    } },
                  { QStringLiteral("countries"), QJsonArray { QStringLiteral("US"), QStringLiteral("DE"), QStringLiteral("GB") } },
              },
              QJsonObject {
                  { QStringLiteral("format"), QStringLiteral("wall-landscape") },
                  { QStringLiteral("product_name"), QStringLiteral("Photo wall calendar") },
                  { QStringLiteral("price"), QJsonObject { { QStringLiteral("amount"), 3499 }, { QStringLiteral("currency"), QStringLiteral("usd") } } },
                  { QStringLiteral("shipping"), QJsonArray {
                        QJsonObject { { QStringLiteral("id"), QStringLiteral("standard") }, { QStringLiteral("display_name"), QStringLiteral("Standard") },
                            { QStringLiteral("amount"), 699 } } } },
                  { QStringLiteral("countries"), QJsonArray { QStringLiteral("US") } },
              },
          } },
    };
}

inline CompanionConfig makeConfig(const QString &dataDir, const QString &stripeBase,
    const QString &publicUrl = QStringLiteral("http://127.0.0.1:9"))
{
    auto config = CompanionConfig::fromJson(configJson(dataDir, stripeBase, publicUrl), QProcessEnvironment(), dataDir);
    if (!config)
        qFatal("test configuration rejected: %s", qPrintable(config.error().userMessage));
    return *config;
}

/// A print file: `format` "JPEG" or "PNG"; an optional colour space to embed.
inline QByteArray printFile(QSize size, const char *format = "JPEG", const QColorSpace &space = {})
{
    QImage image(size, QImage::Format_RGB32);
    for (int y = 0; y < size.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < size.width(); ++x)
            line[x] = qRgb((x * 255) / qMax(1, size.width()), (y * 255) / qMax(1, size.height()), 128);
    }
    if (space.isValid())
        image.setColorSpace(space);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, format);
    writer.setQuality(90);
    if (!writer.write(image))
        qFatal("could not encode a test image: %s", qPrintable(writer.errorString()));
    return bytes;
}

inline ApiRequest request(const QByteArray &method, const QString &path, const QByteArray &body = {},
    const QByteArray &contentType = "application/json", const QString &token = {})
{
    ApiRequest r;
    r.method = method;
    const qsizetype q = path.indexOf(QLatin1Char('?'));
    r.path = q < 0 ? path : path.left(q);
    if (q >= 0)
        r.query = QUrlQuery(path.mid(q + 1));
    r.body = body;
    if (!body.isEmpty() || method == "POST" || method == "PUT")
        r.headers.append({ "Content-Type", contentType });
    if (!token.isEmpty())
        r.headers.append({ "Authorization", "Bearer " + token.toUtf8() });
    r.remoteAddress = QStringLiteral("127.0.0.1");
    r.requestId = QStringLiteral("test");
    return r;
}

inline QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

/// A Stripe event envelope around `object`, as Stripe sends it.
inline QByteArray stripeEvent(const QString &id, const QString &type, const QJsonObject &object)
{
    return json(QJsonObject {
        { QStringLiteral("id"), id },
        { QStringLiteral("object"), QStringLiteral("event") },
        { QStringLiteral("api_version"), QStringLiteral("2026-03-25.dahlia") },
        { QStringLiteral("created"), QDateTime::currentSecsSinceEpoch() },
        { QStringLiteral("livemode"), false },
        { QStringLiteral("type"), type },
        { QStringLiteral("pending_webhooks"), 1 },
        { QStringLiteral("request"), QJsonObject { { QStringLiteral("id"), QJsonValue::Null }, { QStringLiteral("idempotency_key"), QJsonValue::Null } } },
        { QStringLiteral("data"), QJsonObject { { QStringLiteral("object"), object } } },
    });
}

inline ApiRequest signedWebhook(const QByteArray &body, qint64 timestamp = QDateTime::currentSecsSinceEpoch(),
    const QByteArray &secret = WebhookSecret)
{
    ApiRequest r = request("POST", QStringLiteral("/v1/webhooks/stripe"), body);
    r.headers.append({ "Stripe-Signature", StripeSignature::header(body, { secret }, timestamp) });
    return r;
}

} // namespace CalStudio::CompanionTest
