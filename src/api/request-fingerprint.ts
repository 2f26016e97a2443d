import { createHash, type Hash } from 'node:crypto';

/**
 * A SHA-256 of what a request asks for, for its Idempotency-Key (idempotent-route.ts): its method
 * and path, its query, its Content-Type (a multipart boundary left out: it differs every time a
 * form is built) and its body, each part named and length-prefixed (a streamed part: its length
 * hashed at its end) so that no two requests run together into one. A JSON body goes in as parsed, keys sorted (spacing and key order are not a
 * different request); an upload's options and file bytes go in as the upload reader meets them
 * (passing), so the file is hashed as it streams, never held. `complete` is false while a stream
 * the fingerprint is reading has not ended: such a fingerprint identifies nothing.
 */
export class RequestFingerprint {
  private readonly hash: Hash = createHash('sha256');
  private open = 0;
  private digested: string | null = null;

  get complete(): boolean {
    return this.open === 0;
  }

  add(name: string, value: string | Uint8Array): this {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    this.hash.update(`${name}:${bytes.length}:`);
    this.hash.update(bytes);
    return this;
  }

  /**
   * The chunks of `source` as they are read, each also hashed under `name`; complete once it ended.
   * Its length cannot come first (the bytes are hashed before they are all known): it is hashed
   * after them, at the end, so a part hashed after the stream still cannot pass for its bytes.
   */
  passing(name: string, source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    this.open++;
    this.hash.update(`${name}:stream:`);
    const hash = this.hash;
    let length = 0;
    const done = () => {
      this.hash.update(`${name}:end:${length}:`);
      this.open--;
    };
    return (async function* hashing() {
      for await (const chunk of source) {
        hash.update(chunk);
        length += chunk.length;
        yield chunk;
      }
      done();
    })();
  }

  /** The hex digest; the fingerprint takes nothing more after it. */
  digest(): string {
    this.digested ??= this.hash.digest('hex');
    return this.digested;
  }
}

/** JSON with every object's keys sorted, for a value that two requests may spell in another order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

/**
 * A Content-Type as a fingerprint takes it: lower case, parameters trimmed, a multipart boundary
 * left out, and `charset=utf-8` left out too: it is what every body here is read as when no
 * charset is given (JSON is UTF-8; a CSV without one is read as UTF-8), so a client that adds it
 * on a retry sends the same request. Another charset (windows-1252) is kept: it reads the bytes
 * otherwise.
 */
export function fingerprintContentType(header: string | undefined): string {
  return (header ?? '').toLowerCase().split(';').map((part) => part.trim().replace(/\s*=\s*/, '='))
    .filter((part) => part !== '' && !part.startsWith('boundary=') && part !== 'charset=utf-8' && part !== 'charset="utf-8"').join(';');
}
