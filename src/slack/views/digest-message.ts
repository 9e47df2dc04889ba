import type { KnownBlock } from '@slack/types';
import { describeUnconverted, formatRateDate, formatUsd } from '../../common/money';
import { type StageLabels, stageLabel } from '../../common/stages';
import { formatLocalDateOf, formatShortInstantIn } from '../../common/zoned-time';
import type { DigestFigures, DigestLead } from '../../domain/digest-figures';
import { ACTION_IDS } from './action-ids';
import { cutMrkdwn, escapeAndCut, escapeMrkdwn, fitList, truncate } from './mrkdwn';

/** Slack's limit for a message; the digest's layout uses far fewer, whatever the data size. */
export const MAX_MESSAGE_BLOCKS = 50;
const MAX_SECTION_TEXT = 3000;
const MAX_NAME = 60;

export interface DigestMessageOptions {
  stageLabels: StageLabels;
  /** Zone the period and dates are shown in (the schedule's). */
  timeZone: string;
  /** Deep link to the app's Home tab; null: a plain button (its click refreshes Home). */
  homeUrl: string | null;
  /** A preview shown to one person rather than the channel's digest. */
  preview?: boolean;
}

export interface DigestMessage {
  text: string;
  blocks: KnownBlock[];
}

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: cutMrkdwn(text, MAX_SECTION_TEXT) } };
}

/** A titled list: whole entries only, and how many of `total` are not shown. */
function listSection(
  head: string,
  lines: string[],
  total: number,
  more = (n: number) => `_…and ${n.toLocaleString('en-US')} more_`,
): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: fitList({ head, lines, total, more }, MAX_SECTION_TEXT) } };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

function signedUsd(cents: bigint): string {
  return cents > 0n ? `+${formatUsd(cents)}` : formatUsd(cents);
}

function customerName(name: string, company?: string | null): string {
  const n = `*${escapeAndCut(name, MAX_NAME)}*`;
  return company && company !== name ? `${n} (${escapeAndCut(company, MAX_NAME)})` : n;
}

function usdFigure(lead: Pick<DigestLead, 'lifetimeUsdCents' | 'unknownCurrencies'>): string {
  const incomplete = lead.unknownCurrencies.length
    ? ` (incomplete: ${escapeMrkdwn(describeUnconverted(lead.unknownCurrencies))})`
    : '';
  return `${formatUsd(lead.lifetimeUsdCents)}${incomplete}`;
}

function owner(ownerId: string | null): string {
  return ownerId ? `<@${ownerId}>` : 'unowned';
}

function periodLabel(f: DigestFigures, timeZone: string): string {
  return `${formatShortInstantIn(f.from, timeZone)} – ${formatShortInstantIn(f.to, timeZone)} (${timeZone})`;
}

function viewInCrmButton(homeUrl: string | null): KnownBlock {
  return {
    type: 'actions',
    block_id: 'digest_actions',
    elements: [
      {
        type: 'button',
        action_id: ACTION_IDS.digestViewInCrm,
        text: { type: 'plain_text', text: 'View in CRM' },
        value: 'home',
        ...(homeUrl ? { url: homeUrl } : {}),
      },
    ],
  };
}

/**
 * The digest as a Slack message: a fixed layout of at most a dozen blocks, every list cut
 * to a few items with a count of the rest, so it fits Slack's 50-block limit at any size.
 */
export function buildDigestMessage(f: DigestFigures, options: DigestMessageOptions): DigestMessage {
  const { stageLabels, timeZone } = options;
  const label = (slug: string | null) => escapeMrkdwn(slug ? stageLabel(slug, stageLabels) : '(none)');
  const period = periodLabel(f, timeZone);
  const heading = options.preview ? 'CRM digest preview' : 'CRM digest';

  if (isQuietDigest(f)) {
    const line = `${heading}: nothing new for ${period}: no stage changes, no new leads, nothing overdue or stale.`;
    return { text: line, blocks: [section(line)] };
  }

  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(heading, 150) } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: cutMrkdwn(
            `${period}${f.comparedWith ? ` · changes since the digest of ${formatShortInstantIn(f.comparedWith, timeZone)}` : ''}${options.preview ? ' · only you can see this preview' : ''}`,
            MAX_SECTION_TEXT,
          ),
        },
      ],
    },
  ];

  const pipelineLines = f.pipeline.map((s) => {
    const change =
      s.countChange !== null && s.usdChange !== null && (s.countChange !== 0 || s.usdChange !== 0n)
        ? ` (${signed(s.countChange)} · ${signedUsd(s.usdChange)})`
        : '';
    const incomplete = s.incompleteCount
      ? ` · :warning: ${s.incompleteCount} incomplete (${escapeMrkdwn(describeUnconverted(s.unknownCurrencies) || 'unknown currency not converted')})`
      : '';
    return `*${label(s.slug)}*: ${plural(s.count, 'lead')} · ${formatUsd(s.usdCents)}${change}${incomplete}`;
  });
  blocks.push(listSection('*Pipeline*', pipelineLines, pipelineLines.length));
  blocks.push({ type: 'divider' });

  if (f.movements.total > 0) {
    const lines = f.movements.latest.map(
      (m) =>
        `${m.actorId ? `<@${m.actorId}>` : 'The CRM'} moved ${customerName(m.customerName)} from ${label(m.fromStage)} to ${label(m.toStage)}`,
    );
    blocks.push(
      listSection(`*Stage changes (${f.movements.total.toLocaleString('en-US')})*`, lines, f.movements.total),
    );
  }

  if (f.newLeads.total > 0) {
    const lines = f.newLeads.top.map((l) => `${customerName(l.name, l.company)} · ${usdFigure(l)}`);
    blocks.push(
      listSection(`*New leads from sync (${f.newLeads.total.toLocaleString('en-US')})*`, lines, f.newLeads.total),
    );
  }

  if (f.uncontacted.total > 0) {
    const lines = f.uncontacted.top.map(
      (l, i) =>
        `${i + 1}. ${customerName(l.name, l.company)} · ${usdFigure(l)} · last order ${l.lastOrderAt ? formatLocalDateOf(l.lastOrderAt, timeZone) : 'unknown'} · ${owner(l.ownerId)}`,
    );
    blocks.push(
      listSection(
        `*Not contacted yet, ordered in the last ${f.uncontacted.days} days (${f.uncontacted.total.toLocaleString('en-US')})*`,
        lines,
        f.uncontacted.total,
      ),
    );
  }

  if (f.atRisk && f.atRisk.total > 0) {
    const lines = f.atRisk.top.map(
      (a, i) =>
        `${i + 1}. ${customerName(a.name, a.company)} · ${formatUsd(a.valueAtRiskCents)} at risk · ${owner(a.ownerId)}`,
    );
    blocks.push(
      listSection(
        `*Accounts at risk (${f.atRisk.total.toLocaleString('en-US')}): ${formatUsd(f.atRisk.valueAtRiskCents)} of usual orders at risk*`,
        lines,
        f.atRisk.total,
      ),
    );
  }

  if (f.suggestionsWaiting) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Stage suggestions waiting: ${f.suggestionsWaiting.toLocaleString('en-US')}* (accept or dismiss them from Home or \`/crm today\`)`,
      },
    });
  }

  if (f.overdue.total > 0) {
    const shown = f.overdue.byOwner.slice(0, 10);
    const lines = shown.map(
      (o) =>
        `<@${o.ownerId}>: ${plural(o.count, 'overdue follow-up')} (oldest due ${formatLocalDateOf(o.oldestDueAt, timeZone)})`,
    );
    blocks.push(
      listSection(
        `*Overdue follow-ups (${f.overdue.total.toLocaleString('en-US')})*`,
        lines,
        f.overdue.byOwner.length,
        (n) => `_…and ${n} more people_`,
      ),
    );
  }

  if (f.stale.total > 0) {
    const perStage = f.stale.byStage
      .map((s) => `${label(s.slug)}: ${s.count.toLocaleString('en-US')} (no touch for ${s.thresholdDays}+ days)`)
      .join(' · ');
    const lines = f.stale.top.map(
      (l) =>
        `${customerName(l.name, l.company)} · ${label(l.stage)} · ${usdFigure(l)} · last touch ${l.lastTouchAt ? formatLocalDateOf(l.lastTouchAt, timeZone) : 'never'} · ${owner(l.ownerId)}`,
    );
    blocks.push(
      listSection(
        `*Stale leads (${f.stale.total.toLocaleString('en-US')})*\n${cutMrkdwn(perStage, 1000)}`,
        lines,
        f.stale.total,
      ),
    );
  }

  const { oldest, newest } = f.rates;
  const rateText =
    !oldest || !newest
      ? 'No USD figures yet (no synced customers).'
      : formatRateDate(oldest) === formatRateDate(newest)
        ? `USD figures at the currency rates of ${formatRateDate(newest)}.`
        : `USD figures at the currency rates of ${formatRateDate(oldest)} to ${formatRateDate(newest)}.`;
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: rateText }] });
  blocks.push(viewInCrmButton(options.homeUrl));

  const text = [
    `${heading} for ${period}`,
    `${plural(f.movements.total, 'stage change')}, ${plural(f.newLeads.total, 'new lead')}, ${plural(f.uncontacted.total, 'uncontacted recent buyer')}, ${plural(f.overdue.total, 'overdue follow-up')}, ${plural(f.stale.total, 'stale lead')}${f.atRisk ? `, ${plural(f.atRisk.total, 'account')} at risk (${formatUsd(f.atRisk.valueAtRiskCents)})` : ''}${f.suggestionsWaiting ? `, ${plural(f.suggestionsWaiting, 'stage suggestion')} waiting` : ''}`,
  ].join(': ');
  return { text: truncate(text, MAX_SECTION_TEXT), blocks: blocks.slice(0, MAX_MESSAGE_BLOCKS) };
}

/** `slack://` deep link to the app's Home tab. */
export function appHomeUrl(teamId: string, appId: string): string {
  return `slack://app?team=${encodeURIComponent(teamId)}&id=${encodeURIComponent(appId)}&tab=home`;
}

/** Nothing happened and nothing needs attention: the digest says so in one line. */
export function isQuietDigest(f: DigestFigures): boolean {
  const pipelineMoved = f.pipeline.some((s) => (s.countChange ?? 0) !== 0 || (s.usdChange ?? 0n) !== 0n);
  return (
    !pipelineMoved &&
    f.movements.total === 0 &&
    f.newLeads.total === 0 &&
    f.uncontacted.total === 0 &&
    f.overdue.total === 0 &&
    f.stale.total === 0 &&
    !f.atRisk?.total &&
    !f.suggestionsWaiting
  );
}
