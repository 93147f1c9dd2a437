#include "ui/pricetabledialog.h"

#include "core/generation/apikeystore.h"
#include "core/generation/httppricetable.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStyledItemDelegate>
#include <QTableWidget>
#include <QVBoxLayout>

#include <optional>

namespace CalStudio {

namespace {

const QLatin1String ModelsKey("models");
const QLatin1String MaxEdgeKey("maxEdge");
const QLatin1String UsdKey("usd");

QString number(double value)
{
    return QString::number(value, 'f', QLocale::FloatingPointShortest);
}

/// A price as typed: "0.24", "$0.24", "0,24" where that is the locale's decimal point.
std::optional<double> parseUsd(QString text)
{
    text = text.trimmed();
    if (text.startsWith(QLatin1Char('$')))
        text = text.mid(1).trimmed();
    if (text.isEmpty())
        return std::nullopt;
    bool ok = false;
    double value = QLocale().toDouble(text, &ok);
    if (!ok)
        value = QLocale::c().toDouble(text, &ok);
    return ok ? std::optional<double>(value) : std::nullopt;
}

/// A long edge as typed: "2048", "2048 px", "2,048".
std::optional<double> parseEdge(QString text)
{
    text = text.trimmed();
    if (text.endsWith(QLatin1String("px"), Qt::CaseInsensitive))
        text = text.chopped(2).trimmed();
    bool ok = false;
    double value = QLocale().toDouble(text, &ok);
    if (!ok)
        value = QLocale::c().toDouble(text, &ok);
    return ok ? std::optional<double>(value) : std::nullopt;
}

/// "≤ 3200 px: $0.134; larger: $0.24" from (long edge, price) texts; an empty long edge is an open tier.
QString summaryOf(const QList<QPair<QString, QString>> &tiers)
{
    QStringList parts;
    for (const auto &[edge, usd] : tiers) {
        const QString price = usd.isEmpty() ? QStringLiteral("?") : QLatin1Char('$') + usd;
        if (!edge.isEmpty())
            parts.append(PriceTableDialog::tr("\u2264 %1 px: %2").arg(edge, price));
        else if (tiers.size() == 1)
            parts.append(PriceTableDialog::tr("any size: %1").arg(price));
        else
            parts.append(PriceTableDialog::tr("larger: %1").arg(price));
    }
    if (!tiers.isEmpty() && !tiers.last().first.isEmpty())
        parts.append(PriceTableDialog::tr("larger: unknown"));
    return parts.join(QLatin1String("; "));
}

bool sameTiers(const QJsonArray &a, const QJsonArray &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const QJsonObject x = a.at(i).toObject();
        const QJsonObject y = b.at(i).toObject();
        if (x.contains(MaxEdgeKey) != y.contains(MaxEdgeKey)
            || x.value(MaxEdgeKey).toDouble() != y.value(MaxEdgeKey).toDouble()
            || x.value(UsdKey).toDouble() != y.value(UsdKey).toDouble())
            return false;
    }
    return true;
}

QString tierLabelText(QString name)
{
    //: %1 is a service and model such as "Gemini gemini-3-pro-image"
    return PriceTableDialog::tr("Prices by picture &size for %1:")
        .arg(name.replace(QLatin1Char('&'), QLatin1String("&&")));
}

/// Shows "any size" / "larger" in an empty long-edge cell, and as the editor's placeholder.
class LongEdgeDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QWidget *editor = QStyledItemDelegate::createEditor(parent, option, index);
        if (auto *line = qobject_cast<QLineEdit *>(editor))
            line->setPlaceholderText(PriceTableDialog::tr("empty: all larger pictures"));
        return editor;
    }

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.column() == PriceTableDialog::MaxEdgeColumn && option->text.trimmed().isEmpty()) {
            option->text
                = index.model()->rowCount() == 1 ? PriceTableDialog::tr("any size") : PriceTableDialog::tr("larger");
            option->palette.setColor(QPalette::Text, option->palette.color(QPalette::PlaceholderText));
        }
    }
};

} // namespace

PriceTableDialog::PriceTableDialog(QWidget *parent)
    : QDialog(parent)
    , m_models(new QTableWidget(0, ModelColumnCount, this))
    , m_tiers(new QTableWidget(0, TierColumnCount, this))
    , m_tiersLabel(new QLabel(this))
    , m_error(new QLabel(this))
    , m_addModel(new QPushButton(tr("&Add Model"), this))
    , m_removeModel(new QPushButton(tr("&Remove Model"), this))
    , m_addTier(new QPushButton(tr("Add Si&ze"), this))
    , m_removeTier(new QPushButton(tr("Remo&ve Size"), this))
    , m_restore(new QPushButton(tr("Restore &Built-in Prices"), this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Image Prices"));
    setObjectName(QStringLiteral("priceTableDialog"));

    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("The price of one picture for each image service and model. Calendar Studio uses "
                                "these prices for the estimate it shows before it creates pictures."),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setVisible(false);
    layout->addWidget(m_error);

    auto *modelsLabel = new QLabel(tr("&Models:"), this);
    modelsLabel->setBuddy(m_models);
    layout->addWidget(modelsLabel);
    m_models->setObjectName(QStringLiteral("modelTable"));
    m_models->setHorizontalHeaderLabels({ tr("Service"), tr("Model"), tr("Price per picture"), tr("Source") });
    m_models->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_models->setSelectionMode(QAbstractItemView::SingleSelection);
    m_models->setEditTriggers(
        QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed | QAbstractItemView::AnyKeyPressed);
    m_models->verticalHeader()->setVisible(false);
    m_models->horizontalHeader()->setSectionResizeMode(ServiceColumn, QHeaderView::ResizeToContents);
    m_models->horizontalHeader()->setSectionResizeMode(ModelIdColumn, QHeaderView::Stretch);
    m_models->horizontalHeader()->setSectionResizeMode(PriceColumn, QHeaderView::ResizeToContents);
    m_models->horizontalHeader()->setSectionResizeMode(SourceColumn, QHeaderView::ResizeToContents);
    m_models->setAccessibleName(tr("Models and their prices"));
    layout->addWidget(m_models, 1);

    m_addModel->setObjectName(QStringLiteral("addModel"));
    m_addModel->setToolTip(tr("Add a model of an image service with its price"));
    m_removeModel->setObjectName(QStringLiteral("removeModel"));
    m_restore->setObjectName(QStringLiteral("restoreBuiltIn"));
    m_restore->setToolTip(tr("Put the prices that come with Calendar Studio back in the list and drop the models "
                             "you added; nothing changes until you save"));
    auto *modelButtons = new QHBoxLayout;
    modelButtons->addWidget(m_addModel);
    modelButtons->addWidget(m_removeModel);
    modelButtons->addStretch(1);
    modelButtons->addWidget(m_restore);
    layout->addLayout(modelButtons);

    m_tiersLabel->setBuddy(m_tiers);
    m_tiersLabel->setTextFormat(Qt::PlainText);
    m_tiersLabel->setWordWrap(true);
    layout->addWidget(m_tiersLabel);
    m_tiers->setObjectName(QStringLiteral("tierTable"));
    m_tiers->setHorizontalHeaderLabels({ tr("Long edge up to (px)"), tr("Price per picture (USD)") });
    m_tiers->setItemDelegate(new LongEdgeDelegate(m_tiers));
    m_tiers->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tiers->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
        | QAbstractItemView::AnyKeyPressed | QAbstractItemView::SelectedClicked);
    m_tiers->verticalHeader()->setVisible(false);
    m_tiers->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_tiers->setAccessibleName(tr("Prices by picture size"));
    m_addTier->setObjectName(QStringLiteral("addTier"));
    m_addTier->setToolTip(tr("Add a price for pictures up to another size"));
    m_removeTier->setObjectName(QStringLiteral("removeTier"));
    auto *tierHint = new QLabel(tr("A picture costs the price of the first line whose long edge is at least as "
                                   "large as the picture's. Leave the long edge empty on the last line for all "
                                   "larger pictures."),
        this);
    tierHint->setWordWrap(true);
    // Room for four size lines; the model list gets the rest.
    m_tiers->setMaximumHeight(m_tiers->horizontalHeader()->sizeHint().height()
        + 4 * m_tiers->verticalHeader()->defaultSectionSize() + 2 * m_tiers->frameWidth());
    auto *tierButtons = new QHBoxLayout;
    tierButtons->addWidget(m_addTier);
    tierButtons->addWidget(m_removeTier);
    tierButtons->addStretch(1);
    auto *tierSide = new QVBoxLayout;
    tierSide->addLayout(tierButtons);
    tierSide->addWidget(tierHint);
    tierSide->addStretch(1);
    auto *tierRow = new QHBoxLayout;
    tierRow->addWidget(m_tiers, 3);
    tierRow->addLayout(tierSide, 2);
    layout->addLayout(tierRow);

    auto *note = new QLabel(this);
    note->setObjectName(QStringLiteral("noteLabel"));
    note->setWordWrap(true);
    note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    note->setText(tr("These prices are estimates to help you plan; what the image service bills you is what "
                     "counts. About the built-in prices: %1")
                      .arg(HttpPriceTable::builtIn().value(QStringLiteral("about")).toString()));
    QFont small = note->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    note->setFont(small);
    layout->addWidget(note);

    m_buttons->setObjectName(QStringLiteral("buttons"));
    m_buttons->button(QDialogButtonBox::Save)->setObjectName(QStringLiteral("saveButton"));
    m_buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &PriceTableDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(m_buttons);

    connect(m_models, &QTableWidget::currentCellChanged, this, [this](int row) {
        showTiers(row);
        updateButtons();
    });
    connect(m_models, &QTableWidget::cellChanged, this, &PriceTableDialog::onModelItemChanged);
    connect(m_tiers, &QTableWidget::cellChanged, this, &PriceTableDialog::onTierItemChanged);
    connect(m_tiers, &QTableWidget::currentCellChanged, this, &PriceTableDialog::updateButtons);
    connect(m_addModel, &QPushButton::clicked, this, &PriceTableDialog::addModel);
    connect(m_removeModel, &QPushButton::clicked, this, &PriceTableDialog::removeModel);
    connect(m_addTier, &QPushButton::clicked, this, &PriceTableDialog::addTier);
    connect(m_removeTier, &QPushButton::clicked, this, &PriceTableDialog::removeTier);
    connect(m_restore, &QPushButton::clicked, this, &PriceTableDialog::restoreBuiltIn);

    load(HttpPriceTable::effective());
    const Error problem = HttpPriceTable::userTableError();
    if (!problem.isNull())
        setError(problem.userMessage);
    resize(sizeHint().expandedTo(QSize(860, 640)));
}

QString PriceTableDialog::summary(const QJsonArray &tiers)
{
    QList<QPair<QString, QString>> texts;
    for (const QJsonValue &value : tiers) {
        const QJsonObject tier = value.toObject();
        texts.append({ tier.contains(MaxEdgeKey) ? number(tier.value(MaxEdgeKey).toDouble()) : QString(),
            number(tier.value(UsdKey).toDouble()) });
    }
    return summaryOf(texts);
}

int PriceTableDialog::rowOf(const QString &key) const
{
    for (int row = 0; row < m_entries.size(); ++row) {
        if (keyOf(m_entries.at(row)) == key)
            return row;
    }
    return -1;
}

QString PriceTableDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QString PriceTableDialog::keyOf(const Entry &entry)
{
    return entry.provider + QLatin1Char('/') + entry.model.trimmed();
}

QString PriceTableDialog::rowName(int row) const
{
    const Entry &entry = m_entries.at(row);
    const QString model = entry.model.trimmed();
    return model.isEmpty() ? tr("the new %1 model").arg(ApiKeyStore::displayName(entry.provider))
                           : tr("%1 %2").arg(ApiKeyStore::displayName(entry.provider), model);
}

void PriceTableDialog::load(const QJsonObject &table)
{
    const QJsonObject builtIn = HttpPriceTable::builtIn().value(ModelsKey).toObject();
    const QJsonObject models = table.value(ModelsKey).toObject();
    QList<Entry> entries;
    // Service by service in the order of the Image Services dialog, models alphabetically within each.
    QStringList providers = ApiKeyStore::providers();
    for (const QString &provider : HttpPriceTable::knownProviders()) {
        if (!providers.contains(provider))
            providers.append(provider);
    }
    for (const QString &provider : std::as_const(providers)) {
        const QString prefix = provider + QLatin1Char('/');
        for (auto it = models.begin(); it != models.end(); ++it) {
            if (!it.key().startsWith(prefix))
                continue;
            Entry entry;
            entry.provider = provider;
            entry.model = it.key().mid(prefix.size());
            entry.builtIn = builtIn.contains(it.key());
            for (const QJsonValue &value : it.value().toArray()) {
                const QJsonObject tier = value.toObject();
                entry.tiers.append({ tier.contains(MaxEdgeKey) ? number(tier.value(MaxEdgeKey).toDouble()) : QString(),
                    number(tier.value(UsdKey).toDouble()) });
            }
            entries.append(entry);
        }
    }

    m_shownRow = -1;
    {
        const QSignalBlocker block(m_models);
        m_models->setRowCount(0);
        m_entries.clear();
    }
    for (const Entry &entry : std::as_const(entries))
        appendRow(entry);
    m_models->setCurrentCell(m_entries.isEmpty() ? -1 : 0, ModelIdColumn);
    showTiers(m_models->currentRow());
    updateButtons();
}

void PriceTableDialog::appendRow(const Entry &entry)
{
    const QSignalBlocker block(m_models);
    const int row = m_models->rowCount();
    m_entries.append(entry);
    m_models->insertRow(row);
    for (int column = 0; column < ModelColumnCount; ++column) {
        auto *item = new QTableWidgetItem;
        item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
        m_models->setItem(row, column, item);
    }
    if (!entry.builtIn) {
        auto *box = new QComboBox(m_models);
        box->setObjectName(QStringLiteral("serviceBox_%1").arg(row));
        box->setAccessibleName(tr("Image service"));
        for (const QString &provider : ApiKeyStore::providers())
            box->addItem(ApiKeyStore::displayName(provider), provider);
        if (box->findData(entry.provider) < 0)
            box->addItem(ApiKeyStore::displayName(entry.provider), entry.provider);
        box->setCurrentIndex(box->findData(entry.provider));
        connect(box, &QComboBox::currentIndexChanged, this, [this, box] {
            for (int r = 0; r < m_models->rowCount(); ++r) {
                if (m_models->cellWidget(r, ServiceColumn) == box) {
                    m_entries[r].provider = box->currentData().toString();
                    refreshRow(r);
                    if (r == m_shownRow)
                        showTiers(r);
                    setError({});
                }
            }
        });
        m_models->setCellWidget(row, ServiceColumn, box);
        m_models->item(row, ModelIdColumn)->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable);
        m_models->item(row, ModelIdColumn)
            ->setToolTip(tr("The model id as the service names it, for example "
                            "black-forest-labs/flux-2-pro"));
    }
    refreshRow(row);
}

void PriceTableDialog::refreshRow(int row)
{
    const QSignalBlocker block(m_models);
    const Entry &entry = m_entries.at(row);
    m_models->item(row, ServiceColumn)->setText(ApiKeyStore::displayName(entry.provider));
    QTableWidgetItem *model = m_models->item(row, ModelIdColumn);
    model->setText(entry.model);
    model->setData(KeyRole, keyOf(entry));

    QList<QPair<QString, QString>> texts;
    QJsonArray tiers;
    bool parsed = true;
    for (const Tier &tier : entry.tiers) {
        const auto usd = parseUsd(tier.usd);
        const auto edge = parseEdge(tier.maxEdge);
        texts.append({ tier.maxEdge.trimmed().isEmpty() ? QString()
                : edge                                  ? number(*edge)
                                                        : tier.maxEdge.trimmed(),
            usd ? number(*usd) : tier.usd.trimmed() });
        parsed = parsed && usd && (tier.maxEdge.trimmed().isEmpty() || edge);
        QJsonObject json { { UsdKey, usd.value_or(0) } };
        if (!tier.maxEdge.trimmed().isEmpty())
            json.insert(MaxEdgeKey, edge.value_or(0));
        tiers.append(json);
    }
    m_models->item(row, PriceColumn)->setText(summaryOf(texts));

    QString source;
    if (!entry.builtIn) {
        source = tr("Added by you");
    } else {
        const QJsonArray builtIn = HttpPriceTable::builtIn().value(ModelsKey).toObject().value(keyOf(entry)).toArray();
        source = parsed && sameTiers(tiers, builtIn) ? tr("Built-in") : tr("Your price");
    }
    m_models->item(row, SourceColumn)->setText(source);
}

void PriceTableDialog::showTiers(int row)
{
    m_shownRow = row >= 0 && row < m_entries.size() ? row : -1;
    const QSignalBlocker block(m_tiers);
    m_tiers->setRowCount(0);
    if (m_shownRow < 0) {
        m_tiersLabel->setText(tr("Prices by picture &size (choose a model above):"));
        m_tiers->setEnabled(false);
        updateButtons();
        return;
    }
    m_tiers->setEnabled(true);
    m_tiersLabel->setText(tierLabelText(rowName(m_shownRow)));
    const Entry &entry = m_entries.at(m_shownRow);
    m_tiers->setRowCount(int(entry.tiers.size()));
    for (int r = 0; r < entry.tiers.size(); ++r) {
        m_tiers->setItem(r, MaxEdgeColumn, new QTableWidgetItem(entry.tiers.at(r).maxEdge));
        m_tiers->setItem(r, UsdColumn, new QTableWidgetItem(entry.tiers.at(r).usd));
    }
    updateButtons();
}

void PriceTableDialog::onModelItemChanged(int row, int column)
{
    if (column != ModelIdColumn || row < 0 || row >= m_entries.size())
        return;
    m_entries[row].model = m_models->item(row, column)->text();
    refreshRow(row);
    if (row == m_shownRow)
        m_tiersLabel->setText(tierLabelText(rowName(row)));
    setError({});
}

void PriceTableDialog::onTierItemChanged(int tierRow, int column)
{
    if (m_shownRow < 0 || tierRow < 0 || tierRow >= m_entries.at(m_shownRow).tiers.size())
        return;
    Tier &tier = m_entries[m_shownRow].tiers[tierRow];
    const QString text = m_tiers->item(tierRow, column)->text();
    if (column == MaxEdgeColumn)
        tier.maxEdge = text;
    else
        tier.usd = text;
    refreshRow(m_shownRow);
    setError({});
}

void PriceTableDialog::addModel()
{
    const int current = m_models->currentRow();
    QString provider = current >= 0 ? m_entries.at(current).provider : QString();
    if (!ApiKeyStore::providers().contains(provider))
        provider = ApiKeyStore::providers().constFirst();
    Entry entry;
    entry.provider = provider;
    entry.tiers.append(Tier {});
    appendRow(entry);
    const int row = m_models->rowCount() - 1;
    m_models->setCurrentCell(row, ModelIdColumn);
    m_models->scrollToItem(m_models->item(row, ModelIdColumn));
    m_models->setFocus();
    m_models->editItem(m_models->item(row, ModelIdColumn));
}

void PriceTableDialog::removeModel()
{
    const int row = m_models->currentRow();
    if (row < 0 || m_entries.at(row).builtIn)
        return;
    {
        const QSignalBlocker block(m_models);
        m_models->removeRow(row);
        m_entries.removeAt(row);
        for (int r = row; r < m_models->rowCount(); ++r) {
            if (QWidget *box = m_models->cellWidget(r, ServiceColumn))
                box->setObjectName(QStringLiteral("serviceBox_%1").arg(r));
        }
    }
    m_models->setCurrentCell(qMin(row, m_models->rowCount() - 1), ModelIdColumn);
    showTiers(m_models->currentRow());
    setError({});
}

void PriceTableDialog::addTier()
{
    if (m_shownRow < 0)
        return;
    QList<Tier> &tiers = m_entries[m_shownRow].tiers;
    int added = 0;
    int column = UsdColumn;
    if (!tiers.isEmpty() && tiers.last().maxEdge.trimmed().isEmpty()) {
        // A size below the catch-all line, priced like it until the user says otherwise.
        double edge = 1024;
        for (const Tier &tier : std::as_const(tiers)) {
            if (const auto bound = parseEdge(tier.maxEdge))
                edge = *bound * 2;
        }
        added = int(tiers.size()) - 1;
        tiers.insert(added, { number(edge), tiers.last().usd });
        column = MaxEdgeColumn;
    } else {
        added = int(tiers.size());
        tiers.append(Tier {}); // the catch-all line for all larger pictures
    }
    refreshRow(m_shownRow);
    showTiers(m_shownRow);
    m_tiers->setCurrentCell(added, column);
    m_tiers->setFocus();
    m_tiers->editItem(m_tiers->item(added, column));
    setError({});
}

void PriceTableDialog::removeTier()
{
    const int tierRow = m_tiers->currentRow();
    if (m_shownRow < 0 || tierRow < 0 || m_entries.at(m_shownRow).tiers.size() <= 1)
        return;
    m_entries[m_shownRow].tiers.removeAt(tierRow);
    refreshRow(m_shownRow);
    showTiers(m_shownRow);
    m_tiers->setCurrentCell(qMin(tierRow, m_tiers->rowCount() - 1), UsdColumn);
    setError({});
}

void PriceTableDialog::restoreBuiltIn()
{
    load(HttpPriceTable::builtIn());
    setError({});
}

void PriceTableDialog::updateButtons()
{
    const int row = m_models->currentRow();
    const bool builtIn = row >= 0 && row < m_entries.size() && m_entries.at(row).builtIn;
    m_removeModel->setEnabled(row >= 0 && row < m_entries.size() && !builtIn);
    m_removeModel->setToolTip(builtIn ? tr("Models that come with Calendar Studio cannot be removed; change their "
                                           "price or restore the built-in prices")
                                      : tr("Remove the model you added"));
    m_addTier->setEnabled(m_shownRow >= 0);
    m_removeTier->setEnabled(
        m_shownRow >= 0 && m_entries.at(m_shownRow).tiers.size() > 1 && m_tiers->currentRow() >= 0);
    m_removeTier->setToolTip(m_shownRow >= 0 && m_entries.at(m_shownRow).tiers.size() <= 1
            ? tr("A model needs at least one price")
            : tr("Remove the chosen price line"));
}

void PriceTableDialog::setError(const QString &text, int row)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
    m_error->setStyleSheet(text.isEmpty() ? QString() : QStringLiteral("color: #b3261e;"));
    if (row >= 0 && row < m_models->rowCount()) {
        m_models->setCurrentCell(row, ModelIdColumn);
        m_models->scrollToItem(m_models->item(row, ModelIdColumn));
    }
}

QJsonObject PriceTableDialog::toTable(QString *problem, int *problemRow) const
{
    const auto fail = [&](int row, const QString &text) {
        *problem = text;
        *problemRow = row;
        return QJsonObject();
    };
    QJsonObject models;
    QHash<QString, int> seen;
    for (int row = 0; row < m_entries.size(); ++row) {
        const Entry &entry = m_entries.at(row);
        if (entry.model.trimmed().isEmpty())
            return fail(row,
                tr("Row %1: enter the id of the %2 model, as the service names it.")
                    .arg(row + 1)
                    .arg(ApiKeyStore::displayName(entry.provider)));
        const QString key = keyOf(entry);
        if (seen.contains(key))
            return fail(row,
                tr("\u201c%1\u201d is in the list twice (rows %2 and %3); remove one of them.")
                    .arg(key)
                    .arg(seen.value(key) + 1)
                    .arg(row + 1));
        seen.insert(key, row);
        QJsonArray tiers;
        for (int i = 0; i < entry.tiers.size(); ++i) {
            const Tier &tier = entry.tiers.at(i);
            const auto usd = parseUsd(tier.usd);
            if (!usd && tier.usd.trimmed().isEmpty())
                return fail(row,
                    tr("\u201c%1\u201d, price line %2: enter the price of one picture in US dollars, such as 0.24.")
                        .arg(key)
                        .arg(i + 1));
            if (!usd)
                return fail(row,
                    tr("\u201c%1\u201d, price line %2: \u201c%3\u201d is not a price in US dollars such as 0.24.")
                        .arg(key)
                        .arg(i + 1)
                        .arg(tier.usd.trimmed()));
            QJsonObject json { { UsdKey, *usd } };
            if (!tier.maxEdge.trimmed().isEmpty()) {
                const auto edge = parseEdge(tier.maxEdge);
                if (!edge)
                    return fail(row,
                        tr("\u201c%1\u201d, price line %2: \u201c%3\u201d is not a long edge in pixels such as 2048.")
                            .arg(key)
                            .arg(i + 1)
                            .arg(tier.maxEdge.trimmed()));
                json.insert(MaxEdgeKey, *edge);
            }
            tiers.append(json);
        }
        // Row by row, so the problem is shown on its row.
        const Status valid = HttpPriceTable::validate(QJsonObject { { ModelsKey, QJsonObject { { key, tiers } } } });
        if (!valid)
            return fail(row, valid.error().userMessage);
        models.insert(key, tiers);
    }
    return QJsonObject { { QStringLiteral("currency"), QStringLiteral("USD") }, { ModelsKey, models } };
}

QJsonObject PriceTableDialog::differences(const QJsonObject &table)
{
    const QJsonObject builtIn = HttpPriceTable::builtIn().value(ModelsKey).toObject();
    const QJsonObject models = table.value(ModelsKey).toObject();
    QJsonObject own;
    for (auto it = models.begin(); it != models.end(); ++it) {
        if (!sameTiers(it.value().toArray(), builtIn.value(it.key()).toArray()) || !builtIn.contains(it.key()))
            own.insert(it.key(), it.value());
    }
    return QJsonObject { { QStringLiteral("currency"), QStringLiteral("USD") },
        { QStringLiteral("about"),
            QStringLiteral("Your own prices, set in Calendar Studio under Edit > Image Prices. Models not listed "
                           "here use the built-in prices.") },
        { ModelsKey, own } };
}

void PriceTableDialog::keyPressEvent(QKeyEvent *event)
{
    // Return in a table finishes the cell being edited; it must not save and close the dialog.
    QWidget *focus = focusWidget();
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && focus
        && (m_models->isAncestorOf(focus) || m_tiers->isAncestorOf(focus))) {
        event->accept();
        return;
    }
    QDialog::keyPressEvent(event);
}

void PriceTableDialog::commitEditors()
{
    // Save by its shortcut while a cell is still being edited: take what is typed there.
    for (QTableWidget *table : { m_models, m_tiers }) {
        // Cell editors are line edits; the service boxes are cell widgets, not editors.
        if (auto *editor = qobject_cast<QLineEdit *>(table->indexWidget(table->currentIndex()))) {
            Q_EMIT table->itemDelegate()->commitData(editor);
            Q_EMIT table->itemDelegate()->closeEditor(editor);
        }
    }
}

void PriceTableDialog::accept()
{
    commitEditors();
    QString problem;
    int problemRow = -1;
    const QJsonObject table = toTable(&problem, &problemRow);
    if (!problem.isEmpty()) {
        setError(problem, problemRow);
        return;
    }
    const QJsonObject own = differences(table);
    const bool changed = own.value(ModelsKey).toObject() != HttpPriceTable::userTable().value(ModelsKey).toObject()
        || !HttpPriceTable::userTableError().isNull();
    const Status status = own.value(ModelsKey).toObject().isEmpty() ? HttpPriceTable::resetUserTable()
                                                                    : HttpPriceTable::saveUserTable(own);
    if (!status) {
        setError(status.error().userMessage);
        return;
    }
    if (changed)
        Q_EMIT pricesChanged();
    QDialog::accept();
}

} // namespace CalStudio
