import type { Clock } from '../../clock';
import { UserFacingError } from '../../common/errors';
import type { AgendaSchedule } from '../../common/setting-schemas';
import { isTimeOfDay } from '../../common/zoned-time';
import type { CrmPrisma } from '../../db/client';

/**
 * Each person's morning agenda: on unless they turned it off, at their own time or the
 * team's (the admins' agenda_schedule setting), on the team's workdays, in their own Slack
 * time zone.
 */
export interface AgendaSetting {
  enabled: boolean;
  /** Their own "HH:MM"; null: the team's. */
  timeOfDay: string | null;
  teamTime: string;
  /** ISO weekdays the agenda goes out on (the team's). */
  workdays: number[];
}

export async function agendaSettingOf(
  prisma: CrmPrisma,
  userId: string,
  schedule: AgendaSchedule,
): Promise<AgendaSetting> {
  const row = await prisma.agendaPreference.findUnique({ where: { userId } });
  return agendaSettingFrom(row, schedule);
}

/** The setting from someone's stored preference (null: never set) and the team's schedule. */
export function agendaSettingFrom(
  row: { enabled: boolean; timeOfDay: string | null } | null,
  schedule: AgendaSchedule,
): AgendaSetting {
  return {
    enabled: row?.enabled ?? true,
    timeOfDay: row?.timeOfDay ?? null,
    teamTime: schedule.time,
    workdays: schedule.workdays,
  };
}

/** Sets someone's own agenda time ("HH:MM"); a bad time is refused with a message for them. */
export async function setAgendaTime(prisma: CrmPrisma, clock: Clock, userId: string, time: string): Promise<void> {
  if (!isTimeOfDay(time)) throw new UserFacingError('The agenda time must be a time of day such as 08:30.');
  const now = clock.now();
  await prisma.agendaPreference.upsert({
    where: { userId },
    create: { userId, timeOfDay: time, enabled: true, updatedAt: now },
    update: { timeOfDay: time, updatedAt: now },
  });
}

export async function setAgendaEnabled(
  prisma: CrmPrisma,
  clock: Clock,
  userId: string,
  enabled: boolean,
): Promise<void> {
  const now = clock.now();
  await prisma.agendaPreference.upsert({
    where: { userId },
    create: { userId, enabled, updatedAt: now },
    update: { enabled, updatedAt: now },
  });
}
