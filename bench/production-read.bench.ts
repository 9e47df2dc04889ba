/**
 * Benchmark: read, validate and convert to USD 100,000 Customers-card rows from the fake
 * Metabase through the real client and money code (target ≤ 1 s and ≤ 200 MB), beside a
 * floor measured in the same run on the same body.
 *
 *   npx tsx bench/production-read.bench.ts   or   npm run bench -- production-read
 *
 * Paths, each timed from the request to the last row converted:
 * - `stream`: `streamCustomers`, the path the sync takes: rows validated as the body
 *   arrives and handed over batch by batch; here each row is converted to USD and summed.
 * - `stream into the sync's builder`: the same, each row added to the sync's per-customer
 *   running totals (CustomerSnapshotBuilder) and the snapshots made, as the sync does
 *   before it compares and writes.
 * - `whole`: `fetchCustomers` (every row held), then converted.
 * - floor: the same export body downloaded whole, `JSON.parse`, and one loop reading each
 *   row's columns by their titles into the contract's row (trim, Number, Date) and
 *   converting it to USD: the least work that gives the same result, without validation.
 *
 * - The fake serves title keys and string values, the costlier shape to read. It runs in a
 *   child process, as a real Metabase runs on another machine, so the RSS figures are this
 *   (client) process only; it answers one request to itself before the runs.
 * - Run 1 of the stream is cold (first call in a fresh process, as after a deploy). Then
 *   the paths run in turns, RUNS times, and the medians are reported: the machine is shared,
 *   and turns put each path and its floor under the same load.
 * - RSS: the stream's peak is sampled while only the stream has run (a fresh process reads
 *   the export this way in the sync), before the whole-body paths; `max_rss_mb` is the
 *   kernel's high-water mark over the whole benchmark.
 */
import { cpus, loadavg } from 'node:os';
import { decimalToUsd, formatUsd, sumUsd, type UsdConversion } from '../src/common/money';
import { CustomerSnapshotBuilder } from '../src/domain/customer-snapshots';
import { defaultRateTable } from '../src/domain/rates';
import { createLogger } from '../src/logger';
import { createProductionReader } from '../src/production/metabase-client';
import type { CustomerCurrencyRow } from '../src/production/types';
import { startFakeMetabaseProcess } from './support/fake-metabase-process';
import { fetchExportBody } from './support/floors';
import { ms, percentile, ratio, rssSampler } from './support/measure';
import { runWhenMain } from './support/run-directly';

const ROWS = 100_000;
const RUNS = 5;
const SYNC_DAYS = 120;
const CARD = { customers: 1, orders: 2 };
const API_KEY = 'bench-key';

type Row = Record<string, string | number>;

export async function runProductionReadBench(): Promise<Row[]> {
  // The fake serves 100k rows over all 11 currencies (fixture `productionRead`), warmed so
  // the timed runs measure the client.
  const fake = await startFakeMetabaseProcess({
    apiKey: API_KEY,
    customersCardId: CARD.customers,
    ordersCardId: CARD.orders,
    keyStyle: 'title',
    stringValues: true,
    now: new Date(),
  });
  await fake.setCustomers({ fixture: 'productionRead', count: ROWS });
  await fake.warm(SYNC_DAYS);
  const client = createProductionReader(
    {
      url: fake.url,
      auth: { kind: 'apiKey', apiKey: API_KEY },
      customersCardId: CARD.customers,
      ordersCardId: CARD.orders,
      timeoutMs: 30_000,
    },
    createLogger('silent'),
  );
  const rates = defaultRateTable();
  let expectedTotal: string | null = null;
  const check = (what: string, rows: number, total: { usdCents: bigint; incomplete: boolean }) => {
    if (rows !== ROWS) throw new Error(`${what}: expected ${ROWS} rows, got ${rows}`);
    if (total.incomplete) throw new Error(`${what}: conversion incomplete`);
    const text = formatUsd(total.usdCents);
    expectedTotal ??= text;
    if (text !== expectedTotal) throw new Error(`${what}: total ${text}, expected ${expectedTotal}`);
  };

  const stream = async (): Promise<number> => {
    const started = performance.now();
    // Summed as the rows arrive: nothing per row outlives its batch, as in the sync.
    let cents = 0n;
    let incomplete = false;
    const read = await client.streamCustomers(SYNC_DAYS, {
      restart: () => (cents = 0n),
      rows: (batch) => {
        for (const r of batch) {
          const c = decimalToUsd(r.lifetimeTotal, r.currency, rates);
          if (c.kind === 'usd') cents += c.usdCents;
          else incomplete = true;
        }
      },
    });
    const total = { usdCents: cents, incomplete };
    const elapsed = performance.now() - started;
    if (read.rejected.length) throw new Error(`stream: ${read.rejected.length} rows rejected`);
    check('stream', read.kept, total);
    return elapsed;
  };

  const streamIntoBuilder = async (): Promise<number> => {
    const started = performance.now();
    const builder = new CustomerSnapshotBuilder();
    const read = await client.streamCustomers(SYNC_DAYS, {
      restart: () => builder.clear(),
      rows: (batch) => {
        for (const row of batch) builder.add(row);
      },
    });
    let cents = 0n;
    for (const chunk of builder.chunks(rates, 1000)) for (const s of chunk) cents += s.figures.lifetimeUsdCents;
    const elapsed = performance.now() - started;
    if (read.rejected.length || builder.unreadableRows) throw new Error('builder: rows rejected');
    check('builder', read.kept, { usdCents: cents, incomplete: false });
    return elapsed;
  };

  const whole = async (): Promise<number> => {
    const started = performance.now();
    const { rows, rejected } = await client.fetchCustomers(SYNC_DAYS);
    const conversions: UsdConversion[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++)
      conversions[i] = decimalToUsd(rows[i]!.lifetimeTotal, rows[i]!.currency, rates);
    const total = sumUsd(conversions);
    const elapsed = performance.now() - started;
    if (rejected.length) throw new Error(`whole: ${rejected.length} rows rejected`);
    check('whole', rows.length, total);
    return elapsed;
  };

  const floor = async (): Promise<number> => {
    const started = performance.now();
    const raw = JSON.parse(await fetchExportBody(fake.url, API_KEY, CARD.customers, SYNC_DAYS)) as Record<
      string,
      string | null
    >[];
    const conversions: UsdConversion[] = new Array(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const r = raw[i]!;
      const row: CustomerCurrencyRow = {
        customerId: r['Customer ID']!.trim(),
        customerName: r['Customer Name']!.trim(),
        company: r.Company?.trim() || null,
        email: r.Email?.trim() || null,
        phone: r.Phone?.trim() || null,
        market: r.Market!.trim().toUpperCase(),
        currency: r.Currency!.trim().toUpperCase(),
        orderCount: Number(r['Order Count']),
        lifetimeTotal: r['Lifetime Total']!.trim(),
        lastOrderAt: new Date(r['Last Order At']!),
        firstOrderAt: r['First Order At'] ? new Date(r['First Order At']) : null,
      };
      conversions[i] = decimalToUsd(row.lifetimeTotal, row.currency, rates);
    }
    const total = sumUsd(conversions);
    const elapsed = performance.now() - started;
    check('floor', raw.length, total);
    return elapsed;
  };

  try {
    const stopStreamRss = rssSampler();
    const cold = await stream();
    const streamRuns: number[] = [];
    for (let i = 0; i < 2; i++) streamRuns.push(await stream());
    const streamPeak = stopStreamRss();

    const builderRuns: number[] = [];
    const wholeRuns: number[] = [];
    const floorRuns: number[] = [];
    const stopAllRss = rssSampler();
    for (let i = 0; i < RUNS; i++) {
      floorRuns.push(await floor());
      streamRuns.push(await stream());
      builderRuns.push(await streamIntoBuilder());
      wholeRuns.push(await whole());
    }
    const allPeak = stopAllRss();
    const floorMedian = percentile(floorRuns, 50);
    const load = Number(loadavg()[0]!.toFixed(2));
    const maxRss = Math.round((process.resourceUsage().maxRSS * 1024) / 1024 / 1024);
    const base = { rows: ROWS, runs: RUNS, cpus: cpus().length, load_1m: load };
    const line = (path: string, runs: number[], extra: Row): Row => {
      const median = percentile(runs, 50);
      return {
        path,
        ...base,
        median_ms: ms(median),
        best_ms: ms(Math.min(...runs)),
        floor_median_ms: ms(floorMedian),
        ratio: ratio(median, floorMedian),
        rows_per_s: Math.round((ROWS * 1000) / median),
        ...extra,
      };
    };
    return [
      line('stream (sync path): read, validate, convert', streamRuns, {
        cold_ms: ms(cold),
        peak_rss_mb: streamPeak,
        target: '≤ 1000 ms, ≤ 200 MB',
        ok: percentile(streamRuns, 50) <= 1000 && streamPeak <= 200 ? 'yes' : 'NO',
      }),
      line("stream into the sync's per-customer builder", builderRuns, {
        peak_rss_mb: allPeak,
        target: '≤ 1000 ms',
        ok: percentile(builderRuns, 50) <= 1000 ? 'yes' : 'NO',
      }),
      line('whole (fetchCustomers), then convert', wholeRuns, { peak_rss_mb: allPeak, max_rss_mb: maxRss }),
      {
        path: 'floor: body whole, JSON.parse, convert loop (no validation)',
        ...base,
        median_ms: ms(floorMedian),
        best_ms: ms(Math.min(...floorRuns)),
        peak_rss_mb: allPeak,
        usd_total: expectedTotal ?? '',
      },
    ];
  } finally {
    await client.close();
    await fake.stop();
  }
}

runWhenMain(module, runProductionReadBench);
