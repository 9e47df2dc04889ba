import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { changeOwner, LeadValidationError } from '../../../domain/leads';
import { ACTION_IDS, CALLBACK_IDS } from '../../action-ids';
import { LEAD_BLOCKS } from '../../views/lead-modals';
import { registerLeadSubmission, selectedUser } from './lead-submission';

export function registerLeadOwnerSubmission(app: App, deps: AppDeps): void {
  registerLeadSubmission(app, deps, { callbackId: CALLBACK_IDS.leadOwner, primaryBlock: LEAD_BLOCKS.owner }, async ({ view, viewer, meta }) => {
    const ownerId = selectedUser(view, LEAD_BLOCKS.owner, ACTION_IDS.ownerSelect);
    if (!ownerId) throw new LeadValidationError('owner', 'Pick the new owner.');
    return changeOwner(deps.db.prisma, deps.clock, { leadId: meta.leadId, expectedVersion: meta.version, actorId: viewer.userId, ownerId });
  });
}
