import type { AppDeps } from './deps';

/**
 * Idempotent data set-up run at every start, after migrations: seeding that must exist
 * before the first request (default currency rates, the roster from CRM_* variables).
 */
export async function prepareData(_deps: AppDeps): Promise<void> {
  // Features register their idempotent seeding here.
}
