import type { ViewOutput } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../../../deps';
import { LeadNotFoundError, LeadValidationError, StaleLeadError } from '../../../domain/leads';
import { decodeLeadMetadata, LEAD_BLOCKS, type LeadModalMetadata } from '../../views/lead-modals';
import { refusalFor, resolveViewer, type Viewer } from '../../viewer';

/** Shared steps of the lead modals' view_submission listeners. */

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

/**
 * Authorises the submitter (edit access) and reads the lead metadata. On refusal or
 * forged metadata, the error to show on `primaryBlock`.
 */
export async function beginLeadSubmission(
  deps: AppDeps,
  client: WebClient,
  userId: string,
  view: ViewOutput,
  primaryBlock: string,
): Promise<{ viewer: Viewer; meta: LeadModalMetadata } | { errors: ErrorsResponse }> {
  const viewer = await resolveViewer(deps, client, userId);
  const refusal = refusalFor(viewer, 'edit');
  if (refusal) {
    deps.logger.warn({ userId, callbackId: view.callback_id }, 'lead modal submission refused');
    return { errors: fieldErrors({ [primaryBlock]: refusal }) };
  }
  const meta = decodeLeadMetadata(view.private_metadata);
  if (!meta) {
    deps.logger.warn({ userId, callbackId: view.callback_id }, 'lead modal without valid metadata');
    return { errors: fieldErrors({ [primaryBlock]: 'This form is out of date. Close it and open it again from the lead.' }) };
  }
  return { viewer, meta };
}

const FIELD_BLOCKS: Record<LeadValidationError['field'], string> = {
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
export function errorsForFailure(deps: AppDeps, err: unknown, primaryBlock: string, overrides: Partial<Record<LeadValidationError['field'], string>> = {}): ErrorsResponse {
  if (err instanceof LeadValidationError) return fieldErrors({ [overrides[err.field] ?? FIELD_BLOCKS[err.field]]: err.userMessage });
  if (err instanceof StaleLeadError) {
    deps.logger.info({ leadId: err.leadId, expected: err.expectedVersion, actual: err.actualVersion }, 'stale lead modal refused');
    return fieldErrors({ [primaryBlock]: err.userMessage });
  }
  if (err instanceof LeadNotFoundError) return fieldErrors({ [primaryBlock]: err.userMessage });
  deps.logger.error({ err }, 'saving a lead modal failed');
  return fieldErrors({ [primaryBlock]: 'Sorry, saving failed. It has been logged; what you typed is still here, try again.' });
}
