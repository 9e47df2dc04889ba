// `npm run bench [-- <name>...]`: runs every bench/*.bench.ts (or those whose file name
// contains one of the given names) and prints each one's figures as a table. Each file runs
// in a fresh process, so one benchmark's memory never shows up in another's peak RSS.
// A bench module exports an async `run…Bench()` returning a row or rows of figures.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

type Row = Record<string, string | number>;

type BenchFn = () => Promise<Row | Row[]>;

async function runOneFile(file: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(join(__dirname, file)) as Record<string, unknown>;
  const benches = Object.entries(mod).filter(
    ([name, fn]) => /^run\w*Bench$/.test(name) && typeof fn === 'function',
  ) as [string, BenchFn][];
  for (const [name, fn] of benches) {
    console.log(`\n== ${file}: ${name} ==`);
    const started = Date.now();
    const rows = await fn();
    console.table(Array.isArray(rows) ? rows : [rows]);
    console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}

function runAll(filters: string[]): void {
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))
    .sort();
  if (files.length === 0) throw new Error(`no benchmark matches ${filters.join(', ')}`);
  let failed = 0;
  // BENCH_HEAP_MB=192 runs each benchmark under that V8 heap limit, as a container whose
  // limit Node sees (or NODE_OPTIONS) would: V8 sizes its heap from the memory it sees and lets
  // garbage pile up far past what the app holds when it sees a whole machine.
  const heapMb = Number(process.env.BENCH_HEAP_MB ?? 0);
  const heapFlag = heapMb > 0 ? [`--max-old-space-size=${heapMb}`] : [];
  console.log(`node heap limit: ${heapMb > 0 ? `${heapMb} MB (--max-old-space-size)` : 'V8 default'}`);
  for (const file of files) {
    // The same node flags (tsx's loader) in a fresh process per file.
    const child = spawnSync(process.execPath, [...process.execArgv, ...heapFlag, __filename, '--one', file], {
      stdio: 'inherit',
    });
    if (child.status !== 0) failed += 1;
  }
  if (failed) process.exitCode = 1;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--one' && args[1]) return runOneFile(args[1]);
  runAll(args);
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
