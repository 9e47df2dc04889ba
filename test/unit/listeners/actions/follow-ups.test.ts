import { getFollowUp, getFollowUpWithCustomer } from '../../../../src/domain/follow-ups/follow-ups';
import { loadFollowUpMessageData } from '../../../../src/domain/follow-ups/message-data';
import { getLeadCard } from '../../../../src/domain/lead-card-data';
import { loadStageLabels } from '../../../../src/domain/settings';
import { followUpCancel } from '../../../../src/slack/listeners/actions/follow-up-cancel';
import { followUpDone } from '../../../../src/slack/listeners/actions/follow-up-done';
import { followUpEdit } from '../../../../src/slack/listeners/actions/follow-up-edit';
import { followUpOpenLead } from '../../../../src/slack/listeners/actions/follow-up-open-lead';
import { followUpSnooze } from '../../../../src/slack/listeners/actions/follow-up-snooze';
import { refusalFor } from '../../../../src/slack/viewer';
import { ACTION_IDS } from '../../../../src/slack/views/action-ids';
import { buildFollowUpMessage } from '../../../../src/slack/views/follow-up-message';
import { buildFollowUpModal, buildFollowUpNoticeModal } from '../../../../src/slack/views/follow-up-modal';
import { buildLeadCard } from '../../../../src/slack/views/lead-card';
import { seedFollowUp } from '../../../support/follow-up-fixtures';
import {
  ADMIN,
  AM,
  AM2,
  blockAction,
  fakes,
  GUEST,
  type ListenerDeps,
  MANAGER,
  openListenerDeps,
  published,
  STRANGER,
  TRIGGER_ID,
  viewerOf,
} from '../../../support/listener-kit';
import { seedLead } from '../../../support/seed-leads';

const DM = 'D0AMDM001';
const TS = '1764061200.000200';

let t: ListenerDeps;
let leadId: number;
beforeAll(async () => {
  t = await openListenerDeps();
  leadId = await seedLead(t.deps.db.prisma, { customerId: 'C100', name: '<!here> Dates & Figs', ownerId: AM });
});
afterAll(() => t.cleanup());

const prisma = () => t.deps.db.prisma;

/** A follow-up of AM's with one reminder sent to AM's DM. */
async function sentReminder(kind: 'once' | 'every_days' = 'once') {
  const followUpId = await seedFollowUp(
    t.deps,
    leadId,
    AM,
    kind === 'once' ? { kind, startDate: '2026-11-26' } : { kind, interval: 2, startDate: '2026-11-26' },
  );
  const occurrenceAt = new Date('2026-11-24T09:00:00Z');
  const d = await prisma().alertDelivery.create({
    data: {
      alertId: followUpId,
      occurrenceAt,
      claimedBy: 'test',
      leaseUntil: occurrenceAt,
      status: 'sent',
      sentAt: occurrenceAt,
      channel: DM,
      messageTs: TS,
    },
  });
  return { followUpId, deliveryId: d.id, occurrenceAt, sentAt: occurrenceAt };
}

describe('followUpDone', () => {
  it("marks the reminder done, rewrites the DM with what the builder makes, then republishes the owner's Home", async () => {
    const r = await sentReminder();
    const f = fakes();
    await followUpDone(t.deps)(
      blockAction(f, {
        userId: AM,
        actionId: ACTION_IDS.followUpDone,
        value: String(r.deliveryId),
        from: 'message',
        channelId: DM,
        messageTs: TS,
      }),
    );
    expect(f.calls[0]).toBe('ack');
    expect((await getFollowUp(prisma(), r.followUpId))!.active).toBe(false);
    const data = await loadFollowUpMessageData(prisma(), r);
    expect(f.client.chat.update).toHaveBeenCalledWith({
      channel: DM,
      ts: TS,
      ...buildFollowUpMessage(data!, { kind: 'done', by: AM, at: t.clock.now() }),
    });
    expect(f.shown()).toEqual(['chat.update', 'views.publish']);
    expect(f.client.views.publish).toHaveBeenCalledWith(
      published(AM, await t.deps.homePublisher.buildFor(viewerOf(AM, 'account_manager'))),
    );
  });

  it("refuses someone else's reminder, in the conversation, and changes nothing", async () => {
    const r = await sentReminder();
    const f = fakes();
    await followUpDone(t.deps)(
      blockAction(f, {
        userId: AM2,
        actionId: ACTION_IDS.followUpDone,
        value: String(r.deliveryId),
        from: 'message',
        channelId: DM,
      }),
    );
    expect(f.calls[0]).toBe('ack');
    expect(f.respond).toHaveBeenCalledWith({
      response_type: 'ephemeral',
      replace_original: false,
      text: 'Only the person this follow-up is for can answer it.',
    });
    expect(f.client.chat.update).not.toHaveBeenCalled();
    expect((await getFollowUp(prisma(), r.followUpId))!.active).toBe(true);
  });

  it('ignores a button without a delivery id', async () => {
    const f = fakes();
    await followUpDone(t.deps)(
      blockAction(f, { userId: AM, actionId: ACTION_IDS.followUpDone, value: 'x', from: 'message' }),
    );
    expect(f.calls).toEqual(['ack']);
  });
});

describe('followUpSnooze', () => {
  it.each([
    ['day', ACTION_IDS.followUpSnoozeDay, '2026-11-26T09:00:00.000Z'],
    ['week', ACTION_IDS.followUpSnoozeWeek, '2026-12-02T09:00:00.000Z'],
  ] as const)(
    "snoozes a %s: the DM says until when, the owner's Home is republished",
    async (length, actionId, until) => {
      const r = await sentReminder('every_days');
      // Far enough ahead that the snooze, not the schedule, decides when it comes back.
      await prisma().followUpAlert.update({
        where: { id: r.followUpId },
        data: { nextDueAt: new Date('2027-01-01T09:00:00Z') },
      });
      const f = fakes();
      await followUpSnooze(
        t.deps,
        length,
      )(
        blockAction(f, {
          userId: AM,
          actionId,
          value: String(r.deliveryId),
          from: 'message',
          channelId: DM,
          messageTs: TS,
        }),
      );
      expect(f.calls[0]).toBe('ack');
      const data = await loadFollowUpMessageData(prisma(), r);
      expect(f.client.chat.update).toHaveBeenCalledWith({
        channel: DM,
        ts: TS,
        ...buildFollowUpMessage(data!, { kind: 'snoozed', by: AM, until: new Date(until) }),
      });
      expect((await getFollowUp(prisma(), r.followUpId))!.nextDueAt!.toISOString()).toBe(until);
      expect(f.shown()).toEqual(['chat.update', 'views.publish']);
    },
  );

  it('refuses to snooze a cancelled follow-up', async () => {
    const r = await sentReminder();
    await prisma().followUpAlert.update({ where: { id: r.followUpId }, data: { active: false } });
    const f = fakes();
    await followUpSnooze(
      t.deps,
      'day',
    )(
      blockAction(f, {
        userId: AM,
        actionId: ACTION_IDS.followUpSnoozeDay,
        value: String(r.deliveryId),
        from: 'message',
      }),
    );
    expect(f.respond).toHaveBeenCalledWith({
      response_type: 'ephemeral',
      replace_original: false,
      text: 'This follow-up was cancelled or disabled, so it cannot be snoozed.',
    });
    expect(f.client.chat.update).not.toHaveBeenCalled();
  });
});

describe('followUpOpenLead', () => {
  it('shows the lead card the builder makes, to the clicker only', async () => {
    const f = fakes();
    await followUpOpenLead(t.deps)(
      blockAction(f, { userId: AM, actionId: ACTION_IDS.followUpOpenLead, value: String(leadId), from: 'message' }),
    );
    const card = buildLeadCard(await getLeadCard(prisma(), leadId), {
      labels: await loadStageLabels(prisma()),
      viewerId: AM,
      canEdit: true,
    });
    expect(f.calls[0]).toBe('ack');
    expect(f.respond.mock.calls).toEqual([[{ response_type: 'ephemeral', replace_original: false, ...card }]]);
    expect(card.text + JSON.stringify(card.blocks)).toContain('&lt;!here&gt; Dates &amp; Figs');
  });

  it('a manager sees the card without edit buttons', async () => {
    const f = fakes();
    await followUpOpenLead(t.deps)(
      blockAction(f, {
        userId: MANAGER,
        actionId: ACTION_IDS.followUpOpenLead,
        value: String(leadId),
        from: 'message',
      }),
    );
    const card = buildLeadCard(await getLeadCard(prisma(), leadId), {
      labels: await loadStageLabels(prisma()),
      viewerId: MANAGER,
      canEdit: false,
    });
    expect(f.respond).toHaveBeenCalledWith({ response_type: 'ephemeral', replace_original: false, ...card });
  });

  it('refuses a guest', async () => {
    const f = fakes();
    await followUpOpenLead(t.deps)(
      blockAction(f, { userId: GUEST, actionId: ACTION_IDS.followUpOpenLead, value: String(leadId), from: 'message' }),
    );
    expect(f.respond.mock.calls).toEqual([
      [
        {
          response_type: 'ephemeral',
          replace_original: false,
          text: 'Sorry, the CRM is not available to guest accounts.',
        },
      ],
    ]);
  });

  it('says so when the lead is gone', async () => {
    const f = fakes();
    await followUpOpenLead(t.deps)(
      blockAction(f, { userId: AM, actionId: ACTION_IDS.followUpOpenLead, value: '999999', from: 'message' }),
    );
    expect(f.respond).toHaveBeenCalledWith({
      response_type: 'ephemeral',
      replace_original: false,
      text: 'That lead could not be opened; it may have been removed.',
    });
  });
});

describe('followUpEdit', () => {
  it('opens the follow-up modal prefilled with the follow-up', async () => {
    const { followUpId } = await sentReminder('every_days');
    const f = fakes();
    await followUpEdit(t.deps)(
      blockAction(f, { userId: AM, actionId: ACTION_IDS.followUpEdit, value: String(followUpId) }),
    );
    const a = (await getFollowUpWithCustomer(prisma(), followUpId))!;
    expect(f.calls[0]).toBe('ack');
    expect(f.client.views.open).toHaveBeenCalledWith({
      trigger_id: TRIGGER_ID,
      view: buildFollowUpModal({
        lead: { leadId, name: '<!here> Dates & Figs', company: null },
        values: {
          message: a.message,
          kind: 'every_days',
          date: a.startDate,
          time: a.timeOfDay,
          interval: '2',
          weekday: null,
          dayOfMonth: null,
          ownerId: AM,
        },
        timeZone: a.timeZone,
        editing: { followUpId, version: a.version },
      }),
    });
  });

  it.each([
    [AM2, 'Only the person reminded, the one who set the follow-up, or an admin can change it.'],
    [MANAGER, refusalFor(viewerOf(MANAGER, 'manager'), 'edit')!],
    [STRANGER, 'Sorry, you are not on the CRM roster yet. Ask a CRM admin to add you.'],
  ])('refuses %s with a notice', async (userId, message) => {
    const { followUpId } = await sentReminder();
    const f = fakes();
    await followUpEdit(t.deps)(
      blockAction(f, { userId, actionId: ACTION_IDS.followUpEdit, value: String(followUpId) }),
    );
    expect(f.client.views.open.mock.calls).toEqual([
      [{ trigger_id: TRIGGER_ID, view: buildFollowUpNoticeModal(message) }],
    ]);
  });

  it('says a finished follow-up cannot be edited', async () => {
    const { followUpId } = await sentReminder();
    await prisma().followUpAlert.update({ where: { id: followUpId }, data: { active: false } });
    const f = fakes();
    await followUpEdit(t.deps)(
      blockAction(f, { userId: AM, actionId: ACTION_IDS.followUpEdit, value: String(followUpId) }),
    );
    expect(f.client.views.open).toHaveBeenCalledWith({
      trigger_id: TRIGGER_ID,
      view: buildFollowUpNoticeModal('That follow-up was cancelled or completed.'),
    });
  });
});

describe('followUpCancel', () => {
  it("an admin cancels someone's follow-up; the Homes of both are republished", async () => {
    const { followUpId } = await sentReminder();
    const f = fakes();
    await followUpCancel(t.deps)(
      blockAction(f, { userId: ADMIN, actionId: ACTION_IDS.followUpCancel, value: String(followUpId) }),
    );
    expect(f.calls[0]).toBe('ack');
    expect((await getFollowUp(prisma(), followUpId))!.active).toBe(false);
    expect(f.client.views.publish.mock.calls.map((c) => c[0].user_id).sort()).toEqual([ADMIN, AM].sort());
    expect(f.client.views.open).not.toHaveBeenCalled();
  });

  it('refuses another account manager with a notice; the follow-up stays', async () => {
    const { followUpId } = await sentReminder();
    const f = fakes();
    await followUpCancel(t.deps)(
      blockAction(f, { userId: AM2, actionId: ACTION_IDS.followUpCancel, value: String(followUpId) }),
    );
    expect((await getFollowUp(prisma(), followUpId))!.active).toBe(true);
    expect(f.client.views.open.mock.calls).toEqual([
      [
        {
          trigger_id: TRIGGER_ID,
          view: buildFollowUpNoticeModal(
            'Only the person reminded, the one who set the follow-up, or an admin can cancel it.',
          ),
        },
      ],
    ]);
    expect(f.client.views.publish).not.toHaveBeenCalled();
  });

  it('says so when the follow-up is gone', async () => {
    const f = fakes();
    await followUpCancel(t.deps)(blockAction(f, { userId: AM, actionId: ACTION_IDS.followUpCancel, value: '999999' }));
    expect(f.client.views.open).toHaveBeenCalledWith({
      trigger_id: TRIGGER_ID,
      view: buildFollowUpNoticeModal('That follow-up no longer exists.'),
    });
  });
});
