import type { CrmTx, DbProvider } from './client';

/** Advisory lock keys: constants unique to each purpose. */
export const LOCKS = {
  /** Roster changes (the last-admin rule counts admins). */
  roster: 72_410_001,
  /** Currency rates and the USD figures computed from them. */
  rates: 72_410_002,
} as const;

/**
 * Makes the transactions that take the same lock run one after the other, until commit. On
 * PostgreSQL a transaction-scoped advisory lock; on SQLite nothing is needed: every write
 * transaction begins IMMEDIATE (sqlite-adapter.ts), which already serialises them.
 */
export async function lockForTransaction(tx: CrmTx, provider: DbProvider, key: number): Promise<void> {
  if (provider === 'postgres') await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${Number(key)})`);
}
