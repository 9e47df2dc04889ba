import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App, Logger as BoltLogger, Receiver, ReceiverEvent } from '@slack/bolt';
// Not from Bolt's index, which loads receivers this app never uses (see ../app.ts).
import SocketModeReceiver from '@slack/bolt/dist/receivers/SocketModeReceiver';
import type { RetryOptions, WebClientOptions } from '@slack/web-api';
import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import type { InFlightWork } from './in-flight';
import { envelopeProperties } from './request-guard';

/** What /healthz says about the socket. */
export type SocketConnection = 'connecting' | 'connected' | 'reconnecting' | 'stopped';

export interface SocketStatus {
  connection: SocketConnection;
  since: Date;
}

export interface HttpRoute {
  path: string;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface SocketReceiverOptions {
  appToken: string;
  /** SLACK_API_URL, where apps.connections.open is called. */
  slackApiUrl?: string;
  /** The app's `fetch` for Slack (its hosts only) and the time limit of one attempt. */
  fetch?: WebClientOptions['fetch'];
  timeoutMs?: number;
  port: number;
  /** GET routes served on `port` (the health check). */
  routes: HttpRoute[];
  inFlight: InFlightWork;
  logger: Logger;
  boltLogger: BoltLogger;
  clock: Clock;
  /** Multiplies the waits between tries of apps.connections.open (default 1). */
  retryWaitScale?: number;
}

/** How long a stop waits for Slack to answer the socket's close frame. */
const CLOSE_TIMEOUT_MS = 5_000;

/**
 * apps.connections.open is retried for as long as it takes: the socket client (3.x) treats an
 * HTTP or network error that outlasts the Web API's retries as unrecoverable and would then
 * never reconnect. Rate limits (429 Retry-After) are honoured by the Web API client. The wait
 * between attempts never keeps the process alive (`unref`).
 */
const CONNECT_RETRY = {
  forever: true,
  factor: 2,
  minTimeout: 200,
  maxTimeout: 30_000,
  unref: true,
} satisfies RetryOptions;

/**
 * Bolt's Socket Mode receiver, wrapped so that the app can report the socket's state on
 * /healthz (served on PORT by a small server of ours) and, when stopping, refuse new envelopes
 * while the socket stays open for the acknowledgements of work already running. An envelope
 * left unacknowledged is re-sent by Slack, to the next connection.
 */
export class SocketReceiver implements Receiver {
  private readonly bolt: SocketModeReceiver;
  private readonly server: Server;
  private accepting = true;
  private stopping = false;
  private state: SocketStatus;
  private connecting: Promise<void> | null = null;

  constructor(private readonly options: SocketReceiverOptions) {
    const log = options.logger.child({ component: 'socket' });
    this.state = { connection: 'connecting', since: options.clock.now() };
    this.bolt = new SocketModeReceiver({
      appToken: options.appToken,
      logger: options.boltLogger,
      // The envelope id reaches processEvent, where each envelope is acted on once.
      customPropertiesExtractor: envelopeProperties,
      // No routes or installer given to Bolt: it starts no HTTP server of its own.
      installerOptions: {
        clientOptions: {
          ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
          ...(options.fetch ? { fetch: options.fetch } : {}),
          ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
          retryConfig: this.connectRetry(),
        } satisfies WebClientOptions,
      },
    });
    const client = this.bolt.client;
    client.on('connected', () => {
      this.set('connected');
      log.info('Socket Mode connected');
    });
    // Slack asks for a new connection regularly: a close is routine, hence info.
    client.on('close', () => {
      if (this.stopping) return this.set('stopped');
      this.set('reconnecting');
      log.info('Socket Mode connection closed: reconnecting');
    });
    client.on('reconnecting', () => this.set('reconnecting'));
    client.on('disconnected', () => this.set('stopped'));
    this.server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const route = req.method === 'GET' ? options.routes.find((r) => r.path === path) : undefined;
      if (route) return route.handler(req, res);
      res.writeHead(404);
      res.end();
    });
  }

  /** Bolt hands every envelope to app.processEvent; the gate sits in between. */
  init(app: App): void {
    const gated = Object.create(app) as App;
    gated.processEvent = (event: ReceiverEvent) => this.dispatch(app, event);
    this.bolt.init(gated);
  }

  /**
   * Serves the routes on PORT and starts connecting to Slack. It does not wait for the socket:
   * like HTTP mode, the app is up (health check, schedules) whether or not Slack is reachable.
   */
  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.connecting = this.bolt.start().then(
      () => undefined,
      (err: unknown) => this.refused(err),
    );
  }

  /**
   * Resolves once Slack has first said hello on the socket. Rejects when Slack refuses the
   * app-level token (network faults are retried for ever and never end up here).
   */
  connected(): Promise<void> {
    return this.connecting ?? Promise.reject(new Error('Socket Mode receiver not started'));
  }

  private async refused(err: unknown): Promise<never> {
    this.set('stopped');
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
    const code = (err as { data?: { error?: string } }).data?.error;
    if (!code) throw err;
    throw new Error(
      `Slack refused to open a Socket Mode connection (${code}): check SLACK_APP_TOKEN, an app-level token (xapp-) with the connections:write scope`,
    );
  }

  /** Retries of apps.connections.open end when the app stops, even before the first connection. */
  private connectRetry(): RetryOptions {
    const onFailedAttempt = () => {
      if (this.stopping) throw new Error('Socket Mode stopped before it connected');
    };
    const scale = this.options.retryWaitScale ?? 1;
    return Object.assign({ onFailedAttempt }, CONNECT_RETRY, {
      minTimeout: CONNECT_RETRY.minTimeout * scale,
      maxTimeout: CONNECT_RETRY.maxTimeout * scale,
    });
  }

  /** The port the routes are served on, once started. */
  get port(): number | null {
    const address = this.server.address() as AddressInfo | null;
    return address ? address.port : null;
  }

  status(): SocketStatus {
    return this.state;
  }

  /** Stops taking envelopes; the socket stays open so work in flight can still acknowledge. */
  pause(): void {
    this.accepting = false;
  }

  /** Closes the socket (no reconnection) and the route server; also before the socket ever connected. */
  async stop(): Promise<void> {
    this.accepting = false;
    this.stopping = true;
    const wasConnected = this.state.connection === 'connected';
    const closed = await settlesWithin(this.bolt.client.disconnect(), CLOSE_TIMEOUT_MS);
    if (!closed && wasConnected)
      this.options.logger.warn('Slack did not answer the socket close in time; stopping anyway');
    this.set('stopped');
    if (this.server.listening) await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private dispatch(app: App, event: ReceiverEvent): Promise<void> {
    if (!this.accepting) {
      // Not acknowledged on purpose: Slack re-sends it to the next connection.
      this.options.logger.info({ type: event.body.type }, 'stopping: envelope left for Slack to re-send');
      return Promise.resolve();
    }
    return this.options.inFlight.track(app.processEvent(event));
  }

  private set(connection: SocketConnection): void {
    if (this.state.connection !== connection) this.state = { connection, since: this.options.clock.now() };
  }
}

async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const done = await Promise.race([work.then(() => true as const), timeout]);
  clearTimeout(timer);
  return done;
}
