import { ManualClock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import type { Database } from '../../src/db/client';
import { dataVersion } from '../../src/db/pipeline/pipeline-sql';
import { type DigestFigures, rhythmFigures } from '../../src/domain/digest-figures';
import { type SyncDeps, syncLeadsFromProduction } from '../../src/domain/lead-sync';
import { PipelineCache, shareAtVersion } from '../../src/domain/pipeline';
import { seedDefaultRates } from '../../src/domain/rates';
import { loadToday, type TodayReader } from '../../src/domain/who-to-call';
import { createLogger } from '../../src/logger';
import { buildDigestMessage } from '../../src/slack/views/digest-message';
import { openTestDatabase, type Provider } from '../support/databases';
import { customerRow, StaticProductionReader } from '../support/static-production';

const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's', LOG_LEVEL: 'silent' });
const FACTORS = { overdue: 1.5, atRisk: 2 };
const d = (iso: string) => new Date(iso);

/** A digest with nothing in it but what a test adds. */
const emptyDigest = (now: Date): DigestFigures => ({
  from: now,
  to: now,
  generatedAt: now,
  pipeline: [],
  comparedWith: null,
  movements: { total: 0, latest: [], paths: [] },
  newLeads: { total: 0, top: [] },
  uncontacted: { days: 90, total: 0, top: [] },
  overdue: { total: 0, byOwner: [] },
  stale: { total: 0, byStage: [], top: [] },
  rates: { oldest: null, newest: null },
});

/** Every customer of these tests is owned by U0OWNER so the owner's list is the whole picture. */
const OWNER = 'U0OWNER01';

function rows(withFirstOrder: boolean) {
  const first = (iso: string) => (withFirstOrder ? d(iso) : null);
  return [
    // Several currencies: 4 orders from 1 June to 1 September -> every 30 2/3 days; at risk by 25 November.
    customerRow({
      customerId: 'MULTI',
      currency: 'USD',
      market: 'US',
      orderCount: 2,
      lifetimeTotal: '1000.03',
      firstOrderAt: first('2026-06-01T00:00:00Z'),
      lastOrderAt: d('2026-09-01T00:00:00Z'),
    }),
    customerRow({
      customerId: 'MULTI',
      currency: 'AED',
      orderCount: 2,
      lifetimeTotal: '100.00',
      firstOrderAt: first('2026-07-01T00:00:00Z'),
      lastOrderAt: d('2026-08-01T00:00:00Z'),
    }),
    // 3 orders, 1 Oct 06:00 to 1 Nov 06:00 UTC: every 15.5 days; 1.5 intervals end 24 Nov 12:00 UTC.
    customerRow({
      customerId: 'EDGE',
      currency: 'USD',
      market: 'US',
      orderCount: 3,
      lifetimeTotal: '300.00',
      firstOrderAt: first('2026-10-01T06:00:00Z'),
      lastOrderAt: d('2026-11-01T06:00:00Z'),
    }),
    // One order, and two orders: no rhythm.
    customerRow({
      customerId: 'ONE',
      orderCount: 1,
      firstOrderAt: first('2026-06-01T00:00:00Z'),
      lastOrderAt: d('2026-06-01T00:00:00Z'),
    }),
    customerRow({
      customerId: 'TWO',
      orderCount: 2,
      firstOrderAt: first('2026-05-01T00:00:00Z'),
      lastOrderAt: d('2026-06-01T00:00:00Z'),
    }),
  ];
}

describe.each<Provider>(['sqlite', 'postgres'])('order rhythm on %s', (provider) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let clock: ManualClock;
  let deps: SyncDeps;

  beforeEach(async () => {
    const t = await openTestDatabase(provider);
    db = t.db;
    cleanup = t.cleanup;
    clock = new ManualClock('2026-11-24T21:00:00Z');
    deps = { db, clock, config: { ...config, CRM_SYNC_DAYS: 365 }, logger: createLogger('silent') };
    await seedDefaultRates(db.prisma, clock);
  });
  afterEach(async () => {
    await cleanup();
  });

  async function sync(withFirstOrder: boolean) {
    const result = await syncLeadsFromProduction(deps, new StaticProductionReader(rows(withFirstOrder)), {
      trigger: 'test',
    });
    expect(result.status).toBe('ok');
    await db.prisma.lead.updateMany({ data: { ownerId: OWNER } });
  }

  const reader = (timeZone: string): TodayReader => ({ userId: OWNER, timeZone, team: false, mayTakeUnowned: true });

  it('stores each customer’s interval and next expected order, across currencies, only from three orders', async () => {
    await sync(true);
    const figures = await db.prisma.customerFigures.findMany({ orderBy: { customerId: 'asc' } });
    const byId = new Map(figures.map((f) => [f.customerId, f]));
    // 1 June -> 1 September is 92 days over 3 gaps.
    expect(byId.get('MULTI')).toMatchObject({
      firstOrderAt: d('2026-06-01T00:00:00Z'),
      lastOrderAt: d('2026-09-01T00:00:00Z'),
      orderCount: 4,
      rhythmIntervalMs: (92n * 86_400_000n) / 3n,
      rhythmNextMs: BigInt(d('2026-10-01T16:00:00Z').getTime()),
    });
    expect(byId.get('EDGE')!.rhythmIntervalMs).toBe(BigInt(15.5 * 86_400_000));
    for (const id of ['ONE', 'TWO']) {
      expect(byId.get(id)).toMatchObject({ rhythmIntervalMs: null, rhythmNextMs: null });
    }
    const totals = await db.prisma.customerCurrencyTotal.findMany({ where: { customerId: 'MULTI' } });
    expect(totals.map((t) => [t.currency, t.firstOrderAt?.toISOString()]).sort()).toEqual([
      ['AED', '2026-07-01T00:00:00.000Z'],
      ['USD', '2026-06-01T00:00:00.000Z'],
    ]);
  });

  it('lists lapsed accounts by value at risk, the usual order value rounded half-up, and the owner’s zone decides today', async () => {
    await sync(true);
    const dubai = await loadToday(db.prisma, reader('Asia/Dubai'), clock.now(), { perOwner: 10, factors: FACTORS });
    expect(dubai.rhythmKnown).toBe(true);
    expect(dubai.day).toBe('2026-11-25');
    // MULTI: $1,000.03 + AED 100.00 at 0.2723 ($27.23) = 102,726 cents over 4 orders = 25,681.5 -> 25,682.
    expect(dubai.accounts.items.map((a) => [a.customerId, a.state, a.valueAtRiskCents])).toEqual([
      ['MULTI', 'at_risk', 25_682n],
      ['EDGE', 'overdue', 10_000n],
    ]);
    expect(dubai.accounts).toMatchObject({ total: 2, valueAtRiskCents: 35_682n });

    // Same instant, still the 24th in Los Angeles: EDGE is only due (not listed) there.
    const la = await loadToday(db.prisma, reader('America/Los_Angeles'), clock.now(), {
      perOwner: 10,
      factors: FACTORS,
    });
    expect(la.day).toBe('2026-11-24');
    expect(la.accounts.items.map((a) => a.customerId)).toEqual(['MULTI']);

    // Factors are settings: with 1.2 / 1.4 EDGE is at risk in Dubai too.
    const strict = await loadToday(db.prisma, reader('Asia/Dubai'), clock.now(), {
      perOwner: 10,
      factors: { overdue: 1.2, atRisk: 1.4 },
    });
    expect(strict.accounts.items.map((a) => [a.customerId, a.state])).toEqual([
      ['MULTI', 'at_risk'],
      ['EDGE', 'at_risk'],
    ]);
  });

  it('the digest counts accounts at risk with their value at risk and owners, and the suggestions waiting', async () => {
    await sync(true);
    await db.prisma.lead.updateMany({ where: { customerId: 'MULTI' }, data: { stage: 'active_account' } });
    const r = await rhythmFigures(db.prisma, FACTORS, 'Asia/Dubai', clock.now());
    // EDGE is only overdue: not at risk.
    expect(r.atRisk).toEqual({
      total: 1,
      valueAtRiskCents: 25_682n,
      top: [{ name: 'Customer MULTI', company: null, ownerId: OWNER, valueAtRiskCents: 25_682n }],
    });
    // The Active Account at risk: "Churned?" waits for someone.
    expect(r.suggestionsWaiting).toBe(1);
    const message = buildDigestMessage(
      { ...emptyDigest(clock.now()), ...r },
      { stageLabels: {}, timeZone: 'Asia/Dubai', homeUrl: null, preview: false },
    );
    expect(message.text).toContain('1 account at risk ($256.82), 1 stage suggestion waiting');
    expect(JSON.stringify(message.blocks)).toContain('Customer MULTI* · $256.82 at risk · <@U0OWNER01>');
  });

  it('without the first_order_at column nothing has a rhythm, and everything else still syncs', async () => {
    await sync(false);
    expect(await db.prisma.customerFigures.count()).toBe(4);
    expect(await db.prisma.customerFigures.count({ where: { rhythmNextMs: { not: null } } })).toBe(0);
    const today = await loadToday(db.prisma, reader('UTC'), clock.now(), { perOwner: 10, factors: FACTORS });
    expect(today.rhythmKnown).toBe(false);
    expect(today.accounts.total).toBe(0);
  });

  it('a later sync that brings the column fills the rhythm in (the figures count as changed)', async () => {
    await sync(false);
    await sync(true);
    expect(await db.prisma.customerFigures.count({ where: { rhythmNextMs: { not: null } } })).toBe(2);
  });

  it('readers of one data version share the unowned leads’ lists, merged with each one’s own, and a change is seen at once', async () => {
    await sync(true);
    await db.prisma.lead.updateMany({ where: { customerId: 'MULTI' }, data: { ownerId: null } });
    const cache = new PipelineCache();
    const share = async () => shareAtVersion(db, cache, await dataVersion(db));
    const options = async () => ({ perOwner: 10, factors: FACTORS, share: await share() });
    const other: TodayReader = { userId: 'U0OTHER01', timeZone: 'Asia/Dubai', team: false, mayTakeUnowned: true };

    // The owner's list: the unowned MULTI ($256.82 at risk) above their own EDGE ($100.00).
    const owner = await loadToday(db.prisma, reader('Asia/Dubai'), clock.now(), await options());
    expect(owner.accounts.items.map((a) => [a.customerId, a.ownerId])).toEqual([
      ['MULTI', null],
      ['EDGE', OWNER],
    ]);
    expect(owner.accounts).toMatchObject({ total: 2, valueAtRiskCents: 35_682n });
    // Someone else who may take unowned leads: only MULTI.
    const someone = await loadToday(db.prisma, other, clock.now(), await options());
    expect(someone.accounts.items.map((a) => a.customerId)).toEqual(['MULTI']);
    // The same item, not an equal one: the views reuse the line built of it (slack/views/block-memo.ts).
    expect(someone.accounts.items[0]).toBe(owner.accounts.items[0]);
    // Someone who may not take them: nothing.
    const viewer = await loadToday(db.prisma, { ...other, mayTakeUnowned: false }, clock.now(), await options());
    expect(viewer.accounts.total).toBe(0);

    // The owner takes MULTI: the next reader sees it gone from the unowned list at once.
    await db.prisma.lead.updateMany({ where: { customerId: 'MULTI' }, data: { ownerId: OWNER } });
    const after = await loadToday(db.prisma, other, clock.now(), await options());
    expect(after.accounts.total).toBe(0);
    const team = await loadToday(db.prisma, { ...other, team: true }, clock.now(), await options());
    expect(team.owners.map((o) => [o.ownerId, o.accounts])).toEqual([[OWNER, 2]]);
  });
});
