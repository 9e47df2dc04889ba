import { ManualClock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import type { Database } from '../../src/db/client';
import { type HomeData, loadHomeData } from '../../src/domain/home-data';
import { PipelineCache, type StageSummary } from '../../src/domain/pipeline';
import type { Prisma } from '../../src/generated/sqlite/client';
import { seedLead } from './seed-leads';
import { StaticProductionReader } from './static-production';

/**
 * A small book and a reader whose Home shows only what readers share (the pipeline, the
 * unowned leads' "today" lists, the settings), for the tests of the data version those
 * shares are kept by, on either database.
 */
export const NOW = new Date('2026-12-07T09:00:00Z');
export const OWNER = 'U0OWNER01';
/** Owns no lead and has no follow-up: every list their Home shows is shared (their own would be read per open). */
export const READER = 'U0READER1';
export const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 's', LOG_LEVEL: 'silent' });

export interface SharedHome {
  /** READER opens Home (the domain's read, as the publisher makes it). */
  open(): Promise<HomeData>;
  /** The reads of the customers' figures since the last call: the stage pages and the shared lists make them. */
  customerReads(): string[];
}

/** Seeds three leads (two OWNER's) and a sync that ended 30 minutes ago; records the raw queries from here on. */
export async function sharedHome(db: Database): Promise<SharedHome> {
  await seedLead(db.prisma, { customerId: 'A', name: 'Alpha', ownerId: OWNER, lastOrderAt: minutesAgo(60) });
  await seedLead(db.prisma, { customerId: 'B', name: 'Bravo', lastOrderAt: minutesAgo(120) });
  await seedLead(db.prisma, { customerId: 'C', name: 'Charlie', ownerId: OWNER, lastOrderAt: minutesAgo(180) });
  await db.prisma.syncRun.create({
    data: { trigger: 'schedule', startedAt: minutesAgo(31), finishedAt: minutesAgo(30), status: 'ok', created: 3 },
  });
  const cache = new PipelineCache();
  const spy = jest.spyOn(db.prisma, '$queryRaw');
  let seen = 0;
  const queriesSince = () => {
    const calls = spy.mock.calls.slice(seen);
    seen = spy.mock.calls.length;
    return calls.map(([q]) => (Array.isArray(q) ? q.join('?') : (q as Prisma.Sql).sql));
  };
  return {
    open: () =>
      loadHomeData(
        {
          db,
          config,
          clock: new ManualClock(NOW),
          production: new StaticProductionReader([]),
          pipelineCache: cache,
          syncRunning: () => false,
        },
        { userId: READER, timeZone: 'UTC', isAdmin: false, canEdit: true, team: false },
      ),
    customerReads: () => queriesSince().filter((sql) => sql.includes('"CustomerFigures"')),
  };
}

export const stageOf = (data: HomeData, slug: string) =>
  data.snapshot.stages.find((s) => s.slug === slug) as StageSummary;
