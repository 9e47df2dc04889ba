import { ManualClock } from '../../src/clock';
import type { Database } from '../../src/db/client';
import { createFollowUp } from '../../src/domain/follow-ups/follow-ups';
import { openTestDatabase, type Provider } from '../support/databases';
import { seedLead } from '../support/seed-leads';

/**
 * A burst of follow-ups created at once (a team setting them up after a meeting, or many
 * instances behind a load balancer): every one is saved, none refused because the pool's
 * connections were all busy for a moment.
 */
describe.each<Provider>(['sqlite', 'postgres'])('120 follow-ups created at the same moment on %s', (provider) => {
  let db: Database;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const opened = await openTestDatabase(provider);
    db = opened.db;
    cleanup = opened.cleanup;
  });
  afterAll(async () => cleanup());

  it('saves all of them, each with its history line', async () => {
    const clock = new ManualClock('2026-12-07T09:00:00Z');
    const leadIds = await Promise.all(
      Array.from({ length: 12 }, (_, n) => seedLead(db.prisma, { customerId: `BURST-${n}`, name: `Burst ${n} LLC` })),
    );
    const results = await Promise.allSettled(
      Array.from({ length: 120 }, (_, n) =>
        createFollowUp(db.prisma, clock, {
          leadId: leadIds[n % leadIds.length]!,
          ownerId: 'U0BURST',
          createdBy: 'U0BURST',
          message: `Call back ${n}`,
          schedule: { kind: 'once', timeOfDay: '10:00', timeZone: 'UTC', startDate: '2026-12-08' },
          firstDueAt: new Date('2026-12-08T10:00:00Z'),
        }),
      ),
    );
    const refused = results
      .filter((r) => r.status === 'rejected')
      .map((r) => String((r as PromiseRejectedResult).reason));
    expect(refused).toEqual([]);
    expect(await db.prisma.followUpAlert.count({ where: { ownerId: 'U0BURST' } })).toBe(120);
    expect(await db.prisma.activity.count({ where: { kind: 'follow_up', actorId: 'U0BURST' } })).toBe(120);
  });
});
