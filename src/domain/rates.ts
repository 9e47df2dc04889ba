import type { Clock } from '../clock';
import { UserFacingError } from '../common/errors';
import {
  buildRateTable,
  isKnownCurrency,
  makeUsdRate,
  normaliseDecimalText,
  type RateTable,
  rateProblem,
  UNREADABLE_ROW,
  type UsdRate,
} from '../common/money';
import type { CrmPrisma, CrmTx } from '../db/client';

/**
 * Default USD value of one unit of each market currency, seeded on first start.
 * These are approximate late-2025 market rates, DEFAULTS TO BE CHECKED BY AN ADMIN: the
 * Gulf pegs (AED, SAR, QAR, BHD, OMR) and KWD's basket barely move, but EGP, INR, PKR and
 * LKR float and drift. Every USD figure shows its rate date, so stale defaults are visible.
 */
export const DEFAULT_USD_RATES: Readonly<Record<string, string>> = {
  AED: '0.2723',
  SAR: '0.2666',
  KWD: '3.26',
  QAR: '0.2747',
  BHD: '2.6596',
  OMR: '2.6008',
  EGP: '0.0206',
  INR: '0.0113',
  PKR: '0.00355',
  LKR: '0.00333',
  USD: '1',
};

/** The date the defaults above were taken: their rate date until an admin sets a rate. */
export const DEFAULT_RATES_DATE = new Date('2025-11-24T00:00:00Z');

/** The seeded defaults as a table, for code that has no database at hand (benchmarks, tests). */
export function defaultRateTable(): RateTable {
  return buildRateTable(Object.entries(DEFAULT_USD_RATES).map(([c, r]) => makeUsdRate(c, r, DEFAULT_RATES_DATE)));
}

/** Audit `setting` key of a currency's rate. */
export function rateSettingKey(currency: string): string {
  return `rate:${currency}`;
}

/** A rate as stored, with who set it. */
export interface StoredRate extends UsdRate {
  updatedBy: string | null;
  updatedAt: Date;
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002';
}

/**
 * Inserts the default rate of every currency that has none. Idempotent and safe to run
 * from several instances at once: an existing row (an admin's value) is never touched, and
 * losing an insert race is fine. Returns the currencies it inserted.
 */
export async function seedDefaultRates(prisma: CrmPrisma, clock: Clock): Promise<string[]> {
  const existing = new Set((await prisma.currencyRate.findMany({ select: { currency: true } })).map((r) => r.currency));
  const inserted: string[] = [];
  for (const [currency, usdPerUnit] of Object.entries(DEFAULT_USD_RATES)) {
    if (existing.has(currency)) continue;
    try {
      await prisma.currencyRate.create({
        data: { currency, usdPerUnit, rateDate: DEFAULT_RATES_DATE, updatedBy: null, updatedAt: clock.now() },
      });
      inserted.push(currency);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
  return inserted;
}

/**
 * The current rates. A stored value that is not a valid rate (edited by hand in the
 * database) is left out, so its currency shows as incomplete rather than as a wrong figure.
 */
export async function getRates(prisma: CrmPrisma | CrmTx): Promise<RateTable> {
  return buildRateTable(await listRates(prisma));
}

/** Every valid stored rate with who set it, sorted by currency: for the admin view. */
export async function listRates(prisma: CrmPrisma | CrmTx): Promise<StoredRate[]> {
  const rows = await prisma.currencyRate.findMany({ orderBy: { currency: 'asc' } });
  const rates: StoredRate[] = [];
  for (const row of rows) {
    if (rateProblem(row.usdPerUnit) !== null) continue;
    rates.push({
      ...makeUsdRate(row.currency, row.usdPerUnit, row.rateDate),
      updatedBy: row.updatedBy,
      updatedAt: row.updatedAt,
    });
  }
  return rates;
}

/** A refused rate change, with a message fit to show the admin next to the field. */
export class RateValidationError extends UserFacingError {
  declare readonly field: 'currency' | 'usdPerUnit';
  /** The currency of the refused change, when it is known (to put the message on its field). */
  readonly currency: string | undefined;
  constructor(field: 'currency' | 'usdPerUnit', userMessage: string, currency?: string) {
    super(userMessage, { field });
    this.name = 'RateValidationError';
    this.currency = currency;
  }
}

export interface RateUpdate {
  currency: string;
  /** USD per one unit, as typed by the admin, e.g. "0.2723". */
  usdPerUnit: string;
  /** Slack user id of the admin. */
  actorId: string;
  /**
   * Adding a currency that has no rate yet: refused if it has one by the time it is
   * written, so an "add" never silently overwrites another admin's rate.
   */
  mustBeNew?: boolean;
}

/** A rate change checked and normalised: what `saveRateIn` writes. */
interface CheckedRate {
  currency: string;
  usdPerUnit: string;
  actorId: string;
  mustBeNew: boolean;
}

/**
 * The code an admin typed, upper-cased, or a RateValidationError saying what is wrong. Only
 * a code in the ISO 4217 table (common/money.ts) is accepted: its exponent comes from there.
 */
export function validCurrencyCode(typed: string): string {
  const currency = typed.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) {
    throw new RateValidationError(
      'currency',
      `Enter a three-letter ISO 4217 currency code such as GBP${typed.trim() ? ` (got "${typed.trim().slice(0, 20)}")` : ''}.`,
    );
  }
  if (!isKnownCurrency(currency)) {
    throw new RateValidationError(
      'currency',
      `${currency} is not an ISO 4217 currency code this CRM knows, so it cannot be converted. Check the code.`,
      currency,
    );
  }
  return currency;
}

/** Throws RateValidationError for a bad currency or rate. */
export function checkRateUpdate(update: RateUpdate): CheckedRate {
  const currency = validCurrencyCode(update.currency);
  const typed = update.usdPerUnit.trim();
  const problem = rateProblem(typed);
  if (problem) throw new RateValidationError('usdPerUnit', `The rate ${problem}.`, currency);
  return {
    currency,
    usdPerUnit: normaliseDecimalText(typed),
    actorId: update.actorId,
    mustBeNew: update.mustBeNew ?? false,
  };
}

/** Writes one checked rate, dated `now`, and its audit entry, inside the caller's transaction. */
export async function saveRateIn(tx: CrmTx, rate: CheckedRate, now: Date): Promise<StoredRate> {
  const { currency, usdPerUnit, actorId } = rate;
  const before = await tx.currencyRate.findUnique({ where: { currency } });
  if (before && rate.mustBeNew) {
    throw new RateValidationError(
      'currency',
      `${currency} already has a rate (${before.usdPerUnit}): change it in its own field.`,
      currency,
    );
  }
  const row = await tx.currencyRate.upsert({
    where: { currency },
    create: { currency, usdPerUnit, rateDate: now, updatedBy: actorId, updatedAt: now },
    update: { usdPerUnit, rateDate: now, updatedBy: actorId, updatedAt: now },
  });
  await tx.auditEntry.create({
    data: {
      actorId,
      setting: rateSettingKey(currency),
      oldValue: before?.usdPerUnit ?? null,
      newValue: usdPerUnit,
      createdAt: now,
    },
  });
  return {
    ...makeUsdRate(row.currency, row.usdPerUnit, row.rateDate),
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt,
  };
}

/**
 * Sets a currency's rate (creating it for a currency that had none), dated now, and records
 * who changed it from what to what in the audit log, in one transaction. Throws
 * RateValidationError for a bad currency or rate. Does not revalue customer figures: an
 * admin's change goes through `changeRates` (revalue-figures.ts), which does both at once.
 */
export async function updateRate(prisma: CrmPrisma, update: RateUpdate, clock: Clock): Promise<StoredRate> {
  const checked = checkRateUpdate(update);
  return prisma.$transaction((tx) => saveRateIn(tx, checked, clock.now()));
}

/**
 * Adds the rate of a currency that has none yet (production started selling in it), dated
 * now and audited like a change from no value. Refuses a currency that already has a rate.
 * Does not revalue figures: an admin's addition goes through `changeRates` with `mustBeNew`.
 */
export async function addRate(prisma: CrmPrisma, update: RateUpdate, clock: Clock): Promise<StoredRate> {
  const checked = checkRateUpdate({ ...update, mustBeNew: true });
  return prisma.$transaction((tx) => saveRateIn(tx, checked, clock.now()));
}

/** Currencies customers bought in that no figure could be converted from, split by what an admin can do. */
export interface UnconvertedCurrencies {
  /** ISO 4217 codes with no rate: an admin can add one. */
  needRate: string[];
  /** Codes this CRM does not know: their amounts stay unconverted (production's data to check). */
  unknownCodes: string[];
}

/** How many distinct "incomplete" lists are read; enough to name every currency in practice. */
const UNCONVERTED_LISTS_READ = 200;

/**
 * The currencies that leave lifetime figures incomplete, from the cached figures (never
 * production), for the admin's rates modal. A currency that has a rate is left out: its
 * figure was incomplete for another reason (an unreadable amount, logged by the sync).
 */
export async function unconvertedCurrencies(prisma: CrmPrisma): Promise<UnconvertedCurrencies> {
  const [lists, rates] = await Promise.all([
    prisma.customerFigures.findMany({
      where: { unknownCurrencies: { not: '' } },
      distinct: ['unknownCurrencies'],
      select: { unknownCurrencies: true },
      take: UNCONVERTED_LISTS_READ,
    }),
    getRates(prisma),
  ]);
  const codes = new Set(
    lists.flatMap((l) =>
      l.unknownCurrencies
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    ),
  );
  // The mark of an unreadable row is no currency: no rate would help.
  codes.delete(UNREADABLE_ROW);
  const missing = [...codes].filter((c) => !rates.has(c)).sort();
  return { needRate: missing.filter(isKnownCurrency), unknownCodes: missing.filter((c) => !isKnownCurrency(c)) };
}
