import { checkOut } from './checked-out-client.js';
import type { PgContext } from './postgres-context.js';

/**
 * Opens every connection of a worker's pool and runs the statements of a pickup on each, changing
 * no row, before the first wake: the claim a NOTIFY starts then never waits for a connection to
 * open. A new connection costs a server process, its catalog caches, the plpgsql compile of the
 * jobs triggers and the preparation of each statement, several to tens of milliseconds that were
 * paid inside the first pickups (and again whenever the pool had reaped its second connection).
 * Best effort: a failure leaves the pool as it was (the failed connection is discarded, not given
 * back) and the claims open what they need; the first failure is returned for the caller to log.
 */
export async function warmPool(ctx: PgContext, connections: number): Promise<unknown> {
  const warmed = await Promise.allSettled(Array.from({ length: connections }, async () => {
    const { client, release } = await checkOut(ctx.pool);
    try {
      // run_at <= 0, LIMIT 0 and empty arrays: nothing matches, but the statement triggers fire
      await ctx.run('job-claimable', { now: 0 }, client);
      await ctx.run('job-claim', { now: 0, leaseExpiresAt: 0, workerId: '', limit: 0 }, client);
      await ctx.run('job-complete', { now: 0, jobIds: [], leaseTokens: [], results: [] }, client);
    } catch (error) {
      // Released only once its own statements are done: never handed to another caller mid-warm-up.
      release(error);
      throw error;
    }
    release();
  }));
  const failed = warmed.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  return failed ? ctx.mapError(failed.reason) : null;
}
