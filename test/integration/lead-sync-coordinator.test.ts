import { ManualClock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import { dataVersion } from '../../src/db/pipeline/pipeline-sql';
import type { AppDeps } from '../../src/deps';
import { seedDefaultRates } from '../../src/domain/rates';
import { loadSyncStatus, SyncCoordinator } from '../../src/domain/sync-coordinator';
import { createLogger } from '../../src/logger';
import { openTestDatabase } from '../support/databases';
import { customerRow, StaticProductionReader } from '../support/static-production';

const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's', LOG_LEVEL: 'silent' });

describe('SyncCoordinator', () => {
  let cleanup: () => Promise<void>;
  let deps: AppDeps;
  let clock: ManualClock;
  let production: StaticProductionReader;

  beforeEach(async () => {
    const t = await openTestDatabase('sqlite');
    cleanup = t.cleanup;
    clock = new ManualClock('2026-11-25T09:00:00Z');
    production = new StaticProductionReader([customerRow({ customerId: 'C1' }), customerRow({ customerId: 'C2' })]);
    deps = { config, db: t.db, production, clock, logger: createLogger('silent'), instanceId: 'instance-a' };
    await seedDefaultRates(t.db.prisma, clock);
  });
  afterEach(async () => {
    await cleanup();
  });

  it('lets concurrent requests share one run', async () => {
    const coordinator = new SyncCoordinator(deps);
    const release = production.hold();
    const requests = Array.from({ length: 5 }, () => coordinator.requestSync({ trigger: 'home_opened' }));
    await new Promise((r) => setTimeout(r, 50));
    release();
    const outcomes = await Promise.all(requests);

    expect(production.calls).toHaveLength(1);
    expect(outcomes.every((o) => o.kind === 'ran')).toBe(true);
    const runIds = new Set(outcomes.map((o) => (o.kind === 'ran' ? o.run.runId : null)));
    expect(runIds.size).toBe(1);
    expect(outcomes.filter((o) => o.kind === 'ran' && !o.joined)).toHaveLength(1);
    expect(await deps.db.prisma.syncRun.count()).toBe(1);
    expect(await deps.db.prisma.lead.count()).toBe(2);
  });

  it('reuses a successful run younger than a minute, and syncs again after it', async () => {
    const coordinator = new SyncCoordinator(deps);
    expect((await coordinator.requestSync({ trigger: 'home_opened' })).kind).toBe('ran');
    clock.advance(59_000);
    const reused = await coordinator.requestSync({ trigger: 'home_opened' });
    expect(reused).toMatchObject({ kind: 'reused', changed: false });
    expect(production.calls).toHaveLength(1);

    clock.advance(2_000);
    const again = await coordinator.requestSync({ trigger: 'home_opened' });
    // Nothing changed in production, so Home need not be republished.
    expect(again).toMatchObject({ kind: 'ran', changed: false });
    expect(production.calls).toHaveLength(2);
  });

  it('waits 30 s after a failure before retrying, and reports since when production is unavailable', async () => {
    const coordinator = new SyncCoordinator(deps);
    await coordinator.requestSync({ trigger: 'home_opened' });
    clock.advance(120_000);
    production.failNext('Production data unavailable: Metabase timed out after 10 s', 2);
    const failedAt = clock.now();
    expect(await coordinator.requestSync({ trigger: 'home_opened' })).toMatchObject({ kind: 'ran', changed: true });

    clock.advance(29_000);
    expect((await coordinator.requestSync({ trigger: 'home_opened' })).kind).toBe('backoff');
    expect(production.calls).toHaveLength(2);

    clock.advance(2_000);
    expect((await coordinator.requestSync({ trigger: 'home_opened' })).kind).toBe('ran');
    expect(production.calls).toHaveLength(3);
    const status = await loadSyncStatus(deps);
    expect(status).toMatchObject({
      kind: 'failing',
      since: failedAt,
      error: 'Production data unavailable: Metabase timed out after 10 s',
    });

    clock.advance(31_000);
    await coordinator.requestSync({ trigger: 'home_opened' });
    expect(await loadSyncStatus(deps)).toMatchObject({ kind: 'ok', created: 0 });
  });

  it('runs at once when forced (the admin command), whatever the reuse window', async () => {
    const coordinator = new SyncCoordinator(deps);
    await coordinator.requestSync({ trigger: 'home_opened' });
    clock.advance(1_000);
    expect((await coordinator.requestSync({ trigger: 'command', force: true })).kind).toBe('ran');
    expect(production.calls).toHaveLength(2);
  });

  it('keeps a second instance on the same database out while the first holds the lease', async () => {
    const first = new SyncCoordinator(deps);
    const second = new SyncCoordinator({ ...deps, instanceId: 'instance-b' });
    const release = production.hold();
    const running = first.requestSync({ trigger: 'home_opened' });
    await new Promise((r) => setTimeout(r, 50));

    expect(await second.requestSync({ trigger: 'command', force: true })).toEqual({
      kind: 'busy_elsewhere',
      changed: false,
    });
    release();
    expect((await running).kind).toBe('ran');
    expect(production.calls).toHaveLength(1);
    // Once released, the other instance may run (forced) or reuses the fresh run.
    expect((await second.requestSync({ trigger: 'home_opened' })).kind).toBe('reused');
    expect((await second.requestSync({ trigger: 'command', force: true })).kind).toBe('ran');
  });

  it('a sync that finds nothing new leaves what Home readers share as it was, and Home shows when it ran', async () => {
    const coordinator = new SyncCoordinator(deps);
    expect((await coordinator.requestSync({ trigger: 'home_opened' })).kind).toBe('ran');
    const before = await dataVersion(deps.db);
    clock.advance(120_000);
    const again = await coordinator.requestSync({ trigger: 'home_opened' });
    expect(again).toMatchObject({ kind: 'ran', changed: false, run: { created: 0, updated: 0, status: 'ok' } });
    // Its run record and lease are bookkeeping: the data version stays, so the share is kept.
    expect(await dataVersion(deps.db)).toBe(before);
    expect(await loadSyncStatus(deps)).toEqual({ kind: 'ok', finishedAt: clock.now(), created: 0, running: false });
    // A sync that writes changes it.
    production.rows = [...production.rows, customerRow({ customerId: 'C3' })];
    clock.advance(120_000);
    expect((await coordinator.requestSync({ trigger: 'home_opened' })).changed).toBe(true);
    expect(await dataVersion(deps.db)).not.toBe(before);
  });

  it('does nothing without production configured', async () => {
    const coordinator = new SyncCoordinator({ ...deps, production: null });
    expect(await coordinator.requestSync({ trigger: 'home_opened' })).toEqual({ kind: 'off', changed: false });
    expect(await loadSyncStatus({ ...deps, production: null })).toEqual({ kind: 'off' });
  });
});
