import { ManualClock } from '../../src/clock';
import { ACTION_IDS } from '../../src/slack/views/action-ids';
import { startTestApp, type TestApp } from '../support/harness';
import { blockById, lastView, waitForViews } from '../support/home-app';
import { AM, AM2, addRosterUsers, crm, MANAGER, ROSTER_ENV, visibleText } from '../support/lead-e2e';
import { seedLead } from '../support/seed-leads';

const DAY = 86_400_000;
const NOW = new Date('2026-11-25T09:00:00Z');

/** Stores a rhythm as the sync would: every `everyDays` days, the last order `lastDaysAgo` days ago. */
async function giveRhythm(t: TestApp, customerId: string, everyDays: number, lastDaysAgo: number) {
  const last = NOW.getTime() - lastDaysAgo * DAY;
  await t.deps.db.prisma.customerFigures.update({
    where: { customerId },
    data: {
      lastOrderAt: new Date(last),
      firstOrderAt: new Date(last - 3 * everyDays * DAY),
      rhythmIntervalMs: BigInt(everyDays * DAY),
      rhythmNextMs: BigInt(last + everyDays * DAY),
    },
  });
}

describe('who to call today: /crm today, the Home tab and stage suggestions', () => {
  let t: TestApp;
  let trial: number;
  beforeAll(async () => {
    t = await startTestApp({ env: ROSTER_ENV, clock: new ManualClock(NOW) });
    addRosterUsers(t);
    const p = t.deps.db.prisma;
    // AM's account, every 10 days, last order 25 days ago: at risk; usual order $1,000.00 / 4 = $250.00.
    await seedLead(p, {
      customerId: 'R-1',
      name: '<!channel> Rhythm & Co',
      ownerId: AM,
      stage: 'active_account',
      orderCount: 4,
      lifetimeUsdCents: 1_000_00n,
      lastTouchAt: NOW,
    });
    await giveRhythm(t, 'R-1', 10, 25);
    // AM2's account, overdue (16 days on a 10-day rhythm): not AM's.
    await seedLead(p, {
      customerId: 'R-2',
      name: 'Other Owner Ltd',
      ownerId: AM2,
      stage: 'active_account',
      orderCount: 3,
      lifetimeUsdCents: 300_01n,
      lastTouchAt: NOW,
    });
    await giveRhythm(t, 'R-2', 10, 16);
    // Unowned, ordered 3 days ago, never contacted: for anyone who may take it.
    await seedLead(p, {
      customerId: 'N-1',
      name: 'Fresh Buyer',
      lastOrderAt: new Date(NOW.getTime() - 3 * DAY),
      lifetimeUsdCents: 5_000_00n,
    });
    // Trial Order that ordered again after it entered the stage.
    trial = await seedLead(p, {
      customerId: 'T-1',
      name: 'Trial Taker',
      ownerId: AM,
      stage: 'trial_order',
      orderCount: 2,
      lastOrderAt: new Date(NOW.getTime() - 2 * DAY),
      lastTouchAt: new Date(NOW.getTime() - 20 * DAY),
    });
    await p.activity.create({
      data: {
        leadId: trial,
        actorId: AM,
        kind: 'stage_change',
        fromValue: 'negotiation',
        toValue: 'trial_order',
        isTouch: true,
        createdAt: new Date(NOW.getTime() - 20 * DAY),
      },
    });
  });
  afterAll(async () => t.stop());
  beforeEach(() => t.slack.reset());

  it('/crm today: an account manager’s own lists, the unowned new customer, the suggestion, with buttons', async () => {
    const reply = await crm(t, AM, 'today');
    const text = visibleText(reply);
    expect(text).toContain('1 account overdue or at risk ($250.00)');
    expect(text).toContain('*at risk* *&lt;!channel&gt; Rhythm &amp; Co* · $250.00 at risk');
    expect(text).not.toContain('Other Owner Ltd');
    expect(text).toContain('*Fresh Buyer* · $5,000.00 lifetime');
    expect(text).toContain('unowned: yours to take');
    expect(text).toContain('*Trial Taker*: *Trial Order → Active Account?* ordered again after the trial');
    // An Active Account at risk: Churned?, never moved by itself.
    expect(text).toContain('*Active Account → Churned?* at risk: well past its usual order');
    expect(text).not.toContain('<!channel>');
    const actions = (reply.blocks as any[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements);
    expect(actions.map((e: any) => e.action_id)).toEqual(
      expect.arrayContaining([ACTION_IDS.todayOpenLead, ACTION_IDS.suggestionAccept, ACTION_IDS.assignToMe]),
    );
  });

  it('/crm today: a manager sees the whole team grouped by owner, without buttons that change leads', async () => {
    const reply = await crm(t, MANAGER, 'today');
    const groups = (reply.blocks as any[]).filter((b) => String(b.block_id).startsWith('today_owner:'));
    expect(groups.map((b) => b.block_id).sort()).toEqual(
      [`today_owner:${AM}`, `today_owner:${AM2}`, 'today_owner:unowned'].sort(),
    );
    const ids = new Set((reply.blocks as any[]).flatMap((b) => (b.elements ?? []).map((e: any) => e.action_id)));
    expect([...ids].filter(Boolean)).toEqual([ACTION_IDS.todayOpenLead]);
    expect(visibleText(reply)).toContain('Other Owner Ltd');
  });

  it('Home: "who to call today" is the first section, and the whole tab stays within 100 blocks', async () => {
    await t.driver.openHome(AM);
    const [view] = await waitForViews(t.slack, AM, 1);
    const ids = view!.blocks.map((b: any) => b.block_id);
    expect(ids.indexOf('today_title')).toBeLessThan(ids.indexOf('home_title'));
    expect(view!.blocks.length).toBeLessThanOrEqual(100);
    expect(blockById(view!, 'agenda_status').elements[0].text).toContain('at *08:30* (UTC) on Mon–Fri');
  });

  it('Dismiss hides a suggestion until its facts change, and the lead’s history says who dismissed it', async () => {
    const before = await crm(t, AM, 'today');
    const dismiss = (before.blocks as any[])
      .flatMap((b) => b.elements ?? [])
      .find((e: any) => e.action_id === ACTION_IDS.suggestionDismiss && e.value.startsWith(`${trial}:`));
    const responses = t.slack.responses.length;
    await t.driver.blockAction(
      AM,
      { action_id: ACTION_IDS.suggestionDismiss, value: dismiss.value, block_id: `today_sug_do:${trial}` },
      { type: 'message', message_ts: '1.1', channel_id: 'D1' },
    );
    // The message clicked is replaced by the lead card once the dismissal is saved.
    const [, card] = await t.slack.waitForResponse(responses + 1);
    expect(visibleText(card!.body)).toContain('dismissed the suggestion to move it to *Active Account*');
    const history = await t.deps.db.prisma.activity.findMany({
      where: { leadId: trial, kind: 'suggestion_dismissed' },
    });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ actorId: AM, toValue: 'active_account', isTouch: false });
    expect(visibleText(await crm(t, AM, 'today'))).not.toContain('Trial Taker');
    // A third order: new facts, the suggestion is back.
    await t.deps.db.prisma.customerFigures.update({ where: { customerId: 'T-1' }, data: { orderCount: 3 } });
    expect(visibleText(await crm(t, AM, 'today'))).toContain('*Trial Taker*: *Trial Order → Active Account?*');
  });

  it('Accept opens the stage modal with the suggested stage and a note; nothing changes until it is saved', async () => {
    await t.driver.blockAction(AM, {
      action_id: ACTION_IDS.suggestionAccept,
      value: `${trial}:repeat_order:3`,
      block_id: `today_sug_do:${trial}`,
    });
    const modal = await t.slack.waitFor(() => t.slack.openModalOf(AM, 'stage_change'), 'the stage modal');
    const json = JSON.stringify(modal.view);
    expect(json).toContain('"initial_option":{"text":{"type":"plain_text","text":"Active Account"');
    expect(json).toContain('Suggested by the CRM: ordered again after the trial (3 orders).');
    expect((await t.deps.db.prisma.lead.findUnique({ where: { id: trial } }))!.stage).toBe('trial_order');
  });

  it('Open lead from Home shows the card in a modal, with its suggestion', async () => {
    await t.driver.blockAction(AM, {
      action_id: ACTION_IDS.todayOpenLead,
      value: String(trial),
      block_id: `today_sug_do:${trial}`,
    });
    const modal = await t.slack.waitFor(
      () => [...t.slack.views.values()].find((v) => v.type === 'modal' && v.view.title?.text === 'Lead'),
      'the lead modal',
    );
    expect(visibleText(modal.view)).toContain('Trial Order → Active Account?');
  });

  it('the agenda switch on Home turns it off for that person only', async () => {
    await t.driver.blockAction(AM, { action_id: ACTION_IDS.agendaToggle, value: 'off', block_id: 'agenda_controls' });
    await t.slack.waitForCalls('views.publish');
    expect(blockById(lastView(t.slack, AM), 'agenda_status').elements[0].text).toContain('*off*');
    expect(await t.deps.db.prisma.agendaPreference.findUnique({ where: { userId: AM } })).toMatchObject({
      enabled: false,
    });
    expect(await t.deps.db.prisma.agendaPreference.findUnique({ where: { userId: AM2 } })).toBeNull();
  });
});
