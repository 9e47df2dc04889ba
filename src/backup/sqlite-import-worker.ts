import { parentPort, workerData } from 'node:worker_threads';
import { type BulkColumnType, type BulkValue, bulkColumnTypeOf } from '../db/bulk-values';
import { type ImportColumn, SqliteTableImport } from '../db/sqlite-table-import';
import type { CrmDataImportPlan } from '../domain/crm-data';
import { CrmDataImportError, decodeRow } from '../domain/crm-data-encoding';
import { CrmDataSyntaxError, readCrmDataFile } from './crm-data-reader';

/**
 * The thread behind a CRM data import into SQLite (sqlite-import.ts): reads the export file
 * as it streams and inserts its rows on a connection of its own, in one transaction, so the
 * parsing, every statement and the commit (which writes the whole import's pages) run here,
 * and the calling thread only waits for the last message. Nothing is kept unless all of it
 * went in: any failure rolls the transaction back. Its data: where from and where to, and the
 * plan (crmDataImportPlan: the tables' order and fields).
 */
export interface SqliteImportTarget {
  /** The export file. */
  file: string;
  /** The SQLite database, migrated and empty. */
  path: string;
  busyTimeoutMs: number;
}

export type SqliteImportData = SqliteImportTarget & CrmDataImportPlan;

export type FromImportWorker =
  | { op: 'done' }
  /** The file cannot be imported as it is (a row that does not fit): for the person running it. */
  | { op: 'refused'; message: string }
  | { op: 'failed'; message: string };

const data = workerData as SqliteImportData;

function importFile(): Promise<void> {
  const types = new Map(data.tables.map((t) => [t.model, new Map(t.fields)]));
  // Every type has a bulk column type: sqlite-import.ts checked before starting the thread.
  const columnTypes = new Map(
    data.tables.map((t) => [
      t.model,
      new Map(t.fields.map(([name, type]) => [name, bulkColumnTypeOf(type) as BulkColumnType])),
    ]),
  );
  const inserted: Record<string, number> = {};
  const db = new SqliteTableImport(data.path, data.busyTimeoutMs);
  const insert = async (model: string, rows: Record<string, unknown>[]): Promise<void> => {
    const first = inserted[model] ?? 0;
    // Rows with the same fields, in a run: one statement's columns (an export's rows all have every field).
    let run: { columns: ImportColumn[]; start: number; values: BulkValue[][] } | null = null;
    const flush = () => {
      if (!run) return;
      const { columns, start, values } = run;
      run = null;
      try {
        db.insert(model, columns, values);
      } catch (err) {
        throw new CrmDataImportError(
          `${model}: rows ${first + start + 1} to ${first + start + values.length} could not be inserted (${(err as Error).message})`,
        );
      }
    };
    for (const [i, row] of rows.entries()) {
      const { fields, values } = decodeRow(types.get(model)!, row, `${model} row ${first + i + 1}`);
      if (run && !sameNames(run.columns, fields)) flush();
      run ??= {
        columns: fields.map((name) => ({ name, type: columnTypes.get(model)!.get(name)! })),
        start: i,
        values: [],
      };
      run.values.push(values);
    }
    flush();
    inserted[model] = first + rows.length;
  };
  const work = async () => {
    db.begin();
    if (data.inOrder) await readCrmDataFile(data.file, insert);
    else for (const { model } of data.tables) await readCrmDataFile(data.file, insert, new Set([model]));
    db.commit();
  };
  return work().finally(() => db.close());
}

function sameNames(columns: readonly ImportColumn[], fields: readonly string[]): boolean {
  return columns.length === fields.length && columns.every((c, i) => c.name === fields[i]);
}

importFile().then(
  () => parentPort!.postMessage({ op: 'done' } satisfies FromImportWorker),
  (err: unknown) => {
    const message = String((err as Error)?.message ?? err);
    const refused = err instanceof CrmDataImportError || err instanceof CrmDataSyntaxError;
    parentPort!.postMessage({ op: refused ? 'refused' : 'failed', message } satisfies FromImportWorker);
  },
);
