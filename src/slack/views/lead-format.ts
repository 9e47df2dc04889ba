import { describeUnconverted, formatRateDate, formatUsd } from '../../common/money';
import { type StageLabels, stageLabel } from '../../common/stages';
import type { ActivityEntry } from '../../domain/leads';
import { cutMrkdwn, escapeAndCut, escapeMrkdwn } from './mrkdwn';
import { noteToMrkdwn } from './slack-text';

/** Small mrkdwn formatters shared by the lead card, lists and history. Pure. */

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** A user mention, or the id escaped if it is not a Slack user id (hand-edited data). */
export function mention(userId: string): string {
  return SLACK_USER_ID.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

export function ownerText(ownerId: string | null): string {
  return ownerId ? mention(ownerId) : '_unowned_';
}

/** A date Slack shows in the reader's own time zone; the fallback is the UTC date. */
export function slackDate(date: Date, format = '{date_short}'): string {
  return `<!date^${Math.floor(date.getTime() / 1000)}^${format}|${date.toISOString().slice(0, 10)}>`;
}

/** "$1,234.56", marked incomplete (currencies or an unreadable row named) when some amount is not counted. */
export function usdText(cents: bigint, unknownCurrencies: string[] = []): string {
  const base = formatUsd(cents);
  if (unknownCurrencies.length === 0) return base;
  return `${base}+ (incomplete: ${escapeMrkdwn(describeUnconverted(unknownCurrencies))})`;
}

export function rateDateText(rateDate: Date | null): string {
  return rateDate ? `at rates of ${formatRateDate(rateDate)}` : 'rate date unknown';
}

/** "*ACME Trading* (ACME LLC)", escaped, each at most 120 characters once escaped. */
export function customerTitle(name: string, company: string | null): string {
  const n = `*${escapeAndCut(name, 120)}*`;
  return company?.trim() && company.trim() !== name.trim() ? `${n} (${escapeAndCut(company, 120)})` : n;
}

/**
 * One Activity row as a line of mrkdwn, e.g. "25 Nov · @ana moved Lead → Contacted". The
 * typed text shows its mentions and links (`noteToMrkdwn`) and is cut to `maxText`
 * characters as sent to Slack.
 */
export function describeActivity(entry: ActivityEntry, labels?: StageLabels, maxText = 400): string {
  const who = entry.actorId ? mention(entry.actorId) : 'The CRM';
  const quoted = entry.text ? `: ${cutMrkdwn(noteToMrkdwn(entry.text), maxText)}` : '';
  const link =
    entry.permalink && /^https:\/\//.test(entry.permalink)
      ? ` (<${entry.permalink.replace(/[<>|]/g, '')}|message>)`
      : '';
  let what: string;
  switch (entry.kind) {
    case 'stage_change':
      what = `${who} moved it ${entry.fromValue ? `from *${escapeMrkdwn(stageLabel(entry.fromValue, labels))}* ` : ''}to *${escapeMrkdwn(stageLabel(entry.toValue ?? '?', labels))}*${quoted}`;
      break;
    case 'owner_change':
      what = entry.toValue
        ? `${who} gave it to ${mention(entry.toValue)}${entry.fromValue ? ` (was ${mention(entry.fromValue)})` : ''}`
        : `${who} removed the owner${entry.fromValue ? ` (was ${mention(entry.fromValue)})` : ''}`;
      break;
    case 'note':
      what = `${who} noted${quoted}${link}`;
      break;
    case 'contact_change':
      what = `${who} set the contact to ${entry.toValue ? escapeAndCut(entry.toValue, 300) : '(none)'}`;
      break;
    case 'touch':
      what = `${who} logged a ${escapeMrkdwn(entry.toValue ?? 'contact')}${quoted}${link}`;
      break;
    case 'follow_up':
      what = `${who} follow-up${quoted}`;
      break;
    case 'created':
      what = 'Lead created by the sync';
      break;
    case 'suggestion_dismissed':
      what = `${who} dismissed the suggestion to move it to *${escapeMrkdwn(stageLabel(entry.toValue ?? '?', labels))}*`;
      break;
    default:
      what = `${who} ${escapeMrkdwn(entry.kind)}${quoted}`;
  }
  return `${slackDate(entry.createdAt)} · ${what}`;
}
