import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { CrmPrisma } from './client';
import { type SideWritesDb, sideWritesOf } from './side-writes';

/**
 * Each running app instance keeps a lease row `instance:<id>` renewed in the CRM database.
 * `npm run restore` reads these rows to refuse replacing a database an app is using: in WAL
 * mode an idle app holds no SQLite lock between statements, so a lock attempt would only
 * catch an app in the middle of a write. A clean stop deletes the row; after a crash it
 * expires within INSTANCE_HEARTBEAT_TTL_MS. The row is bookkeeping, written on the side
 * connection (db/side-writes.ts): a heartbeat does not count as a change of the CRM data
 * that Home readers share.
 */
export const INSTANCE_LEASE_PREFIX = 'instance:';
export const INSTANCE_HEARTBEAT_EVERY_MS = 20_000;
export const INSTANCE_HEARTBEAT_TTL_MS = 60_000;

export interface InstanceHeartbeat {
  /** Stops renewing and deletes this instance's row. */
  stop(): Promise<void>;
}

export async function beat(db: SideWritesDb, instanceId: string, now: Date): Promise<void> {
  const side = sideWritesOf(db);
  const p = side.param;
  const name = `${INSTANCE_LEASE_PREFIX}${instanceId}`;
  // As tryAcquireLease (db/leases.ts): taken, or renewed by its holder.
  await side.run(
    `INSERT INTO "JobLease" ("name", "holder", "expiresAt", "updatedAt") VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)})
     ON CONFLICT ("name") DO UPDATE
       SET "holder" = excluded."holder", "expiresAt" = excluded."expiresAt", "updatedAt" = excluded."updatedAt"
       WHERE "JobLease"."expiresAt" <= ${p(5)} OR "JobLease"."holder" = ${p(6)}`,
    [
      name,
      instanceId,
      side.date(new Date(now.getTime() + INSTANCE_HEARTBEAT_TTL_MS)),
      side.date(now),
      side.date(now),
      instanceId,
    ],
  );
  // Rows of instances that crashed long ago would only pile up.
  await side.run(`DELETE FROM "JobLease" WHERE "name" LIKE ${p(1)} AND "expiresAt" < ${p(2)}`, [
    `${INSTANCE_LEASE_PREFIX}%`,
    side.date(new Date(now.getTime() - INSTANCE_HEARTBEAT_TTL_MS)),
  ]);
  // PostgreSQL: the noted CRM writes that no reader needs any more (db/postgres-data-version.ts).
  await db.postgresSideWriter?.pruneDataWrites(now);
}

async function endHeartbeat(db: SideWritesDb, instanceId: string): Promise<void> {
  const side = sideWritesOf(db);
  await side.run(`DELETE FROM "JobLease" WHERE "name" = ${side.param(1)} AND "holder" = ${side.param(2)}`, [
    `${INSTANCE_LEASE_PREFIX}${instanceId}`,
    instanceId,
  ]);
}

/** Writes the first heartbeat before returning, then renews it in the background. */
export async function startInstanceHeartbeat(deps: {
  db: SideWritesDb;
  clock: Clock;
  logger: Logger;
  instanceId: string;
}): Promise<InstanceHeartbeat> {
  const { db } = deps;
  await beat(db, deps.instanceId, deps.clock.now());
  let inFlight: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    inFlight = beat(db, deps.instanceId, deps.clock.now()).catch((err: unknown) =>
      deps.logger.warn({ err }, 'could not renew the instance heartbeat'),
    );
  }, INSTANCE_HEARTBEAT_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
      await endHeartbeat(db, deps.instanceId).catch((err: unknown) =>
        deps.logger.warn({ err }, 'could not clear the instance heartbeat'),
      );
    },
  };
}

export interface LiveInstance {
  instanceId: string;
  /** When it last renewed its heartbeat. */
  renewedAt: Date;
}

/** Instances whose heartbeat has not expired at `now`. */
export async function liveInstances(prisma: CrmPrisma, now: Date): Promise<LiveInstance[]> {
  const rows = await prisma.jobLease.findMany({
    where: { name: { startsWith: INSTANCE_LEASE_PREFIX }, expiresAt: { gt: now } },
    select: { holder: true, updatedAt: true },
  });
  return rows.map((r) => ({ instanceId: r.holder, renewedAt: r.updatedAt }));
}
