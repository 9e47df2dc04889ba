import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { inSqliteReadSnapshot } from '../db/sqlite-read-snapshot';
import { SqliteTablePages } from '../db/table-pages-sql';
import { encodeRow } from '../domain/crm-data-encoding';
import { endPieces, sendPiece } from './worker-pieces';

/**
 * The thread behind a SQLite CRM data export (crm-data-json.ts): reads every exported table
 * a page at a time on a read-only connection of its own and writes each page as the
 * document's JSON text here, so the event loop that serves Slack only writes finished text
 * to the file (worker-pieces.ts: a couple of pages wait at most).
 */
export interface CrmDataWorkerData {
  path: string;
  busyTimeoutMs: number;
  tables: { model: string; fields: [string, string][]; keys: string[] }[];
  pageRows: number;
}

const data = workerData as CrmDataWorkerData;

async function run(): Promise<void> {
  const db = new Database(data.path, { readonly: true, fileMustExist: true, timeout: data.busyTimeoutMs });
  try {
    // Every table in one snapshot: a row written meanwhile is in every table or in none.
    await inSqliteReadSnapshot(db, async () => {
      for (const [t, { model, fields, keys }] of data.tables.entries()) {
        const pages = new SqliteTablePages(db, model, fields, keys);
        let opening = `${t ? ',' : ''}${JSON.stringify(model)}:[`;
        let sent = 0;
        for (;;) {
          const page = pages.page(data.pageRows);
          if (page.length === 0) break;
          const text = page.map((row) => JSON.stringify(encodeRow(fields, row))).join(',');
          await sendPiece({ table: model, text: `${opening}${sent ? ',' : ''}${text}`, rows: page.length });
          opening = '';
          sent += page.length;
          if (page.length < data.pageRows) break;
        }
        await sendPiece({ table: model, text: `${opening}]`, rows: 0 });
      }
    });
  } finally {
    db.close();
  }
}

endPieces(run());
