import { type CrmPrisma, type CrmTx, type DbProvider, providerOfClient } from '../client';
import { postgresCatalogue } from './postgres-catalogue';
import { sqliteCatalogue } from './sqlite-catalogue';

/** What a whole-database import needs to know of the schema, asked each provider its own way. */
export interface SchemaCatalogue {
  /**
   * The primary-key columns of a table, in key order (Prisma's runtime model does not say
   * which fields form the key). A whole-table export walks a table in key order a page at a
   * time: "after the last key" is an index seek, where an OFFSET would re-read every earlier row.
   */
  primaryKeyColumns(prisma: CrmPrisma, table: string): Promise<string[]>;
  /** Every foreign key as (child table, parent table). */
  foreignKeys(prisma: CrmPrisma): Promise<{ child: string; parent: string }[]>;
  /** After rows were inserted with their ids: make generated ids continue after the largest. */
  afterRowsWithIds(tx: CrmTx, tables: readonly string[]): Promise<void>;
}

const CATALOGUES: Record<DbProvider, SchemaCatalogue> = { sqlite: sqliteCatalogue, postgres: postgresCatalogue };

/** The catalogue of the database `prisma` (a client from openDatabase) talks to. */
export function catalogueOf(prisma: CrmPrisma): SchemaCatalogue {
  return CATALOGUES[providerOfClient(prisma)];
}

/** The last migration applied to the database, e.g. "20261130040554_backup_runs". */
export async function currentMigration(prisma: CrmPrisma): Promise<string | null> {
  const rows = await prisma.$queryRawUnsafe<{ name: string }[]>(
    'SELECT migration_name AS "name" FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name DESC LIMIT 1',
  );
  return rows[0]?.name ?? null;
}
