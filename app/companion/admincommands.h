#pragma once

#include "core/companion/companionconfig.h"

#include <QStringList>

namespace CalStudio {

/**
 * `calstudio-companion admin …`: the owner's tools on the server's own
 * machine. They read the order database named by the configuration
 * directly, so they work while the server runs (and when it does not).
 *
 *   admin list [--status S] [--flagged] [--limit N] [--json]
 *   admin show ORDER_ID [--json]
 *   admin retry ORDER_ID | admin refund ORDER_ID
 *   admin sync-catalog | admin register-webhooks | admin shipping-quote FORMAT COUNTRY [QUANTITY]
 *
 * Returns the process exit code: 0 success, 1 failure (message on stderr),
 * 2 bad usage.
 */
int runAdminCommand(const CompanionConfig &config, const QStringList &arguments);

} // namespace CalStudio
