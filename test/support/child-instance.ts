/**
 * One app instance in a process of its own, running one sending job against a shared
 * database, so a test can kill it with SIGKILL mid-send.
 * Usage: child-instance.ts follow-ups|digest|agenda <database url> <slack api url> [delivery options JSON]
 */
import { systemClock } from '../../src/clock';
import { runDigestJob } from '../../src/jobs/digest-job';
import { deliverDueFollowUps, type FollowUpDeliveryOptions } from '../../src/jobs/follow-up-job';
import { type AgendaDeliveryOptions, deliverMorningAgendas } from '../../src/jobs/morning-agenda';
import { appClient, instance } from './exactly-once';
import type { FakeSlack } from './fake-slack';

async function main(): Promise<void> {
  const [job, url, apiUrl, options] = process.argv.slice(2);
  if (!job || !url || !apiUrl)
    throw new Error('usage: child-instance.ts follow-ups|digest|agenda <db url> <slack api url> [options]');
  const deps = instance(url, apiUrl, systemClock);
  const client = appClient({ apiUrl } as FakeSlack);
  if (job === 'digest') await runDigestJob(deps, client);
  else if (job === 'agenda')
    await deliverMorningAgendas(deps, client, JSON.parse(options ?? '{}') as AgendaDeliveryOptions);
  else await deliverDueFollowUps(deps, client, JSON.parse(options ?? '{}') as FollowUpDeliveryOptions);
  await deps.db.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
