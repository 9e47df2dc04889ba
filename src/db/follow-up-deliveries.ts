import { Prisma } from '../generated/sqlite/client';
import { jsonRowsTable, rawDate } from './bulk-rows';
import type { CrmPrisma, CrmTx, Database } from './client';

/** One occurrence to claim: a follow-up (the FollowUpAlert row) and when it fell due. */
export interface OccurrenceToClaim {
  followUpId: number;
  occurrenceAt: Date;
}

export interface ClaimRow {
  deliveryId: number;
  followUpId: number;
  attempts: number;
  checkFrom: Date | null;
}

/**
 * Inserts the AlertDelivery rows of `due` for `holder` in one statement, or takes over those
 * whose earlier claim expired unsent. Returns the rows now held. A takeover inherits the
 * previous holder's doubt: if it never said its post failed (claimedAt still set), that
 * post may be in Slack, so checkFrom is set.
 */
export async function insertClaims(
  prisma: CrmPrisma,
  due: readonly OccurrenceToClaim[],
  holder: string,
  now: Date,
  leaseUntil: Date,
): Promise<ClaimRow[]> {
  const values = Prisma.join(
    due.map(
      (d) => Prisma.sql`(${d.followUpId}, ${d.occurrenceAt}, ${holder}, ${leaseUntil}, 1, 'claimed', ${now}, ${now})`,
    ),
  );
  const rows = await prisma.$queryRaw<
    { id: number | bigint; alertId: number | bigint; attempts: number | bigint; checkFrom: unknown }[]
  >`
    INSERT INTO "AlertDelivery" ("alertId", "occurrenceAt", "claimedBy", "leaseUntil", "attempts", "status", "claimedAt", "createdAt")
    VALUES ${values}
    ON CONFLICT ("alertId", "occurrenceAt") DO UPDATE
      SET "claimedBy" = excluded."claimedBy", "leaseUntil" = excluded."leaseUntil", "attempts" = "AlertDelivery"."attempts" + 1,
          "checkFrom" = COALESCE("AlertDelivery"."checkFrom", "AlertDelivery"."claimedAt"), "claimedAt" = excluded."claimedAt"
      WHERE "AlertDelivery"."status" = 'claimed' AND "AlertDelivery"."leaseUntil" <= ${now}
    RETURNING "id", "alertId", "attempts", "checkFrom"`;
  return rows.map((r) => ({
    deliveryId: Number(r.id),
    followUpId: Number(r.alertId),
    attempts: Number(r.attempts),
    checkFrom: rawDate(r.checkFrom),
  }));
}

/** Marks `holder`'s deliveries sent, each with where its post landed: one statement, the rows as one JSON parameter. */
export async function markDeliveriesSent(
  db: Pick<Database, 'provider'>,
  tx: CrmTx,
  sent: readonly { deliveryId: number; channel: string; messageTs: string }[],
  holder: string,
  now: Date,
): Promise<void> {
  const rows = jsonRowsTable(
    db.provider,
    sent.map((s) => [s.deliveryId, s.channel, s.messageTs]),
    [
      { name: 'id', type: 'int' },
      { name: 'channel', type: 'text' },
      { name: 'messageTs', type: 'text' },
    ],
  );
  await tx.$executeRaw`
    UPDATE "AlertDelivery"
    SET "status" = 'sent', "sentAt" = ${now}, "lastError" = NULL, "channel" = r."channel", "messageTs" = r."messageTs"
    FROM ${rows} AS r
    WHERE "AlertDelivery"."id" = r."id" AND "AlertDelivery"."claimedBy" = ${holder}`;
}

/**
 * Moves each follow-up from the occurrence just sent to its next one, in one statement, only
 * where nobody moved nextDueAt meanwhile (an edit or a snooze wins).
 */
export async function advanceNextDue(
  db: Pick<Database, 'provider'>,
  tx: CrmTx,
  advances: readonly [followUpId: number, sentOccurrence: Date, next: Date | null][],
  now: Date,
): Promise<void> {
  const rows = jsonRowsTable(db.provider, advances, [
    { name: 'id', type: 'int' },
    { name: 'occurrenceAt', type: 'datetime' },
    { name: 'next', type: 'datetime' },
  ]);
  await tx.$executeRaw`
    UPDATE "FollowUpAlert"
    SET "nextDueAt" = r."next", "updatedAt" = ${now}
    FROM ${rows} AS r
    WHERE "FollowUpAlert"."id" = r."id" AND "FollowUpAlert"."nextDueAt" = r."occurrenceAt"`;
}
