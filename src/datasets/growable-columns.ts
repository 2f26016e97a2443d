/**
 * The accepted rows of an import as three growable typed columns (SKU id, date id, value: 16
 * bytes a row), and `detach` for the strings interned beside them. Used by SeriesAccumulator.
 */
export class GrowableColumns {
  sku = new Int32Array(1024);
  date = new Int32Array(1024);
  value = new Float64Array(1024);
  length = 0;

  push(sku: number, date: number, value: number): void {
    if (this.length === this.sku.length) {
      const size = this.sku.length * 2;
      const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
        const b = make(size);
        b.set(a);
        return b;
      };
      this.sku = grow(this.sku, (n) => new Int32Array(n));
      this.date = grow(this.date, (n) => new Int32Array(n));
      this.value = grow(this.value, (n) => new Float64Array(n));
    }
    this.sku[this.length] = sku;
    this.date[this.length] = date;
    this.value[this.length] = value;
    this.length++;
  }
}

/** One growable column of integers, beside GrowableColumns' rows (an attribute's value id per row). */
export class GrowableInts {
  values = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const bigger = new Int32Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = value;
  }
}

/**
 * A copy of a string that does not point into the text it was cut from. V8 keeps a substring as
 * a slice of its parent, so one interned SKU name would keep a whole 256 KB chunk of the file
 * alive, and all the chunks together are the whole file.
 */
export function detach(text: string): string {
  return text.length === 0 ? '' : Buffer.from(text, 'utf8').toString('utf8');
}
