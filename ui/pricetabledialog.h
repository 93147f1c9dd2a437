#pragma once

#include <QDialog>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

class QDialogButtonBox;
class QKeyEvent;
class QLabel;
class QPushButton;
class QTableWidget;

namespace CalStudio {

/**
 * Edit ▸ Image Prices…: the price of one picture per image service and
 * model, which the studio uses for its estimates before a run
 * (HttpPriceTable). The upper table lists the models with a summary such as
 * "≤ 3200 px: $0.134; larger: $0.24"; the lower one edits the selected
 * model's prices by the picture's long edge (an empty long edge on the last
 * line means "all larger pictures").
 *
 * Built-in models can be re-priced but not renamed or removed; models the
 * user adds can be. "Restore Built-in Prices" puts the built-in table back in
 * the editor. Save validates everything first (the problem is shown in the
 * dialog, naming the model and price line, and nothing is saved until it is
 * fixed) and then stores only what differs from the built-in table, so
 * untouched models follow future built-in prices; with no difference the
 * user's table is removed.
 *
 * Widgets have object names for tests: modelTable, tierTable, addModel,
 * removeModel, addTier, removeTier, restoreBuiltIn, errorLabel, noteLabel,
 * buttons; an added row's service box is serviceBox_<row>.
 */
class PriceTableDialog : public QDialog {
    Q_OBJECT
public:
    /// Columns of modelTable().
    enum ModelColumn { ServiceColumn, ModelIdColumn, PriceColumn, SourceColumn, ModelColumnCount };
    /// Columns of tierTable().
    enum TierColumn { MaxEdgeColumn, UsdColumn, TierColumnCount };
    /// modelTable()'s ModelIdColumn items hold the row's "provider/model" key in this role.
    static constexpr int KeyRole = Qt::UserRole + 1;

    explicit PriceTableDialog(QWidget *parent = nullptr);

    [[nodiscard]] QTableWidget *modelTable() const { return m_models; }
    [[nodiscard]] QTableWidget *tierTable() const { return m_tiers; }
    /// The row of "provider/model" in modelTable(), or -1.
    [[nodiscard]] int rowOf(const QString &key) const;
    /// The problem shown in the dialog; empty when there is none.
    [[nodiscard]] QString errorText() const;

    /// "≤ 3200 px: $0.134; larger: $0.24" for a list of tiers in the layout of prices.json.
    static QString summary(const QJsonArray &tiers);

    /// Checks the list and, when it is valid, saves it and closes the dialog.
    void accept() override;

protected:
    void keyPressEvent(QKeyEvent *event) override;

Q_SIGNALS:
    /// The user's prices were saved or reset; estimates shown elsewhere should be refreshed.
    void pricesChanged();

private:
    struct Tier {
        QString maxEdge; ///< as typed; empty: all larger pictures
        QString usd; ///< as typed
    };
    struct Entry {
        QString provider;
        QString model;
        QList<Tier> tiers;
        bool builtIn = false; ///< the key is in the built-in table: only its prices can change
    };

    void load(const QJsonObject &table);
    void appendRow(const Entry &entry);
    void refreshRow(int row);
    void showTiers(int row);
    void onModelItemChanged(int row, int column);
    void onTierItemChanged(int tierRow, int column);
    void addModel();
    void removeModel();
    void addTier();
    void removeTier();
    void restoreBuiltIn();
    void updateButtons();
    void setError(const QString &text, int row = -1);
    void commitEditors();

    /// The whole list as a table in the layout of prices.json, or the first problem with what is typed.
    [[nodiscard]] QJsonObject toTable(QString *problem, int *problemRow) const;
    /// The entries of `table` that differ from the built-in table.
    [[nodiscard]] static QJsonObject differences(const QJsonObject &table);
    [[nodiscard]] QString rowName(int row) const;
    [[nodiscard]] static QString keyOf(const Entry &entry);

    QTableWidget *m_models;
    QTableWidget *m_tiers;
    QLabel *m_tiersLabel;
    QLabel *m_error;
    QPushButton *m_addModel;
    QPushButton *m_removeModel;
    QPushButton *m_addTier;
    QPushButton *m_removeTier;
    QPushButton *m_restore;
    QDialogButtonBox *m_buttons;
    QList<Entry> m_entries; ///< parallel to m_models' rows
    int m_shownRow = -1; ///< the entry whose tiers m_tiers shows
};

} // namespace CalStudio
