import { Writable } from 'node:stream';
import { ManualClock } from '../../src/clock';
import { decimalToMinor } from '../../src/common/money';
import type { MetabaseConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import {
  createProductionReader,
  type MetabaseClient,
  type MetabaseClientOptions,
} from '../../src/production/metabase-client';
import { MetabaseError } from '../../src/production/metabase-error';
import { ProductionError } from '../../src/production/types';
import {
  type FakeCustomerRow,
  type FakeMetabase,
  type FakeMetabaseOptions,
  startFakeMetabase,
} from '../support/fake-metabase';
import { TIMEOUT_NOT_UNDER_TEST_MS } from '../support/timeouts';

const CUSTOMERS = 11;
const ORDERS = 12;
const NOW = new Date('2026-11-25T09:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

function customer(i: number, overrides: Partial<FakeCustomerRow> = {}): FakeCustomerRow {
  return {
    customer_id: `C${i}`,
    customer_name: `Customer ${i}`,
    company: i % 2 ? `Company ${i}` : null,
    email: `buyer${i}@example.com`,
    phone: null,
    market: 'AE',
    currency: 'AED',
    order_count: 1 + (i % 7),
    lifetime_total: `${1000 + i}.${String(i % 100).padStart(2, '0')}`,
    last_order_at: daysAgo(i % 90),
    ...overrides,
  };
}

/** Log lines the client wrote, parsed. */
class LogSink extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    for (const line of chunk.toString().split('\n').filter(Boolean))
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  }
}

interface Setup {
  mb: FakeMetabase;
  client: MetabaseClient;
  logs: LogSink;
  clock: ManualClock;
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function setup(
  fake: Partial<FakeMetabaseOptions> = {},
  client: {
    auth?: MetabaseConfig['auth'];
    timeoutMs?: number;
    options?: MetabaseClientOptions;
    customersCardId?: number;
  } = {},
): Promise<Setup> {
  const mb = await startFakeMetabase({
    apiKey: 'key-1',
    customersCardId: CUSTOMERS,
    ordersCardId: ORDERS,
    now: () => NOW,
    ...fake,
  });
  open.push(mb);
  const logs = new LogSink();
  const clock = new ManualClock(NOW);
  const reader = createProductionReader(
    {
      url: mb.url,
      auth: client.auth ?? { kind: 'apiKey', apiKey: 'key-1' },
      customersCardId: client.customersCardId ?? CUSTOMERS,
      ordersCardId: ORDERS,
      timeoutMs: client.timeoutMs ?? TIMEOUT_NOT_UNDER_TEST_MS,
    },
    createLogger('info', logs),
    clock,
    { retry: { baseDelayMs: 5, maxDelayMs: 20 }, ...client.options },
  );
  open.push(reader);
  return { mb, client: reader, logs, clock };
}

const cardRequests = (mb: FakeMetabase) => mb.requests.filter((r) => r.path.startsWith('/api/card/'));

describe('Customers card through the export endpoint', () => {
  it('brings every one of 2,500 customers (more than the 2,000-row cap of /query)', async () => {
    const { mb, client } = await setup();
    mb.setCustomers(Array.from({ length: 2500 }, (_, i) => customer(i)));

    const { rows, rejected } = await client.fetchCustomers(120);

    expect(rejected).toEqual([]);
    expect(rows).toHaveLength(2500);
    expect(new Set(rows.map((r) => r.customerId)).size).toBe(2500);
    expect(rows[2499]).toMatchObject({ customerId: 'C2499', currency: 'AED', lifetimeTotal: '3499.99' });

    const [req] = mb.requests;
    expect(mb.requests).toHaveLength(1);
    expect(req).toMatchObject({ method: 'POST', path: `/api/card/${CUSTOMERS}/query/json` });
    expect(req!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req!.headers['x-api-key']).toBe('key-1');
    expect(req!.form).toEqual({ parameters: expect.any(String), format_rows: 'false' });
    expect(req!.parameters).toEqual([{ type: 'number', target: ['variable', ['template-tag', 'days']], value: 120 }]);
  });

  it('reads humanised titles and string values exactly like SQL names and JSON numbers', async () => {
    const { mb, client } = await setup({ keyStyle: 'sql', stringValues: false });
    const fixture = [
      customer(1, { lifetime_total: '1234.567', currency: 'KWD', market: 'KW' }),
      customer(2, { lifetime_total: '-0.50', phone: '+971 50 123 4567' }),
      customer(3, { customer_id: 3003, lifetime_total: '0' }),
    ];
    mb.setCustomers(fixture);
    const plain = await client.fetchCustomers(120);
    mb.setOptions({ keyStyle: 'title', stringValues: true });
    const titled = await client.fetchCustomers(120);

    expect(mb.requests.map((r) => JSON.stringify(Object.keys(r.form ?? {})))).toEqual([
      '["parameters","format_rows"]',
      '["parameters","format_rows"]',
    ]);
    expect(titled.rejected).toEqual([]);
    // Same rows; a JSON number 1234.50 reads as "1234.5", the string as "1234.50": the same money.
    const withoutTotal = (rows: typeof plain.rows) => rows.map(({ lifetimeTotal: _t, ...rest }) => rest);
    expect(withoutTotal(titled.rows)).toEqual(withoutTotal(plain.rows));
    expect(plain.rows.map((r) => r.lifetimeTotal)).toEqual(['1234.567', '-0.5', '0']);
    expect(
      titled.rows.map((r) => [
        r.customerId,
        r.currency,
        decimalToMinor(r.lifetimeTotal, r.currency === 'KWD' ? 3 : 2),
        r.orderCount,
        r.phone,
      ]),
    ).toEqual([
      ['C1', 'KWD', 1234567n, 2, null],
      ['C2', 'AED', -50n, 3, '+971 50 123 4567'],
      ['3003', 'AED', 0n, 4, null],
    ]);
    expect(titled.rows[0]!.lastOrderAt).toEqual(new Date(daysAgo(1)));
  });

  it('returns every currency row of a customer active in the window, none of an inactive one', async () => {
    const { mb, client } = await setup();
    mb.setCustomers([
      customer(1, { currency: 'AED', last_order_at: daysAgo(10) }),
      customer(1, { currency: 'KWD', market: 'KW', lifetime_total: '10.000', last_order_at: daysAgo(400) }),
      customer(2, { last_order_at: daysAgo(200) }),
    ]);
    const { rows } = await client.fetchCustomers(120);
    expect(rows.map((r) => `${r.customerId}/${r.currency}`)).toEqual(['C1/AED', 'C1/KWD']);
  });

  it('keeps bad rows apart, logged with a reason and without personal data, and keeps the rest', async () => {
    const { mb, client, logs } = await setup({ keyStyle: 'title', stringValues: true });
    mb.setCustomers([customer(1), customer(2)]);
    mb.setRawRows('customers', [
      {
        'Customer ID': 'C3',
        'Customer Name': 'Bad Total',
        Company: null,
        Email: 'secret@example.com',
        Phone: null,
        Market: 'AE',
        Currency: 'AED',
        'Order Count': '1',
        'Lifetime Total': '1,234.00',
        'Last Order At': daysAgo(1),
      },
      {
        'Customer ID': 'C4',
        'Customer Name': 'Bad Date',
        Company: null,
        Email: 'secret@example.com',
        Phone: null,
        Market: 'AE',
        Currency: 'AED',
        'Order Count': '1',
        'Lifetime Total': '1.00',
        'Last Order At': 'last Tuesday',
      },
    ]);

    const { rows, rejected } = await client.fetchCustomers(120);

    expect(rows.map((r) => r.customerId)).toEqual(['C1', 'C2']);
    expect(rejected).toEqual([
      { index: 2, reason: 'lifetime_total: must be a plain decimal number', customerId: 'C3', currency: 'AED' },
      { index: 3, reason: 'last_order_at: must be an ISO 8601 date', customerId: 'C4', currency: 'AED' },
    ]);
    const rejectedLogs = logs.lines.filter((l) => l.msg === 'Metabase row rejected: it does not fit the card schema');
    expect(rejectedLogs.map((l) => [l.rowIndex, l.reason])).toEqual([
      [2, 'lifetime_total: must be a plain decimal number'],
      [3, 'last_order_at: must be an ISO 8601 date'],
    ]);
    expect(JSON.stringify(logs.lines)).not.toContain('secret@example.com');
    expect(client.lastCall()).toMatchObject({ ok: true });
  });
});

describe('Orders card', () => {
  it('passes the customer id as a text template tag and returns its orders', async () => {
    const { mb, client } = await setup({ keyStyle: 'title', stringValues: true });
    mb.setOrders('C1', [
      {
        order_id: 501,
        created_at: '2026-11-01T08:00:00Z',
        market: 'KW',
        currency: 'KWD',
        total: '12.500',
        status: 'delivered',
      },
      {
        order_id: 502,
        created_at: '2026-11-02T08:00:00Z',
        market: 'KW',
        currency: 'KWD',
        total: '-2.250',
        status: 'refunded',
      },
    ]);
    const { rows, rejected } = await client.fetchOrders('C1');
    expect(rejected).toEqual([]);
    expect(rows).toEqual([
      {
        orderId: '501',
        createdAt: new Date('2026-11-01T08:00:00Z'),
        market: 'KW',
        currency: 'KWD',
        total: '12.500',
        status: 'delivered',
      },
      {
        orderId: '502',
        createdAt: new Date('2026-11-02T08:00:00Z'),
        market: 'KW',
        currency: 'KWD',
        total: '-2.250',
        status: 'refunded',
      },
    ]);
    expect(mb.requests[0]).toMatchObject({ method: 'POST', path: `/api/card/${ORDERS}/query/json` });
    expect(mb.requests[0]!.parameters).toEqual([
      { type: 'category', target: ['variable', ['template-tag', 'customer_id']], value: 'C1' },
    ]);
    expect((await client.fetchOrders('nobody')).rows).toEqual([]);
  });
});

describe('failures', () => {
  it.each(['failed202', 'failed200'] as const)(
    'treats a %s body as an error with its message, without retrying',
    async (kind) => {
      const { mb, client } = await setup();
      mb.failNext({ kind, message: 'ERROR: relation "orders" does not exist' });
      const err = await client.fetchCustomers(120).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProductionError);
      // Metabase's SQL error goes to the log only; people see a plain reason.
      expect((err as ProductionError).userMessage).toBe(
        "Production data unavailable: the report failed in Metabase (details are in the app's logs)",
      );
      expect((err as ProductionError).detail).toContain('relation "orders" does not exist');
      expect(cardRequests(mb)).toHaveLength(1);
      expect(client.lastCall()).toEqual({
        at: NOW,
        ok: false,
        error: (err as ProductionError).userMessage,
        kind: 'card_failed',
      });
    },
  );

  it('retries a 500 and succeeds', async () => {
    const { mb, client, logs } = await setup();
    mb.setCustomers([customer(1)]);
    mb.failNext({ kind: 'http500' });
    const { rows } = await client.fetchCustomers(120);
    expect(rows).toHaveLength(1);
    expect(cardRequests(mb)).toHaveLength(2);
    expect(client.lastCall()).toEqual({ at: NOW, ok: true });
    expect(logs.lines.some((l) => l.msg === 'Metabase read failed; retrying')).toBe(true);
  });

  it('gives up after the bounded number of tries on a lasting 500', async () => {
    const { mb, client } = await setup({}, { options: { retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 10 } } });
    mb.failNext({ kind: 'http500', times: 10 });
    await expect(client.fetchCustomers(120)).rejects.toMatchObject({
      userMessage: 'Production data unavailable: Metabase returned HTTP 500',
      kind: 'server',
    });
    expect(cardRequests(mb)).toHaveLength(3);
  });

  it('does not retry a 4xx', async () => {
    const { mb, client } = await setup();
    mb.failNext({ kind: 'httpError', status: 400, message: 'Invalid parameter' });
    await expect(client.fetchCustomers(120)).rejects.toMatchObject({
      userMessage: 'Production data unavailable: Metabase refused the request (HTTP 400)',
      kind: 'client',
    });
    expect(cardRequests(mb)).toHaveLength(1);
  });

  it('refuses an answer that is not a list of rows, without retrying', async () => {
    const { mb, client } = await setup();
    mb.failNext({ kind: 'httpError', status: 200, body: '<html>Metabase is starting</html>' });
    await expect(client.fetchCustomers(120)).rejects.toMatchObject({
      kind: 'bad_response',
      userMessage: 'Production data unavailable: Metabase answered with something that is not JSON',
    });
    mb.failNext({ kind: 'httpError', status: 200, body: '{"data":{"rows":[]}}' });
    await expect(client.fetchCustomers(120)).rejects.toMatchObject({
      kind: 'bad_response',
      userMessage: 'Production data unavailable: Metabase answered with something that is not a list of rows',
    });
    mb.failNext({ kind: 'httpError', status: 200, body: '[{"customer_id":"C1"},' });
    await expect(client.fetchCustomers(120)).rejects.toMatchObject({
      kind: 'bad_response',
      userMessage: 'Production data unavailable: Metabase answered with something that is not a list of rows',
    });
    expect(cardRequests(mb)).toHaveLength(3);
  });

  it('names a card id Metabase does not have', async () => {
    const { client } = await setup({}, { customersCardId: 999 });
    await expect(client.fetchCustomers(120)).rejects.toMatchObject({
      userMessage: 'Production data unavailable: Metabase has no saved question 999 (HTTP 404)',
    });
  });

  it('times out a slow Metabase, retries, and says so in seconds', async () => {
    const { mb, client } = await setup(
      {},
      { timeoutMs: 200, options: { retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 } } },
    );
    // Slow answers come after a minute, longer than the test may run: only the timeout ends the call.
    mb.failNext({ kind: 'slow', times: 2 });
    const err = await client.fetchCustomers(120).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MetabaseError);
    expect((err as MetabaseError).userMessage).toBe('Production data unavailable: Metabase timed out after 0.2 s');
    expect(cardRequests(mb)).toHaveLength(2);
  });

  it('times out a body that stalls halfway, not only a late answer', async () => {
    const { mb, client } = await setup({}, { timeoutMs: 300, options: { retry: { maxAttempts: 1 } } });
    // The body's end comes after a minute: only the timeout ends the call.
    mb.failNext({ kind: 'stalledBody' });
    await expect(client.fetchCustomers(120)).rejects.toMatchObject({
      kind: 'timeout',
      userMessage: 'Production data unavailable: Metabase timed out after 0.3 s',
    });
  });

  it('recovers from a slow answer by retrying', async () => {
    const { mb, client } = await setup({}, { timeoutMs: 200 });
    mb.setCustomers([customer(1)]);
    mb.failNext({ kind: 'slow', delayMs: 5_000 });
    expect((await client.fetchCustomers(120)).rows).toHaveLength(1);
    expect(cardRequests(mb)).toHaveLength(2);
  });

  it('retries a dead socket and succeeds', async () => {
    const { mb, client } = await setup();
    mb.setCustomers([customer(1)]);
    mb.failNext({ kind: 'deadSocket' });
    expect((await client.fetchCustomers(120)).rows).toHaveLength(1);
    expect(cardRequests(mb)).toHaveLength(2);
  });

  it('reports a lasting dead socket as a network failure', async () => {
    const { mb, client } = await setup();
    mb.failNext({ kind: 'deadSocket', times: 3 });
    await expect(client.fetchCustomers(120)).rejects.toMatchObject({
      kind: 'network',
      userMessage:
        'Production data unavailable: could not reach Metabase (connection closed before the answer was complete)',
    });
  });

  it('reports a Metabase that is not listening', async () => {
    const { mb, client } = await setup({}, { options: { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } } });
    await mb.close();
    await expect(client.fetchCustomers(120)).rejects.toMatchObject({
      kind: 'network',
      userMessage: 'Production data unavailable: could not reach Metabase (connection refused)',
    });
  });

  it('refuses a wrong API key without retrying', async () => {
    const { mb, client } = await setup({}, { auth: { kind: 'apiKey', apiKey: 'wrong' } });
    await expect(client.fetchCustomers(120)).rejects.toMatchObject({
      kind: 'auth',
      userMessage: 'Production data unavailable: Metabase rejected the API key (HTTP 401)',
    });
    expect(cardRequests(mb)).toHaveLength(1);
  });
});

describe('session login', () => {
  const session = { auth: { kind: 'session', username: 'crm@example.com', password: 'pw' } as const };

  it('logs in once, then sends the session header', async () => {
    const { mb, client } = await setup({ apiKey: undefined, username: 'crm@example.com', password: 'pw' }, session);
    mb.setCustomers([customer(1)]);
    await Promise.all([client.fetchCustomers(120), client.fetchCustomers(120), client.fetchOrders('C1')]);
    expect(mb.loginCount).toBe(1);
    const login = mb.requests[0]!;
    expect(login).toMatchObject({ method: 'POST', path: '/api/session' });
    expect(JSON.parse(login.body)).toEqual({ username: 'crm@example.com', password: 'pw' });
    for (const r of cardRequests(mb)) expect(r.headers['x-metabase-session']).toEqual(expect.any(String));
    expect(cardRequests(mb).every((r) => r.headers['x-api-key'] === undefined)).toBe(true);
  });

  it('logs in again once when the session has expired', async () => {
    const { mb, client } = await setup({ apiKey: undefined, username: 'crm@example.com', password: 'pw' }, session);
    mb.setCustomers([customer(1)]);
    await client.fetchCustomers(120);
    mb.expireSessions();
    expect((await client.fetchCustomers(120)).rows).toHaveLength(1);
    expect(mb.loginCount).toBe(2);
    expect(mb.requests.map((r) => r.path)).toEqual([
      '/api/session',
      `/api/card/${CUSTOMERS}/query/json`,
      `/api/card/${CUSTOMERS}/query/json`,
      '/api/session',
      `/api/card/${CUSTOMERS}/query/json`,
    ]);
  });

  it('gives up after one re-login when Metabase keeps answering 401', async () => {
    const { mb, client } = await setup({ apiKey: undefined, username: 'crm@example.com', password: 'pw' }, session);
    mb.failNext({ kind: 'sessionExpired', times: 5 });
    await expect(client.fetchCustomers(120)).rejects.toMatchObject({
      kind: 'auth',
      userMessage: 'Production data unavailable: Metabase rejected the session (HTTP 401)',
    });
    expect(mb.requests.map((r) => r.path)).toEqual([
      '/api/session',
      `/api/card/${CUSTOMERS}/query/json`,
      '/api/session',
      `/api/card/${CUSTOMERS}/query/json`,
    ]);
  });

  it('reports a refused login without retrying', async () => {
    const { mb, client } = await setup({ apiKey: undefined, username: 'crm@example.com', password: 'other' }, session);
    await expect(client.fetchCustomers(120)).rejects.toMatchObject({
      kind: 'auth',
      userMessage: 'Production data unavailable: Metabase rejected the login (HTTP 401)',
    });
    expect(mb.requests.map((r) => r.path)).toEqual(['/api/session']);
  });

  it('retries a login that hit a 500', async () => {
    const { mb, client } = await setup({ apiKey: undefined, username: 'crm@example.com', password: 'pw' }, session);
    mb.setCustomers([customer(1)]);
    mb.failNext({ kind: 'http500', target: 'session' });
    expect((await client.fetchCustomers(120)).rows).toHaveLength(1);
    expect(mb.requests.map((r) => r.path)).toEqual([
      '/api/session',
      '/api/session',
      `/api/card/${CUSTOMERS}/query/json`,
    ]);
  });
});

describe('lastCall', () => {
  it('is null before any call and never makes a request', async () => {
    const { mb, client, clock } = await setup();
    expect(client.lastCall()).toBeNull();
    mb.setCustomers([customer(1)]);
    await client.fetchCustomers(120);
    clock.advance(60_000);
    const before = mb.requests.length;
    expect(client.lastCall()).toEqual({ at: NOW, ok: true });
    expect(mb.requests).toHaveLength(before);
  });

  it('refuses nonsense arguments before sending anything', async () => {
    const { mb, client } = await setup();
    await expect(client.fetchCustomers(0)).rejects.toThrow(RangeError);
    await expect(client.fetchCustomers(1.5)).rejects.toThrow(RangeError);
    await expect(client.fetchOrders('  ')).rejects.toThrow(RangeError);
    expect(mb.requests).toHaveLength(0);
  });
});
