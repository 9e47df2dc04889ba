import type { AppContext } from '../../../app-context';
import { getLeadSummary } from '../../../domain/leads';
import { buildOwnerModal } from '../../views/lead-modals';
import { openModal } from '../../web-api/reply';
import type { ButtonListener } from '../listener-types';
import { type LeadVerb, leadButton } from './lead-verb';

/** Opens the change-owner modal of a lead. */
export const ownerVerb: LeadVerb = {
  name: 'owner',
  access: 'edit',
  async run({ deps, client, origin, leadId }) {
    const lead = await getLeadSummary(deps.db.prisma, leadId);
    await openModal(client, origin, buildOwnerModal(lead, { responseUrl: origin.responseUrl }));
  },
};

export function openOwnerModal(deps: AppContext): ButtonListener {
  return leadButton(deps, ownerVerb);
}
