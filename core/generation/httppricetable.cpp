#include "core/generation/httppricetable.h"

#include "core/generation/generationlogging.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QMutex>
#include <QMutexLocker>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>

#include <cmath>

namespace CalStudio {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("HttpPriceTable", text);
}

const QLatin1String ModelsKey("models");
const QLatin1String CurrencyKey("currency");
const QLatin1String MaxEdgeKey("maxEdge");
const QLatin1String UsdKey("usd");
// A price table is a few kilobytes; anything far larger is not one.
constexpr qint64 MaxFileSize = 1024 * 1024;
constexpr double MaxEdgeLimit = 1000000;
constexpr int MaxModelIdLength = 200;

/// The user's file as last read, and what estimates use; guarded by mutex().
struct UserState {
    bool loaded = false;
    QString path;
    bool exists = false;
    qint64 size = -1;
    QDateTime modified;
    QJsonObject table; ///< the user's own entries, empty when unusable
    Error error;
    QJsonObject effective;
};

QMutex &mutex()
{
    static QMutex m;
    return m;
}

UserState &state()
{
    static UserState s;
    return s;
}

QJsonObject overlay(const QJsonObject &base, const QJsonObject &user)
{
    QJsonObject result = base;
    QJsonObject models = base.value(ModelsKey).toObject();
    const QJsonObject own = user.value(ModelsKey).toObject();
    for (auto it = own.begin(); it != own.end(); ++it)
        models.insert(it.key(), it.value());
    result.insert(ModelsKey, models);
    return result;
}

/// Reads the user's file into `s` (path and stamp already set).
void readUserFile(UserState &s)
{
    const QString previousError = s.error.toString();
    s.table = QJsonObject();
    s.error = Error();
    if (s.exists) {
        const QString shownPath = QDir::toNativeSeparators(s.path);
        QFile file(s.path);
        if (s.size > MaxFileSize) {
            s.error = Error(QStringLiteral("prices_corrupt"),
                tr("Your saved image prices are not a price table (the file is far too large), so the built-in "
                   "prices are used. Open Edit \u25b8 Image Prices\u2026 to set your prices again."),
                shownPath);
        } else if (!file.open(QIODevice::ReadOnly)) {
            s.error = Error(QStringLiteral("prices_unreadable"),
                tr("Your saved image prices could not be read, so the built-in prices are used. "
                   "Check the permissions of %1.")
                    .arg(shownPath),
                shownPath + QLatin1String(": ") + file.errorString());
        } else {
            QJsonParseError parseError;
            const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
            if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
                s.error = Error(QStringLiteral("prices_corrupt"),
                    tr("Your saved image prices are damaged, so the built-in prices are used. "
                       "Open Edit \u25b8 Image Prices\u2026 to set your prices again."),
                    shownPath + QLatin1String(": ")
                        + (parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                        : QStringLiteral("not a JSON object")));
            } else if (Status valid = HttpPriceTable::validate(document.object()); !valid) {
                s.error = Error(valid.error().code,
                    tr("Your saved image prices cannot be used, so the built-in prices are used: %1")
                        .arg(valid.error().userMessage),
                    shownPath + QLatin1String(": ") + valid.error().detail);
            } else {
                s.table = document.object();
            }
        }
        // Once per problem, not on every look at a file that is still the same kind of broken.
        if (!s.error.isNull() && s.error.toString() != previousError)
            qCWarning(lcGeneration).noquote() << "user price table ignored:" << s.error.toString();
    }
    s.effective = s.table.isEmpty() ? HttpPriceTable::builtIn() : overlay(HttpPriceTable::builtIn(), s.table);
}

/// The current state, re-read when the file appeared, vanished or changed since the last look. Hold mutex().
const UserState &current()
{
    UserState &s = state();
    const QString path = HttpPriceTable::userTablePath();
    const QFileInfo info(path);
    const bool exists = info.exists();
    const qint64 size = exists ? info.size() : -1;
    const QDateTime modified = exists ? info.lastModified() : QDateTime();
    if (!s.loaded || s.path != path || s.exists != exists || s.size != size || s.modified != modified) {
        s.loaded = true;
        s.path = path;
        s.exists = exists;
        s.size = size;
        s.modified = modified;
        readUserFile(s);
    }
    return s;
}

void forgetUserState()
{
    const QMutexLocker lock(&mutex());
    state().loaded = false;
}

QString number(double value)
{
    return QString::number(value, 'f', QLocale::FloatingPointShortest);
}

Error invalid(const char *code, const QString &message, const QString &detail)
{
    return Error(QString::fromLatin1(code), message, detail);
}

Status validateTiers(const QString &key, const QJsonValue &value)
{
    const QString detail = key + QLatin1String(": ")
        + QString::fromUtf8(QJsonDocument(QJsonObject { { key, value } }).toJson(QJsonDocument::Compact));
    const QJsonArray tiers = value.toArray();
    if (!value.isArray() || tiers.isEmpty())
        return invalid("prices_no_tiers", tr("\u201c%1\u201d has no price.").arg(key), detail);
    double previousEdge = 0;
    for (qsizetype i = 0; i < tiers.size(); ++i) {
        const QString line = QString::number(i + 1);
        if (!tiers.at(i).isObject())
            return invalid(
                "prices_bad_tier", tr("Price line %2 of \u201c%1\u201d is not a price.").arg(key, line), detail);
        const QJsonObject tier = tiers.at(i).toObject();
        for (auto it = tier.begin(); it != tier.end(); ++it) {
            if (it.key() != MaxEdgeKey && it.key() != UsdKey)
                return invalid("prices_bad_tier",
                    tr("Price line %2 of \u201c%1\u201d has the unknown field \u201c%3\u201d; only \u201cmaxEdge\u201d "
                       "and \u201cusd\u201d are allowed.")
                        .arg(key, line, it.key()),
                    detail);
        }
        const QJsonValue usd = tier.value(UsdKey);
        if (!usd.isDouble() || !std::isfinite(usd.toDouble()))
            return invalid("prices_bad_price",
                tr("Price line %2 of \u201c%1\u201d has no price in US dollars.").arg(key, line), detail);
        if (usd.toDouble() < 0)
            return invalid("prices_bad_price",
                tr("The price on line %2 of \u201c%1\u201d is %3; a price cannot be negative.")
                    .arg(key, line, number(usd.toDouble())),
                detail);
        if (!tier.contains(MaxEdgeKey)) {
            if (i != tiers.size() - 1)
                return invalid("prices_open_tier",
                    tr("Only the last price line of \u201c%1\u201d may be for all larger images, but line %2 has no "
                       "long edge.")
                        .arg(key, line),
                    detail);
            continue;
        }
        const QJsonValue maxEdge = tier.value(MaxEdgeKey);
        const double edge = maxEdge.toDouble();
        if (!maxEdge.isDouble() || !std::isfinite(edge) || edge != std::floor(edge) || edge < 1 || edge > MaxEdgeLimit)
            return invalid("prices_bad_edge",
                tr("The long edge on price line %2 of \u201c%1\u201d must be a whole number of pixels from 1 to "
                   "1000000.")
                    .arg(key, line),
                detail);
        if (edge <= previousEdge)
            return invalid("prices_edge_order",
                tr("The long edge on price line %2 of \u201c%1\u201d (%3 px) must be larger than on the line "
                   "before (%4 px).")
                    .arg(key, line, number(edge), number(previousEdge)),
                detail);
        previousEdge = edge;
    }
    return Status::success();
}

} // namespace

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

QJsonObject HttpPriceTable::effective()
{
    const QMutexLocker lock(&mutex());
    return current().effective;
}

QJsonObject HttpPriceTable::userTable()
{
    const QMutexLocker lock(&mutex());
    return current().table;
}

Error HttpPriceTable::userTableError()
{
    const QMutexLocker lock(&mutex());
    return current().error;
}

QString HttpPriceTable::userTablePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QLatin1String("/prices.json");
}

QStringList HttpPriceTable::knownProviders()
{
    return { QStringLiteral("offline"), QStringLiteral("gemini"), QStringLiteral("openai"), QStringLiteral("replicate"),
        QStringLiteral("fal") };
}

double HttpPriceTable::estimateUsd(const QString &provider, const QString &model, QSize nativeSize)
{
    return estimateUsd(effective(), provider, model, nativeSize);
}

double HttpPriceTable::estimateUsd(
    const QJsonObject &table, const QString &provider, const QString &model, QSize nativeSize)
{
    static const QRegularExpression snapshot(QStringLiteral("-(preview|\\d{4}-\\d{2}-\\d{2})$"));
    const QJsonObject models = table.value(ModelsKey).toObject();
    const QString prefix = provider + QLatin1Char('/');
    QJsonValue entry = models.value(prefix + model);
    if (!entry.isArray()) {
        QString id = model;
        id.remove(snapshot);
        entry = models.value(prefix + id);
    }
    const QJsonArray tiers = entry.toArray();
    const int edge = qMax(nativeSize.width(), nativeSize.height());
    for (const QJsonValue &value : tiers) {
        const QJsonObject tier = value.toObject();
        if (!tier.contains(MaxEdgeKey) || edge <= tier.value(MaxEdgeKey).toDouble())
            return tier.value(UsdKey).toDouble();
    }
    return 0;
}

Status HttpPriceTable::validate(const QJsonObject &table)
{
    if (table.contains(CurrencyKey) && table.value(CurrencyKey).toString() != QLatin1String("USD"))
        return invalid("prices_bad_currency",
            tr("Prices must be in US dollars (\u201ccurrency\u201d: \u201cUSD\u201d)."),
            table.value(CurrencyKey).toVariant().toString());
    if (!table.value(ModelsKey).isObject())
        return invalid("prices_bad_format", tr("The price table has no list of models (\u201cmodels\u201d)."), {});
    static const QRegularExpression badModelCharacter(QStringLiteral("[\\s\\x00-\\x1f\\x7f]"));
    const QStringList providers = knownProviders();
    const QJsonObject models = table.value(ModelsKey).toObject();
    for (auto it = models.begin(); it != models.end(); ++it) {
        const QString &key = it.key();
        const qsizetype slash = key.indexOf(QLatin1Char('/'));
        const QString provider = key.left(slash);
        const QString model = slash < 0 ? QString() : key.mid(slash + 1);
        if (slash <= 0 || model.isEmpty() || model.size() > MaxModelIdLength || model.contains(badModelCharacter)
            || model.startsWith(QLatin1Char('/')) || model.endsWith(QLatin1Char('/')))
            return invalid("prices_bad_key",
                tr("\u201c%1\u201d is not a service and model id such as \u201cgemini/gemini-3-pro-image\u201d; "
                   "the model id must not be empty or contain spaces.")
                    .arg(key),
                key);
        if (!providers.contains(provider))
            return invalid("prices_unknown_provider",
                tr("\u201c%1\u201d names the service \u201c%2\u201d, which Calendar Studio does not know. "
                   "Use one of: %3.")
                    .arg(key, provider, providers.join(QLatin1String(", "))),
                key);
        if (Status tiers = validateTiers(key, it.value()); !tiers)
            return tiers;
    }
    return Status::success();
}

Status HttpPriceTable::saveUserTable(const QJsonObject &table)
{
    if (Status valid = validate(table); !valid)
        return valid;
    QJsonObject document = table;
    if (!document.contains(CurrencyKey))
        document.insert(CurrencyKey, QStringLiteral("USD"));
    const QString path = userTablePath();
    const auto saveFailed = [&path](const QString &why) {
        return Error(QStringLiteral("prices_save_failed"),
            tr("Your image prices could not be saved. Check that there is free disk space and that you may "
               "write to %1.")
                .arg(QDir::toNativeSeparators(QFileInfo(path).absolutePath())),
            path + QLatin1String(": ") + why);
    };
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return saveFailed(QStringLiteral("cannot create the folder"));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return saveFailed(file.errorString());
    const QByteArray json = QJsonDocument(document).toJson(QJsonDocument::Indented);
    if (file.write(json) != json.size() || !file.commit()) {
        forgetUserState();
        return saveFailed(file.errorString());
    }
    forgetUserState();
    qCInfo(lcGeneration) << "saved the user's price table to" << path
                         << "models:" << table.value(ModelsKey).toObject().size();
    return Status::success();
}

Status HttpPriceTable::resetUserTable()
{
    const QString path = userTablePath();
    QFile file(path);
    if (file.exists() && !file.remove()) {
        forgetUserState();
        return Error(QStringLiteral("prices_reset_failed"),
            tr("Your own image prices could not be removed. Check that you may change %1.")
                .arg(QDir::toNativeSeparators(path)),
            path + QLatin1String(": ") + file.errorString());
    }
    forgetUserState();
    qCInfo(lcGeneration) << "the built-in price table applies again";
    return Status::success();
}

} // namespace CalStudio
