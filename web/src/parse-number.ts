/**
 * Reads a number the planner typed the way their locale writes it (the locale the app formats
 * with, format.ts): 1.234,5 in de-DE, 1,234.5 in en-US, 1 234,5 in fr-FR, 1'234.5 in de-CH,
 * 12,34,567 in en-IN. A browser's number input reads only its own idea of the format and drops
 * what it cannot read: "1234,5" in a German browser was sent as 12345, with no warning.
 *
 * The rule is strict on purpose, because a wrong guess changes a sales figure silently:
 * - a group separator must sit between well-formed groups (1.234 is 1234 in de-DE, as the
 *   locale writes it; 1.5 or 12.34 are refused, not read as decimals or as 15);
 * - at most one decimal separator, after every group separator;
 * - the other locale's decimal mark (a "." in fr-FR, a "," in de-CH) is refused, never guessed.
 * Refused input comes back as null and is never sent.
 */

interface Separators {
  decimal: string;
  group: string;
  /** Lengths of the groups left of the last one: [3] for 1,234,567; [2] for en-IN's 12,34,567. */
  middleGroup: number;
  /** The locale's digits 0-9 (Latin for most; ٠-٩ in ar-EG), read as well as 0-9. */
  digits: string[];
}

const cache = new Map<string, Separators>();

function separators(locale: string | undefined): Separators {
  const key = locale ?? '';
  const cached = cache.get(key);
  if (cached) return cached;
  const format = new Intl.NumberFormat(locale);
  const parts = format.formatToParts(1234567.5);
  const integers = parts.filter((p) => p.type === 'integer');
  const found: Separators = {
    decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
    group: parts.find((p) => p.type === 'group')?.value ?? ',',
    middleGroup: integers.length === 3 ? integers[1].value.length : 3,
    digits: Array.from({ length: 10 }, (_, d) => new Intl.NumberFormat(locale, { useGrouping: false }).format(d)),
  };
  cache.set(key, found);
  return found;
}

const isSpace = (c: string) => /\s/.test(c);
/** Marks a planner types for the locale's group separator: a space for fr-FR's narrow no-break space, ' for de-CH's ’. */
function isGroupMark(c: string, group: string): boolean {
  if (c === group) return true;
  if (isSpace(group)) return isSpace(c);
  if (group === '’' || group === "'") return c === "'" || c === '’';
  return false;
}

/** An example of the locale's way, for the message beside a refused value: "1.234,5" in de-DE. */
export function numberExample(locale: string | undefined): string {
  return new Intl.NumberFormat(locale).format(1234.5);
}

/**
 * The number in `text` written the locale's way, or null when it cannot be read unambiguously.
 * A leading minus is read (the caller says a negative value is not allowed in its own words).
 */
export function parseNumber(text: string, locale: string | undefined): number | null {
  const { decimal, group, middleGroup, digits } = separators(locale);
  let body = text.trim();
  let sign = 1;
  if (/^[-−]/.test(body)) {
    sign = -1;
    body = body.slice(1).trim();
  }
  // Characters to digits and marks: 'd' a digit, 'g' a group separator, 'p' the decimal point.
  let latin = '';
  let shape = '';
  for (const c of body) {
    const local = digits.indexOf(c);
    if (/[0-9]/.test(c) || local >= 0) {
      latin += local >= 0 ? String(local) : c;
      shape += 'd';
    } else if (c === decimal) {
      latin += '.';
      shape += 'p';
    } else if (isGroupMark(c, group)) {
      shape += 'g';
    } else {
      return null; // the other locale's decimal mark, a letter, an exponent: never guessed
    }
  }
  const [whole, fraction, ...more] = shape.split('p');
  if (more.length > 0) return null;
  if (whole === '' && (fraction ?? '') === '') return null;
  if (fraction !== undefined && fraction.includes('g')) return null;
  if (whole.includes('g')) {
    const groups = whole.split('g').map((g) => g.length);
    const last = groups.pop() as number;
    const [first, ...middle] = groups;
    if (last !== 3 || first < 1 || first > middleGroup || middle.some((length) => length !== middleGroup)) return null;
    if (latin.startsWith('0')) return null; // 0.500 is no grouped number
  }
  const value = Number(latin);
  return Number.isFinite(value) ? sign * value : null;
}
