import { getLeadSummary } from '../../../domain/leads';
import type { AppContext } from '../../../app-context';
import { buildNoteModal } from '../../views/lead-modals';
import type { ButtonListener } from '../types';
import { openModal } from '../../reply';
import { leadButton, type LeadVerb } from './lead-verb';

/** Opens the note modal of a lead. */
export const noteVerb: LeadVerb = {
  name: 'note',
  access: 'edit',
  async run({ deps, client, origin, leadId }) {
    const lead = await getLeadSummary(deps.db.prisma, leadId);
    await openModal(client, origin, buildNoteModal(lead, { responseUrl: origin.responseUrl }));
  },
};

export function openNoteModal(deps: AppContext): ButtonListener {
  return leadButton(deps, noteVerb);
}
