import type { AppContext } from '../../../app-context';
import { addNote } from '../../../domain/leads';
import { ACTION_IDS, CALLBACK_IDS } from '../../views/action-ids';
import { LEAD_BLOCKS } from '../../views/lead-modals';
import type { ViewListener } from '../listener-types';
import { inputValue, leadSubmission } from './lead-submission';

/**
 * The note modal submitted. A note only appends, so a note written in a modal opened before
 * someone else's change is still saved (the version is not checked): refusing it would only
 * lose the user's text.
 */
export function leadNote(deps: AppContext): ViewListener {
  return leadSubmission(
    deps,
    { callbackId: CALLBACK_IDS.leadNote, primaryBlock: LEAD_BLOCKS.note },
    ({ view, viewer, meta }) =>
      addNote(deps.db.prisma, deps.clock, {
        leadId: meta.leadId,
        actorId: viewer.userId,
        text: inputValue(view, LEAD_BLOCKS.note, ACTION_IDS.noteText),
      }),
  );
}
