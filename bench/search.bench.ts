/**
 * Lead search benchmark: the lead picker's typeahead (block_suggestion → external-select
 * options listener → lead-search.ts) and `/crm find`, over the trigram index, on SQLite
 * and PostgreSQL, at 50,000 customers by default (`BENCH_SIZES=10000,50000,200000` for the
 * growth run, `BENCH_PROVIDERS=sqlite` for one database).
 *
 * Queries are what people type: a customer's name one keystroke at a time (from one
 * letter, which matches most customers, to the whole name), an e-mail fragment, a customer
 * id, a miss. Names come from 40 × 40 words and 8 suffixes, so a word matches about 1 in
 * 40 customers, as in a real customer base where names share words.
 *
 * Figures per query text, p50/p95 over all texts and rounds:
 * - typeahead: the whole options request over HTTP (signed request, Bolt, viewer check,
 *   search of the best 100, options JSON), as Slack sends it;
 * - find: searchLeads for the best 10 and the total, as `/crm find` runs it;
 * - floor: one indexed lookup of the same text on the same data, straight through the
 *   driver (better-sqlite3 / pg), no ranking: the first 100 matching customers.
 *
 * `npx tsx bench/search.bench.ts` or `npm run bench -- search`.
 */
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { ManualClock } from '../src/clock';
import { postgresConnectionString, postgresSchemaOf, sqlitePath } from '../src/db/client';
import { normaliseQuery, searchLeads } from '../src/domain/lead-search';
import { type CustomerSnapshot, writeCustomerSnapshots } from '../src/domain/lead-sync';
import { ACTION_IDS } from '../src/slack/views/action-ids';
import { startTestApp } from '../test/support/harness';
import {
  type BenchProvider,
  benchProviders,
  benchSizes,
  ms,
  percentile,
  ratio,
  rssSampler,
  thousands,
} from './support/measure';
import { runWhenMain } from './support/run-directly';

type Row = Record<string, string | number>;

const NOW = new Date('2026-11-25T09:00:00Z');
const AM = 'U0BENCHAM1';
const ROUNDS = 3;
const P95_TARGET_MS = 25;

const FIRST = [
  'Golden',
  'Desert',
  'Blue',
  'Royal',
  'Silver',
  'Green',
  'Red',
  'Star',
  'Ocean',
  'Falcon',
  'Cedar',
  'Pearl',
  'Crescent',
  'Emerald',
  'Sun',
  'Palm',
  'Oasis',
  'Noble',
  'Unity',
  'Prime',
  'Atlas',
  'Summit',
  'Harbor',
  'Crown',
  'Delta',
  'Nile',
  'Gulf',
  'Orient',
  'Saffron',
  'Amber',
  'Ivory',
  'Coral',
  'Jade',
  'Onyx',
  'Sapphire',
  'Horizon',
  'Phoenix',
  'Lotus',
  'Zenith',
  'Aurora',
];
const SECOND = [
  'Rose',
  'Dune',
  'Bridge',
  'Gate',
  'Tower',
  'River',
  'Valley',
  'Garden',
  'Bay',
  'Point',
  'Field',
  'Stone',
  'Bloom',
  'Wave',
  'Leaf',
  'Peak',
  'Trail',
  'Coast',
  'Spring',
  'Grove',
  'Light',
  'Wind',
  'Moon',
  'Sands',
  'Port',
  'Hill',
  'Lake',
  'Forest',
  'Island',
  'Market',
  'Bazaar',
  'Square',
  'Plaza',
  'Way',
  'Line',
  'Link',
  'Works',
  'Hub',
  'Circle',
  'Road',
];
const SUFFIX = ['Trading', 'Foods', 'General Trading LLC', 'Supplies', 'Logistics', 'Stores', 'Import Export', 'Group'];

function customerName(i: number): { name: string; company: string | null; email: string } {
  const a = FIRST[i % FIRST.length]!;
  const b = SECOND[Math.floor(i / FIRST.length) % SECOND.length]!;
  const s = SUFFIX[Math.floor(i / (FIRST.length * SECOND.length)) % SUFFIX.length]!;
  return {
    name: `${a} ${b} ${s}`,
    company: i % 2 ? `${a} ${b} Holdings` : null,
    email: `${a}.${b}${i}@example.com`.toLowerCase(),
  };
}

const customerId = (i: number) => `C${String(i).padStart(7, '0')}`;

function snapshots(n: number): CustomerSnapshot[] {
  const out: CustomerSnapshot[] = [];
  for (let i = 1; i <= n; i++) {
    const { name, company, email } = customerName(i);
    const id = customerId(i);
    out.push({
      figures: {
        customerId: id,
        name,
        company,
        email,
        phone: null,
        markets: 'AE',
        orderCount: 1 + (i % 9),
        lifetimeUsdCents: BigInt((i * 7919) % 10_000_000),
        unknownCurrencies: '',
        lastOrderAt: NOW,
        rateDate: NOW,
        searchText: `${name} ${company ?? ''} ${email} ${id}`.toLowerCase(),
      },
      totals: [],
    });
  }
  return out;
}

/** Keystroke by keystroke through a few names, plus an e-mail fragment, ids and a miss. */
function queryTexts(n: number): string[] {
  const texts: string[] = [];
  for (const i of [Math.floor(n / 3), Math.floor(n / 2) + 7, n - 11]) {
    const { name, email } = customerName(i);
    for (let k = 1; k <= name.length; k++) if (name[k - 1] !== ' ') texts.push(name.slice(0, k));
    texts.push(email.slice(0, 12), customerId(i), customerId(i).slice(0, 5));
  }
  texts.push('zzqx nothing');
  return texts;
}

interface Floor {
  lookup(text: string): Promise<number>;
  close(): Promise<void>;
}

/** One indexed lookup straight through the driver: the first 100 customers whose text contains the needle. */
async function openFloor(provider: BenchProvider, url: string): Promise<Floor> {
  if (provider === 'sqlite') {
    const db = new Database(sqlitePath(url), { readonly: true });
    const byIndex = db.prepare(
      `SELECT c."customerId" FROM "CustomerSearch" s JOIN "CustomerFigures" c ON c.rowid = s.rowid WHERE s."searchText" GLOB ? LIMIT 100`,
    );
    const byScan = db.prepare(`SELECT "customerId" FROM "CustomerFigures" WHERE instr("searchText", ?) > 0 LIMIT 100`);
    return {
      async lookup(text) {
        const needle = normaliseQuery(text);
        const started = performance.now();
        // The trigram index needs 3 characters: shorter texts are a scan that stops at 100.
        if (needle.length >= 3) byIndex.all(`*${needle.replace(/[*?[]/g, (c) => `[${c}]`)}*`);
        else byScan.all(needle);
        return performance.now() - started;
      },
      close: async () => void db.close(),
    };
  }
  const client = new Client({ connectionString: postgresConnectionString(url) });
  await client.connect();
  await client.query(`SET search_path TO "${postgresSchemaOf(url)}"`);
  return {
    async lookup(text) {
      const needle = normaliseQuery(text).replace(/[\\%_]/g, (c) => `\\${c}`);
      const started = performance.now();
      await client.query({
        name: 'floor',
        text: `SELECT "customerId" FROM "CustomerFigures" WHERE "searchText" LIKE $1 LIMIT 100`,
        values: [`%${needle}%`],
      });
      return performance.now() - started;
    },
    close: () => client.end(),
  };
}

async function benchOne(provider: BenchProvider, customers: number): Promise<Row> {
  const clock = new ManualClock(NOW);
  const t = await startTestApp({ env: { CRM_ACCOUNT_MANAGERS: AM, LOG_LEVEL: 'silent' }, clock, database: provider });
  try {
    t.slack.addUser({ id: AM, tz: 'Asia/Dubai' });
    await t.deps.db.prisma.slackUserCache.create({ data: { userId: AM, tz: 'Asia/Dubai', fetchedAt: clock.now() } });
    await writeCustomerSnapshots(t.deps.db, snapshots(customers), NOW);
    if (provider === 'postgres') await t.deps.db.prisma.$executeRawUnsafe('ANALYZE');
    const floor = await openFloor(provider, t.databaseUrl);
    const texts = queryTexts(customers);
    const typeahead: number[] = [];
    const find: number[] = [];
    const floors: number[] = [];
    // Warm-up: query plans, connections, JIT.
    for (const text of texts.slice(0, 5)) {
      await searchLeads(t.deps.db.prisma, text, 10);
      await floor.lookup(text);
      await t.driver.suggestion(AM, ACTION_IDS.leadSelect, text);
    }
    const stopRss = rssSampler();
    for (let round = 0; round < ROUNDS; round++) {
      for (const text of texts) {
        floors.push(await floor.lookup(text));
        let started = performance.now();
        const res = await t.driver.suggestion(AM, ACTION_IDS.leadSelect, text);
        typeahead.push(performance.now() - started);
        if (res.status !== 200) throw new Error(`options request answered ${res.status}`);
        started = performance.now();
        await searchLeads(t.deps.db.prisma, text, 10);
        find.push(performance.now() - started);
      }
    }
    const peak = stopRss();
    await floor.close();
    const p95 = { typeahead: percentile(typeahead, 95), find: percentile(find, 95), floor: percentile(floors, 95) };
    return {
      db: provider,
      customers: thousands(customers),
      queries: typeahead.length,
      typeahead_p50_ms: ms(percentile(typeahead, 50)),
      typeahead_p95_ms: ms(p95.typeahead),
      find_p50_ms: ms(percentile(find, 50)),
      find_p95_ms: ms(p95.find),
      floor_p50_ms: ms(percentile(floors, 50)),
      floor_p95_ms: ms(p95.floor),
      'typeahead/floor_p95': ratio(p95.typeahead, p95.floor),
      'find/floor_p95': ratio(p95.find, p95.floor),
      target: `p95 ≤ ${P95_TARGET_MS} ms`,
      ok: p95.typeahead <= P95_TARGET_MS && p95.find <= P95_TARGET_MS ? 'yes' : 'NO',
      peak_rss_mb: peak,
    };
  } finally {
    await t.stop();
  }
}

export async function runSearchBench(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const customers of benchSizes([50_000])) {
    for (const provider of benchProviders()) rows.push(await benchOne(provider, customers));
  }
  return rows;
}

runWhenMain(module, runSearchBench);
