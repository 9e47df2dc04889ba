import type { WebClient } from '@slack/web-api';
import { ManualClock } from '../../src/clock';
import type { ImportProgress, SyncCoordinator } from '../../src/domain/sync-coordinator';
import { createLogger } from '../../src/logger';
import {
  ImportProgressHomes,
  PROGRESS_MIN_INTERVAL_MS,
  PROGRESS_PUBLISHES_PER_MINUTE,
} from '../../src/slack/import-progress-homes';
import type { HomePublisher } from '../../src/slack/publish-home';
import type { Viewer } from '../../src/slack/viewer';

/** The homes with a coordinator whose progress the test reports, and a publisher that records whom it publishes for. */
function setUp() {
  const clock = new ManualClock();
  let report: (p: ImportProgress) => Promise<void> = async () => undefined;
  const coordinator = { onImportProgress: (l: typeof report) => (report = l) } as unknown as SyncCoordinator;
  const published: string[] = [];
  const publisher = {
    publish: async (_client: WebClient, viewer: Viewer, onBuilt?: () => void) => {
      published.push(viewer.userId);
      onBuilt?.();
    },
  } as unknown as HomePublisher;
  const homes = new ImportProgressHomes({ clock, logger: createLogger('silent') }, publisher, coordinator);
  const client = {} as WebClient;
  const watch = (userId: string) => homes.watch(client, { userId } as Viewer);
  const progress = (through: number, first = false) =>
    report({ through, of: 10_000, created: through, updated: 0, first });
  return { clock, homes, published, watch, progress };
}

describe('Home tabs following an import', () => {
  it('publishes at the first chunk, then at most every few seconds, and not for the last chunk', async () => {
    const { clock, published, watch, progress } = setUp();
    watch('U1');
    await progress(1_000, true);
    expect(published).toEqual(['U1']);

    clock.advance(PROGRESS_MIN_INTERVAL_MS - 1);
    await progress(2_000);
    expect(published).toEqual(['U1']);
    clock.advance(1);
    await progress(3_000);
    expect(published).toEqual(['U1', 'U1']);

    // The last chunk: the listener's final publish follows at once.
    clock.advance(PROGRESS_MIN_INTERVAL_MS);
    await progress(10_000);
    expect(published).toEqual(['U1', 'U1']);
  });

  it('spaces the rounds so that everyone watching stays within the publish budget', async () => {
    const { clock, published, watch, progress } = setUp();
    const users = Array.from({ length: 25 }, (_, i) => `U${i}`);
    for (const u of users) watch(u);
    await progress(1_000, true);
    expect(published).toHaveLength(25);

    // 25 publishes a round at 50 a minute: a round every 30 s.
    const spacing = (25 * 60_000) / PROGRESS_PUBLISHES_PER_MINUTE;
    clock.advance(spacing - 1);
    await progress(2_000);
    expect(published).toHaveLength(25);
    clock.advance(1);
    await progress(3_000);
    expect(published).toHaveLength(50);
  });

  it('stops publishing for a reader once each of their requests has had its answer', async () => {
    const { homes, published, watch, progress } = setUp();
    watch('U1');
    watch('U1');
    homes.unwatch('U1');
    await progress(1_000, true);
    expect(published).toEqual(['U1']);
    homes.unwatch('U1');
    await progress(2_000, true);
    expect(published).toEqual(['U1']);
  });
});
