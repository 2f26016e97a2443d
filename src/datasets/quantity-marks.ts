import { counted } from './counted.js';
import { dotUse, hasCurrency, type DecimalMark } from './quantity-parse.js';

/**
 * What the accepted quantities' symbols say about the column, for the report. A currency symbol,
 * dropped when read, hints the column may hold money rather than units. A comma-decimal file's
 * dot reads "1.234" as thousands and "12.5" as a decimal dot: each alone is the file's
 * convention, both at once are worth a look (which did it mean?). Only counts and the first
 * example of each are kept.
 */
export class QuantityMarks {
  private currency: { lines: number; first: string } | null = null;
  private readonly dots: { thousands?: { lines: number; first: string }; decimal?: { lines: number; first: string } } = {};

  /** An accepted quantity `raw`, read as `value` in a file of the `decimal` mark. */
  note(line: number, raw: string, value: number, decimal: DecimalMark): void {
    if (hasCurrency(raw)) {
      if (this.currency === null) this.currency = { lines: 0, first: `line ${line}: '${raw.trim().slice(0, 20)}'` };
      this.currency.lines++;
    }
    if (decimal === ',') {
      const use = dotUse(raw);
      if (use) {
        this.dots[use] ??= { lines: 0, first: `line ${line}: '${raw.trim().slice(0, 20)}' as ${value}` };
        this.dots[use]!.lines++;
      }
    }
  }

  warnings(): string[] {
    const out: string[] = [];
    if (this.currency) {
      out.push(`${counted(this.currency.lines, 'quantity', 'quantities')} had a currency symbol, dropped (${this.currency.first}): is this column an amount rather than units?`);
    }
    if (this.dots.thousands && this.dots.decimal) {
      out.push(`${counted(this.dots.thousands.lines, 'quantity was', 'quantities were')} read with the dot grouping thousands (${this.dots.thousands.first}), but ${this.dots.decimal.lines} ${this.dots.decimal.lines === 1 ? 'uses' : 'use'} it as a decimal mark (${this.dots.decimal.first}): check the quantity column`);
    }
    return out;
  }
}
