import { ManualClock } from '../../src/clock';
import type { Database } from '../../src/db/client';
import {
  firstExactLead,
  INDEXED_SEARCH_MAX_MATCHES,
  SearchTextTooLongError,
  searchLeads,
  searchLeadsTop,
} from '../../src/domain/lead-search';
import { type CustomerSnapshot, writeCustomerSnapshots } from '../../src/domain/lead-sync';
import { openTestDatabase, type Provider } from '../support/databases';

describe.each<Provider>(['sqlite', 'postgres'])('lead search index on %s', (provider) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  const clock = new ManualClock('2026-11-25T09:00:00Z');
  beforeAll(async () => {
    ({ db, cleanup } = await openTestDatabase(provider));
  });
  afterAll(async () => cleanup());

  const snapshot = (customerId: string, name: string, cents: bigint): CustomerSnapshot => ({
    figures: {
      customerId,
      name,
      company: null,
      email: null,
      phone: null,
      markets: 'AE',
      orderCount: 1,
      lifetimeUsdCents: cents,
      unknownCurrencies: '',
      lastOrderAt: clock.now(),
      rateDate: clock.now(),
      searchText: `${name}  ${customerId}`.toLowerCase(),
    },
    totals: [],
  });
  const ids = (r: { customerId: string }[]) => r.map((m) => m.customerId);

  it('names the first of several texts that is a customer id or a single exact name, in one look-up', async () => {
    await writeCustomerSnapshots(
      db,
      [
        snapshot('FX-1', 'Falcon Trading', 5n),
        snapshot('FX-2', 'Twin Co', 5n),
        snapshot('FX-3', 'Twin Co', 6n),
        snapshot('FX-4', 'Falcon', 7n),
      ],
      clock.now(),
    );
    const found = await firstExactLead(db.prisma, ['falcon trading says', 'Falcon  Trading', 'falcon']);
    expect(found?.text).toBe('Falcon  Trading');
    expect(found?.lead.customerId).toBe('FX-1');
    // Two leads share the name: not exact; the id is.
    expect(await firstExactLead(db.prisma, ['twin co', 'twin'])).toBeNull();
    expect((await firstExactLead(db.prisma, ['fx-3 hello', 'FX-3']))?.lead.name).toBe('Twin Co');
    expect(await firstExactLead(db.prisma, ['x'.repeat(101)])).toBeNull();
  });

  it('refuses a search text over the limit before asking the database', async () => {
    await expect(searchLeads(db.prisma, `falcon ${'x'.repeat(200)}`)).rejects.toThrow(SearchTextTooLongError);
    await expect(searchLeadsTop(db.prisma, 'y'.repeat(60_000))).rejects.toThrow(
      'Search text can be at most 100 characters (this one has 60,000)',
    );
  });

  it('keeps the index in step with the sync: new customers, renames, wildcard characters', async () => {
    await writeCustomerSnapshots(db, [snapshot('IX-1', 'Zephyr Star*Trade [KSA]', 10n)], clock.now());
    expect(ids((await searchLeads(db.prisma, 'star*trade [k')).matches)).toEqual(['IX-1']);
    expect((await searchLeads(db.prisma, 'star?trade')).total).toBe(0);
    await writeCustomerSnapshots(db, [snapshot('IX-1', 'Quokka Imports', 10n)], clock.now());
    expect((await searchLeads(db.prisma, 'zephyr')).total).toBe(0);
    expect(ids((await searchLeads(db.prisma, 'okka imp')).matches)).toEqual(['IX-1']);
  });

  it('ranks a text that matches thousands of customers the same way: exact name, word prefix by USD, then the rest', async () => {
    // More matches than the index path takes: the best are found among the richest customers.
    const n = INDEXED_SEARCH_MAX_MATCHES + 200;
    const snaps = Array.from({ length: n }, (_, i) =>
      snapshot(`BR-${i}`, `Broadway Deli ${i}`, BigInt((i * 7919) % 100_000)),
    );
    snaps.push(snapshot('BR-X', 'Broadway', 1n), snapshot('BR-Y', 'Old Broadway', 99_999_999n));
    await writeCustomerSnapshots(db, snaps, clock.now());
    const byUsd = [...snaps].sort((a, b) => Number(b.figures.lifetimeUsdCents - a.figures.lifetimeUsdCents));
    const prefixed = byUsd.filter((s) => s.figures.name.startsWith('Broadway Deli')).map((s) => s.figures.customerId);
    const found = await searchLeads(db.prisma, 'broadway', 5);
    expect(found.total).toBe(n + 2);
    // Exact name first; Old Broadway has a word starting with the text, and the most USD.
    expect(ids(found.matches)).toEqual(['BR-X', 'BR-Y', ...prefixed.slice(0, 3)]);
    expect(ids(await searchLeadsTop(db.prisma, 'broadway', 5))).toEqual(ids(found.matches));
    // Inside words only: every match ranks "contains", so by USD.
    expect(ids(await searchLeadsTop(db.prisma, 'roadwa', 3))).toEqual(
      byUsd.slice(0, 3).map((s) => s.figures.customerId),
    );
    expect(ids(await searchLeadsTop(db.prisma, 'b', 2))).toEqual(['BR-Y', prefixed[0]]);
  });
});
