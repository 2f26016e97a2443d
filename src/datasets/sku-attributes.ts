import { AttributeRows } from './attribute-rows.js';
import { detach } from './growable-columns.js';

/**
 * The attribute columns of a long file (a store, a category, a composite key's parts) as the
 * series keep them: one value per SKU, its first non-empty one, since a series has one of each.
 * A SKU's later, different value is no error (a category relabelled over time) but is warned
 * about, with a hint to make the column part of the key when the SKU has lines of two values on
 * one date (two stores' lines summed as one item). The first `keyParts` columns are a composite
 * key's parts, which every line of a SKU must repeat exactly: "A / B" + "C" and "A" + "B / C" join
 * to one name, two keys that must not be summed. Until set() names columns there are none.
 */
export class SkuAttributeColumns {
  /** The non-key attributes' value on every row, for the key hint. */
  private rows = new AttributeRows(0);
  private names: string[] = [];
  private keyParts = 0;
  /** Per SKU, the values kept (same order as names). */
  private readonly bySku: string[][] = [];
  /** Per attribute with more than one value for a SKU: the first example, and every such SKU. */
  private readonly conflicts = new Map<string, { example: string; skus: Set<number> }>();

  /** The attribute columns a line's `attributes` hold, in that order; the first `keyParts` are key parts. */
  set(names: string[], keyParts = 0): void {
    this.names = names;
    this.keyParts = keyParts;
    this.rows = new AttributeRows(names.length - keyParts);
  }

  /** The first line of the next SKU (numbered in order): its values are the ones kept. */
  newSku(attributes: string[] | undefined): void {
    if (this.names.length > 0) this.bySku.push(this.names.map((_, k) => detach((attributes?.[k] ?? '').trim())));
  }

  /** A later line of SKU `s`: why it is refused (a key part differs), else null, its values noted. */
  otherLine(s: number, sku: string, attributes: string[] | undefined): string | null {
    if (!attributes || this.names.length === 0) return null;
    const kept = this.bySku[s];
    for (let k = 0; k < this.keyParts; k++) {
      if (attributes[k].trim() !== kept[k]) {
        return `SKU '${sku}' has other parts on an earlier line (${this.names[k]} '${kept[k]}', here '${attributes[k].trim()}')`;
      }
    }
    for (let k = 0; k < kept.length; k++) {
      const value = attributes[k];
      if (value === undefined || value === kept[k]) continue;
      const text = value.trim();
      if (text === '' || text === kept[k]) continue;
      if (kept[k] === '') kept[k] = detach(text);
      else {
        const name = this.names[k];
        const conflict = this.conflicts.get(name);
        if (conflict) conflict.skus.add(s);
        else this.conflicts.set(name, { example: `${sku}: '${kept[k]}' and '${text}'`, skus: new Set([s]) });
      }
    }
    return null;
  }

  /** An accepted row of SKU `s` (rows numbered in order, as the accumulator's). */
  row(s: number, attributes: string[] | undefined): void {
    if (this.names.length > this.keyParts) this.rows.push(attributes, this.bySku[s], this.keyParts);
  }

  /** SKU `s`'s values by column name; undefined when the file has no attribute columns. */
  of(s: number): Record<string, string> | undefined {
    if (this.names.length === 0) return undefined;
    const out: Record<string, string> = {};
    this.names.forEach((name, k) => {
      out[name] = this.bySku[s][k];
    });
    return out;
  }

  /** One warning per attribute with more than one value for a SKU; `rowsOf(s)` and `dayOfRow(r)` as AttributeRows.twoValuesOnOneDay. */
  conflictWarnings(rowsOf: (s: number) => Iterable<number>, dayOfRow: (r: number) => number): string[] {
    const out: string[] = [];
    for (const [name, { example, skus }] of this.conflicts) {
      const parallel = this.rows.twoValuesOnOneDay(this.names.indexOf(name) - this.keyParts, skus, rowsOf, dayOfRow);
      const keyHint = parallel ? `; some SKUs have lines of two ${name} values on one date, summed: if each ${name} is a series of its own, make '${name}' part of the SKU key` : '';
      out.push(`attribute '${name}' has more than one value for some SKUs (${example}); the first is kept${keyHint}`);
    }
    return out;
  }
}
