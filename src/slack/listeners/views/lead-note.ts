import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { addNote } from '../../../domain/leads';
import { ACTION_IDS, CALLBACK_IDS } from '../../action-ids';
import { LEAD_BLOCKS } from '../../views/lead-modals';
import { inputValue, registerLeadSubmission } from './lead-submission';

/**
 * A note only appends, so a note written in a modal opened before someone else's change is
 * still saved (the version is not checked): refusing it would only lose the user's text.
 */
export function registerLeadNoteSubmission(app: App, deps: AppDeps): void {
  registerLeadSubmission(app, deps, { callbackId: CALLBACK_IDS.leadNote, primaryBlock: LEAD_BLOCKS.note }, ({ view, viewer, meta }) =>
    addNote(deps.db.prisma, deps.clock, { leadId: meta.leadId, actorId: viewer.userId, text: inputValue(view, LEAD_BLOCKS.note, ACTION_IDS.noteText) }),
  );
}
