// PrintifyCatalog: a shop format's image positions discovered from Printify's variants.json
// (EXTERNAL_APIS.md 1.5–1.6): the 1253 shape, a 965-like shape, extra pages, and every way it can fail.
#include "core/companion/printifycatalog.h"

#include <QJsonArray>
#include <QTest>

#include <algorithm>

using namespace CalStudio;

namespace {

const QStringList kMonths { QStringLiteral("january"), QStringLiteral("february"), QStringLiteral("march"),
    QStringLiteral("april"), QStringLiteral("may"), QStringLiteral("june"), QStringLiteral("july"),
    QStringLiteral("august"), QStringLiteral("september"), QStringLiteral("october"), QStringLiteral("november"),
    QStringLiteral("december") };

/// The paper of the shop's configured format (packaging/companion/companion.example.json), with positions that
/// discovery replaces.
PrintFormat baseFormat()
{
    PrintFormat f;
    f.id = QStringLiteral("printify-wall-2027");
    f.title = QStringLiteral("Wall calendar 2027 (11 × 8.5 in, printed by Printify)");
    f.trimInches = QSizeF(11, 8.5);
    f.bleedInches = 0.125;
    f.safeMarginInches = 0.25;
    f.bindingEdge = PrintFormat::BindingEdge::Top;
    f.bindingDepthInches = 0.5;
    f.targetDpi = 300;
    f.positions.append(ImagePosition { QStringLiteral("cover"), 0, QSize(3375, 2625) });
    for (int month = 1; month <= 12; ++month)
        f.positions.append(
            ImagePosition { QStringLiteral("month-%1").arg(month, 2, 10, QLatin1Char('0')), month, QSize(3375, 2625) });
    return f;
}

QJsonObject placeholder(const QString &position, int width, int height)
{
    return QJsonObject { { QStringLiteral("position"), position }, { QStringLiteral("width"), width },
        { QStringLiteral("height"), height } };
}

QJsonArray placeholders(const QString &cover, const QStringList &months, int width, int height)
{
    QJsonArray result;
    if (!cover.isEmpty())
        result.append(placeholder(cover, width, height));
    for (const QString &month : months)
        result.append(placeholder(month, width, height));
    return result;
}

QJsonObject variant(int id, const QJsonArray &placeholderList)
{
    return QJsonObject { { QStringLiteral("id"), id },
        { QStringLiteral("title"), QStringLiteral("Variant %1").arg(id) },
        { QStringLiteral("options"), QJsonObject { { QStringLiteral("size"), QStringLiteral("11\" x 8.5\"") } } },
        { QStringLiteral("placeholders"), placeholderList } };
}

QJsonObject variantsJson(int providerId, const QJsonArray &variants)
{
    return QJsonObject { { QStringLiteral("id"), providerId }, { QStringLiteral("title"), QStringLiteral("Provider") },
        { QStringLiteral("variants"), variants } };
}

/// Blueprint 1253 / provider 234 as EXTERNAL_APIS.md 1.6 describes it, placeholders listed in no particular order,
/// next to another variant of the same provider.
QJsonObject shape1253()
{
    QStringList months = kMonths;
    std::reverse(months.begin(), months.end());
    QJsonArray list = placeholders(QString(), months, 3454, 2725);
    list.insert(6, placeholder(QStringLiteral("front_cover"), 3454, 2725));
    return variantsJson(234,
        QJsonArray {
            variant(94859, placeholders(QStringLiteral("front_cover"), kMonths, 2000, 2000)), variant(94860, list) });
}

QJsonObject shape965(const QJsonArray &extra = {})
{
    QStringList months;
    for (const QString &month : kMonths)
        months.append(month.left(3));
    QJsonArray list = placeholders(QStringLiteral("cover"), months, 3375, 2625);
    for (const QJsonValue &value : extra)
        list.append(value);
    return variantsJson(99, QJsonArray { variant(103102, list) });
}

QByteArray why(const Result<PrintFormat> &result)
{
    return result.ok() ? QByteArray() : result.error().toString().toUtf8();
}

} // namespace

class TestPrintifyCatalog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void blueprint1253()
    {
        const PrintFormat base = baseFormat();
        const auto format = PrintifyCatalog::formatFromVariants(base, shape1253(), 94860, 1253);
        QVERIFY2(format.ok(), why(format).constData());
        QCOMPARE(format->positions.size(), 13);
        QCOMPARE(format->positions[0], (ImagePosition { QStringLiteral("front_cover"), 0, QSize(3454, 2725) }));
        for (int month = 1; month <= 12; ++month)
            QCOMPARE(format->positions[month], (ImagePosition { kMonths[month - 1], month, QSize(3454, 2725) }));
        // The paper comes from the configuration, untouched.
        QCOMPARE(format->id, base.id);
        QCOMPARE(format->title, base.title);
        QCOMPARE(format->trimInches, base.trimInches);
        QCOMPARE(format->bleedInches, base.bleedInches);
        QCOMPARE(format->safeMarginInches, base.safeMarginInches);
        QCOMPARE(format->bindingEdge, base.bindingEdge);
        QCOMPARE(format->bindingDepthInches, base.bindingDepthInches);
        QCOMPARE(format->targetDpi, base.targetDpi);
        QVERIFY(format->validate().ok());
        // It survives the catalog's JSON.
        QCOMPARE(*PrintFormat::fromJson(format->toJson()), *format);
    }

    void shapeLike965()
    {
        const auto format = PrintifyCatalog::formatFromVariants(baseFormat(), shape965(), 103102);
        QVERIFY2(format.ok(), why(format).constData());
        QCOMPARE(format->positions.size(), 13);
        QCOMPARE(format->positions[0], (ImagePosition { QStringLiteral("cover"), 0, QSize(3375, 2625) }));
        QCOMPARE(format->positions[1], (ImagePosition { QStringLiteral("jan"), 1, QSize(3375, 2625) }));
        QCOMPARE(format->positions[9], (ImagePosition { QStringLiteral("sep"), 9, QSize(3375, 2625) }));
        QCOMPARE(format->positions[12], (ImagePosition { QStringLiteral("dec"), 12, QSize(3375, 2625) }));
    }

    void idsAsStrings()
    {
        QJsonObject json = shape965();
        QJsonArray variants = json.value(QStringLiteral("variants")).toArray();
        QJsonObject only = variants.at(0).toObject();
        only.insert(QStringLiteral("id"), QStringLiteral("103102"));
        json.insert(QStringLiteral("variants"), QJsonArray { only });
        QVERIFY(PrintifyCatalog::formatFromVariants(baseFormat(), json, 103102).ok());
    }

    void extraPagesIgnored()
    {
        const QJsonArray extra { placeholder(QStringLiteral("back_cover"), 3375, 2625),
            placeholder(QStringLiteral("Inside-Front-Cover"), 100, 100), placeholder(QStringLiteral("back"), 1, 1) };
        const auto format = PrintifyCatalog::formatFromVariants(baseFormat(), shape965(extra), 103102);
        QVERIFY2(format.ok(), why(format).constData());
        QCOMPARE(format->positions.size(), 13);
        for (const ImagePosition &p : format->positions)
            QVERIFY(!p.id.contains(QLatin1String("back")) && !p.id.contains(QLatin1String("Inside")));
    }

    void unmappableNameRefused()
    {
        const auto format = PrintifyCatalog::formatFromVariants(
            baseFormat(), shape965({ placeholder(QStringLiteral("page_13"), 3375, 2625) }), 103102);
        QVERIFY(!format.ok());
        QCOMPARE(format.error().code, QStringLiteral("unusable_placeholders"));
        QVERIFY2(
            format.error().userMessage.contains(QStringLiteral("page_13")), qPrintable(format.error().userMessage));
    }

    void missingMonth()
    {
        QStringList months = kMonths;
        months.removeAll(QStringLiteral("july"));
        const QJsonObject json = variantsJson(
            234, QJsonArray { variant(94860, placeholders(QStringLiteral("front_cover"), months, 3454, 2725)) });
        const auto format = PrintifyCatalog::formatFromVariants(baseFormat(), json, 94860, 1253);
        QVERIFY(!format.ok());
        QCOMPARE(format.error().code, QStringLiteral("unusable_placeholders"));
        QVERIFY2(format.error().userMessage.contains(QStringLiteral("July")), qPrintable(format.error().userMessage));
        QVERIFY(format.error().userMessage.contains(QStringLiteral("94860")));
        QVERIFY(format.error().userMessage.contains(baseFormat().title));
    }

    void missingCover()
    {
        const QJsonObject json
            = variantsJson(234, QJsonArray { variant(94860, placeholders(QString(), kMonths, 3454, 2725)) });
        const auto format = PrintifyCatalog::formatFromVariants(baseFormat(), json, 94860);
        QVERIFY(!format.ok());
        QCOMPARE(format.error().code, QStringLiteral("unusable_placeholders"));
        QVERIFY2(format.error().userMessage.contains(QStringLiteral("cover")), qPrintable(format.error().userMessage));

        // A configured format without a cover accepts a product without one.
        PrintFormat noCover = baseFormat();
        noCover.positions.removeFirst();
        const auto months = PrintifyCatalog::formatFromVariants(noCover, json, 94860);
        QVERIFY2(months.ok(), why(months).constData());
        QCOMPARE(months->positions.size(), 12);
        QCOMPARE(months->position(0), nullptr);
    }

    void duplicatePage()
    {
        const auto format = PrintifyCatalog::formatFromVariants(
            baseFormat(), shape965({ placeholder(QStringLiteral("January"), 3375, 2625) }), 103102);
        QVERIFY(!format.ok());
        QCOMPARE(format.error().code, QStringLiteral("unusable_placeholders"));
        QVERIFY2(format.error().userMessage.contains(QStringLiteral("jan"))
                && format.error().userMessage.contains(QStringLiteral("January")),
            qPrintable(format.error().userMessage));
        QVERIFY(format.error().detail.contains(QStringLiteral("page 1")));
    }

    void noPixelSize()
    {
        QJsonObject json = shape965();
        QJsonObject only = json.value(QStringLiteral("variants")).toArray().at(0).toObject();
        QJsonArray list = only.value(QStringLiteral("placeholders")).toArray();
        list.replace(3, QJsonObject { { QStringLiteral("position"), QStringLiteral("mar") } });
        only.insert(QStringLiteral("placeholders"), list);
        json.insert(QStringLiteral("variants"), QJsonArray { only });
        const auto format = PrintifyCatalog::formatFromVariants(baseFormat(), json, 103102);
        QVERIFY(!format.ok());
        QCOMPARE(format.error().code, QStringLiteral("unusable_placeholders"));
        QVERIFY(format.error().userMessage.contains(QStringLiteral("mar")));
    }

    void wrongAspect()
    {
        // Portrait pixels for a landscape paper: the configured geometry does not describe this product.
        QJsonObject json = shape965();
        QJsonObject only = json.value(QStringLiteral("variants")).toArray().at(0).toObject();
        QJsonArray list = only.value(QStringLiteral("placeholders")).toArray();
        list.replace(5, placeholder(QStringLiteral("may"), 2625, 3375));
        only.insert(QStringLiteral("placeholders"), list);
        json.insert(QStringLiteral("variants"), QJsonArray { only });
        const auto format = PrintifyCatalog::formatFromVariants(baseFormat(), json, 103102);
        QVERIFY(!format.ok());
        QCOMPARE(format.error().code, QStringLiteral("unusable_placeholders"));
        const QString message = format.error().userMessage;
        QVERIFY2(message.contains(QStringLiteral("“may”")) && message.contains(QStringLiteral("2625 × 3375 px"))
                && message.contains(QStringLiteral("paper")),
            qPrintable(message));

        // All positions square on a landscape paper: refused too (by the same check before validate()).
        const QJsonObject square = variantsJson(
            234, QJsonArray { variant(94859, placeholders(QStringLiteral("front_cover"), kMonths, 2000, 2000)) });
        const auto squareFormat = PrintifyCatalog::formatFromVariants(baseFormat(), square, 94859);
        QVERIFY(!squareFormat.ok());
        QCOMPARE(squareFormat.error().code, QStringLiteral("unusable_placeholders"));

        // Within PrintFormat::AspectTolerance (1253's 3454 × 2725 on 11.25 × 8.75 in) is fine: see blueprint1253.
    }

    void unknownVariant()
    {
        const auto format = PrintifyCatalog::formatFromVariants(baseFormat(), shape1253(), 12345, 1253);
        QVERIFY(!format.ok());
        QCOMPARE(format.error().code, QStringLiteral("variant_unavailable"));
        const QString message = format.error().userMessage;
        QVERIFY2(message.contains(baseFormat().title) && message.contains(QStringLiteral("12345"))
                && message.contains(QStringLiteral("1253")) && message.contains(QStringLiteral("no longer"))
                && message.contains(QStringLiteral("configuration")),
            qPrintable(message));
        QVERIFY(format.error().detail.contains(QStringLiteral("not listed")));

        // Without the blueprint id the provider is named instead.
        const auto unnamed = PrintifyCatalog::formatFromVariants(baseFormat(), shape1253(), 12345);
        QCOMPARE(unnamed.error().code, QStringLiteral("variant_unavailable"));
        QVERIFY(unnamed.error().userMessage.contains(QStringLiteral("print provider 234")));

        // An empty list (a retired blueprint) and a variant marked unavailable.
        QCOMPARE(PrintifyCatalog::formatFromVariants(baseFormat(), variantsJson(234, {}), 94860).error().code,
            QStringLiteral("variant_unavailable"));
        QJsonObject json = shape965();
        QJsonObject only = json.value(QStringLiteral("variants")).toArray().at(0).toObject();
        only.insert(QStringLiteral("is_available"), false);
        json.insert(QStringLiteral("variants"), QJsonArray { only });
        QCOMPARE(PrintifyCatalog::formatFromVariants(baseFormat(), json, 103102).error().code,
            QStringLiteral("variant_unavailable"));
    }

    void notAVariantsList()
    {
        const auto format = PrintifyCatalog::formatFromVariants(baseFormat(), QJsonObject {}, 94860);
        QVERIFY(!format.ok());
        QCOMPARE(format.error().code, QStringLiteral("printify_bad_response"));
    }

    // validate() still guards the geometry it does not get from Printify.
    void invalidBaseGeometry()
    {
        PrintFormat base = baseFormat();
        base.id = QStringLiteral("Not An Id");
        const auto format = PrintifyCatalog::formatFromVariants(base, shape1253(), 94860);
        QVERIFY(!format.ok());
        QCOMPARE(format.error().code, QStringLiteral("unusable_placeholders"));
        QVERIFY2(format.error().detail.contains(QStringLiteral("id")), qPrintable(format.error().detail));
    }

    void pageForPosition_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("page"); // -1: nullopt
        const QStringList abbreviations { QStringLiteral("jan"), QStringLiteral("feb"), QStringLiteral("mar"),
            QStringLiteral("apr"), QStringLiteral("may"), QStringLiteral("jun"), QStringLiteral("jul"),
            QStringLiteral("aug"), QStringLiteral("sep"), QStringLiteral("oct"), QStringLiteral("nov"),
            QStringLiteral("dec") };
        for (int month = 1; month <= 12; ++month) {
            const QString full = kMonths[month - 1];
            QTest::addRow("%s", qPrintable(full)) << full << month;
            QTest::addRow("%s upper", qPrintable(full)) << full.toUpper() << month;
            QTest::addRow("%s title", qPrintable(full)) << (full.left(1).toUpper() + full.mid(1)) << month;
            QTest::addRow("%s", qPrintable(abbreviations[month - 1])) << abbreviations[month - 1] << month;
            QTest::addRow("%s upper", qPrintable(abbreviations[month - 1]))
                << abbreviations[month - 1].toUpper() << month;
            QTest::addRow("month_%d", month) << QStringLiteral("month_%1").arg(month) << month;
            QTest::addRow("month-%d", month) << QStringLiteral("month-%1").arg(month) << month;
            QTest::addRow("month%d", month) << QStringLiteral("month%1").arg(month) << month;
        }
        QTest::newRow("month_01") << QStringLiteral("month_01") << 1;
        QTest::newRow("Month-12") << QStringLiteral("Month-12") << 12;
        QTest::newRow("sept") << QStringLiteral("Sept") << 9;
        QTest::newRow("front_cover") << QStringLiteral("front_cover") << 0;
        QTest::newRow("Front-Cover") << QStringLiteral("Front-Cover") << 0;
        QTest::newRow("front cover") << QStringLiteral(" front cover ") << 0;
        QTest::newRow("cover") << QStringLiteral("cover") << 0;
        QTest::newRow("COVER") << QStringLiteral("COVER") << 0;
        QTest::newRow("front") << QStringLiteral("front") << 0;
        QTest::newRow("back_cover") << QStringLiteral("back_cover") << -1;
        QTest::newRow("back") << QStringLiteral("back") << -1;
        QTest::newRow("month_0") << QStringLiteral("month_0") << -1;
        QTest::newRow("month_13") << QStringLiteral("month_13") << -1;
        QTest::newRow("month") << QStringLiteral("month") << -1;
        QTest::newRow("month_1a") << QStringLiteral("month_1a") << -1;
        QTest::newRow("janu") << QStringLiteral("janu") << -1;
        QTest::newRow("ja") << QStringLiteral("ja") << -1;
        QTest::newRow("january_2027") << QStringLiteral("january_2027") << -1;
        QTest::newRow("13") << QStringLiteral("13") << -1;
        QTest::newRow("empty") << QString() << -1;
        QTest::newRow("page_1") << QStringLiteral("page_1") << -1;
    }

    void pageForPosition()
    {
        QFETCH(QString, name);
        QFETCH(int, page);
        const std::optional<int> result = PrintifyCatalog::pageForPosition(name);
        QCOMPARE(result.value_or(-1), page);
    }

    void extraPositions()
    {
        for (const QString &name : { QStringLiteral("back_cover"), QStringLiteral("back"), QStringLiteral("Back Cover"),
                 QStringLiteral("backcover"), QStringLiteral("inside_front_cover"), QStringLiteral("inner-page") })
            QVERIFY2(PrintifyCatalog::isExtraPosition(name), qPrintable(name));
        for (const QString &name : { QStringLiteral("page_13"), QStringLiteral("bonus"), QStringLiteral("january"),
                 QString(), QStringLiteral("feedback") })
            QVERIFY2(!PrintifyCatalog::isExtraPosition(name), qPrintable(name));
    }
};

QTEST_GUILESS_MAIN(TestPrintifyCatalog)
#include "tst_printifycatalog.moc"
