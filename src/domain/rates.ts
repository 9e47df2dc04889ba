import type { Clock } from '../clock';
import { UserFacingError } from '../shared/errors';
import type { CrmPrisma } from '../db/client';
import type { CrmTx } from '../db/locks';
import {
  buildRateTable,
  isKnownCurrency,
  makeUsdRate,
  normaliseDecimalText,
  rateProblem,
  type RateTable,
  type UsdRate,
} from '../shared/money';

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
    rates.push({ ...makeUsdRate(row.currency, row.usdPerUnit, row.rateDate), updatedBy: row.updatedBy, updatedAt: row.updatedAt });
  }
  return rates;
}

/** A refused rate change, with a message fit to show the admin next to the field. */
export class RateValidationError extends UserFacingError {
  declare readonly field: 'currency' | 'usdPerUnit';
  constructor(field: 'currency' | 'usdPerUnit', userMessage: string) {
    super(userMessage, { field });
    this.name = 'RateValidationError';
  }
}

export interface RateUpdate {
  currency: string;
  /** USD per one unit, as typed by the admin, e.g. "0.2723". */
  usdPerUnit: string;
  /** Slack user id of the admin. */
  actorId: string;
}

/** A rate change checked and normalised: what `saveRateIn` writes. */
interface CheckedRate {
  currency: string;
  usdPerUnit: string;
  actorId: string;
}

/** Throws RateValidationError for a bad currency or rate. */
export function checkRateUpdate(update: RateUpdate): CheckedRate {
  const currency = update.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency) || !isKnownCurrency(currency)) {
    throw new RateValidationError('currency', `${update.currency.trim() || '(empty)'} is not a currency code this CRM knows`);
  }
  const typed = update.usdPerUnit.trim();
  const problem = rateProblem(typed);
  if (problem) throw new RateValidationError('usdPerUnit', `The rate ${problem}.`);
  return { currency, usdPerUnit: normaliseDecimalText(typed), actorId: update.actorId };
}

/** Writes one checked rate, dated `now`, and its audit entry, inside the caller's transaction. */
export async function saveRateIn(tx: CrmTx, rate: CheckedRate, now: Date): Promise<StoredRate> {
  const { currency, usdPerUnit, actorId } = rate;
  const before = await tx.currencyRate.findUnique({ where: { currency } });
  const row = await tx.currencyRate.upsert({
    where: { currency },
    create: { currency, usdPerUnit, rateDate: now, updatedBy: actorId, updatedAt: now },
    update: { usdPerUnit, rateDate: now, updatedBy: actorId, updatedAt: now },
  });
  await tx.auditEntry.create({
    data: { actorId, setting: rateSettingKey(currency), oldValue: before?.usdPerUnit ?? null, newValue: usdPerUnit, createdAt: now },
  });
  return { ...makeUsdRate(row.currency, row.usdPerUnit, row.rateDate), updatedBy: row.updatedBy, updatedAt: row.updatedAt };
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
