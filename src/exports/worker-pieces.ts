import { parentPort, Worker } from 'node:worker_threads';
import { workerSource } from '../worker-source';

/**
 * Text made by a worker thread and written by the main thread, a piece at a time: the
 * thread sends a piece, and stops while PIECES_IN_FLIGHT of them wait to be written (the main
 * thread says when one is taken), so what waits in memory is a couple of pieces whatever the
 * book. Both sides are here: `piecesFromWorker` on the main thread, `sendPiece` and
 * `endPieces` in the thread (lead-csv-worker.ts, crm-data-worker.ts).
 */
export interface Piece {
  text: string;
  /** Rows the piece holds (for the tally). */
  rows: number;
  /** The table the rows belong to, where there are several. */
  table?: string;
}

type FromWorker = ({ op: 'piece' } & Piece) | { op: 'done' } | { op: 'failed'; message: string };
type ToWorker = { op: 'written' };

/** Pieces sent and not yet written. */
const PIECES_IN_FLIGHT = 2;

/** A writing thread's heap: a page of rows and its text at a time. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 4 };

/**
 * Starts the thread `script` (a module beside this one, without extension) with `data` and
 * yields its pieces in order; ends the thread when done, failed or abandoned.
 */
export async function* piecesFromWorker(script: string, data: unknown): AsyncGenerator<Piece> {
  const worker = new Worker(workerSource(__filename, script), {
    eval: true,
    workerData: data,
    resourceLimits: WORKER_LIMITS,
  });
  const arrived: FromWorker[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const woken = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (msg: FromWorker) => {
    arrived.push(msg);
    woken();
  });
  worker.on('error', (err) => {
    failure ??= err;
    woken();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`the export thread stopped (exit code ${code})`);
    woken();
  });
  try {
    for (;;) {
      const msg = arrived.shift();
      if (!msg) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      if (msg.op === 'done') return;
      if (msg.op === 'failed') throw new Error(`the export could not be read: ${msg.message}`);
      const { op: _op, ...piece } = msg;
      yield piece;
      // Resumed: the consumer has taken the piece (spoolToTempFile waits for the disk first).
      worker.postMessage({ op: 'written' } satisfies ToWorker);
    }
  } finally {
    worker.removeAllListeners('exit');
    await worker.terminate();
  }
}

let inFlight = 0;
let taken: (() => void) | null = null;
let listening = false;

/** In the thread: sends a piece, first waiting while PIECES_IN_FLIGHT wait to be written. */
export async function sendPiece(piece: Piece): Promise<void> {
  if (!listening) {
    listening = true;
    parentPort!.on('message', (msg: ToWorker) => {
      if (msg.op !== 'written') return;
      inFlight -= 1;
      taken?.();
    });
  }
  while (inFlight >= PIECES_IN_FLIGHT) {
    await new Promise<void>((resolve) => {
      taken = resolve;
    });
  }
  taken = null;
  inFlight += 1;
  parentPort!.postMessage({ op: 'piece', ...piece } satisfies FromWorker);
}

/** In the thread: reports the end of `work`, done or failed. */
export function endPieces(work: Promise<void>): void {
  work.then(
    () => parentPort!.postMessage({ op: 'done' } satisfies FromWorker),
    (err: unknown) =>
      parentPort!.postMessage({ op: 'failed', message: String((err as Error)?.message ?? err) } satisfies FromWorker),
  );
}
