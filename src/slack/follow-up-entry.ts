import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../deps';
import type { Viewer } from './viewer';

/**
 * Opens the follow-up modal for a lead (from the lead card, the Home tab overflow menu and
 * `/crm remind`). Returns a message to show the user instead when it cannot open.
 */
export async function openFollowUpModal(
  _deps: AppDeps,
  _client: WebClient,
  _args: { triggerId: string; viewer: Viewer; leadId: number },
): Promise<{ ok: true } | { ok: false; message: string }> {
  return { ok: false, message: 'Follow-up reminders are not available yet.' };
}
