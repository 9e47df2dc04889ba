import type { ActionsBlock, HomeView, KnownBlock, Option, PlainTextOption, SectionBlock } from '@slack/types';
import { OWNER_FILTERS, type OwnerFilter, UNCONTACTED_DAY_CHOICES } from '../../common/choices';
import { describeUnconverted, formatUsd, UNREADABLE_ROW } from '../../common/money';
import { STAGES, type StageLabels, type StageSlug, stageLabel } from '../../common/stages';
import { formatLocalDate, formatLocalDateOf, formatTimeOfDay, localDateTimeOf } from '../../common/zoned-time';
import type { HomeFilter } from '../../domain/home-filter';
import type { SyncProgress } from '../../domain/lead-sync';
import type { PipelineLead, PipelineSnapshot, StageSummary } from '../../domain/pipeline';
import type { SyncStatus } from '../../domain/sync-coordinator';
import { ACTION_IDS } from './action-ids';
import { blockMemo } from './block-memo';
import { cutMrkdwn, escapeAndCut, escapeMrkdwn, truncate } from './mrkdwn';

/** Slack's limit of blocks in a Home view. */
export const HOME_MAX_BLOCKS = 100;

export type HomeSyncStatus = SyncStatus;

/**
 * Sections of the Home tab besides the pipeline (admin notices, the viewer's follow-ups, the
 * admin settings), each built by its own pure builder; the pipeline gets what is left of
 * Slack's 100-block budget.
 */
export interface HomeExtras {
  /** Shown first (e.g. admin notices: a follow-up disabled because its owner left). */
  notices: KnownBlock[];
  /** "Who to call today" and the agenda setting: the first section, with a budget of its own. */
  today: KnownBlock[];
  /** "My follow-ups". */
  followUps: KnownBlock[];
  /** Admin settings and audit, admins only. */
  admin: KnownBlock[];
}

/** Upper bound of blocks all extras but "today" may use together, so the pipeline always fits. */
export const HOME_EXTRAS_BLOCK_BUDGET = 30;
/** Upper bound of the "today" section's blocks (with the agenda setting). */
export const HOME_TODAY_BLOCK_BUDGET = 30;

export interface PipelineHomeViewer {
  userId: string;
  /** May change leads (stage, note, owner, follow-up). */
  canEdit: boolean;
  timeZone: string;
}

export interface PipelineHomeData {
  viewer: PipelineHomeViewer;
  now: Date;
  stageLabels: StageLabels;
  filter: HomeFilter;
  snapshot: PipelineSnapshot;
  sync: HomeSyncStatus;
  extras: HomeExtras;
}

/** Overflow verbs on each lead; the values are `<verb>:<leadId>` (the lead-actions listener parses them). */
export const LEAD_OVERFLOW_VERBS = ['stage', 'note', 'assign', 'orders', 'follow_up'] as const;
export type LeadOverflowVerb = (typeof LEAD_OVERFLOW_VERBS)[number];

const OVERFLOW_LABELS: Record<LeadOverflowVerb, string> = {
  stage: 'Change stage',
  note: 'Add note',
  assign: 'Assign to me',
  orders: 'View orders',
  follow_up: 'Set follow-up',
};

export function leadOverflowValue(verb: LeadOverflowVerb, leadId: number): string {
  return `${verb}:${leadId}`;
}

/** `show more` button value: `<stage slug>:<page>`. */
export function showMoreValue(stage: StageSlug, page: number): string {
  return `${stage}:${page}`;
}

const OWNER_FILTER_LABELS: Record<OwnerFilter, string> = {
  all: 'All leads',
  mine: 'My leads',
  unowned: 'Unowned leads',
  uncontacted: 'Uncontacted',
};

const ALL_STAGES_VALUE = 'all';

const plain = (text: string): PlainTextOption['text'] => ({
  type: 'plain_text',
  text: truncate(text, 75),
  emoji: true,
});
const option = (text: string, value: string): PlainTextOption => ({ text: plain(text), value });

function pluralise(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** "just now", "2 min ago", "3 h ago", "4 days ago". */
export function relativeTime(then: Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - then.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

/** "10:42" today, else "2026-11-24 10:42", in the viewer's time zone. */
function localTimeOrDateTime(date: Date, now: Date, timeZone: string): string {
  const d = localDateTimeOf(date, timeZone);
  const time = formatTimeOfDay(d.minutes);
  return d.day === localDateTimeOf(now, timeZone).day ? time : `${formatLocalDate(d.day)} ${time}`;
}

const UNAVAILABLE_PREFIX = /^Production data unavailable:\s*/i;

export function syncStatusText(sync: HomeSyncStatus, now: Date, timeZone: string): string {
  switch (sync.kind) {
    case 'off':
      return ':warning: Production data is not configured (METABASE_URL unset); sync is off.';
    case 'never':
      if (sync.progress) return importingText(sync.progress);
      return sync.running
        ? ':hourglass_flowing_sand: Syncing leads from production for the first time…'
        : 'Not synced with production yet.';
    case 'ok': {
      const created = sync.created > 0 ? ` · ${pluralise(sync.created, 'new lead')}` : '';
      return `:white_check_mark: Synced ${relativeTime(sync.finishedAt, now)}${created}${sync.running ? ' · syncing…' : ''}`;
    }
    case 'failing': {
      const reason = escapeAndCut(sync.error.replace(UNAVAILABLE_PREFIX, ''), 300);
      const cached = sync.lastSuccessAt
        ? `showing cached figures from ${relativeTime(sync.lastSuccessAt, now)}`
        : 'no cached figures yet';
      const partial = sync.partial ? partialText(sync.partial, sync.lastSuccessAt, now) : cached;
      const again = sync.progress ? `\n${importingText(sync.progress)}` : '';
      return `:warning: Production data unavailable since ${localTimeOrDateTime(sync.since, now, timeZone)} (${reason}) — ${partial}${again}`;
    }
  }
}

/** An import as it goes: how far, and that the leads and totals shown are only those so far. */
function importingText(progress: SyncProgress): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return (
    `:hourglass_flowing_sand: Importing customers from production: ${n(progress.through)} of ${n(progress.of)} so far. ` +
    'The leads and totals below count only those; the rest are on their way.'
  );
}

/** The latest run failed after writing some customers: each of them is whole, the others are as they were. */
function partialText(
  partial: { created: number; updated: number; fetched: number },
  lastSuccessAt: Date | null,
  now: Date,
): string {
  if (!lastSuccessAt)
    return `the import stopped partway (${pluralise(partial.created, 'new lead')} of ${pluralise(partial.fetched, 'customer')} read): the leads shown are complete, the rest come with the next sync`;
  return `${pluralise(partial.created + partial.updated, 'customer')} of ${partial.fetched.toLocaleString('en-US')} updated before it stopped, the others showing cached figures from ${relativeTime(lastSuccessAt, now)}`;
}

function filterDescription(filter: HomeFilter, labels: StageLabels): string {
  const who =
    filter.owner === 'uncontacted'
      ? `leads with an order in the last ${filter.uncontactedDays} days and no contact logged`
      : OWNER_FILTER_LABELS[filter.owner].toLowerCase();
  const where = filter.stage ? ` in ${escapeMrkdwn(stageLabel(filter.stage, labels))}` : '';
  return `Showing ${who}${where}`;
}

function filterControls(filter: HomeFilter, labels: StageLabels): ActionsBlock {
  const ownerOptions = OWNER_FILTERS.map((f) => option(OWNER_FILTER_LABELS[f], f));
  const stageOptions = [
    option('All stages', ALL_STAGES_VALUE),
    ...STAGES.map((s) => option(stageLabel(s.slug, labels), s.slug)),
  ];
  const dayChoices: number[] = [...UNCONTACTED_DAY_CHOICES];
  if (!dayChoices.includes(filter.uncontactedDays)) dayChoices.push(filter.uncontactedDays);
  const dayOptions = dayChoices.sort((a, b) => a - b).map((d) => option(`Uncontacted: ${d} days`, String(d)));
  return {
    type: 'actions',
    block_id: 'home_filters',
    elements: [
      {
        type: 'static_select',
        action_id: ACTION_IDS.homeFilterOwner,
        options: ownerOptions,
        initial_option: ownerOptions.find((o) => o.value === filter.owner)!,
      },
      {
        type: 'static_select',
        action_id: ACTION_IDS.homeFilterStage,
        options: stageOptions,
        initial_option: stageOptions.find((o) => o.value === (filter.stage ?? ALL_STAGES_VALUE))!,
      },
      {
        type: 'static_select',
        action_id: ACTION_IDS.homeFilterUncontactedDays,
        options: dayOptions,
        initial_option: dayOptions.find((o) => o.value === String(filter.uncontactedDays))!,
      },
      { type: 'button', action_id: ACTION_IDS.homeRefresh, text: plain('Refresh'), value: 'refresh' },
    ],
  };
}

function listOf(items: string[], max = 8): string {
  const shown = items.slice(0, max).map(escapeMrkdwn).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

function stageHeading(stage: StageSummary, labels: StageLabels): SectionBlock {
  const label = escapeMrkdwn(stageLabel(stage.slug, labels));
  let text = `*${label}*  ·  ${pluralise(stage.count, 'lead')}  ·  ${formatUsd(stage.lifetimeUsdCents)}`;
  if (stage.incompleteCurrencies.length) {
    const currencies = stage.incompleteCurrencies.filter((c) => c !== UNREADABLE_ROW);
    const unread = currencies.length < stage.incompleteCurrencies.length;
    text += currencies.length
      ? `\n:warning: Incomplete: ${pluralise(stage.incompleteCount, 'lead')} with amounts in ${listOf(currencies)} not converted to USD${unread ? ' or in a row that could not be read' : ''}`
      : `\n:warning: Incomplete: ${pluralise(stage.incompleteCount, 'lead')} with a row that could not be read`;
  }
  if (stage.count === 0) text += '\n_No leads here._';
  else if (stage.page > 0) {
    const first = stage.page * stage.pageSize + 1;
    text += `\n_Showing ${first.toLocaleString('en-US')}–${(first + stage.leads.length - 1).toLocaleString('en-US')} by lifetime USD_`;
  }
  return { type: 'section', block_id: `stage:${stage.slug}`, text: { type: 'mrkdwn', text: cutMrkdwn(text, 3000) } };
}

const leadLines = blockMemo<PipelineLead, SectionBlock>();

/**
 * A lead's line, shared by every viewer who sees it alike (block-memo.ts): it depends on the
 * lead, the viewer's zone (the last order's date), their edit rights and, when they may edit,
 * whether the lead is theirs (no "Assign to me"); on nothing else (not the time, labels or filter).
 */
function leadLine(lead: PipelineLead, viewer: PipelineHomeViewer): SectionBlock {
  const owns = viewer.canEdit && lead.ownerId !== null && lead.ownerId === viewer.userId;
  const key = `${viewer.canEdit ? 'e' : 'r'}${owns ? 'o' : '-'}${viewer.timeZone}`;
  return leadLines(lead, key, () => buildLeadLine(lead, viewer));
}

function buildLeadLine(lead: PipelineLead, viewer: PipelineHomeViewer): SectionBlock {
  const name = escapeAndCut(lead.name, 80);
  const company = lead.company && lead.company !== lead.name ? `  ·  ${escapeAndCut(lead.company, 60)}` : '';
  const usd = lead.unknownCurrencies.length
    ? `*${formatUsd(lead.lifetimeUsdCents)}* + ${escapeMrkdwn(describeUnconverted(lead.unknownCurrencies, 4))} (incomplete)`
    : `*${formatUsd(lead.lifetimeUsdCents)}*`;
  const facts = [
    lead.markets.length ? listOf(lead.markets, 11) : null,
    usd,
    lead.lastOrderAt ? `last order ${formatLocalDateOf(lead.lastOrderAt, viewer.timeZone)}` : null,
    lead.ownerId ? `<@${lead.ownerId}>` : 'unowned',
    lead.lastTouchAt === null ? ':new: _not contacted yet_' : null,
  ].filter((f): f is string => f !== null);
  const verbs = LEAD_OVERFLOW_VERBS.filter((v) => {
    if (v === 'orders') return true;
    if (!viewer.canEdit) return false;
    return v !== 'assign' || lead.ownerId !== viewer.userId;
  });
  // A menu of one item is a detour: a read-only viewer gets the one thing they can do as a
  // button (the lead card's Orders button, same listener).
  const accessory: SectionBlock['accessory'] =
    verbs.length === 1 && verbs[0] === 'orders'
      ? {
          type: 'button',
          action_id: ACTION_IDS.viewOrders,
          text: plain(OVERFLOW_LABELS.orders),
          value: String(lead.leadId),
        }
      : {
          type: 'overflow',
          action_id: ACTION_IDS.leadOverflow,
          options: verbs.map((v) =>
            option(OVERFLOW_LABELS[v], leadOverflowValue(v, lead.leadId)),
          ) as Option[] as PlainTextOption[],
        };
  return {
    type: 'section',
    block_id: `lead:${lead.leadId}`,
    text: { type: 'mrkdwn', text: cutMrkdwn(`*${name}*${company}\n${facts.join('  ·  ')}`, 3000) },
    accessory,
  };
}

function pagingControls(stage: StageSummary, labels: StageLabels): ActionsBlock | null {
  const hasMore = (stage.page + 1) * stage.pageSize < stage.count;
  if (!hasMore && stage.page === 0) return null;
  const label = stageLabel(stage.slug, labels);
  const elements: ActionsBlock['elements'] = [];
  if (stage.page > 0) {
    elements.push({
      type: 'button',
      action_id: ACTION_IDS.homeShowPrevious,
      text: plain(`Back to the top of ${label}`),
      value: showMoreValue(stage.slug, 0),
    });
  }
  if (hasMore) {
    elements.push({
      type: 'button',
      action_id: ACTION_IDS.homeShowMore,
      text: plain(`Show more in ${label}`),
      value: showMoreValue(stage.slug, stage.page + 1),
    });
  }
  return { type: 'actions', block_id: `more:${stage.slug}`, elements };
}

/** Caps the extras at their budget, in order of importance: notices, follow-ups, admin. */
function budgetExtras(extras: HomeExtras): HomeExtras {
  let left = HOME_EXTRAS_BLOCK_BUDGET;
  const take = (blocks: KnownBlock[]) => {
    const kept = blocks.slice(0, Math.max(0, left));
    left -= kept.length;
    return kept;
  };
  return {
    notices: take(extras.notices),
    today: extras.today.slice(0, HOME_TODAY_BLOCK_BUDGET),
    followUps: take(extras.followUps),
    admin: take(extras.admin),
  };
}

/**
 * The Home tab for a roster member: sync status, filters, then each stage (heading block
 * `stage:<slug>` with count and USD total, its top leads by lifetime USD, paging), with the
 * other features' sections around it. At most 100 blocks whatever the data: the pipeline
 * gets what the extras leave, and stages that do not fit are cut with a note.
 */
export function buildPipelineHome(data: PipelineHomeData): HomeView {
  const { viewer, stageLabels: labels, filter, snapshot } = data;
  const extras = budgetExtras(data.extras);
  const head: KnownBlock[] = [
    { type: 'header', block_id: 'home_title', text: { type: 'plain_text', text: 'Pipeline', emoji: true } },
    {
      type: 'context',
      block_id: 'sync_status',
      elements: [{ type: 'mrkdwn', text: syncStatusText(data.sync, data.now, viewer.timeZone) }],
    },
    filterControls(filter, labels),
    {
      type: 'context',
      block_id: 'home_filter_summary',
      elements: [
        {
          type: 'mrkdwn',
          text: `${filterDescription(filter, labels)}: ${pluralise(snapshot.totalCount, 'lead')}, ${formatUsd(snapshot.stages.reduce((s, st) => s + st.lifetimeUsdCents, 0n))} lifetime. Top leads by lifetime USD.`,
        },
      ],
    },
  ];

  // Room left for the stages once the header, the extras and one "cut" note are placed.
  let room =
    HOME_MAX_BLOCKS -
    extras.notices.length -
    extras.today.length -
    head.length -
    extras.followUps.length -
    extras.admin.length -
    1;
  const stageBlocks: KnownBlock[] = [];
  let cut = false;
  for (const stage of snapshot.stages) {
    const paging = pagingControls(stage, labels);
    const section: KnownBlock[] = [{ type: 'divider' }, stageHeading(stage, labels)];
    const fixed = section.length + (paging ? 1 : 0);
    if (fixed > room) {
      cut = true;
      break;
    }
    const leads = stage.leads.slice(0, room - fixed);
    if (leads.length < stage.leads.length) cut = true;
    section.push(...leads.map((l) => leadLine(l, viewer)));
    if (paging) section.push(paging);
    stageBlocks.push(...section);
    room -= section.length;
  }
  if (cut) {
    stageBlocks.push({
      type: 'context',
      block_id: 'home_cut',
      elements: [
        {
          type: 'mrkdwn',
          text: 'Not everything fits on the Home tab: pick one stage in the filter to see more of it.',
        },
      ],
    });
  }

  return {
    type: 'home',
    blocks: [...extras.notices, ...extras.today, ...head, ...extras.followUps, ...stageBlocks, ...extras.admin],
  };
}

/** What a Slack guest or a user outside the roster sees: a polite note and no customer data. */
export function buildNoAccessHome(message: string): HomeView {
  return {
    type: 'home',
    blocks: [
      { type: 'header', block_id: 'home_title', text: { type: 'plain_text', text: 'B2B CRM', emoji: true } },
      { type: 'section', block_id: 'no_access', text: { type: 'mrkdwn', text: escapeMrkdwn(message) } },
    ],
  };
}
