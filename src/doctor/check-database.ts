import type { CheckResult } from '../common/doctor-report';
import { postgresSchemaOf, providerOf, sqlitePath } from '../db/client';
import { type MigrationStatus, migrationStatus } from '../db/migrate';
import { describeOpenFiles, filesOpenToOthers } from './check-file-access';

export interface DatabaseCheck {
  database: CheckResult;
  migrations: CheckResult;
  /** The database answers and has the app's tables: its settings can be read. */
  readable: boolean;
}

/** Where the database is, without credentials: "SQLite file ./data/crm.db", "PostgreSQL db.internal:5432/crm". */
export function describeDatabase(url: string): string {
  if (providerOf(url) === 'sqlite') return `SQLite file ${url.slice('file:'.length).split('?')[0]}`;
  const u = new URL(url);
  const schema = postgresSchemaOf(url);
  return `PostgreSQL ${u.hostname}:${u.port || '5432'}${u.pathname}${schema === 'public' ? '' : ` (schema ${schema})`}`;
}

/**
 * Does the database answer, and where does it stand against the committed migrations?
 * Read-only: a missing SQLite file is reported, not created, and nothing is migrated. A SQLite
 * file (or a backup in `backupDir`) that other accounts on the host can read is a warning.
 */
export async function checkDatabase(url: string, backupDir: string | null = null): Promise<DatabaseCheck> {
  const where = describeDatabase(url);
  let status: MigrationStatus;
  try {
    status = await migrationStatus(url);
  } catch (err) {
    return {
      database: {
        id: 'database',
        title: 'Database',
        status: 'fail',
        finding: `${where} does not answer: ${reasonOf(err)}`,
        fix: 'Check DATABASE_URL, that the database server is running and reachable, and the credentials (README, section Configuration).',
      },
      migrations: {
        id: 'migrations',
        title: 'Migrations',
        status: 'skip',
        finding: 'not checked: the database does not answer',
      },
      readable: false,
    };
  }
  if (!status.exists) {
    return {
      database: {
        id: 'database',
        title: 'Database',
        status: 'warn',
        finding: `${where} does not exist yet`,
        fix: 'Nothing to do before the first start: `npm start` creates it (or `npm run db:migrate` now).',
      },
      migrations: {
        id: 'migrations',
        title: 'Migrations',
        status: 'skip',
        finding: `not checked: no database yet (${status.pending.length} to apply at the first start)`,
      },
      readable: false,
    };
  }
  const open = providerOf(url) === 'sqlite' ? filesOpenToOthers(sqlitePath(url), backupDir) : [];
  const openWords = open.length ? describeOpenFiles(open) : null;
  return {
    database: openWords
      ? {
          id: 'database',
          title: 'Database',
          status: 'warn',
          finding: `${where} answers, but ${openWords.finding}`,
          fix: openWords.fix,
        }
      : { id: 'database', title: 'Database', status: 'ok', finding: `${where} answers` },
    migrations: migrationsResult(status),
    readable: status.applied.length > 0,
  };
}

function migrationsResult(s: MigrationStatus): CheckResult {
  const base = { id: 'migrations', title: 'Migrations' } as const;
  if (s.edited.length) {
    return {
      ...base,
      status: 'fail',
      finding: `${count(s.edited.length, 'applied migration')} changed since applied (${s.edited.join(', ')}): the app will refuse to start`,
      fix: 'Restore those migration.sql files as they were (git checkout -- prisma/); a schema change needs a new migration: `npm run db:migration -- <name>`.',
    };
  }
  const problems: string[] = [];
  const fixes: string[] = [];
  if (s.pending.length) {
    problems.push(`${count(s.pending.length, 'migration')} pending (${s.pending.join(', ')})`);
    fixes.push('The app applies pending migrations when it starts; to apply them now, run `npm run db:migrate`.');
  }
  if (s.unknown.length) {
    problems.push(
      `the database has ${count(s.unknown.length, 'migration')} this version of the app does not know (${s.unknown.join(', ')})`,
    );
    fixes.push('A newer version of the app migrated this database: run that version (or a newer one).');
  }
  if (problems.length)
    return {
      ...base,
      status: 'warn',
      finding: `${count(s.applied.length, 'migration')} applied; ${problems.join('; ')}`,
      fix: fixes.join(' '),
    };
  const latest = s.applied[s.applied.length - 1];
  return {
    ...base,
    status: 'ok',
    finding:
      s.applied.length === 1
        ? `the one migration is applied (${latest})`
        : `all ${s.applied.length} migrations applied (latest ${latest})`,
  };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** A database error, in words; driver error codes for the network cases. */
function reasonOf(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\s+/g, ' ').trim().slice(0, 200);
}
