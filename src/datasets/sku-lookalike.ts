/**
 * The dataset's SKU a new code of an actuals file most likely means, when there is a clear one: a
 * mistyped `A-1O02` (letter O) is a new SKU, and the check says it looks like `A-1002`. Pure: the
 * caller reads the dataset's SKUs (once, only when the file has new SKUs).
 *
 * Two codes look alike when they fold to the same key: case, spaces, dashes and underscores
 * dropped, and the look-alike characters O/0, I/l/1, S/5, B/8 read as one. Failing that, a code is
 * like the one SKU whose key is one edit away from its own (Damerau-Levenshtein 1: a character
 * inserted, dropped, replaced, or two neighbours swapped), for keys of 4 characters or more (`A1`
 * is one edit from most short codes). Two or more such SKUs: no clear one, nothing said.
 *
 * Cost: the dataset's SKUs are folded once into a map by key; the edit match then scans those keys
 * once per new code asked about (at most `limit`), skipping keys whose length differs by more than
 * one, with no allocation per key: 20 codes over 50,000 SKUs is about a million cheap comparisons.
 */
export interface SkuLike {
  sku: string;
  /** The dataset's SKU it looks like. */
  like: string;
}

const lookAlike: Record<string, string> = { o: '0', i: '1', l: '1', s: '5', b: '8' };

/** The key two look-alike codes share: `A-1O02`, `a_1002`, `A 1002` all fold to `a1002`. */
export function foldSku(code: string): string {
  let out = '';
  for (const ch of code.toLowerCase()) {
    if (ch === ' ' || ch === '-' || ch === '_' || ch === '\t') continue;
    out += lookAlike[ch] ?? ch;
  }
  return out;
}

/** Whether a and b are at most one edit apart (Damerau-Levenshtein, adjacent swaps counting one). */
export function withinOneEdit(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (i === la && i === lb) return true;
  if (la === lb) {
    // One replaced (the rest equal), or two neighbours swapped.
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return i + 1 < la && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  // One inserted or dropped: the longer one without its character at i is the shorter one.
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Keys shorter than this get no edit match, only a look-alike one. */
const minEditKey = 4;

/**
 * For each of the first `limit` new codes, the dataset's SKU it most likely means, when there is a
 * clear one (in the order of `newSkus`; the codes with none are left out).
 */
export function lookalikeSkus(newSkus: readonly string[], datasetSkus: Iterable<string>, limit = 20): SkuLike[] {
  const asked = newSkus.slice(0, limit);
  if (asked.length === 0) return [];
  const byKey = new Map<string, string[]>();
  for (const sku of datasetSkus) {
    const key = foldSku(sku);
    const had = byKey.get(key);
    if (had) had.push(sku);
    else byKey.set(key, [sku]);
  }
  const out: SkuLike[] = [];
  for (const sku of asked) {
    const key = foldSku(sku);
    const same = (byKey.get(key) ?? []).filter((s) => s !== sku);
    if (same.length === 1) out.push({ sku, like: same[0] });
    if (same.length > 0 || key.length < minEditKey) continue;
    let like: string | null = null;
    let count = 0;
    for (const [other, skus] of byKey) {
      if (other === key || !withinOneEdit(key, other)) continue;
      count += skus.length;
      if (count > 1) break;
      like = skus[0];
    }
    if (count === 1 && like !== null && like !== sku) out.push({ sku, like });
  }
  return out;
}
