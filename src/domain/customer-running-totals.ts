/**
 * The lead sync's running totals per customer while the Customers export is read, held
 * compactly: typed arrays indexed by customer and by (customer, currency) slot, the contact
 * texts as UTF-8 in one growing buffer, currencies and markets as indexes into short lists.
 * An object per customer (and per currency, with its Date and BigInt) took about 500 bytes of
 * JavaScript heap each, all of it live until the end of the sync and traced by every full
 * garbage collection; this takes about 150 bytes, most of it outside the heap (docs/benchmarks.md).
 * CustomerSnapshotBuilder (customer-snapshots.ts) decides what is added; this only stores it.
 */

/** A customer's contact fields, in the order of their columns here. */
export const CONTACT_FIELDS = ['name', 'company', 'email', 'phone'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

/** One currency of one customer, as the snapshot is made from it. */
export interface CurrencyTotal {
  currency: string;
  market: string;
  marketAt: number;
  orderCount: number;
  /** Null once an amount of this currency could not be read or has no known exponent. */
  minor: bigint | null;
  exponent: number | null;
  lastOrderAt: Date;
  /** Null once a row of this currency came without a first order (the column is optional). */
  firstOrderAt: Date | null;
  /** An amount of this currency could not be read: the figure is incomplete. */
  unreadable: boolean;
}

const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;
const NONE = -1;
/** A contact field with no text yet (text handles are offsets, or negative small numbers for texts kept aside). */
const NO_TEXT = -0x80000000;
/** Minor-unit states: unknown, in `minor`, too large for 64 bits (in `bigMinor`). */
const MINOR_NULL = 0;
const MINOR_SMALL = 1;
const MINOR_BIG = 2;

function grown<T extends Float64Array | Int32Array | Uint16Array | Uint8Array | Int8Array | BigInt64Array>(
  array: T,
  length: number,
): T {
  if (array.length >= length) return array;
  const next = new (array.constructor as new (n: number) => T)(Math.max(length, array.length * 2));
  next.set(array as never);
  return next;
}

/** Short strings that repeat on most rows (currency codes, markets): each held once, named by index. */
class Interned {
  private readonly index = new Map<string, number>();
  readonly values: string[] = [];

  of(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      if (i > 0xffff) throw new RangeError('more than 65,536 distinct currencies or markets in one export');
      this.values.push(value);
      this.index.set(value, i);
    }
    return i;
  }
}

const SURROGATE = /[\uD800-\uDFFF]/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Contact texts as UTF-8, appended to one buffer: a field that changes (a newer row) is
 * appended again and its old bytes are left behind (few customers have more than one row).
 * A string with surrogates (one UTF-8 could not carry exactly: a lone one) is kept as it is, aside.
 */
class TextArena {
  private bytes = new Uint8Array(64 * 1024);
  private used = 0;
  private readonly aside: string[] = [];

  /** Stores `text`; returns its handle: start and length, or (-1 - i, 0) for the i-th kept aside. */
  put(text: string): [number, number] {
    // Texts with surrogates (emoji, or a lone one UTF-8 would replace) are few: kept as they are.
    if (SURROGATE.test(text)) {
      this.aside.push(text);
      return [-1 - (this.aside.length - 1), 0];
    }
    for (;;) {
      const { read, written } = encoder.encodeInto(text, this.bytes.subarray(this.used));
      if (read === text.length) {
        const start = this.used;
        this.used += written;
        return [start, written];
      }
      this.bytes = grown(this.bytes, this.used + text.length * 3);
    }
  }

  get(start: number, length: number): string {
    if (start < 0) return this.aside[-1 - start]!;
    return decoder.decode(this.bytes.subarray(start, start + length));
  }
}

/** Per customer and per currency slot, as typed arrays that grow by doubling. */
export class CustomerRunningTotals {
  private readonly byId = new Map<string, number>();
  private readonly currencies = new Interned();
  private readonly markets = new Interned();
  private texts = new TextArena();

  // Per customer: each contact field's text (start, length; start NO_TEXT: none yet) and the time of its row.
  private fieldStart = new Int32Array(4 * 1024);
  private fieldLength = new Int32Array(4 * 1024);
  private fieldAt = new Float64Array(4 * 1024);
  private firstSlot = new Int32Array(1024);

  // Per (customer, currency) slot, linked per customer in the order their currencies came.
  private slots = 0;
  private nextSlot = new Int32Array(1024);
  private currency = new Uint16Array(1024);
  private market = new Uint16Array(1024);
  private marketAt = new Float64Array(1024);
  private orderCount = new Float64Array(1024);
  private minorState = new Uint8Array(1024);
  private minor = new BigInt64Array(1024);
  private readonly bigMinor = new Map<number, bigint>();
  private exponent = new Int8Array(1024);
  private lastOrderAt = new Float64Array(1024);
  /** NaN: unknown. */
  private firstOrderAt = new Float64Array(1024);
  private unreadable = new Uint8Array(1024);

  get size(): number {
    return this.byId.size;
  }

  has(customerId: string): boolean {
    return this.byId.has(customerId);
  }

  /** Forgets everything (the card is being read again from the top). */
  clear(): void {
    this.byId.clear();
    this.texts = new TextArena();
    this.bigMinor.clear();
    this.slots = 0;
  }

  /** The customer's index, added (with no contact field and no currency) when new. */
  customer(customerId: string): number {
    let c = this.byId.get(customerId);
    if (c === undefined) {
      c = this.byId.size;
      this.byId.set(customerId, c);
      this.fieldStart = grown(this.fieldStart, 4 * (c + 1));
      this.fieldLength = grown(this.fieldLength, 4 * (c + 1));
      this.fieldAt = grown(this.fieldAt, 4 * (c + 1));
      this.firstSlot = grown(this.firstSlot, c + 1);
      this.fieldStart.fill(NO_TEXT, 4 * c, 4 * c + 4);
      this.firstSlot[c] = NONE;
    }
    return c;
  }

  /** Sets a contact field unless it holds one from a row at least as new (`at`). */
  offerContact(c: number, field: number, text: string, at: number): void {
    const i = 4 * c + field;
    if (this.fieldStart[i] !== NO_TEXT && !(at > this.fieldAt[i]!)) return;
    const [start, length] = this.texts.put(text);
    this.fieldStart[i] = start;
    this.fieldLength[i] = length;
    this.fieldAt[i] = at;
  }

  contact(c: number, field: number): string | null {
    const i = 4 * c + field;
    const start = this.fieldStart[i]!;
    if (start === NO_TEXT) return null;
    return this.texts.get(start, this.fieldLength[i]!);
  }

  /** The slot of the customer's currency, or NONE. */
  slotOf(c: number, currency: string): number {
    for (let s = this.firstSlot[c]!; s !== NONE; s = this.nextSlot[s]!)
      if (this.currencies.values[this.currency[s]!] === currency) return s;
    return NONE;
  }

  /** A new slot, last of the customer's currencies. */
  addSlot(
    c: number,
    t: Omit<CurrencyTotal, 'lastOrderAt' | 'firstOrderAt'> & { lastOrderAt: number; firstOrderAt: number | null },
  ): void {
    const s = this.slots++;
    this.growSlots(s + 1);
    this.nextSlot[s] = NONE;
    this.currency[s] = this.currencies.of(t.currency);
    this.market[s] = this.markets.of(t.market);
    this.marketAt[s] = t.marketAt;
    this.orderCount[s] = t.orderCount;
    this.setMinor(s, t.minor);
    this.exponent[s] = t.exponent ?? NONE;
    this.lastOrderAt[s] = t.lastOrderAt;
    this.firstOrderAt[s] = t.firstOrderAt ?? Number.NaN;
    this.unreadable[s] = t.unreadable ? 1 : 0;
    if (this.firstSlot[c] === NONE) this.firstSlot[c] = s;
    else {
      let last = this.firstSlot[c]!;
      while (this.nextSlot[last] !== NONE) last = this.nextSlot[last]!;
      this.nextSlot[last] = s;
    }
  }

  /** Adds another row of a currency the customer already has (see CustomerSnapshotBuilder.add). */
  addToSlot(
    s: number,
    row: { market: string; at: number; orderCount: number; minor: bigint | null; unreadable: boolean },
    lastOrderAt: number,
    firstOrderAt: number | null,
  ): void {
    this.orderCount[s] = this.orderCount[s]! + row.orderCount;
    const minor = this.minorOf(s);
    this.setMinor(s, minor !== null && row.minor !== null ? minor + row.minor : null);
    if (row.unreadable) this.unreadable[s] = 1;
    if (row.at > this.marketAt[s]!) {
      this.market[s] = this.markets.of(row.market);
      this.marketAt[s] = row.at;
    }
    if (lastOrderAt > this.lastOrderAt[s]!) this.lastOrderAt[s] = lastOrderAt;
    const first = this.firstOrderAt[s]!;
    this.firstOrderAt[s] = Number.isNaN(first) || firstOrderAt === null ? Number.NaN : Math.min(first, firstOrderAt);
  }

  /** Customers in the order they first came, with their index. */
  customers(): IterableIterator<[string, number]> {
    return this.byId.entries();
  }

  /** The customer's currencies, in the order they came. */
  totalsOf(c: number): CurrencyTotal[] {
    const out: CurrencyTotal[] = [];
    for (let s = this.firstSlot[c]!; s !== NONE; s = this.nextSlot[s]!) {
      const first = this.firstOrderAt[s]!;
      const exponent = this.exponent[s]!;
      out.push({
        currency: this.currencies.values[this.currency[s]!]!,
        market: this.markets.values[this.market[s]!]!,
        marketAt: this.marketAt[s]!,
        orderCount: this.orderCount[s]!,
        minor: this.minorOf(s),
        exponent: exponent === NONE ? null : exponent,
        lastOrderAt: new Date(this.lastOrderAt[s]!),
        firstOrderAt: Number.isNaN(first) ? null : new Date(first),
        unreadable: this.unreadable[s] === 1,
      });
    }
    return out;
  }

  private minorOf(s: number): bigint | null {
    const state = this.minorState[s];
    if (state === MINOR_SMALL) return this.minor[s]!;
    if (state === MINOR_BIG) return this.bigMinor.get(s)!;
    return null;
  }

  private setMinor(s: number, value: bigint | null): void {
    this.bigMinor.delete(s);
    if (value === null) this.minorState[s] = MINOR_NULL;
    else if (value >= MIN_INT64 && value <= MAX_INT64) {
      this.minorState[s] = MINOR_SMALL;
      this.minor[s] = value;
    } else {
      this.minorState[s] = MINOR_BIG;
      this.bigMinor.set(s, value);
    }
  }

  private growSlots(length: number): void {
    if (this.nextSlot.length >= length) return;
    this.nextSlot = grown(this.nextSlot, length);
    this.currency = grown(this.currency, length);
    this.market = grown(this.market, length);
    this.marketAt = grown(this.marketAt, length);
    this.orderCount = grown(this.orderCount, length);
    this.minorState = grown(this.minorState, length);
    this.minor = grown(this.minor, length);
    this.exponent = grown(this.exponent, length);
    this.lastOrderAt = grown(this.lastOrderAt, length);
    this.firstOrderAt = grown(this.firstOrderAt, length);
    this.unreadable = grown(this.unreadable, length);
  }
}
