import { ManualClock } from '../../src/clock';
import { UserFacingError } from '../../src/common/errors';
import { type Database, openDatabase } from '../../src/db/client';
import { addNote, changeStage } from '../../src/domain/leads';
import { migratedSqliteUrl, type TestDatabaseUrl } from '../support/databases';
import { seedLead } from '../support/seed-leads';

/** Two connections on one SQLite file stand for two app processes sharing it. */
describe('SQLite write transactions from two connections', () => {
  let target: TestDatabaseUrl;
  let one: Database;
  let two: Database;
  beforeAll(async () => {
    target = await migratedSqliteUrl();
    one = openDatabase(target.url);
    two = openDatabase(target.url);
  });
  afterAll(async () => {
    await one.close();
    await two.close();
    await target.cleanup();
  });

  it('60 read-then-write changes of one lead at once all land (no SQLITE_BUSY / BUSY_SNAPSHOT)', async () => {
    const id = await seedLead(one.prisma, { customerId: 'P-1', name: 'Busy Customer' });
    const clock = new ManualClock();
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) => {
        const prisma = (i % 2 ? one : two).prisma;
        return i % 3 === 0
          ? changeStage(prisma, clock, { leadId: id, actorId: 'U1', toStage: i % 2 ? 'contacted' : 'negotiation' })
          : addNote(prisma, clock, { leadId: id, actorId: 'U1', text: `busy note ${i}` });
      }),
    );
    // A stage change may be refused as a no-op ("already in …"): a refusal the user reads, not a failure.
    const failures = results.flatMap((r) =>
      r.status === 'rejected' && !(r.reason instanceof UserFacingError)
        ? [String((r.reason as Error).message).slice(0, 300)]
        : [],
    );
    expect(failures).toEqual([]);
    const refused = results.filter((r) => r.status === 'rejected').length;
    expect(await one.prisma.activity.count({ where: { leadId: id, kind: 'note' } })).toBe(40);
    expect((await one.prisma.lead.findUniqueOrThrow({ where: { id } })).version).toBe(61 - refused);
  }, 60_000);

  it("a read past Prisma (its own connection) never sees an open transaction's rows, and sees them once committed", async () => {
    const read = one.sqliteRawRead!;
    const count = async (customerId: string) =>
      Number(
        (
          (await read(`SELECT COUNT(*) AS n FROM "CustomerFigures" WHERE "customerId" = ?`, [customerId])) as {
            n: bigint;
          }[]
        )[0]!.n,
      );
    const figures = (customerId: string) => ({
      customerId,
      name: 'Raw',
      markets: 'AE',
      orderCount: 1,
      lifetimeUsdCents: 100n,
      searchText: 'raw',
    });
    let inside!: () => void;
    const insideTx = new Promise<void>((resolve) => (inside = resolve));
    let finish!: () => void;
    const finishTx = new Promise<void>((resolve) => (finish = resolve));
    const tx = one.prisma
      .$transaction(async (t) => {
        await t.customerFigures.create({ data: figures('RAW-1') });
        inside();
        await finishTx;
        throw new Error('rolled back on purpose');
      })
      .catch((err: Error) => err.message);
    await insideTx;
    // Answered while the write transaction is still open: WAL readers do not wait for writers.
    expect(await count('RAW-1')).toBe(0);
    finish();
    expect(await tx).toBe('rolled back on purpose');
    expect(await count('RAW-1')).toBe(0);
    await one.prisma.customerFigures.create({ data: figures('RAW-2') });
    expect(await count('RAW-2')).toBe(1);
  });
});
