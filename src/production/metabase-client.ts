import { Agent, type Dispatcher, request } from 'undici';
import type { z } from 'zod';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { MetabaseConfig } from '../config';
import { TimeSlicer } from '../cooperative';
import type { Logger } from '../logger';
import { CardExportReader } from './card-export-reader';
import { type CardSpec, CUSTOMERS_CARD, ORDERS_CARD } from './card-schemas';
import { clip, fromTransportError, healthKindOf, MetabaseError, redactPersonal, UNAVAILABLE } from './metabase-error';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetry } from './retry';
import type {
  CardResult,
  CustomerCurrencyRow,
  ExportParser,
  OrderRow,
  ProductionCallStatus,
  ProductionReader,
  RejectedRow,
  RowSink,
} from './types';

/**
 * The production read layer: runs the two configured saved questions through Metabase's
 * export endpoint, and nothing else.
 *
 * Read-only by construction: the only requests this module can make are
 * `POST /api/session` (login, when no API key is configured) and
 * `POST /api/card/<configured card id>/query/json`. The card ids come from config, the
 * public methods take only a number of days or a customer id, and there is no way to pass
 * a path, a verb or SQL in. test/integration/metabase-read-only.test.ts checks it.
 *
 * Why the export endpoint: `POST /api/card/:id/query` caps results at 2,000 rows, and a
 * sync that silently loses customer 2,001 is a bug.
 *
 * Time limits: `timeoutMs` bounds each try (connect, first byte, the whole body); transient
 * failures are tried again up to `retry.maxAttempts` times with capped backoff, so a call
 * gives up after at most maxAttempts × timeoutMs plus the waits. Callers that must not wait
 * (the Home tab) run it in the background.
 */

/** One Metabase saved-question parameter, as the export endpoint takes it. */
export interface CardParameter {
  type: 'number' | 'category';
  target: ['variable', ['template-tag', string]];
  value: number | string;
}

export interface MetabaseClientOptions {
  /** Retry policy for transient failures (network, 5xx, timeouts). Default: 3 tries, 300 ms base. */
  retry?: Partial<RetryPolicy>;
  /** Called just before every HTTP request, with its verb and path: for tests and audit. */
  onRequest?: (method: 'POST', path: string) => void;
  /** Parallel connections to Metabase. Default 4. */
  connections?: number;
}

const SESSION_HEADER = 'X-Metabase-Session';

/** First rejected rows logged one by one; beyond that only a count, so a broken card cannot flood the log. */
const MAX_REJECTED_ROWS_LOGGED = 20;

/**
 * Everything but the public reader methods is an ES private (#) member, so the guarantee
 * holds at run time too: no cast or bracket access can reach the request function.
 */
export class MetabaseClient implements ProductionReader {
  readonly #agent: Agent;
  readonly #retry: RetryPolicy;
  readonly #log: Logger;
  #sessionId: string | null = null;
  #loginInFlight: Promise<string> | null = null;
  #latest: ProductionCallStatus | null = null;

  readonly #config: MetabaseConfig;
  readonly #clock: Clock;
  readonly #onRequest: MetabaseClientOptions['onRequest'];

  constructor(config: MetabaseConfig, logger: Logger, clock: Clock = systemClock, options: MetabaseClientOptions = {}) {
    this.#config = config;
    this.#clock = clock;
    this.#onRequest = options.onRequest;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#log = logger.child({ component: 'metabase' });
    // A dedicated pool: its time limits apply to Metabase only, and close() frees it.
    this.#agent = new Agent({
      connect: { timeout: config.timeoutMs },
      headersTimeout: config.timeoutMs,
      bodyTimeout: config.timeoutMs,
      connections: options.connections ?? 4,
    });
  }

  async fetchCustomers(days: number): Promise<CardResult<CustomerCurrencyRow>> {
    const { rows, rejected, columns } = await this.#customers(days);
    return { rows, rejected, ...(columns ? { columns } : {}) };
  }

  async streamCustomers(
    days: number,
    sink: RowSink<CustomerCurrencyRow>,
  ): Promise<{ kept: number; rejected: RejectedRow[] }> {
    const { kept, rejected } = await this.#customers(days, sink);
    return { kept, rejected };
  }

  async readCustomersExport(days: number, parser: ExportParser): Promise<{ kept: number; rejected: RejectedRow[] }> {
    const { kept, rejected } = await this.#customers(days, undefined, parser);
    return { kept, rejected };
  }

  /** The Customers card, held whole, handed to `sink` as it is read, or its bytes to `parser`. */
  async #customers(
    days: number,
    sink?: RowSink<CustomerCurrencyRow>,
    parser?: ExportParser,
  ): Promise<CardResult<CustomerCurrencyRow> & { kept: number }> {
    if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a positive integer, got ${days}`);
    return this.#track('customers', async () => {
      const result = await this.#runCard(
        this.#config.customersCardId,
        CUSTOMERS_CARD,
        [templateTag('number', 'days', days)],
        sink,
        parser,
      );
      this.#validate('customers', result);
      return result;
    });
  }

  async fetchOrders(customerId: string): Promise<CardResult<OrderRow>> {
    if (customerId.trim() === '') throw new RangeError('customerId must not be empty');
    return this.#track('orders', async () => {
      // "category" is the parameter type every Metabase version accepts for a text template tag.
      const result = await this.#runCard(this.#config.ordersCardId, ORDERS_CARD, [
        templateTag('category', 'customer_id', customerId),
      ]);
      return this.#validate('orders', result);
    });
  }

  lastCall(): ProductionCallStatus | null {
    return this.#latest;
  }

  /** Closes the connection pool. The client cannot be used afterwards. */
  async close(): Promise<void> {
    await this.#agent.close();
  }

  // -------------------------------------------------------------------------------------

  async #track<T>(card: 'customers' | 'orders', call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      this.#latest = { at: this.#clock.now(), ok: true };
      return result;
    } catch (err) {
      if (!(err instanceof MetabaseError)) {
        // A bug of ours, not Metabase's: logged loudly, still shown to users as unavailable.
        this.#log.error({ card, err }, 'unexpected error reading Metabase');
        this.#latest = {
          at: this.#clock.now(),
          ok: false,
          error: `${UNAVAILABLE}: unexpected error reading Metabase`,
          kind: 'internal',
        };
        throw new MetabaseError('bad_response', this.#latest.error!, String(err), undefined, { cause: err });
      }
      this.#latest = { at: this.#clock.now(), ok: false, error: err.userMessage, kind: healthKindOf(err.kind) };
      this.#log.warn({ card, kind: err.kind, status: err.status, detail: err.detail }, err.userMessage);
      throw err;
    }
  }

  #validate<T>(card: 'customers' | 'orders', result: CardResult<T> & { kept: number }): CardResult<T> {
    if (result.rejected.length > 0) {
      for (const r of result.rejected.slice(0, MAX_REJECTED_ROWS_LOGGED)) {
        this.#log.warn(
          // The customer id and currency say which figure it leaves incomplete; no contact data.
          { card, rowIndex: r.index, reason: r.reason, customerId: r.customerId, currency: r.currency },
          'Metabase row rejected: it does not fit the card schema',
        );
      }
      this.#log.warn(
        { card, rejected: result.rejected.length, kept: result.kept },
        `${result.rejected.length} Metabase row(s) rejected, ${result.kept} kept`,
      );
    }
    return result;
  }

  /**
   * Runs one saved question and validates its rows as they arrive (or hands its bytes to
   * `parser`), retrying transient failures.
   */
  #runCard<S extends z.ZodType, T>(
    cardId: number,
    spec: CardSpec<S, T>,
    parameters: CardParameter[],
    sink?: RowSink<T>,
    parser?: ExportParser,
  ): Promise<CardResult<T> & { kept: number }> {
    const path = `/api/card/${cardId}/query/json`;
    const body = new URLSearchParams({ parameters: JSON.stringify(parameters), format_rows: 'false' }).toString();
    const form = 'application/x-www-form-urlencoded';
    const read = (status: number, answer: ResponseBody) =>
      this.#readCardAnswer(cardId, spec, status, answer, sink, parser);
    let reloggedIn = false;
    return withRetry(
      this.#retry,
      async () => {
        const headers = await this.#authHeaders();
        let result = await this.#post(path, body, form, headers, read);
        // A session can expire at any time; log in again once per call, then give up.
        if (result === UNAUTHORISED && this.#config.auth.kind === 'session' && !reloggedIn) {
          reloggedIn = true;
          this.#log.info('Metabase session expired; logging in again');
          // Unless a concurrent call has already replaced it.
          if (this.#sessionId === headers[SESSION_HEADER]) this.#sessionId = null;
          result = await this.#post(path, body, form, await this.#authHeaders(), read);
        }
        if (result === UNAUTHORISED) {
          const what = this.#config.auth.kind === 'apiKey' ? 'the API key' : 'the session';
          throw new MetabaseError('auth', `${UNAVAILABLE}: Metabase rejected ${what} (HTTP 401)`, undefined, 401);
        }
        return result;
      },
      (err) => err instanceof MetabaseError && err.retryable,
      (err, attempt, delayMs) =>
        this.#log.info(
          { cardId, attempt, delayMs, detail: (err as MetabaseError).detail },
          'Metabase read failed; retrying',
        ),
    );
  }

  async #readCardAnswer<S extends z.ZodType, T>(
    cardId: number,
    spec: CardSpec<S, T>,
    status: number,
    answer: ResponseBody,
    sink?: RowSink<T>,
    parser?: ExportParser,
  ): Promise<(CardResult<T> & { kept: number }) | typeof UNAUTHORISED> {
    if (status === 401) {
      await answer.dump();
      return UNAUTHORISED;
    }
    if (status < 200 || status >= 300) throw statusError(cardId, status, await answer.text());

    // A retry reads the card from the top: what an earlier try handed out is forgotten.
    sink?.restart();
    parser?.restart();
    const local = parser ? null : new CardExportReader(spec, sink);
    // Chunks already buffered are handed out through microtasks only: without a yield now and
    // then, parsing a large export would hold the event loop (and every Slack request) until done.
    const slicer = new TimeSlicer();
    for await (const chunk of answer) {
      // Bytes handed to a parser cost this thread next to nothing: nothing to give way for.
      if (parser) await parser.bytes(chunk as Uint8Array);
      else {
        local!.push(chunk as Uint8Array);
        if (slicer.due()) await slicer.yield();
      }
    }
    const ended = parser ? await parser.end() : local!.end();
    if (ended.kind === 'not_an_array') throw bodyError(status, ended.text);
    if (ended.kind === 'malformed')
      throw new MetabaseError(
        'bad_response',
        `${UNAVAILABLE}: Metabase answered with something that is not a list of rows`,
        ended.message,
        status,
      );
    const rows = local ? local.rows.result().rows : [];
    return { rows, rejected: ended.rejected, ...(ended.columns ? { columns: ended.columns } : {}), kept: ended.kept };
  }

  async #authHeaders(): Promise<Record<string, string>> {
    const auth = this.#config.auth;
    if (auth.kind === 'apiKey') return { 'x-api-key': auth.apiKey };
    return { [SESSION_HEADER]: await this.#session() };
  }

  /** The current session, logging in if there is none; concurrent callers share one login. */
  #session(): Promise<string> {
    if (this.#sessionId) return Promise.resolve(this.#sessionId);
    this.#loginInFlight ??= this.#login().finally(() => {
      this.#loginInFlight = null;
    });
    return this.#loginInFlight;
  }

  async #login(): Promise<string> {
    const auth = this.#config.auth;
    if (auth.kind !== 'session') throw new Error('login without session credentials');
    const { status, text } = await this.#post(
      '/api/session',
      JSON.stringify({ username: auth.username, password: auth.password }),
      'application/json',
      {},
      async (status, answer) => ({ status, text: await answer.text() }),
    );
    if (status >= 500)
      throw new MetabaseError('server', `${UNAVAILABLE}: Metabase login failed (HTTP ${status})`, clip(text), status);
    if (status !== 200)
      throw new MetabaseError(
        'auth',
        `${UNAVAILABLE}: Metabase rejected the login (HTTP ${status})`,
        clip(text),
        status,
      );
    let id: unknown;
    try {
      id = (JSON.parse(text) as { id?: unknown }).id;
    } catch {
      id = undefined;
    }
    if (typeof id !== 'string' || id === '')
      throw new MetabaseError(
        'bad_response',
        `${UNAVAILABLE}: Metabase login answered without a session id`,
        undefined,
        status,
      );
    this.#sessionId = id;
    return id;
  }

  /**
   * The one place a request leaves this module: always POST, always to a path built above
   * from a constant and a configured card id. `read` consumes the answer inside the time
   * limit, so a body that stalls halfway is a timeout too.
   */
  async #post<R>(
    path: string,
    body: string,
    contentType: string,
    headers: Record<string, string>,
    read: (status: number, answer: ResponseBody) => Promise<R>,
  ): Promise<R> {
    const signal = AbortSignal.timeout(this.#config.timeoutMs);
    this.#onRequest?.('POST', path);
    try {
      const res = await request(`${this.#config.url}${path}`, {
        method: 'POST',
        dispatcher: this.#agent,
        headers: { ...headers, 'content-type': contentType, accept: 'application/json' },
        body,
        signal,
      });
      return await read(res.statusCode, res.body);
    } catch (err) {
      // Our own errors (a worded MetabaseError, a bug) pass as they are: only what the
      // network did becomes a timeout or network failure, and only those are retried.
      if (signal.aborted || isTransportError(err))
        throw fromTransportError(err, this.#config.timeoutMs, signal.aborted);
      throw err;
    }
  }
}

const UNAUTHORISED = Symbol('unauthorised');

/** undici and socket errors carry a code (UND_ERR_*, ECONNRESET…); aborts are named. */
function isTransportError(err: unknown): boolean {
  if (err instanceof MetabaseError || typeof err !== 'object' || err === null) return false;
  const { code, name } = err as { code?: unknown; name?: unknown };
  return (
    (typeof code === 'string' && /^(UND_ERR|E[A-Z])/.test(code)) || name === 'AbortError' || name === 'TimeoutError'
  );
}

type ResponseBody = Dispatcher.ResponseData['body'];

/** A non-2xx answer to a card query, worded for the user. */
function statusError(cardId: number, status: number, text: string): MetabaseError {
  const detail = redactPersonal(clip(text));
  if (status >= 500)
    return new MetabaseError('server', `${UNAVAILABLE}: Metabase returned HTTP ${status}`, detail, status);
  if (status === 403)
    return new MetabaseError(
      'client',
      `${UNAVAILABLE}: Metabase refused access to saved question ${cardId} (HTTP 403)`,
      detail,
      status,
    );
  if (status === 404)
    return new MetabaseError(
      'client',
      `${UNAVAILABLE}: Metabase has no saved question ${cardId} (HTTP 404)`,
      detail,
      status,
    );
  return new MetabaseError('client', `${UNAVAILABLE}: Metabase refused the request (HTTP ${status})`, detail, status);
}

/** A 2xx answer that is not an array: the export endpoint reports a failed query this way (HTTP 202 or 200). */
function bodyError(status: number, text: string): MetabaseError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new MetabaseError(
      'bad_response',
      `${UNAVAILABLE}: Metabase answered with something that is not JSON`,
      clip(text, 120),
      status,
    );
  }
  if (typeof body === 'object' && body !== null && (body as { status?: unknown }).status === 'failed') {
    const error = (body as { error?: unknown }).error;
    // Metabase's message quotes the card's SQL and can quote customer data: logs only, masked.
    const message = redactPersonal(clip(typeof error === 'string' ? error : JSON.stringify(error ?? 'no message')));
    return new MetabaseError(
      'query_failed',
      `${UNAVAILABLE}: the report failed in Metabase (details are in the app's logs)`,
      `HTTP ${status}: ${message}`,
      status,
    );
  }
  return new MetabaseError(
    'bad_response',
    `${UNAVAILABLE}: Metabase answered with something that is not a list of rows`,
    clip(text, 120),
    status,
  );
}

function templateTag(type: CardParameter['type'], tag: string, value: number | string): CardParameter {
  return { type, target: ['variable', ['template-tag', tag]], value };
}

/** The production reader for a Metabase configuration (see config.ts `metabaseConfig`). */
export function createProductionReader(
  config: MetabaseConfig,
  logger: Logger,
  clock: Clock = systemClock,
  options: MetabaseClientOptions = {},
): MetabaseClient {
  return new MetabaseClient(config, logger, clock, options);
}
