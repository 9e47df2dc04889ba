import { weakMemo } from '../../common/weak-memo';

/**
 * Blocks built once per shared row and reused by every view that shows the row the same way.
 *
 * The rows Home shows (the pipeline's leads, the shared "today" lists) are read once per data
 * version and the same objects are handed to every reader (domain/pipeline.ts shareAtVersion),
 * so fifty Home opens at once would build the same forty lead lines fifty times. A builder
 * asks `memo` for a row's blocks with a key naming every other input the blocks depend on (the
 * viewer's zone, edit rights...): equal row and key give the same blocks, so the views stay
 * pure functions of their inputs. The memo is keyed weakly by the row: it goes when the data
 * version's share lets go of its rows (a write, or the share's cap), so nothing grows with
 * time; per row it holds one entry per distinct key (zones times edit rights).
 *
 * The blocks handed out are frozen (they are in many views at once: a change to one would be
 * in all), and their JSON text is kept beside them (blockJson), so a view is serialised from
 * its blocks' texts instead of stringifying the same lines again (slack/view-json.ts).
 */

/** A memo of one builder's blocks: per row object, per key. */
export type BlockMemo<R extends object, B extends object> = (row: R, key: string, build: () => B) => B;

/** The JSON text of a memoised block, once asked for; only blocks `memo` made are in here. */
const texts = new WeakMap<object, string>();
const memoised = new WeakSet<object>();

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Marks a built value's blocks (the value itself, or each block of an array of them) as shared. */
function share<B extends object>(built: B): B {
  deepFreeze(built);
  if (Array.isArray(built)) for (const b of built) memoised.add(b as object);
  else memoised.add(built);
  return built;
}

/** A new memo for one builder (a module-level constant beside the builder). */
export function blockMemo<R extends object, B extends object>(): BlockMemo<R, B> {
  const byRow = weakMemo<R, B>();
  return (row, key, build) => byRow(row, key, () => share(build()));
}

/** `JSON.stringify(block)`, kept for the blocks a memo made (they do not change: frozen). */
export function blockJson(block: unknown): string | undefined {
  if (typeof block !== 'object' || block === null || !memoised.has(block)) return JSON.stringify(block);
  let text = texts.get(block);
  if (text === undefined) {
    text = JSON.stringify(block);
    texts.set(block, text);
  }
  return text;
}
