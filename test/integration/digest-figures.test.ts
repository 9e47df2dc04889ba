import type { CrmPrisma } from '../../src/db/client';
import { computeDigestFigures, loadLastSnapshot, saveSnapshot } from '../../src/domain/digest-figures';
import { claimDigestRun, markDigestFailed, markDigestPosted } from '../../src/domain/digest-runs';
import { DEFAULT_STALE_THRESHOLDS } from '../../src/domain/settings';
import { openTestDatabase, type Provider } from '../support/databases';

const now = new Date('2026-11-25T09:00:00Z');
const from = new Date('2026-11-24T09:00:00Z');
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const rateDate = day('2026-11-20');

async function customerWithLead(
  prisma: CrmPrisma,
  c: {
    id: string;
    name: string;
    usd: bigint;
    lastOrderAt: Date;
    unknown?: string;
    stage: string;
    lastTouchAt?: Date;
    createdAt: Date;
    ownerId?: string;
  },
): Promise<number> {
  await prisma.customerFigures.create({
    data: {
      customerId: c.id,
      name: c.name,
      markets: 'AE',
      orderCount: 3,
      lifetimeUsdCents: c.usd,
      unknownCurrencies: c.unknown ?? '',
      lastOrderAt: c.lastOrderAt,
      rateDate,
      searchText: c.name.toLowerCase(),
    },
  });
  const lead = await prisma.lead.create({
    data: {
      customerId: c.id,
      stage: c.stage,
      lastTouchAt: c.lastTouchAt ?? null,
      createdAt: c.createdAt,
      ownerId: c.ownerId ?? null,
    },
  });
  return lead.id;
}

async function followUp(
  prisma: CrmPrisma,
  leadId: number,
  ownerId: string,
  nextDueAt: Date,
  active = true,
): Promise<number> {
  const created = await prisma.followUpAlert.create({
    data: {
      leadId,
      ownerId,
      message: 'call',
      kind: 'once',
      timeOfDay: '09:00',
      timeZone: 'UTC',
      startDate: '2026-11-01',
      nextDueAt,
      active,
      createdBy: ownerId,
    },
  });
  return created.id;
}

async function reminder(prisma: CrmPrisma, followUpId: number, occurrenceAt: Date, status: string): Promise<void> {
  await prisma.alertDelivery.create({
    data: {
      alertId: followUpId,
      occurrenceAt,
      claimedBy: 'test',
      leaseUntil: occurrenceAt,
      attempts: 1,
      status,
      sentAt: occurrenceAt,
    },
  });
}

/** A small CRM whose digest figures are known by hand (see each expectation). */
async function seed(prisma: CrmPrisma): Promise<void> {
  // New in the period, ordered recently, never touched.
  const acme = await customerWithLead(prisma, {
    id: 'c1',
    name: 'ACME',
    usd: 500_000n,
    lastOrderAt: day('2026-11-20'),
    stage: 'lead',
    createdAt: new Date('2026-11-24T12:00:00Z'),
  });
  // Last order 7 months ago: not a recent buyer; never touched for 55 days: stale.
  await customerWithLead(prisma, {
    id: 'c2',
    name: 'Beta',
    usd: 300_000n,
    lastOrderAt: day('2026-05-01'),
    stage: 'lead',
    createdAt: day('2026-10-01'),
  });
  // Moved to contacted in the period; a currency it could not convert.
  const gamma = await customerWithLead(prisma, {
    id: 'c3',
    name: 'Gamma',
    usd: 900_000n,
    unknown: 'XYZ',
    lastOrderAt: day('2026-11-01'),
    stage: 'contacted',
    lastTouchAt: new Date('2026-11-24T15:00:00Z'),
    createdAt: day('2026-10-01'),
  });
  // Negotiation, last touch 15 days ago (threshold 7): stale.
  const delta = await customerWithLead(prisma, {
    id: 'c4',
    name: 'Delta',
    usd: 100_000n,
    lastOrderAt: day('2026-11-15'),
    stage: 'negotiation',
    lastTouchAt: day('2026-11-10'),
    createdAt: day('2026-10-01'),
    ownerId: 'U0AM2',
  });
  // Biggest uncontacted recent buyer, and stale (created 24 days ago, never touched).
  await customerWithLead(prisma, {
    id: 'c5',
    name: 'Eps',
    usd: 700_000n,
    lastOrderAt: day('2026-11-22'),
    stage: 'lead',
    createdAt: day('2026-11-01'),
  });

  await prisma.activity.create({
    data: {
      leadId: gamma,
      actorId: 'U0AM1',
      kind: 'stage_change',
      fromValue: 'lead',
      toValue: 'contacted',
      isTouch: true,
      createdAt: new Date('2026-11-24T15:00:00Z'),
    },
  });
  // Before the period: not a movement of this digest.
  await prisma.activity.create({
    data: {
      leadId: delta,
      actorId: 'U0AM2',
      kind: 'stage_change',
      fromValue: 'contacted',
      toValue: 'negotiation',
      isTouch: true,
      createdAt: day('2026-11-10'),
    },
  });
  await prisma.activity.create({
    data: {
      leadId: acme,
      actorId: 'U0AM1',
      kind: 'note',
      text: 'hello',
      isTouch: false,
      createdAt: new Date('2026-11-24T16:00:00Z'),
    },
  });

  await followUp(prisma, acme, 'U0AM1', day('2026-11-20'));
  await followUp(prisma, delta, 'U0AM1', day('2026-11-24'));
  await followUp(prisma, acme, 'U0AM1', day('2026-11-30'));
  await followUp(prisma, delta, 'U0AM2', day('2026-11-23'));
  await followUp(prisma, delta, 'U0AM3', day('2026-11-01'), false);
}

describe.each<Provider>(['sqlite', 'postgres'])('digest figures on %s', (provider) => {
  it('computes pipeline, changes, movements, new, uncontacted, overdue, stale and rate dates of a known dataset', async () => {
    const { db, cleanup } = await openTestDatabase(provider);
    try {
      await seed(db.prisma);
      const previous = {
        takenAt: from,
        periodKey: 'daily:2026-11-24',
        stages: { lead: { count: 1, usdCents: 500_000n } },
      };
      const f = await computeDigestFigures(db.prisma, {
        from,
        to: now,
        now,
        staleThresholds: DEFAULT_STALE_THRESHOLDS,
        previous,
      });

      const bySlug = Object.fromEntries(f.pipeline.map((s) => [s.slug, s]));
      expect(bySlug.lead).toMatchObject({
        count: 3,
        usdCents: 1_500_000n,
        countChange: 2,
        usdChange: 1_000_000n,
        incompleteCount: 0,
      });
      expect(bySlug.contacted).toMatchObject({
        count: 1,
        usdCents: 900_000n,
        countChange: 1,
        usdChange: 900_000n,
        incompleteCount: 1,
        unknownCurrencies: ['XYZ'],
      });
      expect(bySlug.negotiation).toMatchObject({ count: 1, usdCents: 100_000n });
      expect(bySlug.churned).toMatchObject({ count: 0, usdCents: 0n, countChange: 0 });

      expect(f.movements.total).toBe(1);
      expect(f.movements.latest[0]).toMatchObject({
        actorId: 'U0AM1',
        customerName: 'Gamma',
        fromStage: 'lead',
        toStage: 'contacted',
      });
      expect(f.movements.paths).toEqual([{ fromStage: 'lead', toStage: 'contacted', count: 1 }]);
      expect(f.newLeads.total).toBe(1);
      expect(f.newLeads.top.map((l) => l.name)).toEqual(['ACME']);
      expect(f.uncontacted.total).toBe(2);
      expect(f.uncontacted.top.map((l) => l.name)).toEqual(['Eps', 'ACME']);
      expect(f.overdue).toEqual({
        total: 3,
        byOwner: [
          { ownerId: 'U0AM1', count: 2, oldestDueAt: day('2026-11-20') },
          { ownerId: 'U0AM2', count: 1, oldestDueAt: day('2026-11-23') },
        ],
      });
      expect(f.stale.total).toBe(3);
      expect(f.stale.byStage).toEqual([
        { slug: 'lead', thresholdDays: 14, count: 2 },
        { slug: 'negotiation', thresholdDays: 7, count: 1 },
      ]);
      expect(f.stale.top.map((l) => l.name)).toEqual(['Eps', 'Beta', 'Delta']);
      expect(f.rates).toEqual({ oldest: rateDate, newest: rateDate });

      // The snapshot round-trips and becomes the next digest's baseline.
      await saveSnapshot(db.prisma, f, 'daily:2026-11-25');
      const snap = await loadLastSnapshot(db.prisma);
      expect(snap?.stages.lead).toEqual({ count: 3, usdCents: 1_500_000n });
      const next = await computeDigestFigures(db.prisma, {
        from: now,
        to: now,
        now,
        staleThresholds: DEFAULT_STALE_THRESHOLDS,
        previous: snap,
      });
      expect(next.pipeline.every((s) => s.countChange === 0 && s.usdChange === 0n)).toBe(true);
    } finally {
      await cleanup();
    }
  });

  it('counts a follow-up whose reminder was sent but not marked Done as overdue since that reminder', async () => {
    const { db, cleanup } = await openTestDatabase(provider);
    try {
      const lead = await customerWithLead(db.prisma, {
        id: 'c1',
        name: 'ACME',
        usd: 1n,
        lastOrderAt: day('2026-01-01'),
        stage: 'active_account',
        createdAt: day('2026-01-01'),
        lastTouchAt: day('2026-11-24'),
      });
      // Weekly: sent on the 18th and the 25th at 09:00 (now), never answered; sending moved nextDueAt to next week.
      const unanswered = await followUp(db.prisma, lead, 'U0AM1', day('2026-12-02'));
      await reminder(db.prisma, unanswered, new Date('2026-11-18T09:00:00Z'), 'sent');
      await reminder(db.prisma, unanswered, new Date('2026-11-25T09:00:00Z'), 'sent');
      // Answered (Done or snoozed): not overdue.
      const done = await followUp(db.prisma, lead, 'U0AM2', day('2026-12-02'));
      await reminder(db.prisma, done, new Date('2026-11-18T09:00:00Z'), 'done');
      const snoozed = await followUp(db.prisma, lead, 'U0AM2', day('2026-11-26'));
      await reminder(db.prisma, snoozed, new Date('2026-11-18T09:00:00Z'), 'snoozed');
      // Sent and unanswered, but cancelled since: not overdue.
      const cancelled = await followUp(db.prisma, lead, 'U0AM3', day('2026-12-02'), false);
      await reminder(db.prisma, cancelled, new Date('2026-11-18T09:00:00Z'), 'sent');

      const f = await computeDigestFigures(db.prisma, {
        from,
        to: now,
        now,
        staleThresholds: DEFAULT_STALE_THRESHOLDS,
        previous: null,
      });
      expect(f.overdue).toEqual({
        total: 1,
        byOwner: [{ ownerId: 'U0AM1', count: 1, oldestDueAt: new Date('2026-11-18T09:00:00Z') }],
      });
    } finally {
      await cleanup();
    }
  });

  it('lets exactly one of several instances claim a period, and another take over only after a failure backs off', async () => {
    const { db, cleanup } = await openTestDatabase(provider);
    try {
      const claims = await Promise.all(
        ['a', 'b', 'c', 'd'].map((holder) =>
          claimDigestRun(db.prisma, { periodKey: 'daily:2026-11-25', channel: 'C1', holder, now }),
        ),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      const winner = ['a', 'b', 'c', 'd'][claims.indexOf(true)]!;
      await markDigestFailed(db.prisma, 'daily:2026-11-25', winner, 'not_in_channel', now);
      const soon = new Date(now.getTime() + 60_000);
      expect(
        await claimDigestRun(db.prisma, { periodKey: 'daily:2026-11-25', channel: 'C1', holder: 'z', now: soon }),
      ).toBe(false);
      const later = new Date(now.getTime() + 11 * 60_000);
      expect(
        await claimDigestRun(db.prisma, { periodKey: 'daily:2026-11-25', channel: 'C1', holder: 'z', now: later }),
      ).toBe(true);
      await markDigestPosted(db.prisma, 'daily:2026-11-25', 'z', later, '1.2');
      const muchLater = new Date(now.getTime() + 60 * 60_000);
      expect(
        await claimDigestRun(db.prisma, { periodKey: 'daily:2026-11-25', channel: 'C1', holder: 'y', now: muchLater }),
      ).toBe(false);
    } finally {
      await cleanup();
    }
  });
});
