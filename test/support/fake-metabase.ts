/**
 * A fake Metabase on 127.0.0.1 for tests and benchmarks. It serves the two saved questions
 * of docs/metabase.md the way the real one does, including its traps:
 *
 * - `POST /api/card/:id/query/json` (the export endpoint): form-encoded body
 *   `parameters=<JSON array>&format_rows=false`; answers a JSON array of row objects keyed
 *   by column title (`keyStyle`), values as JSON numbers or as strings (`stringValues`).
 *   No row cap. With `format_rows` other than "false" numbers come back formatted
 *   ("1,234.56"), as in the real thing.
 * - `POST /api/card/:id/query` (the non-export endpoint): JSON body `{parameters}`; answers
 *   `{data: {rows, cols, rows_truncated}, row_count, status}` and, like the real one, stops
 *   at 2,000 rows. It exists so a test can show the client never uses it.
 * - `POST /api/session` with JSON `{username, password}` -> `{id}`; the id is then accepted
 *   in `X-Metabase-Session`. An API key is accepted in `x-api-key`. Anything else: 401.
 * - Every other verb or path: 404. Every request is recorded in `requests`.
 *
 * Usage:
 * ```ts
 * const mb = await startFakeMetabase({ apiKey: 'k', customersCardId: 11, ordersCardId: 12 });
 * mb.setCustomers([{ customer_id: 'C1', customer_name: 'ACME', market: 'AE', currency: 'AED',
 *   order_count: 3, lifetime_total: '1234.50', last_order_at: '2026-11-20T10:00:00Z' }]);
 * mb.failNext({ kind: 'http500' });       // the next card query answers 500
 * ...; await mb.close();
 * ```
 * Customers card semantics: a customer is returned when at least one of its rows has
 * `last_order_at` within `days` days of `now()`; then ALL its currency rows are returned.
 * Orders card: the rows given to `setOrders(customerId, rows)`, or none.
 *
 * Failure modes (`failNext`, card queries by default, `target: 'session'` for logins):
 * failed202 / failed200 (`{"status":"failed","error":…}`), http500, httpError (any status,
 * JSON message or raw `body`), slow (answers after `delayMs`), stalledBody (headers and `[`,
 * then silence), deadSocket (connection destroyed), sessionExpired (401). `times` repeats.
 * `setLatency(ms)` delays every answer; `holdAnswers()` keeps every answer until it is released (a
 * Metabase that is "still working", for tests that wait on events, not on time);
 * `expireSessions()` invalidates every session.
 * Serialised rows are cached per output style, so repeated 100,000-row answers stay cheap.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A Customers card row as production would hold it (SQL column names). */
export interface FakeCustomerRow {
  customer_id: string | number;
  customer_name: string;
  company?: string | null;
  email?: string | null;
  phone?: string | null;
  market: string;
  currency: string;
  order_count: number;
  /** Exact decimal text; served as a JSON number literal (or a string with stringValues). */
  lifetime_total: string;
  last_order_at: string | Date;
  /** The optional column: served only when some row of the card sets it (null: a null cell). */
  first_order_at?: string | Date | null;
}

/** An Orders card row (SQL column names). */
export interface FakeOrderRow {
  order_id: string | number;
  created_at: string | Date;
  market: string;
  currency: string;
  /** Exact decimal text, negative for a refund. */
  total: string;
  status: string;
}

/** `sql`: keys are SQL names (`customer_id`); `title`: humanised titles (`Customer ID`). */
export type KeyStyle = 'sql' | 'title';

export interface FakeMetabaseOptions {
  /** Accepted in `x-api-key`. */
  apiKey?: string;
  /** Accepted by `POST /api/session` (both needed for session auth). */
  username?: string;
  password?: string;
  customersCardId: number;
  ordersCardId: number;
  /** Default 'sql'. */
  keyStyle?: KeyStyle;
  /** Every non-null value as a JSON string. Default false (numbers as JSON numbers). */
  stringValues?: boolean;
  /** The Customers card's "now" for its `days` window. Default: the wall clock. */
  now?: () => Date;
}

export type FailureKind =
  /** HTTP 202 with `{"status":"failed","error":message}`: what the export endpoint does when the SQL fails. */
  | 'failed202'
  /** The same body with HTTP 200. */
  | 'failed200'
  /** HTTP 500 with a JSON message. */
  | 'http500'
  /** HTTP `status` (default 400) with a JSON message, or with `body` exactly as given. */
  | 'httpError'
  /** Answers normally, but only after `delayMs` (default 60 s): longer than any client timeout. */
  | 'slow'
  /** Reads the request, then destroys the socket without answering. */
  | 'deadSocket'
  /** Sends HTTP 200 and the first bytes of the array, then nothing for `delayMs` (default 60 s). */
  | 'stalledBody'
  /** HTTP 401, as when the session has expired (API keys get the same answer). */
  | 'sessionExpired';

export interface FailureSpec {
  kind: FailureKind;
  /** How many consecutive matching requests fail this way. Default 1. */
  times?: number;
  delayMs?: number;
  status?: number;
  message?: string;
  /** httpError: the raw body to send instead of a JSON message (e.g. an HTML error page). */
  body?: string;
  /** Which requests it hits: card queries (default) or logins. */
  target?: 'card' | 'session';
}

export interface RecordedRequest {
  method: string;
  /** The path without the query string, e.g. `/api/card/11/query/json`. */
  path: string;
  /** The query string without `?`, '' when none. */
  query: string;
  headers: IncomingHttpHeaders;
  /** The raw body (a long body is kept whole; tests send small ones). */
  body: string;
  /** The form fields of a form-encoded body, else null. */
  form: Record<string, string> | null;
  /** The `parameters` array of a card query (form or JSON body), else null. */
  parameters: unknown[] | null;
  at: Date;
}

export interface FakeMetabase {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Sessions handed out by `POST /api/session` so far. */
  readonly loginCount: number;
  setCustomers(rows: FakeCustomerRow[]): void;
  setOrders(customerId: string, rows: FakeOrderRow[]): void;
  /** Rows served verbatim (keys and values untouched) after the regular rows of every answer of that card: for malformed-row tests. */
  setRawRows(card: 'customers' | 'orders', rows: Record<string, unknown>[]): void;
  /** Changes key style, value style or clock from now on. */
  setOptions(options: Partial<Pick<FakeMetabaseOptions, 'keyStyle' | 'stringValues' | 'now'>>): void;
  /** Queues a failure for the next matching request(s). Failures are used in the order queued. */
  failNext(spec: FailureSpec): void;
  /** Added delay before every answer. */
  setLatency(ms: number): void;
  /** Holds every answer (those already waiting too) until the returned release is called. */
  holdAnswers(): () => void;
  /** Invalidates every session: the next session-authenticated call gets 401. */
  expireSessions(): void;
  clearRequests(): void;
  close(): Promise<void>;
}

const CUSTOMER_COLUMNS = [
  ['customer_id', 'Customer ID'],
  ['customer_name', 'Customer Name'],
  ['company', 'Company'],
  ['email', 'Email'],
  ['phone', 'Phone'],
  ['market', 'Market'],
  ['currency', 'Currency'],
  ['order_count', 'Order Count'],
  ['lifetime_total', 'Lifetime Total'],
  ['last_order_at', 'Last Order At'],
] as const;

/** The Customers card of a production that has the optional first_order_at column. */
const CUSTOMER_COLUMNS_WITH_FIRST_ORDER = [...CUSTOMER_COLUMNS, ['first_order_at', 'First Order At']] as const;

const ORDER_COLUMNS = [
  ['order_id', 'Order ID'],
  ['created_at', 'Created At'],
  ['market', 'Market'],
  ['currency', 'Currency'],
  ['total', 'Total'],
  ['status', 'Status'],
] as const;

/** Columns whose values are numbers in production (the rest are text or dates). */
const NUMERIC = new Set(['order_count', 'lifetime_total', 'total']);

const NON_EXPORT_ROW_CAP = 2000;
const CHUNK_ROWS = 2000;
const NUMBER_MARK = '\u0000';
/** How NUMBER_MARK looks inside JSON.stringify output. */
const NUMBER_MARK_JSON = '\\u0000';
const NUMBER_LITERAL_RE = /"\\u0000([-+0-9.]*)\\u0000"/g;
const DAY_MS = 86_400_000;

type QueuedFailure = FailureSpec & { times: number; target: 'card' | 'session' };

type Cell = string | number | null;

/** A row ready to serve: its cells in column order and its JSON text per output style. */
interface ServedRow {
  cells: Cell[];
  /** Serialised once per style and reused: the 100,000-row benchmark asks many times. */
  json?: Map<string, string>;
}

interface StoredCustomer extends ServedRow {
  id: string;
  lastOrderMs: number;
}

function isoOf(value: string | Date): string {
  return value instanceof Date ? value.toISOString() : value;
}

function groupDigits(decimal: string): string {
  const [whole, fraction] = decimal.split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

export async function startFakeMetabase(options: FakeMetabaseOptions): Promise<FakeMetabase> {
  let keyStyle: KeyStyle = options.keyStyle ?? 'sql';
  let stringValues = options.stringValues ?? false;
  let now = options.now ?? (() => new Date());
  let customers: StoredCustomer[] = [];
  let withFirstOrder = false;
  const orders = new Map<string, FakeOrderRow[]>();
  const rawRows: Record<'customers' | 'orders', Record<string, unknown>[]> = { customers: [], orders: [] };
  const failures: QueuedFailure[] = [];
  const sessions = new Set<string>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let latencyMs = 0;
  let held: Promise<void> | null = null;
  let loginCount = 0;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0) return resolve();
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  function takeFailure(target: 'card' | 'session'): FailureSpec | null {
    const i = failures.findIndex((f) => f.target === target);
    if (i === -1) return null;
    const f = failures[i]!;
    f.times -= 1;
    if (f.times <= 0) failures.splice(i, 1);
    return f;
  }

  function sendJson(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  function authorised(req: IncomingMessage): boolean {
    if (options.apiKey === undefined && options.username === undefined) return true;
    if (options.apiKey !== undefined && req.headers['x-api-key'] === options.apiKey) return true;
    const session = req.headers['x-metabase-session'];
    return typeof session === 'string' && sessions.has(session);
  }

  /** Applies a queued failure; true when the answer has been taken care of. */
  async function applyFailure(f: FailureSpec, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    switch (f.kind) {
      case 'failed202':
      case 'failed200':
        sendJson(res, f.kind === 'failed202' ? 202 : 200, {
          status: 'failed',
          error: f.message ?? 'ERROR: canceling statement due to statement timeout',
          error_type: 'invalid-query',
        });
        return true;
      case 'http500':
        sendJson(res, 500, { message: f.message ?? 'Internal server error' });
        return true;
      case 'httpError':
        if (f.body === undefined) sendJson(res, f.status ?? 400, { message: f.message ?? 'Bad request' });
        else {
          res.writeHead(f.status ?? 400, { 'content-type': 'text/html' });
          res.end(f.body);
        }
        return true;
      case 'sessionExpired':
        res.writeHead(401, { 'content-type': 'text/plain' });
        res.end('Unauthenticated');
        return true;
      case 'deadSocket':
        req.socket.destroy();
        return true;
      case 'slow':
        await wait(f.delayMs ?? 60_000);
        return res.destroyed || req.socket.destroyed;
      case 'stalledBody':
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.write('[');
        await wait(f.delayMs ?? 60_000);
        if (!res.destroyed) res.end(']');
        return true;
    }
  }

  function parameterValue(parameters: unknown[], tag: string): unknown {
    for (const p of parameters) {
      const target = (p as { target?: unknown })?.target;
      if (
        Array.isArray(target) &&
        target[0] === 'variable' &&
        Array.isArray(target[1]) &&
        target[1][0] === 'template-tag' &&
        target[1][1] === tag
      ) {
        const value = (p as { value?: unknown }).value;
        return Array.isArray(value) && value.length === 1 ? value[0] : value;
      }
    }
    return undefined;
  }

  /** The card's rows as [sqlName, value] cells, or a failure message like Metabase's. */
  interface CardAnswer {
    columns: readonly (readonly [string, string])[];
    rows: ServedRow[];
    raw: Record<string, unknown>[];
  }

  /** The card's answer, or a failure message like Metabase's. */
  function runCard(cardId: number, parameters: unknown[]): CardAnswer | { error: string } {
    if (cardId === options.customersCardId) {
      const daysValue = parameterValue(parameters, 'days');
      const days = typeof daysValue === 'string' ? Number(daysValue) : daysValue;
      if (typeof days !== 'number' || !Number.isFinite(days))
        return { error: "ERROR: missing or non-numeric value for required parameter 'days'" };
      const since = now().getTime() - days * DAY_MS;
      const active = new Set<string>();
      for (const c of customers) if (c.lastOrderMs >= since) active.add(c.id);
      return {
        columns: withFirstOrder ? CUSTOMER_COLUMNS_WITH_FIRST_ORDER : CUSTOMER_COLUMNS,
        rows: customers.filter((c) => active.has(c.id)),
        raw: rawRows.customers,
      };
    }
    if (cardId === options.ordersCardId) {
      const id = parameterValue(parameters, 'customer_id');
      if (typeof id !== 'string' && typeof id !== 'number')
        return { error: "ERROR: missing value for required parameter 'customer_id'" };
      const rows = (orders.get(String(id)) ?? []).map(
        (o): ServedRow => ({ cells: [o.order_id, isoOf(o.created_at), o.market, o.currency, o.total, o.status] }),
      );
      return { columns: ORDER_COLUMNS, rows, raw: rawRows.orders };
    }
    return { error: 'not found' };
  }

  /**
   * A cell as the export would carry it. Numbers that must stay exact JSON number literals
   * (decimal text such as "1234.560") are wrapped in a marker and unwrapped after
   * JSON.stringify: stringify on plain objects is several times faster than building the
   * JSON by hand, which matters at 100,000 rows.
   */
  function cellValue(column: string, value: Cell, formatRows: boolean): unknown {
    if (value === null) return null;
    if (NUMERIC.has(column)) {
      const text = String(value);
      if (formatRows) return groupDigits(text);
      return stringValues ? text : `${NUMBER_MARK}${text}${NUMBER_MARK}`;
    }
    if (typeof value === 'number') return stringValues ? String(value) : value;
    return value;
  }

  /** One row as a JSON object keyed by column title, numbers kept as exact literals. */
  function rowJson(columns: readonly (readonly [string, string])[], row: ServedRow, formatRows: boolean): string {
    const style = `${keyStyle}|${stringValues}|${formatRows}`;
    const cached = row.json?.get(style);
    if (cached !== undefined) return cached;
    const item: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) {
      const [sql, title] = columns[i]!;
      item[keyStyle === 'sql' ? sql : title] = cellValue(sql, row.cells[i]!, formatRows);
    }
    let text = JSON.stringify(item);
    if (text.includes(NUMBER_MARK_JSON)) text = text.replace(NUMBER_LITERAL_RE, '$1');
    row.json ??= new Map();
    row.json.set(style, text);
    return text;
  }

  /** Streams the export answer in chunks, honouring back-pressure: 100,000 rows stay cheap. */
  async function streamExport(res: ServerResponse, answer: CardAnswer, formatRows: boolean): Promise<void> {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    const texts = answer.rows
      .map((r) => rowJson(answer.columns, r, formatRows))
      .concat(answer.raw.map((r) => JSON.stringify(r)));
    if (texts.length === 0) return void res.end('[]');
    for (let start = 0; start < texts.length; start += CHUNK_ROWS) {
      if (res.destroyed) return;
      const last = start + CHUNK_ROWS >= texts.length;
      const piece = `${start === 0 ? '[' : ','}${texts.slice(start, start + CHUNK_ROWS).join(',')}${last ? ']' : ''}`;
      if (last) return void res.end(piece);
      if (!res.write(piece)) await new Promise<void>((resolve) => res.once('drain', resolve));
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const [path = '/', query = ''] = (req.url ?? '/').split('?', 2);
    const contentType = String(req.headers['content-type'] ?? '');
    const form = contentType.startsWith('application/x-www-form-urlencoded')
      ? Object.fromEntries(new URLSearchParams(body))
      : null;
    let parameters: unknown[] | null = null;
    let json: unknown = null;
    if (contentType.startsWith('application/json') && body) {
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
    }
    const parametersText = form?.parameters;
    if (parametersText !== undefined) {
      try {
        const parsed: unknown = JSON.parse(parametersText);
        parameters = Array.isArray(parsed) ? parsed : null;
      } catch {
        parameters = null;
      }
    } else if (json && Array.isArray((json as { parameters?: unknown }).parameters)) {
      parameters = (json as { parameters: unknown[] }).parameters;
    }
    requests.push({
      method: req.method ?? '',
      path,
      query,
      headers: req.headers,
      body,
      form,
      parameters,
      at: new Date(),
    });

    await wait(latencyMs);
    while (held) await held;

    if (req.method === 'POST' && path === '/api/session') {
      const failure = takeFailure('session');
      if (failure && (await applyFailure(failure, req, res))) return;
      const creds = (json ?? {}) as { username?: unknown; password?: unknown };
      if (
        options.username === undefined ||
        creds.username !== options.username ||
        creds.password !== options.password
      ) {
        return sendJson(res, 401, { errors: { password: 'did not match stored password' } });
      }
      const id = randomUUID();
      sessions.add(id);
      loginCount += 1;
      return sendJson(res, 200, { id });
    }

    const card = /^\/api\/card\/(\d+)\/query(\/json)?$/.exec(path);
    if (req.method !== 'POST' || !card) return sendJson(res, 404, { message: 'API endpoint does not exist.' });

    const failure = takeFailure('card');
    if (failure && (await applyFailure(failure, req, res))) return;
    if (!authorised(req)) {
      res.writeHead(401, { 'content-type': 'text/plain' });
      return void res.end('Unauthenticated');
    }
    const result = runCard(Number(card[1]), parameters ?? []);
    if ('error' in result) {
      if (result.error === 'not found') return sendJson(res, 404, { message: 'Not found.' });
      return sendJson(res, 202, { status: 'failed', error: result.error, error_type: 'invalid-query' });
    }
    if (card[2]) return streamExport(res, result, form?.format_rows !== 'false');

    // The non-export endpoint: arrays of values, column metadata, and the 2,000-row cap.
    const capped = result.rows.slice(0, NON_EXPORT_ROW_CAP).map((r) => r.cells);
    const truncated = result.rows.length + result.raw.length > NON_EXPORT_ROW_CAP;
    return sendJson(res, 202, {
      status: 'completed',
      row_count: capped.length,
      data: {
        rows: capped,
        cols: result.columns.map(([name, title]) => ({ name, display_name: title })),
        ...(truncated ? { rows_truncated: NON_EXPORT_ROW_CAP } : {}),
      },
    });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { message: String(err) });
        else res.destroy();
      });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get loginCount() {
      return loginCount;
    },
    setCustomers(rows) {
      withFirstOrder = rows.some((row) => row.first_order_at !== undefined);
      customers = rows.map((row) => {
        const lastOrderMs = new Date(row.last_order_at).getTime();
        if (Number.isNaN(lastOrderMs))
          throw new Error(`fake Metabase: bad last_order_at for customer ${row.customer_id}`);
        const cells: Cell[] = [
          row.customer_id,
          row.customer_name,
          row.company ?? null,
          row.email ?? null,
          row.phone ?? null,
          row.market,
          row.currency,
          row.order_count,
          row.lifetime_total,
          isoOf(row.last_order_at),
        ];
        if (withFirstOrder) cells.push(row.first_order_at ? isoOf(row.first_order_at) : null);
        return { cells, id: String(row.customer_id), lastOrderMs };
      });
    },
    setOrders(customerId, rows) {
      orders.set(customerId, rows);
    },
    setRawRows(card, rows) {
      rawRows[card] = rows;
    },
    setOptions(o) {
      if (o.keyStyle) keyStyle = o.keyStyle;
      if (o.stringValues !== undefined) stringValues = o.stringValues;
      if (o.now) now = o.now;
    },
    failNext(spec) {
      failures.push({ ...spec, times: spec.times ?? 1, target: spec.target ?? 'card' });
    },
    holdAnswers() {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      held = gate;
      return () => {
        if (held === gate) held = null;
        open();
      };
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    expireSessions() {
      sessions.clear();
    },
    clearRequests() {
      requests.length = 0;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
