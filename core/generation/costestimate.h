#pragma once

#include <QString>

namespace CalStudio {

/**
 * What a run is expected to cost, shown before anything is sent:
 * "12 months × 2 candidates × $0.24 = $5.76". Prices come from the price
 * table (HttpPriceTable); a model the table does not know has an unknown
 * price, which is said as such rather than shown as free.
 */
struct CostEstimate {
    int months = 0;
    int candidates = 0;
    double perImageUsd = 0;
    bool free = false; ///< the offline provider: no money involved
    bool priceKnown = true;
    bool includesCover = false; ///< then the count is of "pages", not "months"

    [[nodiscard]] int images() const { return months * candidates; }
    [[nodiscard]] double totalUsd() const { return images() * perImageUsd; }
    /// The sentence shown before a run.
    [[nodiscard]] QString text() const;
    /// "$5.76"; three decimals when the amount is not in whole cents ("$0.134").
    static QString formatUsd(double usd);
};

} // namespace CalStudio
