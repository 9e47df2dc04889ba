import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../deps';
import { changeOwner, getLeadCard, getLeadSummary, homesToRepublish, LeadNotFoundError, LeadValidationError, type LeadChange } from '../domain/leads';
import { loadStageLabels } from '../domain/stages';
import { openFollowUpModal } from './follow-up-entry';
import { publishHome } from './home/publish-home';
import { buildLeadCard } from './views/lead-card';
import { buildContactModal, buildNoteModal, buildNoticeModal, buildOwnerModal, buildStageChangeModal } from './views/lead-modals';
import { canEdit, refusalFor, type Viewer } from './viewer';
import type { EphemeralMessage } from './commands/types';
import { escapeMrkdwn } from './views/mrkdwn';
import { showOrderHistory } from './order-history-reply';
import { postToResponseUrl as postToSlackHook } from './slack-http';

/**
 * What the lead card's buttons, the Home tab's overflow menu and some commands do with a
 * lead. Listeners ack, resolve the viewer and call `runLeadVerb`; this file authorises
 * per verb and talks to the domain and Slack.
 */

export const LEAD_VERBS = ['stage', 'note', 'contact', 'owner', 'assign', 'orders', 'follow_up'] as const;
export type LeadVerb = (typeof LEAD_VERBS)[number];

export function isLeadVerb(v: string): v is LeadVerb {
  return (LEAD_VERBS as readonly string[]).includes(v);
}

const VERB_ACCESS: Record<LeadVerb, 'read' | 'edit'> = {
  stage: 'edit',
  note: 'edit',
  contact: 'edit',
  owner: 'edit',
  assign: 'edit',
  orders: 'read',
  // The follow-up modal's owner (issue 6) decides who may set alerts; reading leads is the floor.
  follow_up: 'read',
};

/** Where an interaction came from: a message has a response_url; a view (Home, modal) only a trigger. */
export interface InteractionOrigin {
  userId: string;
  triggerId?: string;
  responseUrl?: string;
}

/** Where a block action came from; only an action on a message has a response_url to answer in (Home and modals do not). */
export function actionOrigin(body: { user: { id: string }; trigger_id?: string; container?: { type?: string }; response_url?: string }): InteractionOrigin {
  return { userId: body.user.id, triggerId: body.trigger_id, responseUrl: body.container?.type === 'message' ? body.response_url : undefined };
}

/** Posts to a response_url (ephemeral to the clicker). Valid 30 minutes, 5 uses; Slack's hooks host only. */
export async function postToResponseUrl(
  deps: AppDeps,
  url: string,
  message: EphemeralMessage & { replace_original?: boolean },
): Promise<void> {
  await postToSlackHook(deps, url, { response_type: 'ephemeral', replace_original: false, ...message });
}

/**
 * Tells the user something: in the conversation when there is a response_url, else in a
 * small modal (the Home tab has nowhere else to say it), else by DM.
 */
export async function tellUser(deps: AppDeps, client: WebClient, origin: InteractionOrigin, text: string, title = 'CRM'): Promise<void> {
  try {
    if (origin.responseUrl) return await postToResponseUrl(deps, origin.responseUrl, { text });
    if (origin.triggerId) return void (await client.views.open({ trigger_id: origin.triggerId, view: buildNoticeModal(title, text) }));
    await client.chat.postMessage({ channel: origin.userId, text });
  } catch (err) {
    deps.logger.warn({ err, userId: origin.userId }, 'could not tell the user');
  }
}

/** Republishes the Home tab of everyone a change concerns; failures are logged, never thrown. */
export async function republishHomes(deps: AppDeps, client: WebClient, userIds: string[]): Promise<void> {
  await Promise.all(
    userIds.map((id) =>
      publishHome(deps, client, id).catch((err) => deps.logger.warn({ err, userId: id }, 'republishing the Home tab failed')),
    ),
  );
}

/** Replaces the lead card a modal was opened from with its current state. */
export async function refreshLeadCard(deps: AppDeps, viewer: Viewer, leadId: number, responseUrl: string | undefined): Promise<void> {
  if (!responseUrl) return;
  try {
    const [card, labels] = await Promise.all([getLeadCard(deps.db.prisma, leadId), loadStageLabels(deps.db.prisma)]);
    await postToResponseUrl(deps, responseUrl, { ...buildLeadCard(card, { labels, viewerId: viewer.userId, canEdit: canEdit(viewer) }), replace_original: true });
  } catch (err) {
    deps.logger.warn({ err, leadId }, 'could not refresh the lead card');
  }
}

/** Everything to do after a change: the Homes of actor and owners, and the card it came from. */
export async function afterLeadChange(deps: AppDeps, client: WebClient, viewer: Viewer, change: LeadChange, responseUrl?: string): Promise<void> {
  await Promise.all([republishHomes(deps, client, homesToRepublish(viewer.userId, change)), refreshLeadCard(deps, viewer, change.leadId, responseUrl)]);
}

/** Runs one verb on one lead for a viewer, answering the user whatever happens. */
export async function runLeadVerb(deps: AppDeps, client: WebClient, viewer: Viewer, origin: InteractionOrigin, verb: LeadVerb, leadId: number): Promise<void> {
  const refusal = refusalFor(viewer, VERB_ACCESS[verb]);
  if (refusal) {
    deps.logger.info({ userId: viewer.userId, verb, leadId }, 'lead action refused');
    return tellUser(deps, client, origin, refusal, 'Not allowed');
  }
  const { prisma } = deps.db;
  try {
    switch (verb) {
      case 'stage':
      case 'note':
      case 'contact':
      case 'owner': {
        if (!origin.triggerId) throw new Error('no trigger_id to open a modal with');
        const lead = await getLeadSummary(prisma, leadId);
        const responseUrl = origin.responseUrl;
        const view =
          verb === 'stage'
            ? buildStageChangeModal(lead, { labels: await loadStageLabels(prisma), responseUrl })
            : verb === 'note'
              ? buildNoteModal(lead, { responseUrl })
              : verb === 'contact'
                ? buildContactModal(lead, { responseUrl })
                : buildOwnerModal(lead, { responseUrl });
        await client.views.open({ trigger_id: origin.triggerId, view });
        return;
      }
      case 'assign': {
        const change = await changeOwner(prisma, deps.clock, { leadId, actorId: viewer.userId, ownerId: viewer.userId, onlyIfUnownedOrMine: true });
        // A card (response_url) is refreshed and shows the new owner; elsewhere (Home) say it.
        const confirm = async () => {
          if (origin.responseUrl) return;
          const lead = await getLeadSummary(prisma, leadId);
          await tellUser(deps, client, origin, `You now own ${escapeMrkdwn(lead.name)}.`, 'Assigned');
        };
        await Promise.all([afterLeadChange(deps, client, viewer, change, origin.responseUrl), confirm()]);
        return;
      }
      case 'orders':
        return await showOrderHistory(deps, client, origin, leadId);
      case 'follow_up': {
        if (!origin.triggerId) throw new Error('no trigger_id to open a modal with');
        const result = await openFollowUpModal(deps, client, { triggerId: origin.triggerId, viewer, leadId });
        if (!result.ok) await tellUser(deps, client, origin, result.message, 'Follow-up');
        return;
      }
    }
  } catch (err) {
    if (err instanceof LeadNotFoundError || err instanceof LeadValidationError) {
      return tellUser(deps, client, origin, err.userMessage);
    }
    deps.logger.error({ err, verb, leadId }, 'lead action failed');
    await tellUser(deps, client, origin, 'Sorry, that did not work. It has been logged.');
  }
}
