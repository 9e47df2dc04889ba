import type { WebClient } from '@slack/web-api';
import { ManualClock } from '../../src/clock';
import type { AppDeps } from '../../src/deps';
import { listOpenAdminNotices } from '../../src/domain/admin-notices';
import { claimOccurrences, DEFAULT_CLAIM_LEASE_MS, findDueOccurrences } from '../../src/domain/follow-ups/delivery';
import { DEFAULT_FOLLOW_UP_DELIVERY, followUpJob } from '../../src/jobs/follow-up-job';
import { adminNoticeText } from '../../src/slack/views/admin-notice-text';
import { migratedSqliteUrl } from '../support/databases';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { allText, dmsTo, instanceDeps, seedFollowUp, seedLead, slackClient } from '../support/follow-up-fixtures';

/** The open admin notices as admins read them (mrkdwn). */
async function noticeTexts(deps: AppDeps): Promise<string[]> {
  return (await listOpenAdminNotices(deps.db.prisma, 10)).notices.map((n) => adminNoticeText(n.notice));
}

const fast = followUpJob({ ...DEFAULT_FOLLOW_UP_DELIVERY, maxPerSecond: 1000, concurrency: 8 });

describe('follow-up delivery (SQLite, fake Slack, manual clock)', () => {
  let slack: FakeSlack;
  let clock: ManualClock;
  let deps: AppDeps;
  let client: WebClient;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    slack = await startFakeSlack();
    const target = await migratedSqliteUrl();
    clock = new ManualClock('2026-03-02T04:00:00Z');
    deps = instanceDeps(target.url, clock);
    client = slackClient(slack);
    cleanup = async () => {
      await deps.db.close();
      await slack.close();
      await target.cleanup();
    };
  });
  afterEach(() => cleanup());

  it('sends a one-off at its time in the owner’s zone, once, with lead, stage, lifetime USD, message and buttons', async () => {
    slack.addUser({ id: 'U0AM0001', tz: 'Asia/Dubai' });
    const leadId = await seedLead(deps.db.prisma, '<!channel> ACME & Co', {
      lifetimeUsdCents: 123_456n,
      unknownCurrencies: 'XYZ',
    });
    const followUpId = await seedFollowUp(deps, leadId, 'U0AM0001', {
      kind: 'once',
      startDate: '2026-03-02',
      timeOfDay: '09:00',
      timeZone: 'Asia/Dubai',
    });

    clock.set('2026-03-02T04:59:00Z'); // 08:59 in Dubai
    await fast.run(deps, client);
    expect(dmsTo(slack, 'U0AM0001')).toHaveLength(0);

    clock.set('2026-03-02T05:00:20Z');
    await fast.run(deps, client);
    const [dm] = dmsTo(slack, 'U0AM0001');
    expect(dm).toBeDefined();
    const text = allText(dm!.args.blocks);
    expect(text).toContain('&lt;!channel&gt; ACME &amp; Co');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('Negotiation');
    expect(text).toContain('$1,234.56 (incomplete: XYZ not converted)');
    expect(text).toContain('Call about the trial order');
    expect(text).not.toContain('Overdue');
    const buttons = dm!.args.blocks.find((b: any) => b.type === 'actions').elements.map((e: any) => e.action_id);
    expect(buttons).toEqual(['alert_done', 'alert_snooze_day', 'alert_snooze_week', 'alert_open_lead']);

    clock.advance(60_000);
    await fast.run(deps, client);
    expect(dmsTo(slack, 'U0AM0001')).toHaveLength(1);
    const followUp = await deps.db.prisma.followUpAlert.findUniqueOrThrow({ where: { id: followUpId } });
    expect(followUp.nextDueAt).toBeNull();
    const delivery = await deps.db.prisma.alertDelivery.findFirstOrThrow({ where: { alertId: followUpId } });
    expect(delivery).toMatchObject({ status: 'sent', channel: 'DU0AM0001' });
  });

  it('moves a recurring follow-up to its next scheduled time, not to send time plus the interval', async () => {
    const leadId = await seedLead(deps.db.prisma, 'Gulf Traders');
    const followUpId = await seedFollowUp(deps, leadId, 'U0AM0001', {
      kind: 'every_weeks',
      interval: 2,
      startDate: '2026-03-02',
      timeOfDay: '09:00',
      timeZone: 'Asia/Kolkata',
    });
    // 09:00 IST = 03:30 UTC; the clock starts at 04:00 so the first is on 16 March. The tick runs 3 minutes late.
    clock.set('2026-03-16T03:33:00Z');
    await fast.run(deps, client);
    expect(dmsTo(slack, 'U0AM0001')).toHaveLength(1);
    const followUp = await deps.db.prisma.followUpAlert.findUniqueOrThrow({ where: { id: followUpId } });
    expect(followUp.nextDueAt?.toISOString()).toBe('2026-03-30T03:30:00.000Z');
  });

  it('after downtime sends one “overdue since …” message for all missed occurrences', async () => {
    const leadId = await seedLead(deps.db.prisma, 'Nile Foods');
    const followUpId = await seedFollowUp(deps, leadId, 'U0AM0001', {
      kind: 'every_days',
      interval: 1,
      startDate: '2026-03-02',
      timeOfDay: '09:00',
      timeZone: 'America/Los_Angeles',
    });
    // Due 2 Mar 17:00Z; the app was down until 5 Mar 20:00Z: 4 occurrences passed.
    clock.set('2026-03-05T20:00:00Z');
    await fast.run(deps, client);
    const dms = dmsTo(slack, 'U0AM0001');
    expect(dms).toHaveLength(1);
    const text = allText(dms[0]!.args.blocks);
    expect(text).toContain('Overdue since <!date^1772470800^');
    expect(text).toContain('3 more reminders missed');
    const followUp = await deps.db.prisma.followUpAlert.findUniqueOrThrow({ where: { id: followUpId } });
    expect(followUp.nextDueAt?.toISOString()).toBe('2026-03-06T17:00:00.000Z');
    await fast.run(deps, client);
    expect(dmsTo(slack, 'U0AM0001')).toHaveLength(1);
  });

  it('re-sends an occurrence claimed by an instance that crashed before sending, once, after its lease expires', async () => {
    const leadId = await seedLead(deps.db.prisma, 'Crash Test Ltd');
    const followUpId = await seedFollowUp(deps, leadId, 'U0AM0001', {
      kind: 'once',
      startDate: '2026-03-02',
      timeOfDay: '09:00',
    });
    clock.set('2026-03-02T09:00:10Z');
    const due = await findDueOccurrences(deps.db.prisma, clock.now(), 0, 10);
    const claimed = await claimOccurrences(deps.db.prisma, due, 'crashed-instance', clock.now());
    expect(claimed.map((c) => c.followUpId)).toEqual([followUpId]);

    clock.advance(30_000);
    await fast.run(deps, client);
    expect(dmsTo(slack, 'U0AM0001')).toHaveLength(0); // still leased to the crashed instance

    clock.advance(DEFAULT_CLAIM_LEASE_MS);
    await fast.run(deps, client);
    await fast.run(deps, client);
    expect(dmsTo(slack, 'U0AM0001')).toHaveLength(1);
    const delivery = await deps.db.prisma.alertDelivery.findFirstOrThrow({ where: { alertId: followUpId } });
    expect(delivery).toMatchObject({ status: 'sent', claimedBy: deps.instanceId, attempts: 2 });
  });

  it('honours a 429 Retry-After and delivers once', async () => {
    const leadId = await seedLead(deps.db.prisma, 'Rate Limited LLC');
    await seedFollowUp(deps, leadId, 'U0AM0001', { kind: 'once', startDate: '2026-03-02', timeOfDay: '09:00' });
    slack.rateLimit('chat.postMessage', 1, 1);
    clock.set('2026-03-02T09:00:05Z');
    const started = Date.now();
    await fast.run(deps, client);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(dmsTo(slack, 'U0AM0001')).toHaveLength(2); // the 429 and the retry
    expect(await deps.db.prisma.alertDelivery.count({ where: { status: 'sent' } })).toBe(1);
    await fast.run(deps, client);
    expect(dmsTo(slack, 'U0AM0001')).toHaveLength(2);
  });

  it('keeps an occurrence whose send hit a 5xx and delivers it on the next tick', async () => {
    const noRetry = slackClient(slack, 0);
    const leadId = await seedLead(deps.db.prisma, 'Flaky Slack Co');
    const followUpId = await seedFollowUp(deps, leadId, 'U0AM0001', {
      kind: 'every_days',
      interval: 1,
      startDate: '2026-03-02',
      timeOfDay: '09:00',
    });
    slack.serverError('chat.postMessage', 1);
    clock.set('2026-03-02T09:00:05Z');
    await fast.run(deps, noRetry);
    const pending = await deps.db.prisma.alertDelivery.findFirstOrThrow({ where: { alertId: followUpId } });
    expect(pending).toMatchObject({ status: 'claimed', lastError: 'http_500' });
    expect(
      (await deps.db.prisma.followUpAlert.findUniqueOrThrow({ where: { id: followUpId } })).nextDueAt?.toISOString(),
    ).toBe('2026-03-02T09:00:00.000Z');

    clock.advance(60_000);
    await fast.run(deps, noRetry);
    expect(await deps.db.prisma.alertDelivery.findFirstOrThrow({ where: { alertId: followUpId } })).toMatchObject({
      status: 'sent',
      attempts: 2,
    });
    expect(
      (await deps.db.prisma.followUpAlert.findUniqueOrThrow({ where: { id: followUpId } })).nextDueAt?.toISOString(),
    ).toBe('2026-03-03T09:00:00.000Z');
  });

  it('disables every follow-up of a deactivated owner and tells the admins once', async () => {
    slack.addUser({ id: 'U0GONE001', deleted: true });
    const a = await seedFollowUp(deps, await seedLead(deps.db.prisma, 'ACME <Trading>'), 'U0GONE001', {
      kind: 'once',
      startDate: '2026-03-02',
      timeOfDay: '09:00',
    });
    const b = await seedFollowUp(deps, await seedLead(deps.db.prisma, 'Later Ltd'), 'U0GONE001', {
      kind: 'weekly',
      weekday: 5,
      startDate: '2026-03-02',
      timeOfDay: '09:00',
    });
    clock.set('2026-03-02T09:00:05Z');
    await fast.run(deps, client);
    const followUps = await deps.db.prisma.followUpAlert.findMany({ where: { id: { in: [a, b] } } });
    expect(followUps.map((x) => [x.active, x.disabledReason])).toEqual([
      [false, 'owner unreachable: user_not_found'],
      [false, 'owner unreachable: user_not_found'],
    ]);
    const notices = await noticeTexts(deps);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toBe(
      '2 follow-ups (*ACME &lt;Trading&gt;*, *Later Ltd*) disabled: <@U0GONE001> was deactivated or cannot receive messages (`user_not_found`). Reassign the leads and set new follow-ups.',
    );
    // Stored as data, not markup: the name as production has it.
    expect((await deps.db.prisma.adminNotice.findFirstOrThrow()).text).toContain('"ACME <Trading>"');
    clock.advance(7 * 86_400_000);
    await fast.run(deps, client);
    expect(dmsTo(slack, 'U0GONE001')).toHaveLength(1);
  });

  it('disables a follow-up Slack keeps refusing for an unexpected reason after a few tries, with a notice', async () => {
    const leadId = await seedLead(deps.db.prisma, 'Broken Blocks Inc');
    const followUpId = await seedFollowUp(deps, leadId, 'U0AM0001', {
      kind: 'once',
      startDate: '2026-03-02',
      timeOfDay: '09:00',
    });
    slack.failWith('chat.postMessage', 'invalid_blocks', 10);
    clock.set('2026-03-02T09:00:05Z');
    for (let i = 0; i < 6; i++) {
      await fast.run(deps, client);
      clock.advance(60_000);
    }
    expect(dmsTo(slack, 'U0AM0001')).toHaveLength(5);
    expect(await deps.db.prisma.followUpAlert.findUniqueOrThrow({ where: { id: followUpId } })).toMatchObject({
      active: false,
    });
    expect(await noticeTexts(deps)).toEqual([
      'Follow-up for *Broken Blocks Inc* (owner <@U0AM0001>) disabled: Slack refused the reminder 5 times (`invalid_blocks`).',
    ]);
  });

  it('shows a notice stored as mrkdwn before notices were data as it was stored', async () => {
    await deps.db.prisma.adminNotice.create({
      data: { text: 'Follow-up for *ACME &lt;Old&gt;* disabled.', createdAt: clock.now() },
    });
    expect(await noticeTexts(deps)).toEqual(['Follow-up for *ACME &lt;Old&gt;* disabled.']);
  });

  it('paces a burst: sends spread out at maxPerSecond', async () => {
    const leadId = await seedLead(deps.db.prisma, 'Burst Co');
    for (let i = 0; i < 25; i++)
      await seedFollowUp(deps, leadId, `U0AM${String(i).padStart(5, '0')}`, {
        kind: 'once',
        startDate: '2026-03-02',
        timeOfDay: '09:00',
      });
    clock.set('2026-03-02T09:00:05Z');
    await followUpJob({ ...DEFAULT_FOLLOW_UP_DELIVERY, maxPerSecond: 10, concurrency: 4 }).run(deps, client);
    const at = slack.callsTo('chat.postMessage').map((c) => c.at);
    expect(at).toHaveLength(25);
    // 100 ms apart; the window is shorter than a second to allow for network jitter.
    for (const t of at) expect(at.filter((u) => u >= t && u < t + 800).length).toBeLessThanOrEqual(10);
    expect(at[24]! - at[0]!).toBeGreaterThanOrEqual(2200);
  });
});
