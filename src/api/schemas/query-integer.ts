import { z } from 'zod';

/**
 * An integer read from the query string, the path or an upload's option, as its raw text: surrounding
 * spaces are trimmed, then digits only (`1e2`, `0x10`, `+5`, `1.5` refused, where `Number()` read 100,
 * 16, 5 and 1.5; a query string's `+5` arrives as ` 5`, a `+` being a space there, and reads as 5),
 * a safe integer, within its bounds. A refusal says what the parameter takes and
 * quotes what came, unchanged ("must be a positive integer snapshot id, not 'abc'"); past the largest
 * safe integer, or a given max, it names that bound. A repeated parameter (`?limit=5&limit=6`) says
 * it was given more than once.
 */
export function parseIntegerText(
  raw: unknown, { min, max, what }: { min: number; max?: number; what?: string },
): { ok: true; value: number } | { ok: false; message: string } {
  if (Array.isArray(raw)) return { ok: false, message: 'given more than once: give it once' };
  const text = String(raw);
  const takes = max !== undefined
    ? `an integer from ${min} to ${max}`
    : min === 1 ? `a positive integer${what ? ` ${what}` : ''}` : `an integer, ${min} or more`;
  const refuse = (says: string) => ({ ok: false as const, message: `must be ${says}, not '${text}'` });
  const digits = text.trim();
  if (!/^\d+$/.test(digits)) return refuse(takes);
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) return refuse(`an integer from ${min} to ${max ?? Number.MAX_SAFE_INTEGER}`);
  if (value < min || (max !== undefined && value > max)) return refuse(takes);
  return { ok: true, value };
}

/**
 * parseIntegerText as a schema. The raw text is checked before zod's number, so the refusal quotes
 * what came (not the coerced number); the number schema after it keeps the document saying
 * integer, with its bounds.
 */
export function queryInteger(options: { min: number; max?: number; what?: string }) {
  const number = z.number().int().min(options.min);
  return z.preprocess(
    (value, ctx) => {
      if (typeof value === 'number') return value;
      const parsed = parseIntegerText(value, options);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: 'custom', message: parsed.message, input: value });
      return z.NEVER;
    },
    options.max === undefined ? number : number.max(options.max),
  );
}
