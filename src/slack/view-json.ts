import { blockJson } from './views/block-memo';

/**
 * A view's JSON text, byte for byte `JSON.stringify(view)`, assembled from its blocks' texts:
 * the blocks many views share (views/block-memo.ts) are serialised once, not once per view.
 */
export function viewJson(view: object): string {
  const parts: string[] = [];
  // Own enumerable keys in JSON.stringify's order; a value JSON drops (undefined) drops its key.
  for (const [key, value] of Object.entries(view)) {
    const text = key === 'blocks' && Array.isArray(value) ? blocksJson(value) : JSON.stringify(value);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

function blocksJson(blocks: unknown[]): string {
  // In an array JSON writes what it cannot represent (undefined) as null.
  const texts: string[] = [];
  for (let i = 0; i < blocks.length; i += 1) texts.push(blockJson(blocks[i]) ?? 'null');
  return `[${texts.join(',')}]`;
}
