import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { AppDeps } from '../deps';
import { boltLogger } from './bolt-logger';
import { healthRoute } from './health';
import { registerListeners } from './listeners';
import { InFlightWork } from './in-flight';
import { slackFetch } from './slack-http';

export const SLACK_EVENTS_PATH = '/slack/events';
/** Slack's own payloads are a few kilobytes; a larger body is refused (413) as it streams in. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

export interface BuiltApp {
  app: App;
  /** Set in HTTP mode; Socket Mode has no HTTP server of ours. */
  receiver: HTTPReceiver | null;
  mode: 'http' | 'socket';
  /** Listener runs still going after their ack; a graceful stop waits for them. */
  inFlight: InFlightWork;
}

/**
 * The Bolt app with every listener registered. HTTP mode serves events, commands and
 * interactivity on POST /slack/events (signatures verified by Bolt, requests older than
 * five minutes refused) and GET /healthz; Socket Mode when SLACK_APP_TOKEN is set.
 * Initialisation (the token check, `auth.test`) is deferred to `app.init()`, which the server
 * awaits: a refused token fails the start with a clear message, where Bolt's eager check
 * would leave a rejected promise nobody awaits and no event could ever be authorised.
 */
export function buildApp(deps: AppDeps): BuiltApp {
  const { config } = deps;
  const logger = boltLogger(deps.logger);
  const clientOptions = {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL.replace(/\/?$/, '/') } : {}),
    // @slack/web-api queues calls and honours 429 Retry-After; keep retries bounded.
    retryConfig: { retries: 5, factor: 2, minTimeout: 200, maxTimeout: 5000 },
    // Each attempt is bounded, so one hung socket cannot stall a job.
    timeout: config.SLACK_TIMEOUT_MS,
    // Used for Web API calls and respond(): Slack's hosts only, with a time limit.
    fetch: slackFetch(config, deps.logger),
  };
  let app: App;
  let receiver: HTTPReceiver | null = null;
  if (config.SLACK_APP_TOKEN) {
    app = new App({
      token: config.SLACK_BOT_TOKEN,
      appToken: config.SLACK_APP_TOKEN,
      socketMode: true,
      deferInitialization: true,
      logger,
      logLevel: LogLevel.INFO,
      clientOptions,
      customRoutes: [healthRoute(deps)],
      installerOptions: { port: config.PORT },
    });
  } else {
    receiver = new HTTPReceiver({
      signingSecret: config.SLACK_SIGNING_SECRET!,
      endpoints: SLACK_EVENTS_PATH,
      bodyLimit: MAX_REQUEST_BODY_BYTES,
      customRoutes: [healthRoute(deps)],
      logger,
    });
    app = new App({
      token: config.SLACK_BOT_TOKEN,
      receiver,
      deferInitialization: true,
      logger,
      logLevel: LogLevel.INFO,
      clientOptions,
    });
  }
  const inFlight = new InFlightWork();
  app.use(async ({ next }) => {
    await inFlight.track(next());
  });
  app.error(async (error) => {
    deps.logger.error({ err: error }, 'unhandled error in a Slack listener');
  });
  registerListeners(app, deps);
  return { app, receiver, mode: receiver ? 'http' : 'socket', inFlight };
}
