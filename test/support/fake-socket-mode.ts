import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeSlack, RecordedCall } from './fake-slack';
import { EventWaits } from './pending-waits';

/**
 * Slack's side of Socket Mode, on loopback. Plugs into the fake Web API: `apps.connections.open`
 * (app-level token in the Authorization header) answers a single-use `ws://` URL; on connect
 * the server says `hello`; it sends envelopes (`events_api`, `slash_commands`, `interactive`)
 * and records every acknowledgement with its payload and how long it took; it can ask the app
 * to reconnect (`disconnect`, reason `refresh_requested` or `warning`) or drop the connection.
 *
 * Like Slack, an `events_api` envelope left unacknowledged when its connection closes, or sent
 * while the app has no connection, is delivered again on the next connection (retry_attempt + 1).
 * Slash commands and interactive payloads are not retried: Slack shows the user an error, and
 * waiting for their ack fails.
 *
 * Waits (`send`, `waitForAck`, `waitForConnections`, `waitFor`...) end when what they wait for
 * happens, checked on every connection, delivery, ack and close; they have no deadline of their
 * own (jest's test timeout bounds them, and a test that ends first says what it still waited
 * for: pending-waits.ts).
 *
 * Protocol mistakes by the app (an ack that is not JSON or names no envelope, an ack for an
 * envelope never sent or already acknowledged, a response payload on an envelope that accepts
 * none, a connection with a bad ticket) are collected in `protocolErrors`.
 */
export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, any>;
  accepts_response_payload: boolean;
  retry_attempt: number;
  retry_reason: string;
}

/** One write of an envelope to a connection (a re-send is another delivery). */
export interface Delivery {
  envelope: Envelope;
  connection: number;
  at: number;
}

export interface RecordedAck {
  envelope_id: string;
  type: EnvelopeType;
  /** The response payload, when the app sent a non-empty one (e.g. a modal's response_action). */
  payload?: Record<string, any>;
  connection: number;
  at: number;
  /** Milliseconds from the envelope's last delivery to its ack (Slack allows 3 seconds). */
  afterMs: number;
}

export interface ConnectionRecord {
  id: number;
  openedAt: number;
  closedAt?: number;
  /** The `disconnect` message Slack sent on it, if any. */
  disconnectSent?: DisconnectReason;
  /** Who ended it: the app (close frame), Slack (closing after its `disconnect` went unheeded), or an abrupt drop. */
  closedBy?: 'app' | 'slack' | 'dropped';
  /** The close code the app sent (1000 for a normal close). */
  closeCode?: number;
}

export type DisconnectReason = 'refresh_requested' | 'warning';

export const FAKE_APP_TOKEN = 'xapp-1-A0FAKE-1-faketoken';
/** Slack's ack deadline. */
export const ACK_DEADLINE_MS = 3_000;

interface Live {
  id: number;
  ws: WebSocket;
  record: ConnectionRecord;
  /** Set when Slack (this fake) ends the connection. */
  endingBy?: 'slack' | 'dropped';
  /** Set once Slack has asked the app to move off this connection: nothing more is sent on it. */
  retiring?: boolean;
  closeTimer?: NodeJS.Timeout;
}

interface Pending {
  envelope: Envelope;
  /** Connection the envelope was last written to; null while it waits for one. */
  connection: number | null;
  deliveredAt: number;
  failed?: string;
}

export class FakeSocketMode {
  readonly deliveries: Delivery[] = [];
  readonly acks: RecordedAck[] = [];
  /** Acks of envelopes later sent again with `resend`. */
  readonly resentAcks: RecordedAck[] = [];
  readonly connections: ConnectionRecord[] = [];
  readonly protocolErrors: string[] = [];
  private readonly pending = new Map<string, Pending>();
  private readonly acked = new Set<string>();
  private readonly tickets = new Set<string>();
  private readonly live = new Map<number, Live>();
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private port = 0;
  private closed = false;
  private readonly waits = new EventWaits();

  constructor(readonly appToken = FAKE_APP_TOKEN) {
    this.server = createServer((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.upgrade(req, socket, head));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Serves `apps.connections.open` on the fake Web API. */
  attach(slack: FakeSlack): this {
    slack.respond('apps.connections.open', (_args, call) => this.connectionsOpen(call));
    return this;
  }

  /** The `apps.connections.open` answer: the app-level token must come in the Authorization header. */
  connectionsOpen(call: Pick<RecordedCall, 'authorization'>): Record<string, any> {
    const header = call.authorization ?? '';
    if (!header.startsWith('Bearer ')) return { ok: false, error: 'not_authed' };
    const token = header.slice('Bearer '.length);
    if (!token.startsWith('xapp-') || token !== this.appToken) return { ok: false, error: 'invalid_auth' };
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return { ok: true, url: `ws://127.0.0.1:${this.port}/link/?ticket=${ticket}&app_id=A0FAKE` };
  }

  /** True while the app holds at least one open connection. */
  get connected(): boolean {
    return this.live.size > 0;
  }

  /** Connections Slack said hello on, in all. */
  get helloCount(): number {
    return this.connections.length;
  }

  /**
   * Sends an envelope to the newest connection, or keeps it for the next one (`events_api`
   * only; anything else fails at once without a connection, as Slack shows the user an error).
   */
  enqueue(
    type: EnvelopeType,
    payload: Record<string, any>,
    acceptsResponsePayload = defaultAcceptsResponse(type, payload),
  ): Envelope {
    const envelope: Envelope = {
      envelope_id: randomUUID(),
      type,
      payload,
      accepts_response_payload: acceptsResponsePayload,
      retry_attempt: 0,
      retry_reason: '',
    };
    const entry: Pending = { envelope, connection: null, deliveredAt: 0 };
    this.pending.set(envelope.envelope_id, entry);
    const target = this.newest();
    if (target) this.deliver(entry, target);
    else if (type !== 'events_api') entry.failed = 'the app had no Socket Mode connection';
    return envelope;
  }

  /** Sends an envelope and resolves with its ack. */
  async send(type: EnvelopeType, payload: Record<string, any>): Promise<RecordedAck> {
    const envelope = this.enqueue(type, payload);
    return this.waitForAck(envelope.envelope_id);
  }

  /**
   * Sends an acknowledged envelope again, same envelope_id, as Slack does when the app's ack
   * did not reach it (lost with its connection). Resolves with the ack of this delivery.
   */
  async resend(envelopeId: string): Promise<RecordedAck> {
    const first = this.deliveries.find((d) => d.envelope.envelope_id === envelopeId);
    if (!first) throw new Error(`envelope ${envelopeId} was never sent`);
    // The earlier ack is moved aside, so waitForAck finds the ack of this delivery.
    const earlier = this.acks.findIndex((a) => a.envelope_id === envelopeId);
    if (earlier !== -1) this.resentAcks.push(...this.acks.splice(earlier, 1));
    this.acked.delete(envelopeId);
    const envelope: Envelope = {
      ...first.envelope,
      retry_attempt: first.envelope.retry_attempt + 1,
      retry_reason: 'timeout',
    };
    const entry: Pending = { envelope, connection: null, deliveredAt: 0 };
    this.pending.set(envelopeId, entry);
    const target = this.newest();
    if (target) this.deliver(entry, target);
    return this.waitForAck(envelopeId);
  }

  ackFor(envelopeId: string): RecordedAck | undefined {
    return this.acks.find((a) => a.envelope_id === envelopeId);
  }

  async waitForAck(envelopeId: string): Promise<RecordedAck> {
    return this.waitFor(() => {
      const ack = this.ackFor(envelopeId);
      if (ack) return ack;
      const failed = this.pending.get(envelopeId)?.failed;
      if (failed) throw new Error(`envelope ${envelopeId} was not acknowledged: ${failed}`);
      return undefined;
    }, `the ack of envelope ${envelopeId}`);
  }

  /** Envelopes not acknowledged (yet). */
  unacked(): Envelope[] {
    return [...this.pending.values()].filter((p) => !p.failed).map((p) => p.envelope);
  }

  deliveriesOf(envelopeId: string): Delivery[] {
    return this.deliveries.filter((d) => d.envelope.envelope_id === envelopeId);
  }

  /** Acks that came later than Slack's 3-second deadline. */
  lateAcks(deadlineMs = ACK_DEADLINE_MS): RecordedAck[] {
    return this.acks.filter((a) => a.afterMs > deadlineMs);
  }

  /**
   * Asks the app to reconnect, as Slack does before recycling a connection; if the app has not
   * closed it after `closeAfterMs`, Slack closes it.
   */
  requestReconnect(reason: DisconnectReason = 'refresh_requested', closeAfterMs = 2_000): void {
    const conn = this.newest();
    if (!conn) throw new Error('no open connection to send a disconnect on');
    conn.retiring = true;
    conn.record.disconnectSent = reason;
    conn.ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake-socket-mode' } }));
    conn.closeTimer = setTimeout(() => {
      conn.endingBy = 'slack';
      conn.ws.close(1001, 'refresh');
    }, closeAfterMs);
  }

  /** Cuts every connection without a close frame, as a network fault does. */
  drop(): void {
    for (const conn of this.live.values()) {
      conn.endingBy = 'dropped';
      conn.ws.terminate();
    }
  }

  /** Waits until Slack has said hello on `count` connections in all. */
  waitForConnections(count: number): Promise<ConnectionRecord> {
    return this.waitFor(
      () => (this.connections.length >= count && this.connections[count - 1]) || undefined,
      `connection #${count}`,
    );
  }

  /** Waits until no connection is open. */
  waitForNoConnection(): Promise<true> {
    return this.waitFor(() => (this.live.size === 0 ? true : undefined), 'every connection to close');
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const conn of this.live.values()) {
      clearTimeout(conn.closeTimer);
      conn.ws.terminate();
    }
    for (const s of this.sockets) s.destroy();
    this.wss.close();
    this.notify();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * Resolves when `predicate` returns a value (checked on every connection, delivery, ack and
   * close, and every 50 ms for state kept elsewhere). No deadline of its own: see the class.
   */
  async waitFor<T>(predicate: () => T | undefined, what: string): Promise<T> {
    return this.waits.until(
      () => {
        const value = predicate();
        if (value === undefined && this.closed) {
          throw new Error(`the fake Socket Mode server closed while waiting for ${what}`);
        }
        return value;
      },
      what,
      () =>
        `${what}; connections: ${this.connections.length}, open: ${this.live.size}, deliveries: ${this.deliveries.length}, acks: ${this.acks.length}`,
    );
  }

  private notify(): void {
    this.waits.notify();
  }

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/link/' || !this.tickets.delete(ticket)) {
      this.protocolErrors.push(`connection attempt with an unknown or used ticket (${req.url})`);
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.opened(ws));
  }

  private opened(ws: WebSocket): void {
    const record: ConnectionRecord = { id: this.connections.length + 1, openedAt: Date.now() };
    const conn: Live = { id: record.id, ws, record };
    this.connections.push(record);
    this.live.set(conn.id, conn);
    this.notify();
    ws.on('message', (data, isBinary) => this.received(conn, isBinary ? null : data.toString()));
    ws.on('close', (code) => this.closedConn(conn, code));
    ws.on('error', () => undefined);
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.live.size,
        debug_info: { host: 'fake-socket-mode', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: 'A0FAKE' },
      }),
    );
    // Envelopes waiting for a connection (sent in a gap, or unacknowledged on a closed one).
    for (const entry of this.pending.values())
      if (entry.connection === null && !entry.failed) this.deliver(entry, conn);
  }

  private received(conn: Live, text: string | null): void {
    let message: any;
    try {
      message = text === null ? undefined : JSON.parse(text);
    } catch {
      message = undefined;
    }
    if (!message || typeof message.envelope_id !== 'string') {
      this.protocolErrors.push(`unreadable message from the app: ${text === null ? '(binary)' : text.slice(0, 200)}`);
      return;
    }
    const id: string = message.envelope_id;
    if (this.acked.has(id)) {
      this.protocolErrors.push(`second ack for envelope ${id}`);
      return;
    }
    const entry = this.pending.get(id);
    if (!entry || entry.connection === null) {
      this.protocolErrors.push(`ack for an envelope never sent: ${id}`);
      return;
    }
    if (entry.connection !== conn.id)
      this.protocolErrors.push(`ack for envelope ${id} on connection ${conn.id}, delivered on ${entry.connection}`);
    const payload =
      message.payload && typeof message.payload === 'object' && Object.keys(message.payload).length
        ? (message.payload as Record<string, any>)
        : undefined;
    if (payload && !entry.envelope.accepts_response_payload)
      this.protocolErrors.push(`response payload on envelope ${id} (${entry.envelope.type}), which accepts none`);
    const at = Date.now();
    this.acked.add(id);
    this.pending.delete(id);
    this.acks.push({
      envelope_id: id,
      type: entry.envelope.type,
      ...(payload ? { payload } : {}),
      connection: conn.id,
      at,
      afterMs: at - entry.deliveredAt,
    });
    this.notify();
  }

  private closedConn(conn: Live, code: number): void {
    clearTimeout(conn.closeTimer);
    this.live.delete(conn.id);
    conn.record.closedAt = Date.now();
    conn.record.closedBy = conn.endingBy ?? 'app';
    conn.record.closeCode = code;
    for (const entry of this.pending.values()) {
      if (entry.connection !== conn.id) continue;
      if (entry.envelope.type === 'events_api') {
        // Slack retries an unacknowledged event on the next connection.
        entry.connection = null;
        entry.envelope = {
          ...entry.envelope,
          retry_attempt: entry.envelope.retry_attempt + 1,
          retry_reason: 'timeout',
        };
        const next = this.newest();
        if (next) this.deliver(entry, next);
      } else {
        entry.failed = `its connection closed before the ack (Slack shows the user an error)`;
      }
    }
    this.notify();
  }

  private deliver(entry: Pending, conn: Live): void {
    entry.connection = conn.id;
    entry.deliveredAt = Date.now();
    this.deliveries.push({ envelope: entry.envelope, connection: conn.id, at: entry.deliveredAt });
    conn.ws.send(JSON.stringify(entry.envelope));
    this.notify();
  }

  /** The connection Slack sends on: the newest one it has not asked the app to leave. */
  private newest(): Live | undefined {
    let found: Live | undefined;
    for (const conn of this.live.values()) if (!conn.endingBy && !conn.retiring) found = conn;
    return found;
  }
}

/** Slack lets slash commands, modal submissions and typeahead answer in the ack; events and clicks cannot. */
function defaultAcceptsResponse(type: EnvelopeType, payload: Record<string, any>): boolean {
  if (type === 'slash_commands') return true;
  if (type === 'interactive') return payload.type === 'view_submission' || payload.type === 'block_suggestion';
  return false;
}

export async function startFakeSocketMode(slack: FakeSlack, appToken = FAKE_APP_TOKEN): Promise<FakeSocketMode> {
  const fake = await new FakeSocketMode(appToken).start();
  return fake.attach(slack);
}
