import { ManualClock } from '../../src/clock';
import type { Database } from '../../src/db/client';
import {
  INDEXED_SEARCH_MAX_MATCHES,
  MAX_INDEXED_LENGTH,
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

  it('finds a customer by a text longer than the index takes, and nothing for a text longer than every customer', async () => {
    const longName = `Long Name Trading ${'and sons '.repeat(40)}Limited`;
    await writeCustomerSnapshots(db, [snapshot('LN-1', longName, 10n)], clock.now());
    const inside = longName.slice(5, 5 + MAX_INDEXED_LENGTH + 50);
    expect(ids((await searchLeads(db.prisma, inside)).matches)).toEqual(['LN-1']);
    expect(ids(await searchLeadsTop(db.prisma, inside))).toEqual(['LN-1']);
    // Longer than any customer's text (a pasted page, a 1 MB request): no match, at once.
    const pasted = `${longName} `.repeat(3000);
    expect(await searchLeads(db.prisma, pasted)).toEqual({ matches: [], total: 0 });
    expect(await searchLeadsTop(db.prisma, pasted)).toEqual([]);
  });
});
