import type { WebClient } from '@slack/web-api';
import { postToResponseUrl as postToSlackHook, type SlackHttpDeps } from '../runtime/slack-http';
import { buildNoticeModal } from '../views/lead-modals';
import type { EphemeralMessage } from '../views/message';

/** Where an interaction came from: a message has a response_url; a view (Home, modal) only a trigger. */
export interface InteractionOrigin {
  userId: string;
  /** Works once, within 3 s of the click: `openModal` spends it and records the modal in `viewId`. */
  triggerId?: string;
  responseUrl?: string;
  /** The modal already opened for this interaction (e.g. "Loading…"): later answers update it. */
  viewId?: string;
}

type ModalView = Parameters<WebClient['views']['open']>[0]['view'];

/**
 * Shows a modal for this interaction: opens it with the trigger the first time, then updates
 * that same modal (a trigger_id works once, so a second views.open with it would fail).
 */
export async function openModal(client: WebClient, origin: InteractionOrigin, view: ModalView): Promise<string> {
  if (origin.viewId) {
    await client.views.update({ view_id: origin.viewId, view });
    return origin.viewId;
  }
  if (!origin.triggerId) throw new Error('no trigger_id to open a modal with');
  const triggerId = origin.triggerId;
  origin.triggerId = undefined;
  const opened = await client.views.open({ trigger_id: triggerId, view });
  origin.viewId = opened.view?.id;
  return origin.viewId ?? '';
}

/** Where a block action came from; only an action on a message has a response_url to answer in (Home and modals do not). */
export function actionOrigin(body: {
  user: { id: string };
  trigger_id?: string;
  container?: { type?: string };
  response_url?: string;
}): InteractionOrigin {
  return {
    userId: body.user.id,
    triggerId: body.trigger_id,
    responseUrl: body.container?.type === 'message' ? body.response_url : undefined,
  };
}

/** Posts to a response_url (ephemeral to the clicker). Valid 30 minutes, 5 uses; Slack's hooks host only. */
export async function postToResponseUrl(
  deps: SlackHttpDeps,
  url: string,
  message: EphemeralMessage & { replace_original?: boolean },
): Promise<void> {
  await postToSlackHook(deps, url, { response_type: 'ephemeral', replace_original: false, ...message });
}

/**
 * Tells the user something (mrkdwn): in the conversation when there is a response_url, else
 * in a small modal (the Home tab has nowhere else to say it; the modal already opened for
 * this interaction when there is one), else by DM. Never throws.
 */
export async function tellUser(
  deps: SlackHttpDeps,
  client: WebClient,
  origin: InteractionOrigin,
  text: string,
  title = 'CRM',
): Promise<void> {
  try {
    if (origin.responseUrl) return await postToResponseUrl(deps, origin.responseUrl, { text });
    if (origin.viewId || origin.triggerId) return void (await openModal(client, origin, buildNoticeModal(title, text)));
    await client.chat.postMessage({ channel: origin.userId, text });
  } catch (err) {
    deps.logger.warn({ err, userId: origin.userId }, 'could not tell the user');
  }
}
