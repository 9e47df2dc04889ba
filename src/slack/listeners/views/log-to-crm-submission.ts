import type { AppContext } from '../../../app-context';
import { addNote, type LeadChange } from '../../../domain/leads';
import { refusalFor, resolveViewer } from '../../viewer';
import { ACTION_IDS } from '../../views/action-ids';
import { decodeLogToCrmMetadata, LOG_TO_CRM_BLOCKS } from '../../views/log-to-crm-modal';
import { answerInTime, fieldErrors, inputValue, type SubmissionAnswer, selectedValue } from '../../web-api/reply';
import { afterLeadChange, errorsForFailure } from '../lead-flow';
import type { ViewListener } from '../listener-types';

/** How long the note waits for its link to the message: the note matters more than the link. */
export const PERMALINK_WAIT_MS = 1_000;

/**
 * "Log to CRM" submitted: the note is stored on the chosen lead with a permalink to the
 * message. The note is stored as typed in the modal (Slack sends input values as typed,
 * not entity-encoded); the prefill already had the message's markup decoded.
 */
export function logToCrm(deps: AppContext): ViewListener {
  return async ({ ack, body, view, client }) => {
    const work = async (): Promise<SubmissionAnswer> => {
      const leadId = Number(selectedValue(view, LOG_TO_CRM_BLOCKS.lead, ACTION_IDS.leadSelect));
      if (!Number.isInteger(leadId) || leadId <= 0)
        return { ack: fieldErrors({ [LOG_TO_CRM_BLOCKS.lead]: 'Pick the lead this message is about.' }) };
      const text = inputValue(view, LOG_TO_CRM_BLOCKS.note, ACTION_IDS.noteText);
      if (!text.trim()) return { ack: fieldErrors({ [LOG_TO_CRM_BLOCKS.note]: 'The note is empty.' }) };
      const viewer = await resolveViewer(deps, client, body.user.id);
      const refusal = refusalFor(viewer, 'edit');
      if (refusal) {
        deps.logger.warn({ userId: body.user.id }, 'Log to CRM submission refused');
        return { ack: fieldErrors({ [LOG_TO_CRM_BLOCKS.lead]: refusal }) };
      }
      const source = decodeLogToCrmMetadata(view.private_metadata);
      const permalink = source ? await permalinkWithin(deps, client, source, PERMALINK_WAIT_MS) : null;
      let change: LeadChange;
      try {
        change = await addNote(deps.db.prisma, deps.clock, { leadId, actorId: viewer.userId, text, permalink });
      } catch (err) {
        return { ack: errorsForFailure(deps, err, LOG_TO_CRM_BLOCKS.lead) };
      }
      return { ack: undefined, done: 'Saved on the lead.', after: () => afterLeadChange(deps, client, viewer, change) };
    };
    await answerInTime({ ack, client, logger: deps.logger, viewId: view.id, title: 'Log to CRM', work: work() });
  };
}

/** The message's permalink, or null when Slack fails or takes longer than `waitMs` (logged). */
async function permalinkWithin(
  deps: AppContext,
  client: Parameters<ViewListener>[0]['client'],
  source: { channelId: string; messageTs: string },
  waitMs: number,
): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), waitMs);
  });
  const asked = client.chat.getPermalink({ channel: source.channelId, message_ts: source.messageTs }).then(
    (res) => res.permalink ?? null,
    (err: unknown) => {
      deps.logger.warn({ err, channel: source.channelId }, 'chat.getPermalink failed; saving the note without a link');
      return null;
    },
  );
  const first = await Promise.race([asked, late]).finally(() => clearTimeout(timer));
  if (first === 'late') {
    deps.logger.warn(
      { channel: source.channelId, waitMs },
      'chat.getPermalink too slow; saving the note without a link',
    );
    return null;
  }
  return first;
}
