import type { KnownBlock } from '@slack/types';
import { describeUnconverted } from '../../common/money';
import { formatInstantIn } from '../../common/zoned-time';
import type { FollowUpMessageData } from '../../domain/follow-ups/message-data';
import { ACTION_IDS } from './action-ids';
import { cutMrkdwn, escapeAndCut, escapeMrkdwn } from './mrkdwn';

export type FollowUpMessageState =
  | { kind: 'due' }
  | { kind: 'done'; by: string; at: Date }
  | { kind: 'snoozed'; by: string; until: Date };

/** Slack renders this in each reader's own time zone; the fallback is in the follow-up's zone. */
export function slackDate(instant: Date, timeZone: string): string {
  const epoch = Math.floor(instant.getTime() / 1000);
  return `<!date^${epoch}^{date_short_pretty} at {time}|${formatInstantIn(instant, timeZone)} (${timeZone})>`;
}

/** The follow-up DM: lead, stage, lifetime USD, the message, and Done / Snooze / Open lead. */
export function buildFollowUpMessage(
  d: FollowUpMessageData,
  state: FollowUpMessageState = { kind: 'due' },
): { text: string; blocks: KnownBlock[] } {
  const name = escapeAndCut(d.leadName, 150);
  const company = d.company && d.company !== d.leadName ? ` (${escapeAndCut(d.company, 100)})` : '';
  const lifetime = d.unconvertedCurrencies.length
    ? `${d.lifetimeUsd} (incomplete: ${escapeMrkdwn(describeUnconverted(d.unconvertedCurrencies))})`
    : d.lifetimeUsd;
  const due = d.overdueSince
    ? `:warning: *Overdue since ${slackDate(d.overdueSince, d.timeZone)}*${d.missedCount > 0 ? ` (${d.missedCount} more reminder${d.missedCount === 1 ? '' : 's'} missed while it could not be sent)` : ''}`
    : `Due ${slackDate(d.occurrenceAt, d.timeZone)}`;
  const heading = `:bell: *Follow-up: ${name}*${company}\n>`;
  // Slack's 3,000 characters count the escaped, quoted message: escape, quote, then cut.
  const quoted = cutMrkdwn(escapeMrkdwn(d.message).replace(/\n/g, '\n>'), 3000 - heading.length);
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `${heading}${quoted}` },
    },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Stage*\n${escapeMrkdwn(d.stageLabel)}` },
        { type: 'mrkdwn', text: `*Lifetime value*\n${lifetime}` },
      ],
    },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `${due} · ${escapeMrkdwn(d.scheduleText)} (${escapeMrkdwn(d.timeZone)})` }],
    },
  ];
  const openLead = {
    type: 'button' as const,
    action_id: ACTION_IDS.followUpOpenLead,
    text: { type: 'plain_text' as const, text: 'Open lead' },
    value: String(d.leadId),
  };
  if (state.kind === 'due') {
    const value = String(d.deliveryId);
    blocks.push({
      type: 'actions',
      block_id: `alert:${d.deliveryId}`,
      elements: [
        {
          type: 'button',
          action_id: ACTION_IDS.followUpDone,
          style: 'primary',
          text: { type: 'plain_text', text: 'Done' },
          value,
        },
        {
          type: 'button',
          action_id: ACTION_IDS.followUpSnoozeDay,
          text: { type: 'plain_text', text: 'Snooze 1 day' },
          value,
        },
        {
          type: 'button',
          action_id: ACTION_IDS.followUpSnoozeWeek,
          text: { type: 'plain_text', text: 'Snooze 1 week' },
          value,
        },
        openLead,
      ],
    });
  } else {
    const outcome =
      state.kind === 'done'
        ? `:white_check_mark: Done, marked by <@${state.by}> ${slackDate(state.at, d.timeZone)}`
        : `:zzz: Snoozed by <@${state.by}> until ${slackDate(state.until, d.timeZone)}`;
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: outcome }] });
    blocks.push({ type: 'actions', block_id: `alert:${d.deliveryId}`, elements: [openLead] });
  }
  const prefix =
    state.kind === 'done'
      ? 'Done: '
      : state.kind === 'snoozed'
        ? 'Snoozed: '
        : d.overdueSince
          ? 'Overdue follow-up: '
          : 'Follow-up: ';
  return { text: `${prefix}${name}: ${escapeAndCut(d.message, 300)}`, blocks };
}
