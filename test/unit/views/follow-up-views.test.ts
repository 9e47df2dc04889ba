import { FOLLOW_UP_KINDS } from '../../../src/common/choices';
import type { FollowUpList, FollowUpListItem } from '../../../src/domain/follow-ups/listing';
import type { FollowUpMessageData } from '../../../src/domain/follow-ups/message-data';
import { ACTION_IDS, CALLBACK_IDS, isKnownActionId } from '../../../src/slack/views/action-ids';
import { adminNoticeText, digestChannelProblem } from '../../../src/slack/views/admin-notice-text';
import { buildAdminNoticesSection, buildMyFollowUpsSection } from '../../../src/slack/views/follow-up-home';
import { buildFollowUpMessage } from '../../../src/slack/views/follow-up-message';
import {
  buildFollowUpModal,
  buildFollowUpNoticeModal,
  decodeFollowUpMetadata,
  FOLLOW_UP_BLOCKS,
  FOLLOW_UP_INPUTS,
  followUpErrors,
  readFollowUpSubmission,
} from '../../../src/slack/views/follow-up-modal';
import { actionIds, visibleText } from '../../support/lead-e2e';

const NASTY = '<!channel> ACME & Co';
const ESCAPED = '&lt;!channel&gt; ACME &amp; Co';

const followUpData = (partial: Partial<FollowUpMessageData> = {}): FollowUpMessageData => ({
  deliveryId: 41,
  followUpId: 9,
  leadId: 7,
  leadName: NASTY,
  company: null,
  stageLabel: 'Negotiation',
  lifetimeUsd: '$1,234.56',
  unconvertedCurrencies: [],
  message: 'Call <them>\nabout > price',
  scheduleText: 'Once',
  timeZone: 'Asia/Dubai',
  occurrenceAt: new Date('2026-11-25T05:00:00Z'),
  overdueSince: null,
  missedCount: 0,
  ...partial,
});

describe('buildFollowUpMessage (the follow-up DM)', () => {
  it('due: escaped lead and message, Done / Snooze 1 day / Snooze 1 week / Open lead, each carrying its id', () => {
    const m = buildFollowUpMessage(followUpData());
    expect(m.text).toBe(`Follow-up: ${ESCAPED}: Call &lt;them&gt;\nabout &gt; price`);
    expect(visibleText(m.blocks)).toContain(`:bell: *Follow-up: ${ESCAPED}*\n>Call &lt;them&gt;\n>about &gt; price`);
    const actions = (m.blocks as any[]).find((b) => b.type === 'actions');
    expect(actions.elements.map((e: any) => [e.action_id, e.value])).toEqual([
      [ACTION_IDS.followUpDone, '41'],
      [ACTION_IDS.followUpSnoozeDay, '41'],
      [ACTION_IDS.followUpSnoozeWeek, '41'],
      [ACTION_IDS.followUpOpenLead, '7'],
    ]);
    const epoch = new Date('2026-11-25T05:00:00Z').getTime() / 1000;
    expect(visibleText(m.blocks)).toContain(
      `Due <!date^${epoch}^{date_short_pretty} at {time}|Wed, 25 Nov 2026, 09:00 (Asia/Dubai)> · Once (Asia/Dubai)`,
    );
  });

  it('overdue: says since when and how many reminders were missed', () => {
    const m = buildFollowUpMessage(followUpData({ overdueSince: new Date('2026-11-24T05:00:00Z'), missedCount: 2 }));
    expect(m.text).toMatch(/^Overdue follow-up: /);
    expect(visibleText(m.blocks)).toMatch(
      /:warning: \*Overdue since <!date\^\d+\^[^>]+>\* \(2 more reminders missed while it could not be sent\)/,
    );
  });

  it('done and snoozed: who and when, only "Open lead" left', () => {
    const done = buildFollowUpMessage(followUpData(), {
      kind: 'done',
      by: 'U0AMANAGE1',
      at: new Date('2026-11-25T06:00:00Z'),
    });
    expect(done.text).toMatch(/^Done: /);
    expect(visibleText(done.blocks)).toContain(':white_check_mark: Done, marked by <@U0AMANAGE1>');
    expect(actionIds(done.blocks)).toEqual([ACTION_IDS.followUpOpenLead]);
    const snoozed = buildFollowUpMessage(followUpData(), {
      kind: 'snoozed',
      by: 'U0AMANAGE1',
      until: new Date('2026-11-26T05:00:00Z'),
    });
    const until = new Date('2026-11-26T05:00:00Z').getTime() / 1000;
    expect(visibleText(snoozed.blocks)).toContain(
      `:zzz: Snoozed by <@U0AMANAGE1> until <!date^${until}^{date_short_pretty} at {time}|Thu, 26 Nov 2026, 09:00 (Asia/Dubai)>`,
    );
    expect(actionIds(snoozed.blocks)).toEqual([ACTION_IDS.followUpOpenLead]);
  });

  it('an incomplete lifetime value names the currencies left out', () => {
    expect(visibleText(buildFollowUpMessage(followUpData({ unconvertedCurrencies: ['XYZ'] })).blocks)).toContain(
      '$1,234.56 (incomplete: XYZ not converted)',
    );
  });
});

const item = (i: number, partial: Partial<FollowUpListItem> = {}): FollowUpListItem => ({
  followUpId: i,
  leadId: 100 + i,
  leadName: NASTY,
  message: 'Send <prices>',
  scheduleText: 'Every 2 days',
  timeZone: 'UTC',
  state: 'upcoming',
  at: new Date('2026-11-26T09:00:00Z'),
  ...partial,
});

describe('"My follow-ups" on Home', () => {
  it('none set: one block saying how to set one', () => {
    const blocks = buildMyFollowUpsSection({ items: [], overdue: 0, upcoming: 0 } as FollowUpList);
    expect(blocks).toHaveLength(1);
    expect(visibleText(blocks)).toContain('*My follow-ups* (none set)');
    expect(visibleText(blocks)).toContain('/crm remind <customer>');
  });

  it('each follow-up: escaped text, overdue marked, Edit and Cancel (with a confirm) carrying the follow-up id', () => {
    const blocks = buildMyFollowUpsSection({
      items: [item(1, { state: 'overdue' }), item(2)],
      overdue: 1,
      upcoming: 1,
    } as FollowUpList);
    expect(blocks).toHaveLength(1 + 2 * 2);
    const text = visibleText(blocks);
    expect(text).toContain('*My follow-ups* (1 overdue, 1 upcoming)');
    expect(text).toContain(`*${ESCAPED}*: Send &lt;prices&gt;`);
    expect(text).toContain(':warning: *Overdue since');
    expect(text).not.toContain('<!channel>');
    const buttons = (blocks as any[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements);
    expect(buttons.map((b: any) => [b.action_id, b.value])).toEqual([
      [ACTION_IDS.followUpEdit, '1'],
      [ACTION_IDS.followUpCancel, '1'],
      [ACTION_IDS.followUpEdit, '2'],
      [ACTION_IDS.followUpCancel, '2'],
    ]);
    expect(buttons[1].confirm.text.text).toContain(ESCAPED);
  });

  it('more than shown: says how many are hidden', () => {
    expect(
      visibleText(buildMyFollowUpsSection({ items: [item(1)], overdue: 0, upcoming: 6 } as FollowUpList)),
    ).toContain('…and 5 more not shown.');
  });
});

describe('admin notices', () => {
  it('are worded from data, names and errors escaped, people and channels mentioned', () => {
    expect(
      adminNoticeText({ kind: 'follow_up_failed', leadName: NASTY, ownerId: 'U1', attempts: 5, error: 'bad<x>' }),
    ).toBe(`Follow-up for *${ESCAPED}* (owner <@U1>) disabled: Slack refused the reminder 5 times (\`bad&lt;x&gt;\`).`);
    expect(
      adminNoticeText({
        kind: 'owner_unreachable',
        ownerId: 'U1',
        count: 7,
        leadNames: ['A', 'B'],
        error: 'user_not_found',
      }),
    ).toBe(
      '7 follow-ups (*A*, *B* and 5 more) disabled: <@U1> was deactivated or cannot receive messages (`user_not_found`). Reassign the leads and set new follow-ups.',
    );
    expect(
      adminNoticeText({ kind: 'digest_not_posted', frequency: 'weekly', channelId: 'C1', error: 'not_in_channel' }),
    ).toBe(
      'The weekly digest could not be posted to <#C1>: the CRM app is not a member of that channel. Invite it there with `/invite @CRM`.',
    );
    expect(
      adminNoticeText({ kind: 'digest_not_posted', frequency: 'daily', channelId: 'C1', error: 'ratelimited' }),
    ).toContain('Slack answered `ratelimited`');
  });

  it('only errors a retry cannot fix have advice', () => {
    expect(digestChannelProblem('is_archived')).toMatch(/archived/);
    expect(digestChannelProblem('ratelimited')).toBeNull();
    expect(digestChannelProblem('toString')).toBeNull();
  });

  it('the Home section: nothing when none, else a Dismiss per notice and a count of older ones', () => {
    expect(buildAdminNoticesSection([], 0)).toEqual([]);
    const blocks = buildAdminNoticesSection(
      [{ id: 3, createdAt: new Date(), notice: { kind: 'mrkdwn', text: 'old *text*' } }],
      4,
    );
    expect(visibleText(blocks)).toContain(':rotating_light: *Needs an admin* (4)');
    expect((blocks as any[])[1].accessory).toMatchObject({ action_id: ACTION_IDS.adminNoticeResolve, value: '3' });
    expect(visibleText(blocks)).toContain('…and 3 older notices.');
  });
});

describe('the follow-up modal', () => {
  const base = {
    lead: { leadId: 7, name: NASTY, company: 'ACME LLC' },
    values: {
      message: null,
      kind: 'once',
      date: '2026-11-26',
      time: '09:00',
      interval: null,
      weekday: null,
      dayOfMonth: null,
      ownerId: 'U0AMANAGE1',
    },
    timeZone: 'Asia/Dubai',
  };

  it('new: every kind offered, the defaults prefilled, the zone named, the lead escaped', () => {
    const v = buildFollowUpModal(base);
    expect(v.callback_id).toBe(CALLBACK_IDS.followUp);
    expect(v.title.text).toBe('New follow-up');
    expect(decodeFollowUpMetadata(v.private_metadata)).toEqual({ leadId: 7 });
    const byBlock = Object.fromEntries((v.blocks as any[]).filter((b) => b.block_id).map((b) => [b.block_id, b]));
    expect(byBlock[FOLLOW_UP_BLOCKS.kind].element.options.map((o: any) => o.value)).toEqual([...FOLLOW_UP_KINDS]);
    expect(byBlock[FOLLOW_UP_BLOCKS.kind].element.initial_option.value).toBe('once');
    expect(byBlock[FOLLOW_UP_BLOCKS.date].element.initial_date).toBe('2026-11-26');
    expect(byBlock[FOLLOW_UP_BLOCKS.time].element.initial_time).toBe('09:00');
    expect(byBlock[FOLLOW_UP_BLOCKS.time].hint.text).toContain('Asia/Dubai');
    expect(byBlock[FOLLOW_UP_BLOCKS.owner].element.initial_user).toBe('U0AMANAGE1');
    expect(byBlock[FOLLOW_UP_BLOCKS.message].element.initial_value).toBeUndefined();
    expect(visibleText(v)).toContain(`*${ESCAPED}* (ACME LLC)`);
    for (const id of actionIds(v.blocks)) expect(isKnownActionId(id)).toBe(true);
  });

  it('edit: prefilled with the follow-up, metadata carries its id and version', () => {
    const v = buildFollowUpModal({
      ...base,
      values: { ...base.values, message: 'Ping', kind: 'weekly', weekday: '3' },
      editing: { followUpId: 9, version: 4 },
    });
    expect(v.title.text).toBe('Edit follow-up');
    expect(decodeFollowUpMetadata(v.private_metadata)).toEqual({ leadId: 7, followUpId: 9, version: 4 });
    const weekday = (v.blocks as any[]).find((b) => b.block_id === FOLLOW_UP_BLOCKS.weekday).element;
    expect(weekday.initial_option.text.text).toBe('Wednesday');
  });

  it('reads a submission back, empty inputs as null', () => {
    const values = {
      [FOLLOW_UP_BLOCKS.message]: { [FOLLOW_UP_INPUTS.message]: { value: 'Call' } },
      [FOLLOW_UP_BLOCKS.kind]: { [FOLLOW_UP_INPUTS.kind]: { selected_option: { value: 'every_days' } } },
      [FOLLOW_UP_BLOCKS.date]: { [FOLLOW_UP_INPUTS.date]: { selected_date: '2026-12-01' } },
      [FOLLOW_UP_BLOCKS.time]: { [FOLLOW_UP_INPUTS.time]: { selected_time: '10:30' } },
      [FOLLOW_UP_BLOCKS.interval]: { [FOLLOW_UP_INPUTS.interval]: { value: ' ' } },
      [FOLLOW_UP_BLOCKS.owner]: { [FOLLOW_UP_INPUTS.owner]: { selected_user: 'U2' } },
    };
    expect(readFollowUpSubmission(values)).toEqual({
      message: 'Call',
      kind: 'every_days',
      date: '2026-12-01',
      time: '10:30',
      interval: null,
      weekday: null,
      dayOfMonth: null,
      ownerId: 'U2',
    });
  });

  it('field errors go to the block of their field', () => {
    expect(followUpErrors({ date: 'past', owner: 'nope' })).toEqual({
      [FOLLOW_UP_BLOCKS.date]: 'past',
      [FOLLOW_UP_BLOCKS.owner]: 'nope',
    });
  });

  it('the notice modal closes only', () => {
    const v = buildFollowUpNoticeModal('That follow-up no longer exists.');
    expect(v.submit).toBeUndefined();
    expect(visibleText(v)).toContain('That follow-up no longer exists.');
  });

  it('metadata it did not write is refused', () => {
    expect(decodeFollowUpMetadata('{"leadId":1,"alertId":2}')).toBeNull();
    expect(decodeFollowUpMetadata('x')).toBeNull();
  });
});
