import { resolve } from 'node:path';
import type { PrismaClient as PostgresPrismaClient } from '../generated/postgres/client';
import { PrismaClient as SqlitePrismaClient } from '../generated/sqlite/client';
import { postgresRowReader } from './postgres-row-reader';
import { PostgresSideWriter } from './postgres-side-writer';
import { keepSqliteFilesPrivate } from './private-files';
import type { RowReader } from './read-rows';
import { ImmediateSqliteAdapterFactory, type SqliteRawRead, SqliteReadConnection } from './sqlite-adapter';
import { SqliteDataVersion } from './sqlite-data-version';
import { sqliteRowReader } from './sqlite-row-reader';
import { SqliteSideWriter } from './sqlite-side-writer';

export type DbProvider = 'sqlite' | 'postgres';

/** The Prisma client generated for each provider (prisma/schema.prisma and its PostgreSQL copy). */
export interface ProviderClients {
  sqlite: SqlitePrismaClient;
  postgres: PostgresPrismaClient;
}

/**
 * The query methods whose types differ between the two generated clients: their argument
 * types are generic over each provider's own filter types (PostgreSQL's string filters have
 * `mode`). Those queries are named functions in `src/db/<concern>` that run through
 * `withProviderClient`, which hands them the client with its own type.
 */
type ProviderTypedMethods = 'aggregate' | 'groupBy';
type ModelName = Exclude<keyof SqlitePrismaClient, `$${string}` | symbol>;
/** A model's queries common to both clients (without the delegate's symbol-keyed type metadata, which names each client's own types). */
type SharedQueries<Delegate> = { [Q in Exclude<keyof Delegate, symbol | ProviderTypedMethods>]: Delegate[Q] };

/**
 * A Prisma interactive transaction's client: the one transaction type of the app. Both
 * generated clients fit it as they are (both come from the same models): every model's
 * queries but the provider-typed ones, and raw SQL.
 */
export type CrmTx = { readonly [M in ModelName]: SharedQueries<SqlitePrismaClient[M]> } & Pick<
  SqlitePrismaClient,
  '$executeRaw' | '$executeRawUnsafe' | '$queryRaw' | '$queryRawUnsafe'
>;

/** The CRM's Prisma client, whichever the provider: a transaction's client that can begin transactions. */
export type CrmPrisma = CrmTx & {
  $transaction<R>(fn: (tx: CrmTx) => Promise<R>, options?: { maxWait?: number; timeout?: number }): Promise<R>;
  $disconnect(): Promise<void>;
};

export interface Database {
  prisma: CrmPrisma;
  provider: DbProvider;
  url: string;
  close(): Promise<void>;
  /** Small reads past Prisma's client, on Prisma's connection (SQLite) or pool (PostgreSQL): see read-rows.ts. */
  rowReader: RowReader;
  /** SQLite only: reads past Prisma on its own connection (see SqliteRawRead). */
  sqliteRawRead?: SqliteRawRead;
  /** SQLite only: bookkeeping writes that are not CRM data, on a connection of their own (see SqliteSideWriter). */
  sqliteSideWriter?: SqliteSideWriter;
  /** SQLite only: what the data versions need to know of Prisma's connection (see SqliteDataVersion). */
  sqliteDataVersion?: SqliteDataVersion;
  /** PostgreSQL only: the same bookkeeping on a connection of its own (see PostgresSideWriter). */
  postgresSideWriter?: PostgresSideWriter;
}

/** SQLite busy timeout: how long a writer waits for another connection's lock. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * How long a transaction may wait to begin. SQLite writers queue for the one write lock (see
 * sqlite-adapter.ts), PostgreSQL transactions for one of the pool's connections, so under a
 * burst (many users at once, several instances) the wait is longer than Prisma's default of
 * 2 s; it stays bounded so a stuck lock or an exhausted pool still ends in an error.
 */
export const TRANSACTION_MAX_WAIT_MS = 15_000;

/** Connections in Prisma's PostgreSQL pool. */
export const POSTGRES_POOL_SIZE = 10;

export function providerOf(url: string): DbProvider {
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  if (url.startsWith('file:')) return 'sqlite';
  throw new Error(`DATABASE_URL must be file:<path> or postgres://…, got ${url.split(':')[0]}:`);
}

/** Absolute path of a `file:` URL, relative paths resolved against the working directory. */
export function sqlitePath(url: string): string {
  return resolve(url.slice('file:'.length).split('?')[0]!);
}

/** The `schema` search-path parameter of a postgres URL (`?schema=x`), default public. */
export function postgresSchemaOf(url: string): string {
  return new URL(url).searchParams.get('schema') ?? 'public';
}

export function postgresConnectionString(url: string): string {
  const u = new URL(url);
  u.searchParams.delete('schema');
  return u.toString();
}

type OwnClient = { [P in DbProvider]: { provider: P; client: ProviderClients[P] } }[DbProvider];

/** Each client opened by openDatabase, with its provider and its own generated type. */
const ownClients = new WeakMap<CrmPrisma, OwnClient>();

function ownClientOf(prisma: CrmPrisma): OwnClient {
  const own = ownClients.get(prisma);
  if (!own) throw new Error('Not a client opened by openDatabase (a transaction client has no provider of its own)');
  return own;
}

/** Which provider a client opened by openDatabase talks to (for SQL that differs between them). */
export function providerOfClient(prisma: CrmPrisma): DbProvider {
  return ownClientOf(prisma).provider;
}

/**
 * `tx` (a transaction of `prisma`) as a client of the same provider, for code that takes a
 * client and reads only (an export read in one snapshot: postgres-read-snapshot.ts). Its
 * queries run in the transaction; it cannot begin transactions of its own.
 */
export function transactionClientOf(prisma: CrmPrisma, tx: CrmTx): CrmPrisma {
  const own = ownClientOf(prisma);
  const client = tx as unknown as CrmPrisma;
  ownClients.set(client, { ...own, client: tx } as unknown as OwnClient);
  return client;
}

/**
 * Runs the implementation for the client's provider, handing it the client with its own
 * generated type: for the queries whose types differ between the providers (`aggregate`,
 * `groupBy`). The table must name both providers.
 */
export function withProviderClient<R>(
  prisma: CrmPrisma,
  implementations: { [P in DbProvider]: (client: ProviderClients[P]) => R },
): R {
  const own = ownClientOf(prisma);
  return own.provider === 'sqlite' ? implementations.sqlite(own.client) : implementations.postgres(own.client);
}

/** Opens the CRM database. Call `migrateDatabase` first: the app never runs un-migrated. */
export function openDatabase(url: string): Database {
  const provider = providerOf(url);
  if (provider === 'sqlite') {
    const path = sqlitePath(url);
    keepSqliteFilesPrivate(path);
    // Write transactions begin IMMEDIATE and wait for the lock without blocking the event loop.
    const versions = new SqliteDataVersion();
    const adapter = new ImmediateSqliteAdapterFactory(path, { deadlineMs: TRANSACTION_MAX_WAIT_MS - 1000 }, versions);
    const client = new SqlitePrismaClient({
      adapter,
      transactionOptions: { maxWait: TRANSACTION_MAX_WAIT_MS },
    });
    const prisma: CrmPrisma = client;
    ownClients.set(prisma, { provider, client });
    const reader = new SqliteReadConnection(path, { deadlineMs: TRANSACTION_MAX_WAIT_MS - 1000 });
    const sideWriter = new SqliteSideWriter(path, { deadlineMs: TRANSACTION_MAX_WAIT_MS - 1000 });
    const close = async () => {
      reader.close();
      sideWriter.close();
      await prisma.$disconnect();
    };
    return {
      prisma,
      provider,
      url,
      close,
      rowReader: sqliteRowReader(
        () => adapter.prismaConnection(),
        () => client.$connect(),
      ),
      sqliteRawRead: reader.read,
      sqliteSideWriter: sideWriter,
      sqliteDataVersion: versions,
    };
  }
  // Loaded only here: a SQLite deployment never loads the PostgreSQL client, its driver or its query compiler.
  const { PrismaPg } = require('@prisma/adapter-pg') as typeof import('@prisma/adapter-pg');
  const { Pool } = require('pg') as typeof import('pg');
  const { PrismaClient } = require('../generated/postgres/client') as typeof import('../generated/postgres/client');
  const schema = postgresSchemaOf(url);
  // The search path makes raw SQL (insert-or-ignore, leases) hit the same schema as Prisma's queries.
  const connection = {
    connectionString: postgresConnectionString(url),
    options: `-c search_path="${schema.replace(/"/g, '""')}"`,
  };
  // The pool is the app's, handed to the adapter: the reads made past Prisma's client
  // (read-rows.ts) share its connections instead of opening more. The adapter leaves a pool
  // it was given open when Prisma disconnects; it is ended with the database.
  const pool = new Pool({ ...connection, max: POSTGRES_POOL_SIZE });
  // An idle connection the server dropped is discarded by the pool; the next query opens
  // another (the adapter adds the same listener while Prisma is connected).
  pool.on('error', () => undefined);
  const adapter = new PrismaPg(pool, { schema });
  const client: PostgresPrismaClient = new PrismaClient({
    adapter,
    transactionOptions: { maxWait: TRANSACTION_MAX_WAIT_MS },
  });
  const prisma: CrmPrisma = client;
  ownClients.set(prisma, { provider, client });
  const sideWriter = new PostgresSideWriter(connection);
  const close = async () => {
    await sideWriter.close();
    await prisma.$disconnect();
    await pool.end();
  };
  return { prisma, provider, url, close, rowReader: postgresRowReader(pool), postgresSideWriter: sideWriter };
}

/** Why the database did not answer, in words fit for /healthz (never the driver's text). */
export type DatabaseFailureKind = 'unreachable' | 'timeout' | 'busy' | 'error';

function databaseFailureKind(err: unknown): DatabaseFailureKind {
  const codes: string[] = [];
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    for (const key of ['code', 'originalCode', 'kind'] as const) {
      const v = (e as Record<string, unknown>)[key];
      if (typeof v === 'string') codes.push(v);
    }
  }
  const text = `${codes.join(' ')} ${(err as Error)?.message ?? ''}`;
  if (/SQLITE_BUSY|SQLITE_LOCKED|database is locked/i.test(text)) return 'busy';
  if (/timeout|timed out|ETIMEDOUT|P1008|P2024/i.test(text)) return 'timeout';
  if (
    /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|SQLITE_CANTOPEN|P1001|P1017|DatabaseNotReachable|connect/i.test(
      text,
    )
  )
    return 'unreachable';
  return 'error';
}

export interface DatabaseCheck {
  ok: boolean;
  provider: string;
  kind?: DatabaseFailureKind;
  /** The driver's own message: for the log only, never for the health answer. */
  detail?: string;
}

/** Does the database answer? For the health route; never throws. */
export async function checkDatabase(db: Database): Promise<DatabaseCheck> {
  try {
    await db.prisma.$queryRawUnsafe('SELECT 1');
    return { ok: true, provider: db.provider };
  } catch (err) {
    return { ok: false, provider: db.provider, kind: databaseFailureKind(err), detail: (err as Error).message };
  }
}
