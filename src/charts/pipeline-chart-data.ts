import { describeUnconverted, formatUsd } from '../common/money';
import { type StageLabels, stageLabel } from '../common/stages';
import { formatShortInstantIn } from '../common/zoned-time';
import type { DigestFigures } from '../domain/digest-figures';

/**
 * What the digest's pipeline picture shows, taken from the same figures as the digest's
 * text so the two can never disagree: per stage the lead count and lifetime USD now and at
 * the previous digest, and the period's stage changes by route.
 */

export interface ChartStage {
  label: string;
  count: number;
  usdCents: bigint;
  /** At the previous digest; null when there was none. */
  previousCount: number | null;
  previousUsdCents: bigint | null;
  /** Leads whose USD figure leaves out a currency that could not be converted. */
  incompleteCount: number;
  unknownCurrencies: string[];
}

export interface ChartRoute {
  from: string;
  to: string;
  count: number;
}

export interface PipelineChartData {
  /** "Mon 24 Nov, 09:00 – Mon 1 Dec, 09:00 (Asia/Dubai)", as the digest says it. */
  period: string;
  /** When the previous digest's snapshot was taken, in the same zone; null: first digest. */
  previousAt: string | null;
  stages: ChartStage[];
  movements: { total: number; routes: ChartRoute[] };
  /** Accounts at risk and suggestions waiting, as the digest says them; null when not computed. */
  rhythm: { atRisk: number; valueAtRiskCents: bigint; suggestionsWaiting: number } | null;
}

export interface ChartOptions {
  stageLabels: StageLabels;
  timeZone: string;
}

export function pipelineChartData(f: DigestFigures, options: ChartOptions): PipelineChartData {
  const { stageLabels, timeZone } = options;
  const label = (slug: string | null) => (slug ? stageLabel(slug, stageLabels) : '(none)');
  return {
    period: `${formatShortInstantIn(f.from, timeZone)} – ${formatShortInstantIn(f.to, timeZone)} (${timeZone})`,
    previousAt: f.comparedWith ? formatShortInstantIn(f.comparedWith, timeZone) : null,
    stages: f.pipeline.map((s) => ({
      label: label(s.slug),
      count: s.count,
      usdCents: s.usdCents,
      previousCount: s.countChange === null ? null : s.count - s.countChange,
      previousUsdCents: s.usdChange === null ? null : s.usdCents - s.usdChange,
      incompleteCount: s.incompleteCount,
      unknownCurrencies: s.unknownCurrencies,
    })),
    movements: {
      total: f.movements.total,
      routes: f.movements.paths.map((p) => ({ from: label(p.fromStage), to: label(p.toStage), count: p.count })),
    },
    rhythm: f.atRisk
      ? {
          atRisk: f.atRisk.total,
          valueAtRiskCents: f.atRisk.valueAtRiskCents,
          suggestionsWaiting: f.suggestionsWaiting ?? 0,
        }
      : null,
  };
}

/** Slack refuses longer alt text for an upload (alt_txt_too_large). */
export const MAX_ALT_TEXT = 1000;

function leads(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'lead' : 'leads'}`;
}

function signed(n: number): string {
  return n > 0 ? `+${n.toLocaleString('en-US')}` : n.toLocaleString('en-US');
}

function signedUsd(cents: bigint): string {
  return cents > 0n ? `+${formatUsd(cents)}` : formatUsd(cents);
}

function stageSentence(s: ChartStage): string {
  let text = `${s.label}: ${leads(s.count)}, ${formatUsd(s.usdCents)}`;
  if (s.incompleteCount)
    text += ` (${s.incompleteCount} incomplete: ${describeUnconverted(s.unknownCurrencies) || 'unknown currency not converted'})`;
  if (s.previousCount !== null && s.previousUsdCents !== null) {
    const countChange = s.count - s.previousCount;
    const usdChange = s.usdCents - s.previousUsdCents;
    text +=
      countChange === 0 && usdChange === 0n
        ? '; unchanged'
        : `; previously ${leads(s.previousCount)}, ${formatUsd(s.previousUsdCents)} (${signed(countChange)}, ${signedUsd(usdChange)})`;
  }
  return `${text}.`;
}

/** "Accounts at risk: 3 ($1,234.00 of usual orders); stage suggestions waiting: 2." */
export function rhythmSentence(r: NonNullable<PipelineChartData['rhythm']>): string {
  return `Accounts at risk: ${r.atRisk.toLocaleString('en-US')} (${formatUsd(r.valueAtRiskCents)} of usual orders); stage suggestions waiting: ${r.suggestionsWaiting.toLocaleString('en-US')}.`;
}

/**
 * The picture in words, with the digest's own figures: for screen readers, and for anyone
 * whose Slack does not show the image. Cut to Slack's limit by naming fewer routes.
 */
export function pipelineChartAltText(data: PipelineChartData): string {
  const head = `Bar charts of the CRM pipeline by stage for ${data.period}${
    data.previousAt ? `, beside the previous digest of ${data.previousAt}` : ' (no previous digest to compare with)'
  }.`;
  const stages = `${data.stages.map(stageSentence).join(' ')}${data.rhythm ? ` ${rhythmSentence(data.rhythm)}` : ''}`;
  const { total, routes } = data.movements;
  if (total === 0) return cut(`${head} ${stages} No stage changes in the period.`);
  const intro = `Stage changes in the period: ${total.toLocaleString('en-US')}`;
  const base = `${head} ${stages} ${intro}`;
  const parts: string[] = [];
  for (let i = 0; i < routes.length; i += 1) {
    const r = routes[i]!;
    const next = [...parts, `${r.from} to ${r.to}: ${r.count.toLocaleString('en-US')}`];
    const rest = routes.length - next.length;
    const candidate = `${base} (${next.join('; ')}${rest ? `; ${rest} more routes` : ''}).`;
    if (candidate.length > MAX_ALT_TEXT) break;
    parts.push(next[next.length - 1]!);
  }
  const rest = routes.length - parts.length;
  const list = parts.length ? ` (${parts.join('; ')}${rest ? `; ${rest} more routes` : ''})` : '';
  return cut(`${base}${list}.`);
}

function cut(text: string): string {
  return text.length <= MAX_ALT_TEXT ? text : `${text.slice(0, MAX_ALT_TEXT - 1)}…`;
}
