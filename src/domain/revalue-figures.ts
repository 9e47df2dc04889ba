import type { CrmPrisma } from '../db/client';
import { currencyExponent, sumUsd, toUsd, type UsdConversion } from '../shared/money';
import { getRates } from './rates';
import { splitList } from './pipeline';

/** Customers revalued per statement batch. */
const REVALUE_CHUNK_SIZE = 1_000;

/**
 * Recomputes the cached lifetime USD of every customer that bought in one of `currencies`,
 * from the per-currency totals the last sync stored, at the current rates. Called when an
 * admin changes a rate, so the Home tab and digests show the new rate (and its date) at
 * once instead of after the next sync. Production is not asked: the totals are the cache.
 * Returns how many customers were revalued.
 */
export async function revalueCustomerFigures(prisma: CrmPrisma, currencies: string[]): Promise<number> {
  if (currencies.length === 0) return 0;
  const rates = await getRates(prisma);
  const affected = await prisma.customerCurrencyTotal.findMany({
    where: { currency: { in: currencies } },
    select: { customerId: true },
    distinct: ['customerId'],
    orderBy: { customerId: 'asc' },
  });
  const ids = affected.map((a) => a.customerId);
  for (let i = 0; i < ids.length; i += REVALUE_CHUNK_SIZE) {
    const chunk = ids.slice(i, i + REVALUE_CHUNK_SIZE);
    const [totals, figures] = await Promise.all([
      prisma.customerCurrencyTotal.findMany({ where: { customerId: { in: chunk } } }),
      prisma.customerFigures.findMany({ where: { customerId: { in: chunk } }, select: { customerId: true, unknownCurrencies: true } }),
    ]);
    const totalsByCustomer = new Map<string, typeof totals>();
    for (const t of totals) totalsByCustomer.set(t.customerId, [...(totalsByCustomer.get(t.customerId) ?? []), t]);
    await prisma.$transaction(
      figures.map((f) => {
        const own = totalsByCustomer.get(f.customerId) ?? [];
        const held = new Set(own.map((t) => t.currency));
        const conversions: UsdConversion[] = own.map((t) => {
          const exponent = currencyExponent(t.currency);
          return exponent === undefined
            ? { kind: 'unknown_currency', currency: t.currency }
            : toUsd({ currency: t.currency, minor: t.lifetimeMinor, exponent }, rates);
        });
        // Amounts in currencies the sync could not hold in minor units have no totals row: still unknown.
        for (const c of splitList(f.unknownCurrencies)) {
          if (!held.has(c)) conversions.push({ kind: 'unknown_currency', currency: c });
        }
        const sum = sumUsd(conversions);
        return prisma.customerFigures.update({
          where: { customerId: f.customerId },
          data: { lifetimeUsdCents: sum.usdCents, unknownCurrencies: sum.unknownCurrencies.join(','), rateDate: sum.rateDates[0] ?? null },
        });
      }),
    );
  }
  return ids.length;
}
