/**
 * Wraps a parser with a bounded cache of parsed forms: the matcher compares the same few
 * thousand version strings ~10^5 times per scan. When full, the cache starts over, which
 * keeps memory bounded without the bookkeeping of an LRU.
 */
export function cachedParser<T>(parse: (s: string) => T, capacity = 16384): (s: string) => T {
  let cache = new Map<string, T>();
  return (s: string): T => {
    const hit = cache.get(s);
    if (hit !== undefined) return hit;
    const parsed = parse(s);
    if (cache.size >= capacity) cache = new Map();
    cache.set(s, parsed);
    return parsed;
  };
}
