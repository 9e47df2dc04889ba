import type { AppDeps } from './deps';
import { seedDefaultRates } from './domain/rates';
import { seedRosterFromConfig } from './domain/roster';

/**
 * Idempotent data set-up run at every start, after migrations: seeding that must exist
 * before the first request (default currency rates, the roster from CRM_* variables).
 */
export async function prepareData(deps: AppDeps): Promise<void> {
  const { config } = deps;
  const added = await seedRosterFromConfig(deps.db.prisma, {
    admins: config.CRM_ADMINS,
    managers: config.CRM_MANAGERS,
    accountManagers: config.CRM_ACCOUNT_MANAGERS,
  });
  if (added) deps.logger.info({ added }, 'roster seeded from CRM_* variables');
  const rates = await seedDefaultRates(deps.db.prisma, deps.clock);
  if (rates.length) deps.logger.info({ currencies: rates }, 'default currency rates seeded');
}
