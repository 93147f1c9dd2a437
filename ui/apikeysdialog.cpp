#include "ui/apikeysdialog.h"

#include "core/generation/apikeystore.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QToolButton>
#include <QVBoxLayout>

namespace CalStudio {

namespace {

QString settingsKey(const QString &provider)
{
    return QStringLiteral("imageServices/%1/baseUrl").arg(provider);
}

} // namespace

ApiKeysDialog::ApiKeysDialog(ApiKeyStore *store, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_notice(new QLabel(this))
{
    Q_ASSERT(m_store);
    setWindowTitle(tr("Image Services"));
    setObjectName(QStringLiteral("apiKeysDialog"));

    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("To create pictures with an image service, enter your own API key for it. "
                                "Keys are kept in your system keychain, never in your calendar project."),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_notice->setObjectName(QStringLiteral("keychainNotice"));
    m_notice->setWordWrap(true);
    m_notice->setText(tr("Your system has no keychain, so keys you save are kept for this session only "
                         "and must be entered again the next time you start Calendar Studio."));
    m_notice->setVisible(false);
    layout->addWidget(m_notice);

    const QStringList providers = ApiKeyStore::providers();
    for (const QString &provider : providers)
        layout->addWidget(createRow(provider));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *close = buttons->button(QDialogButtonBox::Close);
    close->setObjectName(QStringLiteral("closeButton"));
    // Return in a key field saves that key; it must not close the dialog.
    close->setAutoDefault(false);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(m_store, &ApiKeyStore::keyRead, this, &ApiKeysDialog::onKeyRead);
    connect(m_store, &ApiKeyStore::keyWritten, this, &ApiKeysDialog::onKeyWritten);
    connect(m_store, &ApiKeyStore::keyDeleted, this, &ApiKeysDialog::onKeyDeleted);
    connect(m_store, &ApiKeyStore::keychainAvailableChanged, this, &ApiKeysDialog::updateNotice);
    updateNotice();

    for (Row &r : m_rows) {
        r.busy = true;
        setStatus(r, tr("Checking\u2026"));
        updateButtons(r);
        m_store->readKey(r.provider);
    }
}

QWidget *ApiKeysDialog::createRow(const QString &provider)
{
    m_rows.append(Row {});
    Row &r = m_rows.last();
    r.provider = provider;
    const QString name = ApiKeyStore::displayName(provider);

    auto *box = new QGroupBox(name, this);
    box->setObjectName(QStringLiteral("service_") + provider);
    auto *grid = new QGridLayout(box);

    auto *label = new QLabel(tr("API &key:"), box);
    r.keyEdit = new QLineEdit(box);
    r.keyEdit->setObjectName(QStringLiteral("keyEdit_") + provider);
    r.keyEdit->setEchoMode(QLineEdit::Password);
    r.keyEdit->setInputMethodHints(
        Qt::ImhSensitiveData | Qt::ImhNoPredictiveText | Qt::ImhNoAutoUppercase | Qt::ImhHiddenText);
    r.keyEdit->setAccessibleName(tr("%1 API key").arg(name));
    r.keyEdit->setMinimumWidth(r.keyEdit->fontMetrics().averageCharWidth() * 42);
    label->setBuddy(r.keyEdit);

    r.showButton = new QToolButton(box);
    r.showButton->setObjectName(QStringLiteral("showKey_") + provider);
    r.showButton->setText(tr("Show"));
    r.showButton->setCheckable(true);
    r.showButton->setToolTip(tr("Show or hide the key you are typing"));
    r.showButton->setAccessibleName(tr("Show %1 key").arg(name));

    r.saveButton = new QPushButton(tr("Save"), box);
    r.saveButton->setObjectName(QStringLiteral("saveKey_") + provider);
    r.saveButton->setAutoDefault(false);
    r.saveButton->setAccessibleName(tr("Save %1 key").arg(name));
    r.removeButton = new QPushButton(tr("Remove"), box);
    r.removeButton->setObjectName(QStringLiteral("removeKey_") + provider);
    r.removeButton->setAutoDefault(false);
    r.removeButton->setAccessibleName(tr("Remove %1 key").arg(name));

    r.status = new QLabel(box);
    r.status->setObjectName(QStringLiteral("status_") + provider);
    r.status->setWordWrap(true);

    r.advancedButton = new QToolButton(box);
    r.advancedButton->setObjectName(QStringLiteral("advanced_") + provider);
    r.advancedButton->setText(tr("Advanced"));
    r.advancedButton->setCheckable(true);
    r.advancedButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    r.advancedButton->setArrowType(Qt::RightArrow);
    r.advancedButton->setAutoRaise(true);

    r.advanced = new QWidget(box);
    auto *form = new QFormLayout(r.advanced);
    form->setContentsMargins(0, 0, 0, 0);
    r.baseUrlEdit = new QLineEdit(r.advanced);
    r.baseUrlEdit->setObjectName(QStringLiteral("baseUrl_") + provider);
    r.baseUrlEdit->setPlaceholderText(tr("Leave empty to use %1 directly").arg(name));
    r.baseUrlEdit->setToolTip(tr("Another address for %1, for example a proxy or a test sandbox").arg(name));
    r.baseUrlEdit->setText(savedBaseUrl(provider).toString());
    form->addRow(tr("&Base URL:"), r.baseUrlEdit);
    r.advanced->setVisible(false);

    grid->addWidget(label, 0, 0);
    grid->addWidget(r.keyEdit, 0, 1);
    grid->addWidget(r.showButton, 0, 2);
    grid->addWidget(r.saveButton, 0, 3);
    grid->addWidget(r.removeButton, 0, 4);
    grid->addWidget(r.status, 1, 1, 1, 4);
    grid->addWidget(r.advancedButton, 2, 0, 1, 2, Qt::AlignLeft);
    grid->addWidget(r.advanced, 3, 0, 1, 5);

    const QString id = provider;
    connect(r.keyEdit, &QLineEdit::textChanged, this, [this, id] { updateButtons(*row(id)); });
    connect(r.keyEdit, &QLineEdit::returnPressed, this, [this, id] { save(*row(id)); });
    connect(r.showButton, &QToolButton::toggled, this, [this, id](bool shown) {
        Row &target = *row(id);
        target.keyEdit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        target.showButton->setText(shown ? tr("Hide") : tr("Show"));
    });
    connect(r.saveButton, &QPushButton::clicked, this, [this, id] { save(*row(id)); });
    connect(r.removeButton, &QPushButton::clicked, this, [this, id] { remove(*row(id)); });
    connect(r.advancedButton, &QToolButton::toggled, this, [this, id](bool open) {
        Row &target = *row(id);
        target.advanced->setVisible(open);
        target.advancedButton->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    });
    connect(r.baseUrlEdit, &QLineEdit::editingFinished, this, [this, id] { storeBaseUrl(*row(id)); });
    return box;
}

ApiKeysDialog::Row *ApiKeysDialog::row(const QString &provider)
{
    for (Row &r : m_rows) {
        if (r.provider == provider)
            return &r;
    }
    return nullptr;
}

QString ApiKeysDialog::statusText(const QString &provider) const
{
    for (const Row &r : m_rows) {
        if (r.provider == provider)
            return r.status->text();
    }
    return {};
}

QUrl ApiKeysDialog::savedBaseUrl(const QString &provider)
{
    return QUrl(QSettings().value(settingsKey(provider)).toString());
}

void ApiKeysDialog::setSavedBaseUrl(const QString &provider, const QUrl &url)
{
    QSettings settings;
    if (url.isEmpty())
        settings.remove(settingsKey(provider));
    else
        settings.setValue(settingsKey(provider), url.toString());
}

void ApiKeysDialog::save(Row &r)
{
    const QString key = r.keyEdit->text().trimmed();
    if (key.isEmpty() || r.busy)
        return;
    storeBaseUrl(r);
    r.busy = true;
    m_pendingKeys.insert(r.provider, key);
    setStatus(r, tr("Saving\u2026"));
    updateButtons(r);
    m_store->writeKey(r.provider, key);
}

void ApiKeysDialog::remove(Row &r)
{
    if (r.busy)
        return;
    r.busy = true;
    setStatus(r, tr("Removing\u2026"));
    updateButtons(r);
    m_store->deleteKey(r.provider);
}

void ApiKeysDialog::storeBaseUrl(Row &r)
{
    const QString text = r.baseUrlEdit->text().trimmed();
    if (text.isEmpty()) {
        setSavedBaseUrl(r.provider, {});
        return;
    }
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))) {
        setStatus(r, tr("The base URL must be a web address such as https://gateway.example/google."), true);
        r.advancedButton->setChecked(true);
        return;
    }
    setSavedBaseUrl(r.provider, url);
}

void ApiKeysDialog::setStatus(Row &r, const QString &text, bool isError)
{
    r.status->setText(text);
    r.status->setProperty("error", isError);
    r.status->setStyleSheet(isError ? QStringLiteral("color: #b3261e;") : QString());
}

void ApiKeysDialog::updateButtons(Row &r)
{
    r.saveButton->setEnabled(!r.busy && !r.keyEdit->text().trimmed().isEmpty());
    r.removeButton->setEnabled(!r.busy && r.hasKey);
}

void ApiKeysDialog::updateNotice()
{
    m_notice->setVisible(!m_store->keychainAvailable());
}

void ApiKeysDialog::onKeyRead(const QString &provider, const QString &key, const Error &error)
{
    Row *r = row(provider);
    if (!r)
        return;
    Q_UNUSED(key) // the dialog never shows a saved key again
    r->busy = false;
    r->hasKey = error.isNull();
    if (error.isNull()) {
        setStatus(*r, m_store->hasSessionKey(provider) ? StatusSession : StatusSaved);
        r->keyEdit->setPlaceholderText(tr("A key is set \u2014 type a new one to replace it"));
    } else if (error.code == ApiKeyStore::ErrorNotFound || error.code == ApiKeyStore::ErrorUnavailable) {
        setStatus(*r, StatusNone);
        r->keyEdit->setPlaceholderText(tr("Paste your %1 API key").arg(ApiKeyStore::displayName(provider)));
    } else {
        setStatus(*r, error.userMessage, true);
    }
    updateButtons(*r);
    updateNotice();
}

void ApiKeysDialog::onKeyWritten(const QString &provider, const Error &error)
{
    Row *r = row(provider);
    if (!r)
        return;
    r->busy = false;
    const QString key = m_pendingKeys.take(provider);
    if (error.isNull()) {
        r->hasKey = true;
        setStatus(*r, StatusSaved);
        r->keyEdit->clear();
        r->keyEdit->setPlaceholderText(tr("A key is set \u2014 type a new one to replace it"));
    } else if (error.code == ApiKeyStore::ErrorUnavailable && !key.isEmpty()) {
        // No keychain: the key is usable now but not saved.
        m_store->setSessionKey(provider, key);
        r->hasKey = true;
        setStatus(*r, StatusSession);
        r->keyEdit->clear();
        r->keyEdit->setPlaceholderText(tr("A key is set \u2014 type a new one to replace it"));
    } else {
        setStatus(*r, error.userMessage, true); // the typed key stays in the field to try again
    }
    updateButtons(*r);
    updateNotice();
}

void ApiKeysDialog::onKeyDeleted(const QString &provider, const Error &error)
{
    Row *r = row(provider);
    if (!r)
        return;
    r->busy = false;
    if (error.isNull() || error.code == ApiKeyStore::ErrorUnavailable) {
        r->hasKey = false;
        setStatus(*r, StatusNone);
        r->keyEdit->setPlaceholderText(tr("Paste your %1 API key").arg(ApiKeyStore::displayName(provider)));
    } else {
        setStatus(*r, error.userMessage, true);
    }
    updateButtons(*r);
    updateNotice();
}

} // namespace CalStudio
