import { ApiError } from '../api/client.js';

/**
 * The text encoding of a CSV without a byte order mark, as the upload forms offer it: UTF-8, or
 * Windows-1252, what German or French Excel's "CSV (semicolon)" and Excel's plain "CSV" write on a
 * Western Windows. Sent as the API's `charset`; '' sends none (UTF-8). A file with a byte order
 * mark (UTF-8, UTF-16) is read as its mark says, whatever is chosen.
 */
export type Charset = '' | 'windows-1252';

export const charsetChoices: Array<{ value: Charset; label: string }> = [
  { value: '', label: 'UTF-8' },
  { value: 'windows-1252', label: 'Windows-1252 (Excel, Western Europe)' },
];

export function EncodingSelect({ value, onChange, testId }: { value: Charset; onChange: (next: Charset) => void; testId: string }) {
  return (
    <label>
      Encoding
      <select className="input" value={value} data-testid={testId} onChange={(e) => onChange(e.target.value as Charset)}>
        {charsetChoices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * A refusal of a file that is not UTF-8, told for a page with the Encoding select: the API's
 * message ends by naming its HTTP parameter and CLI flag, which a planner on the page cannot use.
 * Null for any other error.
 */
export function notUtf8Message(error: Error): string | null {
  if (!(error instanceof ApiError)) return null;
  const notUtf8 = error.body?.details?.some((d) => d.path === 'file' && d.message.startsWith('not UTF-8'));
  if (!notUtf8) return null;
  const what = error.message.split(';')[0];
  return `${what}. Choose Encoding "Windows-1252 (Excel, Western Europe)" above (German or French Excel's "CSV"), or save the file from Excel as "CSV UTF-8 (Comma delimited)".`;
}
