import {
  type CardResult,
  type CustomerCurrencyRow,
  type OrderRow,
  type ProductionCallStatus,
  ProductionError,
  type ProductionReader,
} from '../../src/production/types';

/**
 * An in-memory production reader for domain tests: serves the rows it is given, records
 * every call, and can be made to fail or to wait on a gate (to hold a sync mid-flight).
 */
export class StaticProductionReader implements ProductionReader {
  rows: CustomerCurrencyRow[] = [];
  rejected: CardResult<CustomerCurrencyRow>['rejected'] = [];
  readonly calls: { days: number }[] = [];
  private failures: ProductionError[] = [];
  private gate: Promise<void> | null = null;
  private latest: ProductionCallStatus | null = null;

  constructor(rows: CustomerCurrencyRow[] = []) {
    this.rows = rows;
  }

  failNext(userMessage = 'Production data unavailable: Metabase timed out after 10 s', times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(new ProductionError(userMessage));
  }

  /** Calls wait until the returned function is called. */
  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise<void>((r) => (release = r));
    return () => {
      this.gate = null;
      release();
    };
  }

  async fetchCustomers(days: number): Promise<CardResult<CustomerCurrencyRow>> {
    this.calls.push({ days });
    if (this.gate) await this.gate;
    const failure = this.failures.shift();
    if (failure) {
      this.latest = { at: new Date(), ok: false, error: failure.userMessage };
      throw failure;
    }
    this.latest = { at: new Date(), ok: true };
    return { rows: this.rows.map((r) => ({ ...r })), rejected: [...this.rejected] };
  }

  async fetchOrders(): Promise<CardResult<OrderRow>> {
    return { rows: [], rejected: [] };
  }

  lastCall(): ProductionCallStatus | null {
    return this.latest;
  }
}

/** A Customers card row with defaults. */
export function customerRow(partial: Partial<CustomerCurrencyRow> & { customerId: string }): CustomerCurrencyRow {
  return {
    customerName: `Customer ${partial.customerId}`,
    company: null,
    email: null,
    phone: null,
    market: 'AE',
    currency: 'AED',
    orderCount: 1,
    lifetimeTotal: '100.00',
    lastOrderAt: new Date('2026-11-20T10:00:00Z'),
    firstOrderAt: null,
    ...partial,
  };
}
