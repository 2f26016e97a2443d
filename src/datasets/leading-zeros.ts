import { SKU_KEY_SEPARATOR } from './column-mapping.js';
import type { NewSeries } from './dataset.js';

/**
 * SKU codes of an actuals file that lost their leading zeros: a file re-saved in Excel reads the
 * item code `00123` as the number 123 (in a store x item key, `S01 / 123` for `S01 / 00123`). Read
 * as they are they would be new SKUs, phantoms beside the real ones, and with absentSkus=zero every
 * real SKU would get 0. So a file's SKU the dataset lacks is read as the dataset's SKU it equals
 * once leading zeros are ignored in each all-digit part of the key, when exactly one does. The
 * dataset's own code always wins (a file's `123` is the dataset's `123` when it has one), and a code
 * several of the dataset's SKUs match (`0123` and `00123`) is left a new SKU, with a warning: no
 * guess between them.
 */
export interface LeadingZeroMatch {
  /** A file's SKU -> the dataset's SKU it is read as. */
  readAs: Map<string, string>;
  /** The file's SKUs several of the dataset's SKUs match: left new. */
  ambiguous: Array<{ sku: string; matches: string[] }>;
}

const digits = /^\d+$/;

/** The key with each all-digit part's leading zeros dropped (`S01 / 00123` -> `S01 / 123`; `000` -> `0`). */
export function withoutLeadingZeros(sku: string): string {
  return sku.split(SKU_KEY_SEPARATOR).map((part) => (digits.test(part) ? part.replace(/^0+(?=\d)/, '') : part)).join(SKU_KEY_SEPARATOR);
}

/** Whether some part of the key is all digits: only such a key can differ from another by leading zeros. */
export function hasDigitPart(sku: string): boolean {
  return sku.split(SKU_KEY_SEPARATOR).some((part) => digits.test(part));
}

/** `missing`: the file's SKUs the dataset lacks; `datasetSkus`: every SKU of the dataset. */
export function matchLeadingZeros(missing: string[], datasetSkus: Iterable<string>): LeadingZeroMatch {
  const readAs = new Map<string, string>();
  const ambiguous: LeadingZeroMatch['ambiguous'] = [];
  const candidates = missing.filter(hasDigitPart);
  if (candidates.length === 0) return { readAs, ambiguous };
  const byStripped = new Map<string, string[]>();
  for (const sku of datasetSkus) {
    if (!hasDigitPart(sku)) continue;
    const key = withoutLeadingZeros(sku);
    const list = byStripped.get(key);
    if (list) list.push(sku);
    else byStripped.set(key, [sku]);
  }
  for (const sku of candidates) {
    const matches = byStripped.get(withoutLeadingZeros(sku));
    if (!matches) continue;
    if (matches.length === 1) readAs.set(sku, matches[0]);
    else ambiguous.push({ sku, matches: [...matches].sort() });
  }
  return { readAs, ambiguous };
}

/**
 * The file's series with those `readAs` names renamed. Lines of one SKU under two codes (`123` and
 * `00123` both in the file) are one SKU's lines, so summed period by period, as the import sums
 * lines of a SKU that fall in one period. `joined`: the dataset's SKUs that had lines under both.
 */
export function renameSeries(series: NewSeries[], readAs: ReadonlyMap<string, string>): { series: NewSeries[]; joined: string[] } {
  const out = new Map<string, NewSeries>();
  const joined = new Set<string>();
  for (const s of series) {
    const name = readAs.get(s.sku) ?? s.sku;
    const renamed = name === s.sku ? s : { ...s, sku: name };
    const before = out.get(name);
    if (!before) {
      out.set(name, renamed);
      continue;
    }
    joined.add(name);
    out.set(name, sumSeries(before, renamed));
  }
  return { series: [...out.values()], joined: [...joined].sort() };
}

function sumSeries(a: NewSeries, b: NewSeries): NewSeries {
  const byDate = new Map<string, number>();
  a.dates.forEach((d, i) => byDate.set(d, a.original[i]));
  b.dates.forEach((d, i) => byDate.set(d, (byDate.get(d) ?? 0) + b.original[i]));
  const dates = [...byDate.keys()].sort();
  const original = dates.map((d) => byDate.get(d)!);
  // The dataset's SKU keeps its own attributes (the merge reads them from the stored series).
  return { ...a, dates, original, edits: {}, length: dates.length, volume: original.reduce((x, y) => x + y, 0) };
}

const examples = (pairs: string[], total: number) => pairs.join(', ') + (total > pairs.length ? `, and ${total - pairs.length} more` : '');

/** What the append says of the SKUs it read as the dataset's (`readAs`), and of those it summed with the right code's lines. */
export function leadingZerosWarning(readAs: ReadonlyMap<string, string>, joined: string[]): string {
  const pairs = [...readAs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const shown = examples(pairs.slice(0, 5).map(([file, dataset]) => `${file} as ${dataset}`), pairs.length);
  // Nearly always the file lost them; a dataset imported from such a file and actuals with the
  // zeros is the other way round.
  const lost = pairs.every(([file, dataset]) => file.length < dataset.length);
  const n = pairs.length;
  const what = lost
    ? `the dataset's SKU${n === 1 ? ' whose code has' : 's whose codes have'} leading zeros (${shown}), as a file saved by Excel loses them`
    : `the dataset's SKU${n === 1 ? '' : 's'} that differ${n === 1 ? 's' : ''} from ${n === 1 ? 'it' : 'them'} only in leading zeros (${shown})`;
  const both = joined.length === 0 ? ''
    : `; ${joined.length === 1 ? `${joined[0]} also had lines` : `${joined.length} of them (${examples(joined.slice(0, 5), joined.length)}) also had lines`} under the dataset's own code, summed with them as one SKU's lines`;
  return `read ${n} SKU${n === 1 ? '' : 's'} as ${what}${both}`;
}

/** What the append says of the file's SKUs left new since several of the dataset's SKUs match each. */
export function ambiguousZerosWarning(ambiguous: LeadingZeroMatch['ambiguous']): string {
  const n = ambiguous.length;
  const shown = examples(ambiguous.slice(0, 5).map((a) => `${a.sku}: ${a.matches.join(' or ')}`), n);
  return `${n} SKU${n === 1 ? '' : 's'} of the file match${n === 1 ? 'es' : ''} several of the dataset's SKUs once leading zeros are ignored, so ${n === 1 ? 'it was added as a new SKU' : 'they were added as new SKUs'} (${shown}): if ${n === 1 ? 'it is' : 'they are'} one of those, send ${n === 1 ? 'its' : 'their'} code${n === 1 ? '' : 's'} with the zeros`;
}
