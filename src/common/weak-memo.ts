/**
 * Values made once per object and key, kept weakly by the object: for what is derived from
 * rows that many readers share (a data version's rows, domain/pipeline.ts), so a value is
 * made once for all of them and goes when the rows go. `key` names every other input the
 * value depends on.
 */
export type WeakMemo<O extends object, V> = (object: O, key: string, make: () => V) => V;

export function weakMemo<O extends object, V>(): WeakMemo<O, V> {
  const byObject = new WeakMap<O, Map<string, V>>();
  return (object, key, make) => {
    let byKey = byObject.get(object);
    if (!byKey) {
      byKey = new Map();
      byObject.set(object, byKey);
    }
    if (byKey.has(key)) return byKey.get(key) as V;
    const value = make();
    byKey.set(key, value);
    return value;
  };
}
