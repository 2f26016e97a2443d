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

/**
 * Runs fn on one checked-out client between `begin` and COMMIT; ROLLBACK when it throws, the error
 * mapped by `mapError` (the socket's own, when it failed). A client whose ROLLBACK failed is
 * destroyed, not given back. The store's transactions and snapshots (postgres-context.ts) and the
 * migrations share it.
 */
export async function inTransaction<T>(
  pool: pg.Pool, begin: string, fn: (client: pg.PoolClient) => Promise<T>, mapError: (error: unknown) => unknown,
): Promise<T> {
  let out: CheckedOutClient;
  try {
    out = await checkOut(pool);
  } catch (error) {
    throw mapError(error);
  }
  const { client } = out;
  let broken: unknown = undefined;
  try {
    await client.query(begin);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError; // the connection itself failed: do not give it back to the pool
    }
    // The socket's own error, when it failed, rather than the client's "not queryable" after it.
    throw mapError(out.failure() ?? error);
  } finally {
    out.release(broken);
  }
}
