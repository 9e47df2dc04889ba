import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { addNote } from '../../../domain/leads';
import { ACTION_IDS, CALLBACK_IDS } from '../../action-ids';
import { afterLeadChange } from '../../lead-interactions';
import { LEAD_BLOCKS } from '../../views/lead-modals';
import { beginLeadSubmission, errorsForFailure, inputValue } from './lead-submission';

/**
 * A note only appends, so a note written in a modal opened before someone else's change is
 * still saved (the version is not checked): refusing it would only lose the user's text.
 */
export function registerLeadNoteSubmission(app: App, deps: AppDeps): void {
  app.view(CALLBACK_IDS.leadNote, async ({ ack, body, view, client }) => {
    const begun = await beginLeadSubmission(deps, client, body.user.id, view, LEAD_BLOCKS.note);
    if ('errors' in begun) return void (await ack(begun.errors));
    const { viewer, meta } = begun;
    let change;
    try {
      change = await addNote(deps.db.prisma, deps.clock, { leadId: meta.leadId, actorId: viewer.userId, text: inputValue(view, LEAD_BLOCKS.note, ACTION_IDS.noteText) });
    } catch (err) {
      return void (await ack(errorsForFailure(deps, err, LEAD_BLOCKS.note)));
    }
    await ack();
    await afterLeadChange(deps, client, viewer, change, meta.responseUrl);
  });
}
