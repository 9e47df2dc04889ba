import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RestoreRefusedError, restoreFromFile } from '../../src/backup/restore';
import type { CrmPrisma } from '../../src/db/client';
import { openDatabase, sqlitePath } from '../../src/db/client';
import { knownMigrations, migrateDatabase } from '../../src/db/migrate';
import {
  type CrmDataExport,
  CrmDataImportError,
  crmDataExportPieces,
  exportCrmData,
  exportedModels,
  importCrmData,
  TABLES_NOT_EXPORTED,
} from '../../src/domain/crm-data';
import { crmDataExportStream } from '../../src/exports/crm-data-json';
import { Prisma } from '../../src/generated/sqlite/client';
import {
  migratedSqliteUrl,
  openTestDatabase,
  type Provider,
  tempPostgresUrl,
  tempSqliteUrl,
} from '../support/databases';
import { seedLead } from '../support/seed-leads';

const at = (iso: string) => new Date(iso);

/** At least one row in every exported table, with the values that are easy to get wrong. */
async function seedEveryTable(prisma: CrmPrisma): Promise<void> {
  await prisma.customerFigures.create({
    data: {
      customerId: 'C-1',
      name: '<!channel> ACME & Co — Dubaï 🏗️',
      company: null,
      email: 'buyer@acme.example',
      phone: '+971 4 000 0000',
      markets: 'AE,KW',
      orderCount: 12,
      lifetimeUsdCents: 9_007_199_254_740_993n, // beyond a double's exact range
      unknownCurrencies: 'XYZ',
      lastOrderAt: at('2026-11-20T10:11:12.345Z'),
      firstOrderAt: at('2025-11-20T10:11:12.345Z'),
      rhythmIntervalMs: 2_869_090_909n,
      rhythmNextMs: 1_798_662_763_254n,
      rateDate: null,
      searchText: 'acme',
      firstSeenAt: at('2026-01-01T00:00:00.001Z'),
      refreshedAt: at('2026-11-24T23:59:59.999Z'),
    },
  });
  await prisma.customerFigures.create({
    data: {
      customerId: 'C-2',
      name: 'Second',
      markets: 'US',
      orderCount: 1,
      lifetimeUsdCents: -5n,
      searchText: 'second',
    },
  });
  await prisma.customerCurrencyTotal.createMany({
    data: [
      {
        customerId: 'C-1',
        currency: 'KWD',
        market: 'KW',
        orderCount: 3,
        lifetimeMinor: 123_456_789n,
        lastOrderAt: at('2026-10-01T00:00:00Z'),
      },
      { customerId: 'C-1', currency: 'AED', market: 'AE', orderCount: 9, lifetimeMinor: 42n, lastOrderAt: null },
    ],
  });
  const lead = await prisma.lead.create({
    data: {
      customerId: 'C-1',
      stage: 'negotiation',
      ownerId: 'U0OWNER01',
      contactName: 'Zoë "Z" O’Neil',
      contactEmail: 'z@acme.example',
      lastTouchAt: at('2026-11-21T08:00:00Z'),
      version: 7,
    },
  });
  await prisma.lead.create({ data: { customerId: 'C-2' } });
  await prisma.activity.createMany({
    data: [
      {
        leadId: lead.id,
        actorId: 'U0OWNER01',
        kind: 'note',
        text: 'line one\nline two\ttab "quoted" \\ backslash',
        isTouch: true,
        createdAt: at('2026-11-21T08:00:00Z'),
      },
      {
        leadId: lead.id,
        actorId: null,
        kind: 'created',
        isTouch: false,
        permalink: 'https://x.slack.com/archives/C1/p1',
      },
    ],
  });
  const followUp = await prisma.followUpAlert.create({
    data: {
      leadId: lead.id,
      ownerId: 'U0OWNER01',
      message: 'Call back',
      kind: 'every_weeks',
      interval: 2,
      timeOfDay: '09:30',
      timeZone: 'Asia/Dubai',
      startDate: '2026-11-26',
      nextDueAt: at('2026-11-26T05:30:00Z'),
      createdBy: 'U0OWNER01',
    },
  });
  await prisma.alertDelivery.create({
    data: {
      alertId: followUp.id,
      occurrenceAt: at('2026-11-12T05:30:00Z'),
      claimedBy: 'i1',
      leaseUntil: at('2026-11-12T05:31:00Z'),
      status: 'sent',
      sentAt: at('2026-11-12T05:30:01Z'),
      channel: 'DU0OWNER01',
      messageTs: '1.000001',
    },
  });
  await prisma.rosterMember.create({ data: { userId: 'U0ADMIN01', role: 'admin', addedBy: null } });
  await prisma.setting.create({ data: { key: 'sync_days', value: '90', updatedBy: 'U0ADMIN01' } });
  await prisma.currencyRate.create({
    data: { currency: 'KWD', usdPerUnit: '3.2531', rateDate: at('2025-11-24T00:00:00Z') },
  });
  await prisma.auditEntry.create({
    data: { actorId: 'U0ADMIN01', setting: 'sync_days', oldValue: '120', newValue: '90' },
  });
  await prisma.syncRun.create({
    data: { trigger: 'home', status: 'ok', fetched: 2, created: 2, finishedAt: at('2026-11-25T09:00:01Z') },
  });
  await prisma.digestRun.create({
    data: {
      periodKey: 'daily:2026-11-25',
      channel: 'C0DIGEST1',
      claimedBy: 'i1',
      leaseUntil: at('2026-11-25T09:02:00Z'),
      postedAt: at('2026-11-25T09:00:02Z'),
    },
  });
  await prisma.userPreference.create({ data: { userId: 'U0OWNER01', homeFilter: '{"kind":"mine"}' } });
  await prisma.slackUserCache.create({
    data: { userId: 'U0OWNER01', tz: 'Asia/Dubai', isRestricted: true, fetchedAt: at('2026-11-25T00:00:00Z') },
  });
  await prisma.adminNotice.create({
    data: {
      text: '{"kind":"backup_stale","lastGoodAt":null,"intervalHours":24}',
      resolvedAt: at('2026-11-25T10:00:00Z'),
    },
  });
  await prisma.pendingNote.create({
    data: {
      id: '6f1c2d3e-0000-4000-8000-000000000001',
      authorId: 'U0OWNER01',
      text: 'Waiting & <kept>',
      createdAt: at('2026-11-25T09:00:00Z'),
      expiresAt: at('2026-11-25T09:30:00Z'),
    },
  });
  await prisma.agendaPreference.create({ data: { userId: 'U0OWNER01', enabled: false, timeOfDay: '07:45' } });
  await prisma.agendaDelivery.create({
    data: {
      userId: 'U0OWNER01',
      day: '2026-11-25',
      claimedBy: 'abc',
      leaseUntil: at('2026-11-25T04:32:00Z'),
      attempts: 1,
      status: 'sent',
      sentAt: at('2026-11-25T04:30:01Z'),
      channel: 'D0OWNER01',
      messageTs: '1795580000.000100',
    },
  });
  const firstLead = await prisma.lead.findFirstOrThrow();
  await prisma.suggestionDismissal.create({
    data: {
      leadId: firstLead.id,
      kind: 'repeat_order',
      facts: '12',
      dismissedBy: 'U0OWNER01',
      dismissedAt: at('2026-11-25T09:00:00Z'),
    },
  });
  // Machine state that stays out of the export.
  await prisma.jobLease.create({
    data: { name: 'instance:abc', holder: 'abc', expiresAt: at('2026-11-25T09:01:00Z') },
  });
}

/** The export through a real file: what an admin downloads is text. */
function throughJson(doc: CrmDataExport): unknown {
  return JSON.parse(JSON.stringify(doc));
}

function withoutTime(doc: CrmDataExport): Omit<CrmDataExport, 'exportedAt'> {
  const { exportedAt, ...rest } = doc;
  void exportedAt;
  return rest;
}

describe.each<[Provider, Provider]>([
  ['sqlite', 'sqlite'],
  ['postgres', 'postgres'],
  ['sqlite', 'postgres'],
])('CRM data export from %s, imported into %s', (from, to) => {
  it('round-trips every table, value for value', async () => {
    const source = await openTestDatabase(from);
    const dest = await openTestDatabase(to);
    try {
      await seedEveryTable(source.db.prisma);
      const first = await exportCrmData(source.db.prisma, at('2026-11-25T12:00:00Z'));
      expect(first.migration).toBe(knownMigrations(from).at(-1)!.name);
      expect(Object.keys(first.tables).sort()).toEqual(exportedModels().sort());
      for (const model of exportedModels()) expect(first.rowCounts[model]).toBeGreaterThan(0);
      expect(first.tables.JobLease).toBeUndefined();

      const imported = await importCrmData(dest.db.prisma, throughJson(first));
      expect(imported.rowCounts).toEqual(first.rowCounts);
      const second = await exportCrmData(dest.db.prisma, at('2026-11-25T12:05:00Z'));
      expect(withoutTime(second)).toEqual(withoutTime(first));

      // The per-stage totals the Home tab reads are derived, not exported: the import rebuilds them.
      const totals = async (prisma: typeof dest.db.prisma) => {
        const byStage = new Map<string, { leads: number; usdCents: bigint }>();
        for (const t of await prisma.stageTotal.findMany({ orderBy: { stage: 'asc' } })) {
          const sum = byStage.get(t.stage) ?? { leads: 0, usdCents: 0n };
          byStage.set(t.stage, { leads: sum.leads + t.leads, usdCents: sum.usdCents + t.usdCents });
        }
        return [...byStage].filter(([, t]) => t.leads);
      };
      expect(await totals(dest.db.prisma)).toEqual(await totals(source.db.prisma));
      expect((await totals(dest.db.prisma)).length).toBeGreaterThan(0);

      const figures = await dest.db.prisma.customerFigures.findUniqueOrThrow({ where: { customerId: 'C-1' } });
      expect(figures.lifetimeUsdCents).toBe(9_007_199_254_740_993n);
      expect(figures.lastOrderAt).toEqual(at('2026-11-20T10:11:12.345Z'));
      // New rows continue after the imported ids (PostgreSQL sequences are moved on).
      const maxLead = Math.max(...first.tables.Lead!.map((r) => r.id as number));
      const next = await dest.db.prisma.activity.create({
        data: { leadId: maxLead, kind: 'note', text: 'after import', isTouch: true },
      });
      expect(next.id).toBeGreaterThan(Math.max(...first.tables.Activity!.map((r) => r.id as number)));
    } finally {
      await source.cleanup();
      await dest.cleanup();
    }
  });
});

describe.each<Provider>(['sqlite', 'postgres'])('the CRM data file an export writes on %s', (provider) => {
  it('holds the same document, byte for byte, as the tables read through Prisma, and tallies every row', async () => {
    const source = await openTestDatabase(provider);
    try {
      await seedEveryTable(source.db.prisma);
      const now = at('2026-11-25T12:00:00Z');
      const tally = { rowCounts: {} as Record<string, number>, migration: '' };
      let written = '';
      for await (const piece of crmDataExportStream(source.db, now, tally)) written += piece;
      let throughPrisma = '';
      for await (const piece of crmDataExportPieces(source.db.prisma, now, { rowCounts: {}, migration: '' }))
        throughPrisma += piece;
      expect(written).toBe(throughPrisma);
      const doc = JSON.parse(written) as CrmDataExport;
      expect(tally.rowCounts).toEqual(doc.rowCounts);
      expect(tally.migration).toBe(doc.migration);
      for (const model of exportedModels()) expect(doc.tables[model]!.length).toBe(doc.rowCounts[model]);
      expect(doc.tables.CustomerFigures!.find((r) => r.customerId === 'C-1')!.lifetimeUsdCents).toBe(
        '9007199254740993',
      );
    } finally {
      await source.cleanup();
    }
  });
});

describe.each<Provider>(['sqlite', 'postgres'])('a CRM data export on %s while someone writes', (provider) => {
  it('reads one snapshot: rows written after it began are wholly left out, and restore takes the file', async () => {
    const source = await openTestDatabase(provider);
    const target = tempSqliteUrl();
    const dir = mkdtempSync(join(tmpdir(), 'crm-export-'));
    try {
      const { prisma } = source.db;
      await seedEveryTable(prisma);
      const now = at('2026-11-25T12:00:00Z');
      const before = await exportCrmData(prisma, now);
      let text = '';
      let wrote = false;
      for await (const piece of crmDataExportStream(source.db, now, { rowCounts: {}, migration: '' })) {
        text += piece;
        if (wrote || !text.includes('"CustomerFigures":[')) continue;
        wrote = true;
        // The customers are being read; their leads and the activities come later: a new
        // customer with its lead and a note on it, and a lead moved on.
        const leadId = await seedLead(prisma, { customerId: 'C-NEW', name: 'Newcomer' });
        await prisma.activity.create({
          data: { leadId, actorId: 'U0OWNER01', kind: 'note', text: 'Met them', isTouch: true },
        });
        await prisma.lead.updateMany({ where: { customerId: 'C-2' }, data: { stage: 'won' } });
      }
      expect(wrote).toBe(true);
      expect(withoutTime(JSON.parse(text) as CrmDataExport)).toEqual(withoutTime(before));
      // The writes landed: the next export has them.
      const after = await exportCrmData(prisma, now);
      expect(after.rowCounts.Activity).toBe(before.rowCounts.Activity! + 1);
      expect(after.tables.Lead!.find((l) => l.customerId === 'C-2')!.stage).toBe('won');
      const file = join(dir, 'crm-data.json');
      writeFileSync(file, text);
      const report = await restoreFromFile({ file, databaseUrl: target.url, now });
      expect(report.rowCounts).toEqual(before.rowCounts);
    } finally {
      await source.cleanup();
      await target.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('CRM data import refuses what it cannot take whole', () => {
  let source: Awaited<ReturnType<typeof openTestDatabase>>;
  let doc: CrmDataExport;
  beforeAll(async () => {
    source = await openTestDatabase('sqlite');
    await seedEveryTable(source.db.prisma);
    doc = await exportCrmData(source.db.prisma);
  });
  afterAll(async () => source.cleanup());

  async function refusalInto(data: unknown): Promise<string> {
    const dest = await openTestDatabase('sqlite');
    try {
      const err = await importCrmData(dest.db.prisma, data).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CrmDataImportError);
      // All or nothing: not one row went in.
      expect(await dest.db.prisma.customerFigures.count()).toBe(0);
      return (err as Error).message;
    } finally {
      await dest.cleanup();
    }
  }

  it('refuses a database that already holds data', async () => {
    const err = await importCrmData(source.db.prisma, doc).catch((e: Error) => e);
    expect(err).toBeInstanceOf(CrmDataImportError);
    expect((err as Error).message).toMatch(
      /^The database is not empty \(.*CustomerFigures \(2\).*\): import only into a new, empty database$/,
    );
  });

  it('refuses another migration level, another format, and damaged rows', async () => {
    expect(await refusalInto({ ...doc, migration: '20200101000000_other' })).toMatch(
      /made at migration 20200101000000_other but the database is at /,
    );
    expect(await refusalInto({ ...doc, format: 'something-else' })).toMatch(
      /^Not a usable CRM data export: format: not a CRM data export/,
    );
    expect(await refusalInto({ ...doc, tables: { ...doc.tables, Unicorn: [] } })).toBe(
      'The export has tables this version of the CRM does not know: Unicorn',
    );
    const leads = doc.tables.Lead!.map((r, i) => (i === 1 ? { ...r, createdAt: 'yesterday' } : r));
    expect(await refusalInto({ ...doc, tables: { ...doc.tables, Lead: leads } })).toMatch(
      /^Lead row 2, createdAt: expected an ISO 8601 date-time/,
    );
    const dropped = { ...doc, tables: { ...doc.tables, Activity: doc.tables.Activity!.slice(1) } };
    expect(await refusalInto(dropped)).toMatch(/^The export is damaged: table Activity says 2 rows but holds 1$/);
    // A row whose parent is missing fails inside the transaction: nothing is kept.
    const orphan = {
      ...doc,
      tables: { ...doc.tables, CustomerFigures: doc.tables.CustomerFigures!.filter((r) => r.customerId !== 'C-2') },
      rowCounts: { ...doc.rowCounts, CustomerFigures: 1 },
    };
    expect(await refusalInto(orphan)).toMatch(/^Lead: rows 1 to 2 could not be inserted/);
  });

  it('refuses tables, columns and value types this version does not know, naming them', async () => {
    expect(await refusalInto({ ...doc, rowCounts: { ...doc.rowCounts, Unicorn: 0 } })).toBe(
      'The export counts rows of tables this version of the CRM does not know: Unicorn',
    );
    // Tables left out of exports on purpose cannot be brought in by one.
    expect(await refusalInto({ ...doc, tables: { ...doc.tables, JobLease: [] } })).toBe(
      'The export has tables this version of the CRM does not know: JobLease',
    );
    const extraField = doc.tables.Lead!.map((r, i) => (i === 0 ? { ...r, isAdmin: true } : r));
    expect(await refusalInto({ ...doc, tables: { ...doc.tables, Lead: extraField } })).toBe(
      'Lead row 1: unknown field "isAdmin"',
    );
    const objectText = doc.tables.CustomerFigures!.map((r, i) => (i === 0 ? { ...r, name: { $gt: '' } } : r));
    expect(await refusalInto({ ...doc, tables: { ...doc.tables, CustomerFigures: objectText } })).toBe(
      'CustomerFigures row 1, name: expected text, got {"$gt":""}',
    );
    const textNumber = doc.tables.Lead!.map((r, i) => (i === 0 ? { ...r, version: '1' } : r));
    expect(await refusalInto({ ...doc, tables: { ...doc.tables, Lead: textNumber } })).toBe(
      'Lead row 1, version: expected a whole number, got "1"',
    );
  });

  it('leaves only leases, backup history, seen Slack requests and the derived stage totals out, and every other model in', () => {
    expect([...TABLES_NOT_EXPORTED].sort()).toEqual(['BackupRun', 'JobLease', 'SeenSlackRequest', 'StageTotal']);
    expect([...exportedModels(), ...TABLES_NOT_EXPORTED].sort()).toEqual(Object.values(Prisma.ModelName).sort());
  });
});

describe('npm run restore with a CRM data export', () => {
  it('imports the JSON file into a new SQLite database, keeping the current one aside', async () => {
    const source = await openTestDatabase('sqlite');
    const target = tempSqliteUrl();
    const dir = mkdtempSync(join(tmpdir(), 'crm-export-'));
    try {
      await seedEveryTable(source.db.prisma);
      const file = join(dir, 'crm-data.json');
      writeFileSync(file, JSON.stringify(await exportCrmData(source.db.prisma)));
      // The target already has a database: it is set aside, not merged into.
      await migrateDatabase(target.url);
      const report = await restoreFromFile({ file, databaseUrl: target.url, now: new Date('2026-11-25T12:00:00Z') });
      expect(report.kind).toBe('data-export');
      expect(report.setAside).toMatch(/before-restore/);
      const db = openDatabase(target.url);
      try {
        expect(withoutTime(await exportCrmData(db.prisma))).toEqual(
          withoutTime(JSON.parse(readFileSync(file, 'utf8'))),
        );
      } finally {
        await db.close();
      }
    } finally {
      await source.cleanup();
      await target.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('imports the JSON file into an empty PostgreSQL schema: the way from SQLite to PostgreSQL', async () => {
    const source = await openTestDatabase('sqlite');
    const target = tempPostgresUrl();
    const dir = mkdtempSync(join(tmpdir(), 'crm-export-'));
    try {
      await seedEveryTable(source.db.prisma);
      const file = join(dir, 'crm-data.json');
      writeFileSync(file, JSON.stringify(await exportCrmData(source.db.prisma)));
      const said: string[] = [];
      const report = await restoreFromFile({
        file,
        databaseUrl: target.url,
        now: new Date('2026-11-25T12:00:00Z'),
        say: (l) => said.push(l),
      });
      expect(report).toMatchObject({ kind: 'data-export', setAside: null });
      expect(said).toEqual([]);
      const db = openDatabase(target.url);
      try {
        expect(withoutTime(await exportCrmData(db.prisma))).toEqual(
          withoutTime(JSON.parse(readFileSync(file, 'utf8'))),
        );
      } finally {
        await db.close();
      }
      // A second import finds the data there and refuses rather than merging.
      await expect(
        restoreFromFile({ file, databaseUrl: target.url, now: new Date('2026-11-25T12:01:00Z') }),
      ).rejects.toThrow(/^The database is not empty/);
    } finally {
      await source.cleanup();
      await target.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('imports a document laid out the earlier way (row counts first, tables in schema order, indented): read once per table, parents first', async () => {
    const source = await openTestDatabase('sqlite');
    const target = tempSqliteUrl();
    const dir = mkdtempSync(join(tmpdir(), 'crm-export-'));
    try {
      await seedEveryTable(source.db.prisma);
      const doc = await exportCrmData(source.db.prisma);
      // Lead comes before CustomerFigures, the table its rows refer to.
      const schemaOrder = Object.fromEntries(exportedModels().map((m) => [m, doc.tables[m]]));
      expect(Object.keys(schemaOrder).indexOf('Lead')).toBeLessThan(
        Object.keys(schemaOrder).indexOf('CustomerFigures'),
      );
      const earlier = {
        format: doc.format,
        version: doc.version,
        exportedAt: doc.exportedAt,
        migration: doc.migration,
        rowCounts: doc.rowCounts,
        tables: schemaOrder,
      };
      const file = join(dir, 'crm-data.json');
      writeFileSync(file, JSON.stringify(earlier, null, 2));
      const report = await restoreFromFile({ file, databaseUrl: target.url, now: new Date('2026-11-25T12:00:00Z') });
      expect(report.rowCounts).toEqual(doc.rowCounts);
      const db = openDatabase(target.url);
      try {
        expect(withoutTime(await exportCrmData(db.prisma))).toEqual(withoutTime(doc));
      } finally {
        await db.close();
      }
    } finally {
      await source.cleanup();
      await target.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the current SQLite database as it was when a row fails midway through the import, naming the rows', async () => {
    const source = await openTestDatabase('sqlite');
    const target = await migratedSqliteUrl();
    const dir = mkdtempSync(join(tmpdir(), 'crm-export-'));
    try {
      // Enough rows for many statements before the broken one: 2,000 leads with a note each.
      const { prisma } = source.db;
      const ids = Array.from({ length: 2_000 }, (_, i) => `C-${String(i).padStart(4, '0')}`);
      await prisma.customerFigures.createMany({
        data: ids.map((customerId) => ({
          customerId,
          name: customerId,
          markets: 'AE',
          orderCount: 1,
          lifetimeUsdCents: 100n,
          searchText: customerId,
        })),
      });
      await prisma.lead.createMany({ data: ids.map((customerId) => ({ customerId })) });
      const leads = await prisma.lead.findMany({ select: { id: true } });
      await prisma.activity.createMany({
        data: leads.map((l) => ({ leadId: l.id, kind: 'note', text: 'Called them', isTouch: true })),
      });
      const doc = await exportCrmData(prisma);
      // The database the restore would replace holds a book of its own.
      const current = openDatabase(target.url);
      await seedEveryTable(current.prisma);
      const before = await exportCrmData(current.prisma);
      await current.close();

      const lastNote = doc.tables.Activity!.length - 1;
      const orphanNote = doc.tables.Activity!.map((r, i) => (i === lastNote ? { ...r, leadId: 999_999 } : r));
      const badDate = doc.tables.Lead!.map((r, i) => (i === 1_989 ? { ...r, createdAt: 'yesterday' } : r));
      const broken: [CrmDataExport, RegExp][] = [
        [
          { ...doc, tables: { ...doc.tables, Activity: orphanNote } },
          /^Activity: rows \d+ to 2000 could not be inserted \(FOREIGN KEY constraint failed\)$/,
        ],
        [
          { ...doc, tables: { ...doc.tables, Lead: badDate } },
          /^Lead row 1990, createdAt: expected an ISO 8601 date-time/,
        ],
      ];
      const file = join(dir, 'crm-data.json');
      for (const [content, refusal] of broken) {
        writeFileSync(file, JSON.stringify(content));
        const err = await restoreFromFile({
          file,
          databaseUrl: target.url,
          now: new Date('2026-11-25T12:00:00Z'),
        }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(RestoreRefusedError);
        expect((err as Error).message).toMatch(refusal);
        // The database is the one that was there, every row of it; nothing was left beside it.
        const after = openDatabase(target.url);
        try {
          expect(withoutTime(await exportCrmData(after.prisma))).toEqual(withoutTime(before));
        } finally {
          await after.close();
        }
        expect(readdirSync(dirname(sqlitePath(target.url))).filter((f) => /before-restore|restoring/.test(f))).toEqual(
          [],
        );
      }
      // The same file whole goes in.
      writeFileSync(file, JSON.stringify(doc));
      await restoreFromFile({ file, databaseUrl: target.url, now: new Date('2026-11-25T12:00:00Z') });
      const restored = openDatabase(target.url);
      try {
        expect(withoutTime(await exportCrmData(restored.prisma))).toEqual(withoutTime(doc));
      } finally {
        await restored.close();
      }
    } finally {
      await source.cleanup();
      await target.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file cut short or not JSON before touching the database', async () => {
    const source = await openTestDatabase('sqlite');
    const target = tempSqliteUrl();
    const dir = mkdtempSync(join(tmpdir(), 'crm-export-'));
    try {
      await seedEveryTable(source.db.prisma);
      const whole = JSON.stringify(await exportCrmData(source.db.prisma));
      const file = join(dir, 'crm-data.json');
      writeFileSync(file, whole.slice(0, Math.floor(whole.length * 0.6)));
      await expect(
        restoreFromFile({ file, databaseUrl: target.url, now: new Date('2026-11-25T12:00:00Z') }),
      ).rejects.toThrow(/is not valid JSON \(the file ends too early\)/);
      writeFileSync(file, whole.replace('"tables":{', '"tables":{"Lead":[{"id":1},,],'));
      await expect(
        restoreFromFile({ file, databaseUrl: target.url, now: new Date('2026-11-25T12:00:00Z') }),
      ).rejects.toThrow(/is not valid JSON \(table Lead: /);
      expect(existsSync(sqlitePath(target.url))).toBe(false);
    } finally {
      await source.cleanup();
      await target.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
