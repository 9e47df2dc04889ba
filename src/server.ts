import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppContext } from './app-context';
import { describeBackupMode } from './backup/backup-settings';
import type { Clock } from './clock';
import { systemClock } from './clock';
import type { AppConfig } from './config';
import { metabaseConfig } from './config';
import { openDatabase } from './db/client';
import { startInstanceHeartbeat } from './db/instance-heartbeat';
import { migrateDatabase } from './db/migrate';
import type { AppDeps } from './deps';
import { allJobs } from './jobs';
import { type Scheduler, startScheduler } from './jobs/scheduler';
import type { Logger } from './logger';
import { createProductionReader } from './production/metabase-client';
import type { ProductionReader } from './production/types';
import { createAppServices } from './services';
import { type BuildOptions, type BuiltApp, buildApp, slackViewsPublish } from './slack/app';
import { prepareData } from './startup';

/** How long a graceful stop waits for listener work that continues after its ack. */
const STOP_DRAIN_TIMEOUT_MS = 15_000;

export interface RunningServer {
  /** The app's dependencies and its app-lifetime state (sync coordinator, Home publisher, caches). */
  deps: AppContext;
  built: BuiltApp;
  /** The HTTP port actually bound (/slack/events and /healthz, or only /healthz in Socket Mode), useful with PORT=0. */
  port: number | null;
  /** Resolves once Slack can reach the app: at once over HTTP, at the first socket hello in Socket Mode. */
  connected(): Promise<void>;
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
  /** Multiplies the waits between retries of Slack calls (tests: near 0). See BuildOptions. */
  retryWaitScale?: BuildOptions['retryWaitScale'];
  /**
   * Called when the app cannot go on after start-up has returned: Slack refused the app-level
   * token of Socket Mode. Without it, the refusal is logged.
   */
  onFatal?: (err: unknown) => void;
}

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
  const base: AppDeps = { config, db, production, clock, logger, instanceId: randomUUID() };
  await prepareData(base);
  // App-lifetime state is built here, once, and handed to listeners and jobs.
  const homeViews = slackViewsPublish(base, options.retryWaitScale);
  const deps: AppContext = { ...base, ...createAppServices(base, { viewsPublish: homeViews.viewsPublish }) };
  const heartbeat = await startInstanceHeartbeat(deps);
  const backupMode = describeBackupMode(config);
  logger[backupMode.level]({ backup: backupMode.mode }, backupMode.message);

  const built = buildApp(deps, { retryWaitScale: options.retryWaitScale });
  built.tokenCheck.start();
  let port: number | null = null;
  if (built.mode === 'http') {
    const server = (await built.app.start(config.PORT)) as Server;
    port = (server.address() as AddressInfo).port;
    logger.info({ port }, 'listening (HTTP mode: POST /slack/events, GET /healthz)');
  } else {
    // Returns once /healthz listens; the socket connects in the background, retried for as
    // long as Slack is unreachable, so the schedules below run either way.
    await built.app.start();
    port = built.socket!.port;
    logger.info({ port }, 'listening (Socket Mode: GET /healthz on this port; connecting to Slack)');
  }
  const scheduler: Scheduler | null =
    options.schedules === false ? null : startScheduler(deps, built.app.client, allJobs());

  let stopping: Promise<void> | null = null;
  const connected = built.socket ? built.socket.connected() : Promise.resolve();
  connected.catch((err: unknown) => {
    if (stopping) return;
    if (options.onFatal) options.onFatal(err);
    else logger.error({ err }, 'Socket Mode cannot connect');
  });
  return {
    deps,
    built,
    port,
    connected: () => connected,
    stop() {
      stopping ??= (async () => {
        // Stop taking work first. Over HTTP, closing the server lets requests already in finish;
        // in Socket Mode the socket stays open until the work in flight has sent its acks.
        built.tokenCheck.stop();
        if (built.socket) built.socket.pause();
        else await built.app.stop();
        const drained = await built.inFlight.drain(STOP_DRAIN_TIMEOUT_MS);
        if (!drained) logger.warn({ running: built.inFlight.size }, 'stopping with listener work still running');
        if (built.socket) await built.app.stop();
        await scheduler?.stop();
        await heartbeat.stop();
        // After the listeners and jobs that publish Home views have finished.
        await homeViews.close();
        await production?.close?.();
        await db.close();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}
