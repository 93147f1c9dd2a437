#pragma once

#include "core/calendar/specialdate.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace CalStudio {

/**
 * Adds or edits one personal date: the day (with its original year, which
 * gives ages), a name, the kind, whether it repeats every year, whether the
 * age is shown, and — for 29 February — where it goes in other years. A line
 * at the bottom shows the text the calendar will print.
 *
 * OK stays disabled until the date has a name.
 */
class SpecialDateDialog : public QDialog {
    Q_OBJECT
public:
    /// `previewYear` is the calendar's first year, used for the sample text.
    explicit SpecialDateDialog(int previewYear, QWidget *parent = nullptr);

    /// Fills the fields from `date` (its id is kept for specialDate()).
    void setSpecialDate(const SpecialDate &date);
    [[nodiscard]] SpecialDate specialDate() const;

private:
    void updateState();

    int m_previewYear;
    qint64 m_id = 0;
    QDateEdit *m_date;
    QLineEdit *m_label;
    QComboBox *m_kind;
    QCheckBox *m_recurring;
    QCheckBox *m_showAge;
    QLabel *m_leapLabel;
    QComboBox *m_leapRule;
    QLabel *m_sample;
    QDialogButtonBox *m_buttons;
};

} // namespace CalStudio
