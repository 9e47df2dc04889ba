import type { AppContext } from '../../../app-context';
import { changeOwner, LeadValidationError } from '../../../domain/leads';
import { ACTION_IDS, CALLBACK_IDS } from '../../views/action-ids';
import { buildOwnerModal, LEAD_BLOCKS } from '../../views/lead-modals';
import { selectedUser } from '../../web-api/reply';
import { type LeadSubmissionOptions, type LeadVerb, leadButton, leadModalVerb, leadSubmission } from '../lead-flow';
import type { ButtonListener, ViewListener } from '../listener-types';

/** The change-owner modal: the `owner` verb that opens it, and its submission. */

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
