/**
 * `Idempotency-Key` (docs/http-api.md, "Idempotency-Key"): the web app sends one on each POST that
 * creates something (a dataset upload, the sample dataset, an actuals upload), one key per action
 * of the planner, and the same key when that action is sent again, so a second try of an upload
 * whose answer was lost is answered with the first one's dataset instead of making a second.
 */

export type RandomSource = Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string };

/**
 * A new key: a random UUID. `crypto.randomUUID` exists only in a secure context (https, or
 * localhost): a server on a LAN address over plain http serves the app without it, so the
 * same UUID (version 4) is made from `getRandomValues` there.
 */
export function newIdempotencyKey(random: RandomSource = globalThis.crypto): string {
  if (typeof random.randomUUID === 'function') return random.randomUUID();
  const b = random.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The 409 of a key whose first request has not answered yet (the server is still at it). */
export function isKeyInFlight(error: unknown): boolean {
  const e = error as { status?: number; body?: { code?: string; details?: Array<{ path: string }> } | null };
  return e?.status === 409 && e.body?.code === 'conflict_retry' && e.body.details?.[0]?.path === 'headers.idempotency-key';
}

/**
 * Whether the request may have been done without its answer reaching the app: the API could not
 * be reached (status 0: the connection dropped, maybe after the server stored the upload), a
 * proxy's or the server's 5xx, an abort, or the 409 of the same key still at work. Any other
 * answer is definite: a 2xx did the work, a 4xx refused it and gave the key back.
 */
function outcomeUnknown(error: unknown): boolean {
  if (error instanceof DOMException && error.name === 'AbortError') return true;
  const status = (error as { status?: unknown })?.status;
  if (typeof status !== 'number') return true;
  return status === 0 || status >= 500 || isKeyInFlight(error);
}

const blobIds = new WeakMap<Blob, number>();
let nextBlobId = 0;

/**
 * What an action sends, to tell a second try of it from new work: a File by its name, size, type
 * and date (picked again from the disk it is another File object, the same file), another Blob by
 * identity, text and options by value.
 */
function signature(parts: readonly unknown[]): string {
  return JSON.stringify(parts.map((part) => {
    if (typeof File !== 'undefined' && part instanceof File) return ['file', part.name, part.size, part.type, part.lastModified];
    if (typeof Blob !== 'undefined' && part instanceof Blob) {
      if (!blobIds.has(part)) blobIds.set(part, ++nextBlobId);
      return ['blob', blobIds.get(part)];
    }
    return part === undefined ? null : part;
  }));
}

export interface ActionKeys {
  /**
   * Sends `action` (`'dataset'`, `'sample'`, `'actuals'`) with its key: the key held for that
   * action when `parts` (what it sends) are those of its last try whose outcome is unknown, else a
   * new one. A definite answer (2xx, 4xx) lets the key go, so the next click is new work; an
   * unknown one keeps it for the planner's next try of the same thing, which then replays.
   */
  send<T>(action: string, parts: readonly unknown[], request: (idempotencyKey: string) => Promise<T>): Promise<T>;
}

/** One per place that creates things (a hook's or a component's state): the keys of its actions. */
export function createActionKeys(newKey: () => string = () => newIdempotencyKey()): ActionKeys {
  const held = new Map<string, { signature: string; key: string }>();
  return {
    async send(action, parts, request) {
      const sig = signature(parts);
      const last = held.get(action);
      const key = last && last.signature === sig ? last.key : newKey();
      held.set(action, { signature: sig, key });
      try {
        const answer = await request(key);
        if (held.get(action)?.key === key) held.delete(action);
        return answer;
      } catch (error) {
        if (!outcomeUnknown(error) && held.get(action)?.key === key) held.delete(action);
        throw error;
      }
    },
  };
}
