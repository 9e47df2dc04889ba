import { ManualClock } from '../../src/clock';
import { DEFAULT_FOLLOW_UP_DELIVERY, followUpJob } from '../../src/jobs/follow-up-job';
import { buildFollowUpModal, FOLLOW_UP_BLOCKS, FOLLOW_UP_INPUTS } from '../../src/slack/views/follow-up-modal';
import { seedFollowUp, seedLead } from '../support/follow-up-fixtures';
import { startTestApp, type TestApp } from '../support/harness';

const ADMIN = 'U0ADMIN01';
const AM = 'U0AM00001';
const AM2 = 'U0AM00002';
const MANAGER = 'U0MGR0001';
const job = followUpJob({ ...DEFAULT_FOLLOW_UP_DELIVERY, maxPerSecond: 1000 });

/** Slack's view_submission state for the follow-up modal. */
function formValues(v: {
  message?: string;
  kind?: string;
  date?: string;
  time?: string;
  interval?: string;
  weekday?: string;
  dayOfMonth?: string;
  owner?: string;
}) {
  const block = (field: keyof typeof FOLLOW_UP_BLOCKS, value: Record<string, unknown>) => ({
    [FOLLOW_UP_BLOCKS[field]]: { [FOLLOW_UP_INPUTS[field]]: value },
  });
  return {
    ...block('message', { type: 'plain_text_input', value: v.message ?? null }),
    ...block('kind', { type: 'static_select', selected_option: v.kind ? { value: v.kind } : null }),
    ...block('date', { type: 'datepicker', selected_date: v.date ?? null }),
    ...block('time', { type: 'timepicker', selected_time: v.time ?? null }),
    ...block('interval', { type: 'number_input', value: v.interval ?? null }),
    ...block('weekday', { type: 'static_select', selected_option: v.weekday ? { value: v.weekday } : null }),
    ...block('dayOfMonth', { type: 'number_input', value: v.dayOfMonth ?? null }),
    ...block('owner', { type: 'users_select', selected_user: v.owner ?? null }),
  };
}

describe('follow-ups over HTTP (modal, /crm remind, DM buttons, Home)', () => {
  let t: TestApp;
  let clock: ManualClock;
  let leadId: number;

  beforeAll(async () => {
    clock = new ManualClock('2026-03-02T06:00:00Z'); // 10:00 in Dubai
    t = await startTestApp({
      clock,
      env: { CRM_ADMINS: ADMIN, CRM_ACCOUNT_MANAGERS: `${AM},${AM2}`, CRM_MANAGERS: MANAGER },
    });
    t.slack.addUser({ id: AM, tz: 'Asia/Dubai' });
    t.slack.addUser({ id: AM2, tz: 'America/Los_Angeles' });
    t.slack.addUser({ id: ADMIN, tz: 'Europe/London' });
    t.slack.addUser({ id: MANAGER, tz: 'UTC' });
    leadId = await seedLead(t.deps.db.prisma, 'Gulf Traders & Sons');
  });
  afterAll(() => t.stop());
  beforeEach(() => {
    t.slack.reset();
    clock.set('2026-03-02T06:00:00Z');
  });

  it('/crm remind <customer> opens the follow-up modal in the user’s time zone, for tomorrow 09:00', async () => {
    await t.driver.crm(AM, 'remind gulf traders');
    const [call] = await t.slack.waitForCalls('views.open');
    expect(call!.args.view).toEqual(
      buildFollowUpModal({
        lead: { leadId, name: 'Gulf Traders & Sons', company: null },
        values: {
          message: null,
          kind: 'once',
          date: '2026-03-03',
          time: '09:00',
          interval: null,
          weekday: null,
          dayOfMonth: null,
          ownerId: AM,
        },
        timeZone: 'Asia/Dubai',
      }),
    );
    expect(call!.args.view.callback_id).toBe('follow_up');
  });

  it('/crm remind answers a missing or unknown customer, and refuses a manager', async () => {
    await t.driver.crm(AM, 'remind');
    await t.driver.crm(AM, 'remind nobody-like-this');
    await t.driver.crm(MANAGER, 'remind gulf');
    const replies = (await t.slack.waitForResponse(3)).map((r) => r.body.text as string);
    expect(replies.find((r) => r.includes('Say which customer'))).toContain('/crm remind &lt;customer&gt;');
    expect(replies.some((r) => r.includes('No lead matches “nobody-like-this”'))).toBe(true);
    expect(replies.some((r) => r.includes('can read the pipeline but not change leads'))).toBe(true);
    expect(t.slack.callsTo('views.open')).toHaveLength(0);
  });

  it('saves a recurring follow-up from the modal, writes the lead history and shows it under “My follow-ups”', async () => {
    const res = await t.driver.submitView(AM, {
      callback_id: 'follow_up',
      private_metadata: JSON.stringify({ leadId }),
      values: formValues({
        message: 'Check in about <the> trial & pricing',
        kind: 'every_weeks',
        interval: '2',
        date: '2026-03-02',
        time: '09:00',
        owner: AM,
      }),
    });
    expect(res.status).toBe(200);
    expect(res.json?.response_action).toBeUndefined();
    const followUp = await t.deps.db.prisma.followUpAlert.findFirstOrThrow({
      where: { leadId, message: 'Check in about <the> trial & pricing' },
    });
    // 09:00 in Dubai today has passed (it is 10:00): the first reminder is in two weeks.
    expect(followUp).toMatchObject({
      ownerId: AM,
      kind: 'every_weeks',
      interval: 2,
      timeZone: 'Asia/Dubai',
      nextDueAt: new Date('2026-03-16T05:00:00Z'),
    });
    const history = await t.deps.db.prisma.activity.findFirstOrThrow({
      where: { leadId, kind: 'follow_up', toValue: 'created' },
    });
    expect(history).toMatchObject({ actorId: AM, isTouch: false });
    const publish = await t.slack.waitFor(() => t.slack.callsTo('views.publish').find((c) => c.args.user_id === AM));
    const home = JSON.stringify(publish.args.view.blocks);
    expect(home).toContain('My follow-ups');
    expect(home).toContain('Check in about &lt;the&gt; trial &amp; pricing');
    expect(home).toContain(
      `"action_id":"alert_edit","text":{"type":"plain_text","text":"Edit"},"value":"${followUp.id}"`,
    );
  });

  it('answers bad input on the offending fields and saves nothing', async () => {
    const before = await t.deps.db.prisma.followUpAlert.count();
    const submit = (v: Parameters<typeof formValues>[0]) =>
      t.driver.submitView(AM, {
        callback_id: 'follow_up',
        private_metadata: JSON.stringify({ leadId }),
        values: formValues({ message: 'Call', owner: AM, ...v }),
      });
    const past = await submit({ kind: 'once', date: '2026-03-01', time: '09:00' });
    expect(past.json).toEqual({
      response_action: 'errors',
      errors: { [FOLLOW_UP_BLOCKS.date]: expect.stringContaining('in the past') },
    });
    const passed = await submit({ kind: 'once', date: '2026-03-02', time: '09:30' });
    expect(passed.json.errors).toEqual({ [FOLLOW_UP_BLOCKS.time]: expect.stringContaining('already passed') });
    const badTime = await submit({ kind: 'once', date: '2026-03-03', time: '9h30' });
    expect(badTime.json.errors).toEqual({ [FOLLOW_UP_BLOCKS.time]: expect.stringContaining('HH:MM') });
    const noInterval = await submit({ kind: 'every_days', date: '2026-03-03', time: '09:00' });
    expect(noInterval.json.errors).toEqual({ [FOLLOW_UP_BLOCKS.interval]: expect.stringContaining('how many days') });
    const stranger = await submit({ kind: 'once', date: '2026-03-03', time: '09:00', owner: 'U0NOTINCRM' });
    expect(stranger.json.errors).toEqual({
      [FOLLOW_UP_BLOCKS.owner]: expect.stringContaining('not on the CRM roster'),
    });
    // A manager reads the pipeline but cannot act on a lead: delivery would pause it, so the form refuses it.
    const manager = await submit({ kind: 'once', date: '2026-03-03', time: '09:00', owner: MANAGER });
    expect(manager.json).toEqual({
      response_action: 'errors',
      errors: {
        [FOLLOW_UP_BLOCKS.owner]:
          'Follow-ups go to account managers and admins, who can act on the lead. That person is a manager (read-only): pick someone else.',
      },
    });
    const forged = await t.driver.submitView('U0NOTINCRM', {
      callback_id: 'follow_up',
      private_metadata: JSON.stringify({ leadId }),
      values: formValues({ message: 'x', kind: 'once', date: '2026-03-03', time: '09:00' }),
    });
    expect(forged.json.errors[FOLLOW_UP_BLOCKS.message]).toContain('not on the CRM roster');
    expect(await t.deps.db.prisma.followUpAlert.count()).toBe(before);
  });

  it('Done on the DM updates that message in place, completes a one-off and writes the history', async () => {
    const followUpId = await seedFollowUp(
      t.deps,
      leadId,
      AM,
      { kind: 'once', startDate: '2026-03-02', timeOfDay: '11:00', timeZone: 'Asia/Dubai' },
      'Send the price list',
    );
    clock.set('2026-03-02T07:00:10Z');
    await job.run(t.deps, t.server.built.app.client);
    const [dm] = t.slack
      .callsTo('chat.postMessage')
      .filter((c) => JSON.stringify(c.args.blocks).includes('Send the price list'));
    const delivery = await t.deps.db.prisma.alertDelivery.findFirstOrThrow({ where: { alertId: followUpId } });
    const done = dm!.args.blocks.find((b: any) => b.type === 'actions').elements[0];
    expect(done).toMatchObject({ action_id: 'alert_done', value: String(delivery.id) });

    await t.driver.blockAction(
      AM,
      { action_id: 'alert_done', value: done.value, block_id: `alert:${delivery.id}` },
      { type: 'message', channel_id: delivery.channel, message_ts: delivery.messageTs },
      { channel: { id: delivery.channel }, message: { ts: delivery.messageTs, text: 'x' } },
    );
    const [update] = await t.slack.waitForCalls('chat.update');
    expect(update!.args).toMatchObject({ channel: 'DU0AM00001', ts: delivery.messageTs });
    const updated = JSON.stringify(update!.args.blocks);
    expect(updated).toContain(`Done, marked by <@${AM}>`);
    expect(updated).not.toContain('alert_done');
    expect(await t.deps.db.prisma.followUpAlert.findUniqueOrThrow({ where: { id: followUpId } })).toMatchObject({
      active: false,
      nextDueAt: null,
    });
    expect(
      await t.deps.db.prisma.activity.count({ where: { leadId, kind: 'follow_up', toValue: 'done', actorId: AM } }),
    ).toBe(1);
  });

  it('Snooze 1 day moves the next reminder to the same local time tomorrow and updates the DM; it then comes back', async () => {
    const followUpId = await seedFollowUp(
      t.deps,
      leadId,
      AM2,
      { kind: 'weekly', weekday: 1, startDate: '2026-03-02', timeOfDay: '08:00', timeZone: 'America/Los_Angeles' },
      'Weekly pipeline call',
    );
    clock.set('2026-03-02T16:00:30Z'); // Monday 08:00:30 in Los Angeles
    await job.run(t.deps, t.server.built.app.client);
    const delivery = await t.deps.db.prisma.alertDelivery.findFirstOrThrow({ where: { alertId: followUpId } });
    expect(await t.deps.db.prisma.followUpAlert.findUniqueOrThrow({ where: { id: followUpId } })).toMatchObject({
      nextDueAt: new Date('2026-03-09T15:00:00Z'),
    });

    clock.set('2026-03-02T16:05:00Z');
    await t.driver.blockAction(
      AM2,
      { action_id: 'alert_snooze_day', value: String(delivery.id) },
      { type: 'message', channel_id: delivery.channel, message_ts: delivery.messageTs },
      { channel: { id: delivery.channel }, message: { ts: delivery.messageTs } },
    );
    const [update] = await t.slack.waitForCalls('chat.update');
    expect(JSON.stringify(update!.args.blocks)).toContain(
      `Snoozed by <@${AM2}> until <!date^${Date.parse('2026-03-03T16:05:00Z') / 1000}^`,
    );
    expect(await t.deps.db.prisma.followUpAlert.findUniqueOrThrow({ where: { id: followUpId } })).toMatchObject({
      nextDueAt: new Date('2026-03-03T16:05:00Z'),
    });

    clock.set('2026-03-03T16:05:20Z');
    await job.run(t.deps, t.server.built.app.client);
    expect(t.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === AM2)).toHaveLength(2);
    // The weekly rhythm is untouched: next Monday 08:00 (15:00Z after DST starts on 8 March).
    expect(await t.deps.db.prisma.followUpAlert.findUniqueOrThrow({ where: { id: followUpId } })).toMatchObject({
      nextDueAt: new Date('2026-03-09T15:00:00Z'),
    });
  });

  it('Open lead on the DM shows the lead card to the person who clicked', async () => {
    await t.driver.blockAction(
      AM,
      { action_id: 'alert_open_lead', value: String(leadId) },
      { type: 'message', channel_id: 'DU0AM00001', message_ts: '1.1' },
      { channel: { id: 'DU0AM00001' }, message: { ts: '1.1' } },
    );
    const [reply] = await t.slack.waitForResponse(1);
    expect(reply!.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(reply!.body.blocks)).toContain('Gulf Traders &amp; Sons');
  });

  it('someone else cannot press Done on a DM that is not theirs', async () => {
    const followUpId = await seedFollowUp(
      t.deps,
      leadId,
      AM2,
      { kind: 'once', startDate: '2026-03-02', timeOfDay: '12:00', timeZone: 'UTC' },
      'Not yours',
    );
    clock.set('2026-03-02T12:00:10Z');
    await job.run(t.deps, t.server.built.app.client);
    const delivery = await t.deps.db.prisma.alertDelivery.findFirstOrThrow({ where: { alertId: followUpId } });
    await t.driver.blockAction(
      AM,
      { action_id: 'alert_done', value: String(delivery.id) },
      { type: 'message', channel_id: 'DX', message_ts: '1.1' },
      { channel: { id: 'DX' }, message: { ts: '1.1' } },
    );
    const [reply] = await t.slack.waitForResponse(1);
    expect(reply!.body.text).toContain('Only the person this follow-up is for');
    expect(t.slack.callsTo('chat.update')).toHaveLength(0);
    expect(await t.deps.db.prisma.alertDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
      status: 'sent',
    });
  });

  it('Edit on the Home tab opens the modal prefilled; saving changes the schedule; Cancel stops it', async () => {
    const followUpId = await seedFollowUp(
      t.deps,
      leadId,
      AM,
      { kind: 'every_days', interval: 3, startDate: '2026-03-02', timeOfDay: '15:00', timeZone: 'Asia/Dubai' },
      'Every third day',
    );
    await t.driver.blockAction(AM, { action_id: 'alert_edit', value: String(followUpId) });
    const [open] = await t.slack.waitForCalls('views.open');
    const meta = JSON.parse(open!.args.view.private_metadata);
    expect(meta).toEqual({ leadId, alertId: followUpId, version: 1 });
    expect(JSON.stringify(open!.args.view)).toContain('"initial_value":"Every third day"');

    const saved = await t.driver.submitView(AM, {
      callback_id: 'follow_up',
      private_metadata: open!.args.view.private_metadata,
      values: formValues({
        message: 'Monthly now',
        kind: 'monthly',
        dayOfMonth: '31',
        date: '2026-03-02',
        time: '09:00',
        owner: AM,
      }),
    });
    expect(saved.json?.response_action).toBeUndefined();
    expect(await t.deps.db.prisma.followUpAlert.findUniqueOrThrow({ where: { id: followUpId } })).toMatchObject({
      kind: 'monthly',
      dayOfMonth: 31,
      version: 2,
      nextDueAt: new Date('2026-03-31T05:00:00Z'),
    });

    const stale = await t.driver.submitView(AM, {
      callback_id: 'follow_up',
      private_metadata: open!.args.view.private_metadata,
      values: formValues({ message: 'Old tab', kind: 'once', date: '2026-03-05', time: '09:00', owner: AM }),
    });
    expect(stale.json.errors[FOLLOW_UP_BLOCKS.message]).toContain('changed this follow-up while you were editing');

    t.slack.reset();
    await t.driver.blockAction(AM, { action_id: 'alert_cancel', value: String(followUpId) });
    await t.slack.waitForCalls('views.publish');
    expect(await t.deps.db.prisma.followUpAlert.findUniqueOrThrow({ where: { id: followUpId } })).toMatchObject({
      active: false,
      nextDueAt: null,
    });
  });

  it('tells admins on their Home tab when a deactivated owner’s follow-up was disabled, and lets them dismiss it', async () => {
    t.slack.addUser({ id: 'U0LEFT0001', deleted: true });
    await seedFollowUp(t.deps, await seedLead(t.deps.db.prisma, 'ACME <Holdings>'), 'U0LEFT0001', {
      kind: 'once',
      startDate: '2026-03-02',
      timeOfDay: '13:00',
      timeZone: 'UTC',
    });
    clock.set('2026-03-02T13:00:05Z');
    await job.run(t.deps, t.server.built.app.client);
    await t.driver.openHome(ADMIN);
    const publish = await t.slack.waitFor(() => t.slack.callsTo('views.publish').find((c) => c.args.user_id === ADMIN));
    const notice = publish.args.view.blocks.find((b: any) => String(b.block_id).startsWith('admin_notice:'));
    expect(notice.text.text).toContain('ACME &lt;Holdings&gt;');
    expect(notice.text.text).toContain('<@U0LEFT0001> was deactivated');

    await t.driver.openHome(AM);
    const amHome = await t.slack.waitFor(() => t.slack.callsTo('views.publish').find((c) => c.args.user_id === AM));
    expect(JSON.stringify(amHome.args.view.blocks)).not.toContain('admin_notice');

    t.slack.reset();
    await t.driver.blockAction(ADMIN, { action_id: 'admin_notice_resolve', value: notice.accessory.value });
    const [again] = await t.slack.waitForCalls('views.publish');
    expect(again!.args.view.blocks.filter((b: any) => String(b.block_id).startsWith('admin_notice'))).toEqual([]);
  });
});
