import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../../app-context';
import { getLeadSummary } from '../../../domain/leads';
import { PENDING_NOTE_TTL_MS, type PendingNoteOutcome, savePendingNote } from '../../../domain/pending-notes';
import { refusalFor, resolveViewer } from '../../viewer';
import type { EphemeralMessage } from '../../views/message';
import {
  buildNoteAlreadySaved,
  buildNoteExpired,
  buildNoteNotSaved,
  buildNoteSavedOn,
  parsePickLeadValue,
} from '../../views/note-replies';
import { userErrorText } from '../../views/user-error';
import { actionOrigin, type InteractionOrigin, postToResponseUrl } from '../../web-api/reply';
import { afterLeadChange } from '../lead-flow';
import type { ButtonListener } from '../listener-types';

/**
 * "Save note here" under a `/crm note` whose customer matched several leads: saves the kept
 * note on that lead, once, for its author, before it expires; otherwise says why and gives
 * the note back when it was not saved.
 */
export function notePickLead(deps: AppContext): ButtonListener {
  return async ({ ack, body, action, client }) => {
    await ack();
    const picked = parsePickLeadValue(action.value);
    if (!picked) return void deps.logger.warn({ actionId: action.action_id }, 'note button without a kept note');
    const origin = actionOrigin(body);
    const answer = (message: EphemeralMessage, replace = false) => tell(deps, client, origin, message, replace);
    const viewer = await resolveViewer(deps, client, body.user.id);
    const refusal = refusalFor(viewer, 'edit');
    if (refusal) return answer({ text: refusal });
    const { prisma } = deps.db;
    let outcome: PendingNoteOutcome;
    try {
      outcome = await savePendingNote(prisma, deps.clock, {
        id: picked.pendingId,
        actorId: viewer.userId,
        leadId: picked.leadId,
      });
    } catch (err) {
      deps.logger.error({ err, leadId: picked.leadId }, 'saving a kept note failed');
      return answer({
        text: 'Sorry, saving the note failed. It has been logged; the note is still kept, so try the button again.',
      });
    }
    const leadOf = (leadId: number | null) =>
      leadId === null ? Promise.resolve(null) : getLeadSummary(prisma, leadId).catch(() => null);
    switch (outcome.kind) {
      case 'saved':
        await answer(buildNoteSavedOn(await leadOf(outcome.change.leadId)), true);
        return afterLeadChange(deps, client, viewer, outcome.change);
      case 'already_saved':
        return answer(buildNoteAlreadySaved(await leadOf(outcome.leadId)), true);
      case 'expired':
        return answer(buildNoteExpired(outcome.text, PENDING_NOTE_TTL_MS / 60_000), true);
      case 'refused':
        // The note is still kept: the other buttons work, so the choice stays on screen.
        return answer(
          buildNoteNotSaved(
            `${userErrorText(outcome.error)} Pick another lead above, or send the note again.`,
            outcome.text,
          ),
        );
      case 'not_author':
        deps.logger.warn({ userId: viewer.userId }, 'note button clicked by someone other than its author');
        return answer({ text: 'This note was written by someone else: only they can save it.' });
      case 'unknown':
        return answer({
          text: 'That note is no longer kept (the buttons work for a limited time). Nothing was saved.',
        });
    }
  };
}

/** Answers in the message the button was on (replacing it when asked), else by DM. Never throws. */
async function tell(
  deps: AppContext,
  client: WebClient,
  origin: InteractionOrigin,
  message: EphemeralMessage,
  replace: boolean,
): Promise<void> {
  try {
    if (origin.responseUrl)
      return await postToResponseUrl(deps, origin.responseUrl, { ...message, replace_original: replace });
    await client.chat.postMessage({ channel: origin.userId, ...message });
  } catch (err) {
    deps.logger.warn({ err, userId: origin.userId }, 'could not answer the note button');
  }
}
