import { App, HTTPReceiver, LogLevel, SocketModeReceiver, type Authorize } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { AppDeps } from '../deps';
import { boltLogger } from './bolt-logger';
import { healthRoute } from './health';
import { registerListeners } from './listeners';
import { InFlightWork } from './in-flight';
import { SlackTokenCheck } from './token-check';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface BuiltApp {
  app: App;
  /** Set in HTTP mode; Socket Mode has no HTTP server of ours. */
  receiver: HTTPReceiver | null;
  /** Set in Socket Mode: its connection is retried while Slack is unreachable. */
  socketReceiver: SocketModeReceiver | null;
  mode: 'http' | 'socket';
  /** Listener runs still going after their ack; a graceful stop waits for them. */
  inFlight: InFlightWork;
  /** The bot token check (auth.test with backoff); started by the server, reported on /healthz. */
  tokenCheck: SlackTokenCheck;
}

/**
 * The Bolt app with every listener registered. HTTP mode serves events, commands and
 * interactivity on POST /slack/events (signatures verified by Bolt, requests older than
 * five minutes refused) and GET /healthz; Socket Mode when SLACK_APP_TOKEN is set.
 */
export function buildApp(deps: AppDeps): BuiltApp {
  const { config } = deps;
  const logger = boltLogger(deps.logger);
  const apiUrl = config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL.replace(/\/?$/, '/') } : {};
  const clientOptions = {
    ...apiUrl,
    // @slack/web-api queues calls and honours 429 Retry-After; keep retries bounded.
    retryConfig: { retries: 5, factor: 2, minTimeout: 200, maxTimeout: 5000 },
  };
  // The token check retries on its own schedule; each attempt is one quick call.
  const tokenCheck = new SlackTokenCheck(new WebClient(config.SLACK_BOT_TOKEN, { ...apiUrl, logger, retryConfig: { retries: 0 } }), deps.logger);
  // Bolt given a token verifies it with auth.test at once and keeps the rejected promise
  // when Slack is unreachable: unhandled, and every later request refused. Authorize from
  // the token check instead: requests are served whether or not it has succeeded yet.
  const authorize: Authorize<boolean> = async () => ({ botToken: config.SLACK_BOT_TOKEN, ...tokenCheck.identity() });
  const health = healthRoute(deps, tokenCheck);
  let app: App;
  let receiver: HTTPReceiver | null = null;
  let socketReceiver: SocketModeReceiver | null = null;
  if (config.SLACK_APP_TOKEN) {
    socketReceiver = new SocketModeReceiver({
      appToken: config.SLACK_APP_TOKEN,
      logger,
      customRoutes: [health],
      installerOptions: { port: config.PORT, clientOptions: { ...apiUrl } },
    });
    app = new App({ authorize, receiver: socketReceiver, logger, logLevel: LogLevel.INFO, clientOptions });
  } else {
    receiver = new HTTPReceiver({
      signingSecret: config.SLACK_SIGNING_SECRET!,
      endpoints: SLACK_EVENTS_PATH,
      customRoutes: [health],
      logger,
    });
    app = new App({ authorize, receiver, logger, logLevel: LogLevel.INFO, clientOptions });
  }
  // With `authorize` Bolt builds its client without the token; listeners and jobs use this one.
  app.client = new WebClient(config.SLACK_BOT_TOKEN, { ...clientOptions, logger });
  const inFlight = new InFlightWork();
  app.use(async ({ next }) => {
    await inFlight.track(next());
  });
  app.error(async (error) => {
    deps.logger.error({ err: error }, 'unhandled error in a Slack listener');
  });
  registerListeners(app, deps);
  return { app, receiver, socketReceiver, mode: receiver ? 'http' : 'socket', inFlight, tokenCheck };
}
