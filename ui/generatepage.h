#pragma once

#include "core/common/error.h"
#include "core/generation/generationsession.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

#include <functional>
#include <memory>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QQuickWidget;
class QSpinBox;
class QSystemTrayIcon;

namespace CalStudio {

class ApiKeyStore;
class GenerationBoardModel;
class Project;

/**
 * The Generate step: choose a service, model, months and candidates, see the
 * price before anything is sent, run, and pick each month's picture.
 *
 * Top: the run's settings, the estimate ("12 months × 2 candidates × $0.24
 * = $5.76"), the project's spend limit, Generate / Pause / Cancel All and
 * the spending ledger; then overall progress, time left and what the
 * project has cost. Below, the QML month grid (GenerateBoard.qml on a
 * GenerationBoardModel).
 *
 * Keys are read from the OS keychain through ApiKeyStore right before a run
 * and kept in memory only while the page lives; base URLs come from
 * Edit ▸ Image Services. Work left by a previous session (a quit or a crash)
 * resumes when the project opens. When a run ends the page says so in a
 * desktop notification (QSystemTrayIcon where the desktop has one) and by
 * alerting the window.
 */
class GeneratePage : public QWidget {
    Q_OBJECT
public:
    /// `keys` must outlive the page.
    explicit GeneratePage(ApiKeyStore *keys, QWidget *parent = nullptr);
    ~GeneratePage() override;

    void setProject(Project *project);
    [[nodiscard]] GenerationSession *session() const { return m_session.get(); }
    [[nodiscard]] GenerationBoardModel *board() const { return m_board; }

    /// Asks before spending money (the estimate); tests replace it. Returns whether to go on.
    using Confirm = std::function<bool(const QString &title, const QString &text)>;
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }
    /// Masters are this many pixels square, and requests ask for this side (tests use less; default 4096).
    void setMasterSide(int side) { m_masterSide = side; }
    void setRequestSide(int side) { m_requestSide = side; }

    /// Shows prices and models again (after Edit ▸ Image Prices changed them).
    void refreshPrices() { updateModels(); }
    /// Starts a run with the current settings (what the Generate button does).
    void generate();
    /// The estimate as shown above the button.
    [[nodiscard]] QString estimateText() const;
    /// The text of the last "run finished" notification (empty before the first).
    [[nodiscard]] QString lastNotification() const { return m_lastNotification; }

    // Controls, for the window's tests.
    [[nodiscard]] QComboBox *providerBox() const { return m_provider; }
    [[nodiscard]] QComboBox *modelBox() const { return m_model; }
    [[nodiscard]] QComboBox *monthsBox() const { return m_months; }
    [[nodiscard]] QSpinBox *candidatesBox() const { return m_candidates; }
    [[nodiscard]] QDoubleSpinBox *spendCapBox() const { return m_spendCap; }
    [[nodiscard]] QPushButton *generateButton() const { return m_generate; }
    [[nodiscard]] QPushButton *pauseButton() const { return m_pause; }
    [[nodiscard]] QLabel *estimateLabel() const { return m_estimate; }
    [[nodiscard]] QQuickWidget *boardView() const { return m_view; }

Q_SIGNALS:
    void errorOccurred(const CalStudio::Error &error);
    /// The user wants to fix keys or service addresses (opens Edit ▸ Image Services).
    void imageServicesRequested();
    void runFinished(const QString &summary);

private:
    [[nodiscard]] GenerationSession::RunOptions options(const QList<int> &months, int candidates) const;
    [[nodiscard]] QList<int> chosenMonths() const;
    void start(const GenerationSession::RunOptions &options);
    /// Reads the keys `providers` need from the keychain, then calls `then` (on the event loop).
    void withKeys(const QStringList &providers, std::function<void()> then);
    void onKeyRead(const QString &provider, const QString &key, const CalStudio::Error &error);
    void resumeLeftovers();
    void regenerate(int month);
    void chooseOwnPhoto(int month);
    void onAction(int month, const QString &action);
    void showLedger();
    void updateModels();
    void updateEstimate();
    void updateStatus();
    void updateSpendCap();
    void onIdle();
    void notify(const QString &summary);

    ApiKeyStore *m_keys;
    QPointer<Project> m_project;
    std::unique_ptr<GenerationSession> m_session;
    GenerationBoardModel *m_board;
    QHash<QString, QString> m_keyCache; ///< provider → key, this page's lifetime only; never logged or saved
    QHash<QString, QList<std::function<void()>>> m_waitingForKey;
    Confirm m_confirm;
    int m_masterSide = 4096;
    int m_requestSide = 4096;
    bool m_runActive = false;
    QString m_lastNotification;

    QComboBox *m_provider;
    QComboBox *m_model;
    QComboBox *m_months;
    QSpinBox *m_candidates;
    QDoubleSpinBox *m_spendCap;
    QLabel *m_estimate;
    QPushButton *m_generate;
    QPushButton *m_pause;
    QPushButton *m_cancelAll;
    QPushButton *m_ledger;
    QProgressBar *m_progress;
    QLabel *m_status;
    QLabel *m_spent;
    QQuickWidget *m_view = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
};

} // namespace CalStudio
