import type { WebClient } from '@slack/web-api';
import type { HomeView } from '@slack/types';
import type { AppDeps } from '../../deps';
import { loadHomeFilter } from '../../domain/home-filter';
import { loadPipeline } from '../../domain/pipeline';
import { loadStageLabels } from '../../domain/stages';
import { loadSyncStatus } from '../../domain/sync-coordinator';
import { canEdit, refusalFor, resolveViewer, type Viewer } from '../viewer';
import { buildNoAccessHome, buildPipelineHome, HOME_PAGE_SIZE_ALL_STAGES, HOME_PAGE_SIZE_ONE_STAGE } from '../views/pipeline-home';
import { loadHomeExtras } from './extras';

/**
 * The Home view of one viewer, from the CRM database only (never Metabase): no-access for
 * guests and users outside the roster, else the pipeline with the viewer's filter.
 */
export async function buildHomeFor(deps: AppDeps, client: WebClient, viewer: Viewer): Promise<HomeView> {
  const refusal = refusalFor(viewer, 'read');
  if (refusal) return buildNoAccessHome(refusal);
  const { prisma } = deps.db;
  const now = deps.clock.now();
  const filter = await loadHomeFilter(prisma, viewer.userId);
  const [stageLabels, snapshot, sync, extras] = await Promise.all([
    loadStageLabels(prisma),
    loadPipeline(deps.db, {
      filter,
      viewerId: viewer.userId,
      now,
      pageSize: filter.stage ? HOME_PAGE_SIZE_ONE_STAGE : HOME_PAGE_SIZE_ALL_STAGES,
    }),
    loadSyncStatus(deps),
    loadHomeExtras(deps, client, viewer),
  ]);
  return buildPipelineHome({
    viewer: { userId: viewer.userId, canEdit: canEdit(viewer), timeZone: viewer.timeZone },
    now,
    stageLabels,
    filter,
    snapshot,
    sync,
    extras,
  });
}

/** Per app: which publish of each user started last, and the chain their sends go through. */
interface PublishOrder {
  next: number;
  latest: Map<string, number>;
  sending: Map<string, Promise<void>>;
}
const publishOrders = new WeakMap<AppDeps, PublishOrder>();

function publishOrderOf(deps: AppDeps): PublishOrder {
  let order = publishOrders.get(deps);
  if (!order) {
    order = { next: 0, latest: new Map(), sending: new Map() };
    publishOrders.set(deps, order);
  }
  return order;
}

/**
 * Publishes the Home tab for one user from the CRM database (no Metabase wait).
 * Called on app_home_opened and after any change that the user or a lead's owner should see.
 *
 * Publishes of one user never go out of order: when several overlap (twenty opens during a
 * sync, a change while the first view is still being built), a view read before a newer
 * publish started is dropped instead of being sent after it, so Slack keeps the freshest
 * view. Every change republishes after its write, so the newest publish carries it.
 *
 * Pass the Viewer when the caller has already resolved it for this request, so the roster
 * and users.info cache are not read twice; a bare user id is resolved here.
 */
export async function publishHome(deps: AppDeps, client: WebClient, who: string | Viewer): Promise<void> {
  const userId = typeof who === 'string' ? who : who.userId;
  const order = publishOrderOf(deps);
  const ticket = ++order.next;
  order.latest.set(userId, ticket);
  const viewer = typeof who === 'string' ? await resolveViewer(deps, client, who) : who;
  const view = await buildHomeFor(deps, client, viewer);
  const previous = order.sending.get(userId) ?? Promise.resolve();
  const send = previous.then(async () => {
    if (order.latest.get(userId) !== ticket) return;
    await client.views.publish({ user_id: userId, view });
  });
  const settled = send.catch(() => undefined);
  order.sending.set(userId, settled);
  try {
    await send;
  } finally {
    if (order.sending.get(userId) === settled) {
      order.sending.delete(userId);
      if (order.latest.get(userId) === ticket) order.latest.delete(userId);
    }
  }
}
