import { detach, GrowableInts } from './growable-columns.js';

/**
 * Each row's value of the marked attributes that are no key part, as ids beside the rows (the
 * accumulator keeps one value per SKU only), so that a SKU with lines of two values of one on a
 * date (two stores' lines under one item) is told apart from a SKU relabelled over time (a
 * category that changed), which a key would split. Id 0 is the SKU's kept value, the usual line,
 * so a column with a value per SKU (a description) interns nothing; -1 is empty.
 */
export class AttributeRows {
  private readonly columns: Array<{ ids: Map<string, number>; values: GrowableInts }>;

  constructor(count: number) {
    this.columns = Array.from({ length: count }, () => ({ ids: new Map<string, number>(), values: new GrowableInts() }));
  }

  /** One row's values (`texts[from + k]` for attribute k), beside the SKU's kept ones (same places). */
  push(texts: ReadonlyArray<string | undefined> | undefined, kept: ReadonlyArray<string> | undefined, from: number): void {
    for (let k = 0; k < this.columns.length; k++) {
      const text = (texts?.[from + k] ?? '').trim();
      const { ids, values } = this.columns[k];
      let id = text === '' ? -1 : text === kept?.[from + k] ? 0 : ids.get(text);
      if (id === undefined) ids.set(detach(text), (id = ids.size + 1));
      values.push(id);
    }
  }

  /**
   * Whether one of `skus` has rows of two values of attribute `k` on one day; `rowsOf(s)` gives
   * the SKU's row indexes, `dayOfRow(r)` a row's day.
   */
  twoValuesOnOneDay(k: number, skus: Iterable<number>, rowsOf: (s: number) => Iterable<number>, dayOfRow: (r: number) => number): boolean {
    const values = this.columns[k]?.values.values;
    if (!values) return false;
    for (const s of skus) {
      const seen = new Map<number, number>();
      for (const r of rowsOf(s)) {
        const id = values[r];
        if (id < 0) continue;
        const day = dayOfRow(r);
        const before = seen.get(day);
        if (before === undefined) seen.set(day, id);
        else if (before !== id) return true;
      }
    }
    return false;
  }
}
