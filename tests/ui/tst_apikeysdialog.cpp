// The Image Services dialog on an in-memory key backend: masked key fields,
// saving and removing keys, status texts, the no-keychain fallback, errors,
// base URLs in QSettings, and the Edit ▸ Image Services… action.
#include "uitestsupport.h"
#include "core/generation/apikeybackendmemory.h"
#include "core/generation/apikeystore.h"
#include "ui/apikeysdialog.h"
#include "ui/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QQmlEngineExtensionPlugin>
#include <QSettings>
#include <QTest>
#include <QToolButton>

Q_IMPORT_QML_PLUGIN(CalendarStudioPlugin)

using namespace CalStudio;
using CalStudio::UiTestSupport::screenshotDir;
using KeyStatus = ApiKeyStore::Backend::Status;

namespace {

const QString kKey = QStringLiteral("AIzaSy-test-dialog-0123456789abcdef");

template<typename T>
T *child(QWidget *parent, const QString &name)
{
    T *widget = parent->findChild<T *>(name);
    if (!widget)
        qWarning("missing widget %s", qPrintable(name));
    return widget;
}

struct Fixture {
    ApiKeyBackendMemory *backend = new ApiKeyBackendMemory;
    ApiKeyStore store { std::unique_ptr<ApiKeyStore::Backend>(backend) };
};

} // namespace

class TestApiKeysDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(QStringLiteral("CalendarStudioTest"));
        QCoreApplication::setApplicationName(QStringLiteral("Calendar Studio ApiKeysDialog Test"));
        QSettings().clear();
    }

    void keyFieldMaskedByDefault()
    {
        Fixture f;
        ApiKeysDialog dialog(&f.store);
        dialog.show();
        for (const QString &provider : ApiKeyStore::providers()) {
            auto *edit = child<QLineEdit>(&dialog, QStringLiteral("keyEdit_") + provider);
            QVERIFY(edit);
            QCOMPARE(edit->echoMode(), QLineEdit::Password);
            QVERIFY(edit->inputMethodHints() & Qt::ImhSensitiveData);
            QTRY_COMPARE(dialog.statusText(provider), ApiKeysDialog::StatusNone);
        }
        auto *edit = child<QLineEdit>(&dialog, QStringLiteral("keyEdit_openai"));
        auto *show = child<QToolButton>(&dialog, QStringLiteral("showKey_openai"));
        show->click();
        QCOMPARE(edit->echoMode(), QLineEdit::Normal);
        QCOMPARE(show->text(), QStringLiteral("Hide"));
        show->click();
        QCOMPARE(edit->echoMode(), QLineEdit::Password);
        // The notice about a missing keychain is not shown while there is one.
        QVERIFY(!child<QLabel>(&dialog, QStringLiteral("keychainNotice"))->isVisible());
    }

    void typingAndSavingStoresTheKey()
    {
        Fixture f;
        {
            ApiKeysDialog dialog(&f.store);
            dialog.show();
            QTRY_COMPARE(dialog.statusText(QStringLiteral("gemini")), ApiKeysDialog::StatusNone);
            auto *edit = child<QLineEdit>(&dialog, QStringLiteral("keyEdit_gemini"));
            auto *save = child<QPushButton>(&dialog, QStringLiteral("saveKey_gemini"));
            QVERIFY(!save->isEnabled()); // nothing typed yet
            QVERIFY(!child<QPushButton>(&dialog, QStringLiteral("removeKey_gemini"))->isEnabled()); // nothing to remove
            QTest::keyClicks(edit, kKey);
            QVERIFY(save->isEnabled());
            QTest::mouseClick(save, Qt::LeftButton);
            QTRY_COMPARE(dialog.statusText(QStringLiteral("gemini")), ApiKeysDialog::StatusSaved);
            QCOMPARE(f.backend->secrets().value(QStringLiteral("api-key/gemini")), kKey);
            QVERIFY(edit->text().isEmpty()); // the saved key is not kept in the field
            QCOMPARE(dialog.statusText(QStringLiteral("openai")), ApiKeysDialog::StatusNone);
        }
        {
            // A new dialog says the key is saved, without showing it.
            ApiKeysDialog dialog(&f.store);
            dialog.show();
            QTRY_COMPARE(dialog.statusText(QStringLiteral("gemini")), ApiKeysDialog::StatusSaved);
            QVERIFY(child<QLineEdit>(&dialog, QStringLiteral("keyEdit_gemini"))->text().isEmpty());

            QTest::mouseClick(child<QPushButton>(&dialog, QStringLiteral("removeKey_gemini")), Qt::LeftButton);
            QTRY_COMPARE(dialog.statusText(QStringLiteral("gemini")), ApiKeysDialog::StatusNone);
            QVERIFY(f.backend->secrets().isEmpty());
        }
    }

    void returnSavesWithoutClosing()
    {
        Fixture f;
        ApiKeysDialog dialog(&f.store);
        dialog.show();
        QTRY_COMPARE(dialog.statusText(QStringLiteral("fal")), ApiKeysDialog::StatusNone);
        auto *edit = child<QLineEdit>(&dialog, QStringLiteral("keyEdit_fal"));
        edit->setFocus();
        QTest::keyClicks(edit, kKey);
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_COMPARE(dialog.statusText(QStringLiteral("fal")), ApiKeysDialog::StatusSaved);
        QVERIFY(dialog.isVisible());
        QCOMPARE(f.backend->secrets().value(QStringLiteral("api-key/fal")), kKey);
    }

    void noKeychainKeepsKeyForSession()
    {
        Fixture f;
        f.backend->setFailure(
            KeyStatus::Unavailable, QStringLiteral("QtKeychain error 7: Cannot autolaunch D-Bus without X11 $DISPLAY"));
        ApiKeysDialog dialog(&f.store);
        dialog.show();
        QTRY_COMPARE(dialog.statusText(QStringLiteral("replicate")), ApiKeysDialog::StatusNone);
        QVERIFY(!f.store.keychainAvailable());
        QTRY_VERIFY(child<QLabel>(&dialog, QStringLiteral("keychainNotice"))->isVisible());

        QTest::keyClicks(child<QLineEdit>(&dialog, QStringLiteral("keyEdit_replicate")), kKey);
        QTest::mouseClick(child<QPushButton>(&dialog, QStringLiteral("saveKey_replicate")), Qt::LeftButton);
        QTRY_COMPARE(dialog.statusText(QStringLiteral("replicate")), ApiKeysDialog::StatusSession);
        QCOMPARE(ApiKeysDialog::StatusSession,
            QStringLiteral("Kept for this session only \u2014 your system has no keychain"));
        QVERIFY(f.store.hasSessionKey(QStringLiteral("replicate")));
        QVERIFY(f.backend->secrets().isEmpty()); // not saved
        QTest::keyClicks(child<QLineEdit>(&dialog, QStringLiteral("keyEdit_gemini")), kKey);
        child<QToolButton>(&dialog, QStringLiteral("advanced_openai"))->click();
        dialog.adjustSize();
        QVERIFY(dialog.grab().save(screenshotDir() + QStringLiteral("/apikeysdialog-nokeychain.png")));
        child<QLineEdit>(&dialog, QStringLiteral("keyEdit_gemini"))->clear();

        // Reopened in the same session: still the session key.
        ApiKeysDialog again(&f.store);
        again.show();
        QTRY_COMPARE(again.statusText(QStringLiteral("replicate")), ApiKeysDialog::StatusSession);
        QTest::mouseClick(child<QPushButton>(&again, QStringLiteral("removeKey_replicate")), Qt::LeftButton);
        QTRY_COMPARE(again.statusText(QStringLiteral("replicate")), ApiKeysDialog::StatusNone);
        QVERIFY(!f.store.hasSessionKey(QStringLiteral("replicate")));
    }

    void errorsAreShown()
    {
        Fixture f;
        ApiKeysDialog dialog(&f.store);
        dialog.show();
        QTRY_COMPARE(dialog.statusText(QStringLiteral("openai")), ApiKeysDialog::StatusNone);
        f.backend->setFailure(KeyStatus::Failed, QStringLiteral("QtKeychain error 4: denied"));
        auto *edit = child<QLineEdit>(&dialog, QStringLiteral("keyEdit_openai"));
        QTest::keyClicks(edit, kKey);
        QTest::mouseClick(child<QPushButton>(&dialog, QStringLiteral("saveKey_openai")), Qt::LeftButton);
        QTRY_VERIFY(dialog.statusText(QStringLiteral("openai"))
                        .startsWith(QStringLiteral("Your system keychain could not be reached")));
        QCOMPARE(edit->text(), kKey); // kept to try again
        QVERIFY(!dialog.statusText(QStringLiteral("openai")).contains(kKey));
        QVERIFY(f.store.keychainAvailable());
        QVERIFY(!f.store.hasSessionKey(QStringLiteral("openai")));
    }

    void baseUrlUnderAdvanced()
    {
        Fixture f;
        ApiKeysDialog dialog(&f.store);
        dialog.show();
        QTRY_COMPARE(dialog.statusText(QStringLiteral("gemini")), ApiKeysDialog::StatusNone);
        auto *advanced = child<QToolButton>(&dialog, QStringLiteral("advanced_gemini"));
        auto *url = child<QLineEdit>(&dialog, QStringLiteral("baseUrl_gemini"));
        QVERIFY(!url->isVisible());
        advanced->click();
        QVERIFY(url->isVisible());
        url->setText(QStringLiteral("http://127.0.0.1:8085/google"));
        Q_EMIT url->editingFinished();
        QCOMPARE(ApiKeysDialog::savedBaseUrl(QStringLiteral("gemini")),
            QUrl(QStringLiteral("http://127.0.0.1:8085/google")));
        url->setText(QStringLiteral("not a url"));
        Q_EMIT url->editingFinished();
        QVERIFY(dialog.statusText(QStringLiteral("gemini")).startsWith(QStringLiteral("The base URL must be")));
        QCOMPARE(ApiKeysDialog::savedBaseUrl(QStringLiteral("gemini")),
            QUrl(QStringLiteral("http://127.0.0.1:8085/google")));
        url->clear();
        Q_EMIT url->editingFinished();
        QVERIFY(ApiKeysDialog::savedBaseUrl(QStringLiteral("gemini")).isEmpty());

        // Keys never reach QSettings.
        f.backend->setFailure(KeyStatus::Ok);
        QTest::keyClicks(child<QLineEdit>(&dialog, QStringLiteral("keyEdit_gemini")), kKey);
        QTest::mouseClick(child<QPushButton>(&dialog, QStringLiteral("saveKey_gemini")), Qt::LeftButton);
        QTRY_COMPARE(dialog.statusText(QStringLiteral("gemini")), ApiKeysDialog::StatusSaved);
        QSettings settings;
        for (const QString &name : settings.allKeys())
            QVERIFY(!settings.value(name).toString().contains(kKey));
    }

    void mainWindowHasImageServicesAction()
    {
        MainWindow window;
        auto *action = window.findChild<QAction *>(QStringLiteral("actionImageServices"));
        QVERIFY(action);
        QVERIFY(action->isEnabled());
        QCOMPARE(action->text(), QStringLiteral("Image &Services…"));
        bool inEditMenu = false;
        for (QAction *menuAction : window.menuBar()->actions()) {
            if (menuAction->menu() && menuAction->text() == QStringLiteral("&Edit"))
                inEditMenu = menuAction->menu()->actions().contains(action);
        }
        QVERIFY(inEditMenu);
        // Not triggered here: the window's store uses the real OS keychain.
    }
};

QTEST_MAIN(TestApiKeysDialog)
#include "tst_apikeysdialog.moc"
