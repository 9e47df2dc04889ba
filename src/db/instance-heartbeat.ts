import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { CrmPrisma } from './client';
import { releaseLease, tryAcquireLease } from './leases';

/**
 * Each running app instance keeps a lease row `instance:<id>` renewed in the CRM database.
 * `npm run restore` reads these rows to refuse replacing a database an app is using: in WAL
 * mode an idle app holds no SQLite lock between statements, so a lock attempt would only
 * catch an app in the middle of a write. A clean stop deletes the row; after a crash it
 * expires within INSTANCE_HEARTBEAT_TTL_MS.
 */
export const INSTANCE_LEASE_PREFIX = 'instance:';
export const INSTANCE_HEARTBEAT_EVERY_MS = 20_000;
export const INSTANCE_HEARTBEAT_TTL_MS = 60_000;

export interface InstanceHeartbeat {
  /** Stops renewing and deletes this instance's row. */
  stop(): Promise<void>;
}

export async function beat(prisma: CrmPrisma, instanceId: string, now: Date): Promise<void> {
  await tryAcquireLease(prisma, `${INSTANCE_LEASE_PREFIX}${instanceId}`, instanceId, INSTANCE_HEARTBEAT_TTL_MS, now);
  // Rows of instances that crashed long ago would only pile up.
  await prisma.jobLease.deleteMany({
    where: {
      name: { startsWith: INSTANCE_LEASE_PREFIX },
      expiresAt: { lt: new Date(now.getTime() - INSTANCE_HEARTBEAT_TTL_MS) },
    },
  });
}

/** Writes the first heartbeat before returning, then renews it in the background. */
export async function startInstanceHeartbeat(deps: {
  db: { prisma: CrmPrisma };
  clock: Clock;
  logger: Logger;
  instanceId: string;
}): Promise<InstanceHeartbeat> {
  const { prisma } = deps.db;
  await beat(prisma, deps.instanceId, deps.clock.now());
  let inFlight: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    inFlight = beat(prisma, deps.instanceId, deps.clock.now()).catch((err: unknown) =>
      deps.logger.warn({ err }, 'could not renew the instance heartbeat'),
    );
  }, INSTANCE_HEARTBEAT_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
      await releaseLease(prisma, `${INSTANCE_LEASE_PREFIX}${deps.instanceId}`, deps.instanceId).catch((err: unknown) =>
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
