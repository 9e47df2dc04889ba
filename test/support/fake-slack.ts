import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Slack Web API on loopback. Records every call (form-encoded or JSON bodies; JSON
 * fields such as `view` and `blocks` are decoded), answers like Slack for the methods the
 * app uses (with the bot token's scopes in `x-oauth-scopes` when `grantedScopes` is set),
 * can be told to fail or rate-limit, and serves `response_url` endpoints.
 */
export interface RecordedCall {
  method: string;
  /** The call's arguments, JSON-valued fields decoded. */
  args: Record<string, any>;
  contentType: string;
  authorization: string | undefined;
  at: number;
}

export interface RecordedResponse {
  id: string;
  body: Record<string, any>;
  at: number;
}

export interface FakeUser {
  id: string;
  name?: string;
  real_name?: string;
  tz?: string;
  tz_offset?: number;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  deleted?: boolean;
  is_bot?: boolean;
}

type Responder = (args: Record<string, any>, call: RecordedCall) => Record<string, any>;

/** Answers a request outside the Web API from the raw request (e.g. file upload URLs); true when it did. */
export type RawRoute = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

interface Failure {
  kind: 'error' | 'ratelimit' | 'http500' | 'http' | 'hang' | 'accept_then_drop' | 'accept_then_500' | 'accept_then_hold';
  error?: string;
  retryAfterSeconds?: number;
  status?: number;
  remaining: number;
}

/** A channel as conversations.info describes it (the fields the app reads). */
export interface FakeChannel {
  id: string;
  name: string;
  is_private?: boolean;
  is_archived?: boolean;
  is_shared?: boolean;
  is_ext_shared?: boolean;
  is_org_shared?: boolean;
  is_pending_ext_shared?: boolean;
}

/** A message the fake holds in a channel's history (posted through chat.postMessage). */
export interface StoredMessage {
  ts: string;
  text?: string;
  user: string;
  bot_id: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export const FAKE_TEAM_ID = 'T0FAKE';
export const FAKE_BOT_USER_ID = 'UBOT0001';

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];
  readonly users = new Map<string, FakeUser>();
  /** Channels the bot is a member of (for conversations.info / chat.postMessage). */
  readonly botChannels = new Set<string>();
  /** Channels that exist; posting to one the bot is not in answers not_in_channel. */
  readonly channels = new Map<string, FakeChannel>();
  /**
   * The bot token's scopes, sent like Slack in the `x-oauth-scopes` header of every answer
   * to a bot-token call; null sends no header.
   */
  grantedScopes: string[] | null = null;
  /** Tried before the Web API, in order (see fake-slack-files.ts). */
  readonly rawRoutes: RawRoute[] = [];
  private readonly responders = new Map<string, Responder>();
  private readonly failures = new Map<string, Failure[]>();
  private hungResponses = 0;
  private readonly waiters: Array<() => void> = [];
  /** Channel id -> messages posted there, oldest first (DMs under `D<user id>`). */
  readonly history = new Map<string, StoredMessage[]>();
  private server!: Server;
  private tsCounter = 0;
  private viewCounter = 0;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        res.writeHead(500);
        res.end(String(err));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  /** Base URL for SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** A response_url the app may POST to; posts are recorded in `responses`. */
  responseUrl(id = `r${Date.now()}${Math.random().toString(36).slice(2, 6)}`): string {
    return `${this.url}/response/${id}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addUser(user: FakeUser): void {
    this.users.set(user.id, { tz: 'UTC', tz_offset: 0, name: user.id.toLowerCase(), ...user });
  }

  /** Answer `method` with a custom body (replaces the default). */
  respond(method: string, responder: Responder): void {
    this.responders.set(method, responder);
  }

  /** The next `times` calls of `method` answer `{ok:false, error}`. */
  failWith(method: string, error: string, times = 1): void {
    this.pushFailure(method, { kind: 'error', error, remaining: times });
  }

  /** The next `times` calls of `method` answer HTTP 429 with Retry-After. */
  rateLimit(method: string, retryAfterSeconds = 1, times = 1): void {
    this.pushFailure(method, { kind: 'ratelimit', retryAfterSeconds, remaining: times });
  }

  /** The next `times` calls of `method` answer HTTP 500. */
  serverError(method: string, times = 1): void {
    this.pushFailure(method, { kind: 'http500', remaining: times });
  }

  /**
   * The next `times` calls of `method` answer HTTP `status` with a body that echoes the
   * request (its Authorization header and arguments), as some proxies' error pages do:
   * whatever the app logs of such an answer must not repeat it.
   */
  httpError(method: string, status: number, times = 1): void {
    this.pushFailure(method, { kind: 'http', status, remaining: times });
  }

  /** The next `times` calls of `method` get no answer at all (until the fake closes). */
  hang(method: string, times = 1): void {
    this.pushFailure(method, { kind: 'hang', remaining: times });
  }

  /** The next `times` posts to a response_url get no answer at all (until the fake closes). */
  hangResponses(times = 1): void {
    this.hungResponses += times;
  }

  /**
   * The next `times` calls of `method` are carried out (a post is stored in the channel's
   * history) but the answer is lost: `drop` closes the connection without a response,
   * `http500` answers HTTP 500, `hold` never answers (until the fake closes). The caller
   * cannot know the post went through.
   */
  acceptThenFail(method: string, how: 'drop' | 'http500' | 'hold' = 'drop', times = 1): void {
    const kind = how === 'drop' ? 'accept_then_drop' : how === 'http500' ? 'accept_then_500' : 'accept_then_hold';
    this.pushFailure(method, { kind, remaining: times });
  }

  /** Messages posted to a channel (a user id means their DM with the bot). */
  messagesIn(channel: string): StoredMessage[] {
    return this.history.get(this.users.has(channel) ? `D${channel}` : channel) ?? [];
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  lastCall(method: string): RecordedCall | undefined {
    const all = this.callsTo(method);
    return all[all.length - 1];
  }

  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.failures.clear();
  }

  /** Resolves when `predicate` holds over the recorded calls, or rejects after `timeoutMs`. */
  async waitFor<T>(predicate: () => T | undefined | false | null, timeoutMs = 5000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; calls: ${this.calls.map((c) => c.method).join(', ') || '(none)'}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 50));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits until `method` has been called at least `count` times in all; returns those calls. */
  waitForCalls(method: string, count = 1, timeoutMs = 5000): Promise<RecordedCall[]> {
    return this.waitFor(() => {
      const c = this.callsTo(method);
      return c.length >= count ? c : undefined;
    }, timeoutMs, `${count} × ${method}`);
  }

  /** Waits for a POST to a response_url. */
  waitForResponse(count = 1, timeoutMs = 5000): Promise<RecordedResponse[]> {
    return this.waitFor(() => (this.responses.length >= count ? this.responses : undefined), timeoutMs, `${count} response_url post(s)`);
  }

  private pushFailure(method: string, f: Failure): void {
    const list = this.failures.get(method) ?? [];
    list.push(f);
    this.failures.set(method, list);
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const route of this.rawRoutes) if (await route(req, res)) return;
    const raw = await readBody(req);
    const contentType = String(req.headers['content-type'] ?? '');
    const args = parseArgs(raw, contentType);
    const path = (req.url ?? '').split('?')[0]!;
    if (path.startsWith('/response/')) {
      if (this.hungResponses > 0) {
        this.hungResponses -= 1;
        return;
      }
      this.responses.push({ id: path.slice('/response/'.length), body: args, at: Date.now() });
      this.notify();
      return json(res, 200, { ok: true });
    }
    if (!path.startsWith('/api/')) return json(res, 404, { ok: false, error: 'unknown_path' });
    const method = path.slice('/api/'.length);
    const call: RecordedCall = { method, args, contentType, authorization: req.headers.authorization, at: Date.now() };
    this.calls.push(call);
    this.notify();

    const pending = this.failures.get(method);
    if (pending && pending.length) {
      const f = pending[0]!;
      f.remaining -= 1;
      if (f.remaining <= 0) pending.shift();
      if (f.kind === 'ratelimit') {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(f.retryAfterSeconds ?? 1) });
        return void res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      }
      if (f.kind === 'http500') return json(res, 500, { ok: false, error: 'internal_error' });
      if (f.kind === 'http') return json(res, f.status ?? 400, { ok: false, error: 'http_error', echo: { authorization: call.authorization, args } });
      if (f.kind === 'hang') return;
      if (f.kind === 'accept_then_drop' || f.kind === 'accept_then_500' || f.kind === 'accept_then_hold') {
        this.withHistory(method, args, this.defaultAnswer(method, args));
        this.notify();
        if (f.kind === 'accept_then_hold') return;
        if (f.kind === 'accept_then_500') return json(res, 500, { ok: false, error: 'internal_error' });
        return void req.socket.destroy();
      }
      return json(res, 200, { ok: false, error: f.error });
    }
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '') || args.token;
    if (!token) return json(res, 200, { ok: false, error: 'not_authed' });
    const scopes: Record<string, string> = this.grantedScopes && String(token).startsWith('xoxb-') ? { 'x-oauth-scopes': this.grantedScopes.join(',') } : {};
    const custom = this.responders.get(method);
    if (custom) return json(res, 200, custom(args, call), scopes);
    return json(res, 200, this.withHistory(method, args, this.defaultAnswer(method, args)), scopes);
  }

  /** A successful chat.postMessage is kept in its channel's history (with its metadata). */
  private withHistory(method: string, args: Record<string, any>, answer: Record<string, any>): Record<string, any> {
    if (method !== 'chat.postMessage' || !answer.ok) return answer;
    const list = this.history.get(answer.channel) ?? [];
    const md = args.metadata;
    list.push({
      ts: answer.ts,
      text: args.text,
      user: FAKE_BOT_USER_ID,
      bot_id: 'BFAKE',
      ...(md && typeof md === 'object' && md.event_type ? { metadata: { event_type: String(md.event_type), event_payload: md.event_payload ?? {} } } : {}),
    });
    this.history.set(answer.channel, list);
    return answer;
  }

  /** conversations.history: newest first within oldest/latest; metadata only with include_all_metadata. */
  private conversationHistory(args: Record<string, any>): Record<string, any> {
    const channel = String(args.channel ?? '');
    if (this.channels.size && !channel.startsWith('D') && !this.channels.has(channel)) return { ok: false, error: 'channel_not_found' };
    if (this.channels.has(channel) && !this.botChannels.has(channel)) return { ok: false, error: 'not_in_channel' };
    const oldest = args.oldest !== undefined ? Number(args.oldest) : -Infinity;
    const latest = args.latest !== undefined ? Number(args.latest) : Infinity;
    const withMeta = args.include_all_metadata === true || args.include_all_metadata === 'true';
    const inRange = (this.history.get(channel) ?? []).filter((m) => Number(m.ts) > oldest && Number(m.ts) < latest).reverse();
    const limit = Math.min(Number(args.limit ?? 100) || 100, 999);
    const start = args.cursor ? Number(String(args.cursor).replace(/^next_/, '')) : 0;
    const page = inRange.slice(start, start + limit).map(({ metadata, ...rest }) => ({ type: 'message', ...rest, ...(withMeta && metadata ? { metadata } : {}) }));
    const more = start + limit < inRange.length;
    return { ok: true, messages: page, has_more: more, response_metadata: { next_cursor: more ? `next_${start + limit}` : '' } };
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private defaultAnswer(method: string, args: Record<string, any>): Record<string, any> {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.com/', team: 'Fake', user: 'crm', team_id: FAKE_TEAM_ID, user_id: FAKE_BOT_USER_ID, bot_id: 'BFAKE' };
      case 'views.publish':
      case 'views.open':
      case 'views.update':
      case 'views.push': {
        this.viewCounter += 1;
        return { ok: true, view: { id: `V${this.viewCounter}`, hash: `h${this.viewCounter}`, ...(args.view ?? {}) } };
      }
      case 'chat.postMessage': {
        const channel = String(args.channel ?? '');
        if (this.users.has(channel)) {
          const u = this.users.get(channel)!;
          if (u.deleted) return { ok: false, error: 'user_not_found' };
          return { ok: true, channel: `D${channel}`, ts: this.nextTs(), message: { text: args.text } };
        }
        if (channel.startsWith('D')) return { ok: true, channel, ts: this.nextTs(), message: { text: args.text } };
        if (this.channels.size && !this.channels.has(channel)) return { ok: false, error: 'channel_not_found' };
        if (this.channels.has(channel) && !this.botChannels.has(channel)) return { ok: false, error: 'not_in_channel' };
        return { ok: true, channel, ts: this.nextTs(), message: { text: args.text } };
      }
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'chat.getPermalink':
        return { ok: true, channel: args.channel, permalink: `https://fake.slack.com/archives/${args.channel}/p${String(args.message_ts).replace('.', '')}` };
      case 'conversations.open': {
        const users = String(args.users ?? '');
        return { ok: true, channel: { id: `D${users.split(',')[0]}` } };
      }
      case 'conversations.info': {
        const c = this.channels.get(String(args.channel));
        if (!c) return { ok: false, error: 'channel_not_found' };
        return { ok: true, channel: { ...c, is_member: this.botChannels.has(c.id) } };
      }
      case 'conversations.history':
        return this.conversationHistory(args);
      case 'users.info': {
        const u = this.users.get(String(args.user));
        if (!u) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { ...u, profile: { real_name: u.real_name ?? u.name } } };
      }
      default:
        return { ok: true };
    }
  }
}

export async function startFakeSlack(): Promise<FakeSlack> {
  return new FakeSlack().start();
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Slack's Web API takes form-encoded bodies (JSON-valued fields as strings) or JSON. */
export function parseArgs(raw: string, contentType: string): Record<string, any> {
  if (!raw) return {};
  if (contentType.includes('application/json')) return JSON.parse(raw);
  const out: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = /^[[{]/.test(v) ? tryJson(v) : v;
  }
  return out;
}

function tryJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
