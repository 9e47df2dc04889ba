import type { CrmPrisma } from '../../db/client';
import { countFollowUpsByOwner, earliestDueByOwner } from '../../db/follow-up-aggregates';
import { oldestUnansweredByOwner } from '../../db/follow-up-overdue';
import { describeSchedule } from './schedule';

/** One line of "My follow-ups". */
export interface FollowUpListItem {
  followUpId: number;
  leadId: number;
  leadName: string;
  message: string;
  scheduleText: string;
  timeZone: string;
  /** overdue: due and not yet sent, or sent and not marked done. */
  state: 'overdue' | 'upcoming';
  /** overdue: since when; upcoming: when next due. */
  at: Date | null;
}

export interface FollowUpList {
  items: FollowUpListItem[];
  overdue: number;
  upcoming: number;
}

/** The oldest reminder sent and not yet marked Done (or snoozed) of a follow-up. */
const oldestUnansweredDelivery = {
  where: { status: 'sent' },
  orderBy: { occurrenceAt: 'asc' },
  take: 1,
  select: { occurrenceAt: true },
} as const;

/**
 * Since when an active follow-up is overdue, or null when it is not: the earlier of its oldest
 * unanswered reminder (sending moves nextDueAt on, so that alone would miss it) and its
 * next occurrence when that is due and not yet sent.
 */
function overdueSince(a: { nextDueAt: Date | null; deliveries: { occurrenceAt: Date }[] }, now: Date): Date | null {
  const unanswered = a.deliveries[0]?.occurrenceAt ?? null;
  const dueNow = a.nextDueAt && a.nextDueAt.getTime() <= now.getTime() ? a.nextDueAt : null;
  return [unanswered, dueNow].filter((d): d is Date => d !== null).sort((x, y) => x.getTime() - y.getTime())[0] ?? null;
}

/** Most active follow-ups one owner plausibly has; more are counted, not listed. */
const OWNER_SCAN_LIMIT = 500;

/** The owner's active follow-ups: overdue first (oldest first), then upcoming (soonest first). */
export async function listFollowUpsForOwner(
  prisma: CrmPrisma,
  ownerId: string,
  now: Date,
  limit: number,
  /** Whether the owner has any active follow-up, when the caller has just read it. */
  hasAny?: boolean,
): Promise<FollowUpList> {
  // Most Home opens are by owners without follow-ups: one indexed probe answers them, where
  // the read below costs four queries (the relations are read separately) even when empty.
  const any =
    hasAny ??
    (await prisma.followUpAlert.findFirst({ where: { ownerId, active: true }, select: { id: true } })) !== null;
  if (!any) return { items: [], overdue: 0, upcoming: 0 };
  const followUps = await prisma.followUpAlert.findMany({
    where: { ownerId, active: true },
    take: OWNER_SCAN_LIMIT,
    orderBy: { id: 'asc' },
    include: {
      lead: { select: { customer: { select: { name: true } } } },
      deliveries: oldestUnansweredDelivery,
    },
  });
  const all: FollowUpListItem[] = followUps.map((a) => {
    const since = overdueSince(a, now);
    return {
      followUpId: a.id,
      leadId: a.leadId,
      leadName: a.lead.customer.name,
      message: a.message,
      scheduleText: describeSchedule(a),
      timeZone: a.timeZone,
      state: since ? 'overdue' : 'upcoming',
      at: since ?? a.nextDueAt,
    };
  });
  const time = (d: Date | null) => d?.getTime() ?? Number.MAX_SAFE_INTEGER;
  const overdue = all.filter((i) => i.state === 'overdue').sort((x, y) => time(x.at) - time(y.at));
  const upcoming = all.filter((i) => i.state === 'upcoming').sort((x, y) => time(x.at) - time(y.at));
  return { items: [...overdue, ...upcoming].slice(0, limit), overdue: overdue.length, upcoming: upcoming.length };
}

export interface OverdueFollowUps {
  ownerId: string;
  count: number;
  /** When the longest-overdue of them fell due. */
  oldestDueAt: Date;
}

/**
 * Overdue follow-ups per owner (due and unsent, or sent and not done), e.g. for digests:
 * most first, then longest overdue first.
 */
export async function countOverdueFollowUpsByOwner(prisma: CrmPrisma, now: Date): Promise<OverdueFollowUps[]> {
  // Grouped in the database: one row per owner, whatever the number of follow-ups.
  const [counts, dueSince, unanswered] = await Promise.all([
    countFollowUpsByOwner(prisma, {
      active: true,
      OR: [{ nextDueAt: { lte: now } }, { deliveries: { some: { status: 'sent' } } }],
    }),
    earliestDueByOwner(prisma, { active: true, nextDueAt: { lte: now } }),
    oldestUnansweredByOwner(prisma),
  ]);
  const byOwner: OverdueFollowUps[] = [...counts].map(([ownerId, count]) => {
    const since = [dueSince.get(ownerId) ?? null, unanswered.get(ownerId) ?? null]
      .filter((d): d is Date => d !== null)
      .sort((x, y) => x.getTime() - y.getTime())[0]!;
    return { ownerId, count, oldestDueAt: since };
  });
  return byOwner.sort(
    (a, b) =>
      b.count - a.count || a.oldestDueAt.getTime() - b.oldestDueAt.getTime() || a.ownerId.localeCompare(b.ownerId),
  );
}
