#pragma once

#include "app/sandbox/stripecheckoutsession.h"

#include <QByteArray>
#include <QString>

namespace CalStudio {

/**
 * The HTML of the Stripe fake's hosted checkout page at `/c/pay/{id}`, titled
 * "Sandbox Checkout — not a real payment": the line items and total, one radio
 * button per shipping option, contact and address fields prefilled with test
 * data, and the buttons Pay, Decline and "Pay with 3-D Secure" plus a Cancel
 * link to the session's cancel_url.
 *
 * Pay and Decline are plain form submits (`POST /c/pay/{id}` with
 * `action=pay|decline`, the shipping option and the fields), so they work
 * without JavaScript and over plain HTTP. "Pay with 3-D Secure" needs
 * JavaScript: it opens `/c/pay/{id}/3ds` with `window.open(…, '3ds',
 * 'width=420,height=520')`, whose "Complete authentication" posts
 * `sandbox-3ds:complete` to the opener (which then submits the pay form with
 * `three_d_secure=authenticated`) and closes itself, and whose "Fail
 * authentication" posts `sandbox-3ds:failed` (the opener shows "Authentication
 * failed"; the session stays open). Stable element ids for scripted clicks:
 * `pay-form`, `pay`, `decline`, `pay-3ds`, `cancel`, `error`, `total`,
 * `complete-3ds`, `fail-3ds`.
 */
class StripeCheckoutPage {
public:
    static constexpr auto Title = "Sandbox Checkout — not a real payment";

    /// The payment page; `error` is shown in the alert line (e.g. "Your card was declined.").
    static QByteArray render(
        const StripeCheckoutSession &session, const StripeCheckoutSession::Contact &prefill, const QString &error = {});
    /// The 3-D Secure challenge shown in the popup.
    static QByteArray renderChallenge(const StripeCheckoutSession &session);
    /// A page with a heading and one line of text (completed, expired or unknown sessions).
    static QByteArray renderMessage(const QString &heading, const QString &text);

    /// `$29.99`, `€6.99`, `£5.00`, `¥500` (zero-decimal currencies), else `12.34 SEK`.
    static QString formatAmount(qint64 minorUnits, const QString &currency);
};

} // namespace CalStudio
