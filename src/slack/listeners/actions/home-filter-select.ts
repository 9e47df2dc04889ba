import type { AppContext } from '../../../app-context';
import { isStageSlug } from '../../../common/stages';
import {
  type HomeFilterChange,
  isOwnerFilter,
  isValidUncontactedDays,
  updateHomeFilter,
} from '../../../domain/home-filter';
import { canRead, resolveViewer } from '../../viewer';
import { ACTION_IDS } from '../../views/action-ids';
import type { SelectListener } from '../listener-types';

/** The change a filter control asks for, or null when the value is not one we offer. */
export function filterChangeFor(actionId: string, value: string): HomeFilterChange | null {
  if (actionId === ACTION_IDS.homeFilterOwner) return isOwnerFilter(value) ? { kind: 'owner', owner: value } : null;
  if (actionId === ACTION_IDS.homeFilterStage) {
    if (value === 'all') return { kind: 'stage', stage: null };
    return isStageSlug(value) ? { kind: 'stage', stage: value } : null;
  }
  if (actionId === ACTION_IDS.homeFilterUncontactedDays) {
    const days = Number(value);
    return isValidUncontactedDays(days) ? { kind: 'uncontactedDays', days } : null;
  }
  return null;
}

/** The Home filter selects (owner, stage, uncontacted days): save the choice for the user, republish. */
export function homeFilter(deps: AppContext): SelectListener {
  return async ({ ack, body, action, client }) => {
    await ack();
    const userId = body.user.id;
    try {
      const viewer = await resolveViewer(deps, client, userId);
      if (canRead(viewer)) {
        const change = filterChangeFor(action.action_id, action.selected_option?.value ?? '');
        if (change) await updateHomeFilter(deps.db.prisma, userId, change);
        else
          deps.logger.warn(
            { actionId: action.action_id, value: action.selected_option?.value },
            'unknown Home filter value ignored',
          );
      }
      await deps.homePublisher.publish(client, viewer);
    } catch (err) {
      deps.logger.error({ err, user: userId, actionId: action.action_id }, 'Home filter change failed');
    }
  };
}
