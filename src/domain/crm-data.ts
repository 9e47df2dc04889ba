import { z } from 'zod';
import { TimeSlicer, yieldToEventLoop } from '../cooperative';
import { type BulkColumnType, type BulkValue, bulkColumnTypeOf } from '../db/bulk-values';
import { type CrmPrisma, type CrmTx, type DbProvider, providerOfClient } from '../db/client';
import { bulkReadsOf } from '../db/off-loop-reads';
import { catalogueOf, currentMigration } from '../db/schema-catalogue/schema-catalogue';
import { insertTableRows } from '../db/table-rows-insert';
import { Prisma } from '../generated/sqlite/client';
import { CrmDataImportError, decodeRow, encodeRow, type JsonValue } from './crm-data-encoding';

export { CrmDataImportError };

/**
 * The CRM's own data as one JSON document, so it is never locked in: every table, rows as
 * plain objects keyed by field name, with the migration level it was read at. Values that
 * JSON cannot hold exactly are written as strings: DateTime as ISO 8601 UTC, BigInt (money
 * in minor units) and Decimal as decimal strings, Bytes as base64. The same document imports
 * into an empty SQLite or PostgreSQL database at the same migration level.
 */
export const CRM_EXPORT_FORMAT = 'slack-crm-data';
export const CRM_EXPORT_VERSION = 1;

/**
 * Left out on purpose: leases (which running instance holds which job, and instance
 * heartbeats), the backup history and the Slack requests seen in the last minutes describe
 * the machine the data came from, not the CRM.
 */
export const TABLES_NOT_EXPORTED: readonly string[] = ['JobLease', 'BackupRun', 'StageTotal', 'SeenSlackRequest'];

type Row = Record<string, unknown>;

export interface CrmDataExport {
  format: typeof CRM_EXPORT_FORMAT;
  version: typeof CRM_EXPORT_VERSION;
  exportedAt: string;
  /** The last migration applied to the database the data was read from. */
  migration: string;
  rowCounts: Record<string, number>;
  tables: Record<string, Record<string, JsonValue>[]>;
}

interface ModelAccess {
  fields: Record<string, { name: string; typeName: string; isList?: boolean }>;
  findMany(args: { where?: object; orderBy?: object; take?: number }): Promise<Row[]>;
  createMany(args: { data: Row[] }): Promise<{ count: number }>;
  count(): Promise<number>;
}

/** The models whose tables are exported, in the schema's order. */
export function exportedModels(): string[] {
  return Object.values(Prisma.ModelName).filter((m) => !TABLES_NOT_EXPORTED.includes(m));
}

function modelOf(prisma: unknown, model: string): ModelAccess {
  return (prisma as Record<string, ModelAccess>)[model.charAt(0).toLowerCase() + model.slice(1)]!;
}

function fieldTypes(prisma: unknown, model: string): Map<string, string> {
  return new Map(Object.values(modelOf(prisma, model).fields).map((f) => [f.name, f.typeName]));
}

/**
 * Rows read per query when a table is written out. The query runs off the event loop
 * (bulkReads); turning its rows into objects and text runs on it and grows with the page.
 */
export const EXPORT_PAGE_ROWS = 250;

/** Rows after `last` in the order of `keys` (lexicographic): one OR branch per key column. */
function afterKey(keys: readonly string[], last: Row): object {
  return {
    // The first key's bound on its own as well: SQLite serves it as an index range, where it would scan for the OR alone.
    [keys[0]!]: { gte: last[keys[0]!] },
    OR: keys.map((key, i) => ({
      ...Object.fromEntries(keys.slice(0, i).map((k) => [k, last[k]])),
      [key]: { gt: last[key] },
    })),
  };
}

/** Every row of `model`, in primary-key order, a page at a time, encoded for JSON. */
async function* tableRows(prisma: CrmPrisma, model: string): AsyncGenerator<Record<string, JsonValue>[]> {
  const access = modelOf(prisma, model);
  const types = fieldTypes(prisma, model);
  const keys = await catalogueOf(prisma).primaryKeyColumns(prisma, model);
  if (keys.length === 0) throw new Error(`table ${model} has no primary key to page through`);
  const orderBy = keys.map((k) => ({ [k]: 'asc' as const }));
  let last: Row | null = null;
  for (;;) {
    const page = await access.findMany({
      ...(last ? { where: afterKey(keys, last) } : {}),
      orderBy,
      take: EXPORT_PAGE_ROWS,
    });
    if (page.length === 0) return;
    yield page.map((row) => encodeRow(types, row));
    if (page.length < EXPORT_PAGE_ROWS) return;
    last = page[page.length - 1]!;
  }
}

/**
 * The export as text pieces, written as it is read: the head (format, version, time,
 * migration), then each table's rows a page at a time (parents before the tables whose rows
 * refer to them, so an import can insert in the order it reads), then the row counts.
 * Yields to the event loop after every page. `tally.rowCounts` holds the counts written.
 */
export function crmDataExportPieces(
  prisma: CrmPrisma,
  now: Date,
  tally: { rowCounts: Record<string, number>; migration: string },
): AsyncGenerator<string> {
  // Every table, read through: off the event loop.
  return bulkReadsOf(exportPieces(prisma, now, tally));
}

/** What an export writes, table by table: its fields and their types, in order, and its primary key. */
export interface ExportedTable {
  model: string;
  fields: [name: string, type: string][];
  keys: string[];
}

/** The migration level and the tables an export writes, parents first. */
export async function crmDataExportPlan(prisma: CrmPrisma): Promise<{ migration: string; tables: ExportedTable[] }> {
  const migration = await currentMigration(prisma);
  if (!migration) throw new Error('The database has no migration history: it was not created by the CRM');
  const tables: ExportedTable[] = [];
  for (const model of await parentsFirst(prisma, exportedModels())) {
    const keys = await catalogueOf(prisma).primaryKeyColumns(prisma, model);
    if (keys.length === 0) throw new Error(`table ${model} has no primary key to page through`);
    tables.push({ model, fields: [...fieldTypes(prisma, model)], keys });
  }
  return { migration, tables };
}

/** The document's text before the tables. */
export function crmDataExportHead(now: Date, migration: string): string {
  const head = { format: CRM_EXPORT_FORMAT, version: CRM_EXPORT_VERSION, exportedAt: now.toISOString(), migration };
  return `${JSON.stringify(head).slice(0, -1)},"tables":{`;
}

/** The document's text after the tables. */
export function crmDataExportTail(rowCounts: Record<string, number>): string {
  return `},"rowCounts":${JSON.stringify(rowCounts)}}\n`;
}

async function* exportPieces(
  prisma: CrmPrisma,
  now: Date,
  tally: { rowCounts: Record<string, number>; migration: string },
): AsyncGenerator<string> {
  const migration = await currentMigration(prisma);
  if (!migration) throw new Error('The database has no migration history: it was not created by the CRM');
  tally.migration = migration;
  yield crmDataExportHead(now, migration);
  const order = await parentsFirst(prisma, exportedModels());
  const slicer = new TimeSlicer();
  for (const [t, model] of order.entries()) {
    tally.rowCounts[model] = 0;
    let written = false;
    yield `${t ? ',' : ''}${JSON.stringify(model)}:[`;
    for await (const page of tableRows(prisma, model)) {
      // A slice of rows at a time: a row of notes can be long text.
      let piece: string[] = [];
      for (const row of page) {
        piece.push(JSON.stringify(row));
        tally.rowCounts[model] += 1;
        if (slicer.due()) {
          yield `${written ? ',' : ''}${piece.join(',')}`;
          written = true;
          piece = [];
          await slicer.yield();
        }
      }
      if (piece.length) yield `${written ? ',' : ''}${piece.join(',')}`;
      written ||= piece.length > 0;
      await slicer.yieldIfDue();
    }
    yield ']';
  }
  yield crmDataExportTail(tally.rowCounts);
}

/** Reads every exported table into one document in memory: for small databases and tests (the app streams crmDataExportPieces). */
export async function exportCrmData(prisma: CrmPrisma, now: Date = new Date()): Promise<CrmDataExport> {
  const pieces: string[] = [];
  for await (const piece of crmDataExportPieces(prisma, now, { rowCounts: {}, migration: '' })) pieces.push(piece);
  return JSON.parse(pieces.join('')) as CrmDataExport;
}

const headerSchema = z.object({
  format: z.literal(CRM_EXPORT_FORMAT, {
    message: `not a CRM data export (its "format" is not "${CRM_EXPORT_FORMAT}")`,
  }),
  version: z.literal(CRM_EXPORT_VERSION, {
    message: `export format version ${CRM_EXPORT_VERSION} is the only one this version reads`,
  }),
  exportedAt: z.string(),
  migration: z.string().min(1),
  rowCounts: z.record(z.string(), z.number().int().min(0)),
  tables: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
});

/** Checks the document's shape (not yet its rows); throws CrmDataImportError saying what is wrong. */
export function parseCrmDataExport(data: unknown): CrmDataExport {
  const doc = parseCrmDataHead(data);
  checkRowCounts(doc.rowCounts, (t) => doc.tables[t]!.length);
  return doc;
}

/**
 * Checks a document whose tables' rows were left out (read from a file as they stream):
 * its head and table names; `found` are the rows each table actually holds.
 */
export function parseCrmDataSkeleton(data: unknown, found: Record<string, number>): CrmDataExport {
  const doc = parseCrmDataHead(data);
  checkRowCounts(doc.rowCounts, (t) => found[t] ?? 0);
  return doc;
}

function checkRowCounts(said: Record<string, number>, holds: (table: string) => number): void {
  for (const t of exportedModels()) {
    if (said[t] !== holds(t)) {
      throw new CrmDataImportError(
        `The export is damaged: table ${t} says ${said[t] ?? 'no'} rows but holds ${holds(t)}`,
      );
    }
  }
}

function parseCrmDataHead(data: unknown): CrmDataExport {
  const parsed = headerSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CrmDataImportError(
      `Not a usable CRM data export: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`,
    );
  }
  const doc = parsed.data as CrmDataExport;
  const expected = exportedModels();
  const unknown = Object.keys(doc.tables).filter((t) => !expected.includes(t));
  if (unknown.length)
    throw new CrmDataImportError(`The export has tables this version of the CRM does not know: ${unknown.join(', ')}`);
  const uncounted = Object.keys(doc.rowCounts).filter((t) => !expected.includes(t));
  if (uncounted.length)
    throw new CrmDataImportError(
      `The export counts rows of tables this version of the CRM does not know: ${uncounted.join(', ')}`,
    );
  const missing = expected.filter((t) => !(t in doc.tables));
  if (missing.length)
    throw new CrmDataImportError(`The export is incomplete: tables ${missing.join(', ')} are missing`);
  return doc;
}

/** Tables referenced by foreign keys come first, so every row's parent exists when it is inserted. */
async function parentsFirst(prisma: CrmPrisma, models: string[]): Promise<string[]> {
  const edges = await catalogueOf(prisma).foreignKeys(prisma);
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (m: string) => {
    if (ordered.includes(m) || visiting.has(m)) return;
    visiting.add(m);
    for (const e of edges) if (e.child === m && e.parent !== m && models.includes(e.parent)) visit(e.parent);
    ordered.push(m);
  };
  models.forEach(visit);
  return ordered;
}

/**
 * Rows per insert statement, per table. On SQLite a statement runs on the calling thread,
 * with the triggers of every row (a customer's row feeds the search index and the stage
 * totals: ten times the cost of a lead's), so the size follows what the last statement of
 * the table cost, aiming at a step of a few milliseconds; the import lets other work run between steps.
 */
class BatchSize {
  static readonly TARGET_MS = 8;
  size = 100;

  took(rows: number, ms: number): void {
    const perRow = Math.max(ms, 0.1) / rows;
    this.size = Math.round(Math.min(2_000, Math.max(20, BatchSize.TARGET_MS / perRow)));
  }
}

/** Where the rows of an import come from: a document in memory, or a file read as it streams. */
export interface CrmDataSource {
  /** The checked document; its `tables` may be empty arrays when the rows stream (see read). */
  doc: CrmDataExport;
  /** Table names in the order the rows arrive. */
  tableOrder: readonly string[];
  /** Hands every row of `tables` (all when omitted) to `onRows` in batches, in tableOrder. */
  read(
    onRows: (table: string, rows: Record<string, unknown>[]) => Promise<void>,
    tables?: ReadonlySet<string>,
  ): Promise<void>;
}

/** A document already in memory as a source. */
export function inMemorySource(data: unknown): CrmDataSource {
  const doc = parseCrmDataExport(data);
  const tableOrder = Object.keys(doc.tables);
  return {
    doc,
    tableOrder,
    async read(onRows, tables) {
      for (const t of tableOrder) if (!tables || tables.has(t)) await onRows(t, doc.tables[t]!);
    },
  };
}

/**
 * Imports an export into an empty database at the export's migration level, in one
 * transaction: all of it or nothing. Refuses (CrmDataImportError) a document of another
 * migration level, a database that already holds CRM data, and any row that does not fit.
 */
export async function importCrmData(prisma: CrmPrisma, data: unknown): Promise<{ rowCounts: Record<string, number> }> {
  return importCrmDataFrom(prisma, inMemorySource(data));
}

/** The tables of an import, parents first, each with its fields and their Prisma types. */
export interface CrmDataImportPlan {
  tables: { model: string; fields: [name: string, type: string][] }[];
  /** The source's tables arrive parents first: its rows are inserted as they are read, in one pass. */
  inOrder: boolean;
}

/**
 * Checks that `prisma`'s database can take the import (the export's migration level, and
 * empty: CrmDataImportError otherwise), and says in which order its tables go in.
 */
export async function crmDataImportPlan(prisma: CrmPrisma, source: CrmDataSource): Promise<CrmDataImportPlan> {
  const { doc } = source;
  const level = await currentMigration(prisma);
  if (level !== doc.migration) {
    throw new CrmDataImportError(
      `The export was made at migration ${doc.migration} but the database is at ${level ?? 'no migration'}: import it into a database at the same level`,
    );
  }
  const models = exportedModels();
  const occupied: string[] = [];
  for (const m of models) {
    // A turn between queries: each is prepared and, on SQLite, run on the calling thread.
    await yieldToEventLoop();
    const n = await modelOf(prisma, m).count();
    if (n > 0) occupied.push(`${m} (${n})`);
  }
  if (occupied.length)
    throw new CrmDataImportError(
      `The database is not empty (${occupied.join(', ')}): import only into a new, empty database`,
    );
  const order = await parentsFirst(prisma, models);
  const arriving = source.tableOrder.filter((t) => models.includes(t));
  return {
    tables: order.map((model) => ({ model, fields: [...fieldTypes(prisma, model)] })),
    inOrder: isParentsFirst(arriving, order),
  };
}

/**
 * importCrmData from any source. Rows are inserted as they arrive when every table comes
 * after the tables it refers to (as this version writes them); otherwise the source is read
 * once per table, parents first. Either way a batch of rows is all that is held.
 */
export async function importCrmDataFrom(
  prisma: CrmPrisma,
  source: CrmDataSource,
): Promise<{ rowCounts: Record<string, number> }> {
  const { doc } = source;
  const { tables, inOrder } = await crmDataImportPlan(prisma, source);
  const order = tables.map((t) => t.model);
  const models = exportedModels();
  const provider = providerOfClient(prisma);
  const slicer = new TimeSlicer();
  await prisma.$transaction(
    async (tx) => {
      const inserted: Record<string, number> = {};
      const batchSizes: Record<string, BatchSize> = {};
      const insert = async (model: string, rows: Record<string, unknown>[]) => {
        const types = fieldTypes(prisma, model);
        const first = inserted[model] ?? 0;
        batchSizes[model] ??= new BatchSize();
        const batchRows = batchSizes[model];
        // Rows with the same fields, in a run: one statement's columns (an export's rows all have every field).
        let run: { fields: string[]; start: number; values: BulkValue[][] } | null = null;
        const flush = async () => {
          if (!run) return;
          const { fields, start, values } = run;
          run = null;
          for (let i = 0; i < values.length; ) {
            const batch = values.slice(i, i + batchRows.size);
            const started = performance.now();
            try {
              await insertRows(tx, provider, model, fields, types, batch);
            } catch (err) {
              throw new CrmDataImportError(
                `${model}: rows ${first + start + i + 1} to ${first + start + i + batch.length} could not be inserted (${(err as Error).message.split('\n').at(-1)})`,
              );
            }
            batchRows.took(batch.length, performance.now() - started);
            i += batch.length;
            // Each statement runs on the calling thread on SQLite: other work gets a turn between them.
            await slicer.yieldIfDue();
          }
        };
        for (const [i, row] of rows.entries()) {
          const { fields, values } = decodeRow(types, row, `${model} row ${first + i + 1}`);
          if (run && !sameFields(run.fields, fields)) await flush();
          run ??= { fields, start: i, values: [] };
          run.values.push(values);
          if (slicer.due()) await slicer.yield();
        }
        await flush();
        inserted[model] = first + rows.length;
      };
      if (inOrder) await source.read(insert);
      else for (const model of order) await source.read(insert, new Set([model]));
      await catalogueOf(prisma).afterRowsWithIds(tx, models);
    },
    { timeout: 30 * 60_000, maxWait: 60_000 },
  );
  return { rowCounts: doc.rowCounts };
}

function sameFields(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((f, i) => f === b[i]);
}

/**
 * Rows of one table, each holding `fields` in that order: one statement with the rows as a
 * JSON parameter when every field's type fits one (createMany costs far more per value),
 * otherwise Prisma's createMany.
 */
async function insertRows(
  tx: CrmTx,
  provider: DbProvider,
  model: string,
  fields: readonly string[],
  types: ReadonlyMap<string, string>,
  rows: BulkValue[][],
): Promise<void> {
  const columns = fields.map((name) => ({ name, type: bulkColumnTypeOf(types.get(name)!) }));
  if (columns.every((c): c is { name: string; type: BulkColumnType } => c.type !== null)) {
    await insertTableRows(tx, provider, model, columns, rows);
    return;
  }
  await modelOf(tx, model).createMany({
    data: rows.map((values) => Object.fromEntries(fields.map((f, i) => [f, values[i]]))),
  });
}

/**
 * Whether the tables arrive in the relative order of `order` (parents first): then every row's
 * parent is inserted before it. Stricter than needed (another parents-first order is read table
 * by table instead), and what this version writes always passes.
 */
function isParentsFirst(arriving: readonly string[], order: readonly string[]): boolean {
  for (let i = 1; i < arriving.length; i++) {
    if (order.indexOf(arriving[i]!) < order.indexOf(arriving[i - 1]!)) return false;
  }
  return true;
}

/** How much an export holds, for the person who asked and the audit list. */
export function describeCrmDataExport(doc: Pick<CrmDataExport, 'rowCounts'>): {
  rows: number;
  tables: number;
  text: string;
} {
  const rows = Object.values(doc.rowCounts).reduce((a, b) => a + b, 0);
  const tables = Object.keys(doc.rowCounts).length;
  return { rows, tables, text: `${rows.toLocaleString('en-US')} rows in ${tables} tables` };
}

/** The audit key of a data export, shown in the admins' audit list. */
export const CRM_DATA_EXPORT_AUDIT_KEY = 'export:crm-data';

/** Who took the CRM's data out, and when: audited before the file is sent, like every export. Returns the entry's id. */
export async function recordCrmDataExport(
  prisma: CrmPrisma,
  actorId: string,
  doc: Pick<CrmDataExport, 'rowCounts'>,
  now: Date,
): Promise<number> {
  const entry = await prisma.auditEntry.create({
    data: {
      actorId,
      setting: CRM_DATA_EXPORT_AUDIT_KEY,
      oldValue: null,
      newValue: `JSON of all CRM data: ${describeCrmDataExport(doc).text}`,
      createdAt: now,
    },
  });
  return entry.id;
}
