/**
 * The fake Metabase must behave like the real one where it matters to the client, or tests
 * built on it prove nothing: the 2,000-row cap of the non-export endpoint, auth, 404s,
 * form parsing, exact number literals and format_rows.
 */
import { request } from 'undici';
import { type FakeCustomerRow, type FakeMetabase, startFakeMetabase } from '../support/fake-metabase';

const NOW = new Date('2026-11-25T09:00:00Z');
let mb: FakeMetabase;

const row = (i: number, overrides: Partial<FakeCustomerRow> = {}): FakeCustomerRow => ({
  customer_id: `C${i}`,
  customer_name: `Customer ${i}`,
  market: 'KW',
  currency: 'KWD',
  order_count: 1,
  lifetime_total: '1234.560',
  last_order_at: NOW,
  ...overrides,
});

const daysParam = (days: number) =>
  JSON.stringify([{ type: 'number', target: ['variable', ['template-tag', 'days']], value: days }]);

async function post(
  path: string,
  body: string,
  contentType: string,
  headers: Record<string, string> = { 'x-api-key': 'k' },
) {
  const res = await request(`${mb.url}${path}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': contentType },
    body,
  });
  return { status: res.statusCode, text: await res.body.text() };
}

const exportCustomers = (days: number, formatRows = 'false', headers?: Record<string, string>) =>
  post(
    '/api/card/1/query/json',
    new URLSearchParams({ parameters: daysParam(days), format_rows: formatRows }).toString(),
    'application/x-www-form-urlencoded',
    headers,
  );

beforeEach(async () => {
  mb = await startFakeMetabase({ apiKey: 'k', customersCardId: 1, ordersCardId: 2, now: () => NOW });
});
afterEach(async () => {
  await mb.close();
});

describe('fake Metabase', () => {
  it('caps the non-export endpoint at 2,000 rows like the real one; the export endpoint is not capped', async () => {
    mb.setCustomers(Array.from({ length: 2500 }, (_, i) => row(i)));
    const capped = await post(
      '/api/card/1/query',
      JSON.stringify({ parameters: JSON.parse(daysParam(120)) as unknown[] }),
      'application/json',
    );
    const body = JSON.parse(capped.text) as {
      row_count: number;
      data: { rows: unknown[][]; rows_truncated?: number; cols: { name: string }[] };
    };
    expect(body.row_count).toBe(2000);
    expect(body.data.rows).toHaveLength(2000);
    expect(body.data.rows_truncated).toBe(2000);
    expect(body.data.cols.map((c) => c.name)).toContain('customer_id');

    const exported = await exportCustomers(120);
    expect(exported.status).toBe(200);
    expect(JSON.parse(exported.text)).toHaveLength(2500);
  });

  it('keeps decimal number literals exactly as production holds them, or sends strings', async () => {
    mb.setCustomers([row(1)]);
    expect((await exportCustomers(120)).text).toContain('"lifetime_total":1234.560,');
    mb.setOptions({ stringValues: true, keyStyle: 'title' });
    const text = (await exportCustomers(120)).text;
    expect(text).toContain('"Lifetime Total":"1234.560"');
    expect(text).toContain('"Order Count":"1"');
  });

  it('formats numbers when format_rows is not false, as Metabase does', async () => {
    mb.setCustomers([row(1)]);
    expect((await exportCustomers(120, 'true')).text).toContain('"lifetime_total":"1,234.560"');
  });

  it('filters the Customers card on days and records the parsed form', async () => {
    mb.setCustomers([
      row(1, { last_order_at: new Date(NOW.getTime() - 10 * 86_400_000) }),
      row(2, { last_order_at: new Date(NOW.getTime() - 50 * 86_400_000) }),
    ]);
    expect((JSON.parse((await exportCustomers(30)).text) as unknown[]).length).toBe(1);
    expect((JSON.parse((await exportCustomers(60)).text) as unknown[]).length).toBe(2);
    expect(mb.requests[0]!.form).toEqual({ parameters: daysParam(30), format_rows: 'false' });
    expect(mb.requests[0]!.parameters).toEqual(JSON.parse(daysParam(30)));
  });

  it('answers a missing parameter the way a failed query does', async () => {
    const res = await post('/api/card/1/query/json', 'format_rows=false', 'application/x-www-form-urlencoded');
    expect(res.status).toBe(202);
    expect(JSON.parse(res.text)).toMatchObject({ status: 'failed' });
  });

  it('checks the API key and the session, and 404s anything else', async () => {
    expect((await exportCustomers(120, 'false', { 'x-api-key': 'nope' })).status).toBe(401);
    const get = await request(`${mb.url}/api/card/1`, { method: 'GET', headers: { 'x-api-key': 'k' } });
    await get.body.dump();
    expect(get.statusCode).toBe(404);
    expect((await post('/api/dataset', '{}', 'application/json')).status).toBe(404);
    expect(
      (await post('/api/card/99/query/json', 'format_rows=false', 'application/x-www-form-urlencoded')).status,
    ).toBe(404);
    const del = await request(`${mb.url}/api/card/1/query/json`, { method: 'DELETE', headers: { 'x-api-key': 'k' } });
    await del.body.dump();
    expect(del.statusCode).toBe(404);
    expect(mb.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'POST', 'POST', 'DELETE']);
  });

  it('issues sessions and expires them', async () => {
    await mb.close();
    mb = await startFakeMetabase({ username: 'u', password: 'p', customersCardId: 1, ordersCardId: 2, now: () => NOW });
    expect(
      (await post('/api/session', JSON.stringify({ username: 'u', password: 'bad' }), 'application/json', {})).status,
    ).toBe(401);
    const login = await post('/api/session', JSON.stringify({ username: 'u', password: 'p' }), 'application/json', {});
    const { id } = JSON.parse(login.text) as { id: string };
    expect((await exportCustomers(120, 'false', { 'X-Metabase-Session': id })).status).toBe(200);
    mb.expireSessions();
    expect((await exportCustomers(120, 'false', { 'X-Metabase-Session': id })).status).toBe(401);
    expect(mb.loginCount).toBe(1);
  });

  it('serves 100,000 rows as one JSON array', async () => {
    mb.setCustomers(Array.from({ length: 100_000 }, (_, i) => row(i)));
    const res = await exportCustomers(120);
    expect(res.status).toBe(200);
    expect(res.text.startsWith('[{') && res.text.endsWith('}]')).toBe(true);
    expect(JSON.parse(res.text)).toHaveLength(100_000);
  });
});
