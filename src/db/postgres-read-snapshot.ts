import { Handoff } from '../common/handoff';
import { type CrmPrisma, type CrmTx, TRANSACTION_MAX_WAIT_MS, transactionClientOf, withProviderClient } from './client';

/**
 * The longest an export may read one PostgreSQL snapshot (Prisma ends an interactive
 * transaction that outlives its timeout). A 200,000-lead export reads in well under a minute.
 */
export const SNAPSHOT_TIMEOUT_MS = 30 * 60_000;

/**
 * PostgreSQL: the pieces `make` yields from a client whose every query runs in one
 * REPEATABLE READ, READ ONLY transaction, so reads page by page see one snapshot whatever is
 * written meanwhile. The transaction holds one of Prisma's pooled connections until the last
 * piece is taken (or the consumer stops), and is never blocked by writers nor blocks them.
 * At most one piece is read ahead of the consumer.
 */
export async function* piecesInPostgresSnapshot<T>(
  prisma: CrmPrisma,
  make: (snapshot: CrmPrisma) => AsyncIterable<T>,
): AsyncGenerator<T> {
  const handoff = new Handoff<T>();
  const reading = async (tx: CrmTx) => {
    // Before any query: the snapshot is taken by the first one.
    await tx.$executeRawUnsafe('SET TRANSACTION READ ONLY');
    for await (const piece of make(transactionClientOf(prisma, tx))) {
      if (!(await handoff.put(piece))) return;
    }
  };
  const transaction = withProviderClient(prisma, {
    sqlite: () => Promise.reject(new Error('a PostgreSQL snapshot was asked of a SQLite database')),
    postgres: (client) =>
      client.$transaction((tx) => reading(tx as unknown as CrmTx), {
        isolationLevel: 'RepeatableRead',
        timeout: SNAPSHOT_TIMEOUT_MS,
        maxWait: TRANSACTION_MAX_WAIT_MS,
      }),
  });
  transaction.then(
    () => handoff.end(),
    (err: unknown) => handoff.fail(err),
  );
  try {
    for (;;) {
      const next = await handoff.take();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    handoff.leave();
    await transaction.catch(() => undefined);
  }
}
