import type { WebClient } from '@slack/web-api';
import type { AppContext } from '../../../app-context';
import { canEditLeads } from '../../../common/roles';
import { isValidTimeZone } from '../../../common/zoned-time';
import { validateFollowUpForm } from '../../../domain/follow-ups/follow-up-input';
import {
  createFollowUp,
  FollowUpError,
  getFollowUp,
  mayManageFollowUp,
  updateFollowUp,
} from '../../../domain/follow-ups/follow-ups';
import { getRole } from '../../../domain/roster';
import { canAdminister, refusalFor, resolveViewer, slackUserFacts, type Viewer } from '../../viewer';
import {
  decodeFollowUpMetadata,
  FOLLOW_UP_BLOCKS,
  followUpErrors,
  readFollowUpSubmission,
  type StateValues,
} from '../../views/follow-up-modal';
import { userErrorPlain } from '../../views/user-error';
import { answerInTime, type SubmissionAnswer } from '../../web-api/reply';
import type { ViewListener } from '../listener-types';

/** The zone a person's follow-ups are read in: their Slack zone (cached users.info), else CRM_TIMEZONE. */
async function ownerTimeZone(deps: AppContext, client: WebClient, userId: string): Promise<string> {
  const facts = await slackUserFacts(deps, client, userId);
  return isValidTimeZone(facts.tz) ? facts.tz : deps.config.CRM_TIMEZONE;
}

type SubmissionResult =
  | { ok: true; followUpId: number | null; ownerId: string; nextDueAt: Date }
  | { ok: false; errors: Record<string, string> };

/** Validates and saves a follow-up modal submission: the field errors to answer with, or what was saved. */
async function saveFollowUp(
  deps: AppContext,
  client: WebClient,
  viewer: Viewer,
  view: { private_metadata?: string; state: { values: StateValues } },
): Promise<SubmissionResult> {
  const fail = (field: keyof typeof FOLLOW_UP_BLOCKS, message: string): SubmissionResult => ({
    ok: false,
    errors: { [FOLLOW_UP_BLOCKS[field]]: message },
  });
  const refusal = refusalFor(viewer, 'edit');
  if (refusal) {
    deps.logger.warn({ userId: viewer.userId }, 'follow-up submission refused');
    return fail('message', refusal);
  }
  const meta = decodeFollowUpMetadata(view.private_metadata);
  if (!meta) {
    deps.logger.warn({ userId: viewer.userId }, 'follow-up modal without valid metadata');
    return fail('message', 'This form is out of date. Close it and open it again from the lead.');
  }
  const { prisma } = deps.db;
  const form = readFollowUpSubmission(view.state.values);
  const ownerId = form.ownerId ?? viewer.userId;
  if (ownerId !== viewer.userId) {
    // The rule delivery applies (jobs/owner-access.ts): an owner who can act on the lead and get its DM.
    const role = await getRole(prisma, ownerId);
    if (role === null) return fail('owner', 'That person is not on the CRM roster, so they cannot get follow-ups.');
    if (!canEditLeads(role))
      return fail(
        'owner',
        'Follow-ups go to account managers and admins, who can act on the lead. That person is a manager (read-only): pick someone else.',
      );
    const facts = await slackUserFacts(deps, client, ownerId);
    if (facts.deleted || facts.guest)
      return fail('owner', 'That person cannot get follow-ups (deactivated or a guest account).');
  }
  const timeZone = ownerId === viewer.userId ? viewer.timeZone : await ownerTimeZone(deps, client, ownerId);
  const valid = validateFollowUpForm(form, timeZone, deps.clock.now());
  if (!valid.ok) {
    deps.logger.info({ userId: viewer.userId, fields: Object.keys(valid.errors) }, 'follow-up form refused');
    return { ok: false, errors: followUpErrors(valid.errors) };
  }
  const fields = { ownerId, message: valid.message, schedule: valid.schedule, firstDueAt: valid.firstDueAt };
  try {
    if (meta.followUpId !== undefined) {
      const existing = await getFollowUp(prisma, meta.followUpId);
      if (!existing || existing.leadId !== meta.leadId) return fail('message', 'That follow-up no longer exists.');
      if (!mayManageFollowUp(existing, viewer.userId, canAdminister(viewer))) {
        return fail('message', 'Only the person reminded, the one who set the follow-up, or an admin can change it.');
      }
      const saved = await updateFollowUp(prisma, deps.clock, {
        followUpId: meta.followUpId,
        expectedVersion: meta.version!,
        actorId: viewer.userId,
        ...fields,
      });
      return { ok: true, followUpId: meta.followUpId, ownerId, nextDueAt: saved.nextDueAt };
    }
    const created = await createFollowUp(prisma, deps.clock, {
      leadId: meta.leadId,
      createdBy: viewer.userId,
      ...fields,
    });
    return { ok: true, followUpId: created.id, ownerId, nextDueAt: created.nextDueAt };
  } catch (err) {
    if (err instanceof FollowUpError) return fail('message', userErrorPlain(err));
    throw err;
  }
}

/** The follow-up modal: field errors answered in place; on success the Home tabs concerned are republished. */
export function followUp(deps: AppContext): ViewListener {
  return async ({ ack, body, view, client }) => {
    const work = async (): Promise<SubmissionAnswer> => {
      const viewer = await resolveViewer(deps, client, body.user.id);
      let result: Awaited<ReturnType<typeof saveFollowUp>>;
      try {
        result = await saveFollowUp(deps, client, viewer, view);
      } catch (err) {
        deps.logger.error({ err, userId: viewer.userId }, 'saving a follow-up failed');
        const errors = {
          [FOLLOW_UP_BLOCKS.message]: 'Sorry, the follow-up could not be saved. It has been logged; try again.',
        };
        return { ack: { response_action: 'errors', errors } };
      }
      if (!result.ok) return { ack: { response_action: 'errors', errors: result.errors } };
      deps.logger.info(
        { userId: viewer.userId, followUpId: result.followUpId, nextDueAt: result.nextDueAt },
        'follow-up saved',
      );
      const ownerId = result.ownerId;
      return {
        ack: undefined,
        done: 'Follow-up saved.',
        after: () => deps.homePublisher.republish(client, [viewer.userId, ownerId]),
      };
    };
    await answerInTime({ ack, client, logger: deps.logger, viewId: view.id, title: 'Follow-up', work: work() });
  };
}
