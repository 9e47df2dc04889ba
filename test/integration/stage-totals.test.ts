import { ManualClock } from '../../src/clock';
import { type Database, openDatabase } from '../../src/db/client';
import { DEFAULT_HOME_FILTER, type HomeFilter } from '../../src/domain/home-filter';
import { type CustomerSnapshot, writeCustomerSnapshots } from '../../src/domain/lead-sync';
import { changeOwner, changeStage } from '../../src/domain/leads';
import { loadPipeline, type PipelineSnapshot } from '../../src/domain/pipeline';
import { seedDefaultRates, updateRate } from '../../src/domain/rates';
import { revalueCustomerFigures } from '../../src/domain/revalue-figures';
import { openTestDatabase, type Provider } from '../support/databases';

/**
 * The Home tab's per-stage counts and USD totals come from totals the database keeps up to
 * date on every write (StageTotal, kept by triggers). Each step below writes the way the app
 * does, then checks what the Home tab would show against a count of the rows themselves.
 */
const NOW = new Date('2026-11-25T09:00:00Z');
const AM = 'U0AM00001';
const AM2 = 'U0AM00002';

function snapshot(
  id: string,
  usdCents: bigint,
  options: { unknown?: string; kwdMinor?: bigint } = {},
): CustomerSnapshot {
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
      unknownCurrencies: options.unknown ?? '',
      lastOrderAt: new Date(NOW.getTime() - 86_400_000),
      rateDate: null,
      searchText: id.toLowerCase(),
    },
    totals:
      options.kwdMinor === undefined
        ? []
        : [
            {
              customerId: id,
              currency: 'KWD',
              market: 'KW',
              orderCount: 1,
              lifetimeMinor: options.kwdMinor,
              lastOrderAt: NOW,
            },
          ],
  };
}

const query = (filter: Partial<HomeFilter> = {}, viewerId = AM) => ({
  filter: { ...DEFAULT_HOME_FILTER, ...filter },
  viewerId,
  now: NOW,
  pageSize: 5,
});

/** What the Home tab shows per stage: count, USD cents, incomplete count and currencies. */
function shown(s: PipelineSnapshot): Record<string, [number, string, number, string]> {
  const out: Record<string, [number, string, number, string]> = {};
  for (const st of s.stages)
    if (st.count)
      out[st.slug] = [st.count, String(st.lifetimeUsdCents), st.incompleteCount, st.incompleteCurrencies.join(',')];
  return out;
}

/** The same figures counted from the rows themselves (the definition the totals must match). */
async function counted(
  db: Database,
  owner: 'all' | 'mine' | 'unowned',
  viewer = AM,
): Promise<Record<string, [number, string, number, string]>> {
  const rows = await db.prisma.$queryRawUnsafe<
    { stage: string; ownerId: string | null; unknownCurrencies: string; cents: bigint | number | string }[]
  >(
    `SELECT l."stage", l."ownerId", c."unknownCurrencies", c."lifetimeUsdCents" AS "cents" FROM "Lead" l JOIN "CustomerFigures" c ON c."customerId" = l."customerId"`,
  );
  const acc = new Map<string, { n: number; cents: bigint; incomplete: number; currencies: Set<string> }>();
  for (const r of rows) {
    if (owner === 'mine' && r.ownerId !== viewer) continue;
    if (owner === 'unowned' && r.ownerId !== null) continue;
    const a = acc.get(r.stage) ?? { n: 0, cents: 0n, incomplete: 0, currencies: new Set<string>() };
    a.n += 1;
    a.cents += BigInt(r.cents);
    if (r.unknownCurrencies) {
      a.incomplete += 1;
      for (const c of r.unknownCurrencies.split(',')) a.currencies.add(c);
    }
    acc.set(r.stage, a);
  }
  const out: Record<string, [number, string, number, string]> = {};
  for (const [stage, a] of acc) out[stage] = [a.n, String(a.cents), a.incomplete, [...a.currencies].sort().join(',')];
  return out;
}

async function expectInStep(db: Database): Promise<void> {
  expect(shown(await loadPipeline(db, query()))).toEqual(await counted(db, 'all'));
  expect(shown(await loadPipeline(db, query({ owner: 'mine' })))).toEqual(await counted(db, 'mine'));
  expect(shown(await loadPipeline(db, query({ owner: 'mine' }, AM2), undefined))).toEqual(
    await counted(db, 'mine', AM2),
  );
  expect(shown(await loadPipeline(db, query({ owner: 'unowned' })))).toEqual(await counted(db, 'unowned'));
}

const leadId = async (db: Database, customerId: string) =>
  (await db.prisma.lead.findUniqueOrThrow({ where: { customerId } })).id;

describe.each<Provider>(['sqlite', 'postgres'])('stage totals on %s', (provider) => {
  let db: Database;
  let url: string;
  let cleanup: () => Promise<void>;
  const clock = new ManualClock(NOW);

  beforeAll(async () => {
    ({ db, url, cleanup } = await openTestDatabase(provider));
    await db.prisma.rosterMember.createMany({ data: [AM, AM2].map((userId) => ({ userId, role: 'account_manager' })) });
    await seedDefaultRates(db.prisma, clock);
  });
  afterAll(async () => {
    await cleanup();
  });

  it('counts the leads a sync creates, and follows stage and owner changes', async () => {
    await writeCustomerSnapshots(
      db,
      [
        snapshot('A', 500_00n),
        snapshot('B', 300_00n, { unknown: 'XYZ' }),
        snapshot('C', 900_00n),
        snapshot('D', 100_00n),
      ],
      NOW,
    );
    expect(shown(await loadPipeline(db, query()))).toEqual({ lead: [4, '180000', 1, 'XYZ'] });

    await changeStage(db.prisma, clock, { leadId: await leadId(db, 'A'), actorId: AM, toStage: 'negotiation' });
    await changeStage(db.prisma, clock, { leadId: await leadId(db, 'B'), actorId: AM, toStage: 'contacted' });
    await changeOwner(db.prisma, clock, { leadId: await leadId(db, 'A'), actorId: AM, ownerId: AM });
    await changeOwner(db.prisma, clock, { leadId: await leadId(db, 'B'), actorId: AM, ownerId: AM2 });
    expect(shown(await loadPipeline(db, query()))).toEqual({
      lead: [2, '100000', 0, ''],
      contacted: [1, '30000', 1, 'XYZ'],
      negotiation: [1, '50000', 0, ''],
    });
    expect(shown(await loadPipeline(db, query({ owner: 'mine' })))).toEqual({ negotiation: [1, '50000', 0, ''] });
    expect(shown(await loadPipeline(db, query({ owner: 'unowned' })))).toEqual({ lead: [2, '100000', 0, ''] });

    // Handing a lead over and unassigning it move it between the owners' totals.
    await changeOwner(db.prisma, clock, { leadId: await leadId(db, 'A'), actorId: AM, ownerId: AM2 });
    expect(shown(await loadPipeline(db, query({ owner: 'mine' })))).toEqual({});
    await changeOwner(db.prisma, clock, { leadId: await leadId(db, 'B'), actorId: AM, ownerId: null });
    expect(shown(await loadPipeline(db, query({ owner: 'unowned' })))).toEqual({
      lead: [2, '100000', 0, ''],
      contacted: [1, '30000', 1, 'XYZ'],
    });
    await expectInStep(db);
  });

  it('follows a sync that changes figures, completes an incomplete figure and adds customers', async () => {
    await writeCustomerSnapshots(
      db,
      [
        snapshot('A', 650_00n),
        snapshot('B', 320_00n),
        snapshot('C', 900_00n, { unknown: 'ABC' }),
        snapshot('E', 1_00n),
      ],
      NOW,
    );
    expect(shown(await loadPipeline(db, query()))).toEqual({
      lead: [3, '100100', 1, 'ABC'],
      contacted: [1, '32000', 0, ''],
      negotiation: [1, '65000', 0, ''],
    });
    await expectInStep(db);
  });

  it('follows a revaluation after a rate change', async () => {
    await writeCustomerSnapshots(db, [snapshot('K', 0n, { kwdMinor: 1_000_000n })], NOW);
    const before = shown(await loadPipeline(db, query()));
    await updateRate(db.prisma, { currency: 'KWD', usdPerUnit: '3.5', actorId: AM }, clock);
    expect(await revalueCustomerFigures(db.prisma, ['KWD'])).toBe(1);
    // 1,000.000 KWD at 3.5 = 3,500 USD, added to the lead stage.
    const after = shown(await loadPipeline(db, query()));
    expect(after.lead![1]).toBe(String(BigInt(before.lead![1]) + 3_500_00n));
    await expectInStep(db);
  });

  it('stays exact when two instances write at once, and a deleted lead leaves the totals', async () => {
    const other = openDatabase(url);
    try {
      const ids = Array.from({ length: 300 }, (_, i) => `M${i}`);
      await writeCustomerSnapshots(
        db,
        ids.map((id, i) => snapshot(id, BigInt(i * 100))),
        NOW,
      );
      const leads = await db.prisma.lead.findMany({ where: { customerId: { in: ids } }, select: { id: true } });
      // This instance re-syncs new figures for every customer while the other moves and assigns leads.
      await Promise.all([
        writeCustomerSnapshots(
          db,
          ids.map((id, i) => snapshot(id, BigInt(i * 100 + 7), { unknown: i % 3 ? '' : 'XYZ' })),
          NOW,
        ),
        (async () => {
          for (const [i, l] of leads.entries()) {
            if (i % 4 === 0)
              await changeStage(other.prisma, clock, { leadId: l.id, actorId: AM, toStage: 'trial_order' });
            if (i % 5 === 0)
              await changeOwner(other.prisma, clock, { leadId: l.id, actorId: AM, ownerId: i % 2 ? AM : AM2 });
          }
        })(),
      ]);
      await expectInStep(db);
      await expectInStep(other);

      const gone = leads[3]!.id;
      await other.prisma.activity.deleteMany({ where: { leadId: gone } });
      await other.prisma.lead.delete({ where: { id: gone } });
      await expectInStep(db);
    } finally {
      await other.close();
    }
  });
});
