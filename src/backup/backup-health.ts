import type { AppDeps } from '../deps';
import { backupSettings } from './backup-settings';
import { backupFreshness } from './freshness';

/**
 * The backup part of /healthz: how old the last good backup is. No path, file name or
 * error text: the endpoint is unauthenticated, the logs carry the details.
 */
export type BackupHealth =
  | { mode: 'sqlite'; lastGoodAt: string | null; ageSeconds: number | null; stale: boolean; intervalHours: number }
  | { mode: 'sqlite'; status: 'unknown' }
  | { mode: 'external' }
  | { mode: 'off' };

export async function backupHealth(deps: Pick<AppDeps, 'config' | 'db' | 'clock' | 'logger'>): Promise<BackupHealth> {
  const settings = backupSettings(deps.config);
  if (settings.mode !== 'sqlite') return { mode: settings.mode };
  try {
    const now = deps.clock.now();
    const { lastGoodAt, stale } = await backupFreshness(deps.db.prisma, settings.intervalMs, now);
    return {
      mode: 'sqlite',
      lastGoodAt: lastGoodAt?.toISOString() ?? null,
      ageSeconds: lastGoodAt ? Math.max(0, Math.round((now.getTime() - lastGoodAt.getTime()) / 1000)) : null,
      stale,
      intervalHours: settings.intervalMs / 3_600_000,
    };
  } catch (err) {
    deps.logger.warn({ err }, 'could not read the backup status for /healthz');
    return { mode: 'sqlite', status: 'unknown' };
  }
}
