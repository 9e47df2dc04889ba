import type { AgendaSchedule } from '../../common/setting-schemas';
import {
  formatLocalDate,
  isoWeekdayOf,
  isValidTimeZone,
  localDateTimeOf,
  parseTimeOfDay,
  zonedToInstant,
} from '../../common/zoned-time';
import type { CrmPrisma } from '../../db/client';
import { readUserFactsOf } from '../../db/member-facts';

/**
 * Whose morning agenda is due now. Everyone who may change leads (account managers and
 * admins) gets one, unless they turned it off: on the team's workdays, at their own time or
 * the team's, in their own Slack time zone (from users.info, as cached; the team's zone
 * when Slack never said). An agenda belongs to its recipient's local date, so it goes out
 * once that day whatever the instances do (the AgendaDelivery row is unique per person and
 * day). A late one (downtime) still goes out up to AGENDA_CATCH_UP_MS after its time.
 */

/** After this long past its time a morning agenda is stale news: skipped for the day. */
export const AGENDA_CATCH_UP_MS = 3 * 60 * 60 * 1000;

export interface DueAgenda {
  userId: string;
  timeZone: string;
  /** The recipient's local date, "YYYY-MM-DD": the agenda's key. */
  day: string;
  /** When it was due. */
  dueAt: Date;
}

/** The roles that get an agenda: those who change leads (see canEditLeads). */
const AGENDA_ROLES = ['account_manager', 'admin'];

export async function findDueAgendas(
  prisma: CrmPrisma,
  schedule: AgendaSchedule,
  defaultTimeZone: string,
  now: Date,
): Promise<DueAgenda[]> {
  if (schedule.workdays.length === 0) return [];
  // The roster is people (tens, hundreds): read whole, with their preferences and zones.
  const members = await prisma.rosterMember.findMany({
    where: { role: { in: AGENDA_ROLES } },
    select: { userId: true },
    orderBy: { userId: 'asc' },
  });
  const ids = members.map((m) => m.userId);
  if (ids.length === 0) return [];
  const [prefs, facts] = await Promise.all([
    prisma.agendaPreference.findMany({ where: { userId: { in: ids } } }),
    readUserFactsOf(prisma, ids),
  ]);
  const prefOf = new Map(prefs.map((p) => [p.userId, p]));
  const due: DueAgenda[] = [];
  for (const userId of ids) {
    const pref = prefOf.get(userId);
    if (pref && !pref.enabled) continue;
    const tz = facts.get(userId)?.tz;
    const timeZone = isValidTimeZone(tz) ? tz : defaultTimeZone;
    const minutes = parseTimeOfDay(pref?.timeOfDay ?? schedule.time);
    if (minutes === null) continue;
    const { day } = localDateTimeOf(now, timeZone);
    if (!schedule.workdays.includes(isoWeekdayOf(day))) continue;
    const dueAt = zonedToInstant(day, minutes, timeZone);
    const late = now.getTime() - dueAt.getTime();
    if (late >= 0 && late <= AGENDA_CATCH_UP_MS) due.push({ userId, timeZone, day: formatLocalDate(day), dueAt });
  }
  return due;
}
