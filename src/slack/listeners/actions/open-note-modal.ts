import type { AppContext } from '../../../app-context';
import { getLeadSummary } from '../../../domain/leads';
import { buildNoteModal } from '../../views/lead-modals';
import { openModal } from '../../web-api/reply';
import type { ButtonListener } from '../listener-types';
import { type LeadVerb, leadButton } from './lead-verb';

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
