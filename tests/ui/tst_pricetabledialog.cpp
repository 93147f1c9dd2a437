// Edit ▸ Image Prices…: the built-in prices listed, a price edited in the
// dialog and saved changes the estimates, models and size tiers added,
// invalid input shown in the dialog with nothing saved, Restore Built-in
// Prices, Cancel, a damaged user file, and the menu action.
#include "uitestsupport.h"
#include "core/generation/httppricetable.h"
#include "core/generation/providercatalog.h"
#include "ui/mainwindow.h"
#include "ui/pricetabledialog.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPointer>
#include <QPushButton>
#include <QQmlEngineExtensionPlugin>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

Q_IMPORT_QML_PLUGIN(CalendarStudioPlugin)

using namespace CalStudio;
using CalStudio::UiTestSupport::screenshotDir;

namespace {

const QString kProKey = QStringLiteral("gemini/gemini-3-pro-image");
const QString kGemini = QStringLiteral("gemini");
const QString kPro = QStringLiteral("gemini-3-pro-image");
const QSize kSmall(1024, 1024);
const QSize kLarge(4096, 4096);

template<typename T>
T *child(QWidget *parent, const QString &name)
{
    T *widget = parent->findChild<T *>(name);
    if (!widget)
        qWarning("missing widget %s", qPrintable(name));
    return widget;
}

/// Types `text` into a cell the way a user does: open the editor, replace its text, press Return.
bool typeInto(QTableWidget *table, int row, int column, const QString &text)
{
    QTableWidgetItem *item = table->item(row, column);
    if (!item)
        return false;
    table->setCurrentCell(row, column);
    table->setFocus();
    table->editItem(item);
    auto *editor = qobject_cast<QLineEdit *>(table->indexWidget(table->model()->index(row, column)));
    if (!editor)
        return false;
    editor->selectAll();
    QTest::keyClick(editor, Qt::Key_Delete);
    QTest::keyClicks(editor, text);
    QTest::keyClick(editor, Qt::Key_Return);
    return QTest::qWaitFor([&] { return table->item(row, column)->text() == text; });
}

struct Opened {
    PriceTableDialog dialog;
    QTableWidget *models = dialog.modelTable();
    QTableWidget *tiers = dialog.tierTable();

    Opened()
    {
        dialog.show();
        QApplication::setActiveWindow(&dialog);
    }
    QString summary(const QString &key) const
    {
        return models->item(dialog.rowOf(key), PriceTableDialog::PriceColumn)->text();
    }
    QString source(const QString &key) const
    {
        return models->item(dialog.rowOf(key), PriceTableDialog::SourceColumn)->text();
    }
    void select(const QString &key) const
    {
        models->setCurrentCell(dialog.rowOf(key), PriceTableDialog::ModelIdColumn);
    }
    void save() { child<QPushButton>(&dialog, QStringLiteral("saveButton"))->click(); }
};

int builtInCount()
{
    return int(HttpPriceTable::builtIn().value(QStringLiteral("models")).toObject().size());
}

} // namespace

class TestPriceTableDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("CalendarStudioTest"));
        QCoreApplication::setApplicationName(QStringLiteral("Calendar Studio PriceTableDialog Test"));
        QVERIFY(qEnvironmentVariableIsSet("XDG_CONFIG_HOME")); // a private config folder (tests/CMakeLists.txt)
    }

    void init() { QVERIFY(HttpPriceTable::resetUserTable().ok()); }

    void cleanupTestCase() { QVERIFY(HttpPriceTable::resetUserTable().ok()); }

    void listsBuiltInPrices()
    {
        Opened o;
        QCOMPARE(o.dialog.windowTitle(), QStringLiteral("Image Prices"));
        QCOMPARE(o.models->rowCount(), builtInCount());
        QCOMPARE(o.summary(kProKey), QStringLiteral("\u2264 3200 px: $0.134; larger: $0.24"));
        QCOMPARE(o.summary(QStringLiteral("gemini/gemini-2.5-flash-image")), QStringLiteral("any size: $0.039"));
        QCOMPARE(o.source(kProKey), QStringLiteral("Built-in"));
        QCOMPARE(
            o.models->item(o.dialog.rowOf(kProKey), PriceTableDialog::ServiceColumn)->text(), QStringLiteral("Gemini"));
        QCOMPARE(o.models->item(o.dialog.rowOf(kProKey), PriceTableDialog::ModelIdColumn)->text(), kPro);
        // Built-in models cannot be renamed or removed, only re-priced.
        o.select(kProKey);
        QVERIFY(
            !(o.models->item(o.dialog.rowOf(kProKey), PriceTableDialog::ModelIdColumn)->flags() & Qt::ItemIsEditable));
        QVERIFY(!child<QPushButton>(&o.dialog, QStringLiteral("removeModel"))->isEnabled());
        QCOMPARE(o.tiers->rowCount(), 2);
        QCOMPARE(o.tiers->item(0, PriceTableDialog::MaxEdgeColumn)->text(), QStringLiteral("3200"));
        QCOMPARE(o.tiers->item(0, PriceTableDialog::UsdColumn)->text(), QStringLiteral("0.134"));
        QCOMPARE(o.tiers->item(1, PriceTableDialog::MaxEdgeColumn)->text(), QString());
        QCOMPARE(o.tiers->item(1, PriceTableDialog::UsdColumn)->text(), QStringLiteral("0.24"));
        // The note: estimates only, and where the built-in prices come from.
        const QString note = child<QLabel>(&o.dialog, QStringLiteral("noteLabel"))->text();
        QVERIFY(note.contains(QStringLiteral("what the image service bills you is what counts")));
        QVERIFY(note.contains(HttpPriceTable::builtIn().value(QStringLiteral("about")).toString()));
        QVERIFY(o.dialog.errorText().isEmpty());
        QVERIFY(o.dialog.grab().save(screenshotDir() + QStringLiteral("/pricetabledialog.png")));
    }

    void editPriceSavesAndEstimateChanges()
    {
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kLarge), 0.24);
        {
            Opened o;
            QSignalSpy changed(&o.dialog, &PriceTableDialog::pricesChanged);
            o.select(kProKey);
            QVERIFY(typeInto(o.tiers, 1, PriceTableDialog::UsdColumn, QStringLiteral("0.3")));
            QVERIFY(o.dialog.isVisible()); // Return finished the cell, it did not save and close
            QCOMPARE(o.summary(kProKey), QStringLiteral("\u2264 3200 px: $0.134; larger: $0.3"));
            QCOMPARE(o.source(kProKey), QStringLiteral("Your price"));
            QVERIFY(!QFileInfo::exists(HttpPriceTable::userTablePath())); // nothing saved before Save
            o.save();
            QCOMPARE(o.dialog.result(), int(QDialog::Accepted));
            QVERIFY(!o.dialog.isVisible());
            QCOMPARE(changed.count(), 1);
        }
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kLarge), 0.3);
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kSmall), 0.134);
        // Only what differs from the built-in table is saved, so other models follow future built-in prices.
        QCOMPARE(
            HttpPriceTable::userTable().value(QStringLiteral("models")).toObject().keys(), QStringList { kProKey });

        // Reopened: the user's price is shown as such.
        Opened again;
        QCOMPARE(again.summary(kProKey), QStringLiteral("\u2264 3200 px: $0.134; larger: $0.3"));
        QCOMPARE(again.source(kProKey), QStringLiteral("Your price"));
    }

    void saveTakesTheCellBeingEdited()
    {
        Opened o;
        o.select(kProKey);
        o.tiers->setCurrentCell(0, PriceTableDialog::UsdColumn);
        o.tiers->setFocus();
        o.tiers->editItem(o.tiers->item(0, PriceTableDialog::UsdColumn));
        auto *editor = qobject_cast<QLineEdit *>(o.tiers->indexWidget(o.tiers->model()->index(0, 1)));
        QVERIFY(editor);
        editor->selectAll();
        QTest::keyClicks(editor, QStringLiteral("0.2"));
        o.save(); // as with the Save shortcut: the editor is still open
        QCOMPARE(o.dialog.result(), int(QDialog::Accepted));
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kSmall), 0.2);
    }

    void addModelWithSizes()
    {
        const QString model = QStringLiteral("acme/painter-2");
        QVERIFY(!ProviderCatalog::find(QStringLiteral("replicate"))->models.contains(model));
        {
            Opened o;
            QTest::mouseClick(child<QPushButton>(&o.dialog, QStringLiteral("addModel")), Qt::LeftButton);
            const int row = o.models->rowCount() - 1;
            QCOMPARE(row, builtInCount());
            QCOMPARE(o.models->currentRow(), row);
            QCOMPARE(o.models->item(row, PriceTableDialog::SourceColumn)->text(), QStringLiteral("Added by you"));
            QVERIFY(child<QPushButton>(&o.dialog, QStringLiteral("removeModel"))->isEnabled());
            auto *service = child<QComboBox>(&o.dialog, QStringLiteral("serviceBox_%1").arg(row));
            QVERIFY(service);
            service->setCurrentIndex(service->findData(QStringLiteral("replicate")));
            QVERIFY(typeInto(o.models, row, PriceTableDialog::ModelIdColumn, model));
            QCOMPARE(o.dialog.rowOf(QStringLiteral("replicate/") + model), row);
            QCOMPARE(o.tiers->rowCount(), 1);
            QVERIFY(typeInto(o.tiers, 0, PriceTableDialog::UsdColumn, QStringLiteral("0.07")));
            QCOMPARE(o.models->item(row, PriceTableDialog::PriceColumn)->text(), QStringLiteral("any size: $0.07"));

            // A cheaper price for small pictures goes in before the line for all larger ones.
            QTest::mouseClick(child<QPushButton>(&o.dialog, QStringLiteral("addTier")), Qt::LeftButton);
            QCOMPARE(o.tiers->rowCount(), 2);
            QCOMPARE(o.tiers->item(1, PriceTableDialog::MaxEdgeColumn)->text(), QString());
            QVERIFY(typeInto(o.tiers, 0, PriceTableDialog::MaxEdgeColumn, QStringLiteral("2048")));
            QVERIFY(typeInto(o.tiers, 0, PriceTableDialog::UsdColumn, QStringLiteral("$0.05")));
            QCOMPARE(o.models->item(row, PriceTableDialog::PriceColumn)->text(),
                QStringLiteral("\u2264 2048 px: $0.05; larger: $0.07"));
            o.models->scrollToBottom();
            QVERIFY(o.dialog.grab().save(screenshotDir() + QStringLiteral("/pricetabledialog-added.png")));
            o.save();
            QCOMPARE(o.dialog.result(), int(QDialog::Accepted));
        }
        QCOMPARE(HttpPriceTable::estimateUsd(QStringLiteral("replicate"), model, kSmall), 0.05);
        QCOMPARE(HttpPriceTable::estimateUsd(QStringLiteral("replicate"), model, kLarge), 0.07);
        QVERIFY(ProviderCatalog::find(QStringLiteral("replicate"))->models.contains(model));

        // The added model can be removed again.
        {
            Opened o;
            o.select(QStringLiteral("replicate/") + model);
            QTest::mouseClick(child<QPushButton>(&o.dialog, QStringLiteral("removeModel")), Qt::LeftButton);
            QCOMPARE(o.models->rowCount(), builtInCount());
            QCOMPARE(o.dialog.rowOf(QStringLiteral("replicate/") + model), -1);
            o.save();
        }
        QVERIFY(!QFileInfo::exists(HttpPriceTable::userTablePath())); // nothing differs from the built-in prices
        QCOMPARE(HttpPriceTable::estimateUsd(QStringLiteral("replicate"), model, kSmall), 0.0);
    }

    void invalidInputShowsErrorAndSavesNothing_data()
    {
        QTest::addColumn<QString>("edgeLine1"); ///< typed into the first long edge of Gemini 3 Pro; null: untouched
        QTest::addColumn<QString>("usdLine2"); ///< typed into the second price; null: untouched
        QTest::addColumn<QString>("addedModel"); ///< a Gemini model added with price 0.1; null: none
        QTest::addColumn<QString>("expected"); ///< part of the message

        QTest::newRow("price not a number")
            << QString() << QStringLiteral("abc") << QString() << QStringLiteral("\u201cabc\u201d is not a price");
        QTest::newRow("price empty") << QString() << QStringLiteral(" ") << QString()
                                     << QStringLiteral("enter the price");
        QTest::newRow("negative price") << QString() << QStringLiteral("-1") << QString()
                                        << QStringLiteral("cannot be negative");
        QTest::newRow("edge not a number")
            << QStringLiteral("big") << QString() << QString() << QStringLiteral("\u201cbig\u201d is not a long edge");
        QTest::newRow("edge zero") << QStringLiteral("0") << QString() << QString()
                                   << QStringLiteral("whole number of pixels");
        QTest::newRow("two open lines") << QStringLiteral("") << QString() << QString()
                                        << QStringLiteral("Only the last price line");
        QTest::newRow("model id empty") << QString() << QString() << QStringLiteral("")
                                        << QStringLiteral("enter the id of the Gemini model");
        QTest::newRow("model id with space") << QString() << QString() << QStringLiteral("my model")
                                             << QStringLiteral("must not be empty or contain spaces");
        QTest::newRow("model twice") << QString() << QString() << kPro << QStringLiteral("is in the list twice");
    }

    void invalidInputShowsErrorAndSavesNothing()
    {
        QFETCH(QString, edgeLine1);
        QFETCH(QString, usdLine2);
        QFETCH(QString, addedModel);
        QFETCH(QString, expected);

        Opened o;
        QSignalSpy changed(&o.dialog, &PriceTableDialog::pricesChanged);
        o.select(kProKey);
        if (!edgeLine1.isNull())
            QVERIFY(typeInto(o.tiers, 0, PriceTableDialog::MaxEdgeColumn, edgeLine1));
        if (!usdLine2.isNull())
            QVERIFY(typeInto(o.tiers, 1, PriceTableDialog::UsdColumn, usdLine2));
        int badRow = o.dialog.rowOf(kProKey);
        if (!addedModel.isNull()) {
            QTest::mouseClick(child<QPushButton>(&o.dialog, QStringLiteral("addModel")), Qt::LeftButton);
            badRow = o.models->rowCount() - 1;
            auto *service = child<QComboBox>(&o.dialog, QStringLiteral("serviceBox_%1").arg(badRow));
            service->setCurrentIndex(service->findData(kGemini));
            if (!addedModel.isEmpty())
                QVERIFY(typeInto(o.models, badRow, PriceTableDialog::ModelIdColumn, addedModel));
            QVERIFY(typeInto(o.tiers, 0, PriceTableDialog::UsdColumn, QStringLiteral("0.1")));
            o.select(QStringLiteral("openai/gpt-image-1"));
        }
        QVERIFY(o.dialog.errorText().isEmpty());

        o.save();
        QVERIFY2(o.dialog.errorText().contains(expected), qPrintable(o.dialog.errorText()));
        QVERIFY(child<QLabel>(&o.dialog, QStringLiteral("errorLabel"))->isVisible());
        QVERIFY(o.dialog.isVisible());
        QVERIFY(o.dialog.result() != QDialog::Accepted);
        QCOMPARE(o.models->currentRow(), badRow); // the row with the problem is selected
        QVERIFY(!QFileInfo::exists(HttpPriceTable::userTablePath()));
        QCOMPARE(changed.count(), 0);
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kLarge), 0.24);
        if (QByteArray(QTest::currentDataTag()) == "negative price")
            QVERIFY(o.dialog.grab().save(screenshotDir() + QStringLiteral("/pricetabledialog-error.png")));

        // Editing clears the message; a fixed list saves.
        if (!addedModel.isNull()) {
            QTest::mouseClick(child<QPushButton>(&o.dialog, QStringLiteral("removeModel")), Qt::LeftButton);
        } else {
            o.select(kProKey);
            QVERIFY(typeInto(o.tiers, 0, PriceTableDialog::MaxEdgeColumn, QStringLiteral("3200")));
            QVERIFY(typeInto(o.tiers, 1, PriceTableDialog::UsdColumn, QStringLiteral("0.25")));
        }
        QVERIFY(o.dialog.errorText().isEmpty());
        o.save();
        QCOMPARE(o.dialog.result(), int(QDialog::Accepted));
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kLarge), addedModel.isNull() ? 0.25 : 0.24);
    }

    void restoreBuiltInPrices()
    {
        const QJsonObject own { { QStringLiteral("models"),
            QJsonObject { { kProKey, QJsonArray { QJsonObject { { QStringLiteral("usd"), 0.5 } } } },
                { QStringLiteral("fal/fal-ai/acme"),
                    QJsonArray { QJsonObject { { QStringLiteral("usd"), 0.01 } } } } } } };
        QVERIFY(HttpPriceTable::saveUserTable(own).ok());
        {
            Opened o;
            QCOMPARE(o.models->rowCount(), builtInCount() + 1);
            QCOMPARE(o.summary(kProKey), QStringLiteral("any size: $0.5"));
            QCOMPARE(o.source(kProKey), QStringLiteral("Your price"));
            QTest::mouseClick(child<QPushButton>(&o.dialog, QStringLiteral("restoreBuiltIn")), Qt::LeftButton);
            QCOMPARE(o.models->rowCount(), builtInCount());
            QCOMPARE(o.summary(kProKey), QStringLiteral("\u2264 3200 px: $0.134; larger: $0.24"));
            for (int row = 0; row < o.models->rowCount(); ++row)
                QCOMPARE(o.models->item(row, PriceTableDialog::SourceColumn)->text(), QStringLiteral("Built-in"));
            QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kSmall), 0.5); // not until Save
            QSignalSpy changed(&o.dialog, &PriceTableDialog::pricesChanged);
            o.save();
            QCOMPARE(o.dialog.result(), int(QDialog::Accepted));
            QCOMPARE(changed.count(), 1);
        }
        QVERIFY(!QFileInfo::exists(HttpPriceTable::userTablePath()));
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kSmall), 0.134);
        QVERIFY(!ProviderCatalog::find(QStringLiteral("fal"))->models.contains(QStringLiteral("fal-ai/acme")));
    }

    void cancelDiscards()
    {
        Opened o;
        o.select(kProKey);
        QVERIFY(typeInto(o.tiers, 1, PriceTableDialog::UsdColumn, QStringLiteral("9")));
        QTest::mouseClick(child<QPushButton>(&o.dialog, QStringLiteral("cancelButton")), Qt::LeftButton);
        QCOMPARE(o.dialog.result(), int(QDialog::Rejected));
        QVERIFY(!QFileInfo::exists(HttpPriceTable::userTablePath()));
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kLarge), 0.24);
    }

    void damagedUserFileIsReported()
    {
        const QString path = HttpPriceTable::userTablePath();
        QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"models\": ");
        file.close();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^user price table ignored")));
        Opened o;
        QVERIFY(o.dialog.errorText().contains(QStringLiteral("damaged")));
        QCOMPARE(o.models->rowCount(), builtInCount());
        QCOMPARE(o.summary(kProKey), QStringLiteral("\u2264 3200 px: $0.134; larger: $0.24"));
        // Saving prices replaces the damaged file.
        o.select(kProKey);
        QVERIFY(typeInto(o.tiers, 1, PriceTableDialog::UsdColumn, QStringLiteral("0.3")));
        o.save();
        QCOMPARE(o.dialog.result(), int(QDialog::Accepted));
        QVERIFY(HttpPriceTable::userTableError().isNull());
        QCOMPARE(HttpPriceTable::estimateUsd(kGemini, kPro, kLarge), 0.3);
    }

    void editMenuOpensDialog()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *action = window.findChild<QAction *>(QStringLiteral("actionImagePrices"));
        QVERIFY(action);
        QVERIFY(action->isEnabled());
        QCOMPARE(action->text(), QStringLiteral("Image P&rices\u2026"));
        QMenu *edit = nullptr;
        for (QAction *menuAction : window.menuBar()->actions()) {
            if (menuAction->menu() && menuAction->text() == QStringLiteral("&Edit"))
                edit = menuAction->menu();
        }
        QVERIFY(edit);
        const QList<QAction *> actions = edit->actions();
        const auto *services = window.findChild<QAction *>(QStringLiteral("actionImageServices"));
        QVERIFY(actions.contains(action));
        QCOMPARE(actions.indexOf(action), actions.indexOf(services) + 1); // next to Image Services…

        QVERIFY(!window.findChild<PriceTableDialog *>());
        action->trigger();
        PriceTableDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = window.findChild<PriceTableDialog *>()) && dialog->isVisible());
        QCOMPARE(dialog->modelTable()->rowCount(), builtInCount());
        QPointer<PriceTableDialog> guard(dialog);
        dialog->reject();
        QTRY_VERIFY(!guard); // deleted on close
    }
};

QTEST_MAIN(TestPriceTableDialog)
#include "tst_pricetabledialog.moc"
