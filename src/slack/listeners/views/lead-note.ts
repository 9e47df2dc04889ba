import type { AppContext } from '../../../app-context';
import { addNote } from '../../../domain/leads';
import { ACTION_IDS, CALLBACK_IDS } from '../../views/action-ids';
import { buildNoteModal, LEAD_BLOCKS } from '../../views/lead-modals';
import { inputValue } from '../../web-api/reply';
import { type LeadVerb, leadButton, leadModalVerb, leadSubmission } from '../lead-flow';
import type { ButtonListener, ViewListener } from '../listener-types';

/** The note modal: the `note` verb that opens it, and its submission. */

/** Opens the note modal of a lead. */
export const noteVerb: LeadVerb = leadModalVerb('note', buildNoteModal);

export function openNoteModal(deps: AppContext): ButtonListener {
  return leadButton(deps, noteVerb);
}

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
