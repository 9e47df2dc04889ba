import type { CrmPrisma, Database } from '../../src/db/client';
import {
  type ExportFilter,
  type ExportRequest,
  type ExportScope,
  exportCurrencies,
  leadExportCsv,
  leadExportCsvPieces,
  leadExportPages,
  loadLeadsForExport,
} from '../../src/domain/lead-export';
import { leadExportCsvStream } from '../../src/exports/lead-csv';
import { openTestDatabase, type Provider } from '../support/databases';
import { seedLead } from '../support/seed-leads';

const now = new Date('2026-11-30T09:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

/** Nine leads; equal lifetime figures on purpose, so paging must order ties by id. */
async function seed(prisma: CrmPrisma): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  const add = async (customerId: string, s: Partial<Parameters<typeof seedLead>[1]>) => {
    ids[customerId] = await seedLead(prisma, {
      customerId,
      name: customerId.toUpperCase(),
      lifetimeUsdCents: 100_00n,
      ...s,
    });
  };
  await add('a', { stage: 'lead', ownerId: 'U0AM1', lifetimeUsdCents: 900_00n, lastOrderAt: daysAgo(5) });
  await add('b', {
    stage: 'negotiation',
    ownerId: 'U0AM1',
    lifetimeUsdCents: 500_00n,
    lastOrderAt: daysAgo(5),
    lastTouchAt: daysAgo(1),
  });
  await add('c', { stage: 'negotiation', ownerId: 'U0AM2', lifetimeUsdCents: 500_00n, lastOrderAt: daysAgo(40) });
  await add('d', { stage: 'lead', ownerId: null, lifetimeUsdCents: 500_00n, lastOrderAt: daysAgo(10) });
  await add('e', { stage: 'lead', ownerId: null, lastOrderAt: daysAgo(200) });
  await add('f', { stage: 'contacted', ownerId: 'U0AM2', lastOrderAt: daysAgo(2), lastTouchAt: daysAgo(2) });
  await add('g', { stage: 'lead', ownerId: null, lifetimeUsdCents: 0n, lastOrderAt: daysAgo(1) });
  await add('h', { stage: 'churned', ownerId: 'U0AM1', lifetimeUsdCents: 2_000_00n, lastOrderAt: null });
  await add('i', { stage: 'lead', ownerId: 'U0AM2', lifetimeUsdCents: 500_00n, lastOrderAt: daysAgo(89) });
  await prisma.customerCurrencyTotal.createMany({
    data: [
      { customerId: 'a', currency: 'KWD', market: 'KW', orderCount: 2, lifetimeMinor: 123_456n },
      { customerId: 'a', currency: 'AED', market: 'AE', orderCount: 1, lifetimeMinor: 10_000n },
    ],
  });
  const followUp = (leadId: number, nextDueAt: Date | null, active: boolean) =>
    prisma.followUpAlert.create({
      data: {
        leadId,
        ownerId: 'U0AM1',
        message: 'call',
        kind: 'once',
        timeOfDay: '09:00',
        timeZone: 'UTC',
        startDate: '2026-12-01',
        nextDueAt,
        active,
        createdBy: 'U0AM1',
      },
    });
  await followUp(ids.a!, new Date('2026-12-05T09:00:00Z'), true);
  await followUp(ids.a!, new Date('2026-12-02T09:00:00Z'), true);
  await followUp(ids.a!, new Date('2026-12-01T09:00:00Z'), false);
  await followUp(ids.b!, null, true);
  return ids;
}

describe.each<Provider>(['sqlite', 'postgres'])('loading leads for export on %s', (provider) => {
  let prisma: CrmPrisma;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const opened = await openTestDatabase(provider);
    prisma = opened.db.prisma;
    cleanup = opened.cleanup;
    await seed(prisma);
  });
  afterAll(() => cleanup());

  const load = (filter: ExportFilter, scope: ExportScope = { ownerId: null }, pageSize?: number) =>
    loadLeadsForExport(prisma, { filter, scope, viewerId: 'U0AM1', now, ...(pageSize ? { pageSize } : {}) }).then(
      (rows) => rows.map((r) => r.customerId),
    );

  it('reads every lead, biggest first and ties by age, whatever the page size', async () => {
    const everything = ['h', 'a', 'b', 'c', 'd', 'i', 'e', 'f', 'g'];
    expect(await load({ kind: 'all' })).toEqual(everything);
    expect(await load({ kind: 'all' }, { ownerId: null }, 2)).toEqual(everything);
    expect(await load({ kind: 'all' }, { ownerId: null }, 1)).toEqual(everything);
  });

  it('filters by stage, owner and the uncontacted question', async () => {
    expect(await load({ kind: 'stage', stage: 'negotiation' })).toEqual(['b', 'c']);
    expect(await load({ kind: 'mine' })).toEqual(['h', 'a', 'b']);
    // Ordered in the last 90 days and never touched.
    expect(await load({ kind: 'uncontacted', days: 90 })).toEqual(['a', 'c', 'd', 'i', 'g']);
    expect(await load({ kind: 'uncontacted', days: 7 })).toEqual(['a', 'g']);
  });

  it('keeps an account manager to the leads they own, whatever they ask for', async () => {
    const own = { ownerId: 'U0AM1' };
    expect(await load({ kind: 'all' }, own)).toEqual(['h', 'a', 'b']);
    expect(await load({ kind: 'stage', stage: 'negotiation' }, own)).toEqual(['b']);
    expect(await load({ kind: 'uncontacted', days: 90 }, own, 1)).toEqual(['a']);
  });

  it('carries per-currency totals and the next active follow-up', async () => {
    const rows = await loadLeadsForExport(prisma, {
      filter: { kind: 'mine' },
      scope: { ownerId: null },
      viewerId: 'U0AM1',
      now,
    });
    const a = rows.find((r) => r.customerId === 'a')!;
    expect(a.totals).toEqual([
      { currency: 'AED', minor: 10_000n },
      { currency: 'KWD', minor: 123_456n },
    ]);
    expect(a.nextFollowUpAt).toEqual(new Date('2026-12-02T09:00:00Z'));
    expect(rows.find((r) => r.customerId === 'b')!.nextFollowUpAt).toBeNull();
    expect(a.lifetimeUsdCents).toBe(900_00n);
  });
});

async function textOf(pieces: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const piece of pieces) text += piece;
  return text;
}

describe.each<Provider>(['sqlite', 'postgres'])('the CSV file an export writes on %s', (provider) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const opened = await openTestDatabase(provider);
    db = opened.db;
    cleanup = opened.cleanup;
    await seed(db.prisma);
  });
  afterAll(() => cleanup());

  const options = {
    stageLabels: { negotiation: 'Talks' },
    timeZone: 'Asia/Dubai',
    ownerNames: new Map([['U0AM1', 'Amira']]),
  };

  const requests: [string, ExportFilter, ExportScope][] = [
    ['all', { kind: 'all' }, { ownerId: null }],
    ['a stage', { kind: 'stage', stage: 'negotiation' }, { ownerId: null }],
    ['mine', { kind: 'mine' }, { ownerId: null }],
    ['uncontacted', { kind: 'uncontacted', days: 90 }, { ownerId: null }],
    ["an account manager's own", { kind: 'all' }, { ownerId: 'U0AM2' }],
    ["an account manager's uncontacted", { kind: 'uncontacted', days: 90 }, { ownerId: 'U0AM1' }],
  ];

  it.each(requests)(
    'holds the same bytes as the rows read whole, for %s, at any page size',
    async (_, filter, scope) => {
      for (const pageSize of [undefined, 1, 2]) {
        const request: ExportRequest = { filter, scope, viewerId: 'U0AM1', now, ...(pageSize ? { pageSize } : {}) };
        const currencies = await exportCurrencies(db.prisma, request);
        const tally = { rows: 0 };
        const written = await textOf(leadExportCsvStream(db, request, currencies, options, tally));
        const rows = await loadLeadsForExport(db.prisma, request);
        // Built from the rows in memory, which names exactly the currencies the rows bought in.
        expect(written).toBe(leadExportCsv(rows, options));
        // And the Prisma pages written in slices (PostgreSQL's way; SQLite's before it had a thread).
        const sliced = await textOf(
          leadExportCsvPieces(leadExportPages(db.prisma, request), currencies, options, { rows: 0 }),
        );
        expect(written).toBe(sliced);
        expect(tally.rows).toBe(rows.length);
      }
    },
  );

  it('writes the rows a reader expects: money, currencies, owner names and local dates', async () => {
    const request: ExportRequest = { filter: { kind: 'mine' }, scope: { ownerId: null }, viewerId: 'U0AM1', now };
    const currencies = await exportCurrencies(db.prisma, request);
    const lines = (await textOf(leadExportCsvStream(db, request, currencies, options, { rows: 0 }))).split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFFCustomer ID,Name,Company,Stage,Owner,Owner Slack ID,Markets,Lifetime USD,Not converted to USD,Lifetime AED,Lifetime KWD,Last order (Asia/Dubai),Last touch (Asia/Dubai),Next follow-up (Asia/Dubai)',
    );
    expect(lines.slice(1, -1).map((l) => l.split(',').slice(0, 5).join(','))).toEqual([
      'h,H,,Churned,Amira',
      'a,A,,Lead,Amira',
      'b,B,,Talks,Amira',
    ]);
    const a = lines[2]!.split(',');
    expect(a.slice(7, 11)).toEqual(['900.00', '', '100.00', '123.456']);
    expect(a[13]).toBe('2026-12-02 13:00');
    expect(lines.at(-1)).toBe('');
  });
});

describe.each<Provider>(['sqlite', 'postgres'])('a CSV export on %s while someone writes', (provider) => {
  it('reads one snapshot: a lead moved or added between its pages is neither missed, written twice nor added', async () => {
    const opened = await openTestDatabase(provider);
    try {
      const { prisma } = opened.db;
      await seed(prisma);
      // A lead a page, so the export reads nine pages, and the writes fall between them.
      const request: ExportRequest = {
        filter: { kind: 'all' },
        scope: { ownerId: null },
        viewerId: 'U0AM1',
        now,
        pageSize: 1,
      };
      const options = { stageLabels: {}, timeZone: 'UTC', ownerNames: new Map<string, string>() };
      const currencies = await exportCurrencies(prisma, request);
      const before = await textOf(leadExportCsvStream(opened.db, request, currencies, options, { rows: 0 }));
      let during = '';
      let pieces = 0;
      for await (const piece of leadExportCsvStream(opened.db, request, currencies, options, { rows: 0 })) {
        during += piece;
        pieces += 1;
        if (pieces !== 2) continue;
        // The header and the first lead (h, the biggest) are written: the biggest drops to the
        // bottom, the smallest (g) rises to the top, and a new small lead arrives.
        await prisma.customerFigures.update({ where: { customerId: 'h' }, data: { lifetimeUsdCents: 1n } });
        await prisma.customerFigures.update({ where: { customerId: 'g' }, data: { lifetimeUsdCents: 5_000_00n } });
        await seedLead(prisma, { customerId: 'z', name: 'Z', lifetimeUsdCents: 0n });
      }
      expect(pieces).toBeGreaterThan(2);
      expect(during).toBe(before);
      // The writes landed: the next export has them.
      const after = await textOf(leadExportCsvStream(opened.db, request, currencies, options, { rows: 0 }));
      const customers = (csv: string) =>
        csv
          .split('\r\n')
          .slice(1, -1)
          .map((line) => line.split(',')[0]);
      expect(customers(before)).toEqual(['h', 'a', 'b', 'c', 'd', 'i', 'e', 'f', 'g']);
      expect(customers(after)).toEqual(['g', 'a', 'b', 'c', 'd', 'i', 'e', 'f', 'h', 'z']);
    } finally {
      await opened.cleanup();
    }
  });
});
