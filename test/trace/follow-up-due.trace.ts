import { ManualClock } from '../../src/clock';
import { DEFAULT_FOLLOW_UP_DELIVERY, followUpJob } from '../../src/jobs/follow-up-job';
import { migratedSqliteUrl } from '../support/databases';
import { startFakeSlack } from '../support/fake-slack';
import { dmsTo, instanceDeps, seedFollowUp, seedLead, slackClient } from '../support/follow-up-fixtures';
import { coverageRecorder } from './coverage';
import { printTrace } from './print';

/** A due follow-up's DM: the job run directly, as the tests run it (the schedule read by hand). */
it('follow-up DM due', async () => {
  const slack = await startFakeSlack();
  const target = await migratedSqliteUrl();
  const clock = new ManualClock('2026-03-02T04:00:00Z');
  const deps = instanceDeps(target.url, clock);
  const client = slackClient(slack);
  const job = followUpJob(DEFAULT_FOLLOW_UP_DELIVERY);
  slack.addUser({ id: 'U0AM0001', tz: 'Asia/Dubai' });
  const rec = await coverageRecorder();
  for (const [i, time] of ['09:00', '10:00'].entries()) {
    const leadId = await seedLead(deps.db.prisma, `Trace ${i}`);
    await seedFollowUp(deps, leadId, 'U0AM0001', { kind: 'once', timeOfDay: time, timeZone: 'Asia/Dubai' });
  }
  clock.set('2026-03-02T05:00:20Z');
  await job.run(deps, client); // warm-up: the 09:00 one
  clock.set('2026-03-02T06:00:20Z');
  await rec.start();
  await job.run(deps, client);
  printTrace('Follow-up DM due', await rec.files());
  expect(dmsTo(slack, 'U0AM0001')).toHaveLength(2);
  await rec.stop();
  await deps.db.close();
  await slack.close();
  await target.cleanup();
});
