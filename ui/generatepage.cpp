#include "ui/generatepage.h"

#include "core/generation/apikeystore.h"
#include "core/generation/costestimate.h"
#include "core/generation/providercatalog.h"
#include "core/project/jobstore.h"
#include "core/project/project.h"
#include "qml/generationboardmodel.h"
#include "qml/thumbnailimageprovider.h"
#include "ui/apikeysdialog.h"
#include "ui/ledgerdialog.h"
#include "ui/pagewidgets.h"
#include "ui/photopickerdialog.h"
#include "ui/regeneratedialog.h"
#include "ui/uilogging.h"

#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QQmlEngine>
#include <QPushButton>
#include <QQmlError>
#include <QQuickItem>
#include <QQuickWidget>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStandardPaths>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QVBoxLayout>

namespace CalStudio {

namespace {

enum MonthChoice { MonthsWithoutPicture, AllMonths, AllMonthsAndCover, CoverOnly };

QString pageName(int month)
{
    return month == 0 ? GeneratePage::tr("the cover") : QLocale().standaloneMonthName(month);
}

} // namespace

GeneratePage::GeneratePage(ApiKeyStore *keys, QWidget *parent)
    : QWidget(parent)
    , m_keys(keys)
    , m_board(new GenerationBoardModel(this))
    , m_provider(new QComboBox(this))
    , m_model(new QComboBox(this))
    , m_months(new QComboBox(this))
    , m_candidates(new QSpinBox(this))
    , m_spendCap(new QDoubleSpinBox(this))
    , m_estimate(new QLabel(this))
    , m_generate(new QPushButton(tr("&Generate"), this))
    , m_pause(new QPushButton(tr("&Pause"), this))
    , m_cancelAll(new QPushButton(tr("Cancel &All"), this))
    , m_ledger(new QPushButton(tr("&Spending…"), this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_spent(new QLabel(this))
{
    setObjectName(QStringLiteral("generatePage"));
    m_confirm = [this](const QString &title, const QString &text) {
        return QMessageBox::question(this, title, text, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Yes)
            == QMessageBox::Yes;
    };

    for (const ProviderInfo &info : ProviderCatalog::all())
        m_provider->addItem(info.displayName, info.id);
    m_provider->setObjectName(QStringLiteral("providerBox"));
    m_model->setObjectName(QStringLiteral("modelBox"));
    m_months->addItem(tr("Pages without a picture"), MonthsWithoutPicture);
    m_months->addItem(tr("All 12 months"), AllMonths);
    m_months->addItem(tr("All 12 months and the cover"), AllMonthsAndCover);
    m_months->addItem(tr("The cover only"), CoverOnly);
    m_months->setObjectName(QStringLiteral("monthsBox"));
    m_candidates->setRange(1, 4);
    m_candidates->setValue(2);
    m_candidates->setObjectName(QStringLiteral("candidatesBox"));
    m_candidates->setToolTip(tr("Pictures per month to choose from (each one is paid for)"));
    m_spendCap->setRange(0, 10000);
    m_spendCap->setDecimals(2);
    m_spendCap->setPrefix(QStringLiteral("$"));
    m_spendCap->setSingleStep(1);
    m_spendCap->setSpecialValueText(tr("No limit"));
    m_spendCap->setObjectName(QStringLiteral("spendCapBox"));
    m_spendCap->setMaximumWidth(160);
    m_spendCap->setToolTip(tr("Generation pauses when this project has cost this much (estimated)."));
    m_estimate->setObjectName(QStringLiteral("estimateLabel"));
    m_estimate->setWordWrap(true);
    m_generate->setDefault(true);
    m_generate->setObjectName(QStringLiteral("generateButton"));
    m_pause->setObjectName(QStringLiteral("pauseButton"));
    m_status->setObjectName(QStringLiteral("runStatus"));
    m_spent->setObjectName(QStringLiteral("spentLabel"));
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(10);

    auto *form = new QFormLayout;
    auto *serviceRow = new QHBoxLayout;
    serviceRow->addWidget(m_provider, 1);
    serviceRow->addWidget(new QLabel(tr("&Model:"), this));
    qobject_cast<QLabel *>(serviceRow->itemAt(1)->widget())->setBuddy(m_model);
    serviceRow->addWidget(m_model, 1);
    form->addRow(tr("&Service:"), serviceRow);
    qobject_cast<QLabel *>(form->labelForField(serviceRow))->setBuddy(m_provider);
    auto *whatRow = new QHBoxLayout;
    whatRow->addWidget(m_months, 1);
    auto *candidatesLabel = new QLabel(tr("&Pictures per month:"), this);
    candidatesLabel->setBuddy(m_candidates);
    whatRow->addWidget(candidatesLabel);
    whatRow->addWidget(m_candidates);
    form->addRow(tr("&Pages:"), whatRow);
    qobject_cast<QLabel *>(form->labelForField(whatRow))->setBuddy(m_months);
    form->addRow(tr("Estimate:"), m_estimate);
    form->addRow(tr("Spend &limit:"), m_spendCap);
    qobject_cast<QLabel *>(form->labelForField(m_spendCap))->setBuddy(m_spendCap);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_generate);
    buttons->addWidget(m_pause);
    buttons->addWidget(m_cancelAll);
    buttons->addStretch(1);
    buttons->addWidget(m_ledger);

    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_spent);

    m_view = new QQuickWidget(this);
    m_view->setObjectName(QStringLiteral("generateBoard"));
    m_view->setResizeMode(QQuickWidget::SizeRootObjectToView);
    m_view->setClearColor(QColor(0xf3, 0xef, 0xe8));
    m_view->setMinimumSize(280, 300);
    // Thumbnails come from the board's cache (decoded off the UI thread), not from files.
    m_view->engine()->addImageProvider(QLatin1String(GenerationBoardModel::ProviderId),
                                       new ThumbnailImageProvider(m_board->thumbnailCache()));
    m_view->setSource(QUrl(QStringLiteral("qrc:/CalendarStudio/GenerateBoard.qml")));
    if (QQuickItem *root = m_view->rootObject(); root && m_view->status() == QQuickWidget::Ready) {
        root->setProperty("board", QVariant::fromValue(m_board));
    } else {
        QStringList messages;
        for (const QQmlError &e : m_view->errors())
            messages.append(e.toString());
        qCCritical(lcUi) << "generate board failed to load:" << messages;
    }

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(PageWidgets::heading(tr("Generate"), 1.6, this));
    layout->addWidget(PageWidgets::noteLabel(
        tr("Each month gets its pictures from the service you choose, with your selfies as references. The first "
           "picture of a month becomes its picture; click another thumbnail to use it instead. Nothing is sent "
           "before you confirm the price."),
        this));
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_progress);
    layout->addLayout(statusRow);
    layout->addWidget(m_view, 1);

    connect(m_provider, &QComboBox::currentIndexChanged, this, &GeneratePage::updateModels);
    connect(m_model, &QComboBox::currentIndexChanged, this, &GeneratePage::updateEstimate);
    connect(m_months, &QComboBox::currentIndexChanged, this, &GeneratePage::updateEstimate);
    connect(m_candidates, &QSpinBox::valueChanged, this, &GeneratePage::updateEstimate);
    connect(m_spendCap, &QDoubleSpinBox::editingFinished, this, [this] {
        if (!m_project || qFuzzyCompare(m_project->settings().spendCapUsd + 1, m_spendCap->value() + 1))
            return;
        if (auto st = m_project->setSpendCap(m_spendCap->value()); !st)
            Q_EMIT errorOccurred(st.error());
    });
    connect(m_generate, &QPushButton::clicked, this, &GeneratePage::generate);
    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (!m_session)
            return;
        if (m_session->queue().isPaused())
            m_session->queue().resume();
        else
            m_session->queue().pause();
        updateStatus();
    });
    connect(m_cancelAll, &QPushButton::clicked, this, [this] {
        if (m_session)
            m_session->queue().cancelAll();
    });
    connect(m_ledger, &QPushButton::clicked, this, &GeneratePage::showLedger);
    connect(m_board, &GenerationBoardModel::summaryChanged, this, &GeneratePage::updateStatus);
    connect(m_board, &GenerationBoardModel::regenerateRequested, this, &GeneratePage::regenerate);
    connect(m_board, &GenerationBoardModel::ownPhotoRequested, this, &GeneratePage::chooseOwnPhoto);
    connect(m_board, &GenerationBoardModel::actionRequested, this, &GeneratePage::onAction);
    if (m_keys) {
        connect(m_keys, &ApiKeyStore::keyRead, this, &GeneratePage::onKeyRead);
        // A key changed in Image Services is read again before the next request.
        connect(m_keys, &ApiKeyStore::keyWritten, this, [this](const QString &provider) { m_keyCache.remove(provider); });
        connect(m_keys, &ApiKeyStore::keyDeleted, this, [this](const QString &provider) { m_keyCache.remove(provider); });
    }
    updateModels();
    setProject(nullptr);
}

GeneratePage::~GeneratePage()
{
    // The QML refers to the board, the board to the session.
    delete m_view;
    m_view = nullptr;
    m_board->setSession(nullptr);
}

void GeneratePage::setProject(Project *project)
{
    m_board->setSession(nullptr);
    m_session.reset();
    if (m_project)
        disconnect(m_project, nullptr, this, nullptr);
    m_project = project;
    m_runActive = false;
    setEnabled(project != nullptr);
    if (project) {
        m_session = std::make_unique<GenerationSession>(
            *project, QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/references"));
        m_session->setMasterSide(m_masterSide);
        m_session->setConfigLookup([this](const QString &provider) {
            HttpProviderConfig config;
            const QUrl saved = ApiKeysDialog::savedBaseUrl(provider);
            const auto info = ProviderCatalog::find(provider);
            config.baseUrl = saved.isEmpty() && info ? info->defaultBaseUrl : saved;
            config.apiKey = m_keyCache.value(provider);
            return config;
        });
        connect(m_session.get(), &GenerationSession::errorOccurred, this, &GeneratePage::errorOccurred);
        connect(&m_session->queue(), &GenerationQueue::idle, this, &GeneratePage::onIdle);
        connect(&m_session->queue(), &GenerationQueue::pausedBySpendCap, this, [this](double spent, double cap) {
            Q_EMIT errorOccurred(Error{QStringLiteral("spend_cap"),
                                       tr("Generation paused: this project has cost about %1 of its %2 limit. Raise "
                                          "the spend limit and press Resume to go on.")
                                           .arg(CostEstimate::formatUsd(spent), CostEstimate::formatUsd(cap)),
                                       {}});
            updateStatus();
        });
        connect(project, &Project::settingsChanged, this, &GeneratePage::updateSpendCap);
        // "Pages without a picture" changes as masters arrive (or are undone).
        connect(project, &Project::masterChanged, this, &GeneratePage::updateEstimate);
        // Save As continues on a new file (and a new store): follow it.
        connect(project, &Project::pathChanged, this, [this] { setProject(m_project); });
        m_board->setSession(m_session.get());
        updateSpendCap();
        resumeLeftovers();
    }
    updateEstimate();
    updateStatus();
}

void GeneratePage::resumeLeftovers()
{
    auto pending = JobStore(m_project->store()).load({QStringLiteral("queued"), QStringLiteral("running")});
    if (!pending) {
        Q_EMIT errorOccurred(pending.error());
        return;
    }
    if (pending->isEmpty()) {
        // Still load what the queue knows (nothing) so the board shows lost answers of earlier sessions.
        return;
    }
    QStringList providers;
    for (const JobRecord &job : std::as_const(*pending)) {
        if (const auto request = GenerationQueue::requestFromJson(job.requestJson); request && !providers.contains(request->provider))
            providers.append(request->provider);
    }
    qCInfo(lcUi) << pending->size() << "generation job(s) left from the last session; resuming";
    m_runActive = true;
    withKeys(providers, [this] {
        if (!m_session)
            return;
        if (auto st = m_session->resume(); !st)
            Q_EMIT errorOccurred(st.error());
        updateStatus();
    });
}

GenerationSession::RunOptions GeneratePage::options(const QList<int> &months, int candidates) const
{
    GenerationSession::RunOptions o;
    o.months = months;
    o.candidates = candidates;
    o.provider = m_provider->currentData().toString();
    o.model = m_model->currentText();
    o.side = m_requestSide;
    return o;
}

QList<int> GeneratePage::chosenMonths() const
{
    QList<int> months;
    switch (m_months->currentData().toInt()) {
    case CoverOnly:
        return {0};
    case AllMonthsAndCover:
        months.append(0);
        [[fallthrough]];
    case AllMonths:
        for (int m = 1; m <= 12; ++m)
            months.append(m);
        return months;
    default:
        for (int m = 1; m <= 12; ++m) {
            if (m_project && m_project->month(m).masterId == 0)
                months.append(m);
        }
        if (m_project && m_project->month(0).masterId == 0)
            months.prepend(0);
        return months;
    }
}

QString GeneratePage::estimateText() const
{
    const QList<int> months = chosenMonths();
    if (months.isEmpty())
        return tr("Every page has a picture. Choose “All 12 months” to make new ones.");
    QString text = GenerationSession::estimate(options(months, m_candidates->value())).text();
    if (m_session && m_project) {
        const double cap = m_project->settings().spendCapUsd;
        text += tr(" · spent so far %1").arg(CostEstimate::formatUsd(m_session->spentUsd()));
        if (cap > 0)
            text += tr(" of %1").arg(CostEstimate::formatUsd(cap));
    }
    return text;
}

void GeneratePage::updateModels()
{
    const auto info = ProviderCatalog::find(m_provider->currentData().toString());
    const QSignalBlocker block(m_model);
    m_model->clear();
    if (info)
        m_model->addItems(info->models);
    m_model->setEnabled(m_model->count() > 1);
    updateEstimate();
}

void GeneratePage::updateEstimate()
{
    m_estimate->setText(estimateText());
    m_generate->setEnabled(m_project && !chosenMonths().isEmpty());
}

void GeneratePage::updateSpendCap()
{
    if (!m_project)
        return;
    const QSignalBlocker block(m_spendCap);
    m_spendCap->setValue(m_project->settings().spendCapUsd);
    updateEstimate();
}

void GeneratePage::updateStatus()
{
    const bool busy = m_board->busy();
    const bool paused = m_session && m_session->queue().isPaused();
    m_progress->setValue(int(m_board->progress() * 1000));
    QString status = m_board->progressText();
    if (!m_board->etaText().isEmpty() && !paused)
        status += QStringLiteral(" · ") + m_board->etaText();
    m_status->setText(status);
    m_spent->setText(m_project ? tr("This project so far: %1").arg(m_board->spentText()) : QString());
    m_pause->setText(paused ? tr("&Resume") : tr("&Pause"));
    m_pause->setEnabled(busy);
    m_cancelAll->setEnabled(busy);
}

void GeneratePage::generate()
{
    if (!m_session)
        return;
    start(options(chosenMonths(), m_candidates->value()));
}

void GeneratePage::start(const GenerationSession::RunOptions &options)
{
    if (options.months.isEmpty())
        return;
    const CostEstimate estimate = GenerationSession::estimate(options);
    if (!estimate.free) {
        const auto info = ProviderCatalog::find(options.provider);
        const QString service = info ? info->displayName : options.provider;
        QString text = (estimate.images() == 1 ? tr("Generate 1 picture with %1?").arg(service)
                                               : tr("Generate %1 pictures with %2?").arg(estimate.images()).arg(service))
            + QStringLiteral("\n\n") + estimate.text()
            + tr("\n\nThis is an estimate from the price table; the service bills your own account.");
        const double cap = m_project->settings().spendCapUsd;
        if (cap > 0)
            text += tr("\nThis project's limit: %1 (spent so far %2); generation pauses when it is reached.")
                        .arg(CostEstimate::formatUsd(cap), CostEstimate::formatUsd(m_session->spentUsd()));
        if (!m_confirm(tr("Generate Pictures"), text))
            return;
    }
    withKeys({options.provider}, [this, options] {
        if (!m_session)
            return;
        m_runActive = true;
        auto ids = m_session->generate(options);
        if (!ids)
            Q_EMIT errorOccurred(ids.error());
        updateEstimate();
        updateStatus();
    });
}

void GeneratePage::withKeys(const QStringList &providers, std::function<void()> then)
{
    QStringList missing;
    for (const QString &provider : providers) {
        const auto info = ProviderCatalog::find(provider);
        if (info && info->needsKey && !m_keyCache.contains(provider))
            missing.append(provider);
    }
    if (missing.isEmpty() || !m_keys) {
        QTimer::singleShot(0, this, std::move(then));
        return;
    }
    // Run `then` once every missing key has answered.
    auto remaining = std::make_shared<int>(int(missing.size()));
    auto shared = std::make_shared<std::function<void()>>(std::move(then));
    for (const QString &provider : missing) {
        const bool asked = m_waitingForKey.contains(provider);
        m_waitingForKey[provider].append([remaining, shared] {
            if (--*remaining == 0)
                (*shared)();
        });
        if (!asked)
            m_keys->readKey(provider);
    }
}

void GeneratePage::onKeyRead(const QString &provider, const QString &key, const Error &error)
{
    const QList<std::function<void()>> waiting = m_waitingForKey.take(provider);
    if (waiting.isEmpty())
        return;
    if (!error.isNull() || key.isEmpty()) {
        const QString name = ApiKeyStore::displayName(provider);
        Q_EMIT errorOccurred(Error{QStringLiteral("no_key"),
                                   error.code == ApiKeyStore::ErrorNotFound || error.isNull()
                                       ? tr("There is no %1 key yet. Add yours in Edit ▸ Image Services, or use the "
                                            "offline drafts.").arg(name)
                                       : tr("Your %1 key could not be read: %2").arg(name, error.userMessage),
                                   {}});
        Q_EMIT imageServicesRequested();
        return; // nothing is sent without a key
    }
    m_keyCache.insert(provider, key);
    for (const auto &callback : waiting)
        callback();
}

void GeneratePage::regenerate(int month)
{
    if (!m_project)
        return;
    RegenerateDialog dialog(m_project->month(month), pageName(month), m_candidates->value(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    MonthEntry entry = m_project->month(month);
    if (dialog.prompt() != entry.prompt) {
        entry.prompt = dialog.prompt();
        if (auto st = m_project->setMonth(entry, tr("Edit Prompt for %1").arg(pageName(month))); !st) {
            Q_EMIT errorOccurred(st.error());
            return;
        }
    }
    start(options({month}, dialog.candidates()));
}

void GeneratePage::chooseOwnPhoto(int month)
{
    if (!m_project || !m_session)
        return;
    if (m_project->selfies().isEmpty()) {
        Q_EMIT errorOccurred(Error{QStringLiteral("no_selfies"),
                                   tr("There are no photos in this project yet. Add some on the Selfies page."), {}});
        return;
    }
    PhotoPickerDialog dialog(m_project, tr("Choose a photo for %1").arg(pageName(month)), this);
    if (dialog.exec() == QDialog::Accepted && dialog.selectedSelfie() > 0)
        m_session->useOwnPhoto(month, dialog.selectedSelfie());
}

void GeneratePage::onAction(int month, const QString &action)
{
    if (action == QLatin1String("keys") || action == QLatin1String("billing")) {
        Q_EMIT imageServicesRequested();
        return;
    }
    if (action == QLatin1String("retry")) {
        start(options({month}, 1));
        return;
    }
    regenerate(month); // reword, regenerate
}

void GeneratePage::showLedger()
{
    if (!m_session)
        return;
    auto entries = m_session->ledger();
    if (!entries) {
        Q_EMIT errorOccurred(entries.error());
        return;
    }
    LedgerDialog dialog(*entries, this);
    dialog.exec();
}

void GeneratePage::onIdle()
{
    updateStatus();
    if (!m_runActive || !m_session)
        return;
    m_runActive = false;
    int done = 0;
    int attention = 0;
    for (const QueueJobInfo &j : m_session->queue().jobs()) {
        if (j.state == QLatin1String("done"))
            ++done;
        else if (j.state != QLatin1String("cancelled"))
            ++attention;
    }
    QString summary = done == 1 ? tr("1 picture is ready.") : tr("%1 pictures are ready.").arg(done);
    if (attention > 0)
        summary += attention == 1 ? tr(" 1 needs your attention.") : tr(" %1 need your attention.").arg(attention);
    notify(summary);
    Q_EMIT runFinished(summary);
    updateEstimate();
}

void GeneratePage::notify(const QString &summary)
{
    m_lastNotification = summary;
    if (QSystemTrayIcon::isSystemTrayAvailable() && QSystemTrayIcon::supportsMessages()) {
        if (!m_tray) {
            m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
            m_tray->setToolTip(QApplication::applicationDisplayName());
        }
        m_tray->show();
        m_tray->showMessage(tr("Calendar Studio — generation finished"), summary, QSystemTrayIcon::Information, 8000);
        QTimer::singleShot(10000, m_tray, &QSystemTrayIcon::hide);
    }
    // Always also flash the taskbar entry: not every desktop has a tray.
    QApplication::alert(window());
}

} // namespace CalStudio
