import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppDeps } from '../deps';
import type { SlackTokenCheck, SlackTokenStatus } from './token-check';

export interface HealthReport {
  ok: boolean;
  version: string;
  database: { ok: boolean; provider: string; error?: string };
  metabase:
    | { configured: false }
    | { configured: true; lastCall: null | { ok: boolean; at: string; error?: string } };
  /** Whether Slack has accepted the bot token yet. Not part of `ok`: the app serves either way and recovers by itself. */
  slack?: SlackTokenStatus;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const version: string = require('../../package.json').version;

/** Database answers? How did the last Metabase call go? Has Slack accepted the token? Sends Metabase and Slack nothing. */
export async function healthReport(deps: AppDeps, tokenCheck?: Pick<SlackTokenCheck, 'status'>): Promise<HealthReport> {
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
  return { ok: database.ok, version, database, metabase, ...(tokenCheck ? { slack: tokenCheck.status() } : {}) };
}

export function healthRoute(deps: AppDeps, tokenCheck?: Pick<SlackTokenCheck, 'status'>) {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      healthReport(deps, tokenCheck).then(
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
