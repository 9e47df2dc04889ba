import type { ViewOutput } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../../app-context';
import type { StageLabels } from '../../../common/stages';
import type { AppDeps } from '../../../deps';
import { changesSince } from '../../../domain/lead-changes';
import {
  type LeadChange,
  type LeadField,
  LeadNotFoundError,
  type LeadSummary,
  LeadValidationError,
  StaleLeadError,
} from '../../../domain/leads';
import { loadStageLabels } from '../../../domain/settings';
import type { Logger } from '../../../logger';
import { refusalFor, resolveViewer, type Viewer } from '../../viewer';
import { buildNoticeModal, decodeLeadMetadata, LEAD_BLOCKS, type LeadModalMetadata } from '../../views/lead-modals';
import { escapeMrkdwn } from '../../views/mrkdwn';
import { staleLeadNotice } from '../../views/stale-lead';
import { userErrorPlain } from '../../views/user-error';
import { afterLeadChange } from '../lead-change';
import type { ViewListener } from '../listener-types';

/**
 * Shared steps of the view_submission listeners: answering within Slack's 3 seconds
 * (answerInTime, used by every submission), reading the submitted values, and the lead
 * modals' authorise-save-answer (leadSubmission).
 */

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

export interface LeadSubmission {
  view: ViewOutput;
  viewer: Viewer;
  meta: LeadModalMetadata;
}

/** The lead as it is now, for a form refilled after someone else's change. */
export interface LeadNow {
  lead: LeadSummary;
  /** mrkdwn: who changed what while the form was open. */
  notice: string;
  labels: StageLabels;
}

export interface LeadSubmissionOptions {
  callbackId: string;
  primaryBlock: string;
  overrides?: Partial<Record<LeadField, string>>;
  refill?: (submission: LeadSubmission, now: LeadNow) => ModalView;
}

export interface UpdateResponse {
  response_action: 'update';
  view: ModalView;
}

/**
 * The view_submission listener of a lead modal: authorises the submitter (edit
 * access), reads the lead metadata, runs `save`, and answers its failure as field errors
 * (a LeadValidationError on its field, anything else on `primaryBlock`; `overrides` moves
 * a field's errors to another block). When the lead changed since the form was opened and
 * `refill` is given, the form is replaced by `refill`'s: the same form at the lead's new
 * version, holding what was typed and saying what changed, so submitting again applies it.
 * On success it acks, then republishes the Homes the change concerns and refreshes the card
 * the modal came from.
 */
export function leadSubmission(
  deps: AppContext,
  options: LeadSubmissionOptions,
  save: (submission: LeadSubmission) => Promise<LeadChange>,
): ViewListener {
  const { callbackId, primaryBlock } = options;
  return async ({ ack, body, view, client }) => {
    const userId = body.user.id;
    const work = async (): Promise<SubmissionAnswer> => {
      const viewer = await resolveViewer(deps, client, userId);
      const refusal = refusalFor(viewer, 'edit');
      if (refusal) {
        deps.logger.warn({ userId, callbackId }, 'lead modal submission refused');
        return { ack: fieldErrors({ [primaryBlock]: refusal }) };
      }
      const meta = decodeLeadMetadata(view.private_metadata);
      if (!meta) {
        deps.logger.warn({ userId, callbackId }, 'lead modal without valid metadata');
        return {
          ack: fieldErrors({ [primaryBlock]: 'This form is out of date. Close it and open it again from the lead.' }),
        };
      }
      let change: LeadChange;
      try {
        change = await save({ view, viewer, meta });
      } catch (err) {
        // A stale form is given back refilled at the lead's new version, with what changed.
        const refilled =
          err instanceof StaleLeadError && options.refill
            ? await refilledForm(deps, err, { view, viewer, meta }, options.refill)
            : null;
        return { ack: refilled ?? errorsForFailure(deps, err, primaryBlock, options.overrides) };
      }
      return { ack: undefined, after: () => afterLeadChange(deps, client, viewer, change, meta.responseUrl) };
    };
    await answerInTime({ ack, client, logger: deps.logger, viewId: view.id, title: 'Lead', work: work() });
  };
}

/** The form refilled at the lead's current version; null when the lead cannot be read (then the plain refusal). */
async function refilledForm(
  deps: AppContext,
  err: StaleLeadError,
  submission: LeadSubmission,
  refill: NonNullable<LeadSubmissionOptions['refill']>,
): Promise<UpdateResponse | null> {
  try {
    const [{ lead, changes }, labels] = await Promise.all([
      changesSince(deps.db.prisma, err.leadId, err.expectedVersion),
      loadStageLabels(deps.db.prisma),
    ]);
    deps.logger.info(
      { leadId: err.leadId, expected: err.expectedVersion, actual: lead.version },
      'stale lead modal refilled at the new version',
    );
    return {
      response_action: 'update',
      view: refill(submission, { lead, notice: staleLeadNotice(changes, labels), labels }),
    };
  } catch (readErr) {
    if (!(readErr instanceof LeadNotFoundError))
      deps.logger.error({ err: readErr, leadId: err.leadId }, 'reading what changed on a stale lead failed');
    return null;
  }
}

const FIELD_BLOCKS: Record<LeadField, string> = {
  stage: LEAD_BLOCKS.stage,
  note: LEAD_BLOCKS.note,
  churnReason: LEAD_BLOCKS.churnReason,
  contactName: LEAD_BLOCKS.contactName,
  contactRole: LEAD_BLOCKS.contactRole,
  contactEmail: LEAD_BLOCKS.contactEmail,
  contactPhone: LEAD_BLOCKS.contactPhone,
  owner: LEAD_BLOCKS.owner,
};

/**
 * A failed change as field errors: validation on its field, a stale lead or a vanished one
 * on the primary field. Anything else is logged; the modal stays open with what was typed.
 */
export function errorsForFailure(
  deps: AppDeps,
  err: unknown,
  primaryBlock: string,
  overrides: Partial<Record<LeadField, string>> = {},
): ErrorsResponse {
  if (err instanceof LeadValidationError)
    return fieldErrors({ [overrides[err.field] ?? FIELD_BLOCKS[err.field]]: userErrorPlain(err) });
  if (err instanceof StaleLeadError) {
    deps.logger.info(
      { leadId: err.leadId, expected: err.expectedVersion, actual: err.actualVersion },
      'stale lead modal refused',
    );
    return fieldErrors({ [primaryBlock]: err.userMessage });
  }
  if (err instanceof LeadNotFoundError) return fieldErrors({ [primaryBlock]: err.userMessage });
  deps.logger.error({ err }, 'saving a lead modal failed');
  return fieldErrors({
    [primaryBlock]: 'Sorry, saving failed. It has been logged; what you typed is still here, try again.',
  });
}
