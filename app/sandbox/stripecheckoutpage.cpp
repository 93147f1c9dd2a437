#include "app/sandbox/stripecheckoutpage.h"

#include <QSet>

namespace CalStudio {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

const char *styleSheet()
{
    return R"css(
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  body { margin: 0; background: #f6f8fa; color: #1a1f36; }
  main { max-width: 34rem; margin: 2rem auto; background: #fff; border-radius: 8px; padding: 1.5rem 2rem;
         box-shadow: 0 1px 3px rgba(0,0,0,.12); }
  .sandbox { background: #fff4d6; border: 1px solid #f0c36d; border-radius: 4px; padding: .5rem .75rem;
             font-size: .9rem; margin-top: 0; }
  h1 { font-size: 1.3rem; margin: 1rem 0; }
  table { width: 100%; border-collapse: collapse; margin-bottom: 1rem; }
  td { padding: .3rem 0; } td.amount { text-align: right; white-space: nowrap; }
  tr.total td { font-weight: 600; border-top: 1px solid #e3e8ee; padding-top: .5rem; }
  fieldset { border: 1px solid #e3e8ee; border-radius: 6px; margin: 0 0 1rem; padding: .5rem .75rem .75rem; }
  legend { font-weight: 600; font-size: .9rem; padding: 0 .25rem; }
  label { display: block; font-size: .85rem; margin-top: .4rem; }
  label.option { display: flex; gap: .5rem; align-items: center; font-size: .95rem; }
  input[type=text], input[type=email], input[type=tel], select { width: 100%; box-sizing: border-box;
         padding: .4rem; border: 1px solid #cfd7df; border-radius: 4px; font: inherit; }
  .row { display: flex; gap: .5rem; } .row > label { flex: 1; }
  .error { color: #b3093c; background: #fde8ec; border-radius: 4px; padding: .5rem .75rem; }
  .actions { display: flex; flex-wrap: wrap; gap: .5rem; }
  button { font: inherit; padding: .6rem 1rem; border-radius: 6px; border: 1px solid #635bff; cursor: pointer; }
  button.primary { background: #635bff; color: #fff; flex-basis: 100%; font-weight: 600; }
  button.secondary { background: #fff; color: #635bff; }
  .note { font-size: .8rem; color: #697386; }
  a { color: #635bff; }
)css";
}

QString pageHead(const QString &title)
{
    return QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                          "<title>%1</title>\n<style>%2</style>\n</head>\n<body>\n<main>\n"
                          "<p class=\"sandbox\">Sandbox — this is not a real payment page and no card is "
                          "charged.</p>\n")
        .arg(esc(title), QString::fromLatin1(styleSheet()));
}

QString textField(
    const QString &label, const QString &name, const QString &type, const QString &value, const QString &autocomplete)
{
    return QStringLiteral("<label>%1<input type=\"%2\" name=\"%3\" value=\"%4\" autocomplete=\"%5\"></label>\n")
        .arg(esc(label), type, name, esc(value), autocomplete);
}

} // namespace

QString StripeCheckoutPage::formatAmount(qint64 minorUnits, const QString &currency)
{
    static const QSet<QString> zeroDecimal { QStringLiteral("bif"), QStringLiteral("clp"), QStringLiteral("djf"),
        QStringLiteral("gnf"), QStringLiteral("jpy"), QStringLiteral("kmf"), QStringLiteral("krw"),
        QStringLiteral("mga"), QStringLiteral("pyg"), QStringLiteral("rwf"), QStringLiteral("ugx"),
        QStringLiteral("vnd"), QStringLiteral("vuv"), QStringLiteral("xaf"), QStringLiteral("xof"),
        QStringLiteral("xpf") };
    const QString code = currency.toLower();
    const bool negative = minorUnits < 0;
    const qint64 value = negative ? -minorUnits : minorUnits;
    const QString number = zeroDecimal.contains(code)
        ? QString::number(value)
        : QStringLiteral("%1.%2").arg(value / 100).arg(value % 100, 2, 10, QLatin1Char('0'));
    const QString sign = negative ? QStringLiteral("-") : QString();
    if (code == QLatin1String("usd"))
        return sign + QLatin1Char('$') + number;
    if (code == QLatin1String("eur"))
        return sign + QStringLiteral("€") + number;
    if (code == QLatin1String("gbp"))
        return sign + QStringLiteral("£") + number;
    if (code == QLatin1String("jpy"))
        return sign + QStringLiteral("¥") + number;
    if (code == QLatin1String("cad"))
        return sign + QStringLiteral("CA$") + number;
    if (code == QLatin1String("aud"))
        return sign + QStringLiteral("A$") + number;
    return sign + number + QLatin1Char(' ') + code.toUpper();
}

QByteArray StripeCheckoutPage::render(
    const StripeCheckoutSession &session, const StripeCheckoutSession::Contact &prefill, const QString &error)
{
    const QString currency = session.currency;
    const QString total = formatAmount(session.amountSubtotal() + session.amountShipping(), currency);
    QString html = pageHead(QString::fromUtf8(Title));
    html += QStringLiteral("<h1>Sandbox Shop</h1>\n<table id=\"items\">\n");
    for (const StripeCheckoutSession::LineItem &line : session.lineItems) {
        html += QStringLiteral("<tr><td>%1 × %2</td><td class=\"amount\">%3</td></tr>\n")
                    .arg(esc(line.name), QString::number(line.quantity),
                        formatAmount(line.unitAmount * line.quantity, currency));
    }
    html += QStringLiteral("<tr><td>Subtotal</td><td class=\"amount\" id=\"subtotal\">%1</td></tr>\n")
                .arg(formatAmount(session.amountSubtotal(), currency));
    if (!session.shippingOptions.isEmpty()) {
        html += QStringLiteral("<tr><td>Shipping</td><td class=\"amount\" id=\"shipping-amount\">%1</td></tr>\n")
                    .arg(formatAmount(session.amountShipping(), currency));
    }
    html += QStringLiteral("<tr class=\"total\"><td>Total due</td><td class=\"amount\" id=\"total\">%1</td></tr>\n"
                           "</table>\n")
                .arg(total);
    html += QStringLiteral("<p id=\"error\" class=\"error\" role=\"alert\"%1>%2</p>\n")
                .arg(error.isEmpty() ? QStringLiteral(" hidden") : QString(), esc(error));

    html += QStringLiteral("<form id=\"pay-form\" method=\"post\" action=\"/c/pay/%1\">\n").arg(esc(session.id));
    if (!session.shippingOptions.isEmpty()) {
        html += QStringLiteral("<fieldset><legend>Shipping method</legend>\n");
        for (qsizetype i = 0; i < session.shippingOptions.size(); ++i) {
            const StripeCheckoutSession::ShippingOption &option = session.shippingOptions.at(i);
            html += QStringLiteral("<label class=\"option\"><input type=\"radio\" name=\"shipping_option\" "
                                   "value=\"%1\" data-amount=\"%2\" data-total=\"%3\"%4> %5 — %2</label>\n")
                        .arg(QString::number(i), formatAmount(option.amount, currency),
                            formatAmount(session.amountSubtotal() + option.amount, currency),
                            i == session.selectedShipping ? QStringLiteral(" checked") : QString(),
                            esc(option.displayName));
        }
        html += QStringLiteral("</fieldset>\n");
    }
    html += QStringLiteral("<fieldset><legend>Contact information</legend>\n");
    html += textField(QStringLiteral("Email"), QStringLiteral("email"), QStringLiteral("email"), prefill.email,
        QStringLiteral("email"));
    html += textField(QStringLiteral("Full name"), QStringLiteral("name"), QStringLiteral("text"), prefill.name,
        QStringLiteral("name"));
    html += textField(
        QStringLiteral("Phone"), QStringLiteral("phone"), QStringLiteral("tel"), prefill.phone, QStringLiteral("tel"));
    html += QStringLiteral("</fieldset>\n<fieldset><legend>%1</legend>\n")
                .arg(session.collectShipping ? QStringLiteral("Shipping address") : QStringLiteral("Billing address"));
    html += textField(QStringLiteral("Address line 1"), QStringLiteral("line1"), QStringLiteral("text"), prefill.line1,
        QStringLiteral("address-line1"));
    html += textField(QStringLiteral("Address line 2"), QStringLiteral("line2"), QStringLiteral("text"), prefill.line2,
        QStringLiteral("address-line2"));
    html += QStringLiteral("<div class=\"row\">\n");
    html += textField(QStringLiteral("City"), QStringLiteral("city"), QStringLiteral("text"), prefill.city,
        QStringLiteral("address-level2"));
    html += textField(QStringLiteral("State / region"), QStringLiteral("state"), QStringLiteral("text"), prefill.state,
        QStringLiteral("address-level1"));
    html += textField(QStringLiteral("Postal code"), QStringLiteral("postal_code"), QStringLiteral("text"),
        prefill.postalCode, QStringLiteral("postal-code"));
    html += QStringLiteral("</div>\n");
    if (session.collectShipping) {
        html += QStringLiteral("<label>Country<select name=\"country\" autocomplete=\"country\">\n");
        for (const QString &country : session.allowedCountries) {
            html += QStringLiteral("<option value=\"%1\"%2>%1</option>\n")
                        .arg(esc(country), country == prefill.country ? QStringLiteral(" selected") : QString());
        }
        html += QStringLiteral("</select></label>\n");
    } else {
        html += textField(QStringLiteral("Country"), QStringLiteral("country"), QStringLiteral("text"), prefill.country,
            QStringLiteral("country"));
    }
    html += QStringLiteral(
        "</fieldset>\n<fieldset><legend>Card</legend>\n"
        "<label>Card number<input type=\"text\" name=\"card_number\" value=\"4242 4242 4242 4242\" readonly></label>\n"
        "<p class=\"note\">A sandbox test card: nothing is charged. Decline answers like card 4000 0000 0000 0002; "
        "3-D Secure asks for a second step in a popup window, as a bank does.</p>\n</fieldset>\n"
        "<input type=\"hidden\" name=\"three_d_secure\" id=\"three-d-secure\" value=\"\">\n");
    html += QStringLiteral(
        "<div class=\"actions\">\n"
        "<button type=\"submit\" class=\"primary\" name=\"action\" value=\"pay\" id=\"pay\">Pay %1</button>\n"
        "<button type=\"submit\" class=\"secondary\" name=\"action\" value=\"decline\" "
        "id=\"decline\">Decline</button>\n"
        "<button type=\"button\" class=\"secondary\" id=\"pay-3ds\" hidden>Pay with 3-D Secure</button>\n"
        "</div>\n</form>\n")
                .arg(total);
    if (!session.cancelUrl.isEmpty())
        html += QStringLiteral("<p><a id=\"cancel\" href=\"%1\">Cancel</a></p>\n").arg(esc(session.cancelUrl));
    html += QStringLiteral(R"js(</main>
<script>
(function () {
  'use strict';
  var form = document.getElementById('pay-form');
  var pay = document.getElementById('pay');
  var total = document.getElementById('total');
  var shippingAmount = document.getElementById('shipping-amount');
  var error = document.getElementById('error');
  var secure = document.getElementById('three-d-secure');
  function showError(text) { error.textContent = text; error.hidden = false; }
  function update() {
    var checked = form.querySelector('input[name="shipping_option"]:checked');
    if (!checked) return;
    total.textContent = checked.dataset.total;
    if (shippingAmount) shippingAmount.textContent = checked.dataset.amount;
    pay.textContent = 'Pay ' + checked.dataset.total;
  }
  Array.prototype.forEach.call(form.querySelectorAll('input[name="shipping_option"]'), function (radio) {
    radio.addEventListener('change', update);
  });
  var button3ds = document.getElementById('pay-3ds');
  button3ds.hidden = false;
  button3ds.addEventListener('click', function () {
    error.hidden = true;
    var popup = window.open('/c/pay/%1/3ds', '3ds', 'width=420,height=520');
    if (!popup) showError('The 3-D Secure window could not be opened.');
  });
  window.addEventListener('message', function (event) {
    if (event.origin !== window.location.origin) return;
    if (event.data === 'sandbox-3ds:complete') {
      secure.value = 'authenticated';
      pay.click();
    } else if (event.data === 'sandbox-3ds:failed') {
      showError('Authentication failed');
    }
  });
})();
</script>
</body>
</html>
)js")
                .arg(session.id);
    return html.toUtf8();
}

QByteArray StripeCheckoutPage::renderChallenge(const StripeCheckoutSession &session)
{
    QStringList names;
    for (const StripeCheckoutSession::LineItem &line : session.lineItems)
        names.append(esc(line.name));
    QString html = pageHead(QStringLiteral("3-D Secure — Sandbox Bank"));
    html += QStringLiteral(
        "<h1>Sandbox Bank</h1>\n<p>Confirm your payment to Sandbox Shop for: %1.</p>\n"
        "<p class=\"note\">A test challenge: no bank is contacted.</p>\n"
        "<div class=\"actions\">\n"
        "<button type=\"button\" class=\"primary\" id=\"complete-3ds\">Complete authentication</button>\n"
        "<button type=\"button\" class=\"secondary\" id=\"fail-3ds\">Fail authentication</button>\n"
        "</div>\n<p id=\"status\" role=\"status\"></p>\n</main>\n")
                .arg(names.join(QStringLiteral(", ")));
    html += QStringLiteral(R"js(<script>
(function () {
  'use strict';
  function finish(result) {
    var opener = window.opener;
    if (opener && !opener.closed) {
      opener.postMessage('sandbox-3ds:' + result, window.location.origin);
      window.close();
    } else {
      document.getElementById('status').textContent =
        'The checkout window is gone: close this window and start the payment again.';
    }
  }
  document.getElementById('complete-3ds').addEventListener('click', function () { finish('complete'); });
  document.getElementById('fail-3ds').addEventListener('click', function () { finish('failed'); });
})();
</script>
</body>
</html>
)js");
    return html.toUtf8();
}

QByteArray StripeCheckoutPage::renderMessage(const QString &heading, const QString &text)
{
    QString html = pageHead(QString::fromUtf8(Title));
    html += QStringLiteral("<h1>%1</h1>\n<p>%2</p>\n</main>\n</body>\n</html>\n").arg(esc(heading), esc(text));
    return html.toUtf8();
}

} // namespace CalStudio
