/**
 * SQLite's data versions for what Home readers share (db/pipeline/pipeline-sql.ts
 * `dataVersion`): counters in the table "DataVersion", one row per concern, bumped by
 * triggers in the same statement as the write they count, whichever connection makes it (this
 * process's Prisma connection or side connection, another instance sharing the file, a
 * person with the sqlite3 shell). A reader reads them in the query it makes anyway, in the
 * same snapshot as the data.
 *
 * - `crm`: the CRM data Home and the lead card show: leads, customer figures and currency
 *   totals, activities, follow-ups, settings, the roster, rates, the audit trail, admin
 *   notices, dismissed suggestions. StageTotal and the search index are kept by triggers
 *   from Lead and CustomerFigures in the same statement, so those writes count already.
 * - `sync`: the lead sync's run records (Home's "synced N minutes ago").
 * - Not counted (bookkeeping, or read by every Home open for its own reader and never
 *   shared): seen Slack requests, leases and heartbeats, follow-up, agenda and digest
 *   deliveries, backup runs, the users.info cache, notes waiting for their lead, a person's
 *   Home filter and agenda preference.
 *
 * A table added later whose rows Home or the card shows needs its triggers here, and on
 * PostgreSQL in a migration (the same list: db/postgres-data-version.ts; a test compares
 * them). Each write costs one more single-row UPDATE per row (about a microsecond).
 *
 * A rollback undoes the counters with the data, so a number can come back with different
 * data behind it: a reader on Prisma's connection sees an open transaction's writes (the
 * connection is one), and whatever it computed from them would be keyed by a number that
 * the next commit reuses. So every transaction on Prisma's connection that ends other than
 * by COMMIT starts a new epoch (SqliteDataVersion, noted by the adapter: sqlite-adapter.ts),
 * and the version is the counter with the epoch. Another connection's transactions are
 * never seen before they commit.
 *
 * A later migration that redefines one of these tables (Prisma copies it into a new one on
 * SQLite) drops its triggers with the old table: the migrator runs `SQLITE_DATA_VERSION_REPAIR`
 * after every batch of migrations, which re-creates what is missing. Created by the
 * `data_version` migration (SQLite only: PostgreSQL keeps its own, db/postgres-data-version.ts).
 */

export const SQLITE_DATA_VERSION_TABLE = 'DataVersion';

/** What a counter is about. */
export type DataConcern = 'crm' | 'sync';

/** The tables whose every write bumps a concern's counter. */
export const DATA_VERSION_TABLES: Record<DataConcern, readonly string[]> = {
  crm: [
    'Lead',
    'CustomerFigures',
    'CustomerCurrencyTotal',
    'Activity',
    'FollowUpAlert',
    'RosterMember',
    'Setting',
    'CurrencyRate',
    'AuditEntry',
    'AdminNotice',
    'SuggestionDismissal',
  ],
  sync: ['SyncRun'],
};

/** Tables whose writes change no version: bookkeeping, what the triggers keep, and what each Home open reads for its own reader. */
export const DATA_VERSION_NOT_COUNTED: readonly string[] = [
  // Kept by triggers on Lead and CustomerFigures, in the same statement as the write.
  'StageTotal',
  // Bookkeeping.
  'SeenSlackRequest',
  'JobLease',
  'AlertDelivery',
  'AgendaDelivery',
  'DigestRun',
  'BackupRun',
  'SlackUserCache',
  'PendingNote',
  // Read by each Home open for its own reader, in its first query: never shared.
  'UserPreference',
  'AgendaPreference',
];

const WRITES = [
  ['INSERT', 'ai'],
  ['UPDATE', 'au'],
  ['DELETE', 'ad'],
] as const;

const triggers = (Object.entries(DATA_VERSION_TABLES) as [DataConcern, readonly string[]][]).flatMap(
  ([concern, tables]) =>
    tables.flatMap((table) =>
      WRITES.map(([write, suffix]) => {
        const name = `DataVersion_${table}_${suffix}`;
        const sql = `CREATE TRIGGER IF NOT EXISTS "${name}" AFTER ${write} ON "${table}" BEGIN
  UPDATE "DataVersion" SET "version" = "version" + 1 WHERE "concern" = '${concern}';
END;`;
        return { name, sql };
      }),
    ),
);

/** Creates the table, its rows and the triggers where missing (idempotent: the migration and the migrator's repair). */
export const SQLITE_DATA_VERSION_REPAIR = `
CREATE TABLE IF NOT EXISTS "DataVersion" ("concern" TEXT NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL) WITHOUT ROWID;
INSERT OR IGNORE INTO "DataVersion" ("concern", "version") VALUES ('crm', 0), ('sync', 0);
${triggers.map((t) => t.sql).join('\n')}`;

/**
 * For a whole-database import into a new file, inside its one transaction: the triggers are
 * dropped before the rows go in (PAUSE) and made again before the commit, each counter bumped
 * once (RESUME), so the import pays no UPDATE per row. No other connection uses the file
 * meanwhile, and nothing of the transaction is seen before its commit.
 */
export const SQLITE_DATA_VERSION_PAUSE = triggers.map((t) => `DROP TRIGGER IF EXISTS "${t.name}";`).join('\n');
export const SQLITE_DATA_VERSION_RESUME = `${SQLITE_DATA_VERSION_REPAIR}
UPDATE "DataVersion" SET "version" = "version" + 1;`;

/** The columns a query adds to read the counters: `cv` (crm) and `sv` (sync). */
export const SQLITE_DATA_VERSION_COLUMNS = `(SELECT "version" FROM "DataVersion" WHERE "concern" = 'crm') AS "cv", (SELECT "version" FROM "DataVersion" WHERE "concern" = 'sync') AS "sv"`;

/** The counters as a query returned them. */
export interface DataVersionRow {
  cv?: bigint | number | null;
  sv?: bigint | number | null;
}

/** The versions read: of the CRM data, and of the sync's run records. */
export interface DataVersions {
  data: string;
  sync: string;
}

/** The epoch of Prisma's connection (see above); one per database handle. */
export class SqliteDataVersion {
  private epoch = 0;

  /** A transaction on Prisma's connection ended other than by COMMIT (rolled back, or by SQLite after an error). */
  noteRollback(): void {
    this.epoch++;
  }

  /**
   * Starts a read: call before the query that reads the counters is sent, and hand its row to
   * the function returned. Null when a transaction ended in a rollback meanwhile: the counters
   * read may be from before it or after it, so they are not a version.
   */
  begin(): (row: DataVersionRow | undefined) => DataVersions | null {
    const epoch = this.epoch;
    return (row) => {
      if (this.epoch !== epoch || row?.cv == null || row.sv == null) return null;
      return { data: `${row.cv}:${epoch}`, sync: `${row.sv}:${epoch}` };
    };
  }
}
