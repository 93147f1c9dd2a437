#include "core/calendar/pagecomposer.h"

#include <QDir>
#include <QTest>

using namespace CalStudio;

namespace {

MonthPageContent content(const QString &locale = QStringLiteral("en_US"), int year = 2027, int month = 10)
{
    MonthPageContent c;
    c.locale = QLocale(locale);
    c.grid = MonthGrid::build(year, month, Qt::Monday);
    c.placeholderTitle = QStringLiteral("Autumn leaves");
    return c;
}

/// How many pixels in `rect` are within `tolerance` of `color`.
int countColor(const QImage &image, const QRectF &rect, const QColor &color, int tolerance = 40)
{
    int n = 0;
    const QRect r = rect.toAlignedRect().intersected(image.rect());
    for (int y = r.top(); y <= r.bottom(); ++y) {
        for (int x = r.left(); x <= r.right(); ++x) {
            const QColor p = image.pixelColor(x, y);
            if (qAbs(p.red() - color.red()) + qAbs(p.green() - color.green()) + qAbs(p.blue() - color.blue())
                <= tolerance)
                ++n;
        }
    }
    return n;
}

void saveForInspection(const QImage &image, const QString &name)
{
    const QString dir = qEnvironmentVariable("CALSTUDIO_BUILD_DIR") + QStringLiteral("/screenshots");
    QDir().mkpath(dir);
    image.save(dir + QLatin1Char('/') + name);
}

} // namespace

class TestPageComposer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void geometryIsSound_data()
    {
        QTest::addColumn<int>("layout");
        QTest::addColumn<QSize>("size");
        for (PageLayout l : allPageLayouts()) {
            const QByteArray id = pageLayoutId(l).toUtf8();
            QTest::addRow("%s portrait", id.constData()) << int(l) << QSize(2550, 3300);
            QTest::addRow("%s landscape", id.constData()) << int(l) << QSize(3300, 2550);
            QTest::addRow("%s thumbnail", id.constData()) << int(l) << QSize(300, 300);
        }
    }
    void geometryIsSound()
    {
        QFETCH(int, layout);
        QFETCH(QSize, size);
        const PageComposer composer(PageLayout(layout), PageTheme::find(QStringLiteral("classic")));
        MonthPageContent c = content();
        c.weekNumbers = true;
        c.notesLine = true;
        const QRectF page(QPointF(0, 0), QSizeF(size));
        const auto g = composer.monthGeometry(page, c);
        QCOMPARE(g.rows, c.grid.rowCount());
        for (const QRectF &r : {g.photo, g.band, g.title, g.weekdays, g.grid, g.notes, g.weekNumbers}) {
            QVERIFY(!r.isEmpty());
            QVERIFY(page.contains(r));
        }
        QVERIFY(g.band.contains(g.grid));
        QVERIFY(g.title.bottom() <= g.weekdays.top() + 0.001);
        QVERIFY(g.weekdays.bottom() <= g.grid.top() + 0.001);
        if (PageLayout(layout) != PageLayout::FullBleed)
            QVERIFY(!g.photo.intersects(g.band));
        // Cells tile the grid without overlapping.
        qreal area = 0;
        for (int r = 0; r < g.rows; ++r)
            for (int col = 0; col < 7; ++col) {
                const QRectF cell = g.cell(r, col);
                QVERIFY(g.grid.adjusted(-0.01, -0.01, 0.01, 0.01).contains(cell));
                area += cell.width() * cell.height();
                if (col > 0)
                    QVERIFY(!cell.intersects(g.cell(r, col - 1).adjusted(0.01, 0.01, -0.01, -0.01)));
            }
        QVERIFY(qAbs(area - g.grid.width() * g.grid.height()) < 1.0);
    }

    void rightToLeftMirrorsTheGrid()
    {
        const PageComposer composer(PageLayout::SideBySide, PageTheme::builtIn().first());
        const QRectF page(0, 0, 3300, 2550);
        const auto ltr = composer.monthGeometry(page, content(QStringLiteral("en_US")));
        const auto rtl = composer.monthGeometry(page, content(QStringLiteral("ar_EG")));
        QCOMPARE(rtl.direction, Qt::RightToLeft);
        QVERIFY(ltr.cell(0, 0).left() < ltr.cell(0, 6).left());
        QVERIFY(rtl.cell(0, 0).left() > rtl.cell(0, 6).left());
        // The photo moves to the reading side too.
        QVERIFY(ltr.photo.left() < ltr.band.left());
        QVERIFY(rtl.photo.left() > rtl.band.left());
    }

    void drawsPhotoOrPlaceholder()
    {
        const PageTheme theme = PageTheme::find(QStringLiteral("classic"));
        const PageComposer composer(PageLayout::PhotoAbove, theme);
        MonthPageContent c = content();
        const QSize size(850, 1100);
        const auto g = composer.monthGeometry(QRectF(QPointF(0, 0), QSizeF(size)), c);

        const QImage placeholder = composer.renderMonth(size, c);
        QCOMPARE(countColor(placeholder, g.photo, Qt::red), 0);
        QVERIFY(countColor(placeholder, g.photo, theme.paper, 10) < g.photo.width() * g.photo.height() / 2);

        QImage red(400, 300, QImage::Format_RGB32);
        red.fill(Qt::red);
        c.photo = red;
        const QImage withPhoto = composer.renderMonth(size, c);
        // The photo fills its whole area (cover fit), whatever its aspect.
        QVERIFY(countColor(withPhoto, g.photo.adjusted(2, 2, -2, -2), Qt::red)
                >= int((g.photo.width() - 4) * (g.photo.height() - 4) * 0.99));
        QCOMPARE(countColor(withPhoto, g.band, Qt::red), 0);
        saveForInspection(withPhoto, QStringLiteral("page-photo-above.png"));
    }

    void holidaysAndPersonalDatesAreInTheirCells()
    {
        const PageTheme theme = PageTheme::find(QStringLiteral("classic"));
        const PageComposer composer(PageLayout::PhotoAbove, theme);
        MonthPageContent c = content(QStringLiteral("de_DE"));
        c.marks = {{QDate(2027, 10, 3), QStringLiteral("Tag der Deutschen Einheit"), true},
                   {QDate(2027, 10, 14), QStringLiteral("Anna wird 37"), false}};
        const QSize size(1700, 2200);
        const QImage image = composer.renderMonth(size, c);
        saveForInspection(image, QStringLiteral("page-de-october.png"));
        const auto g = composer.monthGeometry(QRectF(QPointF(0, 0), QSizeF(size)), c);

        auto cellOf = [&](const QDate &d) {
            for (int r = 0; r < g.rows; ++r)
                for (int col = 0; col < 7; ++col)
                    if (c.grid.weeks().at(r).at(size_t(col)) == d)
                        return g.cell(r, col);
            return QRectF();
        };
        // The holiday's cell is drawn in the accent colour; an ordinary weekday's is not.
        QVERIFY(countColor(image, cellOf(QDate(2027, 10, 3)), theme.accent) > 50);
        QCOMPARE(countColor(image, cellOf(QDate(2027, 10, 6)), theme.accent), 0);
        // The personal date's text is drawn in its cell (ink below the number).
        const QRectF personal = cellOf(QDate(2027, 10, 14));
        const QRectF lower(personal.left(), personal.top() + personal.height() * 0.45, personal.width(),
                           personal.height() * 0.5);
        QVERIFY(countColor(image, lower, theme.ink, 120) > 20);
        const QRectF plain = cellOf(QDate(2027, 10, 13));
        QCOMPARE(countColor(image, QRectF(plain.left(), plain.top() + plain.height() * 0.45, plain.width(),
                                          plain.height() * 0.5),
                            theme.ink, 120),
                 0);
    }

    void sameDesignAtEverySize()
    {
        const PageComposer composer(PageLayout::FullBleed, PageTheme::find(QStringLiteral("night")));
        const auto small = composer.monthGeometry(QRectF(0, 0, 330, 255), content());
        const auto large = composer.monthGeometry(QRectF(0, 0, 3300, 2550), content());
        QVERIFY(qAbs(large.grid.width() / small.grid.width() - 10.0) < 0.001);
        QVERIFY(qAbs(large.cell(2, 3).top() / small.cell(2, 3).top() - 10.0) < 0.001);
    }

    void coverShowsTitle()
    {
        const PageTheme theme = PageTheme::find(QStringLiteral("warm"));
        const PageComposer composer(PageLayout::PhotoAbove, theme);
        CoverPageContent cover{QStringLiteral("Family 2027"), QStringLiteral("July 2027 – June 2028"), {}, {},
                               QLocale(QStringLiteral("en_US"))};
        const QImage image = composer.renderCover(QSize(1275, 1650), cover);
        saveForInspection(image, QStringLiteral("cover.png"));
        // Title text in the accent colour below the picture.
        QVERIFY(countColor(image, QRectF(0, 1650 * 0.75, 1275, 1650 * 0.25), theme.accent) > 200);
    }

    void layoutIds()
    {
        for (PageLayout l : allPageLayouts())
            QCOMPARE(pageLayoutFromId(pageLayoutId(l)), l);
        QVERIFY(!pageLayoutFromId(QStringLiteral("collage")));
        QCOMPARE(PageTheme::find(QStringLiteral("no-such-theme")).id, PageTheme::builtIn().first().id);
    }
};

QTEST_MAIN(TestPageComposer)
#include "tst_pagecomposer.moc"
