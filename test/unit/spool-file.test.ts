import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spoolToTempFile } from '../../src/exports/spool-file';

async function* pieces(n: number, failAt?: number): AsyncGenerator<string> {
  for (let i = 0; i < n; i++) {
    if (i === failAt) throw new Error('the database went away');
    yield `row ${i}: ${'é'.repeat(50)}\n`;
  }
}

describe('spoolToTempFile', () => {
  it('writes every piece in order to a file only its owner can read, and knows its byte length', async () => {
    const file = await spoolToTempFile(pieces(5_000), 'crm-leads-all-2026-11-30.csv');
    try {
      const expected = Array.from({ length: 5_000 }, (_, i) => `row ${i}: ${'é'.repeat(50)}\n`).join('');
      expect(readFileSync(file.path, 'utf8')).toBe(expected);
      expect(file.length).toBe(Buffer.byteLength(expected));
      expect((statSync(file.path).mode & 0o777).toString(8)).toBe('600');
      expect((statSync(dirname(file.path)).mode & 0o777).toString(8)).toBe('700');
    } finally {
      await file.remove();
    }
    expect(existsSync(file.path)).toBe(false);
    expect(existsSync(dirname(file.path))).toBe(false);
  });

  it('removes what it wrote when producing the pieces fails', async () => {
    const previous = process.env.TMPDIR;
    const own = mkdtempSync(join(tmpdir(), 'spool-test-'));
    process.env.TMPDIR = own;
    try {
      await expect(spoolToTempFile(pieces(100, 40), 'x.csv')).rejects.toThrow('the database went away');
      expect(readdirSync(own)).toEqual([]);
    } finally {
      process.env.TMPDIR = previous;
      rmSync(own, { recursive: true, force: true });
    }
  });
});
