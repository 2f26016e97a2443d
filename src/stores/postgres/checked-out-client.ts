import type pg from 'pg';

/**
 * A pooled client checked out for several statements (a transaction, a migration, a warm-up).
 * The pool listens for errors of idle clients only: a socket that fails while the client is out,
 * during a statement or between two (a server restart, a terminated backend), would emit 'error'
 * with no listener and crash the process. While out, the error is kept instead: a statement in
 * flight is rejected with it, and the next one fails as "not queryable" (`failure()` tells the
 * cause). `release` gives the client back, or destroys it when it failed (its own error, or one
 * the caller names).
 */
export interface CheckedOutClient {
  client: pg.PoolClient;
  /** The first error the client's socket raised while out, if any. */
  failure(): Error | undefined;
  release(error?: unknown): void;
}

export async function checkOut(pool: pg.Pool): Promise<CheckedOutClient> {
  const client = await pool.connect();
  let failed: Error | undefined;
  const onError = (error: unknown) => {
    failed ??= error instanceof Error ? error : new Error(String(error));
  };
  client.on('error', onError);
  return {
    client,
    failure: () => failed,
    release(error) {
      client.removeListener('error', onError);
      const broken = failed ?? (error === undefined ? undefined : error instanceof Error ? error : new Error(String(error)));
      client.release(broken);
    },
  };
}
