import { UserFacingError } from '../common/errors';
/**
 * The production read layer's contract. Production (customers, orders) is read through
 * Metabase saved questions only; see docs/metabase.md.
 */

/** One row of the Customers card: one customer in one currency it has bought in. */
export interface CustomerCurrencyRow {
  customerId: string;
  customerName: string;
  company: string | null;
  email: string | null;
  phone: string | null;
  market: string;
  currency: string;
  orderCount: number;
  /** Lifetime total in that currency, as an exact decimal string (e.g. "1234.567"). */
  lifetimeTotal: string;
  lastOrderAt: Date;
  /** The first order in this currency; null when the card has no first_order_at column (rhythm unknown). */
  firstOrderAt: Date | null;
}

/** One row of the Orders card. */
export interface OrderRow {
  orderId: string;
  createdAt: Date;
  market: string;
  currency: string;
  /** Order total in its currency, as an exact decimal string. */
  total: string;
  status: string;
}

export interface RejectedRow {
  /** 0-based position in the card's result. */
  index: number;
  reason: string;
  /**
   * Who and what the row was about, when those columns still read (Customers card only):
   * the sync marks that customer's figure incomplete rather than silently leaving the row out.
   */
  customerId?: string;
  currency?: string;
}

export interface CardResult<T> {
  rows: T[];
  /** Rows that did not fit the card's schema: logged and skipped, never silently. */
  rejected: RejectedRow[];
  /**
   * The column titles of the first row, as Metabase sent them: what the card returns, to
   * compare with the contract. Absent when there was no row (an export has no header).
   */
  columns?: string[];
}

/** Outcome of the latest call to production, for /healthz and the Home tab. */
export interface ProductionCallStatus {
  at: Date;
  ok: boolean;
  /** A plain-language reason, fit to show a roster member. */
  error?: string;
  /** What kind of failure, for /healthz (e.g. 'timeout', 'card_failed'). */
  kind?: string;
}

/** Receives a card's rows batch by batch as they are read and validated. */
export interface RowSink<T> {
  /** The card is being read again from the top (a retry after a failure halfway): forget the rows so far. */
  restart(): void;
  rows(batch: readonly T[]): void;
}

/** How a card export read elsewhere ended (see ExportParser). */
export type ExportParseResult =
  | { kind: 'rows'; kept: number; rejected: RejectedRow[]; columns?: string[] }
  /** The body was not a JSON array: a failed query's object, or something else; its text. */
  | { kind: 'not_an_array'; text: string }
  /** The array was cut short or malformed. */
  | { kind: 'malformed'; message: string };

/**
 * Parses a card's export from its bytes, as they arrive, away from the thread reading them
 * (the lead sync hands them to its worker thread). The reader keeps the HTTP side: auth,
 * time limits, retries and the error words.
 */
export interface ExportParser {
  /** The card is being read again from the top (a retry): forget the bytes so far. */
  restart(): void;
  /** The next bytes of the body; may ask the reader to wait (backpressure). */
  bytes(chunk: Uint8Array): void | Promise<void>;
  /** The body is complete: resolves with what it held. */
  end(): Promise<ExportParseResult>;
}

/** Read-only access to production. There is deliberately nothing here that writes. */
export interface ProductionReader {
  /** B2B customers with an order in the last `days` days, one row per currency. */
  fetchCustomers(days: number): Promise<CardResult<CustomerCurrencyRow>>;
  /**
   * The same rows handed to `sink` as they arrive, never held whole (optional: readers
   * without it are read through fetchCustomers). Resolves with the rows kept and refused.
   */
  streamCustomers?(
    days: number,
    sink: RowSink<CustomerCurrencyRow>,
  ): Promise<{ kept: number; rejected: RejectedRow[] }>;
  /**
   * The same card's bytes handed to `parser` as they arrive (optional): the parsing runs
   * wherever the parser does. Resolves with the rows kept and refused, as streamCustomers.
   */
  readCustomersExport?(days: number, parser: ExportParser): Promise<{ kept: number; rejected: RejectedRow[] }>;
  /** Every order of one customer. */
  fetchOrders(customerId: string): Promise<CardResult<OrderRow>>;
  /** The latest call's outcome, without making a request. Null before the first call. */
  lastCall(): ProductionCallStatus | null;
  /** Frees connections on shutdown (the Metabase client has a pool); optional for fakes. */
  close?(): Promise<void>;
}

/** A failure reading production, with a message fit to show a user. */
export class ProductionError extends UserFacingError {
  constructor(
    /** e.g. "Production data unavailable: Metabase timed out after 10 s" */
    userMessage: string,
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, { detail: detail ? `${userMessage} (${detail})` : userMessage, cause: options?.cause });
    this.name = 'ProductionError';
  }
}
