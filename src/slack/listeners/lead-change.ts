import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../app-context';
import { ownerTakenNotice } from '../../domain/lead-ownership';
import { getLeadCard, homesToRepublish, type LeadChange } from '../../domain/leads';
import { getSetting, loadStageLabels } from '../../domain/settings';
import { suggestionForLead } from '../../domain/suggestions';
import { canEdit, type Viewer } from '../viewer';
import { buildLeadCard } from '../views/lead-card';
import type { EphemeralMessage } from '../views/message';
import { tellPreviousOwner } from '../web-api/owner-taken-dm';
import { postToResponseUrl } from '../web-api/reply';

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

/** Replaces the lead card a modal was opened from with its current state. */
export async function refreshLeadCard(
  deps: AppContext,
  viewer: Viewer,
  leadId: number,
  responseUrl: string | undefined,
): Promise<void> {
  if (!responseUrl) return;
  try {
    await postToResponseUrl(deps, responseUrl, {
      ...(await leadCardFor(deps, viewer, leadId)),
      replace_original: true,
    });
  } catch (err) {
    deps.logger.warn({ err, leadId }, 'could not refresh the lead card');
  }
}

/** Tells a lead's previous owner, once, that someone else moved it; a failure is logged, never thrown. */
async function noticeForPreviousOwner(deps: AppContext, client: WebClient, viewer: Viewer, change: LeadChange) {
  // Only a change of owner takes a lead from its owner: any other change has no one to tell.
  if (change.previousOwnerId === change.ownerId) return;
  try {
    const notice = await ownerTakenNotice(deps.db.prisma, change, viewer.userId);
    if (notice) await tellPreviousOwner(deps, client, notice);
  } catch (err) {
    deps.logger.warn({ err, leadId: change.leadId }, 'could not tell the previous owner about the owner change');
  }
}

/**
 * Everything to do after a change to a lead: the Homes of actor and owners, the card it came
 * from, and, when someone else moved the lead away from its owner, a DM to that owner.
 */
export async function afterLeadChange(
  deps: AppContext,
  client: WebClient,
  viewer: Viewer,
  change: LeadChange,
  responseUrl?: string,
): Promise<void> {
  await Promise.all([
    deps.homePublisher.republish(client, homesToRepublish(viewer.userId, change)),
    refreshLeadCard(deps, viewer, change.leadId, responseUrl),
    noticeForPreviousOwner(deps, client, viewer, change),
  ]);
}
