import type { ViewOutput } from '@slack/bolt';
import type { AppContext } from '../../../app-context';
import { updateContact } from '../../../domain/leads';
import { ACTION_IDS, CALLBACK_IDS } from '../../views/action-ids';
import { buildContactModal, LEAD_BLOCKS } from '../../views/lead-modals';
import { inputValue } from '../../web-api/reply';
import { type LeadSubmissionOptions, type LeadVerb, leadButton, leadModalVerb, leadSubmission } from '../lead-flow';
import type { ButtonListener, ViewListener } from '../listener-types';

/** The contact modal: the `contact` verb that opens it, and its submission. */

/** Opens the contact modal of a lead. */
export const contactVerb: LeadVerb = leadModalVerb('contact', buildContactModal);

export function openContactModal(deps: AppContext): ButtonListener {
  return leadButton(deps, contactVerb);
}

const typed = (view: ViewOutput) => ({
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
      buildContactModal(lead, { responseUrl: meta.responseUrl, notice, values: typed(view) }),
  };
  return leadSubmission(deps, options, ({ view, viewer, meta }) =>
    updateContact(deps.db.prisma, deps.clock, {
      leadId: meta.leadId,
      expectedVersion: meta.version,
      actorId: viewer.userId,
      contact: typed(view),
    }),
  );
}
