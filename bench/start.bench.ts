/**
 * Start-up as a user sees it: how long from the command to `/healthz` answering 200, and the
 * app process's resident memory once idle, for
 * - `npm start` on a clone where nothing changed (the up-to-date check, then the compiled app),
 * - `node dist/index.js` (what the Docker image runs),
 * - `tsx src/index.ts` (the sources, as `npm start` ran them before the compiled build);
 * and the size on disk of the production dependencies (`npm ci --omit=dev`'s set, by the
 * lockfile). HTTP mode against the fake Slack, on a migrated SQLite file. The load average is
 * printed: the machine may be shared.
 *
 * `npm run bench -- start`; `BENCH_START_RUNS=5` (default 3).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { migrateDatabase } from '../src/db/migrate';
import { prepareCompiledApp, repoRoot } from '../test/support/app-process';
import { tempSqliteUrl } from '../test/support/databases';
import { startFakeSlack } from '../test/support/fake-slack';
import { productionPackages } from '../test/support/runtime-image';
import { runWhenMain } from './support/run-directly';

type Row = Record<string, string | number>;

const IDLE_MS = 5_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMb(pid: number): number {
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return Math.round(kb / 1024);
}

/** The process that runs the app: `npm` execs into node (`exec` in the start script), one level down. */
function appPid(child: ChildProcess, viaNpm: boolean): number {
  if (!viaNpm) return child.pid!;
  const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' });
  return Number(out.trim().split(/\s+/)[0]);
}

async function untilHealthy(port: number, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await sleep(20);
  }
}

let nextPort = 43_100;

async function measure(command: string[], env: Record<string, string>): Promise<{ ms: number; rss: number }> {
  const port = nextPort++;
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    await untilHealthy(port, child);
    const ms = performance.now() - started;
    await sleep(IDLE_MS);
    const rss = rssMb(appPid(child, command[0] === 'npm'));
    return { ms, rss };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

function productionDependenciesMb(): number {
  const paths = productionPackages().map((p) => join(repoRoot, p));
  const out = execFileSync('du', ['-sck', ...paths], { encoding: 'utf8' });
  return Math.round(Number(/^(\d+)\s+total$/m.exec(out)?.[1]) / 1024);
}

export async function runStartBench(): Promise<Row[]> {
  const runs = Number(process.env.BENCH_START_RUNS ?? 3);
  await prepareCompiledApp();
  const slack = await startFakeSlack();
  const db = tempSqliteUrl();
  await migrateDatabase(db.url);
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-bench-start',
    SLACK_SIGNING_SECRET: 'bench-start',
    SLACK_API_URL: slack.apiUrl,
    DATABASE_URL: db.url,
  };
  const ways: [string, string[]][] = [
    ['npm start (nothing changed)', ['npm', 'start']],
    ['node dist/index.js (image)', [process.execPath, 'dist/index.js']],
    ['tsx src/index.ts (sources)', [process.execPath, '--require', 'tsx/cjs', 'src/index.ts']],
  ];
  const rows: Row[] = [];
  try {
    for (const [way, command] of ways) {
      const seen: { ms: number; rss: number }[] = [];
      for (let i = 0; i < runs; i++) seen.push(await measure(command, env));
      const ms = seen.map((s) => s.ms).sort((a, b) => a - b);
      const median = ms[Math.floor(ms.length / 2)]!;
      rows.push({
        start: way,
        to_healthz_200_ms_median: Math.round(median),
        runs_ms: ms.map(Math.round).join(' '),
        idle_rss_mb: seen.map((s) => s.rss).join(' '),
        target: way.startsWith('npm') ? '≤ 5,000 ms' : '',
        load: loadavg()
          .map((l) => l.toFixed(1))
          .join(' '),
      });
    }
    rows.push({
      start: 'production dependencies on disk (npm ci --omit=dev set)',
      idle_rss_mb: '',
      runs_ms: '',
      to_healthz_200_ms_median: `${productionDependenciesMb()} MB`,
      target: '≤ 150 MB',
      load: '',
    });
  } finally {
    await slack.close();
    await db.cleanup();
  }
  return rows;
}

runWhenMain(module, runStartBench);
