import type { Clock } from '../clock';
import { splitList } from '../common/lists';
import { currencyExponent, type RateTable, sumUsd, toUsd, type UsdConversion } from '../common/money';
import type { CrmPrisma, CrmTx } from '../db/client';
import { LOCKS, lockForTransaction } from '../db/locks';
import { type CurrencyTotalRow, type CustomerFiguresRow, customerFingerprint } from './customer-snapshots';
import { checkRateUpdate, getRates, type RateUpdate, type StoredRate, saveRateIn } from './rates';

/** Customers revalued per statement batch. */
const REVALUE_CHUNK_SIZE = 500;

/** A customer's lifetime USD fields, as CustomerFigures stores them. */
export interface UsdFigure {
  lifetimeUsdCents: bigint;
  unknownCurrencies: string;
  rateDate: Date | null;
}

/**
 * Lifetime USD of one customer from its per-currency totals at `rates`. Currencies listed as
 * unknown without a totals row (amounts the sync could not hold in minor units) stay unknown.
 */
export function usdFigureFromTotals(
  totals: readonly { currency: string; lifetimeMinor: bigint }[],
  unknownCurrencies: string,
  rates: RateTable,
): UsdFigure {
  const held = new Set(totals.map((t) => t.currency));
  const conversions: UsdConversion[] = totals.map((t) => {
    const exponent = currencyExponent(t.currency);
    return exponent === undefined
      ? { kind: 'unknown_currency', currency: t.currency }
      : toUsd({ currency: t.currency, minor: t.lifetimeMinor, exponent }, rates);
  });
  for (const c of splitList(unknownCurrencies)) {
    if (!held.has(c)) conversions.push({ kind: 'unknown_currency', currency: c });
  }
  const sum = sumUsd(conversions);
  return {
    lifetimeUsdCents: sum.usdCents,
    unknownCurrencies: sum.unknownCurrencies.join(','),
    rateDate: sum.rateDates[0] ?? null,
  };
}

/**
 * Recomputes the cached lifetime USD of every customer that bought in one of `currencies`,
 * from the per-currency totals the last sync stored, at the rates `tx` sees. Runs inside the
 * caller's transaction (a rate change and its revaluation are one). Production is not asked:
 * the totals are the cache. Returns how many customers were revalued.
 */
export async function revalueCustomerFiguresIn(tx: CrmTx, currencies: string[]): Promise<number> {
  if (currencies.length === 0) return 0;
  const rates = await getRates(tx);
  // A page of affected customers at a time, keyset on the id: never a list of ids (SQLite takes
  // at most 999 parameters), never every affected customer in memory. `currencies` is the
  // admin's few changed rates.
  let after: string | null = null;
  let revalued = 0;
  for (;;) {
    const page: (CustomerFiguresRow & { totals: CurrencyTotalRow[] })[] = await tx.customerFigures.findMany({
      where: {
        totals: { some: { currency: { in: currencies } } },
        ...(after === null ? {} : { customerId: { gt: after } }),
      },
      omit: { fingerprint: true, firstSeenAt: true, refreshedAt: true },
      include: { totals: true },
      orderBy: { customerId: 'asc' },
      take: REVALUE_CHUNK_SIZE,
    });
    for (const { totals, ...stored } of page) {
      const usd = usdFigureFromTotals(totals, stored.unknownCurrencies, rates);
      // The fingerprint of the row as it now is, as the sync would make it: a sync at these
      // rates then finds nothing to write.
      const fingerprint = customerFingerprint({ figures: { ...stored, ...usd }, totals });
      await tx.customerFigures.update({ where: { customerId: stored.customerId }, data: { ...usd, fingerprint } });
    }
    revalued += page.length;
    if (page.length < REVALUE_CHUNK_SIZE) return revalued;
    after = page[page.length - 1]!.customerId;
  }
}

/** Revalues in a transaction of its own (see revalueCustomerFiguresIn). */
export async function revalueCustomerFigures(prisma: CrmPrisma, currencies: string[]): Promise<number> {
  return prisma.$transaction((tx) => revalueCustomerFiguresIn(tx, currencies), { timeout: REVALUE_TIMEOUT_MS });
}

/** A large customer base takes a while to revalue; Prisma's default of 5 s would cut it off. */
const REVALUE_TIMEOUT_MS = 60_000;

/**
 * An admin's rate changes: the rates, their audit entries and the revaluation of every
 * customer figure they touch, all or nothing. Under the rates lock, so a sync's write of
 * figures (which reads the rates under the same lock) never lands between the two halves.
 * Throws RateValidationError (before writing anything) for a bad currency or rate.
 */
export async function changeRates(
  prisma: CrmPrisma,
  updates: readonly RateUpdate[],
  clock: Clock,
): Promise<{ rates: StoredRate[]; revalued: number }> {
  const checked = updates.map(checkRateUpdate);
  if (checked.length === 0) return { rates: [], revalued: 0 };
  const now = clock.now();
  return prisma.$transaction(
    async (tx) => {
      await lockForTransaction(prisma, tx, LOCKS.rates);
      const rates: StoredRate[] = [];
      for (const c of checked) rates.push(await saveRateIn(tx, c, now));
      const revalued = await revalueCustomerFiguresIn(tx, [...new Set(checked.map((c) => c.currency))]);
      return { rates, revalued };
    },
    { timeout: REVALUE_TIMEOUT_MS },
  );
}
