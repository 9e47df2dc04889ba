import type { AppContext } from '../../../app-context';
import { buildLeadCardModal } from '../../views/lead-card';
import { openModal, postToResponseUrl } from '../../web-api/reply';
import { type LeadVerb, leadButton, leadCardFor } from '../lead-flow';
import type { ButtonListener } from '../listener-types';

/**
 * "Open lead" on a line of today's list: the lead card (with its stage suggestion) under the
 * message clicked (the agenda DM, `/crm today`), or in a modal from the Home tab.
 */
export const openLeadVerb: LeadVerb = {
  name: 'open',
  access: 'read',
  async run({ deps, client, viewer, origin, leadId }) {
    const card = await leadCardFor(deps, viewer, leadId);
    if (origin.responseUrl) return postToResponseUrl(deps, origin.responseUrl, card);
    await openModal(client, origin, buildLeadCardModal(card));
  },
};

export function todayOpenLead(deps: AppContext): ButtonListener {
  return leadButton(deps, openLeadVerb);
}
