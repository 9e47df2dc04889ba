import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { updateContact } from '../../../domain/leads';
import { ACTION_IDS, CALLBACK_IDS } from '../../action-ids';
import { afterLeadChange } from '../../lead-interactions';
import { LEAD_BLOCKS } from '../../views/lead-modals';
import { beginLeadSubmission, errorsForFailure, inputValue } from './lead-submission';

export function registerLeadContactSubmission(app: App, deps: AppDeps): void {
  app.view(CALLBACK_IDS.leadContact, async ({ ack, body, view, client }) => {
    const begun = await beginLeadSubmission(deps, client, body.user.id, view, LEAD_BLOCKS.contactName);
    if ('errors' in begun) return void (await ack(begun.errors));
    const { viewer, meta } = begun;
    let change;
    try {
      change = await updateContact(deps.db.prisma, deps.clock, {
        leadId: meta.leadId,
        expectedVersion: meta.version,
        actorId: viewer.userId,
        contact: {
          name: inputValue(view, LEAD_BLOCKS.contactName, ACTION_IDS.contactName),
          role: inputValue(view, LEAD_BLOCKS.contactRole, ACTION_IDS.contactRole),
          email: inputValue(view, LEAD_BLOCKS.contactEmail, ACTION_IDS.contactEmail),
          phone: inputValue(view, LEAD_BLOCKS.contactPhone, ACTION_IDS.contactPhone),
        },
      });
    } catch (err) {
      return void (await ack(errorsForFailure(deps, err, LEAD_BLOCKS.contactName)));
    }
    await ack();
    await afterLeadChange(deps, client, viewer, change, meta.responseUrl);
  });
}
