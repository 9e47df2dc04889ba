import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkMessage, checkView, slackMessages } from './block-kit-limits';
import { EventWaits } from './pending-waits';

/**
 * A fake Slack on loopback that answers like Slack and is as strict as Slack: the Web API
 * methods the app uses, and the `response_url`s it answers to. Records every call
 * (form-encoded or JSON bodies; JSON fields such as `view` and `blocks` decoded) and every
 * accepted response_url post; sends the bot token's scopes in `x-oauth-scopes` when
 * `grantedScopes` is set; can be told to fail, rate-limit or be slow.
 *
 * What it refuses, as Slack does:
 * - views and messages outside Block Kit's limits (test/support/block-kit-limits.ts):
 *   `invalid_arguments` for views, `invalid_blocks` for messages, with
 *   `response_metadata.messages` pointing at the offending field;
 * - a `trigger_id` it did not issue (`invalid_trigger_id`), one already used
 *   (`exchanged_trigger_id`) or older than 3 seconds (`expired_trigger_id`); the error
 *   names are views.open's documented errors;
 * - a sixth post to a `response_url`, or one after 30 minutes ("up to 5 times within 30
 *   minutes", Slack's slash command guide): HTTP 404 with `used_url` / `expired_url` (the
 *   exact body Slack sends is not documented; the status is what clients act on);
 * - `views.update` of a view that is closed or unknown (`not_found`), and `views.update` /
 *   `views.publish` with a `hash` that is not the view's current one (`hash_conflict`);
 * - a method it does not implement (`unknown_method`), so a new call fails loudly here
 *   until the fake learns it.
 *
 * Everything refused because the app broke Slack's rules (all of the above except
 * hash_conflict, which a correct app meets in a race and must handle) is also kept in
 * `violations`; the test harness fails a test whose app caused any.
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

/** Something the app sent that real Slack refuses. */
export interface SlackViolation {
  /** Web API method, or `response_url`. */
  method: string;
  error: string;
  messages: string[];
  at: number;
  /** The test running when it happened (Jest's current test name), if any. */
  test?: string;
}

/**
 * The name of the Jest test running now, to say which test caused a problem: from Jest's
 * per-test async context, so that tests running side by side (`it.concurrent`) are told apart.
 */
export function currentTestName(): string | undefined {
  const state = (
    globalThis as {
      expect?: { getState?: () => { currentTestName?: string; currentConcurrentTestName?: () => string | undefined } };
    }
  ).expect?.getState?.();
  return state?.currentConcurrentTestName?.() ?? state?.currentTestName;
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

/** A view as the fake Slack holds it (what `views.*` answer with, plus who sees it). */
export interface StoredView {
  id: string;
  hash: string;
  type: 'modal' | 'home';
  /** The user whose modal or Home tab this is. */
  userId: string | undefined;
  view: Record<string, any>;
  open: boolean;
  rootId: string;
  previousId: string | null;
}

type Responder = (args: Record<string, any>, call: RecordedCall) => Record<string, any>;

/** Answers a request outside the Web API from the raw request (e.g. file upload URLs); true when it did. */
export type RawRoute = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

interface Failure {
  kind:
    | 'error'
    | 'ratelimit'
    | 'http500'
    | 'http'
    | 'hang'
    | 'accept_then_drop'
    | 'accept_then_500'
    | 'accept_then_hold';
  error?: string;
  retryAfterSeconds?: number;
  status?: number;
  remaining: number;
}

interface Delay {
  ms: number;
  remaining: number;
}

interface TriggerState {
  issuedAt: number;
  userId: string | undefined;
  usedBy: string | null;
}

interface ResponseUrlState {
  createdAt: number;
  posts: number;
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

/** A trigger_id works this long after Slack sent it, and once. */
export const TRIGGER_TTL_MS = 3_000;
/** A response_url takes this many posts within this long. */
export const RESPONSE_URL_MAX_POSTS = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60_000;
/** views.publish/open/update/push refuse a view larger than this (`view_too_large`). */
export const MAX_VIEW_BYTES = 250_000;
/** Views.push refuses a fourth view on a modal's stack (`push_limit_reached`). */
export const MAX_PUSHED_VIEWS = 3;

/** The Web API methods the fake implements; anything else answers `unknown_method`. */
const KNOWN_METHODS = new Set([
  'auth.test',
  'bots.info',
  'chat.delete',
  'chat.getPermalink',
  'chat.postEphemeral',
  'chat.postMessage',
  'chat.update',
  'conversations.history',
  'conversations.info',
  'conversations.open',
  'users.info',
  'views.open',
  'views.publish',
  'views.push',
  'views.update',
]);

/** Errors that are the app's fault (Slack would refuse them in every run), not a race. */
const VIOLATION_ERRORS = new Set([
  'invalid_arguments',
  'invalid_blocks',
  'no_text',
  'view_too_large',
  'unknown_method',
  'invalid_trigger_id',
  'exchanged_trigger_id',
  'expired_trigger_id',
  'push_limit_reached',
  'not_found',
  'message_not_found',
  'used_url',
  'expired_url',
]);

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];
  /** Every payload the app sent (call arguments, response_url bodies); unlike `calls`, never reset. */
  readonly sent: Record<string, any>[] = [];
  readonly violations: SlackViolation[] = [];
  /** hash_conflict answers given (a race the app must handle, not a violation). */
  readonly hashConflicts: RecordedCall[] = [];
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
  /** Every view the app opened, pushed or published, by id. */
  readonly views = new Map<string, StoredView>();
  private readonly homes = new Map<string, string>();
  private readonly messages = new Map<string, { channel: string; ts: string }>();
  private readonly triggers = new Map<string, TriggerState>();
  private readonly responseUrls = new Map<string, ResponseUrlState>();
  private readonly responders = new Map<string, Responder>();
  private readonly failures = new Map<string, Failure[]>();
  private hungResponses = 0;
  private readonly delays = new Map<string, Delay>();
  private readonly held = new Map<string, { answered: Promise<void>; release: () => void }>();
  private readonly waits = new EventWaits();
  /** Channel id -> messages posted there, oldest first (DMs under `D<user id>`). */
  readonly history = new Map<string, StoredMessage[]>();
  private server!: Server;
  private tsCounter = 0;
  private idCounter = 0;
  /** Added to the clock for trigger and response_url expiry (tests move Slack's time). */
  private offsetMs = 0;
  url = '';

  /** Listens on loopback, on `port` (default: any free one). */
  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        res.writeHead(500);
        res.end(String(err));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Base URL for SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** Slack's clock (real time, plus what `advance` added). */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves Slack's clock forward: triggers and response_urls age. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** A new trigger_id, as Slack puts in an interaction or command for `userId`. */
  issueTrigger(userId?: string): string {
    this.idCounter += 1;
    const id = `${Math.floor(this.now() / 1000)}.${this.idCounter}.${randomBytes(6).toString('hex')}`;
    this.triggers.set(id, { issuedAt: this.now(), userId, usedBy: null });
    return id;
  }

  /** A response_url the app may POST to (5 times in 30 minutes); posts are recorded in `responses`. */
  responseUrl(id = `r${Date.now()}${Math.random().toString(36).slice(2, 6)}`): string {
    this.responseUrls.set(id, { createdAt: this.now(), posts: 0 });
    return `${this.url}/response/${id}`;
  }

  async close(): Promise<void> {
    this.releaseHeld();
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

  /** The next `times` calls of `method` (`*`: any method) answer after `ms`. */
  slowDown(method: string, ms: number, times = Number.POSITIVE_INFINITY): void {
    this.delays.set(method, { ms, remaining: times });
  }

  /**
   * Calls of `method` get no answer until the returned function is called (or `reset`,
   * `releaseHeld`); then each answers as usual. Shows that the app did not wait for Slack by
   * order, with no clock: whatever the app did before the release, it did without the answer.
   */
  holdAnswers(method: string): () => void {
    let release!: () => void;
    const answered = new Promise<void>((resolve) => {
      release = resolve;
    });
    const entry = { answered, release: () => {} };
    entry.release = () => {
      if (this.held.get(method) === entry) this.held.delete(method);
      release();
    };
    this.held.set(method, entry);
    return entry.release;
  }

  /** Lets every held call answer (see holdAnswers). */
  releaseHeld(): void {
    for (const h of [...this.held.values()]) h.release();
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

  /** Returns the violations so far and forgets them (for tests that provoke one on purpose). */
  takeViolations(): SlackViolation[] {
    return this.violations.splice(0);
  }

  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.failures.clear();
    this.delays.clear();
    this.releaseHeld();
  }

  /** The modal on top of `userId`'s stack (optionally with this callback_id), if one is open. */
  openModalOf(userId: string, callbackId?: string): StoredView | undefined {
    const open = [...this.views.values()].filter(
      (v) =>
        v.type === 'modal' &&
        v.open &&
        v.userId === userId &&
        (callbackId === undefined || v.view.callback_id === callbackId),
    );
    return open[open.length - 1];
  }

  /** The user's current Home view, if one was published. */
  homeOf(userId: string): StoredView | undefined {
    const id = this.homes.get(userId);
    return id ? this.views.get(id) : undefined;
  }

  /** A modal the user has open, as if the app had opened it (for tests that submit one directly). */
  assumeModal(userId: string, view: Record<string, any>): StoredView {
    return this.storeView({ type: 'modal', userId, view, rootId: null, previousId: null });
  }

  /** What Slack does after a view_submission is acknowledged with `ack` (the app's HTTP answer). */
  afterSubmission(viewId: string, ack: Record<string, any> | undefined): void {
    const stored = this.views.get(viewId);
    if (!stored) return;
    switch (ack?.response_action) {
      case 'errors':
        return; // the modal stays open with the errors shown
      case 'update':
        stored.view = ack.view;
        stored.hash = this.newHash();
        return;
      case 'push':
        this.storeView({
          type: 'modal',
          userId: stored.userId,
          view: ack.view,
          rootId: stored.rootId,
          previousId: stored.id,
        });
        return;
      case 'clear':
        for (const v of this.views.values()) if (v.rootId === stored.rootId) v.open = false;
        return;
      default:
        stored.open = false;
    }
  }

  /**
   * Resolves when `predicate` holds (checked on every recorded call, and every 50 ms for
   * state kept elsewhere). No deadline of its own: the test's timeout bounds it; a test
   * that ends first reports what it was still waiting for, and the wait then rejects
   * (pending-waits.ts).
   */
  async waitFor<T>(predicate: () => T | undefined | false | null, what = 'condition'): Promise<T> {
    return this.waits.until(
      () => predicate() || undefined,
      what,
      () => {
        const violations = this.violations.length
          ? `; Slack refused: ${this.violations.map((v) => `${v.method} ${v.error} ${v.messages.join(' ')}`).join('; ')}`
          : '';
        return `${what}; calls: ${this.calls.map((c) => c.method).join(', ') || '(none)'}${violations}`;
      },
    );
  }

  /** Waits until `method` has been called at least `count` times in all; returns those calls. */
  waitForCalls(method: string, count = 1): Promise<RecordedCall[]> {
    return this.waitFor(() => {
      const c = this.callsTo(method);
      return c.length >= count ? c : undefined;
    }, `${count} × ${method}`);
  }

  /** Waits for a POST to a response_url. */
  waitForResponse(count = 1): Promise<RecordedResponse[]> {
    return this.waitFor(
      () => (this.responses.length >= count ? this.responses : undefined),
      `${count} response_url post(s)`,
    );
  }

  private pushFailure(method: string, f: Failure): void {
    const list = this.failures.get(method) ?? [];
    list.push(f);
    this.failures.set(method, list);
  }

  private notify(): void {
    this.waits.notify();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const route of this.rawRoutes) if (await route(req, res)) return;
    const raw = await readBody(req);
    const contentType = String(req.headers['content-type'] ?? '');
    const path = (req.url ?? '').split('?')[0]!;
    let args: Record<string, any>;
    try {
      args = parseArgs(raw, contentType);
    } catch {
      return json(res, path.startsWith('/response/') ? 400 : 200, { ok: false, error: 'invalid_json' });
    }
    if (path.startsWith('/response/') && this.hungResponses > 0) {
      this.hungResponses -= 1;
      return;
    }
    if (path.startsWith('/response/')) return this.handleResponseUrl(path.slice('/response/'.length), args, res);
    if (!path.startsWith('/api/')) return json(res, 404, { ok: false, error: 'unknown_path' });
    const method = path.slice('/api/'.length);
    const call: RecordedCall = { method, args, contentType, authorization: req.headers.authorization, at: Date.now() };
    this.calls.push(call);
    this.sent.push(args);
    this.notify();

    const delay = this.delays.get(method) ?? this.delays.get('*');
    if (delay && delay.remaining > 0) {
      delay.remaining -= 1;
      await new Promise((r) => setTimeout(r, delay.ms));
    }
    const held = this.held.get(method);
    if (held) await held.answered;

    const pending = this.failures.get(method);
    if (pending?.length) {
      const f = pending[0]!;
      f.remaining -= 1;
      if (f.remaining <= 0) pending.shift();
      if (f.kind === 'ratelimit') {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(f.retryAfterSeconds ?? 1) });
        return void res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      }
      if (f.kind === 'http500') return json(res, 500, { ok: false, error: 'internal_error' });
      if (f.kind === 'http')
        return json(res, f.status ?? 400, {
          ok: false,
          error: 'http_error',
          echo: { authorization: call.authorization, args },
        });
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
    const custom = this.responders.get(method);
    if (!custom && !KNOWN_METHODS.has(method))
      return json(res, 200, this.refuse(method, 'unknown_method', [], { req_method: method }));
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '') || args.token;
    if (!token) return json(res, 200, { ok: false, error: 'not_authed' });
    const scopes: Record<string, string> =
      this.grantedScopes && String(token).startsWith('xoxb-') ? { 'x-oauth-scopes': this.grantedScopes.join(',') } : {};
    const answer = custom ? custom(args, call) : this.withHistory(method, args, this.defaultAnswer(method, args));
    if (answer.ok === false && answer.error === 'hash_conflict') this.hashConflicts.push(call);
    return json(res, 200, answer, scopes);
  }

  private handleResponseUrl(id: string, body: Record<string, any>, res: ServerResponse): void {
    this.sent.push(body);
    const state = this.responseUrls.get(id);
    if (!state) {
      json(res, 404, this.refuse('response_url', 'no_service', [`no response_url ${id}`]));
      return;
    }
    if (this.now() - state.createdAt > RESPONSE_URL_TTL_MS) {
      json(res, 404, this.refuse('response_url', 'expired_url', []));
      return;
    }
    if (state.posts >= RESPONSE_URL_MAX_POSTS) {
      json(res, 404, this.refuse('response_url', 'used_url', []));
      return;
    }
    const problems = checkMessage(body);
    if (problems.length) {
      json(res, 400, this.refuse('response_url', 'invalid_blocks', slackMessages(problems)));
      return;
    }
    state.posts += 1;
    this.responses.push({ id, body, at: Date.now() });
    this.notify();
    json(res, 200, { ok: true });
  }

  /** Slack's error answer; kept in `violations` when the error is the app's fault. */
  private refuse(
    method: string,
    error: string,
    messages: string[],
    extra: Record<string, unknown> = {},
  ): Record<string, any> {
    if (VIOLATION_ERRORS.has(error) || method === 'response_url')
      this.violations.push({ method, error, messages, at: Date.now(), test: currentTestName() });
    this.notify();
    return {
      ok: false,
      error,
      ...(error === 'invalid_blocks' ? { errors: messages.map((m) => m.replace(/^\[ERROR\] /, '')) } : {}),
      ...(messages.length ? { response_metadata: { messages } } : {}),
      ...extra,
    };
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
      ...(md && typeof md === 'object' && md.event_type
        ? { metadata: { event_type: String(md.event_type), event_payload: md.event_payload ?? {} } }
        : {}),
    });
    this.history.set(answer.channel, list);
    return answer;
  }

  /** conversations.history: newest first within oldest/latest; metadata only with include_all_metadata. */
  private conversationHistory(args: Record<string, any>): Record<string, any> {
    const channel = String(args.channel ?? '');
    if (this.channels.size && !channel.startsWith('D') && !this.channels.has(channel))
      return { ok: false, error: 'channel_not_found' };
    if (this.channels.has(channel) && !this.botChannels.has(channel)) return { ok: false, error: 'not_in_channel' };
    const oldest = args.oldest !== undefined ? Number(args.oldest) : -Infinity;
    const latest = args.latest !== undefined ? Number(args.latest) : Infinity;
    const withMeta = args.include_all_metadata === true || args.include_all_metadata === 'true';
    const inRange = (this.history.get(channel) ?? [])
      .filter((m) => Number(m.ts) > oldest && Number(m.ts) < latest)
      .reverse();
    const limit = Math.min(Number(args.limit ?? 100) || 100, 999);
    const start = args.cursor ? Number(String(args.cursor).replace(/^next_/, '')) : 0;
    const page = inRange
      .slice(start, start + limit)
      .map(({ metadata, ...rest }) => ({ type: 'message', ...rest, ...(withMeta && metadata ? { metadata } : {}) }));
    const more = start + limit < inRange.length;
    return {
      ok: true,
      messages: page,
      has_more: more,
      response_metadata: { next_cursor: more ? `next_${start + limit}` : '' },
    };
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private newHash(): string {
    return `${Math.floor(Date.now() / 1000)}.${randomBytes(5).toString('hex')}`;
  }

  private storeView(v: {
    type: 'modal' | 'home';
    userId: string | undefined;
    view: Record<string, any>;
    rootId: string | null;
    previousId: string | null;
  }): StoredView {
    this.idCounter += 1;
    const id = `V${String(this.idCounter).padStart(8, '0')}`;
    const stored: StoredView = {
      id,
      hash: this.newHash(),
      type: v.type,
      userId: v.userId,
      view: v.view,
      open: true,
      rootId: v.rootId ?? id,
      previousId: v.previousId,
    };
    this.views.set(id, stored);
    return stored;
  }

  /** The view object Slack answers with: what was sent, plus id, a fresh hash and state. */
  private viewAnswer(stored: StoredView): Record<string, any> {
    return {
      ok: true,
      view: {
        ...stored.view,
        id: stored.id,
        team_id: FAKE_TEAM_ID,
        hash: stored.hash,
        state: { values: {} },
        root_view_id: stored.rootId,
        previous_view_id: stored.previousId,
        app_id: 'AFAKE',
        bot_id: 'BFAKE',
      },
    };
  }

  /** Block Kit problems of a view argument, as Slack's error answer; null when valid. */
  private invalidView(method: string, view: unknown, type?: 'modal' | 'home'): Record<string, any> | null {
    if (view === undefined || view === null || typeof view !== 'object')
      return this.refuse(method, 'invalid_arguments', ['[ERROR] missing required field: view']);
    if (JSON.stringify(view).length > MAX_VIEW_BYTES) return this.refuse(method, 'view_too_large', []);
    const problems = checkView(view);
    if (type && (view as { type?: string }).type !== type)
      problems.unshift({ pointer: '/view/type', message: `must be ${type} for ${method}` });
    return problems.length ? this.refuse(method, 'invalid_arguments', slackMessages(problems)) : null;
  }

  /** Exchanges a trigger_id: null when it works, else Slack's error answer. */
  private exchangeTrigger(
    method: string,
    triggerId: unknown,
  ): { error: Record<string, any> } | { userId: string | undefined } {
    if (typeof triggerId !== 'string' || !triggerId)
      return { error: this.refuse(method, 'invalid_arguments', ['[ERROR] missing required field: trigger_id']) };
    const t = this.triggers.get(triggerId);
    if (!t) return { error: this.refuse(method, 'invalid_trigger_id', []) };
    if (t.usedBy) return { error: this.refuse(method, 'exchanged_trigger_id', [`already used by ${t.usedBy}`]) };
    if (this.now() - t.issuedAt > TRIGGER_TTL_MS)
      return { error: this.refuse(method, 'expired_trigger_id', [`issued ${this.now() - t.issuedAt} ms ago`]) };
    t.usedBy = method;
    return { userId: t.userId };
  }

  private invalidMessage(method: string, args: Record<string, any>): Record<string, any> | null {
    if (args.text === undefined && args.blocks === undefined && args.attachments === undefined)
      return this.refuse(method, 'no_text', []);
    const problems = checkMessage(args);
    return problems.length ? this.refuse(method, 'invalid_blocks', slackMessages(problems)) : null;
  }

  private defaultAnswer(method: string, args: Record<string, any>): Record<string, any> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.com/',
          team: 'Fake',
          user: 'crm',
          team_id: FAKE_TEAM_ID,
          user_id: FAKE_BOT_USER_ID,
          bot_id: 'BFAKE',
        };
      case 'bots.info':
        return { ok: true, bot: { id: args.bot ?? 'BFAKE', app_id: 'AFAKE', user_id: FAKE_BOT_USER_ID } };
      case 'views.open': {
        const invalid = this.invalidView(method, args.view, 'modal');
        if (invalid) return invalid;
        const trigger = this.exchangeTrigger(method, args.trigger_id);
        if ('error' in trigger) return trigger.error;
        return this.viewAnswer(
          this.storeView({ type: 'modal', userId: trigger.userId, view: args.view, rootId: null, previousId: null }),
        );
      }
      case 'views.push': {
        const invalid = this.invalidView(method, args.view, 'modal');
        if (invalid) return invalid;
        const trigger = this.exchangeTrigger(method, args.trigger_id);
        if ('error' in trigger) return trigger.error;
        const top = trigger.userId ? this.openModalOf(trigger.userId) : undefined;
        if (!top) return this.refuse(method, 'not_found', ['no open modal to push onto']);
        const depth = [...this.views.values()].filter((v) => v.rootId === top.rootId && v.open).length;
        if (depth >= MAX_PUSHED_VIEWS) return this.refuse(method, 'push_limit_reached', []);
        return this.viewAnswer(
          this.storeView({
            type: 'modal',
            userId: trigger.userId,
            view: args.view,
            rootId: top.rootId,
            previousId: top.id,
          }),
        );
      }
      case 'views.update': {
        const stored =
          typeof args.view_id === 'string'
            ? this.views.get(args.view_id)
            : [...this.views.values()].find((v) => v.view.external_id && v.view.external_id === args.external_id);
        if (!stored?.open)
          return this.refuse(method, 'not_found', [`no open view ${String(args.view_id ?? args.external_id)}`]);
        if (args.hash !== undefined && args.hash !== stored.hash) return { ok: false, error: 'hash_conflict' };
        const invalid = this.invalidView(method, args.view, stored.type);
        if (invalid) return invalid;
        stored.view = args.view;
        stored.hash = this.newHash();
        return this.viewAnswer(stored);
      }
      case 'views.publish': {
        const userId = String(args.user_id ?? '');
        if (!userId) return this.refuse(method, 'invalid_arguments', ['[ERROR] missing required field: user_id']);
        const invalid = this.invalidView(method, args.view, 'home');
        if (invalid) return invalid;
        const current = this.homeOf(userId);
        if (args.hash !== undefined && current && args.hash !== current.hash)
          return { ok: false, error: 'hash_conflict' };
        if (current) {
          current.view = args.view;
          current.hash = this.newHash();
          return this.viewAnswer(current);
        }
        const stored = this.storeView({ type: 'home', userId, view: args.view, rootId: null, previousId: null });
        this.homes.set(userId, stored.id);
        return this.viewAnswer(stored);
      }
      case 'chat.postMessage': {
        const channel = String(args.channel ?? '');
        if (!channel) return { ok: false, error: 'channel_not_found' };
        const invalid = this.invalidMessage(method, args);
        if (invalid) return invalid;
        let posted: string;
        if (this.users.has(channel) || /^[UW][A-Z0-9]+$/.test(channel)) {
          // Posting to a user id posts in the app's DM with them: the answer names the DM.
          if (this.users.get(channel)?.deleted) return { ok: false, error: 'user_not_found' };
          posted = `D${channel}`;
        } else if (channel.startsWith('D')) {
          posted = channel;
        } else {
          if (this.channels.size && !this.channels.has(channel)) return { ok: false, error: 'channel_not_found' };
          if (this.channels.has(channel) && !this.botChannels.has(channel))
            return { ok: false, error: 'not_in_channel' };
          posted = channel;
        }
        const ts = this.nextTs();
        this.messages.set(`${posted}:${ts}`, { channel: posted, ts });
        return { ok: true, channel: posted, ts, message: { text: args.text } };
      }
      case 'chat.update': {
        const invalid = this.invalidMessage(method, args);
        if (invalid) return invalid;
        if (!this.messages.has(`${args.channel}:${args.ts}`))
          return this.refuse(method, 'message_not_found', [`no message ${String(args.ts)} in ${String(args.channel)}`]);
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      }
      case 'chat.delete':
        if (!this.messages.delete(`${args.channel}:${args.ts}`)) return this.refuse(method, 'message_not_found', []);
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'chat.postEphemeral': {
        if (!args.user) return this.refuse(method, 'invalid_arguments', ['[ERROR] missing required field: user']);
        const invalid = this.invalidMessage(method, args);
        if (invalid) return invalid;
        return { ok: true, message_ts: this.nextTs() };
      }
      case 'chat.getPermalink':
        return {
          ok: true,
          channel: args.channel,
          permalink: `https://fake.slack.com/archives/${args.channel}/p${String(args.message_ts).replace('.', '')}`,
        };
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
        return this.refuse(method, 'unknown_method', [], { req_method: method });
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
