import { getFollowUp } from '../../../../src/domain/follow-ups/follow-ups';
import { followUp } from '../../../../src/slack/listeners/views/follow-up';
import { refusalFor } from '../../../../src/slack/viewer';
import { CALLBACK_IDS } from '../../../../src/slack/views/action-ids';
import {
  encodeFollowUpMetadata,
  FOLLOW_UP_BLOCKS,
  FOLLOW_UP_INPUTS,
} from '../../../../src/slack/views/follow-up-modal';
import { seedFollowUp } from '../../../support/follow-up-fixtures';
import {
  AM,
  AM2,
  type Fakes,
  fakes,
  GUEST,
  type ListenerDeps,
  MANAGER,
  openListenerDeps,
  published,
  STRANGER,
  viewerOf,
  viewSubmission,
} from '../../../support/listener-kit';
import { seedLead } from '../../../support/seed-leads';

let t: ListenerDeps;
let leadId: number;
beforeAll(async () => {
  t = await openListenerDeps();
  leadId = await seedLead(t.deps.db.prisma, { customerId: 'C100', name: 'ACME', ownerId: AM });
});
afterAll(() => t.cleanup());

const prisma = () => t.deps.db.prisma;

/** The follow-up modal's state as Slack sends it. */
function form(
  o: {
    message?: string | null;
    kind?: string;
    date?: string | null;
    time?: string | null;
    interval?: string | null;
    owner?: string | null;
  } = {},
) {
  const el = (field: keyof typeof FOLLOW_UP_BLOCKS, value: Record<string, unknown>) => ({
    [FOLLOW_UP_BLOCKS[field]]: { [FOLLOW_UP_INPUTS[field]]: value },
  });
  return {
    ...el('message', {
      type: 'plain_text_input',
      value: o.message === undefined ? 'Call about the trial order' : o.message,
    }),
    ...el('kind', {
      type: 'static_select',
      selected_option: { value: o.kind ?? 'once', text: { type: 'plain_text', text: 'x' } },
    }),
    ...el('date', { type: 'datepicker', selected_date: o.date === undefined ? '2026-11-27' : o.date }),
    ...el('time', { type: 'timepicker', selected_time: o.time === undefined ? '10:00' : o.time }),
    ...el('interval', { type: 'plain_text_input', value: o.interval ?? null }),
    ...el('owner', { type: 'users_select', selected_user: o.owner ?? null }),
  };
}

const submit = async (
  f: Fakes,
  userId: string,
  values: ReturnType<typeof form>,
  meta = encodeFollowUpMetadata({ leadId }),
) => followUp(t.deps)(viewSubmission(f, { userId, callbackId: CALLBACK_IDS.followUp, privateMetadata: meta, values }));

const followUpsOf = (ownerId: string) =>
  prisma().followUpAlert.findMany({ where: { leadId, ownerId }, orderBy: { id: 'asc' } });

describe('followUp (view submission)', () => {
  it("saves a new follow-up in the setter's zone, closes the modal, then republishes their Home", async () => {
    const f = fakes();
    await submit(f, AM, form({ message: 'Send the price list' }));
    expect(f.ack.mock.calls).toEqual([[]]);
    const [saved] = (await followUpsOf(AM)).filter((a) => a.message === 'Send the price list');
    expect(saved).toMatchObject({
      kind: 'once',
      startDate: '2026-11-27',
      timeOfDay: '10:00',
      timeZone: 'Asia/Dubai',
      createdBy: AM,
      active: true,
    });
    expect(saved!.nextDueAt!.toISOString()).toBe('2026-11-27T06:00:00.000Z');
    expect(f.shown()).toEqual(['views.publish']);
    expect(f.indexOf('ack')).toBeLessThan(f.indexOf('views.publish'));
    expect(f.client.views.publish).toHaveBeenCalledWith(
      published(AM, await t.deps.homePublisher.buildFor(viewerOf(AM, 'account_manager'))),
    );
  });

  it('for someone else: saved for them, both Homes republished', async () => {
    const f = fakes();
    await submit(f, AM, form({ message: 'For AM2', owner: AM2 }));
    expect((await followUpsOf(AM2)).map((a) => a.message)).toContain('For AM2');
    expect(f.client.views.publish.mock.calls.map((c) => c[0].user_id).sort()).toEqual([AM, AM2].sort());
  });

  it('answers every bad field at once, under its field, and saves nothing', async () => {
    const before = (await followUpsOf(AM)).length;
    const f = fakes();
    await submit(f, AM, form({ message: '', time: null, kind: 'every_days', interval: 'x' }));
    expect(f.ack.mock.calls).toEqual([
      [
        {
          response_action: 'errors',
          errors: {
            [FOLLOW_UP_BLOCKS.message]: 'Write what to follow up on, e.g. “Call about the trial order”.',
            [FOLLOW_UP_BLOCKS.time]: 'Choose a time.',
            [FOLLOW_UP_BLOCKS.interval]: 'Enter a whole number of days from 1 to 365.',
          },
        },
      ],
    ]);
    expect(f.shown()).toEqual([]);
    expect(await followUpsOf(AM)).toHaveLength(before);
  });

  it("a date in the past is refused on the date field, in the owner's zone", async () => {
    const f = fakes();
    await submit(f, AM, form({ date: '2026-11-20' }));
    expect(f.ack.mock.calls).toEqual([
      [
        {
          response_action: 'errors',
          errors: { [FOLLOW_UP_BLOCKS.date]: 'That date is in the past (today is 2026-11-25 in Asia/Dubai).' },
        },
      ],
    ]);
  });

  it.each([
    [STRANGER, 'That person is not on the CRM roster, so they cannot get follow-ups.'],
    [GUEST, 'That person cannot get follow-ups (deactivated or a guest account).'],
  ])('refuses %s as the owner, on the owner field', async (owner, message) => {
    const f = fakes();
    await submit(f, AM, form({ owner }));
    expect(f.ack.mock.calls).toEqual([[{ response_action: 'errors', errors: { [FOLLOW_UP_BLOCKS.owner]: message } }]]);
  });

  it('refuses a manager on the message field', async () => {
    const f = fakes();
    await submit(f, MANAGER, form());
    expect(f.ack.mock.calls).toEqual([
      [
        {
          response_action: 'errors',
          errors: { [FOLLOW_UP_BLOCKS.message]: refusalFor(viewerOf(MANAGER, 'manager'), 'edit') },
        },
      ],
    ]);
    expect(await followUpsOf(MANAGER)).toEqual([]);
  });

  it('edits an existing follow-up; someone who may not manage it is refused', async () => {
    const followUpId = await seedFollowUp(t.deps, leadId, AM, { kind: 'once', startDate: '2026-11-26' }, 'Old text');
    const { version } = (await getFollowUp(prisma(), followUpId))!;
    const meta = encodeFollowUpMetadata({ leadId, followUpId, version });

    const refused = fakes();
    await submit(refused, AM2, form({ message: 'Hijacked' }), meta);
    expect(refused.ack.mock.calls).toEqual([
      [
        {
          response_action: 'errors',
          errors: {
            [FOLLOW_UP_BLOCKS.message]:
              'Only the person reminded, the one who set the follow-up, or an admin can change it.',
          },
        },
      ],
    ]);

    const f = fakes();
    await submit(f, AM, form({ message: 'New text' }), meta);
    expect(f.ack.mock.calls).toEqual([[]]);
    expect((await getFollowUp(prisma(), followUpId))!.message).toBe('New text');
  });

  it('refuses metadata it did not write', async () => {
    const f = fakes();
    await submit(f, AM, form(), 'not json');
    expect(f.ack.mock.calls).toEqual([
      [
        {
          response_action: 'errors',
          errors: { [FOLLOW_UP_BLOCKS.message]: 'This form is out of date. Close it and open it again from the lead.' },
        },
      ],
    ]);
  });
});
