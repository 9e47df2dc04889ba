import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../../logger';
import { buildNoticeModal } from '../../views/lead-modals';
import { escapeMrkdwn } from '../../views/mrkdwn';

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
