import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../../deps';
import { resolveViewerWithin, type Viewer } from '../viewer';
import { buildNoticeModal } from '../views/lead-modals';
import { type InteractionOrigin, openModal } from '../web-api/reply';

/**
 * The viewer of an action that may answer in a modal. When Slack is too slow to say who it
 * is (users.info, nothing cached), a "Loading…" modal is opened with the trigger while it
 * is still valid (3 s), and the answer then updates that modal.
 */
export async function viewerForAction(deps: AppDeps, client: WebClient, origin: InteractionOrigin): Promise<Viewer> {
  const inTime = await resolveViewerWithin(deps, client, origin.userId);
  if (inTime.viewer) return inTime.viewer;
  if (!origin.responseUrl && origin.triggerId) {
    await openModal(client, origin, buildNoticeModal('CRM', 'Loading…')).catch((err) =>
      deps.logger.warn({ err }, 'could not open the loading modal'),
    );
  }
  return inTime.later;
}
