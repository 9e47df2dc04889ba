import { type Database, openDatabase } from '../../src/db/client';
import { DEFAULT_HOME_FILTER, type HomeFilter } from '../../src/domain/home-filter';
import { type CustomerSnapshot, writeCustomerSnapshots } from '../../src/domain/lead-sync';
import { loadPipeline, PipelineCache, type PipelineSnapshot } from '../../src/domain/pipeline';
import { openTestDatabase, type Provider } from '../support/databases';

const NOW = new Date('2026-11-25T09:00:00Z');
const DAY = 86_400_000;

function snapshot(
  id: string,
  usdCents: bigint,
  options: { lastOrderDaysAgo?: number; unknown?: string } = {},
): CustomerSnapshot {
  return {
    figures: {
      customerId: id,
      name: `Name ${id}`,
      company: null,
      email: null,
      phone: null,
      markets: 'AE',
      orderCount: 1,
      lifetimeUsdCents: usdCents,
      unknownCurrencies: options.unknown ?? '',
      lastOrderAt: new Date(NOW.getTime() - (options.lastOrderDaysAgo ?? 1) * DAY),
      rateDate: null,
      searchText: id.toLowerCase(),
    },
    totals: [],
  };
}

const query = (filter: Partial<HomeFilter> = {}, pageSize = 2) => ({
  filter: { ...DEFAULT_HOME_FILTER, ...filter },
  viewerId: 'U0AM00001',
  now: NOW,
  pageSize,
});

const stageOf = (s: PipelineSnapshot, slug: string) => s.stages.find((x) => x.slug === slug)!;
const ids = (s: PipelineSnapshot, slug: string) => stageOf(s, slug).leads.map((l) => l.customerId);

describe.each<Provider>(['sqlite', 'postgres'])('pipeline queries on %s', (provider) => {
  let db: Database;
  let url: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const t = await openTestDatabase(provider);
    db = t.db;
    url = t.url;
    cleanup = t.cleanup;
    await writeCustomerSnapshots(
      db,
      [
        snapshot('A', 500_00n),
        snapshot('B', 300_00n, { unknown: 'XYZ' }),
        snapshot('C', 900_00n, { lastOrderDaysAgo: 100 }),
        snapshot('D', 100_00n),
        snapshot('E', 700_00n),
        snapshot('F', 200_00n, { lastOrderDaysAgo: 10 }),
      ],
      NOW,
    );
    await db.prisma.lead.update({
      where: { customerId: 'E' },
      data: { stage: 'negotiation', ownerId: 'U0AM00001', lastTouchAt: NOW },
    });
    await db.prisma.lead.update({ where: { customerId: 'D' }, data: { ownerId: 'U0AM00001' } });
    await db.prisma.lead.update({ where: { customerId: 'F' }, data: { lastTouchAt: NOW } });
  });
  afterAll(async () => {
    await cleanup();
  });

  it('counts and sums each stage exactly and names the currencies that make a total incomplete', async () => {
    const s = await loadPipeline(db, query());
    expect(s.stages.map((x) => x.slug)).toEqual([
      'lead',
      'contacted',
      'negotiation',
      'trial_order',
      'active_account',
      'churned',
    ]);
    expect(stageOf(s, 'lead')).toMatchObject({
      count: 5,
      lifetimeUsdCents: 2_000_00n,
      incompleteCurrencies: ['XYZ'],
      incompleteCount: 1,
    });
    expect(stageOf(s, 'negotiation')).toMatchObject({ count: 1, lifetimeUsdCents: 700_00n, incompleteCurrencies: [] });
    expect(stageOf(s, 'churned')).toMatchObject({ count: 0, lifetimeUsdCents: 0n, leads: [] });
    expect(s.totalCount).toBe(6);
  });

  it('lists a stage by lifetime USD, highest first, page by page, the last page repeating for a page past the end', async () => {
    expect(ids(await loadPipeline(db, query()), 'lead')).toEqual(['C', 'A']);
    expect(ids(await loadPipeline(db, query({ pages: { lead: 1 } })), 'lead')).toEqual(['B', 'F']);
    expect(ids(await loadPipeline(db, query({ pages: { lead: 2 } })), 'lead')).toEqual(['D']);
    const past = await loadPipeline(db, query({ pages: { lead: 9 } }));
    expect(stageOf(past, 'lead')).toMatchObject({ page: 2 });
    expect(ids(past, 'lead')).toEqual(['D']);
  });

  it('filters mine, unowned, uncontacted in N days, and one stage', async () => {
    const mine = await loadPipeline(db, query({ owner: 'mine' }));
    expect(mine.totalCount).toBe(2);
    expect(ids(mine, 'lead')).toEqual(['D']);
    expect(ids(mine, 'negotiation')).toEqual(['E']);
    expect((await loadPipeline(db, query({ owner: 'unowned' }))).totalCount).toBe(4);
    // Ordered in the last 30 days and never touched: A, B, D (C ordered 100 days ago; E and F were touched).
    const uncontacted = await loadPipeline(db, query({ owner: 'uncontacted', uncontactedDays: 30 }, 5));
    expect(ids(uncontacted, 'lead')).toEqual(['A', 'B', 'D']);
    expect((await loadPipeline(db, query({ owner: 'uncontacted', uncontactedDays: 120 }, 5))).totalCount).toBe(4);
    const one = await loadPipeline(db, query({ stage: 'negotiation' }));
    expect(one.stages.map((x) => x.slug)).toEqual(['negotiation']);
    expect(one.totalCount).toBe(1);
  });

  it('never serves a result from before a write, from this process or another', async () => {
    const cache = new PipelineCache();
    const before = await loadPipeline(db, query(), cache);
    expect(stageOf(before, 'contacted').count).toBe(0);
    await db.prisma.lead.update({ where: { customerId: 'A' }, data: { stage: 'contacted' } });
    expect(stageOf(await loadPipeline(db, query(), cache), 'contacted').count).toBe(1);

    // Another instance on the same database moves a lead.
    const other = openDatabase(url);
    try {
      await other.prisma.lead.update({ where: { customerId: 'B' }, data: { stage: 'contacted' } });
    } finally {
      await other.close();
    }
    const after = await loadPipeline(db, query(), cache);
    expect(stageOf(after, 'contacted')).toMatchObject({
      count: 2,
      lifetimeUsdCents: 800_00n,
      incompleteCurrencies: ['XYZ'],
    });
    expect(stageOf(after, 'lead').count).toBe(3);
  });
});
