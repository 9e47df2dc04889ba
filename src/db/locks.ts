import { type CrmPrisma, type CrmTx, type DbProvider, providerOfClient } from './client';

/** Advisory lock keys: constants unique to each purpose. */
export const LOCKS = {
  /** Roster changes (the last-admin rule counts admins). */
  roster: 72_410_001,
  /** Currency rates and the USD figures computed from them. */
  rates: 72_410_002,
} as const;

type Locker = (tx: CrmTx, key: number) => Promise<void>;

const LOCKERS: Record<DbProvider, Locker> = {
  // Every write transaction begins IMMEDIATE (sqlite-adapter.ts), which already serialises them.
  sqlite: async () => {},
  // A transaction-scoped advisory lock: held until commit or rollback.
  postgres: async (tx, key) => {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${Number(key)})`);
  },
};

/**
 * Makes the transactions that take the same lock run one after the other, until commit.
 * `client` is the client from openDatabase that opened `tx`.
 */
export async function lockForTransaction(client: CrmPrisma, tx: CrmTx, key: number): Promise<void> {
  await LOCKERS[providerOfClient(client)](tx, key);
}
