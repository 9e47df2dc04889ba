import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { AppConfig } from './config';
import { metabaseConfig } from './config';
import type { Clock } from './clock';
import { systemClock } from './clock';
import type { Logger } from './logger';
import type { AppDeps } from './deps';
import type { ProductionReader } from './production/types';
import { migrateDatabase } from './db/migrate';
import { openDatabase } from './db/client';
import { buildApp, type BuiltApp } from './slack/app';
import { startScheduler, type Scheduler } from './jobs/scheduler';
import { allJobs } from './jobs';
import { prepareData } from './startup';
import { createProductionReader } from './production/metabase-client';

/** How long a graceful stop waits for listener work that continues after its ack. */
const STOP_DRAIN_TIMEOUT_MS = 15_000;

export interface RunningServer {
  deps: AppDeps;
  built: BuiltApp;
  /** The HTTP port actually bound (HTTP mode), useful with PORT=0. */
  port: number | null;
  /** Graceful stop: stop taking work, finish in-flight requests, stop schedules, close the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  config: AppConfig;
  logger: Logger;
  clock?: Clock;
  /** Overrides the Metabase reader built from config (tests). */
  production?: ProductionReader | null;
  /** Run the cron schedules (default true). Tests drive jobs directly. */
  schedules?: boolean;
}

/**
 * Socket Mode connects in the background, retried with backoff while Slack is unreachable
 * (the /healthz server is up from the first attempt); the client reconnects by itself later.
 */
function connectSocketMode(built: BuiltApp, logger: Logger): void {
  let delay = 1_000;
  const retry = (err: unknown) => {
    if (stoppedApps.has(built)) return;
    logger.warn({ err, retryInMs: delay }, 'could not connect to Slack (Socket Mode); still running, will retry');
    const timer = setTimeout(() => {
      built.socketReceiver!.client.start().then(() => logger.info('connected (Socket Mode)'), retry);
    }, delay);
    timer.unref();
    delay = Math.min(delay * 2, 5 * 60_000);
  };
  built.app.start().then(() => logger.info('connected (Socket Mode)'), retry);
}

const stoppedApps = new WeakSet<BuiltApp>();

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const migration = await migrateDatabase(config.DATABASE_URL);
  if (migration.applied.length) logger.info({ applied: migration.applied }, 'database migrated');
  const db = openDatabase(config.DATABASE_URL);
  const mb = metabaseConfig(config);
  const production =
    options.production !== undefined ? options.production : mb ? createProductionReader(mb, logger, clock) : null;
  if (!production) logger.warn('METABASE_URL is not set: production data and lead sync are off');
  const deps: AppDeps = { config, db, production, clock, logger, instanceId: randomUUID() };
  await prepareData(deps);

  const built = buildApp(deps);
  built.tokenCheck.start();
  let port: number | null = null;
  if (built.mode === 'http') {
    const server = (await built.app.start(config.PORT)) as Server;
    port = (server.address() as AddressInfo).port;
    logger.info({ port }, 'listening (HTTP mode: POST /slack/events, GET /healthz)');
  } else {
    connectSocketMode(built, logger);
  }
  const scheduler: Scheduler | null = options.schedules === false ? null : startScheduler(deps, built.app.client, allJobs());

  let stopping: Promise<void> | null = null;
  return {
    deps,
    built,
    port,
    stop() {
      stopping ??= (async () => {
        built.tokenCheck.stop();
        stoppedApps.add(built);
        await built.app.stop();
        const drained = await built.inFlight.drain(STOP_DRAIN_TIMEOUT_MS);
        if (!drained) logger.warn({ running: built.inFlight.size }, 'stopping with listener work still running');
        await scheduler?.stop();
        await production?.close?.();
        await db.close();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}
