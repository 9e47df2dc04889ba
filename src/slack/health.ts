import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppDeps } from '../deps';
import { backupHealth, type BackupHealth } from '../backup/backup-health';

export interface HealthReport {
  ok: boolean;
  version: string;
  database: { ok: boolean; provider: string; error?: string };
  metabase:
    | { configured: false }
    | { configured: true; lastCall: null | { ok: boolean; at: string; error?: string } };
  backup: BackupHealth;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const version: string = require('../../package.json').version;

/** Database answers? How did the last Metabase call go? Sends Metabase nothing. */
export async function healthReport(deps: AppDeps): Promise<HealthReport> {
  let database: HealthReport['database'];
  try {
    await deps.db.prisma.$queryRawUnsafe('SELECT 1');
    database = { ok: true, provider: deps.db.provider };
  } catch (err) {
    database = { ok: false, provider: deps.db.provider, error: (err as Error).message };
  }
  const last = deps.production?.lastCall() ?? null;
  const metabase: HealthReport['metabase'] = deps.production
    ? { configured: true, lastCall: last && { ok: last.ok, at: last.at.toISOString(), ...(last.error ? { error: last.error } : {}) } }
    : { configured: false };
  return { ok: database.ok, version, database, metabase, backup: await backupHealth(deps) };
}

export function healthRoute(deps: AppDeps) {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      healthReport(deps).then(
        (report) => {
          res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' });
          res.end(JSON.stringify(report));
        },
        (err: Error) => {
          deps.logger.error({ err }, 'health check failed');
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: false, error: err.message }));
        },
      );
    },
  };
}
