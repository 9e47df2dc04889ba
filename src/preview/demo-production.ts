import type { Clock } from '../clock';
import { parseAmount, sumAmounts } from '../common/money';
import { minorToDecimal } from '../domain/lead-export';
import type {
  CardResult,
  CustomerCurrencyRow,
  OrderRow,
  ProductionCallStatus,
  ProductionReader,
} from '../production/types';
import type { DemoCustomer, DemoOrder } from './demo-data';

const MS_PER_DAY = 24 * 60 * 60 * 1000;

/**
 * Production as the two Metabase cards would return the demo book, in memory: the
 * Customers card is computed from the orders (one row per customer per currency, exact
 * sums), so lifetime values and order histories agree the way they do in production.
 * Only the customers `visible` says production has at `clock.now()` are returned.
 */
export class DemoProduction implements ProductionReader {
  private last: ProductionCallStatus | null = null;

  constructor(
    private readonly customers: readonly DemoCustomer[],
    private readonly orders: readonly DemoOrder[],
    private readonly clock: Clock,
    private readonly visible: (customer: DemoCustomer) => boolean = () => true,
  ) {}

  async fetchCustomers(days: number): Promise<CardResult<CustomerCurrencyRow>> {
    const now = this.clock.now();
    const since = now.getTime() - days * MS_PER_DAY;
    const rows: CustomerCurrencyRow[] = [];
    for (const c of this.customers.filter(this.visible)) {
      const own = this.orders.filter((o) => o.customerId === c.customerId && new Date(o.createdAt) <= now);
      if (!own.some((o) => new Date(o.createdAt).getTime() >= since)) continue;
      for (const currency of [...new Set(own.map((o) => o.currency))].sort()) {
        const inCurrency = own.filter((o) => o.currency === currency);
        const total = sumAmounts(
          currency,
          inCurrency.map((o) => parseAmount(o.total, currency)),
        );
        const newest = inCurrency.reduce((a, b) => (a.createdAt > b.createdAt ? a : b));
        const oldest = inCurrency.reduce((a, b) => (a.createdAt < b.createdAt ? a : b));
        rows.push({
          customerId: c.customerId,
          customerName: c.name,
          company: c.company,
          email: c.email,
          phone: c.phone,
          market: newest.market,
          currency,
          orderCount: inCurrency.length,
          lifetimeTotal:
            total.kind === 'money'
              ? minorToDecimal(total.minor, total.exponent)
              : minorToDecimal(total.decimal.units, total.decimal.scale),
          lastOrderAt: new Date(newest.createdAt),
          firstOrderAt: new Date(oldest.createdAt),
        });
      }
    }
    this.last = { at: now, ok: true };
    return { rows, rejected: [] };
  }

  async fetchOrders(customerId: string): Promise<CardResult<OrderRow>> {
    const now = this.clock.now();
    const rows = this.orders
      .filter((o) => o.customerId === customerId && new Date(o.createdAt) <= now)
      .map((o) => ({
        orderId: o.orderId,
        createdAt: new Date(o.createdAt),
        market: o.market,
        currency: o.currency,
        total: o.total,
        status: o.status,
      }));
    this.last = { at: now, ok: true };
    return { rows, rejected: [] };
  }

  lastCall(): ProductionCallStatus | null {
    return this.last;
  }
}
