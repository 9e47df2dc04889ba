import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../deps';
import type { Viewer } from './viewer';
import { openNewFollowUpModal } from './follow-ups/modal-flow';

/**
 * Opens the follow-up modal for a lead (from the lead card, the Home tab overflow menu and
 * `/crm remind`). Returns a message to show the user instead when it cannot open.
 */
export async function openFollowUpModal(
  deps: AppDeps,
  client: WebClient,
  args: { triggerId: string; viewer: Viewer; leadId: number },
): Promise<{ ok: true } | { ok: false; message: string }> {
  return openNewFollowUpModal(deps, client, args);
}
