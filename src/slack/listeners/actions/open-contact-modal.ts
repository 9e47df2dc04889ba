import type { AppContext } from '../../../app-context';
import { getLeadSummary } from '../../../domain/leads';
import { buildContactModal } from '../../views/lead-modals';
import { openModal } from '../../web-api/reply';
import type { ButtonListener } from '../listener-types';
import { type LeadVerb, leadButton } from './lead-verb';

/** Opens the contact modal of a lead. */
export const contactVerb: LeadVerb = {
  name: 'contact',
  access: 'edit',
  async run({ deps, client, origin, leadId }) {
    const lead = await getLeadSummary(deps.db.prisma, leadId);
    await openModal(client, origin, buildContactModal(lead, { responseUrl: origin.responseUrl }));
  },
};

export function openContactModal(deps: AppContext): ButtonListener {
  return leadButton(deps, contactVerb);
}
