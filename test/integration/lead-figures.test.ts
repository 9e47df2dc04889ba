import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ManualClock } from '../../src/clock';
import { type Database as CrmDatabase, type CrmPrisma, openDatabase, sqlitePath } from '../../src/db/client';
import { freshSqliteAt, knownMigrations, migrateDatabase } from '../../src/db/migrate';
import { exportCrmData, importCrmData } from '../../src/domain/crm-data';
import { DEFAULT_HOME_FILTER, type HomeFilter } from '../../src/domain/home-filter';
import { type CustomerSnapshot, writeCustomerSnapshots } from '../../src/domain/lead-sync';
import { changeOwner, changeStage } from '../../src/domain/leads';
import { loadPipeline } from '../../src/domain/pipeline';
import { seedDefaultRates, updateRate } from '../../src/domain/rates';
import { revalueCustomerFigures } from '../../src/domain/revalue-figures';
import { openTestDatabase, type Provider, tempSqliteUrl } from '../support/databases';

/**
 * The pipeline's pages by lifetime USD and the "ordered lately, never contacted" lists read
 * each lead's copies of its customer's lifetime USD and last order (kept on "Lead" by database
 * triggers, so each is one index range). Each step below writes the way the app does, then
 * checks that every copy equals its figure and that the pages the Home tab shows are the leads
 * ordered by the figures themselves.
 */
const NOW = new Date('2026-11-25T09:00:00Z');
const AM = 'U0AM00001';
const AM2 = 'U0AM00002';

function snapshot(id: string, usdCents: bigint, kwdMinor?: bigint, lastOrderAt?: Date): CustomerSnapshot {
  return {
    figures: {
      customerId: id,
      name: `Name ${id}`,
      company: null,
      email: null,
      phone: null,
      markets: 'KW',
      orderCount: 1,
      lifetimeUsdCents: usdCents,
      unknownCurrencies: '',
      lastOrderAt: lastOrderAt ?? new Date(NOW.getTime() - 86_400_000),
      rateDate: null,
      searchText: id.toLowerCase(),
    },
    totals:
      kwdMinor === undefined
        ? []
        : [{ customerId: id, currency: 'KWD', market: 'KW', orderCount: 1, lifetimeMinor: kwdMinor, lastOrderAt: NOW }],
  };
}

/** Leads whose copies differ from their customer's figures (none, when in step). */
async function outOfStep(prisma: CrmPrisma): Promise<string[]> {
  const rows = await prisma.$queryRawUnsafe<{ customerId: string }[]>(
    `SELECT l."customerId" FROM "Lead" l JOIN "CustomerFigures" c ON c."customerId" = l."customerId"
     WHERE l."lifetimeUsdCents" <> c."lifetimeUsdCents"
       OR NOT (l."lastOrderAt" = c."lastOrderAt" OR (l."lastOrderAt" IS NULL AND c."lastOrderAt" IS NULL))
     ORDER BY l."customerId"`,
  );
  return rows.map((r) => r.customerId);
}

const PAGE = 3;

/** Every page of every stage the Home tab would show for `filter`: customer ids in order. */
async function shownPages(db: CrmDatabase, filter: Partial<HomeFilter>, viewerId = AM): Promise<string[][]> {
  const pages: string[][] = [];
  for (let page = 0; ; page++) {
    const q = {
      filter: { ...DEFAULT_HOME_FILTER, ...filter, pages: { [filter.stage!]: page } },
      viewerId,
      now: NOW,
      pageSize: PAGE,
    };
    const stage = (await loadPipeline(db, q)).stages[0]!;
    if (stage.page < page || stage.leads.length === 0) return pages;
    pages.push(stage.leads.map((l) => l.customerId));
  }
}

/** The same pages from the rows: the stage's matching leads by figure, highest first, ties by customer id, highest first. */
async function expectedPages(
  prisma: CrmPrisma,
  stage: string,
  owner: 'all' | 'mine' | 'unowned',
  viewerId = AM,
): Promise<string[][]> {
  const rows = await prisma.$queryRawUnsafe<
    { customerId: string; stage: string; ownerId: string | null; cents: bigint | number | string }[]
  >(
    `SELECT l."customerId", l."stage", l."ownerId", c."lifetimeUsdCents" AS "cents" FROM "Lead" l JOIN "CustomerFigures" c ON c."customerId" = l."customerId"`,
  );
  const ids = rows
    .filter((r) => r.stage === stage)
    .filter((r) => owner === 'all' || (owner === 'mine' ? r.ownerId === viewerId : r.ownerId === null))
    .sort((a, b) => {
      const d = BigInt(b.cents) - BigInt(a.cents);
      return d !== 0n ? (d > 0n ? 1 : -1) : a.customerId < b.customerId ? 1 : -1;
    })
    .map((r) => r.customerId);
  const pages: string[][] = [];
  for (let i = 0; i < ids.length; i += PAGE) pages.push(ids.slice(i, i + PAGE));
  return pages;
}

async function expectInStep(db: CrmDatabase): Promise<void> {
  expect(await outOfStep(db.prisma)).toEqual([]);
  for (const stage of ['lead', 'trial_order'] as const)
    for (const owner of ['all', 'mine', 'unowned'] as const)
      expect(await shownPages(db, { stage, owner })).toEqual(await expectedPages(db.prisma, stage, owner));
}

const leadId = async (db: CrmDatabase, customerId: string) =>
  (await db.prisma.lead.findUniqueOrThrow({ where: { customerId } })).id;

describe.each<Provider>(['sqlite', 'postgres'])("each lead's copies of its customer's figures on %s", (provider) => {
  let db: CrmDatabase;
  let cleanup: () => Promise<void>;
  const clock = new ManualClock(NOW);
  const ids = Array.from({ length: 12 }, (_, i) => `C${String(i).padStart(2, '0')}`);

  beforeAll(async () => {
    ({ db, cleanup } = await openTestDatabase(provider));
    await db.prisma.rosterMember.createMany({ data: [AM, AM2].map((userId) => ({ userId, role: 'account_manager' })) });
    await seedDefaultRates(db.prisma, clock);
  });
  afterAll(async () => {
    await cleanup();
  });

  it('is the figure of the leads a sync creates, and pages them by it (ties by customer id)', async () => {
    // Two pairs of equal figures: the tie-break decides their order, the same on every page.
    await writeCustomerSnapshots(
      db,
      ids.map((id, i) => snapshot(id, BigInt([500, 300, 300, 900, 100, 100, 700, 50, 0, 250, 800, 60][i]!) * 100n)),
      NOW,
    );
    expect(await shownPages(db, { stage: 'lead', owner: 'all' })).toEqual([
      ['C03', 'C10', 'C06'],
      ['C00', 'C02', 'C01'],
      ['C09', 'C05', 'C04'],
      ['C11', 'C07', 'C08'],
    ]);
    await expectInStep(db);
  });

  it('follows stage and owner changes', async () => {
    for (const [i, id] of ids.entries()) {
      if (i % 2 === 0)
        await changeStage(db.prisma, clock, { leadId: await leadId(db, id), actorId: AM, toStage: 'trial_order' });
      if (i % 3 === 0)
        await changeOwner(db.prisma, clock, { leadId: await leadId(db, id), actorId: AM, ownerId: i % 2 ? AM : AM2 });
      if (i % 3 === 1) await changeOwner(db.prisma, clock, { leadId: await leadId(db, id), actorId: AM, ownerId: AM });
    }
    expect(await shownPages(db, { stage: 'trial_order', owner: 'mine' })).toEqual([['C10', 'C04']]);
    await expectInStep(db);
  });

  it('follows a sync that changes figures or only the last order (and creates a lead beside them)', async () => {
    const lastOrderOf = async (id: string) =>
      (await db.prisma.lead.findUniqueOrThrow({ where: { customerId: id } })).lastOrderAt?.toISOString();
    const lately = new Date(NOW.getTime() - 3_600_000);
    await writeCustomerSnapshots(
      db,
      [
        snapshot('C00', 1n),
        snapshot('C05', 2_000_00n),
        snapshot('C09', 300_00n),
        snapshot('C12', 650_00n),
        // The same lifetime, a later order.
        snapshot('C11', 60_00n, undefined, lately),
      ],
      NOW,
    );
    expect((await shownPages(db, { stage: 'lead', owner: 'all' }))[0]).toEqual(['C05', 'C03', 'C12']);
    expect(await lastOrderOf('C11')).toBe(lately.toISOString());
    expect(await lastOrderOf('C12')).toBe(new Date(NOW.getTime() - 86_400_000).toISOString());
    await expectInStep(db);
  });

  it('follows a revaluation after a rate change', async () => {
    await writeCustomerSnapshots(db, [snapshot('K1', 0n, 1_000_000n)], NOW);
    await updateRate(db.prisma, { currency: 'KWD', usdPerUnit: '3.5', actorId: AM }, clock);
    expect(await revalueCustomerFigures(db.prisma, ['KWD'])).toBe(1);
    // 1,000.000 KWD at 3.5 = 3,500 USD: now the top lead.
    expect((await shownPages(db, { stage: 'lead', owner: 'all' }))[0]![0]).toBe('K1');
    await expectInStep(db);
  });

  it('is rebuilt from the figures when the data is imported, whatever copy the file holds', async () => {
    const doc = await exportCrmData(db.prisma);
    // A file edited by hand (or written wrongly): the copies say nothing true.
    const edited = JSON.parse(JSON.stringify(doc)) as typeof doc;
    for (const lead of edited.tables.Lead!) {
      lead.lifetimeUsdCents = '7';
      lead.lastOrderAt = null;
    }
    const dest = await openTestDatabase(provider);
    try {
      await importCrmData(dest.db.prisma, edited);
      await expectInStep(dest.db);
      expect(await shownPages(dest.db, { stage: 'lead', owner: 'all' })).toEqual(
        await shownPages(db, { stage: 'lead', owner: 'all' }),
      );
    } finally {
      await dest.cleanup();
    }
  });
});

describe("the lead's copies of its customer's figures on an older SQLite database", () => {
  it('are copied from the figures when the migrations add them (a backup restored from before them)', async () => {
    const migrations = knownMigrations('sqlite').map((m) => m.name);
    const added = migrations.findIndex((m) => m.endsWith('_lead_usd_index'));
    const older = freshSqliteAt(migrations.slice(0, added));
    const target = tempSqliteUrl();
    try {
      older.exec(`INSERT INTO "CustomerFigures" ("customerId", "name", "markets", "orderCount", "lifetimeUsdCents", "searchText")
        VALUES ('A', 'A', 'AE', 1, 12345, 'a'), ('B', 'B', 'AE', 1, 999, 'b');
        UPDATE "CustomerFigures" SET "lastOrderAt" = '2026-11-20T10:00:00.000+00:00' WHERE "customerId" = 'A';
        INSERT INTO "Lead" ("customerId", "stage", "updatedAt") VALUES ('A', 'lead', 0), ('B', 'contacted', 0);`);
      const path = sqlitePath(target.url);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, older.serialize());
      const result = await migrateDatabase(target.url);
      expect(result.applied).toEqual(migrations.slice(added));
      const raw = new Database(path, { readonly: true });
      try {
        expect(
          raw.prepare(`SELECT "customerId", "lifetimeUsdCents", "lastOrderAt" FROM "Lead" ORDER BY "customerId"`).all(),
        ).toEqual([
          { customerId: 'A', lifetimeUsdCents: 12345, lastOrderAt: '2026-11-20T10:00:00.000+00:00' },
          { customerId: 'B', lifetimeUsdCents: 999, lastOrderAt: null },
        ]);
      } finally {
        raw.close();
      }
      const db = openDatabase(target.url);
      try {
        await db.prisma.customerFigures.update({
          where: { customerId: 'B' },
          data: { lifetimeUsdCents: 5n, lastOrderAt: new Date('2026-11-24T00:00:00Z') },
        });
        expect(await outOfStep(db.prisma)).toEqual([]);
      } finally {
        await db.close();
      }
    } finally {
      older.close();
      await target.cleanup();
    }
  });
});
