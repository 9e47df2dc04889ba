import type { WebClient } from '@slack/web-api';
import cron, { type ScheduledTask } from 'node-cron';
import type { AppContext } from '../app-context';
import type { AppDeps } from '../deps';

/** A recurring job: runs on a cron schedule; overlapping runs of one job are skipped. */
export interface Job<D extends AppDeps = AppContext> {
  name: string;
  /** node-cron expression, e.g. '* * * * *' (every minute). */
  schedule: string;
  run(deps: D, client: WebClient): Promise<void>;
}

export interface Scheduler {
  /** Stops scheduling and waits for the runs in flight. */
  stop(): Promise<void>;
}

export function startScheduler<D extends AppDeps>(deps: D, client: WebClient, jobs: Job<D>[]): Scheduler {
  const inFlight = new Set<Promise<void>>();
  const log = deps.logger.child({ component: 'node-cron' });
  const logger = {
    info: (m: string) => log.info(m),
    warn: (m: string) => log.warn(m),
    error: (m: string | Error, err?: Error) => log.error({ err: err ?? m }, String(m)),
    debug: (m: string | Error) => log.debug(String(m)),
  };
  // node-cron's noOverlap skips a tick while the job's previous run (the returned promise) is going.
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      () => {
        const p = job
          .run(deps, client)
          .catch((err: unknown) => deps.logger.error({ err, job: job.name }, 'scheduled job failed'))
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
        return p;
      },
      { name: job.name, noOverlap: true, logger },
    ),
  );
  return {
    async stop() {
      await Promise.all(tasks.map((t) => t.stop()));
      await Promise.allSettled([...inFlight]);
    },
  };
}
