import type { HomeView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { slackErrorCode } from '../common/slack-error-code';
import { asForeground } from '../cooperative';
import type { AppDeps } from '../deps';
import { type HomeDataDeps, type HomeReader, loadHomeData, openHome } from '../domain/home-data';
import type { PipelineCache } from '../domain/pipeline';
import type { SyncCoordinator } from '../domain/sync-coordinator';
import { viewJson } from './view-json';
import { canAdminister, canEdit, refusalFor, resolveViewer, type Viewer } from './viewer';
import { buildHomeView } from './views/home';
import { buildNoAccessHome } from './views/pipeline-home';
import { publishThroughClient, type ViewsPublish } from './web-api/views-publish';

/**
 * Publishes Home tabs: load (domain) -> build (view) -> views.publish. Built once per app
 * (server.ts), because it remembers which publish of each user started last.
 *
 * Publishes of one user never go out of order: when several overlap (twenty opens during a
 * sync, a change while the first view is still being built), a view read before a newer
 * publish started is dropped instead of being sent after it, so Slack keeps the freshest
 * view. Every change republishes after its write, so the newest publish carries it.
 *
 * Each publish passes the `hash` of the view it replaces (the last one this instance
 * published for the user), so Slack refuses it (`hash_conflict`) when another instance has
 * published since: the view is then rebuilt from the data as it is now and published once more.
 */
export class HomePublisher {
  private next = 0;
  private readonly latest = new Map<string, number>();
  private readonly sending = new Map<string, Promise<void>>();
  /** The hash of the Home view last published for each user, from Slack's answer. */
  private readonly hashes = new Map<string, string>();
  /** The Home views built at the latest data version and minute, per user (viewJsonFor). */
  private built: { epoch: string; byUser: Map<string, { key: string; json: string }> } = {
    epoch: '',
    byUser: new Map(),
  };

  /**
   * `viewsPublish`: how views.publish is sent; the running app sends JSON bodies
   * (publishAsJson), else the client given to `publish` is used.
   */
  constructor(
    private readonly deps: AppDeps,
    private readonly state: { syncCoordinator: SyncCoordinator; pipelineCache: PipelineCache },
    private readonly viewsPublish: ViewsPublish = publishThroughClient,
  ) {}

  /** The Home view of one viewer: no-access for guests and users outside the roster, else the dashboard. */
  async buildFor(viewer: Viewer): Promise<HomeView> {
    return JSON.parse(await this.viewJsonFor(viewer)) as HomeView;
  }

  /**
   * The Home view of one viewer as JSON text. An open whose Home would be the same as the
   * one last built for this viewer (same data version, minute, viewer and sync state: see
   * openHome) reuses its text; any other reads and builds it.
   */
  private async viewJsonFor(viewer: Viewer): Promise<string> {
    const refusal = refusalFor(viewer, 'read');
    if (refusal) return JSON.stringify(buildNoAccessHome(refusal));
    const { syncCoordinator, pipelineCache } = this.state;
    const deps: HomeDataDeps = {
      ...this.deps,
      pipelineCache,
      syncRunning: () => syncCoordinator.running,
      importProgress: () => syncCoordinator.importProgress,
    };
    const reader: HomeReader = {
      userId: viewer.userId,
      timeZone: viewer.timeZone,
      isAdmin: canAdminister(viewer),
      canEdit: canEdit(viewer),
      team: viewer.role !== 'account_manager',
    };
    const opening = await openHome(deps, reader);
    const cache = opening.cache;
    if (cache && cache.epoch !== this.built.epoch) this.built = { epoch: cache.epoch, byUser: new Map() };
    const last = this.built.byUser.get(viewer.userId);
    if (cache && last?.key === cache.key) return last.json;
    const data = await loadHomeData(deps, reader, opening);
    // The lines it shares with other viewers' Homes are built and serialised once (views/block-memo.ts).
    const json = viewJson(
      buildHomeView(data, { userId: viewer.userId, canEdit: canEdit(viewer), timeZone: viewer.timeZone }),
    );
    // Kept while the data version and the minute stay as they are: what a later open can reuse.
    if (cache && cache.epoch === this.built.epoch) this.built.byUser.set(viewer.userId, { key: cache.key, json });
    return json;
  }

  /**
   * Publishes the Home tab for one user. Pass the Viewer when the caller has already resolved
   * it for this request, so the roster and users.info cache are not read twice.
   */
  publish(client: WebClient, who: string | Viewer, onBuilt?: () => void): Promise<void> {
    // Someone is looking at the tab: ahead of the sync (see asForeground).
    return asForeground(() => this.publishNow(client, who, onBuilt));
  }

  /** `onBuilt`: the view has been read from the database and is about to be sent. */
  private async publishNow(client: WebClient, who: string | Viewer, onBuilt?: () => void): Promise<void> {
    const userId = typeof who === 'string' ? who : who.userId;
    const ticket = ++this.next;
    this.latest.set(userId, ticket);
    const viewer = typeof who === 'string' ? await resolveViewer(this.deps, client, who) : who;
    const view = await this.viewJsonFor(viewer);
    onBuilt?.();
    const previous = this.sending.get(userId) ?? Promise.resolve();
    const send = previous.then(async () => {
      if (this.latest.get(userId) !== ticket) return;
      try {
        await this.send(client, userId, view, this.hashes.get(userId));
      } catch (err) {
        if (slackErrorCode(err) !== 'hash_conflict') throw err;
        // Another instance published since: rebuild from the data as it is now, publish once more.
        this.hashes.delete(userId);
        this.deps.logger.info({ userId }, 'Home changed elsewhere since our last publish: rebuilding it');
        await this.send(client, userId, await this.viewJsonFor(viewer), undefined);
      }
    });
    const settled = send.catch(() => undefined);
    this.sending.set(userId, settled);
    try {
      await send;
    } finally {
      if (this.sending.get(userId) === settled) {
        this.sending.delete(userId);
        if (this.latest.get(userId) === ticket) this.latest.delete(userId);
      }
    }
  }

  private async send(client: WebClient, userId: string, viewJson: string, hash: string | undefined): Promise<void> {
    const published = await this.viewsPublish(client, { userId, viewJson, hash });
    if (published) this.hashes.set(userId, published);
  }

  /** Republishes the Home tabs of everyone a change concerns; failures are logged, never thrown. */
  async republish(client: WebClient, userIds: string[]): Promise<void> {
    await Promise.all(
      [...new Set(userIds)].map((id) =>
        this.publish(client, id).catch((err) =>
          this.deps.logger.warn({ err, userId: id }, 'republishing the Home tab failed'),
        ),
      ),
    );
  }
}
