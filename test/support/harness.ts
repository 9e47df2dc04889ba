import type { DestinationStream } from 'pino';
import { type Clock, ManualClock } from '../../src/clock';
import { type AppConfig, loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import type { ProductionReader } from '../../src/production/types';
import { secretsOf } from '../../src/secret-masking';
import { type RunningServer, startServer } from '../../src/server';
import { unknownActionIdsSentTo } from './action-id-audit';
import { migratedSqliteUrl, type Provider, tempPostgresUrl } from './databases';
import { type FakeSlack, startFakeSlack } from './fake-slack';
import { fakeFilesOf } from './fake-slack-files';
import { type FakeSocketMode, startFakeSocketMode } from './fake-socket-mode';
import { brokenMrkdwnSentTo } from './mrkdwn-audit';
import { trackWait } from './pending-waits';
import { ACK_DEADLINE_MS, SlackDriver, type SlackPayloads, SocketDriver, type Transport } from './slack-driver';

/**
 * What real Slack would have refused, garbled or shown as an error in this test: controls
 * with action ids missing from ACTION_IDS (src/slack/views/action-ids.ts), mrkdwn cut
 * through an entity or a mention, calls the fake Slack refused (Block Kit limits, spent or
 * expired trigger_ids and response_urls, unknown methods), answers outside Block Kit's
 * limits, requests acknowledged after 3 seconds, and Socket Mode acks that break the protocol.
 * Checked when a test app stops, so every e2e test checks everything it made the app do.
 */
export function slackRuleBreaches(
  slack: FakeSlack,
  driver: SlackPayloads,
  socket: FakeSocketMode | null = null,
): string[] {
  const problems: string[] = [];
  const unknown = unknownActionIdsSentTo(slack);
  if (unknown.length) problems.push(`controls with action ids missing from ACTION_IDS: ${unknown.join(', ')}`);
  for (const broken of brokenMrkdwnSentTo(slack)) problems.push(`mrkdwn with a split entity or markup: ${broken}`);
  const where = (test?: string) => (test ? `[${test}] ` : '');
  for (const v of slack.violations)
    problems.push(
      `${where(v.test)}Slack refused ${v.method}: ${v.error}${v.messages.length ? ` (${v.messages.join('; ')})` : ''}`,
    );
  problems.push(...driver.problems);
  for (const late of driver.lateAcks())
    problems.push(
      `${where(late.test)}${late.what} was acknowledged after ${late.ms} ms (Slack gives up after ${ACK_DEADLINE_MS} ms)`,
    );
  if (socket) {
    for (const late of socket.lateAcks())
      problems.push(
        `${late.type} envelope ${late.envelope_id} was acknowledged after ${late.afterMs} ms (Slack gives up after ${ACK_DEADLINE_MS} ms)`,
      );
    for (const error of socket.protocolErrors) problems.push(`Socket Mode protocol: ${error}`);
  }
  return problems;
}

export const TEST_SIGNING_SECRET = 'test-signing-secret';
export const TEST_BOT_TOKEN = 'xoxb-test-token';
/** Retries of Slack calls wait 1 % of production's waits in tests (2 ms instead of 200 ms, ...). */
export const TEST_RETRY_WAIT_SCALE = 0.01;

export interface TestAppOptions {
  /** Extra or overriding environment variables (e.g. METABASE_URL, CRM_ADMINS). */
  env?: Record<string, string>;
  clock?: Clock;
  database?: Provider;
  /** Reuse a database URL (e.g. to restart the app on the same data). */
  databaseUrl?: string;
  /** Reuse a running fake Slack. */
  slack?: FakeSlack;
  /** Override the production reader (default: built from env, null without METABASE_URL). */
  production?: ProductionReader | null;
  /** Where the app's log lines go (default: nowhere unless TEST_LOG_LEVEL is set). */
  logStream?: DestinationStream;
  /** How Slack reaches the app: signed HTTP requests (default) or Socket Mode. */
  transport?: Transport;
  /** Socket Mode: reuse a running fake Socket Mode server (e.g. to restart the app). */
  socket?: FakeSocketMode;
  /**
   * Multiplies the app's waits between retries of a Slack call (default 0.01: a failing call
   * is tried as often as in production, without the test sleeping through seconds of backoff).
   */
  retryWaitScale?: number;
}

export interface TestApp {
  server: RunningServer;
  deps: RunningServer['deps'];
  config: AppConfig;
  slack: FakeSlack;
  /** Sends Slack's requests over the app's transport. */
  driver: SlackPayloads;
  transport: Transport;
  /** Socket Mode: the fake Socket Mode server the app is connected to. */
  socket: FakeSocketMode | null;
  clock: Clock;
  /** Where GET /healthz (and, over HTTP, POST /slack/events) is served. */
  baseUrl: string;
  databaseUrl: string;
  /** Stops the app only (the database and fake Slack stay for a restart). */
  stopApp(): Promise<void>;
  /** Stops everything and removes the database. */
  stop(): Promise<void>;
}

/**
 * The whole app over real HTTP or a real Socket Mode connection: a temporary SQLite file (a
 * copy of the run's migrated template) or PostgreSQL schema, migrated; the fake Slack Web API (and, in Socket Mode, the fake Socket
 * Mode server); schedules off (tests run jobs directly with the clock they hold); retries of
 * Slack calls as many as in production, with short waits between them.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const slack = options.slack ?? (await startFakeSlack());
  fakeFilesOf(slack);
  const transport = options.transport ?? 'http';
  const socket = transport === 'socket' ? (options.socket ?? (await startFakeSocketMode(slack))) : null;
  // A SQLite file starts as a copy of the run's migrated template (the app's start then finds
  // nothing to migrate): the app's own first migration is tested by the process tests.
  const target = options.databaseUrl
    ? { url: options.databaseUrl, cleanup: async () => undefined }
    : options.database === 'postgres'
      ? tempPostgresUrl()
      : await migratedSqliteUrl();
  const config = loadConfig({
    SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
    // Socket Mode needs no signing secret: leaving it out shows it.
    ...(socket ? { SLACK_APP_TOKEN: socket.appToken } : { SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET }),
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    DATABASE_URL: target.url,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...options.env,
  });
  const clock = options.clock ?? new ManualClock();
  // Built as src/index.ts builds it: configured secrets are masked wherever they appear.
  const logger = createLogger(config.LOG_LEVEL, options.logStream, { secrets: secretsOf(config) });
  const server = await startServer({
    config,
    logger,
    clock,
    schedules: false,
    retryWaitScale: options.retryWaitScale ?? TEST_RETRY_WAIT_SCALE,
    ...(options.production !== undefined ? { production: options.production } : {}),
  });
  // In Socket Mode the app serves before the socket is up; tests drive it once Slack reaches it.
  await server.connected();
  const baseUrl = `http://127.0.0.1:${server.port}`;
  const driver = socket ? new SocketDriver(socket, slack) : new SlackDriver(baseUrl, TEST_SIGNING_SECRET, slack);
  let appStopped = false;
  const stopApp = async () => {
    if (appStopped) return;
    appStopped = true;
    await server.stop();
  };
  return {
    server,
    deps: server.deps,
    config,
    slack,
    driver,
    transport,
    socket,
    clock,
    baseUrl,
    databaseUrl: target.url,
    stopApp,
    async stop() {
      await stopApp();
      const problems = slackRuleBreaches(slack, driver, socket);
      if (socket && !options.socket) await socket.close();
      if (!options.slack) await slack.close();
      await target.cleanup();
      if (problems.length) throw new Error(`The app broke Slack's rules during this test:\n- ${problems.join('\n- ')}`);
    },
  };
}

/**
 * Resolves when the app's listener work has all finished, the work that goes on after an ack
 * (and whatever it started meanwhile) included. No deadline of its own: jest's test timeout
 * bounds it, and a test that ends first says how much was still running (pending-waits.ts).
 */
export async function waitForSettled(t: Pick<TestApp, 'server'>): Promise<void> {
  const { inFlight } = t.server.built;
  let abandon!: (err: Error) => void;
  const abandoned = new Promise<never>((_resolve, reject) => {
    abandon = reject;
  });
  const untrack = trackWait({
    describe: () => `the app's listener work to finish (${inFlight.size} still running)`,
    abandon: () => abandon(new Error('the test ended while waiting for the app to settle')),
  });
  try {
    await Promise.race([inFlight.idle(), abandoned]);
  } finally {
    untrack();
  }
}
