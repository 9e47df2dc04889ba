import { randomUUID } from 'node:crypto';
import type { Clock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/client';
import type { AppDeps } from '../../src/deps';
import { createLogger } from '../../src/logger';

/** An app instance's dependencies on an existing database, without Slack: enough to run the backup job. */
export function backupDeps(databaseUrl: string, clock: Clock, env: Record<string, string> = {}): AppDeps {
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'test',
    DATABASE_URL: databaseUrl,
    ...env,
  });
  return {
    config,
    db: openDatabase(databaseUrl),
    production: null,
    clock,
    logger: createLogger('silent'),
    instanceId: randomUUID(),
  };
}
