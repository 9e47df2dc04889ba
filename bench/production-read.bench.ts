/**
 * Benchmark: fetch + parse + validate + convert to USD 100,000 Customers-card rows from the
 * fake Metabase, through the real client and money code. Prints rows/s, time and peak RSS.
 * Target (issue 3): 100k rows in under 2 s, peak RSS under 300 MB on a 2-core machine.
 *
 *   npx tsx bench/production-read.bench.ts
 *
 * - The fake serves title keys and string values, the costlier shape to read.
 * - It runs in a child process, as a real Metabase runs on another machine: its CPU and
 *   memory are not the client's, so the RSS figures are this (client) process only. The
 *   child answers one request to itself before the runs, so its own start-up is not timed.
 * - Run 1 is a cold client (first call in a fresh process, as after a deploy); runs 2 and 3
 *   are warm (the app is long-lived and syncs repeatedly). Both are reported.
 * - RSS: `rssBeforeMB` is the process before the first fetch (Node + tsx + modules),
 *   `coldRunPeakRssMB` the peak during run 1, `peakRssSampledMB` / `maxRssMB` the peak over
 *   all runs (sampled every 10 ms / the kernel's high-water mark), which includes earlier
 *   runs' rows not yet collected.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { request } from 'undici';
import { createLogger } from '../src/logger';
import { decimalToUsd, formatUsd, sumUsd, type UsdConversion } from '../src/domain/money';
import { defaultRateTable, DEFAULT_USD_RATES } from '../src/domain/rates';
import { createProductionReader } from '../src/production/metabase-client';
import { startFakeMetabase, type FakeCustomerRow } from '../test/support/fake-metabase';

const ROWS = 100_000;
const RUNS = 3;
const SYNC_DAYS = 120;
const MB = 1024 * 1024;
const ROLE_ENV = 'PRODUCTION_READ_BENCH_ROLE';
const NOW_ENV = 'PRODUCTION_READ_BENCH_NOW';
const CARD = { customers: 1, orders: 2 };
const API_KEY = 'bench-key';

const MARKET_OF: Record<string, string> = { AED: 'AE', SAR: 'SA', KWD: 'KW', QAR: 'QA', BHD: 'BH', OMR: 'OM', EGP: 'EG', INR: 'IN', PKR: 'PK', LKR: 'LK', USD: 'US' };

/** 100k rows over all 11 currencies; every third row is a second currency of the previous customer. */
function fixtureRows(count: number, now: Date): FakeCustomerRow[] {
  const currencies = Object.keys(DEFAULT_USD_RATES);
  const rows: FakeCustomerRow[] = [];
  for (let i = 0; i < count; i++) {
    const customer = i % 3 === 2 ? i - 1 : i;
    const currency = currencies[i % currencies.length]!;
    const threeDecimals = currency === 'KWD' || currency === 'BHD' || currency === 'OMR';
    const whole = 100 + ((i * 7919) % 250_000);
    rows.push({
      customer_id: `C${String(customer).padStart(7, '0')}`,
      customer_name: `Customer ${customer} Trading LLC`,
      company: i % 5 === 0 ? null : `Company ${customer}`,
      email: `buyer${customer}@example.com`,
      phone: i % 4 === 0 ? null : `+971 50 ${String(1_000_000 + customer).slice(-7)}`,
      market: MARKET_OF[currency]!,
      currency,
      order_count: 1 + (i % 40),
      lifetime_total: threeDecimals ? `${whole}.${String(i % 1000).padStart(3, '0')}` : `${whole}.${String(i % 100).padStart(2, '0')}`,
      // Within the last 100 days, so every row is inside the 120-day window.
      last_order_at: new Date(now.getTime() - (i % 100) * 86_400_000).toISOString(),
    });
  }
  return rows;
}

/** Child side: serve the fixture until the parent says stop. */
async function serveFake(): Promise<void> {
  const now = new Date(process.env[NOW_ENV]!);
  const mb = await startFakeMetabase({ apiKey: API_KEY, customersCardId: CARD.customers, ordersCardId: CARD.orders, keyStyle: 'title', stringValues: true, now: () => now });
  mb.setCustomers(fixtureRows(ROWS, now));
  // Warm the fake (JIT, serialised rows) so the timed runs measure the client.
  const warm = await request(`${mb.url}/api/card/${CARD.customers}/query/json`, {
    method: 'POST',
    headers: { 'x-api-key': API_KEY, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ parameters: JSON.stringify([{ type: 'number', target: ['variable', ['template-tag', 'days']], value: SYNC_DAYS }]), format_rows: 'false' }).toString(),
  });
  await warm.body.dump({ limit: Infinity });
  mb.clearRequests();
  process.send!({ url: mb.url });
  process.once('message', () => {
    void mb.close().then(() => process.exit(0));
  });
}

/** Loader flags (tsx's) the child needs to run this TypeScript file, without the parent's --eval. */
function loaderArgs(): string[] {
  const args: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    if ((argv[i] === '--require' || argv[i] === '--import' || argv[i] === '-r') && argv[i + 1]) args.push(argv[i]!, argv[++i]!);
  }
  return args.length ? args : ['--import', 'tsx'];
}

async function startFakeProcess(now: Date): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(__filename, [], {
    env: { ...process.env, [ROLE_ENV]: 'fake', [NOW_ENV]: now.toISOString() },
    execArgv: loaderArgs(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit').then(() => {
    throw new Error('fake Metabase process exited before it was ready');
  });
  const [message] = (await Promise.race([once(child, 'message'), exited])) as [{ url: string }];
  exited.catch(() => undefined);
  return { url: message.url, child };
}

interface RunFigures {
  fetchParseValidateMs: number;
  convertMs: number;
  totalMs: number;
  usdTotal: string;
}

export async function runProductionReadBench(): Promise<Record<string, string | number>> {
  const now = new Date();
  const { url, child } = await startFakeProcess(now);
  const client = createProductionReader(
    { url, auth: { kind: 'apiKey', apiKey: API_KEY }, customersCardId: CARD.customers, ordersCardId: CARD.orders, timeoutMs: 30_000 },
    createLogger('silent'),
  );
  const rates = defaultRateTable();

  const rssBefore = process.memoryUsage.rss();
  let peakRss = rssBefore;
  // rss() alone: memoryUsage() walks the heap spaces and would slow what it measures.
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 10);

  const runOnce = async (): Promise<RunFigures> => {
    const t0 = performance.now();
    const { rows, rejected } = await client.fetchCustomers(SYNC_DAYS);
    const t1 = performance.now();
    const conversions: UsdConversion[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) conversions[i] = decimalToUsd(rows[i]!.lifetimeTotal, rows[i]!.currency, rates);
    const total = sumUsd(conversions);
    const t2 = performance.now();
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    if (rows.length !== ROWS || rejected.length !== 0) throw new Error(`expected ${ROWS} rows, got ${rows.length} (+${rejected.length} rejected)`);
    if (total.incomplete) throw new Error('conversion incomplete');
    return { fetchParseValidateMs: Math.round(t1 - t0), convertMs: Math.round(t2 - t1), totalMs: Math.round(t2 - t0), usdTotal: formatUsd(total.usdCents) };
  };

  try {
    const runs: RunFigures[] = [];
    let coldPeakRss = 0;
    for (let i = 0; i < RUNS; i++) {
      runs.push(await runOnce());
      if (i === 0) coldPeakRss = peakRss;
    }
    const cold = runs[0]!;
    const warm = runs.slice(1).reduce((best, r) => (r.totalMs < best.totalMs ? r : best));
    return {
      rows: ROWS,
      coldFetchParseValidateMs: cold.fetchParseValidateMs,
      coldConvertMs: cold.convertMs,
      coldTotalMs: cold.totalMs,
      coldRowsPerSecond: Math.round((ROWS * 1000) / cold.totalMs),
      warmFetchParseValidateMs: warm.fetchParseValidateMs,
      warmConvertMs: warm.convertMs,
      warmTotalMs: warm.totalMs,
      warmRowsPerSecond: Math.round((ROWS * 1000) / warm.totalMs),
      rssBeforeMB: Math.round(rssBefore / MB),
      coldRunPeakRssMB: Math.round(coldPeakRss / MB),
      peakRssSampledMB: Math.round(peakRss / MB),
      maxRssMB: Math.round((process.resourceUsage().maxRSS * 1024) / MB),
      usdTotal: cold.usdTotal,
      // Other work on the machine slows the cold run most: say how busy it was.
      cpus: cpus().length,
      loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
    };
  } finally {
    clearInterval(sampler);
    await client.close();
    child.send('stop');
    await once(child, 'exit');
  }
}

if (process.env[ROLE_ENV] === 'fake') {
  void serveFake();
} else if (require.main === module) {
  runProductionReadBench().then(
    (figures) => {
      console.log(`production read: ${ROWS} Customers rows (title keys, string values) via fake Metabase, ${RUNS} runs`);
      for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(26)} ${v}`);
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
