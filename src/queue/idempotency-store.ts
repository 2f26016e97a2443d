/**
 * What an `Idempotency-Key` needs from a database (docs/http-api.md, "Idempotency-Key"): a key,
 * scoped to a method and path, is claimed before the work of its request, then either holds that
 * request's answer (record) or is given back (release). Beside the queue's interface, not in the
 * API, because maintenance (src/queue/maintenance.ts) prunes expired keys with the finished jobs.
 *
 * States of one (scope, key) row: absent -> in flight (claim, renew) -> completed (record) |
 * absent (release, prune). The holder renews its claim while its work runs; an in-flight claim not
 * renewed for `claimMs` is a holder that died (a crash, a kill between the claim and its record or
 * release): the next claim takes it over. A completed answer
 * older than `keepMs` has expired: the next claim takes it over as if the key were new, whether or
 * not prune has deleted it yet. Ages are measured on the store's clock (the database's on
 * PostgreSQL, as leases are), from the claim or its last renewal.
 */

/** A 2xx answer as it was sent, to be sent again byte for byte. */
export interface IdempotentResponse {
  status: number;
  /** The body exactly as sent (the serialized JSON). */
  body: string;
  contentType: string;
  location: string | null;
}

export type IdempotencyClaim =
  /** The caller holds the key under its token: do the work, then record or release. */
  | { state: 'claimed' }
  /** Another request holds it and has not answered yet (nor died `claimMs` ago). */
  | { state: 'in-flight' }
  /** Answered: the request's fingerprint and its answer. */
  | { state: 'completed'; fingerprint: string; response: IdempotentResponse };

export interface IdempotencyKeyRef {
  /** Method and path: `POST /api/datasets/ds-1/actuals`. */
  scope: string;
  key: string;
  /** Chosen by the claimer (random): fences record and release to the claim that holds the key. */
  token: string;
}

export interface IdempotencyStore {
  /**
   * claim: takes the key for `token` when no row holds it, or its row is an in-flight claim older
   * than `claimMs` or a completed answer older than `keepMs`. Of concurrent claims of a free key
   * exactly one gets `claimed` (a unique (scope, key); on PostgreSQL INSERT ... ON CONFLICT), the
   * others `in-flight`.
   */
  claimIdempotencyKey(claim: IdempotencyKeyRef & { claimMs: number; keepMs: number }): Promise<IdempotencyClaim>;
  /**
   * record: stores the answer and the request's fingerprint on the claim `token` still holds;
   * false, nothing written, when it no longer holds it (expired and taken over, or pruned).
   */
  recordIdempotentResponse(record: IdempotencyKeyRef & { fingerprint: string; response: IdempotentResponse }): Promise<boolean>;
  /** renew: the claim `token` holds starts its age again (its work still runs); false when it no longer holds it, or answered. */
  renewIdempotencyKey(renew: IdempotencyKeyRef): Promise<boolean>;
  /** release: deletes the in-flight claim `token` holds, so that the key may be sent again; false when it held none. */
  releaseIdempotencyKey(release: IdempotencyKeyRef): Promise<boolean>;
  /** prune: deletes the keys claimed before `before` (answered or not); returns how many. */
  pruneIdempotencyKeys(before: number): Promise<number>;
}

/** How long a claim may go unrenewed before another request takes the key over (its holder is taken for dead). */
export const idempotencyClaimMs = 5 * 60_000;
/** How often a request at work renews its claim: three chances within the bound. */
export const idempotencyRenewMs = idempotencyClaimMs / 3;
/**
 * How long a request renews its claim at most: a handler hung for good must not hold its key for
 * ever. Its claim is then taken over idempotencyClaimMs after its last renewal (the retry does the
 * work again, as without a key); its answer, if it still comes, is recorded if nobody took the key.
 */
export const idempotencyHoldMs = 60 * 60_000;
/** How long a key and its answer are kept: a request sent again later is new work. */
export const idempotencyKeepMs = 24 * 3_600_000;
