import { getLeadSummary } from '../../../domain/leads';
import type { AppContext } from '../../../app-context';
import { buildNoteModal } from '../../views/lead-modals';
import type { ButtonListener } from '../types';
import { leadButton, triggerOf, type LeadVerb } from './lead-verb';

/** Opens the note modal of a lead. */
export const noteVerb: LeadVerb = {
  name: 'note',
  access: 'edit',
  async run({ deps, client, origin, leadId }) {
    const lead = await getLeadSummary(deps.db.prisma, leadId);
    await client.views.open({ trigger_id: triggerOf(origin), view: buildNoteModal(lead, { responseUrl: origin.responseUrl }) });
  },
};

export function openNoteModal(deps: AppContext): ButtonListener {
  return leadButton(deps, noteVerb);
}
