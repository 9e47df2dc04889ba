import type { Authorize } from '@slack/bolt';
// Bolt's modules themselves, not its index: the index also loads the Express and AWS Lambda
// receivers, Express and its sixty-odd packages among them, which this app never uses
// (2.5 MB of an idle process's memory, docs/benchmarks.md).
import App, { LogLevel } from '@slack/bolt/dist/App';
import HTTPReceiver from '@slack/bolt/dist/receivers/HTTPReceiver';
import { WebClient } from '@slack/web-api';
import type { AppContext } from '../app-context';
import type { AppDeps } from '../deps';
import { createAppServices } from '../services';
import { registerListeners } from './listeners';
import { boltLogger } from './runtime/bolt-logger';
import { healthRoute } from './runtime/health';
import { InFlightWork } from './runtime/in-flight';
import { SlackRequestGuard, signedRequestProperties } from './runtime/request-guard';
import { slackFetch } from './runtime/slack-http';
import { SlackJsonApi, WEB_API_RETRY } from './runtime/slack-json-api';
import { SlackJsonPoster } from './runtime/slack-json-post';
import { SocketReceiver } from './runtime/socket-receiver';
import { DEFAULT_TOKEN_CHECK_BACKOFF, SlackTokenCheck } from './runtime/token-check';
import { publishAsJson, type ViewsPublish } from './web-api/views-publish';

export const SLACK_EVENTS_PATH = '/slack/events';
/** Slack's own payloads are a few kilobytes; a larger body is refused (413) as it streams in. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/**
 * Bolt's options besides the receiver. No conversation store: Bolt's default keeps one in
 * memory and looks every event's conversation up in it, a rejected lookup with an Error (and
 * its stack) for each event of a conversation it never stored, and the app stores none.
 */
const BOLT_OPTIONS = { logLevel: LogLevel.INFO, convoStore: false } as const;

export interface BuildOptions {
  /**
   * Multiplies every wait between two tries of a Slack call: Web API retries, the bot token
   * check, opening the Socket Mode connection (default 1). The number of tries is unchanged;
   * tests set it near 0 so that failures play out without sleeping through the backoff.
   */
  retryWaitScale?: number;
}

/** Web API retries with every wait multiplied by `waitScale` (see BuildOptions.retryWaitScale). */
function webApiRetry(waitScale: number) {
  return {
    ...WEB_API_RETRY,
    minTimeout: WEB_API_RETRY.minTimeout * waitScale,
    maxTimeout: WEB_API_RETRY.maxTimeout * waitScale,
  };
}

/** How the running app sends Home views, and how it frees their connections when it stops. */
export interface SlackViewsPublishing {
  viewsPublish: ViewsPublish;
  close(): Promise<void>;
}

/**
 * views.publish as the running app sends it: a JSON body (SlackJsonApi) on a connection pool
 * of its own (SlackJsonPoster), to the same host, with the same token, time limit and
 * retries as the Web API client below. `close()` frees the pool (server.ts, on stop).
 */
export function slackViewsPublish(deps: Pick<AppDeps, 'config' | 'logger'>, waitScale = 1): SlackViewsPublishing {
  const { config, logger } = deps;
  const poster = new SlackJsonPoster(config, logger);
  const api = new SlackJsonApi({
    apiUrl: config.SLACK_API_URL?.replace(/\/?$/, '/') ?? 'https://slack.com/api/',
    token: config.SLACK_BOT_TOKEN,
    post: poster.post,
    retry: webApiRetry(waitScale),
    logger,
  });
  return { viewsPublish: publishAsJson(api), close: () => poster.close() };
}

export interface BuiltApp {
  app: App;
  /** Set in HTTP mode: Bolt's receiver serving /slack/events and /healthz. */
  receiver: HTTPReceiver | null;
  mode: 'http' | 'socket';
  /** Set in Socket Mode: the socket's state, and the gate a graceful stop closes first. */
  socket: SocketReceiver | null;
  /** Listener runs still going after their ack; a graceful stop waits for them. */
  inFlight: InFlightWork;
  /** The bot token check (auth.test with backoff); started by the server, reported on /healthz. */
  tokenCheck: SlackTokenCheck;
}

/**
 * The Bolt app with every listener registered. HTTP mode serves events, commands and
 * interactivity on POST /slack/events (signatures verified by Bolt, requests stamped more
 * than five minutes before or after now refused, each signed request acted on once) and
 * GET /healthz; Socket Mode when SLACK_APP_TOKEN is set (each envelope acted on once; GET
 * /healthz still served on PORT, with the socket's state).
 */
export function buildApp(base: AppDeps | AppContext, options: BuildOptions = {}): BuiltApp {
  const waitScale = options.retryWaitScale ?? 1;
  // server.ts hands over the app-lifetime state it built; a bare AppDeps gets its own (its
  // pool is never closed: undici leaves idle connections unreferenced, so none holds a process).
  const deps: AppContext =
    'homePublisher' in base
      ? base
      : { ...base, ...createAppServices(base, { viewsPublish: slackViewsPublish(base, waitScale).viewsPublish }) };
  const { config } = deps;
  const logger = boltLogger(deps.logger);
  const slackApiUrl = config.SLACK_API_URL?.replace(/\/?$/, '/');
  const apiUrl = slackApiUrl ? { slackApiUrl } : {};
  const clientOptions = {
    ...apiUrl,
    // @slack/web-api queues calls and honours 429 Retry-After; keep retries bounded.
    retryConfig: webApiRetry(waitScale),
    // Each attempt is bounded, so one hung socket cannot stall a job.
    timeout: config.SLACK_TIMEOUT_MS,
    // Used for Web API calls and respond(): Slack's hosts only, with a time limit.
    fetch: slackFetch(config, deps.logger),
  };
  // The token check retries on its own schedule; each attempt is one quick call.
  const tokenCheck = new SlackTokenCheck(
    new WebClient(config.SLACK_BOT_TOKEN, {
      ...apiUrl,
      logger,
      retryConfig: { retries: 0 },
      timeout: config.SLACK_TIMEOUT_MS,
      fetch: clientOptions.fetch,
    }),
    deps.logger,
    {
      firstDelayMs: DEFAULT_TOKEN_CHECK_BACKOFF.firstDelayMs * waitScale,
      maxDelayMs: DEFAULT_TOKEN_CHECK_BACKOFF.maxDelayMs * waitScale,
    },
  );
  // Bolt given a token verifies it with auth.test at once and keeps the rejected promise
  // when Slack is unreachable: unhandled, and every later request refused. Authorize from
  // the token check instead: requests are served whether or not it has succeeded yet.
  const authorize: Authorize<boolean> = async () => ({ botToken: config.SLACK_BOT_TOKEN, ...tokenCheck.identity() });
  let app: App;
  let receiver: HTTPReceiver | null = null;
  let socket: SocketReceiver | null = null;
  const inFlight = new InFlightWork();
  const guard = new SlackRequestGuard({ db: deps.db, logger: deps.logger });
  if (config.SLACK_APP_TOKEN) {
    const socketHealth = () => {
      const { connection, since } = socket!.status();
      return { mode: 'socket' as const, connection, since: since.toISOString(), token: tokenCheck.status() };
    };
    socket = new SocketReceiver({
      appToken: config.SLACK_APP_TOKEN,
      ...apiUrl,
      fetch: clientOptions.fetch,
      timeoutMs: config.SLACK_TIMEOUT_MS,
      port: config.PORT,
      routes: [healthRoute(deps, socketHealth)],
      inFlight,
      logger: deps.logger,
      boltLogger: logger,
      clock: deps.clock,
      retryWaitScale: waitScale,
    });
    const init = socket.init.bind(socket);
    socket.init = (bolt) => init(guard.onceOnly(bolt));
    app = new App({ authorize, receiver: socket, ...BOLT_OPTIONS, logger, clientOptions });
  } else {
    receiver = new HTTPReceiver({
      signingSecret: config.SLACK_SIGNING_SECRET!,
      endpoints: SLACK_EVENTS_PATH,
      bodyLimit: MAX_REQUEST_BODY_BYTES,
      customRoutes: [healthRoute(deps, () => ({ mode: 'http', token: tokenCheck.status() }))],
      customPropertiesExtractor: signedRequestProperties,
      logger,
    });
    receiver.requestListener = guard.refuseFutureRequests(receiver.requestListener);
    const init = receiver.init.bind(receiver);
    receiver.init = (bolt) => init(guard.onceOnly(bolt));
    app = new App({ authorize, receiver, ...BOLT_OPTIONS, logger, clientOptions });
  }
  // With `authorize` Bolt builds its client without the token; listeners and jobs use this one.
  app.client = new WebClient(config.SLACK_BOT_TOKEN, { ...clientOptions, logger });
  app.use(async ({ next }) => {
    await inFlight.track(next());
  });
  app.error(async (error) => {
    deps.logger.error({ err: error }, 'unhandled error in a Slack listener');
  });
  registerListeners(app, deps);
  return { app, receiver, mode: socket ? 'socket' : 'http', socket, inFlight, tokenCheck };
}
