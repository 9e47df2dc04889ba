import { type StageLabels, stageLabel } from '../../common/stages';
import type { ActivityEntry } from '../../domain/leads';
import { mention, slackDate } from './lead-format';
import { escapeMrkdwn, truncate } from './mrkdwn';

/**
 * What a form says when the lead changed while it was open: who changed what, and when (in
 * the reader's time zone), then that the typed values are kept. Pure.
 */

/** One change as "<who> moved this lead from Lead to Negotiation at 10:42". */
export function describeChange(entry: ActivityEntry, labels?: StageLabels): string {
  const who = entry.actorId ? mention(entry.actorId) : 'The CRM';
  const stage = (slug: string | null) => `*${escapeMrkdwn(stageLabel(slug ?? '?', labels))}*`;
  let what: string;
  switch (entry.kind) {
    case 'stage_change':
      what = `moved this lead ${entry.fromValue ? `from ${stage(entry.fromValue)} ` : ''}to ${stage(entry.toValue)}`;
      break;
    case 'owner_change':
      what = entry.toValue ? `gave this lead to ${mention(entry.toValue)}` : 'removed the owner of this lead';
      break;
    case 'contact_change':
      what = `set the contact to ${entry.toValue ? escapeMrkdwn(truncate(entry.toValue, 300)) : '(none)'}`;
      break;
    case 'note':
      what = 'added a note to this lead';
      break;
    case 'touch':
      what = `logged a ${escapeMrkdwn(entry.toValue ?? 'contact')}`;
      break;
    default:
      what = 'changed this lead';
  }
  return `${who} ${what} at ${slackDate(entry.createdAt, '{time} on {date_short}')}`;
}

/** The notice at the top of a form refilled after someone else's change (`changes` newest first). */
export function staleLeadNotice(changes: ActivityEntry[], labels?: StageLabels): string {
  const [latest] = changes;
  const what = latest ? describeChange(latest, labels) : 'Someone changed this lead';
  const earlier =
    changes.length > 1 ? ` (after ${changes.length - 1} other change${changes.length === 2 ? '' : 's'})` : '';
  return `:warning: ${what}${earlier} while you had this form open. Your values are kept: submit again to apply them on top.`;
}
