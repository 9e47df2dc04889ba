import type { AppContext } from '../../../app-context';
import { isStageSlug } from '../../../common/stages';
import { type HomeFilterChange, MAX_PAGE, updateHomeFilter } from '../../../domain/home-filter';
import { canRead, resolveViewer } from '../../viewer';
import type { ButtonListener } from '../listener-types';

/** Reads a paging button's `<stage>:<page>` value. */
export function pageChangeFor(value: string): HomeFilterChange | null {
  const m = /^([a-z_]+):(\d{1,6})$/.exec(value);
  if (!m || !isStageSlug(m[1]!)) return null;
  const page = Number(m[2]);
  return page <= MAX_PAGE ? { kind: 'page', stage: m[1], page } : null;
}

/** "Show more in <stage>" and "Back to the top": remember the stage's page for the user, republish. */
export function homePaging(deps: AppContext): ButtonListener {
  return async ({ ack, body, action, client }) => {
    await ack();
    const userId = body.user.id;
    try {
      const viewer = await resolveViewer(deps, client, userId);
      if (canRead(viewer)) {
        const change = pageChangeFor(action.value ?? '');
        if (change) await updateHomeFilter(deps.db.prisma, userId, change);
        else deps.logger.warn({ value: action.value }, 'malformed Home paging value ignored');
      }
      await deps.homePublisher.publish(client, viewer);
    } catch (err) {
      deps.logger.error({ err, user: userId }, 'Home paging failed');
    }
  };
}
