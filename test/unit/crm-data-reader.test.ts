import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CrmDataSyntaxError, readCrmDataFile } from '../../src/backup/crm-data-reader';

const dir = mkdtempSync(join(tmpdir(), 'crm-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const doc = {
  format: 'slack-crm-data',
  version: 1,
  exportedAt: '2026-11-25T12:00:00.000Z',
  migration: '2026_x',
  tables: {
    CustomerFigures: [
      { customerId: 'C-1', name: 'ACME "tables": [ { } ] \\ ,', note: 'a\nb' },
      { customerId: 'C-2', name: '[{"x":1}]' },
    ],
    'Odd "name" ]': [],
    Lead: [{ id: 1, customerId: 'C-1', nested: { a: [1, { b: '}' }] } }],
  },
  rowCounts: { CustomerFigures: 2, 'Odd "name" ]': 0, Lead: 1 },
};

async function readInPieces(text: string, chunkBytes: number, tables?: Set<string>) {
  const file = join(dir, `doc-${chunkBytes}.json`);
  writeFileSync(file, text);
  const rows: [string, unknown][] = [];
  const skeleton = await readCrmDataFile(
    file,
    async (table, batch) => {
      for (const r of batch) rows.push([table, r]);
    },
    tables,
    chunkBytes,
  );
  return { skeleton, rows };
}

describe('readCrmDataFile', () => {
  it.each([1, 2, 3, 5, 16, 4096])(
    'hands out every row of every table and keeps the rest, in pieces of %i bytes',
    async (size) => {
      for (const text of [JSON.stringify(doc), JSON.stringify(doc, null, 2)]) {
        const { skeleton, rows } = await readInPieces(text, size);
        expect(rows).toEqual(Object.entries(doc.tables).flatMap(([t, list]) => list.map((r) => [t, r])));
        expect(skeleton.tableOrder).toEqual(Object.keys(doc.tables));
        expect(skeleton.found).toEqual(doc.rowCounts);
        expect(skeleton.document).toEqual({ ...doc, tables: { CustomerFigures: [], 'Odd "name" ]': [], Lead: [] } });
      }
    },
  );

  it('hands out only the tables asked for', async () => {
    const { rows } = await readInPieces(JSON.stringify(doc), 7, new Set(['Lead']));
    expect(rows.map(([t]) => t)).toEqual(['Lead']);
  });

  it('refuses a file cut short, a malformed row list, a row that is not an object', async () => {
    const text = JSON.stringify(doc);
    await expect(readInPieces(text.slice(0, text.length - 30), 8)).rejects.toThrow(CrmDataSyntaxError);
    await expect(readInPieces(text.replace('"Lead":[', '"Lead":[,'), 8)).rejects.toThrow(/table Lead: /);
    await expect(readInPieces(text.replace('"Lead":[', '"Lead":[3,'), 8)).rejects.toThrow(
      'table Lead: a row is not an object',
    );
  });
});
