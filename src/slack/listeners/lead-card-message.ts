import type { AppContext } from '../../app-context';
import { getLeadCard } from '../../domain/leads';
import { getSetting, loadStageLabels } from '../../domain/settings';
import { suggestionForLead } from '../../domain/suggestions';
import { canEdit, type Viewer } from '../viewer';
import { buildLeadCard } from '../views/lead-card';
import type { EphemeralMessage } from '../views/message';

/** The lead card for a viewer, with the stage suggestion the facts make (if any). */
export async function leadCardFor(deps: AppContext, viewer: Viewer, leadId: number): Promise<EphemeralMessage> {
  const { prisma } = deps.db;
  const [card, labels, factors] = await Promise.all([
    getLeadCard(prisma, leadId),
    loadStageLabels(prisma),
    getSetting(prisma, deps.config, 'rhythm_factors'),
  ]);
  const suggestion = await suggestionForLead(prisma, leadId, deps.clock.now(), viewer.timeZone, factors);
  return buildLeadCard(card, {
    labels,
    viewerId: viewer.userId,
    canEdit: canEdit(viewer),
    suggestion,
    timeZone: viewer.timeZone,
  });
}
