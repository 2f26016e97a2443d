import { DatasetValidationError } from './dataset-validation-error.js';

/**
 * Excel's month labels: a month's name, a hyphen and a two-digit year (`Jan-24`, its mmm-yy; a
 * German Excel writes `Mrz-24`, `Mai-24`, `Okt-24`, `Dez-24`). date-parse.ts reads them; this
 * module refuses a file whose labels cannot all be read as months, rather than lose a month:
 *
 * - a label of that shape that names no month (`Foo-24`, or a language we do not read) among
 *   labels that do: as a wide file's header it would be a column ignored and its month filled
 *   with zeros, as a long file's date its lines refused and the month zero-filled all the same.
 */
const labelShape = /^[\p{L}]{3,9}\.?-\d{2}$/u;

/** Whether a text is shaped like a month label (letters, a hyphen, two digits), read or not. */
export function isMonthLabelShaped(text: string): boolean {
  return labelShape.test(text.trim());
}

/**
 * The refusal of a file with a label shaped like its months that is none (`Foo-24` beside
 * `Jan-24`), naming it and where it is; null when there is none, or no label was read as a month.
 * `labels`: the file's distinct date texts, each with whether it was read as a date and where it
 * is (`column 4`, `line 12`: the refusal's path).
 */
export function unreadMonthLabel(labels: Iterable<{ text: string; read: boolean; where: string }>): DatasetValidationError | null {
  let example: string | undefined;
  let unread: { text: string; where: string } | undefined;
  for (const label of labels) {
    if (!isMonthLabelShaped(label.text)) continue;
    if (label.read) example ??= label.text;
    else unread ??= label;
  }
  if (example === undefined || unread === undefined) return null;
  return new DatasetValidationError(`the month label '${unread.text}' (${unread.where}) names no month`, [{
    path: unread.where,
    message: `'${unread.text}' is written like the file's months ('${example}') but names no month we read (English or German: Jan, Mrz, Mai, Okt, Dez, ...); fix it in the file, or give dateFormat, rather than have its month read as zero`,
  }]);
}
