import type { FastifyRequest } from 'fastify';
import { badRequest } from './errors.js';

/** The longest key taken: a UUID (36) or a ULID (26) with room to spare, as Stripe's 255. */
export const maxIdempotencyKeyLength = 255;
export const idempotencyKeyPath = 'headers.idempotency-key';

const refuse = (message: string) => badRequest(`invalid Idempotency-Key: ${message}`, [{ path: idempotencyKeyPath, message }]);

/**
 * The request's `Idempotency-Key`, or undefined when it sent none. 1 to 255 printable ASCII
 * characters (space to `~`); the IETF draft's form, a quoted string (`"8e03978e-..."`), is read as
 * the text between its quotes, so `"abc"` and `abc` are one key. Anything else, an empty value, or
 * the header sent twice (Node joins the two with a comma) is a 400 naming `headers.idempotency-key`.
 */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const sent = request.raw.rawHeaders.filter((_, i) => i % 2 === 0 && request.raw.rawHeaders[i].toLowerCase() === 'idempotency-key').length;
  if (sent > 1 || Array.isArray(raw)) throw refuse('given more than once: send one key per request');
  const quoted = /^"([^"\\]*)"$/.exec(raw);
  const key = quoted ? quoted[1] : raw;
  if (key.length === 0) throw refuse('empty: send 1 to 255 printable ASCII characters, such as a UUID');
  if (key.length > maxIdempotencyKeyLength) throw refuse(`${key.length} characters: at most ${maxIdempotencyKeyLength}`);
  if (/[^\x20-\x7e]/.test(key)) {
    // Node hands a header's bytes over one per character (latin1): é sent as UTF-8 arrives as two,
    // so the character named is read back from the bytes as UTF-8 (U+00E9, not U+00C3).
    const asUtf8 = /[^\x00-\xff]/.test(key) ? key : Buffer.from(key, 'latin1').toString('utf8');
    const text = asUtf8.includes('\ufffd') ? key : asUtf8;
    const bad = /[^\x20-\x7e]/u.exec(text)![0];
    throw refuse(`holds U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}, not printable ASCII: send 1 to 255 characters from space to ~, such as a UUID`);
  }
  return key;
}
