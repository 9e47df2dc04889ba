import type { CrmPrisma, DbProvider } from './client';

/**
 * The primary-key columns of a table, in key order, read from the database's own catalogue
 * (Prisma's runtime model does not say which fields form the key). A whole-table export walks
 * a table in key order a page at a time: "after the last key" is an index seek, where an
 * OFFSET would re-read every earlier row on each page.
 */
export async function primaryKeyColumns(prisma: CrmPrisma, provider: DbProvider, table: string): Promise<string[]> {
  const rows =
    provider === 'sqlite'
      ? await prisma.$queryRawUnsafe<{ name: string }[]>(
          'SELECT name AS "name" FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk',
          table,
        )
      : await prisma.$queryRawUnsafe<{ name: string }[]>(
          `SELECT k.column_name::text AS "name" FROM information_schema.table_constraints c
             JOIN information_schema.key_column_usage k
               ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema AND k.table_name = c.table_name
           WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = current_schema() AND c.table_name = $1
           ORDER BY k.ordinal_position`,
          table,
        );
  return rows.map((r) => r.name);
}
