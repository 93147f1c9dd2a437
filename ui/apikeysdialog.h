#pragma once

#include "core/common/error.h"

#include <QDialog>
#include <QHash>
#include <QList>
#include <QUrl>

class QLabel;
class QLineEdit;
class QPushButton;
class QToolButton;

namespace CalStudio {

class ApiKeyStore;

/**
 * Edit ▸ Image Services…: the user's own API key for each image service
 * (Gemini, OpenAI, Replicate, fal.ai). Each row has a masked key field with a
 * Show/Hide toggle, Save and Remove, a status line, and under "Advanced" the
 * service's base URL (for proxies and the sandbox).
 *
 * Keys go only to the ApiKeyStore (the OS keychain); the dialog never shows
 * a saved key again, it only says that one is saved. Where the system has no
 * keychain a saved key is kept for this session only, and the dialog says so.
 * Base URLs are not secrets and live in QSettings (savedBaseUrl()).
 *
 * Widgets have object names for tests: keyEdit_<id>, showKey_<id>,
 * saveKey_<id>, removeKey_<id>, status_<id>, advanced_<id>, baseUrl_<id>,
 * and keychainNotice.
 */
class ApiKeysDialog : public QDialog {
    Q_OBJECT
public:
    static inline const QString StatusSaved = QStringLiteral("Saved in your system keychain");
    static inline const QString StatusSession
        = QStringLiteral("Kept for this session only \u2014 your system has no keychain");
    static inline const QString StatusNone = QStringLiteral("No key saved");

    /// `store` must outlive the dialog.
    explicit ApiKeysDialog(ApiKeyStore *store, QWidget *parent = nullptr);

    /// The status line of `provider`'s row.
    [[nodiscard]] QString statusText(const QString &provider) const;

    /// The base URL set for `provider` under Advanced; empty means the service's own.
    static QUrl savedBaseUrl(const QString &provider);
    static void setSavedBaseUrl(const QString &provider, const QUrl &url);

private:
    struct Row {
        QString provider;
        QLineEdit *keyEdit = nullptr;
        QToolButton *showButton = nullptr;
        QPushButton *saveButton = nullptr;
        QPushButton *removeButton = nullptr;
        QLabel *status = nullptr;
        QToolButton *advancedButton = nullptr;
        QWidget *advanced = nullptr;
        QLineEdit *baseUrlEdit = nullptr;
        bool busy = false;
        bool hasKey = false; ///< a saved or session key exists
    };

    QWidget *createRow(const QString &provider);
    Row *row(const QString &provider);
    void save(Row &row);
    void remove(Row &row);
    void storeBaseUrl(Row &row);
    void setStatus(Row &row, const QString &text, bool isError = false);
    void updateButtons(Row &row);
    void updateNotice();

    void onKeyRead(const QString &provider, const QString &key, const Error &error);
    void onKeyWritten(const QString &provider, const Error &error);
    void onKeyDeleted(const QString &provider, const Error &error);

    ApiKeyStore *m_store;
    QLabel *m_notice;
    QList<Row> m_rows;
    QHash<QString, QString> m_pendingKeys; ///< keys being saved, to keep for the session if there is no keychain
};

} // namespace CalStudio
