import cron, { type ScheduledTask } from 'node-cron';
import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../deps';

/** A recurring job: runs on a cron schedule; overlapping runs of one job are skipped. */
export interface Job {
  name: string;
  /** node-cron expression, e.g. '* * * * *' (every minute). */
  schedule: string;
  run(deps: AppDeps, client: WebClient): Promise<void>;
}

export interface Scheduler {
  /** Stops scheduling and waits for the runs in flight. */
  stop(): Promise<void>;
}

export function startScheduler(deps: AppDeps, client: WebClient, jobs: Job[]): Scheduler {
  const inFlight = new Set<Promise<void>>();
  const tasks: ScheduledTask[] = jobs.map((job) => {
    let running = false;
    return cron.schedule(
      job.schedule,
      () => {
        if (running) return;
        running = true;
        const p = job
          .run(deps, client)
          .catch((err: unknown) => deps.logger.error({ err, job: job.name }, 'scheduled job failed'))
          .finally(() => {
            running = false;
            inFlight.delete(p);
          });
        inFlight.add(p);
      },
      { name: job.name, noOverlap: true },
    );
  });
  return {
    async stop() {
      await Promise.all(tasks.map((t) => t.stop()));
      await Promise.allSettled([...inFlight]);
    },
  };
}
