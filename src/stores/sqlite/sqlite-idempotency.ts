import type { IdempotencyStore } from '../../queue/idempotency-store.js';
import { claimFound, claimParams, recordParams, type IdempotencyRow } from '../idempotency-rows.js';
import type { SqliteContext } from './sqlite-context.js';

/**
 * The API's idempotency keys on SQLite (src/queue/idempotency-store.ts). A claim is its upsert and
 * the read of what it did not take in one write transaction, so nothing changes between them.
 */
export function sqliteIdempotency(ctx: SqliteContext): IdempotencyStore {
  const ref = ({ scope, key, token }: { scope: string; key: string; token: string }) => ({ scope, key, token });
  return {
    async claimIdempotencyKey(claim) {
      return ctx.write(() => {
        if (ctx.stmt('idempotency-claim').get(claimParams(claim, ctx.now())) !== undefined) return { state: 'claimed' as const };
        return claimFound(ctx.stmt('idempotency-read').get({ scope: claim.scope, key: claim.key }) as IdempotencyRow);
      });
    },
    async recordIdempotentResponse(record) {
      return ctx.write(() => ctx.stmt('idempotency-record').run(recordParams(record)).changes === 1);
    },
    async renewIdempotencyKey(renew) {
      return ctx.write(() => ctx.stmt('idempotency-renew').run({ ...ref(renew), now: ctx.now() }).changes === 1);
    },
    async releaseIdempotencyKey(release) {
      return ctx.write(() => ctx.stmt('idempotency-release').run(ref(release)).changes === 1);
    },
    async pruneIdempotencyKeys(before) {
      return ctx.write(() => ctx.stmt('idempotency-prune').run({ before }).changes);
    },
  };
}
