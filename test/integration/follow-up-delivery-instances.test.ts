import { ManualClock } from '../../src/clock';
import { DEFAULT_FOLLOW_UP_DELIVERY, followUpJob } from '../../src/jobs/follow-up-job';
import { migratedDatabaseUrl, type Provider } from '../support/databases';
import { startFakeSlack } from '../support/fake-slack';
import { instanceDeps, seedFollowUp, seedLead, slackClient } from '../support/follow-up-fixtures';

// Small batches so the two instances contend for the same occurrences many times over.
const job = followUpJob({ ...DEFAULT_FOLLOW_UP_DELIVERY, maxPerSecond: 2000, concurrency: 8, batchSize: 15 });

describe.each<Provider>(['sqlite', 'postgres'])('two app instances on one %s database', (provider) => {
  it('deliver every due follow-up exactly once when their ticks run at the same time', async () => {
    const slack = await startFakeSlack();
    const target = await migratedDatabaseUrl(provider);
    const clockA = new ManualClock('2026-03-02T08:00:00Z');
    const clockB = new ManualClock('2026-03-02T08:00:00Z');
    const a = instanceDeps(target.url, clockA);
    const b = instanceDeps(target.url, clockB);
    try {
      const owners = Array.from({ length: 120 }, (_, i) => `U0AM${String(i).padStart(5, '0')}`);
      for (const id of owners) slack.addUser({ id, tz: 'Europe/London' });
      const leadId = await seedLead(a.db.prisma, 'Shared Co');
      for (const owner of owners) {
        await seedFollowUp(a, leadId, owner, {
          kind: 'every_days',
          interval: 1,
          startDate: '2026-03-02',
          timeOfDay: '09:00',
          timeZone: 'Europe/London',
        });
      }
      for (const day of ['2026-03-02T09:00:30Z', '2026-03-03T09:00:30Z']) {
        clockA.set(day);
        clockB.set(day);
        await Promise.all([job.run(a, slackClient(slack)), job.run(b, slackClient(slack))]);
      }
      const perOwner = new Map<string, number>();
      for (const c of slack.callsTo('chat.postMessage'))
        perOwner.set(c.args.channel, (perOwner.get(c.args.channel) ?? 0) + 1);
      expect(perOwner.size).toBe(120);
      expect([...perOwner.values()].every((n) => n === 2)).toBe(true);
      expect(await a.db.prisma.alertDelivery.count({ where: { status: 'sent' } })).toBe(240);
      // Guest status is asked of Slack once per owner a day (the cache is shared by the instances).
      expect(slack.callsTo('users.info')).toHaveLength(240);
      const cached = await a.db.prisma.slackUserCache.findMany({ where: { userId: { in: owners } } });
      expect(cached.map((c) => [c.tz, c.isRestricted, c.fetchedAt.toISOString().slice(0, 10)])).toEqual(
        owners.map(() => ['Europe/London', false, '2026-03-03']),
      );
    } finally {
      await a.db.close();
      await b.db.close();
      await slack.close();
      await target.cleanup();
    }
  });
});
