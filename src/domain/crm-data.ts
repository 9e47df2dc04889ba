import { z } from 'zod';
import type { CrmPrisma, Database } from '../db/client';
import { currentMigration, schemaCatalogue } from '../db/schema-catalogue/schema-catalogue';
import { Prisma } from '../generated/sqlite/client';

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
 * heartbeats) and the backup history describe the machine the data came from, not the CRM.
 */
export const TABLES_NOT_EXPORTED: readonly string[] = ['JobLease', 'BackupRun', 'StageTotal'];

type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };
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

/** A document that cannot be imported; the message says why, for the person running the import. */
export class CrmDataImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CrmDataImportError';
  }
}

interface ModelAccess {
  fields: Record<string, { name: string; typeName: string; isList?: boolean }>;
  findMany(args: { orderBy?: Record<string, 'asc'> }): Promise<Row[]>;
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

function encodeValue(type: string, value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'DateTime':
      return (value as Date).toISOString();
    case 'BigInt':
    case 'Decimal':
      return String(value);
    case 'Bytes':
      return Buffer.from(value as Uint8Array).toString('base64');
    default:
      return value as JsonValue;
  }
}

function decodeValue(type: string, value: unknown, where: string): unknown {
  if (value === null) return null;
  const fail = (expected: string) =>
    new CrmDataImportError(`${where}: expected ${expected}, got ${JSON.stringify(value)?.slice(0, 40)}`);
  switch (type) {
    case 'DateTime': {
      const d = typeof value === 'string' ? new Date(value) : null;
      if (!d || Number.isNaN(d.getTime())) throw fail('an ISO 8601 date-time');
      return d;
    }
    case 'BigInt':
      if (typeof value !== 'string' || !/^-?\d+$/.test(value)) throw fail('an integer as a string');
      return BigInt(value);
    case 'Decimal':
      if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value)) throw fail('a decimal as a string');
      return value;
    case 'Bytes':
      if (typeof value !== 'string') throw fail('base64 text');
      return Buffer.from(value, 'base64');
    case 'Int':
      if (!Number.isInteger(value)) throw fail('a whole number');
      return value;
    case 'Float':
      if (typeof value !== 'number') throw fail('a number');
      return value;
    case 'Boolean':
      if (typeof value !== 'boolean') throw fail('true or false');
      return value;
    case 'String':
      if (typeof value !== 'string') throw fail('text');
      return value;
    default:
      return value;
  }
}

/** Reads every exported table into one document. */
export async function exportCrmData(prisma: CrmPrisma, now: Date = new Date()): Promise<CrmDataExport> {
  const migration = await currentMigration(prisma);
  if (!migration) throw new Error('The database has no migration history: it was not created by the CRM');
  const tables: CrmDataExport['tables'] = {};
  const rowCounts: Record<string, number> = {};
  for (const model of exportedModels()) {
    const access = modelOf(prisma, model);
    const types = fieldTypes(prisma, model);
    // Every field in the order: a stable, complete order whatever the key (composite keys included).
    const orderBy = [...types.keys()].map((f) => ({ [f]: 'asc' as const }));
    const rows = (await access.findMany({ orderBy: orderBy as unknown as Record<string, 'asc'> })).map((row) => {
      const out: Record<string, JsonValue> = {};
      for (const [field, type] of types) out[field] = encodeValue(type, row[field]);
      return out;
    });
    tables[model] = rows;
    rowCounts[model] = rows.length;
  }
  return {
    format: CRM_EXPORT_FORMAT,
    version: CRM_EXPORT_VERSION,
    exportedAt: now.toISOString(),
    migration,
    rowCounts,
    tables,
  };
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
  const missing = expected.filter((t) => !(t in doc.tables));
  if (missing.length)
    throw new CrmDataImportError(`The export is incomplete: tables ${missing.join(', ')} are missing`);
  for (const t of expected) {
    if (doc.rowCounts[t] !== doc.tables[t]!.length) {
      throw new CrmDataImportError(
        `The export is damaged: table ${t} says ${doc.rowCounts[t] ?? 'no'} rows but holds ${doc.tables[t]!.length}`,
      );
    }
  }
  return doc;
}

/** Tables referenced by foreign keys come first, so every row's parent exists when it is inserted. */
async function parentsFirst(db: Pick<Database, 'prisma' | 'provider'>, models: string[]): Promise<string[]> {
  const edges = await schemaCatalogue(db.provider).foreignKeys(db.prisma);
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

const INSERT_BATCH = 500;

/**
 * Imports an export into an empty database at the export's migration level, in one
 * transaction: all of it or nothing. Refuses (CrmDataImportError) a document of another
 * migration level, a database that already holds CRM data, and any row that does not fit.
 */
export async function importCrmData(
  db: Pick<Database, 'prisma' | 'provider'>,
  data: unknown,
): Promise<{ rowCounts: Record<string, number> }> {
  const { prisma } = db;
  const doc = parseCrmDataExport(data);
  const level = await currentMigration(prisma);
  if (level !== doc.migration) {
    throw new CrmDataImportError(
      `The export was made at migration ${doc.migration} but the database is at ${level ?? 'no migration'}: import it into a database at the same level`,
    );
  }
  const models = exportedModels();
  const occupied: string[] = [];
  for (const m of models) {
    const n = await modelOf(prisma, m).count();
    if (n > 0) occupied.push(`${m} (${n})`);
  }
  if (occupied.length)
    throw new CrmDataImportError(
      `The database is not empty (${occupied.join(', ')}): import only into a new, empty database`,
    );

  const order = await parentsFirst(db, models);
  await prisma.$transaction(
    async (tx) => {
      for (const model of order) {
        const types = fieldTypes(prisma, model);
        const rows = doc.tables[model]!.map((row, i) => {
          const out: Row = {};
          for (const [field, value] of Object.entries(row)) {
            const type = types.get(field);
            if (!type) throw new CrmDataImportError(`${model} row ${i + 1}: unknown field "${field}"`);
            out[field] = decodeValue(type, value, `${model} row ${i + 1}, ${field}`);
          }
          return out;
        });
        for (let i = 0; i < rows.length; i += INSERT_BATCH) {
          try {
            await modelOf(tx, model).createMany({ data: rows.slice(i, i + INSERT_BATCH) });
          } catch (err) {
            throw new CrmDataImportError(
              `${model}: rows ${i + 1} to ${Math.min(i + INSERT_BATCH, rows.length)} could not be inserted (${(err as Error).message.split('\n').at(-1)})`,
            );
          }
        }
      }
      await schemaCatalogue(db.provider).afterRowsWithIds(tx, order);
    },
    { timeout: 10 * 60_000, maxWait: 60_000 },
  );
  return { rowCounts: doc.rowCounts };
}

/** How much an export holds, for the person who asked and the audit list. */
export function describeCrmDataExport(doc: CrmDataExport): { rows: number; tables: number; text: string } {
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
  doc: CrmDataExport,
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
