import { z } from 'zod';

/**
 * An integer read from the query string or the path. `z.coerce.number()` answered `abc` with
 * "expected number, received NaN" and read `''` as 0 and `0x10` as 16: here only digits are read,
 * and every refusal says what the parameter takes and what was sent ("must be a positive integer
 * snapshot id, not 'abc'"); the 400 names the parameter (errors.ts). The document still says
 * integer, with its bounds.
 */
export function queryInteger({ min, max, what }: { min: number; max?: number; what?: string }) {
  const takes = max !== undefined
    ? `an integer from ${min} to ${max}`
    : min === 1 ? `a positive integer${what ? ` ${what}` : ''}` : `an integer, ${min} or more`;
  const message = (issue: { input?: unknown }) => `must be ${takes}, not '${String(issue.input)}'`;
  const number = z.number({ error: message }).int({ error: message }).min(min, { error: message });
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
    max === undefined ? number : number.max(max, { error: message }),
  );
}
