import type { KnownBlock } from '@slack/types';
import { formatUsd } from '../../common/money';
import { type StageLabels, stageLabel } from '../../common/stages';
import type { LeadMatch } from '../../domain/lead-search';
import type { OwnedStage } from '../../domain/my-leads';
import type { UncontactedResult } from '../../domain/uncontacted-leads';
import { customerTitle, ownerText, slackDate, usdText } from './lead-format';
import type { EphemeralMessage } from './message';
import { cutMrkdwn, escapeAndCut, escapeMrkdwn } from './mrkdwn';

/** Lists of leads answered to /crm commands. Pure. */

export function leadLine(m: LeadMatch, labels?: StageLabels): string {
  return `• ${customerTitle(m.name, m.company)} · \`${escapeMrkdwn(m.customerId)}\` · ${escapeMrkdwn(stageLabel(m.stage, labels))} · ${ownerText(m.ownerId)} · ${formatUsd(m.lifetimeUsdCents)}`;
}

function moreLine(shown: number, total: number): string | null {
  return total > shown ? `_…and ${total - shown} more._` : null;
}

function sectionsOf(lines: string[]): KnownBlock[] {
  // Each section holds at most 3000 characters: split long lists over several.
  const blocks: KnownBlock[] = [];
  let current = '';
  for (const line of lines) {
    if (current && current.length + line.length + 1 > 2900) {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
      current = '';
    }
    current = current ? `${current}\n${line}` : cutMrkdwn(line, 2900);
  }
  if (current) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
  return blocks;
}

/** `/crm find` results: at most `matches.length` lines and "and N more". */
export function buildFindResults(
  query: string,
  matches: LeadMatch[],
  total: number,
  labels?: StageLabels,
): EphemeralMessage {
  const q = escapeAndCut(query, 100);
  if (matches.length === 0) {
    return { text: `No lead matches “${q}”. Search by name, company, e-mail or customer id.` };
  }
  const header = `*${total} lead${total === 1 ? '' : 's'} match “${q}”*`;
  const lines = [header, ...matches.map((m) => leadLine(m, labels)), moreLine(matches.length, total)].filter(
    (l): l is string => l !== null,
  );
  lines.push('_Open one with_ `/crm lead <customer id>`');
  return { text: `${total} lead(s) match “${q}”`, blocks: sectionsOf(lines) };
}

/** When a name matches several leads: the candidates and how to be precise. */
export function buildCandidatesMessage(
  query: string,
  candidates: LeadMatch[],
  total: number,
  usage: string,
  labels?: StageLabels,
): EphemeralMessage {
  const q = escapeAndCut(query, 100);
  const lines = [
    `“${q}” matches ${total} leads. Use the customer id of the one you mean:`,
    ...candidates.map((m) => leadLine(m, labels)),
    moreLine(candidates.length, total),
    `Usage: \`${escapeMrkdwn(usage)}\``,
  ].filter((l): l is string => l !== null);
  return { text: `“${q}” matches ${total} leads`, blocks: sectionsOf(lines) };
}

/** `/crm uncontacted`: ordered in the window, never touched, biggest first. */
export function buildUncontactedList(result: UncontactedResult, labels?: StageLabels): EphemeralMessage {
  if (result.total === 0) {
    return { text: `Every customer who ordered in the last ${result.days} days has been contacted. :tada:` };
  }
  const header = `*${result.total} customer${result.total === 1 ? '' : 's'} ordered in the last ${result.days} days and ${result.total === 1 ? 'has' : 'have'} not been contacted* (${formatUsd(result.totalUsdCents)} lifetime)`;
  const lines = result.leads.map(
    (l) =>
      `• ${customerTitle(l.name, l.company)} · \`${escapeMrkdwn(l.customerId)}\` · ${usdText(l.lifetimeUsdCents, l.unknownCurrencies)} · last order ${slackDate(l.lastOrderAt)} · ${escapeMrkdwn(stageLabel(l.stage, labels))} · ${ownerText(l.ownerId)}`,
  );
  const all = [header, ...lines, moreLine(result.leads.length, result.total)].filter((l): l is string => l !== null);
  return {
    text: `${result.total} customers ordered in the last ${result.days} days and have not been contacted`,
    blocks: sectionsOf(all),
  };
}

/** `/crm mine`: the caller's leads by stage. */
export function buildMyLeads(stages: OwnedStage[], labels?: StageLabels): EphemeralMessage {
  const total = stages.reduce((n, s) => n + s.count, 0);
  if (total === 0)
    return {
      text: 'You own no leads yet. Use “Assign to me” on a lead card, or `/crm uncontacted` to find customers to call.',
    };
  const lines: string[] = [`*Your ${total} lead${total === 1 ? '' : 's'}*`];
  for (const s of stages) {
    lines.push(`*${escapeMrkdwn(stageLabel(s.stage, labels))}* (${s.count})`);
    for (const l of s.leads) {
      lines.push(
        `• ${customerTitle(l.name, l.company)} · \`${escapeMrkdwn(l.customerId)}\` · ${formatUsd(l.lifetimeUsdCents)}${l.lastTouchAt ? '' : ' · _not contacted yet_'}`,
      );
    }
    const more = moreLine(s.leads.length, s.count);
    if (more) lines.push(more);
  }
  return { text: `You own ${total} lead(s)`, blocks: sectionsOf(lines) };
}
