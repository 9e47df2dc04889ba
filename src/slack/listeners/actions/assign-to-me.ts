import type { AppContext } from '../../../app-context';
import { changeOwner, getLeadSummary } from '../../../domain/leads';
import { escapeMrkdwn } from '../../views/mrkdwn';
import { tellUser } from '../../web-api/reply';
import { afterLeadChange, type LeadVerb, leadButton } from '../lead-flow';
import type { ButtonListener } from '../listener-types';

/** "Assign to me": the viewer takes an unowned lead (or one they own already). */
export const assignVerb: LeadVerb = {
  name: 'assign',
  access: 'edit',
  async run({ deps, client, viewer, origin, leadId }) {
    const { prisma } = deps.db;
    const change = await changeOwner(prisma, deps.clock, {
      leadId,
      actorId: viewer.userId,
      ownerId: viewer.userId,
      onlyIfUnownedOrMine: true,
    });
    // A card (response_url) is refreshed and shows the new owner; elsewhere (Home) say it.
    const confirm = async () => {
      if (origin.responseUrl) return;
      const lead = await getLeadSummary(prisma, leadId);
      await tellUser(deps, client, origin, `You now own ${escapeMrkdwn(lead.name)}.`, 'Assigned');
    };
    await Promise.all([afterLeadChange(deps, client, viewer, change, origin.responseUrl), confirm()]);
  },
};

export function assignToMe(deps: AppContext): ButtonListener {
  return leadButton(deps, assignVerb);
}
