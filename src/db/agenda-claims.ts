import { Prisma } from '../generated/sqlite/client';
import { rawDate } from './bulk-rows';
import type { CrmPrisma } from './client';

/**
 * Claims of morning agendas (AgendaDelivery, unique per person and local day), in one
 * statement for a batch: a new one is inserted; one whose claim expired unsent is taken over,
 * inheriting the previous holder's doubt (if it never said its post failed, `claimedAt` is
 * still set and becomes `checkFrom`: the DM is looked for before anything is posted). The
 * same SQL on SQLite and PostgreSQL.
 */
export interface AgendaClaimRow {
  deliveryId: number;
  userId: string;
  day: string;
  attempts: number;
  checkFrom: Date | null;
}

export async function claimAgendaRows(
  prisma: CrmPrisma,
  wanted: { userId: string; day: string }[],
  holder: string,
  now: Date,
  leaseMs: number,
): Promise<AgendaClaimRow[]> {
  if (wanted.length === 0) return [];
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const values = Prisma.join(
    wanted.map((w) => Prisma.sql`(${w.userId}, ${w.day}, ${holder}, ${leaseUntil}, 1, 'claimed', ${now}, ${now})`),
  );
  const rows = await prisma.$queryRaw<
    { id: number | bigint; userId: string; day: string; attempts: number | bigint; checkFrom: Date | string | null }[]
  >`
    INSERT INTO "AgendaDelivery" ("userId", "day", "claimedBy", "leaseUntil", "attempts", "status", "claimedAt", "createdAt")
    VALUES ${values}
    ON CONFLICT ("userId", "day") DO UPDATE
      SET "claimedBy" = excluded."claimedBy", "leaseUntil" = excluded."leaseUntil", "attempts" = "AgendaDelivery"."attempts" + 1,
          "checkFrom" = COALESCE("AgendaDelivery"."checkFrom", "AgendaDelivery"."claimedAt"), "claimedAt" = excluded."claimedAt"
      WHERE "AgendaDelivery"."status" = 'claimed' AND "AgendaDelivery"."leaseUntil" <= ${now}
    RETURNING "id", "userId", "day", "attempts", "checkFrom"`;
  return rows.map((r) => ({
    deliveryId: Number(r.id),
    userId: r.userId,
    day: r.day,
    attempts: Number(r.attempts),
    checkFrom: rawDate(r.checkFrom),
  }));
}
