import { createReadStream } from 'node:fs';
import { TextDecoder } from 'node:util';
import { JsonArrayStream } from '../production/json-array-stream';

/**
 * Reads a CRM data export (a JSON object whose `tables` member maps each table to an array
 * of rows) from a file a piece at a time: the rows of each table are handed out in batches as
 * they are read, and everything else (format, version, migration, row counts: a few hundred
 * bytes) is kept as the document's "skeleton", the document with every table's array empty.
 * Memory stays a read buffer and a batch of rows, whatever the size of the file.
 *
 * The text outside the tables' arrays is walked character by character (it is small); each
 * array is given to JsonArrayStream, which finds its elements in one pass.
 */
export interface CrmDataSkeleton {
  /** The document with each table's rows left out (`tables` maps each name to []). */
  document: unknown;
  /** Table names in the order the document has them. */
  tableOrder: string[];
  /** Rows actually found per table. */
  found: Record<string, number>;
}

export type RowsHandler = (table: string, rows: Record<string, unknown>[]) => Promise<void>;

/** A document that is not JSON, or not shaped like an export; the message says where. */
export class CrmDataSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CrmDataSyntaxError';
  }
}

class DocumentScanner {
  private skeleton: string[] = [];
  private readonly stack: string[] = [];
  /** The last key read at each object depth. */
  private readonly keys: (string | null)[] = [];
  private inString = false;
  private escaped = false;
  /** A string being read outside the arrays (keys and small values), in pieces. */
  private stringText: string[] = [];
  private lastString: string | null = null;
  private array: JsonArrayStream | null = null;
  private table = '';
  readonly tableOrder: string[] = [];
  readonly found: Record<string, number> = {};

  constructor(private readonly onRows: (table: string, rows: unknown[]) => void) {}

  push(text: string): void {
    let rest: string | null = text;
    while (rest !== null && rest !== '') {
      if (this.array) {
        const { elements, rest: after } = this.array.pushText(rest);
        if (this.array.error) throw new CrmDataSyntaxError(`table ${this.table}: ${this.array.error.message}`);
        if (elements.length) this.rows(elements);
        if (after === null) return;
        this.array = null;
        this.skeleton.push(']');
        rest = after;
        continue;
      }
      rest = this.outside(rest);
    }
  }

  end(): CrmDataSkeleton {
    if (this.array || this.stack.length || this.inString) throw new CrmDataSyntaxError('the file ends too early');
    let document: unknown;
    try {
      document = JSON.parse(this.skeleton.join(''));
    } catch (err) {
      throw new CrmDataSyntaxError((err as Error).message);
    }
    return { document, tableOrder: this.tableOrder, found: this.found };
  }

  private rows(elements: unknown[]): void {
    this.found[this.table] = (this.found[this.table] ?? 0) + elements.length;
    this.onRows(this.table, elements);
  }

  /** Walks text outside the tables' arrays; returns the text from a table's `[` on, or null when all of it was walked. */
  private outside(text: string): string | null {
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') {
          this.inString = false;
          this.stringText.push(text.slice(0, i + 1));
          this.lastString = JSON.parse(this.stringText.join('')) as string;
          this.stringText = [];
          this.skeleton.push(text.slice(0, i + 1));
          return text.slice(i + 1);
        }
        continue;
      }
      if (c === '"') {
        this.skeleton.push(text.slice(0, i));
        this.inString = true;
        this.stringText = [];
        return this.stringStarts(text.slice(i));
      }
      if (c === ':') this.keys[this.stack.length] = this.lastString;
      else if (c === '{') this.stack.push('{');
      else if (c === '[') {
        if (this.stack.length === 2 && this.keys[1] === 'tables') {
          this.skeleton.push(text.slice(0, i + 1));
          this.table = this.keys[2] ?? '';
          this.tableOrder.push(this.table);
          this.found[this.table] ??= 0;
          this.array = new JsonArrayStream();
          return text.slice(i);
        }
        this.stack.push('[');
      } else if (c === '}' || c === ']') {
        this.stack.pop();
        this.keys.length = this.stack.length + 1;
      }
    }
    if (this.inString) this.stringText.push(text);
    this.skeleton.push(text);
    return null;
  }

  /** A string starts at text[0]: its text is gathered until the closing quote (possibly in a later piece). */
  private stringStarts(text: string): string | null {
    for (let i = 1; i < text.length; i++) {
      const c = text[i]!;
      if (this.escaped) this.escaped = false;
      else if (c === '\\') this.escaped = true;
      else if (c === '"') {
        this.inString = false;
        this.lastString = JSON.parse(text.slice(0, i + 1)) as string;
        this.skeleton.push(text.slice(0, i + 1));
        return text.slice(i + 1);
      }
    }
    this.stringText.push(text);
    this.skeleton.push(text);
    return null;
  }
}

/**
 * Reads the export at `path`. `onRows` gets each batch of rows of the tables in `tables`
 * (all when omitted) and is awaited before more of the file is read, so a slow consumer (a
 * database insert) holds the reading back instead of letting rows pile up.
 */
export async function readCrmDataFile(
  path: string,
  onRows?: RowsHandler,
  tables?: ReadonlySet<string>,
  /** Bytes read at a time (tests use small pieces to cut the text everywhere). */
  chunkBytes = 64 * 1024,
): Promise<CrmDataSkeleton> {
  let pending: { table: string; rows: Record<string, unknown>[] }[] = [];
  const scanner = new DocumentScanner((table, rows) => {
    if (!onRows || (tables && !tables.has(table))) return;
    for (const row of rows) {
      if (row === null || typeof row !== 'object' || Array.isArray(row))
        throw new CrmDataSyntaxError(`table ${table}: a row is not an object`);
    }
    pending.push({ table, rows: rows as Record<string, unknown>[] });
  });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const input = createReadStream(path, { highWaterMark: chunkBytes });
  try {
    for await (const chunk of input) {
      scanner.push(decodeOrThrow(decoder, chunk as Buffer, true));
      const ready = pending;
      pending = [];
      for (const batch of ready) await onRows!(batch.table, batch.rows);
    }
    scanner.push(decodeOrThrow(decoder, undefined, false));
  } finally {
    input.destroy();
  }
  const skeleton = scanner.end();
  for (const batch of pending) await onRows!(batch.table, batch.rows);
  return skeleton;
}

function decodeOrThrow(decoder: TextDecoder, chunk: Buffer | undefined, stream: boolean): string {
  try {
    return decoder.decode(chunk, { stream });
  } catch {
    throw new CrmDataSyntaxError('the file is not UTF-8 text');
  }
}
