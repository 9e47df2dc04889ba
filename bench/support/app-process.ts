/**
 * The app as a user runs it: the compiled code (`node dist/index.js`, with the node flags of
 * `npm start`) in a process of its own, configured through its environment like any
 * deployment. The benchmark reads its memory from /proc, its sync figures from its log
 * lines, and reaches its database directly only to set up a scenario (age the last sync,
 * spread the pipeline over the stages).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { postgresConnectionString, postgresSchemaOf, providerOf, sqlitePath } from '../../src/db/client';
import { startScriptEnv } from '../../test/support/app-process';

const ROOT = join(__dirname, '..', '..');

/** Compiles src/ to dist/ (`npm run build`: tsc, then the Prisma runtime files), unless BENCH_SKIP_BUILD=1. */
export function buildApp(): void {
  if (process.env.BENCH_SKIP_BUILD === '1') return;
  const build = join(ROOT, 'scripts', 'build.mjs');
  const built = spawnSync(process.execPath, [build], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
}

/**
 * The node flags `npm start` runs the app with (e.g. `--max-old-space-size=…`), read from
 * package.json's start script so the benchmark measures what users run.
 * BENCH_APP_NODE_FLAGS overrides them (e.g. `BENCH_APP_NODE_FLAGS=` for none).
 */
export function startFlags(): string[] {
  const override = process.env.BENCH_APP_NODE_FLAGS;
  if (override !== undefined) return override.split(/\s+/).filter(Boolean);
  const m = /\bnode\s+((?:--\S+\s+)*)(?:scripts\/run-compiled\.mjs\s+)?dist\/index\.js/.exec(startLine());
  return m?.[1] ? m[1].trim().split(/\s+/) : [];
}

function startLine(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return pkg.scripts.start ?? '';
}

/**
 * The environment `npm start` sets before node (e.g. `MALLOC_ARENA_MAX`), with the C library's
 * malloc settings of the benchmark's own environment over it (`MALLOC_ARENA_MAX=8 npm run bench …`).
 */
export function startEnv(): Record<string, string> {
  const assignments = /^((?:[A-Z_]+=\S+ )*)exec node/.exec(startLine())?.[1] ?? '';
  const own = Object.entries(process.env).filter(
    (e): e is [string, string] => e[0].startsWith('MALLOC_') && e[1] !== undefined,
  );
  return { ...startScriptEnv(assignments), ...Object.fromEntries(own) };
}

/** One `lead sync finished` log line. */
export interface SyncLogLine {
  ms: number;
  created: number;
  updated: number;
  fetched: number;
  ok: boolean;
  loopDelayP99Ms?: number;
  loopDelayMaxMs?: number;
  /** ms from the run's start to the end of each phase (lead-sync.ts). */
  readMs?: number;
  summariseMs?: number;
  firstWriteMs?: number;
  writeMs?: number;
}

export interface AppProcess {
  readonly pid: number;
  readonly baseUrl: string;
  readonly flags: string[];
  /** The variables `npm start` sets, as given to it (see startEnv). */
  readonly startEnv: Record<string, string>;
  /** `lead sync finished` lines so far, oldest first. */
  readonly syncs: SyncLogLine[];
  /** Resident set size now, MB. */
  rssMb(): number;
  /** Highest resident set size since the start (VmHWM), MB. */
  peakRssMb(): number;
  /** Samples RSS every 20 ms until the returned function is called; it returns the peak, MB. */
  sampleRss(): () => number;
  /** CPU time used so far (user + system), ms: by the whole process, and by its main thread alone. */
  cpuMs(): { process: number; main: number };
  /** Resolves once `count` syncs have finished. */
  waitForSyncs(count: number, timeoutMs?: number): Promise<SyncLogLine[]>;
  stop(): Promise<void>;
}

function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return Math.round(kb / 1024);
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** utime + stime of a /proc stat file, ms (fields 14 and 15, counted after the command's closing parenthesis). */
function procCpuMs(path: string): number {
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Starts `node <flags> dist/index.js` with `env`; resolves once it listens. */
export async function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  const flags = startFlags();
  const setEnv = startEnv();
  const child: ChildProcess = spawn(process.execPath, [...flags, join(ROOT, 'dist', 'index.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...setEnv,
      ...env,
      PORT: '0',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const syncs: SyncLogLine[] = [];
  const waiters: Array<() => void> = [];
  let port = 0;
  let onListening: (() => void) | null = null;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    if (typeof entry.port === 'number' && String(entry.msg).startsWith('listening')) {
      port = entry.port;
      onListening?.();
    }
    if (entry.msg === 'lead sync finished') {
      syncs.push(entry as unknown as SyncLogLine);
      for (const w of waiters.splice(0)) w();
    }
    if (typeof entry.level === 'number' && entry.level >= 50) process.stderr.write(`app: ${line}\n`);
  });
  await new Promise<void>((resolve, reject) => {
    onListening = resolve;
    child.once('exit', (code) => reject(new Error(`the app exited with ${code} before listening`)));
  });
  const pid = child.pid!;
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`the app exited unexpectedly (code ${code}, signal ${signal})\n`);
  });
  return {
    pid,
    baseUrl: `http://127.0.0.1:${port}`,
    flags,
    startEnv: setEnv,
    syncs,
    rssMb: () => procStatusMb(pid, 'VmRSS'),
    peakRssMb: () => procStatusMb(pid, 'VmHWM'),
    cpuMs: () => ({ process: procCpuMs(`/proc/${pid}/stat`), main: procCpuMs(`/proc/${pid}/task/${pid}/stat`) }),
    sampleRss() {
      let peak = procStatusMb(pid, 'VmRSS');
      const timer = setInterval(() => {
        if (child.exitCode === null && child.signalCode === null) peak = Math.max(peak, procStatusMb(pid, 'VmRSS'));
      }, 20);
      return () => {
        clearInterval(timer);
        return Math.max(peak, procStatusMb(pid, 'VmRSS'));
      };
    },
    async waitForSyncs(count, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (syncs.length < count) {
        if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${count} syncs, saw ${syncs.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 1000);
        });
      }
      return syncs.slice(0, count);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      stopping = true;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The app's database, reached from the benchmark to set a scenario up. */
export interface BenchDatabase {
  exec(sql: string, params?: unknown[]): Promise<void>;
  /** Makes every finished sync look `ageMs` old, so the next Home open runs a sync. */
  ageSyncs(ageMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function openBenchDatabase(url: string): Promise<BenchDatabase> {
  if (providerOf(url) === 'sqlite') {
    const db = new Database(sqlitePath(url));
    db.pragma('busy_timeout = 10000');
    // As Prisma stores a DateTime on SQLite.
    const stored = (d: Date) => `${d.toISOString().slice(0, -1)}+00:00`;
    return {
      exec: async (sql, params = []) => void db.prepare(sql).run(...params),
      async ageSyncs(ageMs) {
        const at = new Date(Date.now() - ageMs);
        db.prepare(`UPDATE "SyncRun" SET "startedAt" = ?, "finishedAt" = ? WHERE "finishedAt" IS NOT NULL`).run(
          stored(new Date(at.getTime() - 1000)),
          stored(at),
        );
      },
      close: async () => void db.close(),
    };
  }
  const schema = postgresSchemaOf(url);
  const client = new Client({
    connectionString: postgresConnectionString(url),
    options: `-c search_path="${schema}"`,
  });
  await client.connect();
  return {
    exec: async (sql, params = []) => void (await client.query(sql, params)),
    async ageSyncs(ageMs) {
      const at = new Date(Date.now() - ageMs);
      await client.query(`UPDATE "SyncRun" SET "startedAt" = $1, "finishedAt" = $2 WHERE "finishedAt" IS NOT NULL`, [
        new Date(at.getTime() - 1000),
        at,
      ]);
    },
    close: () => client.end(),
  };
}
