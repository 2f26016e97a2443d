import type { IdempotencyClaim, IdempotencyKeyRef, IdempotentResponse } from '../queue/idempotency-store.js';

/** A row of idempotency_keys as idempotency-read.sql reads it, on either store. */
export interface IdempotencyRow {
  status: number | null;
  fingerprint: string | null;
  content_type: string | null;
  location: string | null;
  body: string | null;
}

/** What a claim that took nothing found: an answer, or a claim still in flight. */
export function claimFound(row: IdempotencyRow): IdempotencyClaim {
  if (row.status === null) return { state: 'in-flight' };
  return {
    state: 'completed',
    fingerprint: row.fingerprint ?? '',
    response: { status: Number(row.status), body: row.body ?? '', contentType: row.content_type ?? 'application/json; charset=utf-8', location: row.location },
  };
}

/** The parameters of idempotency-claim.sql: the bounds as the times before which a row is taken over. */
export function claimParams(claim: IdempotencyKeyRef & { claimMs: number; keepMs: number }, now: number): Record<string, unknown> {
  return { scope: claim.scope, key: claim.key, token: claim.token, now, staleBefore: now - claim.claimMs, expiredBefore: now - claim.keepMs };
}

/** The parameters of idempotency-record.sql. */
export function recordParams(record: IdempotencyKeyRef & { fingerprint: string; response: IdempotentResponse }): Record<string, unknown> {
  const { scope, key, token, fingerprint, response } = record;
  return { scope, key, token, fingerprint, status: response.status, contentType: response.contentType, location: response.location, body: response.body };
}
