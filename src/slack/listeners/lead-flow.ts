import type { ViewOutput } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../app-context';
import { UserFacingError } from '../../common/errors';
import type { StageLabels } from '../../common/stages';
import type { AppDeps } from '../../deps';
import { loadLeadCard } from '../../domain/lead-card-data';
import { changesSince } from '../../domain/lead-changes';
import { ownerTakenNotice } from '../../domain/lead-ownership';
import {
  addNote,
  changeOwner,
  changeStage,
  getLeadSummary,
  homesToRepublish,
  type LeadChange,
  type LeadField,
  LeadNotFoundError,
  type LeadSummary,
  LeadValidationError,
  StaleLeadError,
  updateContact,
} from '../../domain/leads';
import { loadStageLabels } from '../../domain/settings';
import { canEdit, refusalFor, resolveViewer, type Viewer, viewerForAction } from '../viewer';
import { ACTION_IDS, CALLBACK_IDS } from '../views/action-ids';
import {
  buildContactModal,
  buildLeadCard,
  buildNoteModal,
  buildOwnerModal,
  buildStageChangeModal,
  decodeLeadMetadata,
  LEAD_BLOCKS,
  type LeadModalMetadata,
} from '../views/lead-card';
import type { EphemeralMessage } from '../views/message';
import { staleLeadNotice } from '../views/stale-lead';
import { userErrorPlain, userErrorText } from '../views/user-error';
import { tellPreviousOwner } from '../web-api/owner-taken-dm';
import {
  actionOrigin,
  answerInTime,
  type ErrorsResponse,
  fieldErrors,
  type InteractionOrigin,
  inputValue,
  openModal,
  postToResponseUrl,
  type SubmissionAnswer,
  selectedUser,
  selectedValue,
  tellUser,
} from '../web-api/reply';
import type { ButtonListener, ViewListener } from './listener-types';

/**
 * A person's work on one lead, in the order it happens: a verb run on the lead (from its
 * card, the Home tab's overflow menu or a command: authorised, and any failure answered), a
 * lead modal's submission (authorised again, saved, answered within Slack's 3 s, a stale
 * form given back refilled), and what follows a change (the Homes it concerns republished,
 * the card it came from replaced, a previous owner told). At the end, the lead card's four
 * edits that go through all of it: stage, note, contact and owner, each a verb that opens
 * its modal and the listener of that modal's submission. The other verbs (assign, orders,
 * follow-up) live in their listener files in actions/.
 */

// ---- A verb on a lead --------------------------------------------------------------------

/** Something a user does with one lead: from a lead card button, the Home tab's overflow menu (`<verb>:<leadId>`), or a command. */
export interface LeadVerb {
  name: string;
  /** What the viewer needs: reading the lead, or changing it. */
  access: 'read' | 'edit';
  run(ctx: LeadVerbContext): Promise<void>;
}

export interface LeadVerbContext {
  deps: AppContext;
  client: WebClient;
  viewer: Viewer;
  origin: InteractionOrigin;
  leadId: number;
}

/** Runs one verb on one lead for a viewer: authorises, and answers the user whatever happens. */
export async function runLeadVerb(ctx: LeadVerbContext, verb: LeadVerb): Promise<void> {
  const { deps, client, viewer, origin, leadId } = ctx;
  const refusal = refusalFor(viewer, verb.access);
  if (refusal) {
    deps.logger.info({ userId: viewer.userId, verb: verb.name, leadId }, 'lead action refused');
    return tellUser(deps, client, origin, refusal, 'Not allowed');
  }
  try {
    await verb.run(ctx);
  } catch (err) {
    if (err instanceof UserFacingError) return tellUser(deps, client, origin, userErrorText(err));
    deps.logger.error({ err, verb: verb.name, leadId }, 'lead action failed');
    await tellUser(deps, client, origin, 'Sorry, that did not work. It has been logged.');
  }
}

/**
 * The verb of a lead modal that needs only the lead (note, contact, owner): reads it and opens
 * the modal `build` makes where the click came from (a card's modal keeps its response URL,
 * so the submission can replace that card).
 */
function leadModalVerb(
  name: string,
  build: (lead: LeadSummary, options: { responseUrl?: string }) => ModalView,
): LeadVerb {
  return {
    name,
    access: 'edit',
    async run({ deps, client, origin, leadId }) {
      const lead = await getLeadSummary(deps.db.prisma, leadId);
      await openModal(client, origin, build(lead, { responseUrl: origin.responseUrl }));
    },
  };
}

/** A lead card button whose value is the lead id, running `verb`. */
export function leadButton(deps: AppContext, verb: LeadVerb): ButtonListener {
  return async ({ ack, body, action, client }) => {
    await ack();
    const leadId = Number(action.value);
    if (!Number.isInteger(leadId))
      return void deps.logger.warn(
        { actionId: action.action_id, value: action.value },
        'lead button without a lead id',
      );
    const origin = actionOrigin(body);
    const viewer = await viewerForAction(deps, client, origin);
    await runLeadVerb({ deps, client, viewer, origin, leadId }, verb);
  };
}

// ---- A lead modal submitted ---------------------------------------------------------------

interface LeadSubmission {
  view: ViewOutput;
  viewer: Viewer;
  meta: LeadModalMetadata;
}

/** The lead as it is now, for a form refilled after someone else's change. */
interface LeadNow {
  lead: LeadSummary;
  /** mrkdwn: who changed what while the form was open. */
  notice: string;
  labels: StageLabels;
}

interface LeadSubmissionOptions {
  callbackId: string;
  primaryBlock: string;
  overrides?: Partial<Record<LeadField, string>>;
  refill?: (submission: LeadSubmission, now: LeadNow) => ModalView;
}

interface UpdateResponse {
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
function leadSubmission(
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

// ---- After a change: the card and the Homes ---------------------------------------------

/** The lead card for a viewer, with the stage suggestion the facts make (if any). */
export async function leadCardFor(deps: AppContext, viewer: Viewer, leadId: number): Promise<EphemeralMessage> {
  const { card, labels, suggestion } = await loadLeadCard(deps.db.prisma, deps.config, leadId, {
    now: deps.clock.now(),
    timeZone: viewer.timeZone,
  });
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

// ---- The lead card's edits: stage, note, contact, owner ----------------------------------

/** "Change stage": opens the stage-change modal (with the current labels). */
export const stageVerb: LeadVerb = {
  name: 'stage',
  access: 'edit',
  async run({ deps, client, origin, leadId }) {
    const { prisma } = deps.db;
    const [lead, labels] = await Promise.all([getLeadSummary(prisma, leadId), loadStageLabels(prisma)]);
    await openModal(client, origin, buildStageChangeModal(lead, { labels, responseUrl: origin.responseUrl }));
  },
};

export function openStageModal(deps: AppContext): ButtonListener {
  return leadButton(deps, stageVerb);
}

const typedStage = (view: ViewOutput) => ({
  stage: selectedValue(view, LEAD_BLOCKS.stage, ACTION_IDS.stageSelect),
  note: inputValue(view, LEAD_BLOCKS.stageNote, ACTION_IDS.stageNote),
  churnReason: inputValue(view, LEAD_BLOCKS.churnReason, ACTION_IDS.churnReason),
});

/** The stage-change modal submitted: moves the lead (a churn needs its reason). */
export function stageChange(deps: AppContext): ViewListener {
  const options: LeadSubmissionOptions = {
    callbackId: CALLBACK_IDS.stageChange,
    primaryBlock: LEAD_BLOCKS.stage,
    overrides: { note: LEAD_BLOCKS.stageNote },
    refill: ({ view, meta }, { lead, notice, labels }) => {
      const { stage, note, churnReason } = typedStage(view);
      return buildStageChangeModal(lead, {
        labels,
        responseUrl: meta.responseUrl,
        notice,
        values: { note, churnReason },
        ...(stage ? { preselect: stage } : {}),
      });
    },
  };
  return leadSubmission(deps, options, async ({ view, viewer, meta }) => {
    const { stage: toStage, note, churnReason } = typedStage(view);
    if (!toStage) throw new LeadValidationError('stage', 'Pick a stage.');
    return changeStage(deps.db.prisma, deps.clock, {
      leadId: meta.leadId,
      expectedVersion: meta.version,
      actorId: viewer.userId,
      toStage,
      note,
      churnReason,
    });
  });
}

/** Opens the note modal of a lead. */
export const noteVerb: LeadVerb = leadModalVerb('note', buildNoteModal);

export function openNoteModal(deps: AppContext): ButtonListener {
  return leadButton(deps, noteVerb);
}

/**
 * The note modal submitted. A note only appends, so a note written in a modal opened before
 * someone else's change is still saved (the version is not checked): refusing it would only
 * lose the user's text.
 */
export function leadNote(deps: AppContext): ViewListener {
  return leadSubmission(
    deps,
    { callbackId: CALLBACK_IDS.leadNote, primaryBlock: LEAD_BLOCKS.note },
    ({ view, viewer, meta }) =>
      addNote(deps.db.prisma, deps.clock, {
        leadId: meta.leadId,
        actorId: viewer.userId,
        text: inputValue(view, LEAD_BLOCKS.note, ACTION_IDS.noteText),
      }),
  );
}

/** Opens the contact modal of a lead. */
export const contactVerb: LeadVerb = leadModalVerb('contact', buildContactModal);

export function openContactModal(deps: AppContext): ButtonListener {
  return leadButton(deps, contactVerb);
}

const typedContact = (view: ViewOutput) => ({
  name: inputValue(view, LEAD_BLOCKS.contactName, ACTION_IDS.contactName),
  role: inputValue(view, LEAD_BLOCKS.contactRole, ACTION_IDS.contactRole),
  email: inputValue(view, LEAD_BLOCKS.contactEmail, ACTION_IDS.contactEmail),
  phone: inputValue(view, LEAD_BLOCKS.contactPhone, ACTION_IDS.contactPhone),
});

/** The contact modal submitted: the lead's contact person. */
export function leadContact(deps: AppContext): ViewListener {
  const options: LeadSubmissionOptions = {
    callbackId: CALLBACK_IDS.leadContact,
    primaryBlock: LEAD_BLOCKS.contactName,
    refill: ({ view, meta }, { lead, notice }) =>
      buildContactModal(lead, { responseUrl: meta.responseUrl, notice, values: typedContact(view) }),
  };
  return leadSubmission(deps, options, ({ view, viewer, meta }) =>
    updateContact(deps.db.prisma, deps.clock, {
      leadId: meta.leadId,
      expectedVersion: meta.version,
      actorId: viewer.userId,
      contact: typedContact(view),
    }),
  );
}

/** Opens the change-owner modal of a lead. */
export const ownerVerb: LeadVerb = leadModalVerb('owner', buildOwnerModal);

export function openOwnerModal(deps: AppContext): ButtonListener {
  return leadButton(deps, ownerVerb);
}

/** The change-owner modal submitted. */
export function leadOwner(deps: AppContext): ViewListener {
  const options: LeadSubmissionOptions = {
    callbackId: CALLBACK_IDS.leadOwner,
    primaryBlock: LEAD_BLOCKS.owner,
    refill: ({ view, meta }, { lead, notice }) =>
      buildOwnerModal(lead, {
        responseUrl: meta.responseUrl,
        notice,
        values: { ownerId: selectedUser(view, LEAD_BLOCKS.owner, ACTION_IDS.ownerSelect) },
      }),
  };
  return leadSubmission(deps, options, async ({ view, viewer, meta }) => {
    const ownerId = selectedUser(view, LEAD_BLOCKS.owner, ACTION_IDS.ownerSelect);
    if (!ownerId) throw new LeadValidationError('owner', 'Pick the new owner.');
    return changeOwner(deps.db.prisma, deps.clock, {
      leadId: meta.leadId,
      expectedVersion: meta.version,
      actorId: viewer.userId,
      ownerId,
    });
  });
}
