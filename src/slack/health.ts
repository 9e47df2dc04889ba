import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppDeps } from '../deps';
import { checkDatabase } from '../db/client';
import { backupHealth, type BackupHealth } from '../backup/backup-health';
import type { SocketConnection } from './socket-receiver';

export interface HealthReport {
  ok: boolean;
  version: string;
  database: { ok: boolean; provider: string; error?: string };
  metabase:
    | { configured: false }
    | { configured: true; lastCall: null | { ok: boolean; at: string; error?: string } };
  /** How Slack reaches the app; in Socket Mode, the socket's state (a reconnect does not make the app unhealthy). */
  slack?: SlackConnectionReport;
  backup: BackupHealth;
}

export type SlackConnectionReport = { mode: 'http' } | { mode: 'socket'; connection: SocketConnection; since: string };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const version: string = require('../../package.json').version;

/** Database answers? How did the last Metabase call go? Sends Metabase nothing. */
export async function healthReport(deps: AppDeps, slack?: () => SlackConnectionReport): Promise<HealthReport> {
  const database = await checkDatabase(deps.db);
  const last = deps.production?.lastCall() ?? null;
  const metabase: HealthReport['metabase'] = deps.production
    ? { configured: true, lastCall: last && { ok: last.ok, at: last.at.toISOString(), ...(last.error ? { error: last.error } : {}) } }
    : { configured: false };
  return { ok: database.ok, version, database, metabase, ...(slack ? { slack: slack() } : {}), backup: await backupHealth(deps) };
}

export function healthRoute(deps: AppDeps, slack?: () => SlackConnectionReport) {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      healthReport(deps, slack).then(
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
