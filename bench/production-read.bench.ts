/**
 * Benchmark: fetch + parse + validate + convert to USD 100,000 Customers-card rows from the
 * fake Metabase, through the real client and money code. Prints rows/s, time and peak RSS.
 * Target: 100k rows in under 2 s, peak RSS under 300 MB on a 2-core machine.
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
import { cpus, loadavg } from 'node:os';
import { createLogger } from '../src/logger';
import { decimalToUsd, formatUsd, sumUsd, type UsdConversion } from '../src/shared/money';
import { defaultRateTable } from '../src/domain/rates';
import { createProductionReader } from '../src/production/metabase-client';
import { startFakeMetabaseProcess } from './support/fake-metabase-process';
import { runWhenMain } from './support/run-directly';

const ROWS = 100_000;
const RUNS = 3;
const SYNC_DAYS = 120;
const MB = 1024 * 1024;
const CARD = { customers: 1, orders: 2 };
const API_KEY = 'bench-key';

interface RunFigures {
  fetchParseValidateMs: number;
  convertMs: number;
  totalMs: number;
  usdTotal: string;
}

export async function runProductionReadBench(): Promise<Record<string, string | number>> {
  // The fake serves 100k rows over all 11 currencies (fixture `productionRead`), warmed so
  // the timed runs measure the client.
  const fake = await startFakeMetabaseProcess({ apiKey: API_KEY, customersCardId: CARD.customers, ordersCardId: CARD.orders, keyStyle: 'title', stringValues: true, now: new Date() });
  await fake.setCustomers({ fixture: 'productionRead', count: ROWS });
  await fake.warm(SYNC_DAYS);
  const { url } = fake;
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
    await fake.stop();
  }
}

runWhenMain(module, runProductionReadBench);
