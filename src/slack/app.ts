import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { AppDeps } from '../deps';
import type { AppContext } from '../app-context';
import { createAppServices } from '../services';
import { boltLogger } from './bolt-logger';
import { healthRoute } from './health';
import { registerListeners } from './listeners';
import { InFlightWork } from './in-flight';

export const SLACK_EVENTS_PATH = '/slack/events';

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
 */
export function buildApp(base: AppDeps | AppContext): BuiltApp {
  // server.ts hands over the app-lifetime state it built; a bare AppDeps gets its own.
  const deps: AppContext = 'homePublisher' in base ? base : { ...base, ...createAppServices(base) };
  const { config } = deps;
  const logger = boltLogger(deps.logger);
  const clientOptions = {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL.replace(/\/?$/, '/') } : {}),
    // @slack/web-api queues calls and honours 429 Retry-After; keep retries bounded.
    retryConfig: { retries: 5, factor: 2, minTimeout: 200, maxTimeout: 5000 },
  };
  let app: App;
  let receiver: HTTPReceiver | null = null;
  if (config.SLACK_APP_TOKEN) {
    app = new App({
      token: config.SLACK_BOT_TOKEN,
      appToken: config.SLACK_APP_TOKEN,
      socketMode: true,
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
      customRoutes: [healthRoute(deps)],
      logger,
    });
    app = new App({ token: config.SLACK_BOT_TOKEN, receiver, logger, logLevel: LogLevel.INFO, clientOptions });
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
