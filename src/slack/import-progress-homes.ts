import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../deps';
import type { ImportProgress, SyncCoordinator } from '../domain/sync-coordinator';
import type { HomePublisher } from './publish-home';
import type { Viewer } from './viewer';

/**
 * Slack's rate limit for views.publish is Tier 4 ("100+ per minute", per workspace): the
 * import's progress rounds spend at most half of that, leaving the rest to Home opens and the
 * final publishes.
 */
export const PROGRESS_PUBLISHES_PER_MINUTE = 50;
/** However few are watching, a progress round at most this often after the first. */
export const PROGRESS_MIN_INTERVAL_MS = 3_000;

/**
 * While the CRM's first sync (an import) runs, the Home tabs of the readers who opened Home
 * meanwhile show it as it goes: republished as soon as the first chunk of leads is written,
 * then again now and then while it goes on (each round spaced so the rounds stay within
 * PROGRESS_PUBLISHES_PER_MINUTE), and once at the end (by the listener that asked for the sync,
 * as for any sync). Each Home says how far the import has got (home-data.ts, pipeline-home.ts).
 */
export class ImportProgressHomes {
  /** Per reader: how many of their requests wait on the sync, and where to publish. */
  private readonly watching = new Map<string, { client: WebClient; viewer: Viewer; requests: number }>();
  private lastRoundAt = -Infinity;

  constructor(
    private readonly deps: Pick<AppDeps, 'clock' | 'logger'>,
    private readonly homePublisher: HomePublisher,
    coordinator: SyncCoordinator,
  ) {
    coordinator.onImportProgress((progress) => this.progressed(progress));
  }

  /** A reader opened Home while a sync may be running: their tab follows the import, if it is one, to its end. */
  watch(client: WebClient, viewer: Viewer): void {
    const requests = (this.watching.get(viewer.userId)?.requests ?? 0) + 1;
    this.watching.set(viewer.userId, { client, viewer, requests });
  }

  /** The sync one of this reader's requests waited on has ended: the final publish is its to make. */
  unwatch(userId: string): void {
    const watcher = this.watching.get(userId);
    if (!watcher) return;
    if (watcher.requests > 1) watcher.requests -= 1;
    else this.watching.delete(userId);
  }

  private async progressed(progress: ImportProgress): Promise<void> {
    if (progress.first) this.lastRoundAt = -Infinity;
    // The last chunk: the final publish follows at once.
    if (progress.through >= progress.of || this.watching.size === 0) return;
    const now = this.deps.clock.now().getTime();
    const spacing = Math.max(PROGRESS_MIN_INTERVAL_MS, (this.watching.size * 60_000) / PROGRESS_PUBLISHES_PER_MINUTE);
    if (!progress.first && now - this.lastRoundAt < spacing) return;
    this.lastRoundAt = now;
    // The sync waits until each view has been read, so it shows exactly the chunks written so
    // far; the sends go on without it. One view after another, in the order they opened Home:
    // the first reader's goes out before the others are read, not after all of them.
    for (const { client, viewer } of [...this.watching.values()]) {
      await new Promise<void>((built) => {
        this.homePublisher
          .publish(client, viewer, built)
          .catch((err: unknown) =>
            this.deps.logger.warn({ err, userId: viewer.userId }, 'publishing the import progress failed'),
          )
          .finally(built);
      });
    }
  }
}
