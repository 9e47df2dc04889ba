import type { Database } from '../../src/db/client';
import { readMemberFacts, saveUserFacts } from '../../src/db/member-facts';
import { readHomeStart } from '../../src/db/pipeline/pipeline-sql';
import { type RowReader, readRows } from '../../src/db/read-rows';
import { latestFinishedRun } from '../../src/db/sync-runs';
import { Prisma } from '../../src/generated/sqlite/client';
import { openTestDatabase, type Provider } from '../support/databases';
import { seedLead } from '../support/seed-leads';

const MEMBER = 'U0MEMBER1';
const NEWCOMER = 'U0NEWCOM1';
const STRANGER = 'U0STRANGE';
const OWNER = 'U0OWNER01';
const NOBODY = 'U0NOBODY1';
const fetchedAt = new Date('2026-11-25T09:00:00.123Z');

/**
 * The reads every Home open makes past Prisma's client (src/db/read-rows.ts): their rows are
 * the rows `prisma.$queryRaw` returns for the same SQL, value for value (BigInt or number,
 * booleans, dates, NULLs), so the three reads answer as they did through Prisma, on both
 * databases; on SQLite they run on Prisma's own connection, and see what it sees.
 */
describe.each<Provider>(['sqlite', 'postgres'])('reads past Prisma’s client on %s', (provider) => {
  let db: Database;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ db, cleanup } = await openTestDatabase(provider));
  });
  afterEach(async () => cleanup());

  /** The same database, its reads made through `prisma.$queryRaw` as before. */
  const viaPrisma = (): Database => ({
    ...db,
    rowReader: (query) => db.prisma.$queryRaw<Record<string, unknown>[]>(query),
  });

  /** Runs `read` on a database whose row reader notes each query it is given. */
  async function queriesOf(read: (db: Database) => Promise<unknown>): Promise<Prisma.Sql[]> {
    const seen: Prisma.Sql[] = [];
    const noting: RowReader = (query) => {
      seen.push(query);
      return db.rowReader(query);
    };
    await read({ ...db, rowReader: noting });
    return seen;
  }

  /**
   * Each query of `read`, read again by both: the same rows. On PostgreSQL the statement's
   * snapshot (`ps`) is left out: other tests' transactions move it between two statements.
   */
  async function expectSameRows(read: (db: Database) => Promise<unknown>): Promise<void> {
    const queries = await queriesOf(read);
    expect(queries.length).toBeGreaterThan(0);
    const withoutSnapshot = (rows: Record<string, unknown>[]) =>
      rows.map(({ ps, ...rest }) => (provider === 'postgres' ? { ...rest, ps: typeof ps } : { ps, ...rest }));
    for (const query of queries) {
      const past = await readRows<Record<string, unknown>>(db, query);
      const through = await db.prisma.$queryRaw<Record<string, unknown>[]>(query);
      expect(withoutSnapshot(past)).toStrictEqual(withoutSnapshot(through));
    }
  }

  async function seedPeople(): Promise<void> {
    await db.prisma.rosterMember.create({ data: { userId: MEMBER, role: 'account_manager' } });
    await db.prisma.rosterMember.create({ data: { userId: NEWCOMER, role: 'admin' } });
    await db.prisma.rosterMember.create({ data: { userId: OWNER, role: 'account_manager' } });
    await saveUserFacts(db.prisma, MEMBER, {
      tz: 'Asia/Dubai',
      isRestricted: true,
      isUltraRestricted: false,
      deleted: false,
      fetchedAt,
    });
    await saveUserFacts(db.prisma, STRANGER, {
      tz: null,
      isRestricted: false,
      isUltraRestricted: true,
      deleted: true,
      fetchedAt,
    });
    const leadId = await seedLead(db.prisma, { customerId: 'O-1', name: 'Owned One', ownerId: OWNER });
    await db.prisma.followUpAlert.create({
      data: {
        leadId,
        ownerId: OWNER,
        message: 'Call',
        kind: 'once',
        timeOfDay: '09:00',
        timeZone: 'UTC',
        startDate: '2026-12-01',
        createdBy: OWNER,
      },
    });
    await db.prisma.userPreference.create({ data: { userId: OWNER, homeFilter: '{"owner":"mine"}' } });
    await db.prisma.agendaPreference.create({ data: { userId: OWNER, enabled: false, timeOfDay: '07:15' } });
    await db.prisma.agendaPreference.create({ data: { userId: MEMBER, enabled: true, timeOfDay: null } });
  }

  it('the viewer’s facts: a member with and without a stored profile, a stranger with one, nobody', async () => {
    await seedPeople();
    expect(await readMemberFacts(db, MEMBER)).toStrictEqual({
      role: 'account_manager',
      facts: { tz: 'Asia/Dubai', isRestricted: true, isUltraRestricted: false, deleted: false, fetchedAt },
    });
    expect(await readMemberFacts(db, NEWCOMER)).toStrictEqual({ role: 'admin', facts: null });
    expect(await readMemberFacts(db, STRANGER)).toStrictEqual({
      role: null,
      facts: { tz: null, isRestricted: false, isUltraRestricted: true, deleted: true, fetchedAt },
    });
    for (const user of [MEMBER, NEWCOMER, STRANGER, NOBODY]) {
      expect(await readMemberFacts(db, user)).toStrictEqual(await readMemberFacts(viaPrisma(), user));
      await expectSameRows((d) => readMemberFacts(d, user));
    }
  });

  it('the reader’s start: filter, follow-ups, leads and agenda preference, as through Prisma', async () => {
    await seedPeople();
    expect(await readHomeStart(db, OWNER)).toMatchObject({
      filterJson: '{"owner":"mine"}',
      hasFollowUps: true,
      ownsLeads: true,
      agenda: { enabled: false, timeOfDay: '07:15' },
    });
    expect(await readHomeStart(db, MEMBER)).toMatchObject({
      filterJson: null,
      hasFollowUps: false,
      ownsLeads: false,
      agenda: { enabled: true, timeOfDay: null },
    });
    // The versions are compared on their own below: on PostgreSQL each read moves the reference.
    const withoutVersions = ({ version, syncVersion, ...rest }: Awaited<ReturnType<typeof readHomeStart>>) => ({
      ...rest,
      version: typeof version,
      syncVersion: typeof syncVersion,
    });
    for (const user of [OWNER, MEMBER, NOBODY]) {
      expect(withoutVersions(await readHomeStart(db, user))).toStrictEqual(
        withoutVersions(await readHomeStart(viaPrisma(), user)),
      );
      await expectSameRows((d) => readHomeStart(d, user));
    }
  });

  it('the data versions: the same until a write of their concern, then new', async () => {
    await seedPeople();
    const first = await readHomeStart(db, OWNER);
    expect(first.version).toEqual(expect.any(String));
    expect(first.syncVersion).toEqual(expect.any(String));
    expect(await readHomeStart(db, MEMBER)).toMatchObject({ version: first.version, syncVersion: first.syncVersion });
    // Bookkeeping (the users.info cache, a reader's own filter) is not counted.
    await saveUserFacts(db.prisma, NOBODY, {
      tz: null,
      isRestricted: false,
      isUltraRestricted: false,
      deleted: false,
      fetchedAt,
    });
    await db.prisma.userPreference.update({ where: { userId: OWNER }, data: { homeFilter: '{}' } });
    expect(await readHomeStart(db, OWNER)).toMatchObject({ version: first.version, syncVersion: first.syncVersion });
    await db.prisma.lead.update({ where: { customerId: 'O-1' }, data: { stage: 'negotiation' } });
    const afterCrm = await readHomeStart(db, OWNER);
    expect(afterCrm.version).not.toBe(first.version);
    expect(afterCrm.syncVersion).toBe(first.syncVersion);
    await db.prisma.syncRun.create({ data: { trigger: 'test', status: 'ok', finishedAt: fetchedAt } });
    const afterSync = await readHomeStart(db, OWNER);
    expect(afterSync.version).toBe(afterCrm.version);
    expect(afterSync.syncVersion).not.toBe(afterCrm.syncVersion);
  });

  it('the latest finished run: none, then the latest by start, its counts as numbers and its times as dates', async () => {
    expect(await latestFinishedRun(db)).toBeNull();
    await expectSameRows((d) => latestFinishedRun(d));
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 9, minute, 0, 250));
    await db.prisma.syncRun.create({
      data: {
        trigger: 'schedule',
        startedAt: at(0),
        finishedAt: at(1),
        status: 'ok',
        fetched: 5,
        created: 2,
        updated: 1,
      },
    });
    await db.prisma.syncRun.create({
      data: { trigger: 'schedule', startedAt: at(10), finishedAt: at(12), status: 'failed', fetched: 7, error: 'down' },
    });
    await db.prisma.syncRun.create({ data: { trigger: 'schedule', startedAt: at(20), status: 'running' } });
    const latest = await latestFinishedRun(db);
    expect(latest).toStrictEqual({
      id: expect.any(Number),
      status: 'failed',
      startedAt: at(10),
      finishedAt: at(12),
      fetched: 7,
      created: 0,
      updated: 0,
      error: 'down',
    });
    expect(latest).toStrictEqual(await latestFinishedRun(viaPrisma()));
    await expectSameRows((d) => latestFinishedRun(d));
  });

  it('decodes each kind of column as Prisma does: integers, BigInts, booleans, dates, text, floats and NULLs', async () => {
    await seedLead(db.prisma, {
      customerId: 'C-1',
      name: 'Big',
      lifetimeUsdCents: 9_007_199_254_740_993n,
      ownerId: OWNER,
    });
    await seedLead(db.prisma, { customerId: 'C-2', name: 'Small', lastOrderAt: null, company: 'Co' });
    const query = Prisma.sql`
      SELECT l."id", l."customerId", l."ownerId", l."lastTouchAt", l."createdAt", c."lifetimeUsdCents", c."orderCount",
        c."lastOrderAt", c."company", f."active", COUNT(*) OVER () AS "n", l."id" * 2 AS "twice", CAST(l."id" AS DOUBLE PRECISION) / 4 AS "quarter",
        CAST(NULL AS TEXT) AS "nothing", CAST(${'text'} AS TEXT) AS "param", c."lifetimeUsdCents" > ${100} AS "big"
      FROM "Lead" AS l JOIN "CustomerFigures" AS c ON c."customerId" = l."customerId"
      LEFT JOIN "FollowUpAlert" AS f ON f."leadId" = l."id"
      ORDER BY l."id"`;
    const rows = await readRows<Record<string, unknown>>(db, query);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ customerId: 'C-1', lifetimeUsdCents: 9_007_199_254_740_993n, nothing: null });
    expect(rows).toStrictEqual(await db.prisma.$queryRaw(query));
  });

  it('a read while a transaction is open on Prisma’s connection sees what Prisma’s own reads see, without waiting for it', async () => {
    const seen = await db.prisma.$transaction(async (tx) => {
      await tx.rosterMember.create({ data: { userId: MEMBER, role: 'admin' } });
      // Outside the transaction, as another request served meanwhile reads its viewer.
      return { past: await readMemberFacts(db, MEMBER), through: await readMemberFacts(viaPrisma(), MEMBER) };
    });
    expect(seen.past).toStrictEqual(seen.through);
    // SQLite: Prisma's connection is one, and its transaction's writes are seen on it before they commit.
    expect(seen.past.role).toBe(provider === 'sqlite' ? 'admin' : null);
    expect(await readMemberFacts(db, MEMBER)).toStrictEqual({ role: 'admin', facts: null });
  });

  it('never gives a version to what a reader saw of a transaction that was then rolled back', async () => {
    await seedPeople();
    const before = await readHomeStart(db, OWNER);
    let during: Awaited<ReturnType<typeof readHomeStart>> | undefined;
    const refused = db.prisma.$transaction(async (tx) => {
      await tx.lead.update({ where: { customerId: 'O-1' }, data: { stage: 'trial_order' } });
      during = await readHomeStart(db, OWNER);
      throw new Error('refused');
    });
    await expect(refused).rejects.toThrow('refused');
    // SQLite's reader saw the write before it was undone; PostgreSQL's never sees it.
    if (provider === 'sqlite') expect(during?.version).not.toBe(before.version);
    else expect(during?.version).toBe(before.version);
    // The same writes again, committed: on SQLite the same counter as the rolled-back read saw.
    await db.prisma.lead.update({ where: { customerId: 'O-1' }, data: { stage: 'trial_order' } });
    const after = await readHomeStart(db, OWNER);
    expect(after.version).not.toBe(before.version);
    expect(after.version).not.toBe(during?.version);
  });

  it('reads before Prisma’s first query and after it disconnects', async () => {
    await db.prisma.$disconnect();
    expect(await readMemberFacts(db, NOBODY)).toStrictEqual({ role: null, facts: null });
    await db.prisma.rosterMember.create({ data: { userId: MEMBER, role: 'admin' } });
    await db.prisma.$disconnect();
    expect(await readMemberFacts(db, MEMBER)).toStrictEqual({ role: 'admin', facts: null });
  });

  it('refuses a column it does not decode as Prisma would, rather than answer differently', async () => {
    // The schema declares no such column on SQLite: a table of the test's own.
    if (provider === 'sqlite') await db.prisma.$executeRawUnsafe('CREATE TABLE "Probe" ("x" REAL)');
    const decimal =
      provider === 'sqlite' ? Prisma.sql`SELECT "x" FROM "Probe"` : Prisma.sql`SELECT CAST(1.5 AS NUMERIC) AS "n"`;
    await expect(readRows(db, decimal)).rejects.toThrow(/does not decode/);
  });
});
