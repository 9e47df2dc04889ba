import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { FOLLOW_UP_KINDS, type FollowUpKind } from '../../common/choices';
import { MAX_FOLLOW_UP_MESSAGE_LENGTH } from '../../common/limits';
import { WEEKDAY_NAMES } from '../../common/zoned-time';
import type { FollowUpForm, FollowUpFormField } from '../../domain/follow-ups/follow-up-input';
import { ACTION_IDS, CALLBACK_IDS } from './action-ids';
import { cutMrkdwn, escapeAndCut, truncate } from './mrkdwn';

/**
 * The follow-up modal (callback_id `follow_up`), as a pure builder, and the reader of its
 * submission. One modal creates and edits: a follow-up id in private_metadata means edit.
 */

/** block_id of each input (errors are answered by these). */
export const FOLLOW_UP_BLOCKS: Record<FollowUpFormField | 'owner', string> = {
  message: 'follow_up_message',
  kind: 'follow_up_kind',
  date: 'follow_up_date',
  time: 'follow_up_time',
  interval: 'follow_up_interval',
  weekday: 'follow_up_weekday',
  dayOfMonth: 'follow_up_day_of_month',
  owner: 'follow_up_owner',
};
/** action_id of each input (ACTION_IDS lists them). */
export const FOLLOW_UP_INPUTS: Record<FollowUpFormField | 'owner', string> = {
  message: ACTION_IDS.followUpMessage,
  kind: ACTION_IDS.followUpKind,
  date: ACTION_IDS.followUpDate,
  time: ACTION_IDS.followUpTime,
  interval: ACTION_IDS.followUpInterval,
  weekday: ACTION_IDS.followUpWeekday,
  dayOfMonth: ACTION_IDS.followUpDayOfMonth,
  owner: ACTION_IDS.followUpOwner,
};

export interface FollowUpMetadata {
  leadId: number;
  /** Set when editing. */
  followUpId?: number;
  version?: number;
}

/** What travels in private_metadata: the key stays `alertId`, which modals already open in Slack carry. */
interface MetadataOnTheWire {
  leadId?: number;
  alertId?: number;
  version?: number;
}

export function encodeFollowUpMetadata(m: FollowUpMetadata): string {
  const wire: MetadataOnTheWire = { leadId: m.leadId, alertId: m.followUpId, version: m.version };
  return JSON.stringify(wire);
}

/** Null when the metadata is not what this modal writes (a forged or foreign submission). */
export function decodeFollowUpMetadata(text: string | undefined): FollowUpMetadata | null {
  try {
    const v = JSON.parse(text ?? '') as MetadataOnTheWire;
    if (!Number.isInteger(v.leadId)) return null;
    if (v.alertId !== undefined && (!Number.isInteger(v.alertId) || !Number.isInteger(v.version))) return null;
    return { leadId: v.leadId!, ...(v.alertId !== undefined ? { followUpId: v.alertId, version: v.version! } : {}) };
  } catch {
    return null;
  }
}

export const KIND_LABELS: Record<FollowUpKind, string> = {
  once: 'Once',
  every_days: 'Every N days',
  every_weeks: 'Every N weeks',
  weekly: 'Weekly on a weekday',
  monthly: 'Monthly on a day of the month',
};

export interface FollowUpModalData {
  lead: { leadId: number; name: string; company: string | null };
  /** Prefill: the follow-up being edited, or defaults for a new one. */
  values: FollowUpForm & { ownerId: string };
  /** The zone the times are read in (the owner's), shown so nobody guesses. */
  timeZone: string;
  editing?: { followUpId: number; version: number };
}

const plain = (text: string, max = 75) => ({ type: 'plain_text' as const, text: truncate(text, max), emoji: true });
const option = (text: string, value: string): PlainTextOption => ({ text: plain(text), value });

export function buildFollowUpModal(d: FollowUpModalData): ModalView {
  const v = d.values;
  const kindOptions = FOLLOW_UP_KINDS.map((k) => option(KIND_LABELS[k], k));
  const weekdayOptions = WEEKDAY_NAMES.map((name, i) => option(name, String(i + 1)));
  const company = d.lead.company && d.lead.company !== d.lead.name ? ` (${escapeAndCut(d.lead.company, 100)})` : '';
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${escapeAndCut(d.lead.name, 150)}*${company}` } },
    {
      type: 'input',
      block_id: FOLLOW_UP_BLOCKS.message,
      label: plain('What to follow up on'),
      element: {
        type: 'plain_text_input',
        action_id: FOLLOW_UP_INPUTS.message,
        multiline: true,
        max_length: MAX_FOLLOW_UP_MESSAGE_LENGTH,
        placeholder: plain('e.g. Call about the trial order'),
        ...(v.message ? { initial_value: v.message } : {}),
      },
    },
    {
      type: 'input',
      block_id: FOLLOW_UP_BLOCKS.kind,
      label: plain('How often'),
      element: {
        type: 'static_select',
        action_id: FOLLOW_UP_INPUTS.kind,
        options: kindOptions,
        initial_option: kindOptions.find((o) => o.value === v.kind) ?? kindOptions[0]!,
      },
    },
    {
      type: 'input',
      block_id: FOLLOW_UP_BLOCKS.date,
      label: plain('Date (once) or start date (recurring)'),
      element: { type: 'datepicker', action_id: FOLLOW_UP_INPUTS.date, ...(v.date ? { initial_date: v.date } : {}) },
    },
    {
      type: 'input',
      block_id: FOLLOW_UP_BLOCKS.time,
      label: plain('Time'),
      hint: plain(`In ${d.timeZone}, the time zone of the person reminded.`, 150),
      element: { type: 'timepicker', action_id: FOLLOW_UP_INPUTS.time, ...(v.time ? { initial_time: v.time } : {}) },
    },
    {
      type: 'input',
      block_id: FOLLOW_UP_BLOCKS.interval,
      optional: true,
      label: plain('Every how many days / weeks'),
      hint: plain('For “Every N days” and “Every N weeks”.'),
      element: {
        type: 'number_input',
        action_id: FOLLOW_UP_INPUTS.interval,
        is_decimal_allowed: false,
        min_value: '1',
        max_value: '365',
        ...(v.interval ? { initial_value: v.interval } : {}),
      },
    },
    {
      type: 'input',
      block_id: FOLLOW_UP_BLOCKS.weekday,
      optional: true,
      label: plain('Weekday'),
      hint: plain('For “Weekly on a weekday”.'),
      element: {
        type: 'static_select',
        action_id: FOLLOW_UP_INPUTS.weekday,
        options: weekdayOptions,
        ...(v.weekday ? { initial_option: weekdayOptions.find((o) => o.value === v.weekday) } : {}),
      },
    },
    {
      type: 'input',
      block_id: FOLLOW_UP_BLOCKS.dayOfMonth,
      optional: true,
      label: plain('Day of the month'),
      hint: plain('For “Monthly”. 29–31 fall on the last day of shorter months.'),
      element: {
        type: 'number_input',
        action_id: FOLLOW_UP_INPUTS.dayOfMonth,
        is_decimal_allowed: false,
        min_value: '1',
        max_value: '31',
        ...(v.dayOfMonth ? { initial_value: v.dayOfMonth } : {}),
      },
    },
    {
      type: 'input',
      block_id: FOLLOW_UP_BLOCKS.owner,
      label: plain('Remind'),
      element: { type: 'users_select', action_id: FOLLOW_UP_INPUTS.owner, initial_user: v.ownerId },
      hint: plain('An account manager or admin on the CRM roster: they get the reminder and can act on the lead.'),
    },
  ];
  const meta: FollowUpMetadata = {
    leadId: d.lead.leadId,
    ...(d.editing ? { followUpId: d.editing.followUpId, version: d.editing.version } : {}),
  };
  return {
    type: 'modal',
    callback_id: CALLBACK_IDS.followUp,
    title: plain(d.editing ? 'Edit follow-up' : 'New follow-up', 24),
    submit: plain(d.editing ? 'Save' : 'Set follow-up', 24),
    close: plain('Cancel', 24),
    private_metadata: encodeFollowUpMetadata(meta),
    blocks,
  };
}

/** The parts of a submitted input's state the follow-up form reads. */
export interface InputState {
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_date?: string | null;
  selected_time?: string | null;
  selected_user?: string | null;
}

export type StateValues = Record<string, Record<string, InputState>>;

/** The submitted form, as typed; owner is the selected user. */
export function readFollowUpSubmission(values: StateValues): FollowUpForm & { ownerId: string | null } {
  const el = (field: FollowUpFormField | 'owner') => values[FOLLOW_UP_BLOCKS[field]]?.[FOLLOW_UP_INPUTS[field]] ?? {};
  const text = (x: unknown) => (typeof x === 'string' && x.trim() !== '' ? x : null);
  return {
    message: text(el('message').value),
    kind: text(el('kind').selected_option?.value),
    date: text(el('date').selected_date),
    time: text(el('time').selected_time),
    interval: text(el('interval').value),
    weekday: text(el('weekday').selected_option?.value),
    dayOfMonth: text(el('dayOfMonth').value),
    ownerId: text(el('owner').selected_user),
  };
}

/** Field errors keyed by block_id, as `response_action: "errors"` wants them. */
export function followUpErrors(errors: Partial<Record<FollowUpFormField | 'owner', string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map(([field, message]) => [FOLLOW_UP_BLOCKS[field as FollowUpFormField], message!]),
  );
}

/** A one-section modal that says why the follow-up modal could not open or save. */
export function buildFollowUpNoticeModal(text: string): ModalView {
  return {
    type: 'modal',
    title: plain('Follow-up', 24),
    close: plain('Close', 24),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: cutMrkdwn(text, 3000) } }],
  };
}
