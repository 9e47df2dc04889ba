import type { IncomingMessage, ServerResponse } from 'node:http';
import { type BackupHealth, backupHealth } from '../../backup/backup-health';
import { checkDatabase } from '../../db/client';
import type { AppDeps } from '../../deps';
import type { SocketConnection } from './socket-receiver';
import type { SlackTokenStatus } from './token-check';

export interface HealthReport {
  ok: boolean;
  version: string;
  /** ok / failing and the kind of failure; the driver's text goes to the log only. */
  database: { ok: boolean; provider: string; kind?: string };
  /** How the last Metabase call went, as a kind; Metabase's text (its SQL errors) is never here. */
  metabase: { configured: false } | { configured: true; lastCall: null | { ok: boolean; at: string; kind?: string } };
  /**
   * How Slack reaches the app (in Socket Mode, the socket's state) and whether Slack has
   * accepted the bot token yet. Not part of `ok`: the app serves either way and recovers by itself.
   */
  slack?: SlackConnectionReport;
  backup: BackupHealth;
}

export type SlackConnectionReport = (
  | { mode: 'http' }
  | { mode: 'socket'; connection: SocketConnection; since: string }
) & { token?: SlackTokenStatus };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const version: string = require('../../../package.json').version;

/**
 * Database answers? How did the last Metabase call go? Sends Metabase nothing. The route is
 * public, so it names kinds of failure only; what went wrong in detail is logged.
 */
export async function healthReport(deps: AppDeps, slack?: () => SlackConnectionReport): Promise<HealthReport> {
  const check = await checkDatabase(deps.db);
  if (!check.ok)
    deps.logger.error(
      { provider: check.provider, kind: check.kind, detail: check.detail },
      'health check: the database did not answer',
    );
  const database = { ok: check.ok, provider: check.provider, ...(check.kind ? { kind: check.kind } : {}) };
  const last = deps.production?.lastCall() ?? null;
  const metabase: HealthReport['metabase'] = deps.production
    ? {
        configured: true,
        lastCall: last && {
          ok: last.ok,
          at: last.at.toISOString(),
          ...(last.ok ? {} : { kind: last.kind ?? 'internal' }),
        },
      }
    : { configured: false };
  return {
    ok: database.ok,
    version,
    database,
    metabase,
    ...(slack ? { slack: slack() } : {}),
    backup: await backupHealth(deps),
  };
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
          res.end(JSON.stringify({ ok: false, kind: 'internal' }));
        },
      );
    },
  };
}
