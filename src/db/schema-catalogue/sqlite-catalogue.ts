import type { CrmPrisma, CrmTx } from '../client';

export const sqliteCatalogue = {
  primaryKeyColumns: async (prisma: CrmPrisma, table: string) =>
    (
      await prisma.$queryRawUnsafe<{ name: string }[]>(
        'SELECT name AS "name" FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk',
        table,
      )
    ).map((r) => r.name),
  foreignKeys: (prisma: CrmPrisma) =>
    prisma.$queryRawUnsafe<{ child: string; parent: string }[]>(
      `SELECT m.name AS "child", f."table" AS "parent" FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table'`,
    ),
  // An INTEGER PRIMARY KEY continues after the largest id by itself.
  afterRowsWithIds: async (_tx: CrmTx, _tables: readonly string[]) => {},
};
