import { type Database, openDatabase } from '../../src/db/client';
import { bulkReads, bulkReadsOf } from '../../src/db/off-loop-reads';
import { migratedSqliteUrl, type TestDatabaseUrl } from '../support/databases';
import { seedLead } from '../support/seed-leads';

/** A read that takes SQLite a while: counting a million rows of a recursive CTE. */
const LONG_READ = `SELECT COUNT(*) AS c FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) SELECT i FROM n)`;

/** Whether the event loop turned (a setImmediate ran) before `read` settled. */
async function loopTurnedDuring(read: () => Promise<unknown>): Promise<boolean> {
  let settled = false;
  const done = read().finally(() => {
    settled = true;
  });
  const turned = await new Promise<boolean>((resolve) => setImmediate(() => resolve(!settled)));
  await done;
  return turned;
}

describe('bulk reads on SQLite run off the event loop', () => {
  let target: TestDatabaseUrl;
  let db: Database;
  beforeAll(async () => {
    target = await migratedSqliteUrl();
    db = openDatabase(target.url);
    // Connected and warm: what follows measures the read, not the first connection.
    await db.prisma.lead.count();
  });
  afterAll(async () => {
    await db.close();
    await target.cleanup();
  });

  it('other work goes on while a long read runs in bulkReads; outside it the read holds the loop as before', async () => {
    expect(await loopTurnedDuring(() => bulkReads(() => db.prisma.$queryRawUnsafe(LONG_READ)))).toBe(true);
    expect(await loopTurnedDuring(() => db.prisma.$queryRawUnsafe(LONG_READ))).toBe(false);
  }, 60_000);

  it('a bulk read sees what was committed just before it, with the same types as Prisma’s own connection', async () => {
    const id = await seedLead(db.prisma, { customerId: 'OFF-1', name: 'Off Loop Trading', lifetimeUsdCents: 123_456n });
    const [inside, outside] = await Promise.all([
      bulkReads(() => db.prisma.lead.findUniqueOrThrow({ where: { id }, include: { customer: true } })),
      db.prisma.lead.findUniqueOrThrow({ where: { id }, include: { customer: true } }),
    ]);
    expect(inside).toEqual(outside);
    expect(inside.customer.lifetimeUsdCents).toBe(123_456n);
    expect(inside.createdAt).toBeInstanceOf(Date);
  });

  it('writes and transactions inside bulkReads stay on Prisma’s connection: a transaction reads its own writes', async () => {
    const id = await seedLead(db.prisma, { customerId: 'OFF-2', name: 'Second Trading' });
    const stage = await bulkReads(() =>
      db.prisma.$transaction(async (tx) => {
        await tx.lead.update({ where: { id }, data: { stage: 'negotiation' } });
        return (await tx.lead.findUniqueOrThrow({ where: { id } })).stage;
      }),
    );
    expect(stage).toBe('negotiation');
    await bulkReads(() => db.prisma.lead.update({ where: { id }, data: { stage: 'contacted' } }));
    expect((await bulkReads(() => db.prisma.lead.findUniqueOrThrow({ where: { id } }))).stage).toBe('contacted');
  });

  it('every step of a generator wrapped in bulkReadsOf reads off the loop', async () => {
    async function* twoReads() {
      yield await db.prisma.$queryRawUnsafe(LONG_READ);
      yield await db.prisma.$queryRawUnsafe(LONG_READ);
    }
    const it = bulkReadsOf(twoReads());
    expect(await loopTurnedDuring(() => it.next())).toBe(true);
    expect(await loopTurnedDuring(() => it.next())).toBe(true);
    expect((await it.next()).done).toBe(true);
  }, 60_000);

  it('a failing bulk read fails the way Prisma’s own connection fails it', async () => {
    const bad = 'SELECT * FROM "NoSuchTable"';
    const inside = await bulkReads(() => db.prisma.$queryRawUnsafe(bad)).catch((e: Error) => e);
    const outside = await db.prisma.$queryRawUnsafe(bad).catch((e: Error) => e);
    expect(inside).toBeInstanceOf(Error);
    expect((inside as { code?: string }).code).toBe((outside as { code?: string }).code);
    expect((inside as Error).message).toMatch(/no such table/);
  });
});
