import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { formatUsd } from '../../common/money';
import { type StageLabels, stageLabel } from '../../common/stages';
import { formatLocalDateOf, formatTimeOfDay, localDateTimeOf } from '../../common/zoned-time';
import type { AgendaSetting } from '../../domain/agenda/preferences';
import type {
  OwnerCounts,
  StageSuggestion,
  TodayAccount,
  TodayData,
  TodayFollowUp,
  TodayLead,
  TodayUncontacted,
} from '../../domain/who-to-call';
import { ACTION_IDS } from './action-ids';
import { blockMemo } from './block-memo';
import { customerTitle, mention, usdText } from './lead-format';
import type { EphemeralMessage } from './message';
import { cutMrkdwn, escapeAndCut, escapeMrkdwn } from './mrkdwn';

/**
 * "Who to call today", as pure builders: the Home tab's first section, `/crm today` and the
 * morning agenda DM. Each line is a section and a row of buttons to act on it (open the lead,
 * log a contact, set a follow-up; Accept / Dismiss for a suggestion). The whole is cut to a
 * block budget, whatever the data: what does not fit is counted.
 */

export interface TodayViewOptions {
  viewerId: string;
  /** May change leads: the buttons that change one show. */
  canEdit: boolean;
  labels: StageLabels;
  /** Blocks the builder may use (Home shares 100; a message has 50). */
  maxBlocks: number;
  /** The heading, e.g. "Today" on Home, "Good morning" in the agenda DM. */
  title: string;
}

/** Block budget of the section on Home (the pipeline keeps the rest). */
export const TODAY_HOME_MAX_BLOCKS = 28;
/** Block budget of `/crm today` and the agenda DM (Slack allows 50 in a message). */
export const TODAY_MESSAGE_MAX_BLOCKS = 48;

function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text, emoji: true },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

/** The value of a suggestion's Accept / Dismiss buttons: `<leadId>:<kind>:<facts>`. */
export function suggestionValue(s: Pick<StageSuggestion, 'leadId' | 'kind' | 'facts'>): string {
  return `${s.leadId}:${s.kind}:${s.facts}`;
}

function leadButtons(lead: TodayLead, o: TodayViewOptions): Button[] {
  const id = String(lead.leadId);
  const buttons = [button('Open lead', ACTION_IDS.todayOpenLead, id)];
  if (o.canEdit) {
    buttons.push(button('Log contact', ACTION_IDS.openNoteModal, id));
    buttons.push(button('Set follow-up', ACTION_IDS.openFollowUpModal, id));
    if (lead.ownerId === null) buttons.push(button('Assign to me', ACTION_IDS.assignToMe, id));
  }
  return buttons;
}

function actions(blockId: string, elements: Button[]): ActionsBlock {
  return { type: 'actions', block_id: blockId, elements };
}

function section(blockId: string, text: string): KnownBlock {
  return { type: 'section', block_id: blockId, text: { type: 'mrkdwn', text: cutMrkdwn(text, 3000) } };
}

const day = (date: Date, timeZone: string) => formatLocalDateOf(date, timeZone);

function whenDue(f: TodayFollowUp, data: TodayData): string {
  if (f.overdue) return `:warning: overdue since ${day(f.dueAt, data.timeZone)}`;
  return `due today at ${formatTimeOfDay(localDateTimeOf(f.dueAt, data.timeZone).minutes)}`;
}

const ownerNote = (ownerId: string | null, data: TodayData) =>
  data.team ? '' : ownerId === null ? ' · _unowned: yours to take_' : '';

/**
 * Each line's blocks are shared by the viewers who see them alike (block-memo.ts): the key is
 * everything a line reads besides its row: the zone (dates), the team view or not (the
 * "unowned" note), edit rights (buttons), and the labels of the stages it names.
 */
const followUpLines = blockMemo<TodayFollowUp, KnownBlock[]>();
const accountLines = blockMemo<TodayAccount, KnownBlock[]>();
const uncontactedLines = blockMemo<TodayUncontacted, KnownBlock[]>();
const suggestionLines = blockMemo<StageSuggestion, KnownBlock[]>();

function lineKey(data: TodayData, o: TodayViewOptions, ...labels: string[]): string {
  return JSON.stringify([data.timeZone, data.team, o.canEdit, ...labels]);
}

function followUpLine(f: TodayFollowUp, data: TodayData, o: TodayViewOptions): KnownBlock[] {
  return followUpLines(f, lineKey(data, o), () => buildFollowUpLine(f, data, o));
}

function accountLine(a: TodayAccount, data: TodayData, o: TodayViewOptions): KnownBlock[] {
  return accountLines(a, lineKey(data, o, stageLabel(a.stage, o.labels)), () => buildAccountLine(a, data, o));
}

function uncontactedLine(u: TodayUncontacted, data: TodayData, o: TodayViewOptions): KnownBlock[] {
  return uncontactedLines(u, lineKey(data, o), () => buildUncontactedLine(u, data, o));
}

function suggestionLine(s: StageSuggestion, data: TodayData, o: TodayViewOptions): KnownBlock[] {
  const key = lineKey(data, o, stageLabel(s.stage, o.labels), stageLabel(s.toStage, o.labels));
  return suggestionLines(s, key, () => buildSuggestionLine(s, data, o));
}

function buildFollowUpLine(f: TodayFollowUp, data: TodayData, o: TodayViewOptions): KnownBlock[] {
  const text = `:alarm_clock: ${customerTitle(f.name, f.company)}: ${escapeAndCut(f.message, 200)} · ${whenDue(f, data)}`;
  return [section(`today_fu:${f.alertId}`, text), actions(`today_fu_do:${f.alertId}`, leadButtons(f, o))];
}

function buildAccountLine(a: TodayAccount, data: TodayData, o: TodayViewOptions): KnownBlock[] {
  const state = a.state === 'at_risk' ? ':red_circle: *at risk*' : ':large_orange_circle: *overdue*';
  const text = `${state} ${customerTitle(a.name, a.company)} · ${usdText(a.valueAtRiskCents, a.unknownCurrencies)} at risk (a usual order)\norders about every ${a.intervalDays} day${a.intervalDays === 1 ? '' : 's'} · expected ${day(a.expectedAt, data.timeZone)} · last ${day(a.lastOrderAt, data.timeZone)} · ${escapeMrkdwn(stageLabel(a.stage, o.labels))}${ownerNote(a.ownerId, data)}`;
  return [section(`today_acct:${a.leadId}`, text), actions(`today_acct_do:${a.leadId}`, leadButtons(a, o))];
}

function buildUncontactedLine(u: TodayUncontacted, data: TodayData, o: TodayViewOptions): KnownBlock[] {
  const text = `:new: ${customerTitle(u.name, u.company)} · ${usdText(u.lifetimeUsdCents, u.unknownCurrencies)} lifetime · ordered ${day(u.lastOrderAt, data.timeZone)} · never contacted${ownerNote(u.ownerId, data)}`;
  return [section(`today_new:${u.leadId}`, text), actions(`today_new_do:${u.leadId}`, leadButtons(u, o))];
}

const SUGGESTION_REASON: Record<StageSuggestion['kind'], string> = {
  repeat_order: 'ordered again after the trial',
  at_risk: 'at risk: well past its usual order',
  ordered_again: 'ordered again',
};

/** "Trial Order → Active Account?" with the reason, as one line of mrkdwn. */
export function suggestionText(s: StageSuggestion, labels: StageLabels, timeZone: string): string {
  const from = escapeMrkdwn(stageLabel(s.stage, labels));
  const to = escapeMrkdwn(stageLabel(s.toStage, labels));
  const last = s.lastOrderAt ? `, last ${day(s.lastOrderAt, timeZone)}` : '';
  return `:bulb: ${customerTitle(s.name, s.company)}: *${from} → ${to}?* ${SUGGESTION_REASON[s.kind]} (${s.orderCount} order${s.orderCount === 1 ? '' : 's'}${last})`;
}

/** A suggestion's buttons: Accept opens the stage modal, Dismiss hides it until the facts change. */
export function suggestionButtons(s: StageSuggestion, canEdit: boolean, withOpen = true): Button[] {
  const open = withOpen ? [button('Open lead', ACTION_IDS.todayOpenLead, String(s.leadId))] : [];
  if (!canEdit) return open;
  const value = suggestionValue(s);
  return [
    button('Accept…', ACTION_IDS.suggestionAccept, value, 'primary'),
    button('Dismiss', ACTION_IDS.suggestionDismiss, value),
    ...open,
  ];
}

/** A suggestion button's value read back; null when it is not one of ours. */
export function parseSuggestionValue(
  value: string | undefined,
): { leadId: number; kind: string; facts: string } | null {
  const m = /^(\d{1,9}):([a-z_]{1,30}):(\d{1,9})$/.exec(value ?? '');
  return m ? { leadId: Number(m[1]), kind: m[2]!, facts: m[3]! } : null;
}

function buildSuggestionLine(s: StageSuggestion, data: TodayData, o: TodayViewOptions): KnownBlock[] {
  return [
    section(`today_sug:${s.leadId}`, `${suggestionText(s, o.labels, data.timeZone)}${ownerNote(s.ownerId, data)}`),
    actions(`today_sug_do:${s.leadId}`, suggestionButtons(s, o.canEdit)),
  ];
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** The one-line summary: counts of each list and the value at risk. */
export function todaySummary(data: TodayData): string {
  const parts = [
    plural(data.followUps.total, 'follow-up'),
    `${plural(data.accounts.total, 'account')} overdue or at risk (${formatUsd(data.accounts.valueAtRiskCents)})`,
    `${plural(data.uncontacted.total, 'new customer')} not contacted`,
    plural(data.suggestions.total, 'stage suggestion'),
  ];
  return parts.join(' · ');
}

const RHYTHM_UNKNOWN =
  ':grey_question: Order rhythm unknown: the Customers question has no `first_order_at` column (or no customer has 3 orders yet), so nobody is overdue or at risk.';

interface Entry {
  blocks: KnownBlock[];
}

/** Adds entries while they fit in `room`; returns how many were left out. */
function fill(out: KnownBlock[], entries: Entry[], room: () => number): number {
  let left = 0;
  for (const e of entries) {
    if (e.blocks.length <= room()) out.push(...e.blocks);
    else left += 1;
  }
  return left;
}

function personalBlocks(data: TodayData, o: TodayViewOptions, budget: number): KnownBlock[] {
  const out: KnownBlock[] = [];
  const lists: { id: string; title: string; total: number; entries: Entry[] }[] = [
    {
      id: 'follow_ups',
      title: 'Follow-ups due today',
      total: data.followUps.total,
      entries: data.followUps.items.map((f) => ({ blocks: followUpLine(f, data, o) })),
    },
    {
      id: 'accounts',
      title: `Accounts overdue or at risk · ${formatUsd(data.accounts.valueAtRiskCents)} at risk`,
      total: data.accounts.total,
      entries: data.accounts.items.map((a) => ({ blocks: accountLine(a, data, o) })),
    },
    {
      id: 'uncontacted',
      title: `Ordered in the last ${data.uncontacted.days} days, never contacted`,
      total: data.uncontacted.total,
      entries: data.uncontacted.items.map((u) => ({ blocks: uncontactedLine(u, data, o) })),
    },
    {
      id: 'suggestions',
      title: 'Stage suggestions',
      total: data.suggestions.total,
      entries: data.suggestions.items.map((s) => ({ blocks: suggestionLine(s, data, o) })),
    },
  ].filter((l) => l.total > 0);
  // Headings first (each list gets one, and a line if it can), then lines in turn.
  const reserve = lists.length + 1;
  let room = budget - out.length - reserve;
  const shown = new Map<string, KnownBlock[]>();
  for (const list of lists) shown.set(list.id, []);
  // Round-robin: the first line of every list before the second of any.
  for (let i = 0; ; i += 1) {
    let added = false;
    for (const list of lists) {
      const e = list.entries[i];
      if (!e || e.blocks.length > room) continue;
      shown.get(list.id)!.push(...e.blocks);
      room -= e.blocks.length;
      added = true;
    }
    if (!added) break;
  }
  for (const list of lists) {
    const lines = shown.get(list.id)!;
    const count = lines.length / 2;
    const more = list.total > count ? ` (${count} of ${list.total.toLocaleString('en-US')} shown)` : '';
    out.push(section(`today_list:${list.id}`, `*${escapeMrkdwn(list.title)}*${more}`), ...lines);
  }
  return out;
}

function ownerHeading(owner: OwnerCounts): string {
  const who = owner.ownerId ? mention(owner.ownerId) : '*Unowned*';
  const parts = [
    owner.followUps ? plural(owner.followUps, 'follow-up') : null,
    owner.accounts ? `${plural(owner.accounts, 'account')} at risk (${formatUsd(owner.valueAtRiskCents)})` : null,
    owner.uncontacted ? `${plural(owner.uncontacted, 'new customer')} not contacted` : null,
    owner.suggestions ? plural(owner.suggestions, 'suggestion') : null,
  ].filter(Boolean);
  return `${who}: ${parts.join(' · ')}`;
}

/** The team view: per owner (most value at risk first) a heading with their counts, then their top lines. */
function teamBlocks(data: TodayData, o: TodayViewOptions, budget: number): KnownBlock[] {
  const out: KnownBlock[] = [];
  let hiddenOwners = 0;
  const room = () => budget - out.length - 1;
  for (const owner of data.owners) {
    const key = owner.ownerId ?? '';
    const mine = <T extends TodayLead>(items: T[]) => items.filter((i) => (i.ownerId ?? '') === key);
    const entries: Entry[] = [
      ...mine(data.followUps.items).map((f) => ({ blocks: followUpLine(f, data, o) })),
      ...mine(data.accounts.items).map((a) => ({ blocks: accountLine(a, data, o) })),
      ...mine(data.suggestions.items).map((s) => ({ blocks: suggestionLine(s, data, o) })),
      ...mine(data.uncontacted.items).map((u) => ({ blocks: uncontactedLine(u, data, o) })),
    ];
    if (room() < 1 + Math.min(2, entries.length * 2)) {
      hiddenOwners += 1;
      continue;
    }
    out.push({
      type: 'context',
      block_id: `today_owner:${key || 'unowned'}`,
      elements: [{ type: 'mrkdwn', text: cutMrkdwn(ownerHeading(owner), 3000) }],
    });
    // At most two lines per person, so the whole team fits.
    fill(out, entries.slice(0, 2), room);
  }
  if (hiddenOwners)
    out.push({
      type: 'context',
      block_id: 'today_owners_more',
      elements: [{ type: 'mrkdwn', text: `…and ${plural(hiddenOwners, 'more person', 'more people')} not shown.` }],
    });
  return out;
}

/**
 * The section's blocks, at most `o.maxBlocks`: a heading with the counts, the rhythm note
 * when rhythm is unknown, then the lists (personal) or the people (team).
 */
export function buildTodayBlocks(data: TodayData, o: TodayViewOptions): KnownBlock[] {
  const head: KnownBlock[] = [
    {
      type: 'header',
      block_id: 'today_title',
      text: { type: 'plain_text', text: o.title, emoji: true },
    },
    {
      type: 'context',
      block_id: 'today_summary',
      elements: [
        {
          type: 'mrkdwn',
          text: cutMrkdwn(
            `${data.team ? '*The team*' : '*Yours*'} on ${data.day}: ${todaySummary(data)}${data.rhythmKnown ? '' : `\n${RHYTHM_UNKNOWN}`}`,
            3000,
          ),
        },
      ],
    },
  ];
  const budget = Math.max(0, o.maxBlocks - head.length);
  const empty =
    data.followUps.total + data.accounts.total + data.uncontacted.total + data.suggestions.total === 0
      ? [section('today_empty', 'Nothing to chase today. :sunny:')]
      : [];
  const body = empty.length ? empty : data.team ? teamBlocks(data, o, budget) : personalBlocks(data, o, budget);
  return [...head, ...body].slice(0, o.maxBlocks);
}

/** `/crm today` and the morning agenda DM. */
export function buildTodayMessage(data: TodayData, o: TodayViewOptions): EphemeralMessage {
  return { text: `${o.title}: ${todaySummary(data)}`, blocks: buildTodayBlocks(data, o) };
}

/** What the Home tab shows of someone's agenda setting, in their zone. */
export type AgendaSettingView = AgendaSetting & { timeZone: string };

const DAY_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** "Mon–Fri", "Mon, Wed, Fri", "no day". */
export function workdaysText(days: number[]): string {
  if (days.length === 0) return 'no day (an admin has set none)';
  const consecutive = days.every((d, i) => i === 0 || d === days[i - 1]! + 1);
  if (consecutive && days.length > 2) return `${DAY_SHORT[days[0]! - 1]}–${DAY_SHORT[days[days.length - 1]! - 1]}`;
  return days.map((d) => DAY_SHORT[d - 1]).join(', ');
}

/** The agenda line under the section: when it comes, a time picker, and on/off. */
export function buildAgendaControls(a: AgendaSettingView): KnownBlock[] {
  const time = a.timeOfDay ?? a.teamTime;
  const status = a.enabled
    ? `:sunrise: Morning agenda by DM at *${time}* (${escapeMrkdwn(a.timeZone)}) on ${workdaysText(a.workdays)}${a.timeOfDay ? '' : ' (the team’s time)'}; skipped when there is nothing to do.`
    : ':no_bell: Morning agenda DM is *off*.';
  return [
    {
      type: 'context',
      block_id: 'agenda_status',
      elements: [{ type: 'mrkdwn', text: status }],
    },
    {
      type: 'actions',
      block_id: 'agenda_controls',
      elements: [
        {
          type: 'timepicker',
          action_id: ACTION_IDS.agendaTime,
          initial_time: time,
          placeholder: { type: 'plain_text', text: 'Agenda time' },
        },
        a.enabled
          ? button('Turn agenda off', ACTION_IDS.agendaToggle, 'off')
          : button('Turn agenda on', ACTION_IDS.agendaToggle, 'on', 'primary'),
      ],
    },
  ];
}

/** The agenda DM's own message for the preview and tests: the same builder as `/crm today`. */
export const AGENDA_TITLE = 'Good morning: who to call today';
