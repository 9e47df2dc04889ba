/**
 * The Metabase client is read-only by construction (docs/product.md "Two databases, one
 * boundary"): it can log in and run the two configured saved questions, nothing else.
 *
 * Every request every client in this file makes goes through fake Metabases that record
 * it; the tests below drive all of the client's features (both cards, API key and session
 * auth, re-login, retries after 5xx / timeouts / dead sockets, failed queries, bad rows,
 * concurrency). After each test, and once more over the whole file, every recorded request
 * must be `POST /api/session` or `POST /api/card/<configured id>/query/json`.
 * The source of the production layer is checked too, so a new request path cannot appear
 * in a branch these tests do not reach.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../../src/logger';
import { createProductionReader, MetabaseClient } from '../../src/production/metabase-client';
import { type FakeMetabase, type FakeMetabaseOptions, startFakeMetabase } from '../support/fake-metabase';

const CUSTOMERS = 41;
const ORDERS = 42;
const NOW = new Date('2026-11-25T09:00:00Z');
const USER = { username: 'crm@example.com', password: 'pw' };

interface Seen {
  method: string;
  path: string;
  /** As the client announced it through onRequest. */
  announced: boolean;
}

const everything: Seen[] = [];
let current: { mb: FakeMetabase; announced: { method: string; path: string }[] }[] = [];

function allowed(r: { method: string; path: string }): boolean {
  return (
    r.method === 'POST' &&
    (r.path === '/api/session' ||
      r.path === `/api/card/${CUSTOMERS}/query/json` ||
      r.path === `/api/card/${ORDERS}/query/json`)
  );
}

async function client(auth: 'apiKey' | 'session', fake: Partial<FakeMetabaseOptions> = {}, timeoutMs = 2_000) {
  const mb = await startFakeMetabase({
    customersCardId: CUSTOMERS,
    ordersCardId: ORDERS,
    now: () => NOW,
    ...(auth === 'apiKey' ? { apiKey: 'k' } : USER),
    ...fake,
  });
  const entry = { mb, announced: [] as { method: string; path: string }[] };
  current.push(entry);
  mb.setCustomers([
    {
      customer_id: 'C1',
      customer_name: 'ACME',
      market: 'AE',
      currency: 'AED',
      order_count: 2,
      lifetime_total: '10.00',
      last_order_at: '2026-11-20T00:00:00Z',
    },
    {
      customer_id: 'C1',
      customer_name: 'ACME',
      market: 'KW',
      currency: 'KWD',
      order_count: 1,
      lifetime_total: '1.500',
      last_order_at: '2026-01-20T00:00:00Z',
    },
  ]);
  mb.setOrders('C1', [
    {
      order_id: 1,
      created_at: '2026-11-20T00:00:00Z',
      market: 'AE',
      currency: 'AED',
      total: '10.00',
      status: 'delivered',
    },
  ]);
  const reader = createProductionReader(
    {
      url: mb.url,
      auth: auth === 'apiKey' ? { kind: 'apiKey', apiKey: 'k' } : { kind: 'session', ...USER },
      customersCardId: CUSTOMERS,
      ordersCardId: ORDERS,
      timeoutMs,
    },
    createLogger('silent'),
    undefined,
    {
      retry: { maxAttempts: 3, baseDelayMs: 2, maxDelayMs: 5 },
      onRequest: (method, path) => entry.announced.push({ method, path }),
    },
  );
  return { mb, reader };
}

afterEach(async () => {
  const fakes = current;
  current = [];
  for (const { mb, announced } of fakes) {
    await mb.close();
    for (const r of mb.requests)
      everything.push({
        method: r.method,
        path: r.path,
        announced: announced.some((a) => a.method === r.method && a.path === r.path),
      });
    // What the client says it sent and what the server received are the same list.
    const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
    expect(announced.map(key).sort()).toEqual(mb.requests.map(key).sort());
    expect(mb.requests.filter((r) => !allowed(r))).toEqual([]);
  }
});

describe('every client feature, recorded', () => {
  it('runs both cards with an API key', async () => {
    const { reader } = await client('apiKey', { keyStyle: 'title', stringValues: true });
    expect((await reader.fetchCustomers(120)).rows).toHaveLength(2);
    expect((await reader.fetchOrders('C1')).rows).toHaveLength(1);
    expect(reader.lastCall()).toMatchObject({ ok: true });
    await reader.close();
  });

  it('logs in, re-logs in after expiry, and gives up after one re-login', async () => {
    const { mb, reader } = await client('session');
    await reader.fetchCustomers(120);
    mb.expireSessions();
    await reader.fetchOrders('C1');
    mb.failNext({ kind: 'sessionExpired', times: 2 });
    await expect(reader.fetchCustomers(120)).rejects.toMatchObject({ kind: 'auth' });
    expect(mb.loginCount).toBe(3);
    await reader.close();
  });

  it('retries 5xx, timeouts and dead sockets, and stops on failed queries and 4xx', async () => {
    const { mb, reader } = await client('apiKey', {}, 150);
    mb.failNext({ kind: 'http500' });
    mb.failNext({ kind: 'deadSocket' });
    await reader.fetchCustomers(120);
    mb.failNext({ kind: 'slow', delayMs: 2_000 });
    mb.failNext({ kind: 'stalledBody', delayMs: 2_000 });
    await reader.fetchOrders('C1');
    mb.failNext({ kind: 'failed202' });
    await expect(reader.fetchCustomers(120)).rejects.toMatchObject({ kind: 'query_failed' });
    mb.failNext({ kind: 'failed200' });
    await expect(reader.fetchOrders('C1')).rejects.toMatchObject({ kind: 'query_failed' });
    mb.failNext({ kind: 'httpError', status: 403 });
    await expect(reader.fetchOrders('C1')).rejects.toMatchObject({ kind: 'client' });
    mb.failNext({ kind: 'http500', times: 3 });
    await expect(reader.fetchCustomers(120)).rejects.toMatchObject({ kind: 'server' });
    await reader.close();
  });

  it('reads bad rows and concurrent calls through the same two endpoints', async () => {
    const { mb, reader } = await client('session');
    mb.setRawRows('customers', [{ customer_id: '' }]);
    const results = await Promise.all([
      reader.fetchCustomers(30),
      reader.fetchCustomers(120),
      reader.fetchOrders('C1'),
      reader.fetchOrders('C2'),
    ]);
    expect(results[1]!.rejected).toHaveLength(1);
    expect(mb.loginCount).toBe(1);
    await reader.close();
  });

  it('saw every kind of request across the file, and only the allowed ones', () => {
    const kinds = new Set(everything.map((r) => `${r.method} ${r.path}`));
    expect([...kinds].sort()).toEqual([
      'POST /api/card/41/query/json',
      'POST /api/card/42/query/json',
      'POST /api/session',
    ]);
    expect(everything.length).toBeGreaterThan(25);
    expect(everything.every((r) => r.announced)).toBe(true);
    // No write verb other than those POSTs, and never the capped non-export endpoint.
    expect(everything.filter((r) => r.method !== 'POST')).toEqual([]);
    expect(everything.filter((r) => /\/query$/.test(r.path))).toEqual([]);
  });
});

describe('by construction', () => {
  const dir = join(__dirname, '..', '..', 'src', 'production');
  const sources = Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );

  it('has one file that talks HTTP, with one request call, always POST', () => {
    const talking = Object.entries(sources)
      .filter(([, src]) => /from 'undici'|from 'node:http|from 'https?'|\bfetch\(|axios/.test(src))
      .map(([f]) => f);
    expect(talking).toEqual(['metabase-client.ts']);
    const src = sources['metabase-client.ts']!;
    expect(src.match(/\brequest\(/g)).toHaveLength(1);
    const verbs = Object.values(sources).flatMap(
      (text) => text.match(/['"`](GET|HEAD|PUT|PATCH|DELETE|OPTIONS|POST|CONNECT|TRACE)['"`]/gi) ?? [],
    );
    expect(new Set(verbs)).toEqual(new Set(["'POST'"]));
  });

  it('names no API path but the login and the export of a configured card', () => {
    const paths = Object.values(sources).flatMap((src) => src.match(/[`'"]\/api\/[^`'"]*[`'"]/g) ?? []);
    // The second is the source text of a template literal, quoted here as plain text.
    const exportPath = ['`/api/card/', '$', '{cardId}/query/json`'].join('');
    expect([...new Set(paths)].sort()).toEqual(["'/api/session'", exportPath]);
    // cardId only ever comes from the configuration.
    expect(
      sources['metabase-client.ts']!.match(/#runCard\(\s*[^,]+,/g)?.map((call) => call.replace(/\s+/g, '')),
    ).toEqual(['#runCard(this.#config.customersCardId,', '#runCard(this.#config.ordersCardId,']);
  });

  it('exposes only the reader methods; the rest is private at run time', () => {
    expect(Object.getOwnPropertyNames(MetabaseClient.prototype).sort()).toEqual([
      'close',
      'constructor',
      'fetchCustomers',
      'fetchOrders',
      'lastCall',
      'readCustomersExport',
      'streamCustomers',
    ]);
  });
});
