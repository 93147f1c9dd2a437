#pragma once

#include "core/common/error.h"

#include <QFrame>

#include <functional>

class QLabel;
class QPushButton;
class QToolButton;

namespace CalStudio {

/**
 * The one place in a window where errors appear: an icon, the user message
 * (what happened and what to do next), an optional action button, a
 * "Details" expander with the technical detail, and a close button.
 *
 * Showing an error never changes anything else in the window, so no work is
 * lost; a newer error replaces the one shown.
 */
class ErrorBanner : public QFrame {
    Q_OBJECT
public:
    explicit ErrorBanner(QWidget *parent = nullptr);

    /// Shows `error`. With `actionText`, a button runs `action` and closes the banner.
    void showError(const Error &error, const QString &actionText = {}, std::function<void()> action = {});
    /// Hides the banner (as the close button does).
    void dismiss();

    [[nodiscard]] const Error &error() const { return m_error; }
    [[nodiscard]] bool isShowingError() const { return !m_error.isNull() && !isHidden(); }

Q_SIGNALS:
    void dismissed();

private:
    void setDetailsShown(bool shown);

    Error m_error;
    std::function<void()> m_action;
    QLabel *m_icon;
    QLabel *m_message;
    QLabel *m_detail;
    QPushButton *m_actionButton;
    QToolButton *m_detailsButton;
    QToolButton *m_closeButton;
};

} // namespace CalStudio
