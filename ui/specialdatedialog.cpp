#include "ui/specialdatedialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace CalStudio {

SpecialDateDialog::SpecialDateDialog(int previewYear, QWidget *parent)
    : QDialog(parent)
    , m_previewYear(previewYear)
    , m_date(new QDateEdit(this))
    , m_label(new QLineEdit(this))
    , m_kind(new QComboBox(this))
    , m_recurring(new QCheckBox(tr("&Every year"), this))
    , m_showAge(new QCheckBox(tr("Show the &age (“Anna turns 30”)"), this))
    , m_leapLabel(new QLabel(tr("In other &years:"), this))
    , m_leapRule(new QComboBox(this))
    , m_sample(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("specialDateDialog"));
    setWindowTitle(tr("Personal Date"));

    m_date->setObjectName(QStringLiteral("specialDateEdit"));
    m_date->setCalendarPopup(true);
    m_date->setDisplayFormat(QStringLiteral("d MMMM yyyy"));
    m_date->setMinimumDate(QDate(1800, 1, 1));
    m_date->setMaximumDate(QDate(2200, 12, 31));
    m_date->setDate(QDate(previewYear, 1, 1));

    m_label->setObjectName(QStringLiteral("specialDateLabel"));
    m_label->setPlaceholderText(tr("For example: Anna"));
    m_label->setMaxLength(120);

    m_kind->setObjectName(QStringLiteral("specialDateKind"));
    m_kind->addItem(tr("Birthday"), int(SpecialDate::Kind::Birthday));
    m_kind->addItem(tr("Anniversary"), int(SpecialDate::Kind::Anniversary));
    m_kind->addItem(tr("Holiday"), int(SpecialDate::Kind::Holiday));
    m_kind->addItem(tr("Other"), int(SpecialDate::Kind::Custom));

    m_recurring->setObjectName(QStringLiteral("specialDateRecurring"));
    m_recurring->setChecked(true);
    m_showAge->setObjectName(QStringLiteral("specialDateShowAge"));

    m_leapRule->setObjectName(QStringLiteral("specialDateLeapRule"));
    m_leapRule->addItem(tr("on 28 February"), int(SpecialDate::LeapRule::February28));
    m_leapRule->addItem(tr("on 1 March"), int(SpecialDate::LeapRule::March1));
    m_leapLabel->setBuddy(m_leapRule);

    m_sample->setObjectName(QStringLiteral("specialDateSample"));
    m_sample->setWordWrap(true);
    m_sample->setTextFormat(Qt::PlainText);
    m_sample->setStyleSheet(QStringLiteral("color: #6f6a62;"));

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("&Date:"), m_date);
    form->addRow(tr("&Name:"), m_label);
    form->addRow(tr("&Kind:"), m_kind);
    form->addRow(QString(), m_recurring);
    form->addRow(QString(), m_showAge);
    form->addRow(m_leapLabel, m_leapRule);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_sample);
    layout->addStretch();
    layout->addWidget(m_buttons);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_date, &QDateEdit::dateChanged, this, &SpecialDateDialog::updateState);
    connect(m_label, &QLineEdit::textChanged, this, &SpecialDateDialog::updateState);
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this](int index) {
        // Birthdays and anniversaries usually show the age; the user can still change it.
        const auto kind = SpecialDate::Kind(m_kind->itemData(index).toInt());
        m_showAge->setChecked(kind == SpecialDate::Kind::Birthday || kind == SpecialDate::Kind::Anniversary);
        updateState();
    });
    connect(m_recurring, &QCheckBox::toggled, this, &SpecialDateDialog::updateState);
    connect(m_showAge, &QCheckBox::toggled, this, &SpecialDateDialog::updateState);
    connect(m_leapRule, &QComboBox::currentIndexChanged, this, &SpecialDateDialog::updateState);

    m_kind->setCurrentIndex(0);
    m_showAge->setChecked(true);
    m_label->setFocus();
    setMinimumWidth(420);
    updateState();
}

void SpecialDateDialog::setSpecialDate(const SpecialDate &date)
{
    m_id = date.id;
    m_date->setDate(date.date);
    m_label->setText(date.label);
    m_kind->setCurrentIndex(m_kind->findData(int(date.kind)));
    // After the kind: choosing a kind proposes an age setting, the stored one wins.
    m_showAge->setChecked(date.showAge);
    m_recurring->setChecked(date.recurring);
    m_leapRule->setCurrentIndex(m_leapRule->findData(int(date.leapRule)));
    updateState();
}

SpecialDate SpecialDateDialog::specialDate() const
{
    SpecialDate d;
    d.id = m_id;
    d.date = m_date->date();
    d.label = m_label->text().trimmed();
    d.kind = SpecialDate::Kind(m_kind->currentData().toInt());
    d.recurring = m_recurring->isChecked();
    d.showAge = m_showAge->isChecked();
    d.leapRule = SpecialDate::LeapRule(m_leapRule->currentData().toInt());
    return d;
}

void SpecialDateDialog::updateState()
{
    const QDate date = m_date->date();
    const bool leapDay = date.month() == 2 && date.day() == 29;
    m_leapLabel->setVisible(leapDay && m_recurring->isChecked());
    m_leapRule->setVisible(leapDay && m_recurring->isChecked());

    const SpecialDate d = specialDate();
    const bool named = !d.label.isEmpty();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(named);
    if (!named) {
        m_sample->setText(tr("Give the date a name to see how it is printed."));
        return;
    }
    // Show it in the calendar's first year, or the year of the date itself if that is later.
    const int year = qMax(m_previewYear, date.year());
    const QDate shown = d.occurrence(year);
    if (!shown.isValid()) {
        m_sample->setText(tr("Not shown in %1.").arg(year));
        return;
    }
    m_sample->setText(
        tr("Printed on %1: “%2”").arg(QLocale().toString(shown, QStringLiteral("d MMMM yyyy")), d.cellText(year)));
}

} // namespace CalStudio
