import pg from 'pg';
import { checkOut, type CheckedOutClient } from './checked-out-client.js';
import { clientConfig } from './postgres-connection.js';
import type { PgContext } from './postgres-context.js';

/** query_canceled: the server stopped the statement before it committed. */
const queryCanceled = '57014';

/**
 * Runs one autocommit statement that `signal` can take back, and answers only once the server has
 * decided (the claim: docs/state-machine.md, "Stopping"). On abort the server is asked to cancel
 * it (pg_cancel_backend, from a connection of its own: the pool may be full) and the call still
 * waits for the statement's answer: cancelled before it committed, it wrote nothing and resolves
 * with `cancelled`; committed first, it answers as usual. Waiting for a pooled connection is given
 * up at once (nothing was sent). With `takeBack`, a statement that committed although the signal
 * was aborted meanwhile is undone by it on the same connection, and the call resolves with
 * `cancelled`. The statement's connection is then closed, not pooled: a cancel that arrived after
 * the statement ended must not stop the next one run on it.
 *
 * Why not a server-side timeout: `SET LOCAL statement_timeout` needs a transaction around the
 * claim, two more round trips on every claim for the stop alone. Left unanswered, the claim is a
 * worker's lost contact: if the server cannot be reached even by the cancel, a claim it still
 * commits waits out its lease and is rescued, as after a kill.
 */
export async function runCancellable<T>(
  ctx: PgContext, signal: AbortSignal, cancelled: T, run: (client: pg.PoolClient) => Promise<T>,
  takeBack?: (result: T, client: pg.PoolClient) => Promise<void>,
): Promise<T> {
  if (signal.aborted) return cancelled;
  const connecting = checkOut(ctx.pool);
  let out: CheckedOutClient | 'aborted';
  // Removed once the race is decided: a long-lived signal (Maintenance's) must not gather one
  // listener per call.
  let stopWaiting = () => undefined as void;
  const aborted = new Promise<'aborted'>((resolve) => {
    stopWaiting = () => resolve('aborted');
    signal.addEventListener('abort', stopWaiting, { once: true });
  });
  try {
    out = await Promise.race([connecting, aborted]);
  } catch (error) {
    throw ctx.mapError(error);
  } finally {
    signal.removeEventListener('abort', stopWaiting);
  }
  if (out === 'aborted') {
    void connecting.then((late) => late.release(), () => undefined);
    return cancelled;
  }
  const checkedOut = out;
  let cancelSent = false;
  let cancelling: Promise<void> = Promise.resolve();
  const onAbort = () => {
    cancelSent = true;
    cancelling = cancelBackend(ctx, checkedOut.client);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    let result: T;
    try {
      result = await run(checkedOut.client);
    } catch (error) {
      if (cancelSent && isCanceled(error)) return cancelled;
      throw error;
    }
    // Committed before the cancel landed, and the caller has stopped meanwhile: undo it here, on
    // this connection, still ours even when the caller's deadline passed and the pool is closing
    // (pool.end() waits for it), rather than hand the caller work it may no longer give back.
    if (signal.aborted && takeBack) {
      // The cancel, sent once, may still stop one statement: the first of the undo, tried again.
      await cancelling;
      try {
        await takeBack(result, checkedOut.client);
      } catch (error) {
        if (!isCanceled(error)) throw error;
        await takeBack(result, checkedOut.client);
      }
      return cancelled;
    }
    return result;
  } finally {
    signal.removeEventListener('abort', onAbort);
    // A connection whose socket failed is destroyed by release() itself.
    checkedOut.release(cancelSent ? new Error('closed after a cancel') : undefined);
  }
}

function isCanceled(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === queryCanceled;
}

/** Asks the server to cancel what `client` runs; a server that cannot be reached is not asked. */
async function cancelBackend(ctx: PgContext, client: pg.PoolClient): Promise<void> {
  const pid = (client as unknown as { processID: number | null }).processID;
  if (!pid) return;
  const canceller = new pg.Client({ ...clientConfig(ctx.settings, 'cancel'), keepAlive: false });
  canceller.on('error', () => undefined);
  try {
    await canceller.connect();
    await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
  } catch {
    // The statement's own answer (or the drain's deadline) decides what happens next.
  } finally {
    await canceller.end().catch(() => undefined);
  }
}
