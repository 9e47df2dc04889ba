import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger';
import type { EphemeralMessage } from './views/message';
import { buildNoticeModal } from './views/lead-modals';

/** Where an interaction came from: a message has a response_url; a view (Home, modal) only a trigger. */
export interface InteractionOrigin {
  userId: string;
  triggerId?: string;
  responseUrl?: string;
}

/** Where a block action came from; only an action on a message has a response_url to answer in (Home and modals do not). */
export function actionOrigin(body: {
  user: { id: string };
  trigger_id?: string;
  container?: { type?: string };
  response_url?: string;
}): InteractionOrigin {
  return { userId: body.user.id, triggerId: body.trigger_id, responseUrl: body.container?.type === 'message' ? body.response_url : undefined };
}

/** Posts to a response_url (ephemeral to the clicker). Valid 30 minutes, 5 uses. */
export async function postToResponseUrl(url: string, message: EphemeralMessage & { replace_original?: boolean }): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, ...message }),
  });
  if (!res.ok) throw new Error(`response_url answered HTTP ${res.status}`);
}

/**
 * Tells the user something (mrkdwn): in the conversation when there is a response_url, else
 * in a small modal (the Home tab has nowhere else to say it), else by DM. Never throws.
 */
export async function tellUser(
  deps: { logger: Logger },
  client: WebClient,
  origin: InteractionOrigin,
  text: string,
  title = 'CRM',
): Promise<void> {
  try {
    if (origin.responseUrl) return await postToResponseUrl(origin.responseUrl, { text });
    if (origin.triggerId) return void (await client.views.open({ trigger_id: origin.triggerId, view: buildNoticeModal(title, text) }));
    await client.chat.postMessage({ channel: origin.userId, text });
  } catch (err) {
    deps.logger.warn({ err, userId: origin.userId }, 'could not tell the user');
  }
}
