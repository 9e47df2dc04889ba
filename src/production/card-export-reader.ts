import type { z } from 'zod';
import { CardRowReader, type CardSpec } from './card-schemas';
import { JsonArrayStream } from './json-array-stream';
import type { ExportParseResult, RowSink } from './types';

/**
 * A card export's body, bytes in, validated rows out: the JSON array is cut into elements
 * as it arrives (JsonArrayStream) and each row is checked against the card (CardRowReader),
 * handed to `sink` batch by batch. The same reading on the Metabase client's thread and in
 * the lead sync's worker thread.
 */
export class CardExportReader<S extends z.ZodType, T> {
  private readonly stream = new JsonArrayStream();
  readonly rows: CardRowReader<S, T>;

  constructor(spec: CardSpec<S, T>, sink?: Pick<RowSink<T>, 'rows'>) {
    this.rows = new CardRowReader(spec, sink);
  }

  push(chunk: Uint8Array): void {
    const items = this.stream.push(chunk);
    if (items.length) this.rows.push(items);
  }

  /** The body is complete: the last rows, or why it is not a list of rows. */
  end(): ExportParseResult {
    if (this.stream.notAnArray) return { kind: 'not_an_array', text: this.stream.takeText() };
    try {
      this.rows.push(this.stream.end());
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      return { kind: 'malformed', message: err.message };
    }
    const { rejected, columns } = this.rows.result();
    return { kind: 'rows', kept: this.rows.kept, rejected, ...(columns ? { columns } : {}) };
  }
}
