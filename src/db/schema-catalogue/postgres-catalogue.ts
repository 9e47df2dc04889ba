import type { CrmPrisma, CrmTx } from '../client';

export const postgresCatalogue = {
  primaryKeyColumns: async (prisma: CrmPrisma, table: string) =>
    (
      await prisma.$queryRawUnsafe<{ name: string }[]>(
        `SELECT k.column_name::text AS "name" FROM information_schema.table_constraints c
           JOIN information_schema.key_column_usage k
             ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema AND k.table_name = c.table_name
         WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = current_schema() AND c.table_name = $1
         ORDER BY k.ordinal_position`,
        table,
      )
    ).map((r) => r.name),
  foreignKeys: (prisma: CrmPrisma) =>
    prisma.$queryRawUnsafe<{ child: string; parent: string }[]>(
      `SELECT cl.relname::text AS "child", ref.relname::text AS "parent" FROM pg_constraint c
         JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_class ref ON ref.oid = c.confrelid
       WHERE c.contype = 'f' AND cl.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())`,
    ),
  // Rows arrived with their ids, so each serial sequence must continue after the largest.
  async afterRowsWithIds(tx: CrmTx, tables: readonly string[]) {
    const serials = await tx.$queryRawUnsafe<{ table: string; column: string }[]>(
      `SELECT table_name::text AS "table", column_name::text AS "column" FROM information_schema.columns
       WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`,
    );
    for (const { table, column } of serials) {
      if (!tables.includes(table)) continue;
      const t = `"${table.replace(/"/g, '""')}"`;
      const c = `"${column.replace(/"/g, '""')}"`;
      await tx.$queryRawUnsafe(
        `SELECT setval(pg_get_serial_sequence($1, $2), GREATEST(COALESCE(MAX(${c}), 0), 1), MAX(${c}) IS NOT NULL) FROM ${t}`,
        t,
        column,
      );
    }
  },
};
