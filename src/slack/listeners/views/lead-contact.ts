import type { App } from '@slack/bolt';
import type { AppDeps } from '../../../deps';
import { updateContact } from '../../../domain/leads';
import { ACTION_IDS, CALLBACK_IDS } from '../../action-ids';
import { LEAD_BLOCKS } from '../../views/lead-modals';
import { inputValue, registerLeadSubmission } from './lead-submission';

export function registerLeadContactSubmission(app: App, deps: AppDeps): void {
  registerLeadSubmission(app, deps, { callbackId: CALLBACK_IDS.leadContact, primaryBlock: LEAD_BLOCKS.contactName }, ({ view, viewer, meta }) =>
    updateContact(deps.db.prisma, deps.clock, {
      leadId: meta.leadId,
      expectedVersion: meta.version,
      actorId: viewer.userId,
      contact: {
        name: inputValue(view, LEAD_BLOCKS.contactName, ACTION_IDS.contactName),
        role: inputValue(view, LEAD_BLOCKS.contactRole, ACTION_IDS.contactRole),
        email: inputValue(view, LEAD_BLOCKS.contactEmail, ACTION_IDS.contactEmail),
        phone: inputValue(view, LEAD_BLOCKS.contactPhone, ACTION_IDS.contactPhone),
      },
    }),
  );
}
