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

/** Unanswered reminders read per query while looking for the follow-ups unanswered longest. */
const UNANSWERED_PAGE = 100;

/**
 * The owner's active follow-ups: overdue first (oldest first), then upcoming (soonest first),
 * the first `limit` of them, with how many of each there are. Counted in the database and
 * read as candidates only, so an owner with thousands of follow-ups (an account manager who
 * took over a colleague's book) sees every one of them counted and the right ones listed.
 */
export async function listFollowUpsForOwner(
  prisma: CrmPrisma,
  ownerId: string,
  now: Date,
  limit: number,
  /** Whether the owner has any active follow-up, when the caller has just read it. */
  hasAny?: boolean,
): Promise<FollowUpList> {
  // Most Home opens are by owners without follow-ups: one indexed probe answers them, where
  // the reads below cost several queries even when empty.
  const any =
    hasAny ??
    (await prisma.followUpAlert.findFirst({ where: { ownerId, active: true }, select: { id: true } })) !== null;
  if (!any) return { items: [], overdue: 0, upcoming: 0 };
  const mine = { ownerId, active: true };
  const unanswered = { deliveries: { some: { status: 'sent' } } };
  const [total, overdue, dueFirst, unansweredFirst, upcomingFirst] = await Promise.all([
    prisma.followUpAlert.count({ where: mine }),
    prisma.followUpAlert.count({ where: { ...mine, OR: [{ nextDueAt: { lte: now } }, unanswered] } }),
    // Overdue since an occurrence due and not sent: the `limit` due longest ago.
    prisma.followUpAlert.findMany({
      where: { ...mine, nextDueAt: { lte: now } },
      orderBy: [{ nextDueAt: 'asc' }, { id: 'asc' }],
      take: limit,
      select: { id: true },
    }),
    followUpsUnansweredLongest(prisma, ownerId, limit),
    // Upcoming: nothing due, nothing unanswered; the `limit` due soonest (never-due ones after them).
    prisma.followUpAlert.findMany({
      where: {
        ...mine,
        OR: [{ nextDueAt: { gt: now } }, { nextDueAt: null }],
        deliveries: { none: { status: 'sent' } },
      },
      orderBy: [{ nextDueAt: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
      take: limit,
      select: { id: true },
    }),
  ]);
  // An overdue follow-up's since is the earlier of its due time and its oldest unanswered
  // reminder, so the `limit` overdue longest are among the `limit` first of each kind.
  const ids = [...new Set([...dueFirst.map((f) => f.id), ...unansweredFirst, ...upcomingFirst.map((f) => f.id)])];
  const followUps = await prisma.followUpAlert.findMany({
    where: { id: { in: ids } },
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
  const order = (x: FollowUpListItem, y: FollowUpListItem) => time(x.at) - time(y.at) || x.followUpId - y.followUpId;
  const listed = [
    ...all.filter((i) => i.state === 'overdue').sort(order),
    ...all.filter((i) => i.state === 'upcoming').sort(order),
  ];
  return { items: listed.slice(0, limit), overdue, upcoming: total - overdue };
}

/**
 * Ids of the owner's active follow-ups with a reminder sent and not answered, up to `limit`,
 * the one unanswered longest first: their reminders read oldest first, a page at a time.
 */
async function followUpsUnansweredLongest(prisma: CrmPrisma, ownerId: string, limit: number): Promise<number[]> {
  const ids = new Set<number>();
  let after: { occurrenceAt: Date; id: number } | null = null;
  for (;;) {
    const page: { id: number; alertId: number; occurrenceAt: Date }[] = await prisma.alertDelivery.findMany({
      where: {
        status: 'sent',
        alert: { ownerId, active: true },
        ...(after
          ? {
              OR: [
                { occurrenceAt: { gt: after.occurrenceAt } },
                { occurrenceAt: after.occurrenceAt, id: { gt: after.id } },
              ],
            }
          : {}),
      },
      orderBy: [{ occurrenceAt: 'asc' }, { id: 'asc' }],
      take: UNANSWERED_PAGE,
      select: { id: true, alertId: true, occurrenceAt: true },
    });
    for (const d of page) {
      ids.add(d.alertId);
      if (ids.size >= limit) return [...ids];
    }
    if (page.length < UNANSWERED_PAGE) return [...ids];
    const last = page[page.length - 1]!;
    after = { occurrenceAt: last.occurrenceAt, id: last.id };
  }
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
