/**
 * Bulk paths benchmark (`npm run bench -- bulk`): each path that touches the whole book, at
 * 50,000 and 200,000 leads (`BENCH_SIZES` to change), on SQLite, with 10,000 follow-ups.
 *
 * Per path: wall time, peak RSS and the RSS it added over the process before it, the longest
 * event-loop block (perf_hooks.monitorEventLoopDelay: the longest time a timer waited, so what
 * every other user and `/healthz` wait at worst) and the p99 of `/healthz` requests sent every
 * 20 ms while it runs, beside a floor measured in the same run on the same data (the least
 * work that gives the same result, straight through better-sqlite3: see each row's note).
 *
 * Paths: the CSV export of every lead (written to a temporary file as `/crm export` does, then
 * streamed over HTTP to a local endpoint as to Slack's upload URL); the CRM-data JSON export
 * (the same, every table); the JSON import of that export into an empty database (what
 * `npm run restore` does); the digest's figures; `/crm find` with a text every customer
 * matches; pausing the follow-ups of an account manager who owns thousands.
 *
 * `npx tsx bench/bulk.bench.ts` or `npm run bench -- bulk`.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Database from 'better-sqlite3';
import { request } from 'undici';
import { restoreFromFile } from '../src/backup/restore';
import { ManualClock } from '../src/clock';
import { sqlitePath } from '../src/db/client';
import { digestFiguresFor } from '../src/domain/digest-figures';
import { pauseFollowUpsOfOwner } from '../src/domain/follow-ups/pause-follow-ups';
import { exportCurrencies, exportOwnersAndCount } from '../src/domain/lead-export';
import { searchLeads } from '../src/domain/lead-search';
import { type CustomerSnapshot, writeCustomerSnapshots } from '../src/domain/lead-sync';
import { getAllSettings } from '../src/domain/settings';
import { crmDataExportStream } from '../src/exports/crm-data-json';
import { leadExportCsvStream } from '../src/exports/lead-csv';
import { spoolToTempFile } from '../src/exports/spool-file';
import { tempSqliteUrl } from '../test/support/databases';
import { startTestApp, type TestApp } from '../test/support/harness';
import { benchSizes, ms, percentile, ratio, thousands } from './support/measure';
import { runWhenMain } from './support/run-directly';

type Row = Record<string, string | number>;

const NOW = new Date('2026-12-07T09:00:00Z');
const DAY = 86_400_000;
const FOLLOW_UPS = 10_000;
const LEAVER = 'U0BULKAM000';
const LEAVER_FOLLOW_UPS = 3_000;
const OWNERS = Array.from({ length: 190 }, (_, i) => `U0BULKAM${String(i).padStart(3, '0')}`);
const CURRENCIES = [
  ['AE', 'AED', 2],
  ['SA', 'SAR', 2],
  ['KW', 'KWD', 3],
  ['IN', 'INR', 2],
  ['US', 'USD', 2],
] as const;

function snapshots(from: number, to: number): CustomerSnapshot[] {
  const out: CustomerSnapshot[] = [];
  for (let i = from; i < to; i++) {
    const id = `B${String(i).padStart(7, '0')}`;
    const name = `Bulk Trading ${i}`;
    const [market, currency] = CURRENCIES[i % CURRENCIES.length]!;
    const second = i % 3 === 0 ? CURRENCIES[(i + 2) % CURRENCIES.length]! : null;
    const at = new Date(NOW.getTime() - (i % 100) * DAY);
    out.push({
      figures: {
        customerId: id,
        name,
        company: i % 4 ? `Bulk Holding ${i % 997}` : null,
        email: `buyer${i}@bulk.example`,
        phone: i % 5 ? `+971 50 ${String(1_000_000 + i).slice(-7)}` : null,
        markets: second ? `${market},${second[0]}` : market,
        orderCount: 1 + (i % 30),
        lifetimeUsdCents: BigInt((i * 7919) % 100_000_000),
        unknownCurrencies: '',
        lastOrderAt: at,
        rateDate: NOW,
        searchText: `${name} bulk holding ${i % 997} buyer${i}@bulk.example ${id}`.toLowerCase(),
      },
      totals: [
        {
          customerId: id,
          currency,
          market,
          orderCount: 1 + (i % 30),
          lifetimeMinor: BigInt(i * 1013),
          lastOrderAt: at,
        },
        ...(second
          ? [
              {
                customerId: id,
                currency: second[1],
                market: second[0],
                orderCount: 2,
                lifetimeMinor: 125_000n,
                lastOrderAt: at,
              },
            ]
          : []),
      ],
    });
  }
  return out;
}

async function seed(t: TestApp, leads: number): Promise<void> {
  for (let i = 1; i <= leads; i += 5_000)
    await writeCustomerSnapshots(t.deps.db, snapshots(i, Math.min(i + 5_000, leads + 1)), NOW);
  const db = new Database(sqlitePath(t.databaseUrl));
  try {
    db.prepare(
      `UPDATE "Lead" SET "ownerId" = 'U0BULKAM' || substr('000' || ("id" % 190), -3) WHERE "id" % 5 <> 0`,
    ).run();
    db.prepare(
      `UPDATE "Lead" SET "stage" = CASE "id" % 6 WHEN 1 THEN 'contacted' WHEN 2 THEN 'negotiation' WHEN 3 THEN 'trial_order' WHEN 4 THEN 'active_account' WHEN 5 THEN 'churned' ELSE 'lead' END`,
    ).run();
    const insert = db.prepare(
      `INSERT INTO "FollowUpAlert" ("leadId", "ownerId", "message", "kind", "interval", "timeOfDay", "timeZone", "startDate", "nextDueAt", "active", "createdBy", "version", "createdAt", "updatedAt")
       VALUES (?, ?, ?, 'every_weeks', 2, '09:00', 'Asia/Dubai', '2026-01-05', ?, 1, ?, 1, ?, ?)`,
    );
    const iso = (d: Date) => d.toISOString().replace('Z', '+00:00');
    db.transaction(() => {
      for (let n = 0; n < FOLLOW_UPS; n++) {
        const owner = n < LEAVER_FOLLOW_UPS ? LEAVER : OWNERS[1 + (n % 189)]!;
        const due = iso(new Date(NOW.getTime() + ((n % 60) - 5) * DAY));
        insert.run(1 + ((n * 17) % leads), owner, `Call ${n}`, due, owner, iso(NOW), iso(NOW));
      }
    })();
  } finally {
    db.close();
  }
}

interface Measured {
  ms: number;
  peakRssMb: number;
  addedRssMb: number;
  longestBlockMs: number;
  healthzP99Ms: number;
}

/** A full collection before each path, so its added RSS starts from live memory only. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Runs `work` while sampling RSS, the event-loop delay and /healthz. */
async function measure(baseUrl: string, work: () => Promise<unknown>): Promise<Measured> {
  collectGarbage();
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const latencies: number[] = [];
  let running = true;
  const poll = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const res = await request(`${baseUrl}/healthz`);
        await res.body.dump();
      } catch {
        // A refused or reset request still waited: its time counts.
      }
      latencies.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  loop.enable();
  const started = performance.now();
  await work();
  const elapsed = performance.now() - started;
  // A block at the very end is recorded when the monitor's timer next runs: let it run.
  await new Promise((r) => setTimeout(r, 20));
  loop.disable();
  running = false;
  await poll;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return {
    ms: elapsed,
    peakRssMb: Math.round(peak / 1024 / 1024),
    addedRssMb: Math.round((peak - before) / 1024 / 1024),
    longestBlockMs: loop.max / 1e6,
    healthzP99Ms: latencies.length ? percentile(latencies, 99) : Number.NaN,
  };
}

/** A local stand-in for Slack's upload URL: counts the bytes, keeps none. */
async function startUploadSink(): Promise<{ url: string; received: () => number; close(): Promise<void> }> {
  let received = 0;
  const server = createServer((req, res) => {
    req.on('error', () => res.destroy());
    req.on('data', (c: Buffer) => {
      received += c.length;
    });
    req.on('end', () => res.end('OK'));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`,
    received: () => received,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function upload(url: string, path: string, length: number): Promise<void> {
  const res = await request(url, {
    method: 'POST',
    body: createReadStream(path),
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(length) },
  });
  await res.body.dump();
}

async function timed(work: () => unknown): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function row(path: string, leads: number, m: Measured, floorMs: number, floorNote: string): Row {
  return {
    path,
    leads: thousands(leads),
    ms: ms(m.ms),
    floorMs: ms(floorMs),
    'x floor': ratio(m.ms, floorMs),
    'peak RSS MB': m.peakRssMb,
    'added RSS MB': m.addedRssMb,
    'longest block ms': ms(m.longestBlockMs),
    'healthz p99 ms': ms(m.healthzP99Ms),
    floor: floorNote,
  };
}

async function benchOne(leads: number): Promise<Row[]> {
  const t = await startTestApp({
    env: { CRM_ACCOUNT_MANAGERS: OWNERS.join(','), LOG_LEVEL: 'silent' },
    clock: new ManualClock(NOW.toISOString()),
  });
  const dir = mkdtempSync(join(tmpdir(), 'bench-bulk-'));
  const sink = await startUploadSink();
  const rows: Row[] = [];
  try {
    await seed(t, leads);
    const { prisma } = t.deps.db;
    const raw = new Database(sqlitePath(t.databaseUrl), { readonly: true });
    const request0 = { filter: { kind: 'all' as const }, scope: { ownerId: null }, viewerId: 'U0MANAGER', now: NOW };

    // CSV export, as /crm export: owners and count, currencies, pages to a temporary file, upload.
    let bytes = 0;
    const csv = await measure(t.baseUrl, async () => {
      await exportOwnersAndCount(prisma, request0);
      const currencies = await exportCurrencies(prisma, request0);
      const tally = { rows: 0 };
      const options = { stageLabels: {}, timeZone: 'Asia/Dubai', ownerNames: new Map<string, string>() };
      const file = await spoolToTempFile(
        leadExportCsvStream(t.deps.db, request0, currencies, options, tally),
        'leads.csv',
      );
      try {
        await upload(sink.url, file.path, file.length);
        bytes = file.length;
      } finally {
        await file.remove();
      }
      if (tally.rows !== leads) throw new Error(`CSV export wrote ${tally.rows} rows, expected ${leads}`);
    });
    const csvFloor = await timed(async () => {
      const out = createWriteStream(join(dir, 'floor.csv'));
      const stmt = raw.prepare(
        `SELECT l."customerId", c."name", c."company", l."stage", l."ownerId", c."markets", c."lifetimeUsdCents", c."lastOrderAt", l."lastTouchAt"
         FROM "Lead" l JOIN "CustomerFigures" c ON c."customerId" = l."customerId" ORDER BY c."lifetimeUsdCents" DESC, l."id"`,
      );
      for (const r of stmt.iterate() as Iterable<Record<string, unknown>>) {
        if (!out.write(`${Object.values(r).join(',')}\r\n`)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
    });
    rows.push(
      row(`CSV export (${Math.round(bytes / 1024 / 1024)} MB)`, leads, csv, csvFloor, 'one SELECT, lines to a file'),
    );

    // CRM-data JSON export: every table, pages to a temporary file, upload; kept for the import.
    const jsonPath = join(dir, 'crm-data.json');
    let jsonBytes = 0;
    const json = await measure(t.baseUrl, async () => {
      const tally = { rowCounts: {} as Record<string, number>, migration: '' };
      const file = await spoolToTempFile(crmDataExportStream(t.deps.db, NOW, tally), 'crm-data.json');
      try {
        await upload(sink.url, file.path, file.length);
        jsonBytes = file.length;
        const out = createWriteStream(jsonPath);
        createReadStream(file.path).pipe(out);
        await once(out, 'finish');
      } finally {
        await file.remove();
      }
    });
    const jsonFloor = await timed(async () => {
      const out = createWriteStream(join(dir, 'floor.json'));
      const tables = raw
        .prepare(
          `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma%' AND name NOT LIKE 'CustomerSearch%'`,
        )
        .pluck()
        .all() as string[];
      for (const table of tables) {
        for (const r of raw.prepare(`SELECT * FROM "${table}"`).safeIntegers(true).iterate() as Iterable<
          Record<string, unknown>
        >) {
          const line = JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
          if (!out.write(`${line},`)) await once(out, 'drain');
        }
      }
      out.end();
      await once(out, 'finish');
    });
    rows.push(
      row(
        `CRM-data export (${Math.round(jsonBytes / 1024 / 1024)} MB)`,
        leads,
        json,
        jsonFloor,
        'SELECT * per table, JSON lines to a file',
      ),
    );

    // JSON import into an empty database, as `npm run restore -- crm-data.json`.
    const target = tempSqliteUrl();
    try {
      const imported = await measure(t.baseUrl, () =>
        restoreFromFile({ file: jsonPath, databaseUrl: target.url, now: NOW }),
      );
      const importFloor = await timed(() => JSON.parse(readFileSync(jsonPath, 'utf8')));
      rows.push(row('JSON import (restore)', leads, imported, importFloor, 'read + JSON.parse of the file only'));
    } finally {
      await target.cleanup();
    }

    // The digest's figures (the /crm digest preview and the scheduled digest compute these).
    const settings = await getAllSettings(prisma, t.config);
    const digest = await measure(t.baseUrl, () =>
      digestFiguresFor(prisma, settings, { from: new Date(NOW.getTime() - 7 * DAY), to: NOW }, NOW),
    );
    const digestFloor = await timed(() =>
      raw
        .prepare(
          `SELECT l."stage", COUNT(*), SUM(c."lifetimeUsdCents") FROM "Lead" l JOIN "CustomerFigures" c ON c."customerId" = l."customerId" GROUP BY l."stage"`,
        )
        .all(),
    );
    rows.push(row('digest figures', leads, digest, digestFloor, 'one grouped scan per stage totals'));

    // /crm find with a text every customer matches.
    const find = await measure(t.baseUrl, () => searchLeads(prisma, 'bulk trading', 10));
    const findFloor = await timed(() =>
      raw.prepare(`SELECT COUNT(*) FROM "CustomerFigures" WHERE instr("searchText", 'bulk trading') > 0`).get(),
    );
    rows.push(row('find (matches all)', leads, find, findFloor, 'one counting scan'));

    // Removing an account manager with thousands of follow-ups.
    const pause = await measure(t.baseUrl, () =>
      prisma.$transaction((tx) => pauseFollowUpsOfOwner(tx, LEAVER, 'removed', NOW)),
    );
    const pauseFloor = await timed(() => {
      const db = new Database(sqlitePath(t.databaseUrl));
      try {
        db.prepare(`UPDATE "FollowUpAlert" SET "active" = 0 WHERE "ownerId" = ? AND "active" = 1`).run(OWNERS[2]);
      } finally {
        db.close();
      }
    });
    rows.push(
      row(`pause ${thousands(LEAVER_FOLLOW_UPS)} follow-ups`, leads, pause, pauseFloor, 'one UPDATE (another owner)'),
    );
    raw.close();
  } finally {
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
    await t.stop();
  }
  return rows;
}

export async function runBulkBench(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const leads of benchSizes([50_000, 200_000])) rows.push(...(await benchOne(leads)));
  return rows;
}

runWhenMain(module, runBulkBench);
