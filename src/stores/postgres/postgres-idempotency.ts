import type { IdempotencyClaim, IdempotencyStore } from '../../queue/idempotency-store.js';
import { claimFound, claimParams, recordParams, type IdempotencyRow } from '../idempotency-rows.js';
import type { PgContext } from './postgres-context.js';

/** A claim that found the row gone between its upsert and its read (released meanwhile) tries again this often. */
const claimAttempts = 3;

/**
 * The API's idempotency keys on PostgreSQL (src/queue/idempotency-store.ts), aged on the lease
 * clock (the database's): API processes on several hosts agree on when a claim went stale. A
 * claim is an INSERT ... ON CONFLICT DO UPDATE ... WHERE: of concurrent claims of a free key, the
 * primary key lets one insert and the others find its fresh claim and take nothing. Then, in the
 * same READ COMMITTED transaction, the read of the row it did not take sees the latest committed
 * state; a row released in between is claimed again, and after three such turns the key counts as
 * in flight (the client is told to try again).
 */
export function postgresIdempotency(ctx: PgContext): IdempotencyStore {
  const ref = ({ scope, key, token }: { scope: string; key: string; token: string }) => ({ scope, key, token });
  return {
    async claimIdempotencyKey(claim) {
      return ctx.tx(async (client): Promise<IdempotencyClaim> => {
        for (let attempt = 0; attempt < claimAttempts; attempt++) {
          if ((await ctx.run('idempotency-claim', claimParams(claim, ctx.leaseNow()), client)).rowCount === 1) return { state: 'claimed' };
          const { rows } = await ctx.run<IdempotencyRow>('idempotency-read', { scope: claim.scope, key: claim.key }, client);
          if (rows.length === 1) return claimFound(rows[0]);
        }
        return { state: 'in-flight' };
      }, { readCommitted: true });
    },
    async recordIdempotentResponse(record) {
      return (await ctx.run('idempotency-record', recordParams(record))).rowCount === 1;
    },
    async renewIdempotencyKey(renew) {
      return (await ctx.run('idempotency-renew', { ...ref(renew), now: ctx.leaseNow() })).rowCount === 1;
    },
    async releaseIdempotencyKey(release) {
      return (await ctx.run('idempotency-release', ref(release))).rowCount === 1;
    },
    async pruneIdempotencyKeys(before) {
      return (await ctx.run('idempotency-prune', { before })).rowCount ?? 0;
    },
  };
}
