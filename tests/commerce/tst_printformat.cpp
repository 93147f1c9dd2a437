#include "core/commerce/printformat.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <functional>

using namespace CalStudio;

namespace {

bool fuzzyRect(const QRectF &a, const QRectF &b)
{
    constexpr double eps = 1e-9;
    return std::abs(a.x() - b.x()) < eps && std::abs(a.y() - b.y()) < eps && std::abs(a.width() - b.width()) < eps
        && std::abs(a.height() - b.height()) < eps;
}

/// `outer` contains `inner`, allowing for rounding in the last bits.
bool containsFuzzy(const QRectF &outer, const QRectF &inner)
{
    constexpr double eps = 1e-9;
    return inner.left() >= outer.left() - eps && inner.top() >= outer.top() - eps
        && inner.right() <= outer.right() + eps && inner.bottom() <= outer.bottom() + eps;
}

QString rectText(const QRectF &r)
{
    return QStringLiteral("(%1, %2, %3 × %4)").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
}

/// A shop's format: Printify-like positions of 3454 × 2725 px, not 300 DPI on the nose.
PrintFormat shopFormat()
{
    PrintFormat f;
    f.id = QStringLiteral("printify-wall");
    f.title = QStringLiteral("Wall calendar (shop)");
    f.trimInches = QSizeF(11.25, 8.75);
    f.bleedInches = 0.125;
    f.safeMarginInches = 0.25;
    f.bindingEdge = PrintFormat::BindingEdge::Top;
    f.bindingDepthInches = 0.5;
    f.targetDpi = 300;
    for (int page = 0; page <= 12; ++page)
        f.positions.append({ QStringLiteral("pos-%1").arg(page), page, QSize(3454, 2725) });
    return f;
}

using Mutation = std::function<void(PrintFormat &)>;

} // namespace

Q_DECLARE_METATYPE(Mutation)

class TestPrintFormat : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void builtInFormats_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QSizeF>("trim");
        QTest::addColumn<QSize>("pixels");
        QTest::newRow("wall-landscape") << QStringLiteral("wall-landscape") << QSizeF(11, 8.5) << QSize(3375, 2625);
        QTest::newRow("wall-portrait") << QStringLiteral("wall-portrait") << QSizeF(8.5, 11) << QSize(2625, 3375);
        QTest::newRow("square") << QStringLiteral("square") << QSizeF(12, 12) << QSize(3675, 3675);
    }
    void builtInFormats()
    {
        QFETCH(QString, id);
        QFETCH(QSizeF, trim);
        QFETCH(QSize, pixels);
        const auto format = PrintFormat::find(id);
        QVERIFY(format);
        QCOMPARE(format->id, id);
        QVERIFY(!format->title.isEmpty());
        QCOMPARE(format->trimInches, trim);
        QCOMPARE(format->bleedInches, 0.125);
        QCOMPARE(format->safeMarginInches, 0.25);
        QCOMPARE(format->bindingEdge, PrintFormat::BindingEdge::Top);
        QCOMPARE(format->bindingDepthInches, 0.5);
        QCOMPARE(format->targetDpi, 300);
        QCOMPARE(format->positions.size(), 13);
        for (int page = 0; page <= 12; ++page) {
            const ImagePosition *p = format->position(page);
            QVERIFY(p);
            QCOMPARE(p->page, page);
            QCOMPARE(p->pixels, pixels);
            QCOMPARE(p->id,
                page == 0 ? QStringLiteral("cover") : QStringLiteral("month-%1").arg(page, 2, 10, QLatin1Char('0')));
            QCOMPARE(format->pixelsPerInch(page), QSizeF(300, 300));
        }
        QVERIFY(!format->position(13));
        QVERIFY(!format->position(-1));
        const Status valid = format->validate();
        QVERIFY2(valid, qPrintable(valid.error().toString()));
    }

    void builtInListAndFind()
    {
        QStringList ids;
        for (const PrintFormat &f : PrintFormat::builtIn())
            ids.append(f.id);
        QCOMPARE(ids,
            (QStringList {
                QStringLiteral("wall-landscape"), QStringLiteral("wall-portrait"), QStringLiteral("square") }));
        QVERIFY(!PrintFormat::find(QStringLiteral("poster")));
        QVERIFY(!PrintFormat::find(QString()));
    }

    // Geometry in each position's pixels. Built-in: 300 px per inch, bleed
    // 37.5 px, safe margin 75 px inside the trim, hanger zone 0.625 in from
    // the image's top edge (bleed + 0.5 in).
    void geometry_data()
    {
        QTest::addColumn<PrintFormat>("format");
        QTest::addColumn<int>("page");
        QTest::addColumn<QRectF>("bleed");
        QTest::addColumn<QRectF>("trim");
        QTest::addColumn<QRectF>("safe");
        QTest::addColumn<QRectF>("binding");
        QTest::addColumn<QRectF>("clear");

        QTest::newRow("wall-landscape month")
            << *PrintFormat::find(QStringLiteral("wall-landscape")) << 1 << QRectF(0, 0, 3375, 2625)
            << QRectF(37.5, 37.5, 3300, 2550) << QRectF(112.5, 112.5, 3150, 2400) << QRectF(0, 0, 3375, 187.5)
            << QRectF(112.5, 187.5, 3150, 2325);
        QTest::newRow("wall-portrait cover")
            << *PrintFormat::find(QStringLiteral("wall-portrait")) << 0 << QRectF(0, 0, 2625, 3375)
            << QRectF(37.5, 37.5, 2550, 3300) << QRectF(112.5, 112.5, 2400, 3150) << QRectF(0, 0, 2625, 187.5)
            << QRectF(112.5, 187.5, 2400, 3075);
        QTest::newRow("square month 12") << *PrintFormat::find(QStringLiteral("square")) << 12
                                         << QRectF(0, 0, 3675, 3675) << QRectF(37.5, 37.5, 3600, 3600)
                                         << QRectF(112.5, 112.5, 3450, 3450) << QRectF(0, 0, 3675, 187.5)
                                         << QRectF(112.5, 187.5, 3450, 3375);

        // 3454 px over 11.5 in and 2725 px over 9 in: each axis scaled by its own pixels per inch.
        const double px = 3454 / 11.5, py = 2725 / 9.0;
        QTest::newRow("shop position, own ppi")
            << shopFormat() << 3 << QRectF(0, 0, 3454, 2725) << QRectF(0.125 * px, 0.125 * py, 11.25 * px, 8.75 * py)
            << QRectF(0.375 * px, 0.375 * py, 10.75 * px, 8.25 * py) << QRectF(0, 0, 3454, 0.625 * py)
            << QRectF(0.375 * px, 0.625 * py, 10.75 * px, 8.0 * py);

        PrintFormat left = *PrintFormat::find(QStringLiteral("wall-portrait"));
        left.bindingEdge = PrintFormat::BindingEdge::Left;
        left.bindingDepthInches = 0.75;
        QTest::newRow("left binding") << left << 5 << QRectF(0, 0, 2625, 3375) << QRectF(37.5, 37.5, 2550, 3300)
                                      << QRectF(112.5, 112.5, 2400, 3150) << QRectF(0, 0, 262.5, 3375)
                                      << QRectF(262.5, 112.5, 2250, 3150);

        PrintFormat none = *PrintFormat::find(QStringLiteral("square"));
        none.bindingEdge = PrintFormat::BindingEdge::None;
        none.bindingDepthInches = 0;
        QTest::newRow("no binding") << none << 7 << QRectF(0, 0, 3675, 3675) << QRectF(37.5, 37.5, 3600, 3600)
                                    << QRectF(112.5, 112.5, 3450, 3450) << QRectF() << QRectF(112.5, 112.5, 3450, 3450);
    }
    void geometry()
    {
        QFETCH(PrintFormat, format);
        QFETCH(int, page);
        QFETCH(QRectF, bleed);
        QFETCH(QRectF, trim);
        QFETCH(QRectF, safe);
        QFETCH(QRectF, binding);
        QFETCH(QRectF, clear);
        QVERIFY(format.validate());
        QVERIFY2(fuzzyRect(format.bleedBox(page), bleed), qPrintable(rectText(format.bleedBox(page))));
        QVERIFY2(fuzzyRect(format.trimRect(page), trim), qPrintable(rectText(format.trimRect(page))));
        QVERIFY2(fuzzyRect(format.safeRect(page), safe), qPrintable(rectText(format.safeRect(page))));
        QVERIFY2(fuzzyRect(format.bindingRect(page), binding), qPrintable(rectText(format.bindingRect(page))));
        QVERIFY2(fuzzyRect(format.clearRect(page), clear), qPrintable(rectText(format.clearRect(page))));
        // Nesting: clear ⊂ safe ⊂ trim ⊂ bleed box, and clear is out of the binding zone.
        QVERIFY(containsFuzzy(format.bleedBox(page), format.trimRect(page)));
        QVERIFY(containsFuzzy(format.trimRect(page), format.safeRect(page)));
        QVERIFY(containsFuzzy(format.safeRect(page), format.clearRect(page)));
        QVERIFY(format.clearRect(page).intersected(format.bindingRect(page)).height() < 1e-9);
    }

    void geometryOfAMissingPageIsEmpty()
    {
        PrintFormat f = *PrintFormat::find(QStringLiteral("wall-landscape"));
        f.positions.removeFirst(); // no cover
        QVERIFY(f.validate());
        QVERIFY(!f.position(0));
        QVERIFY(f.pixelsPerInch(0).isEmpty());
        QVERIFY(f.bleedBox(0).isEmpty());
        QVERIFY(f.trimRect(0).isEmpty());
        QVERIFY(f.safeRect(0).isEmpty());
        QVERIFY(f.bindingRect(0).isEmpty());
        QVERIFY(f.clearRect(0).isEmpty());
    }

    void jsonRoundTrip_data()
    {
        QTest::addColumn<PrintFormat>("format");
        for (const PrintFormat &f : PrintFormat::builtIn())
            QTest::newRow(qPrintable(f.id)) << f;
        QTest::newRow("shop") << shopFormat();
        PrintFormat noCover = shopFormat();
        noCover.positions.removeFirst();
        noCover.bindingEdge = PrintFormat::BindingEdge::None;
        noCover.bindingDepthInches = 0;
        QTest::newRow("no cover, no binding") << noCover;
    }
    void jsonRoundTrip()
    {
        QFETCH(PrintFormat, format);
        const QJsonObject json = format.toJson();
        // Through text, as the companion's catalog carries it.
        const QJsonObject parsed = QJsonDocument::fromJson(QJsonDocument(json).toJson()).object();
        const auto back = PrintFormat::fromJson(parsed);
        QVERIFY2(back, qPrintable(back ? QString() : back.error().toString()));
        QCOMPARE(*back, format);
    }

    // The keys are a contract with the companion server and scripts.
    void jsonKeysAreStable()
    {
        const QJsonObject json = PrintFormat::find(QStringLiteral("wall-landscape"))->toJson();
        QStringList keys = json.keys();
        keys.sort();
        QCOMPARE(keys,
            (QStringList { QStringLiteral("binding_depth_in"), QStringLiteral("binding_edge"),
                QStringLiteral("bleed_in"), QStringLiteral("dpi"), QStringLiteral("id"), QStringLiteral("positions"),
                QStringLiteral("safe_margin_in"), QStringLiteral("title"), QStringLiteral("trim_height_in"),
                QStringLiteral("trim_width_in") }));
        QCOMPARE(json.value(QStringLiteral("id")).toString(), QStringLiteral("wall-landscape"));
        QCOMPARE(json.value(QStringLiteral("trim_width_in")).toDouble(), 11.0);
        QCOMPARE(json.value(QStringLiteral("trim_height_in")).toDouble(), 8.5);
        QCOMPARE(json.value(QStringLiteral("bleed_in")).toDouble(), 0.125);
        QCOMPARE(json.value(QStringLiteral("safe_margin_in")).toDouble(), 0.25);
        QCOMPARE(json.value(QStringLiteral("binding_edge")).toString(), QStringLiteral("top"));
        QCOMPARE(json.value(QStringLiteral("binding_depth_in")).toDouble(), 0.5);
        QCOMPARE(json.value(QStringLiteral("dpi")).toInt(), 300);
        const QJsonArray positions = json.value(QStringLiteral("positions")).toArray();
        QCOMPARE(positions.size(), 13);
        const QJsonObject cover = positions.first().toObject();
        QCOMPARE(cover.value(QStringLiteral("id")).toString(), QStringLiteral("cover"));
        QCOMPARE(cover.value(QStringLiteral("page")).toInt(), 0);
        QCOMPARE(cover.value(QStringLiteral("width")).toInt(), 3375);
        QCOMPARE(cover.value(QStringLiteral("height")).toInt(), 2625);
        QCOMPARE(positions.last().toObject().value(QStringLiteral("id")).toString(), QStringLiteral("month-12"));
    }

    void jsonIgnoresUnknownKeysAndSortsPositions()
    {
        QJsonObject json = shopFormat().toJson();
        json.insert(QStringLiteral("price"), 24.5);
        QJsonArray reversed;
        for (const QJsonValue &p : json.value(QStringLiteral("positions")).toArray())
            reversed.prepend(p);
        json.insert(QStringLiteral("positions"), reversed);
        const auto back = PrintFormat::fromJson(json);
        QVERIFY(back);
        QCOMPARE(*back, shopFormat());
    }

    void validationNamesTheProblem_data()
    {
        QTest::addColumn<Mutation>("mutate");
        QTest::addColumn<QString>("detail");
        QTest::newRow("empty id") << Mutation([](PrintFormat &f) { f.id.clear(); }) << QStringLiteral("id");
        QTest::newRow("id with spaces") << Mutation([](PrintFormat &f) { f.id = QStringLiteral("Wall Calendar"); })
                                        << QStringLiteral("id \"Wall Calendar\"");
        QTest::newRow("no title") << Mutation([](PrintFormat &f) { f.title = QStringLiteral("  "); })
                                  << QStringLiteral("title is empty");
        QTest::newRow("no trim") << Mutation([](PrintFormat &f) { f.trimInches = QSizeF(0, 8.5); })
                                 << QStringLiteral("trim 0 × 8.5 in");
        QTest::newRow("huge trim") << Mutation([](PrintFormat &f) { f.trimInches = QSizeF(1100, 850); })
                                   << QStringLiteral("trim 1100 × 850 in");
        QTest::newRow("negative bleed") << Mutation([](PrintFormat &f) { f.bleedInches = -0.1; })
                                        << QStringLiteral("bleed -0.1 in");
        QTest::newRow("safe margin fills the page") << Mutation([](PrintFormat &f) {
            f.trimInches = QSizeF(4, 3);
            f.safeMarginInches = 1.5;
        }) << QStringLiteral("safe margin 1.5 in");
        QTest::newRow("binding depth without edge")
            << Mutation([](PrintFormat &f) { f.bindingEdge = PrintFormat::BindingEdge::None; })
            << QStringLiteral("with binding edge none");
        QTest::newRow("binding edge without depth") << Mutation([](PrintFormat &f) { f.bindingDepthInches = 0; })
                                                    << QStringLiteral("binding depth 0 in at top");
        QTest::newRow("dpi too low") << Mutation([](PrintFormat &f) { f.targetDpi = 10; }) << QStringLiteral("dpi 10");
        QTest::newRow("missing month") << Mutation([](PrintFormat &f) { f.positions.removeAt(7); })
                                       << QStringLiteral("no position for month 7");
        QTest::newRow("page twice") << Mutation([](PrintFormat &f) { f.positions[2].page = 1; })
                                    << QStringLiteral("page 1 appears twice");
        QTest::newRow("page 13") << Mutation([](PrintFormat &f) { f.positions[12].page = 13; })
                                 << QStringLiteral("page 13");
        QTest::newRow("id twice") << Mutation([](PrintFormat &f) { f.positions[2].id = f.positions[1].id; })
                                  << QStringLiteral("is empty or repeated");
        QTest::newRow("no pixels") << Mutation([](PrintFormat &f) { f.positions[4].pixels = QSize(0, 2625); })
                                   << QStringLiteral("page 4 is 0 × 2625 px");
        QTest::newRow("portrait pixels on landscape paper")
            << Mutation([](PrintFormat &f) { f.positions[5].pixels = QSize(2625, 3375); })
            << QStringLiteral("page 5 is 2625 × 3375 px");
    }
    void validationNamesTheProblem()
    {
        QFETCH(Mutation, mutate);
        QFETCH(QString, detail);
        PrintFormat f = *PrintFormat::find(QStringLiteral("wall-landscape"));
        mutate(f);
        const Status st = f.validate();
        QVERIFY(!st);
        QCOMPARE(st.error().code, QStringLiteral("invalid_format"));
        QVERIFY2(st.error().detail.contains(detail), qPrintable(st.error().detail));
        QVERIFY(st.error().userMessage.contains(QStringLiteral("cannot be used")));
        // The same problem arriving as JSON is refused the same way.
        const auto fromJson = PrintFormat::fromJson(f.toJson());
        QVERIFY(!fromJson);
        QCOMPARE(fromJson.error().code, QStringLiteral("invalid_format"));
    }

    void badJson_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("detail");
        const QJsonObject good = PrintFormat::find(QStringLiteral("square"))->toJson();
        const auto without = [&](const QString &key) {
            QJsonObject o = good;
            o.remove(key);
            return QJsonDocument(o).toJson(QJsonDocument::Compact);
        };
        const auto with = [&](const QString &key, const QJsonValue &value) {
            QJsonObject o = good;
            o.insert(key, value);
            return QJsonDocument(o).toJson(QJsonDocument::Compact);
        };
        QTest::newRow("empty object") << QByteArray("{}") << QStringLiteral("\"trim_width_in\" is missing");
        QTest::newRow("no bleed") << without(QStringLiteral("bleed_in")) << QStringLiteral("\"bleed_in\" is missing");
        QTest::newRow("trim as text") << with(QStringLiteral("trim_height_in"), QStringLiteral("12"))
                                      << QStringLiteral("\"trim_height_in\" is missing or not a number");
        QTest::newRow("fractional dpi") << with(QStringLiteral("dpi"), 299.5) << QStringLiteral("dpi 299.5");
        QTest::newRow("unknown edge") << with(QStringLiteral("binding_edge"), QStringLiteral("bottom"))
                                      << QStringLiteral("binding_edge \"bottom\"");
        QTest::newRow("no positions") << without(QStringLiteral("positions")) << QStringLiteral("\"positions\"");
        QTest::newRow("position without size") << with(QStringLiteral("positions"),
            QJsonArray {
                QJsonObject { { QStringLiteral("id"), QStringLiteral("cover") }, { QStringLiteral("page"), 0 } } })
                                               << QStringLiteral("whole-number");
        QTest::newRow("fractional pixels") << with(QStringLiteral("positions"),
            QJsonArray { QJsonObject { { QStringLiteral("id"), QStringLiteral("cover") }, { QStringLiteral("page"), 0 },
                { QStringLiteral("width"), 3675.5 }, { QStringLiteral("height"), 3675 } } })
                                           << QStringLiteral("whole-number");
        QTest::newRow("months missing") << with(QStringLiteral("positions"),
            QJsonArray { QJsonObject { { QStringLiteral("id"), QStringLiteral("cover") }, { QStringLiteral("page"), 0 },
                { QStringLiteral("width"), 3675 }, { QStringLiteral("height"), 3675 } } })
                                        << QStringLiteral("no position for month 1");
        QTest::newRow("absurd pixels") << with(QStringLiteral("positions"),
            QJsonArray { QJsonObject { { QStringLiteral("id"), QStringLiteral("cover") }, { QStringLiteral("page"), 0 },
                { QStringLiteral("width"), 1e12 }, { QStringLiteral("height"), 1e12 } } })
                                       << QStringLiteral("allowed 1–30000");
    }
    void badJson()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, detail);
        const auto f = PrintFormat::fromJson(QJsonDocument::fromJson(json).object());
        QVERIFY(!f);
        QCOMPARE(f.error().code, QStringLiteral("invalid_format"));
        QVERIFY2(f.error().detail.contains(detail), qPrintable(f.error().detail));
    }

    void bindingEdgeIds()
    {
        for (auto edge :
            { PrintFormat::BindingEdge::None, PrintFormat::BindingEdge::Top, PrintFormat::BindingEdge::Left })
            QCOMPARE(PrintFormat::bindingEdgeFromId(PrintFormat::bindingEdgeId(edge)), edge);
        QVERIFY(!PrintFormat::bindingEdgeFromId(QStringLiteral("Top")));
    }
};

QTEST_GUILESS_MAIN(TestPrintFormat)
#include "tst_printformat.moc"
