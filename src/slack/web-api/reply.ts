import type { ViewOutput } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger';
import { postToResponseUrl as postToSlackHook, type SlackHttpDeps } from '../runtime/slack-http';
import type { EphemeralMessage } from '../views/message';
import { escapeMrkdwn } from '../views/mrkdwn';
import { buildNoticeModal } from '../views/notice-modal';

/**
 * The conversation with the person who acted: where their interaction came from and what a
 * submitted modal holds, and every way of answering them (a modal opened or updated, the
 * response_url, a DM, a submission's answer within Slack's 3 s).
 */

/** Where an interaction came from: a message has a response_url; a view (Home, modal) only a trigger. */
export interface InteractionOrigin {
  userId: string;
  /** Works once, within 3 s of the click: `openModal` spends it and records the modal in `viewId`. */
  triggerId?: string;
  responseUrl?: string;
  /** The modal already opened for this interaction (e.g. "Loading…"): later answers update it. */
  viewId?: string;
}

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

// ---- A view submission: its values, and its answer within Slack's 3 s -------------------

/** What a view submission answers: field errors, another view, or nothing (the modal closes). */
export type SubmissionAck =
  | { response_action: 'errors'; errors: Record<string, string> }
  | { response_action: 'update'; view: ModalView }
  | undefined;

export interface SubmissionAnswer {
  ack: SubmissionAck;
  /** Shown in the modal when the answer came too late to close it (success only). */
  done?: string;
  /** Work after the answer (republishing Homes, refreshing a card). */
  after?: () => Promise<void>;
}

/**
 * How long a submission may take before it is answered with a "Saving…" view: Slack waits
 * 3 s for the answer, and Bolt, the network and the reply need the rest.
 */
export const SUBMISSION_BUDGET_MS = 2_000;

/**
 * Answers a view submission within Slack's 3 seconds whatever Slack's or the database's
 * speed. When `work` (authorising, checking with Slack, saving) finishes within the budget,
 * its answer is the ack (field errors show under their fields). When it does not, the modal
 * is answered at once with a "Saving…" view and, once the work is done, that same modal
 * (its id does not change) is updated with the outcome: saved, or why not.
 */
export async function answerInTime(args: {
  ack: (answer?: SubmissionAck) => Promise<void>;
  client: WebClient;
  logger: Logger;
  viewId: string;
  title: string;
  work: Promise<SubmissionAnswer>;
  budgetMs?: number;
}): Promise<void> {
  const { ack, client, logger, viewId, title } = args;
  // A failure the work did not answer itself is logged and shown, never left unanswered.
  const work = args.work.catch((err: unknown): SubmissionAnswer => {
    logger.error({ err }, 'a view submission failed');
    return {
      ack: {
        response_action: 'update',
        view: buildNoticeModal(title, 'Sorry, that could not be saved. It has been logged; please try again.'),
      },
    };
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), args.budgetMs ?? SUBMISSION_BUDGET_MS);
  });
  const first = await Promise.race([work, late]).finally(() => clearTimeout(timer));
  if (first !== 'late') {
    await ack(first.ack);
    await first.after?.();
    return;
  }
  await ack({ response_action: 'update', view: buildNoticeModal(title, 'Saving…') });
  const answer = await work;
  try {
    await client.views.update({ view_id: viewId, view: lateView(title, answer) });
  } catch (err) {
    logger.warn({ err }, 'could not show the outcome of a slow submission');
  }
  await answer.after?.();
}

/** The outcome of a submission answered late, as a modal. */
function lateView(title: string, answer: SubmissionAnswer): ModalView {
  const ack = answer.ack;
  if (ack?.response_action === 'update') return ack.view;
  if (ack?.response_action === 'errors') {
    const reasons = Object.values(ack.errors)
      .map((e) => `• ${escapeMrkdwn(e)}`)
      .join('\n');
    return buildNoticeModal(title, `Not saved:\n${reasons}\nOpen it again to retry.`);
  }
  return buildNoticeModal(title, escapeMrkdwn(answer.done ?? 'Saved.'));
}

export interface ErrorsResponse {
  response_action: 'errors';
  errors: Record<string, string>;
}

export function fieldErrors(errors: Record<string, string>): ErrorsResponse {
  return { response_action: 'errors', errors };
}

/** The value of a plain-text input, '' when empty. */
export function inputValue(view: ViewOutput, blockId: string, actionId: string): string {
  return view.state.values[blockId]?.[actionId]?.value ?? '';
}

export function selectedValue(view: ViewOutput, blockId: string, actionId: string): string | null {
  return view.state.values[blockId]?.[actionId]?.selected_option?.value ?? null;
}

export function selectedUser(view: ViewOutput, blockId: string, actionId: string): string | null {
  return view.state.values[blockId]?.[actionId]?.selected_user ?? null;
}
