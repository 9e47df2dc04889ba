import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../../src/deps';
import { startScheduler } from '../../src/jobs/scheduler';
import { createLogger } from '../../src/logger';

describe('the job scheduler', () => {
  it('never overlaps two runs of one job, and stop() waits for the run in flight', async () => {
    let running = 0;
    let mostAtOnce = 0;
    let finished = 0;
    const scheduler = startScheduler({ logger: createLogger('silent') } as AppDeps, {} as WebClient, [
      {
        name: 'slow',
        schedule: '* * * * * *', // every second; each run takes longer than that
        run: async () => {
          running += 1;
          mostAtOnce = Math.max(mostAtOnce, running);
          await new Promise((r) => setTimeout(r, 1500));
          running -= 1;
          finished += 1;
        },
      },
    ]);
    await new Promise((r) => setTimeout(r, 2300));
    const startedBeforeStop = finished + running;
    await scheduler.stop();
    expect(mostAtOnce).toBe(1);
    expect(running).toBe(0);
    expect(finished).toBe(startedBeforeStop);
    expect(finished).toBeGreaterThanOrEqual(1);
  });
});
