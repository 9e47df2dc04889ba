import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../app-context';
import { homesToRepublish, type LeadChange } from '../../domain/leads';
import type { Viewer } from '../viewer';
import { postToResponseUrl } from '../web-api/reply';
import { leadCardFor } from './lead-card-message';

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
