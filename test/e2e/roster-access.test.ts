import { ManualClock } from '../../src/clock';
import { listOpenAdminNotices } from '../../src/domain/admin-notices';
import { removeMember, setRole } from '../../src/domain/roster';
import { DEFAULT_FOLLOW_UP_DELIVERY, followUpJob } from '../../src/jobs/follow-up-job';
import { dmsTo, seedFollowUp, seedLead } from '../support/follow-up-fixtures';
import { startTestApp, type TestApp } from '../support/harness';

// Follow-ups follow the roster at every moment: checked at send, paused with the roster change.
const ADMIN = 'U0ADMIN01';
const job = followUpJob({ ...DEFAULT_FOLLOW_UP_DELIVERY, maxPerSecond: 1000 });

describe('follow-ups and the roster', () => {
  let t: TestApp;
  let clock: ManualClock;
  let leadId: number;
  let n = 0;
  const owner = (tz = 'UTC') => {
    const id = `U0ACC${String(++n).padStart(4, '0')}`;
    t.slack.addUser({ id, tz });
    return id;
  };
  const dueFollowUp = async (ownerId: string, at: string) =>
    seedFollowUp(t.deps, leadId, ownerId, {
      kind: 'every_days',
      interval: 1,
      startDate: '2026-03-02',
      timeOfDay: at,
      timeZone: 'UTC',
    });
  const followUpRow = (id: number) => t.deps.db.prisma.followUpAlert.findUniqueOrThrow({ where: { id } });
  const noticesAbout = async (ownerId: string) =>
    (await listOpenAdminNotices(t.deps.db.prisma, 50)).notices.filter(
      (x) => x.notice.kind === 'owner_no_access' && x.notice.ownerId === ownerId,
    );

  beforeAll(async () => {
    clock = new ManualClock('2026-03-02T06:00:00Z');
    t = await startTestApp({ clock, env: { CRM_ADMINS: ADMIN } });
    leadId = await seedLead(t.deps.db.prisma, 'Roster Co');
  });
  afterAll(async () => {
    await t.stop();
  });

  it('a follow-up of someone no longer on the roster is not sent: it is paused and admins are told', async () => {
    const who = owner();
    const followUpId = await dueFollowUp(who, '07:00');
    await t.deps.db.prisma.rosterMember.delete({ where: { userId: who } }); // removed behind the app's back
    clock.set('2026-03-02T07:00:10Z');
    await job.run(t.deps, t.server.built.app.client);
    expect(dmsTo(t.slack, who)).toHaveLength(0);
    expect(await followUpRow(followUpId)).toMatchObject({ active: false });
    expect(await noticesAbout(who)).toHaveLength(1);
  });

  it('a guest owner gets no DM; guest status is looked up again after an hour', async () => {
    const who = owner();
    const first = await dueFollowUp(who, '08:00');
    clock.set('2026-03-02T08:00:10Z');
    await job.run(t.deps, t.server.built.app.client);
    expect(dmsTo(t.slack, who)).toHaveLength(1); // a full member then
    // They become a guest in Slack; within the hour the cached status holds, after it is refreshed.
    t.slack.addUser({ id: who, is_restricted: true });
    const second = await dueFollowUp(who, '09:05');
    clock.set('2026-03-02T09:05:10Z');
    await job.run(t.deps, t.server.built.app.client);
    expect(dmsTo(t.slack, who)).toHaveLength(1);
    expect(await followUpRow(second)).toMatchObject({ active: false });
    expect(await followUpRow(first)).toMatchObject({ active: false });
    expect((await noticesAbout(who))[0]!.notice).toMatchObject({ reason: 'guest' });
  });

  it('removing someone pauses their follow-ups in the same change, with a notice', async () => {
    const who = owner();
    const followUpId = await dueFollowUp(who, '10:00');
    await removeMember(t.deps.db.prisma, clock, ADMIN, who);
    expect(await followUpRow(followUpId)).toMatchObject({
      active: false,
      disabledReason: 'owner has no access: removed',
    });
    expect(await noticesAbout(who)).toHaveLength(1);
  });

  it('demoting an account manager to read-only pauses their follow-ups; a refused demotion pauses nothing', async () => {
    const who = owner();
    const followUpId = await dueFollowUp(who, '10:00');
    await setRole(t.deps.db.prisma, clock, ADMIN, who, 'manager');
    expect(await followUpRow(followUpId)).toMatchObject({
      active: false,
      disabledReason: 'owner has no access: read_only',
    });
    const mine = await dueFollowUp(ADMIN, '10:00');
    await expect(setRole(t.deps.db.prisma, clock, ADMIN, ADMIN, 'manager')).rejects.toThrow(/last admin/);
    expect(await followUpRow(mine)).toMatchObject({ active: true });
  });

  it('Done and Snooze check the role, not only who the DM is for', async () => {
    const who = owner();
    const followUpId = await dueFollowUp(who, '11:00');
    clock.set('2026-03-02T11:00:10Z');
    await job.run(t.deps, t.server.built.app.client);
    const delivery = await t.deps.db.prisma.alertDelivery.findFirstOrThrow({ where: { alertId: followUpId } });
    await t.deps.db.prisma.rosterMember.update({ where: { userId: who }, data: { role: 'manager' } });
    for (const [i, action] of ['alert_done', 'alert_snooze_day'].entries()) {
      await t.driver.blockAction(
        who,
        { action_id: action, value: String(delivery.id) },
        { type: 'message', channel_id: delivery.channel, message_ts: delivery.messageTs },
        { channel: { id: delivery.channel }, message: { ts: delivery.messageTs } },
      );
      const replies = await t.slack.waitForResponse(i + 1);
      expect(replies[i]!.body.text).toContain('can read the pipeline but not change leads');
    }
    expect(t.slack.callsTo('chat.update')).toHaveLength(0);
    expect(await t.deps.db.prisma.alertDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({
      status: 'sent',
    });
  });

  it('Open lead on a follow-up DM checks the role: read-only for a manager, refused once removed or a guest', async () => {
    const who = owner();
    const followUpId = await dueFollowUp(who, '12:00');
    clock.set('2026-03-02T12:00:10Z');
    await job.run(t.deps, t.server.built.app.client);
    const delivery = await t.deps.db.prisma.alertDelivery.findFirstOrThrow({ where: { alertId: followUpId } });
    const openLead = async (n: number) => {
      await t.driver.blockAction(
        who,
        { action_id: 'alert_open_lead', value: String(leadId) },
        { type: 'message', channel_id: delivery.channel, message_ts: delivery.messageTs },
        { channel: { id: delivery.channel }, message: { ts: delivery.messageTs } },
      );
      return (await t.slack.waitForResponse(n))[n - 1]!.body;
    };
    const buttonsOf = (reply: any) =>
      reply.blocks
        .find((b: any) => String(b.block_id).startsWith('lead_actions:'))
        .elements.map((e: any) => e.action_id);
    const before = t.slack.responses.length;
    expect(buttonsOf(await openLead(before + 1))).toContain('open_stage_modal');

    await setRole(t.deps.db.prisma, clock, ADMIN, who, 'manager');
    const readOnly = await openLead(before + 2);
    expect(JSON.stringify(readOnly.blocks)).toContain('Roster Co');
    expect(buttonsOf(readOnly)).toEqual(['view_orders', 'lead_history_page']); // reading only

    await removeMember(t.deps.db.prisma, clock, ADMIN, who);
    const removed = await openLead(before + 3);
    expect(removed).toMatchObject({
      response_type: 'ephemeral',
      text: 'Sorry, you are not on the CRM roster yet. Ask a CRM admin to add you.',
    });
    expect(removed.blocks).toBeUndefined();

    await setRole(t.deps.db.prisma, clock, ADMIN, who, 'account_manager');
    t.slack.addUser({ id: who, is_restricted: true });
    await t.deps.db.prisma.slackUserCache.deleteMany({ where: { userId: who } }); // as if the hour had passed
    const guest = await openLead(before + 4);
    expect(guest).toMatchObject({ text: 'Sorry, the CRM is not available to guest accounts.' });
    expect(guest.blocks).toBeUndefined();
  });
});
