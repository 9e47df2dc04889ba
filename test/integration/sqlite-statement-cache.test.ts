import Database from 'better-sqlite3';
import { cachePreparedStatements } from '../../src/db/sqlite-statement-cache';
import { openTestDatabase } from '../support/databases';

describe('prepared statements kept by their text (SQLite)', () => {
  it('a statement run again answers for its new arguments, and one dropped from the cache is prepared again', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
    cachePreparedStatements(db, 2);
    // As Prisma's adapter calls it: prepare(sql).bind(args), then run() or raw().all().
    const adapterLike = db as unknown as {
      prepare(sql: string): { bind(args: unknown[]): { reader: boolean; raw(): { all(): unknown[] }; run(): unknown } };
    };
    const insert = 'INSERT INTO t (id, name) VALUES (?, ?)';
    for (const [id, name] of [
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ] as const)
      adapterLike.prepare(insert).bind([id, name]).run();
    const byId = 'SELECT name FROM t WHERE id = ?';
    expect(adapterLike.prepare(byId).bind([2]).raw().all()).toEqual([['b']]);
    expect(adapterLike.prepare(byId).bind([3]).raw().all()).toEqual([['c']]);
    // Two other statements push it out of a cache of two; it still answers.
    expect(adapterLike.prepare('SELECT COUNT(*) FROM t').bind([]).raw().all()).toEqual([[3]]);
    expect(adapterLike.prepare('SELECT MAX(id) FROM t').bind([]).raw().all()).toEqual([[3]]);
    expect(adapterLike.prepare(byId).bind([1]).raw().all()).toEqual([['a']]);
    expect(adapterLike.prepare(insert).bind([4, 'd']).reader).toBe(false);
    db.close();
  });

  it('the app’s Prisma client reads and writes through it, in and out of transactions', async () => {
    const h = await openTestDatabase('sqlite');
    try {
      const p = h.db.prisma;
      for (const key of ['k1', 'k2', 'k3'])
        await p.setting.create({ data: { key, value: key.toUpperCase(), updatedBy: 'U1' } });
      for (const key of ['k1', 'k2', 'k3'])
        expect((await p.setting.findUnique({ where: { key } }))?.value).toBe(key.toUpperCase());
      await p.$transaction(async (tx) => {
        await tx.setting.update({ where: { key: 'k2' }, data: { value: 'changed' } });
        expect((await tx.setting.findUnique({ where: { key: 'k2' } }))?.value).toBe('changed');
      });
      await expect(
        p.$transaction(async (tx) => {
          await tx.setting.update({ where: { key: 'k3' }, data: { value: 'rolled back' } });
          throw new Error('undo');
        }),
      ).rejects.toThrow('undo');
      expect((await p.setting.findUnique({ where: { key: 'k3' } }))?.value).toBe('K3');
    } finally {
      await h.cleanup();
    }
  });
});
