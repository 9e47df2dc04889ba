import Database from 'better-sqlite3';
import { STAGES } from '../../src/common/stages';
import { sqlitePath } from '../../src/db/client';
import { type CustomerSnapshot, writeCustomerSnapshots } from '../../src/domain/lead-sync';
import { ACTION_IDS } from '../../src/slack/views/action-ids';
import { startTestApp, type TestApp } from '../support/harness';
import {
  ADMIN,
  AM,
  AM2,
  blockById,
  GUEST,
  lastView,
  leadNamesInStage,
  MANAGER,
  ROSTER_ENV,
  STRANGER,
  waitForQuiet,
  waitForViews,
} from '../support/home-app';

const NOW = new Date('2026-11-25T09:00:00Z');
const DAY = 86_400_000;

function snapshot(i: number): CustomerSnapshot {
  const customerId = `C${String(i).padStart(6, '0')}`;
  const name = `Customer ${i}`;
  return {
    figures: {
      customerId,
      name,
      company: `Company ${i}`,
      email: null,
      phone: null,
      markets: i % 3 === 0 ? 'AE,SA' : 'KW',
      orderCount: 1 + (i % 7),
      lifetimeUsdCents: BigInt(i) * 100n,
      unknownCurrencies: i % 1000 === 0 ? 'XYZ' : '',
      lastOrderAt: new Date(NOW.getTime() - (i % 200) * DAY),
      rateDate: new Date('2025-11-24T00:00:00Z'),
      searchText: `${name} company ${i} ${customerId}`.toLowerCase(),
    },
    totals: [],
  };
}

/** Seeds `n` leads through the sync's batched writer and spreads them over the six stages and two owners. */
async function seedLeads(t: TestApp, n: number): Promise<void> {
  const { prisma } = t.deps.db;
  await writeCustomerSnapshots(
    t.deps.db,
    Array.from({ length: n }, (_, i) => snapshot(i + 1)),
    NOW,
  );
  const cases = STAGES.map((s, i) => `WHEN ${i} THEN '${s.slug}'`).join(' ');
  await prisma.$executeRawUnsafe(`UPDATE "Lead" SET "stage" = CASE "id" % 6 ${cases} END`);
  await prisma.$executeRawUnsafe(`UPDATE "Lead" SET "ownerId" = '${AM}' WHERE "id" % 10 = 2`);
  await prisma.$executeRawUnsafe(
    `UPDATE "Lead" SET "lastTouchAt" = '2026-11-01T00:00:00.000+00:00' WHERE "id" % 4 = 0`,
  );
}

describe('Home dashboard with 50,000 leads (no Metabase configured)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: ROSTER_ENV, production: null });
    for (const id of [ADMIN, AM, AM2, MANAGER, STRANGER]) t.slack.addUser({ id, tz: 'UTC' });
    t.slack.addUser({ id: GUEST, is_restricted: true });
    await seedLeads(t, 50_000);
  }, 60_000);
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => t.slack.reset());

  it('shows every stage with counts and totals, top leads by USD, within 100 blocks and Slack size limits', async () => {
    await t.driver.openHome(AM);
    const [view] = await waitForViews(t.slack, AM, 1);
    expect(view!.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(view).length).toBeLessThan(100_000);
    for (const b of view!.blocks as any[]) if (b.text?.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);

    for (const s of STAGES) expect(blockById(view!, `stage:${s.slug}`)).toBeDefined();
    // Lead ids 1..50,000 took stages by id % 6; customer i has $i.00, so the top of "lead" (id % 6 = 0) is 49,998;
    // every 1,000th customer has an XYZ amount: 16 of them (multiples of 3,000) are in "lead".
    expect(blockById(view!, 'stage:lead').text.text).toMatch(
      /^\*Lead\* {2}· {2}8,333 leads {2}· {2}\$[\d,]+\.00\n:warning: Incomplete: 16 leads with amounts in XYZ not converted to USD$/,
    );
    expect(leadNamesInStage(view!, 'lead')).toEqual([
      'Customer 49998',
      'Customer 49992',
      'Customer 49986',
      'Customer 49980',
      'Customer 49974',
    ]);
    expect(blockById(view!, 'sync_status').elements[0].text).toBe(
      ':warning: Production data is not configured (METABASE_URL unset); sync is off.',
    );
    expect(blockById(view!, 'more:lead').elements[0]).toMatchObject({
      action_id: ACTION_IDS.homeShowMore,
      value: 'lead:1',
    });
  });

  it('pages through a stage with "Show more" and remembers the page', async () => {
    await t.driver.blockAction(AM, { action_id: ACTION_IDS.homeShowMore, value: 'lead:1' });
    const [view] = await waitForViews(t.slack, AM, 1);
    expect(leadNamesInStage(view!, 'lead')[0]).toBe('Customer 49968');
    expect(blockById(view!, 'stage:lead').text.text).toContain('Showing 6–10 by lifetime USD');

    await t.driver.openHome(AM);
    const [, reopened] = await waitForViews(t.slack, AM, 2);
    expect(leadNamesInStage(reopened!, 'lead')[0]).toBe('Customer 49968');
    await t.driver.blockAction(AM, { action_id: ACTION_IDS.homeShowPrevious, value: 'lead:0' });
    const [, , top] = await waitForViews(t.slack, AM, 3);
    expect(leadNamesInStage(top!, 'lead')[0]).toBe('Customer 49998');
  });

  it('filters to my leads, unowned, uncontacted or one stage, and keeps the choice per user', async () => {
    await t.driver.blockAction(AM, {
      type: 'static_select',
      action_id: ACTION_IDS.homeFilterOwner,
      selected_option: { value: 'mine' },
    });
    const [mine] = await waitForViews(t.slack, AM, 1);
    const mineTotal = [...STAGES].reduce(
      (n, s) =>
        n + Number(/([\d,]+) leads?/.exec(blockById(mine!, `stage:${s.slug}`).text.text)![1]!.replace(/,/g, '')),
      0,
    );
    expect(mineTotal).toBe(5_000);
    expect(blockById(mine!, 'home_filter_summary').elements[0].text).toMatch(/^Showing my leads: 5,000 leads/);
    const mineLeads = (mine!.blocks as any[]).filter((b) => String(b.block_id).startsWith('lead:'));
    expect(mineLeads.length).toBeGreaterThan(0);
    for (const b of mineLeads) expect(b.text.text).toContain(`<@${AM}>`);

    await t.driver.blockAction(AM, {
      type: 'static_select',
      action_id: ACTION_IDS.homeFilterStage,
      selected_option: { value: 'negotiation' },
    });
    const [, negotiation] = await waitForViews(t.slack, AM, 2);
    expect(
      negotiation!.blocks.filter((b: any) => String(b.block_id).startsWith('stage:')).map((b: any) => b.block_id),
    ).toEqual(['stage:negotiation']);
    expect(leadNamesInStage(negotiation!, 'negotiation').length).toBe(20);

    // Another user's Home is not affected.
    await t.driver.openHome(AM2);
    const [other] = await waitForViews(t.slack, AM2, 1);
    expect(blockById(other!, 'home_filter_summary').elements[0].text).toMatch(/^Showing all leads: 50,000 leads/);

    await t.driver.blockAction(AM, {
      type: 'static_select',
      action_id: ACTION_IDS.homeFilterUncontactedDays,
      selected_option: { value: '30' },
    });
    const [, , uncontacted] = await waitForViews(t.slack, AM, 3);
    expect(blockById(uncontacted!, 'home_filter_summary').elements[0].text).toMatch(
      /^Showing leads with an order in the last 30 days and no contact logged in Negotiation: [\d,]+ leads/,
    );
    const uncontactedLeads = (uncontacted!.blocks as any[]).filter((b) => String(b.block_id).startsWith('lead:'));
    expect(uncontactedLeads.length).toBe(20);
    for (const b of uncontactedLeads) {
      // Customer i last ordered (i % 200) days ago; a quarter of the leads have been touched.
      const i = Number(/Customer (\d+)/.exec(b.text.text)![1]);
      expect(i % 200).toBeLessThanOrEqual(30);
      expect(b.text.text).toContain('_not contacted yet_');
    }

    await t.driver.blockAction(AM, {
      type: 'static_select',
      action_id: ACTION_IDS.homeFilterOwner,
      selected_option: { value: 'unowned' },
    });
    await t.driver.blockAction(AM, {
      type: 'static_select',
      action_id: ACTION_IDS.homeFilterStage,
      selected_option: { value: 'all' },
    });
    // Both changes answered; the first one's view may be dropped for the newer one (publish-home.ts).
    await waitForQuiet(t);
    const unowned = lastView(t.slack, AM);
    expect(blockById(unowned, 'home_filter_summary').elements[0].text).toMatch(/^Showing unowned leads: 45,000 leads/);
  });

  it('shows a change another connection wrote on the next open', async () => {
    await t.driver.openHome(AM2);
    const [before] = await waitForViews(t.slack, AM2, 1);
    expect(leadNamesInStage(before!, 'lead')[0]).toBe('Customer 49998');
    const other = new Database(sqlitePath(t.databaseUrl));
    try {
      other.prepare(`UPDATE "Lead" SET "stage" = 'churned' WHERE "customerId" = 'C049998'`).run();
    } finally {
      other.close();
    }
    await t.driver.openHome(AM2);
    const [, after] = await waitForViews(t.slack, AM2, 2);
    expect(leadNamesInStage(after!, 'lead')[0]).toBe('Customer 49992');
    expect(blockById(after!, 'stage:lead').text.text).toMatch(/^\*Lead\* {2}· {2}8,332 leads/);
    await t.deps.db.prisma.lead.update({ where: { customerId: 'C049998' }, data: { stage: 'lead' } });
  });

  it('shows a manager the pipeline with the order history as the only lead action, a button', async () => {
    await t.driver.openHome(MANAGER);
    const [view] = await waitForViews(t.slack, MANAGER, 1);
    const firstLead = (view!.blocks as any[]).find((b) => String(b.block_id).startsWith('lead:'));
    expect(firstLead.accessory).toMatchObject({
      type: 'button',
      action_id: ACTION_IDS.viewOrders,
      value: firstLead.block_id.slice('lead:'.length),
    });
  });

  it('shows users outside the roster and Slack guests a polite no-access view with no customer data', async () => {
    for (const user of [STRANGER, GUEST]) {
      await t.driver.openHome(user);
      const [view] = await waitForViews(t.slack, user, 1);
      const json = JSON.stringify(view);
      expect(json).not.toMatch(/Customer \d|stage:|\$\d/);
      expect(blockById(view!, 'no_access').text.text).toMatch(
        user === GUEST ? /not available to guest accounts/ : /not on the CRM roster/,
      );
    }
    // A filter action from a stranger changes nothing and shows no data either.
    await t.driver.blockAction(STRANGER, {
      type: 'static_select',
      action_id: ACTION_IDS.homeFilterOwner,
      selected_option: { value: 'all' },
    });
    const [, again] = await waitForViews(t.slack, STRANGER, 2);
    expect(JSON.stringify(again)).not.toContain('Customer');
    expect(await t.deps.db.prisma.userPreference.findUnique({ where: { userId: STRANGER } })).toBeNull();
  });
});
