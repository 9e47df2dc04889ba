import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../app-context';
import { getLeadCard, homesToRepublish, type LeadChange } from '../../domain/leads';
import { loadStageLabels } from '../../domain/settings';
import { canEdit, type Viewer } from '../viewer';
import { buildLeadCard } from '../views/lead-card';
import { postToResponseUrl } from '../web-api/reply';

/** Replaces the lead card a modal was opened from with its current state. */
export async function refreshLeadCard(
  deps: AppContext,
  viewer: Viewer,
  leadId: number,
  responseUrl: string | undefined,
): Promise<void> {
  if (!responseUrl) return;
  try {
    const [card, labels] = await Promise.all([getLeadCard(deps.db.prisma, leadId), loadStageLabels(deps.db.prisma)]);
    await postToResponseUrl(deps, responseUrl, {
      ...buildLeadCard(card, { labels, viewerId: viewer.userId, canEdit: canEdit(viewer) }),
      replace_original: true,
    });
  } catch (err) {
    deps.logger.warn({ err, leadId }, 'could not refresh the lead card');
  }
}

/** Everything to do after a change to a lead: the Homes of actor and owners, and the card it came from. */
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
  ]);
}
