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

export function checkOut(pool: pg.Pool): Promise<CheckedOutClient> {
  // The callback form, not the promise: the pool hands a freed client over synchronously, while the
  // driver is still parsing the chunk that freed it. A promise would attach the listener a microtask
  // later, and a server's termination (57P01 at a restart) read in that same chunk, right after the
  // ReadyForQuery of the statement that had the client before, found no listener and crashed the
  // process (tests/e2e/postgres-restart.test.ts, about one run in twenty under load).
  return new Promise((resolve, reject) => {
    pool.connect((error, client) => {
      if (error || !client) {
        reject(error ?? new Error('the pool gave no client'));
        return;
      }
      let failed: Error | undefined;
      const onError = (cause: unknown) => {
        failed ??= cause instanceof Error ? cause : new Error(String(cause));
      };
      client.on('error', onError);
      resolve({
        client,
        failure: () => failed,
        release(cause) {
          client.removeListener('error', onError);
          const broken = failed ?? (cause === undefined ? undefined : cause instanceof Error ? cause : new Error(String(cause)));
          client.release(broken);
        },
      });
    });
  });
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
