import type { Database } from '../../src/db/client';
import { listFollowUpsForOwner } from '../../src/domain/follow-ups/listing';
import { openTestDatabase, type Provider } from '../support/databases';
import { seedLead } from '../support/seed-leads';

const NOW = new Date('2026-12-07T09:00:00Z');
const HOUR = 3_600_000;
const OWNER = 'U0MANYFU';

/**
 * "My follow-ups" of an account manager who took over a colleague's book: more follow-ups
 * than a Home section shows, some overdue among the last created.
 */
describe.each<Provider>(['sqlite', 'postgres'])('My follow-ups of an owner with 700 on %s', (provider) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let unansweredId: number;
  let lateDueIds: number[];

  beforeAll(async () => {
    const opened = await openTestDatabase(provider);
    db = opened.db;
    cleanup = opened.cleanup;
    const leadId = await seedLead(db.prisma, { customerId: 'MANY-1', name: 'Many Follow-ups Trading' });
    const base = {
      leadId,
      ownerId: OWNER,
      kind: 'every_weeks',
      interval: 2,
      timeOfDay: '09:00',
      timeZone: 'Asia/Dubai',
      startDate: '2026-01-05',
      active: true,
      createdBy: OWNER,
      createdAt: NOW,
      updatedAt: NOW,
    };
    // 690 upcoming, due in 1..690 hours, created first.
    await db.prisma.followUpAlert.createMany({
      data: Array.from({ length: 690 }, (_, n) => ({
        ...base,
        message: `Upcoming ${n}`,
        nextDueAt: new Date(NOW.getTime() + (n + 1) * HOUR),
      })),
    });
    // 9 due and not sent, created last: overdue since 1..9 days ago.
    await db.prisma.followUpAlert.createMany({
      data: Array.from({ length: 9 }, (_, n) => ({
        ...base,
        message: `Due ${n}`,
        nextDueAt: new Date(NOW.getTime() - (n + 1) * 24 * HOUR),
      })),
    });
    lateDueIds = (
      await db.prisma.followUpAlert.findMany({ where: { message: { startsWith: 'Due ' } }, select: { id: true } })
    ).map((f) => f.id);
    // The very last: its next occurrence is ahead, but a reminder sent 30 days ago was never answered.
    const unanswered = await db.prisma.followUpAlert.create({
      data: { ...base, message: 'Unanswered', nextDueAt: new Date(NOW.getTime() + 2 * HOUR) },
    });
    unansweredId = unanswered.id;
    await db.prisma.alertDelivery.create({
      data: {
        alertId: unanswered.id,
        occurrenceAt: new Date(NOW.getTime() - 30 * 24 * HOUR),
        claimedBy: 'test',
        leaseUntil: NOW,
        status: 'sent',
        sentAt: new Date(NOW.getTime() - 30 * 24 * HOUR),
      },
    });
  }, 60_000);
  afterAll(() => cleanup());

  it('counts every follow-up and lists the overdue longest first, however many were created before them', async () => {
    const list = await listFollowUpsForOwner(db.prisma, OWNER, NOW, 5);
    expect({ overdue: list.overdue, upcoming: list.upcoming }).toEqual({ overdue: 10, upcoming: 690 });
    expect(list.items.map((i) => i.message)).toEqual(['Unanswered', 'Due 8', 'Due 7', 'Due 6', 'Due 5']);
    expect(list.items.every((i) => i.state === 'overdue')).toBe(true);
    expect(list.items[0]).toMatchObject({ followUpId: unansweredId, at: new Date(NOW.getTime() - 30 * 24 * HOUR) });
    expect(lateDueIds).toContain(list.items[1]!.followUpId);
  });

  it('after the overdue ones, the upcoming soonest first', async () => {
    const list = await listFollowUpsForOwner(db.prisma, OWNER, NOW, 12);
    expect(list.items.map((i) => i.message)).toEqual([
      'Unanswered',
      ...[8, 7, 6, 5, 4, 3, 2, 1, 0].map((n) => `Due ${n}`),
      'Upcoming 0',
      'Upcoming 1',
    ]);
    expect(list.items.slice(-2).map((i) => i.state)).toEqual(['upcoming', 'upcoming']);
  });
});
