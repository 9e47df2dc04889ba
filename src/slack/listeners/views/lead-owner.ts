import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { changeOwner } from '../../../domain/leads';
import { ACTION_IDS, CALLBACK_IDS } from '../../action-ids';
import { afterLeadChange } from '../../lead-interactions';
import { LEAD_BLOCKS } from '../../views/lead-modals';
import { beginLeadSubmission, errorsForFailure, fieldErrors, selectedUser } from './lead-submission';

export function registerLeadOwnerSubmission(app: App, deps: AppDeps): void {
  app.view(CALLBACK_IDS.leadOwner, async ({ ack, body, view, client }) => {
    const begun = await beginLeadSubmission(deps, client, body.user.id, view, LEAD_BLOCKS.owner);
    if ('errors' in begun) return void (await ack(begun.errors));
    const { viewer, meta } = begun;
    const ownerId = selectedUser(view, LEAD_BLOCKS.owner, ACTION_IDS.ownerSelect);
    if (!ownerId) return void (await ack(fieldErrors({ [LEAD_BLOCKS.owner]: 'Pick the new owner.' })));
    let change;
    try {
      change = await changeOwner(deps.db.prisma, deps.clock, { leadId: meta.leadId, expectedVersion: meta.version, actorId: viewer.userId, ownerId });
    } catch (err) {
      return void (await ack(errorsForFailure(deps, err, LEAD_BLOCKS.owner)));
    }
    await ack();
    await afterLeadChange(deps, client, viewer, change, meta.responseUrl);
  });
}
