import pg from 'pg';
import { checkOut, type CheckedOutClient } from './checked-out-client.js';
import type { PgContext } from './postgres-context.js';

/** query_canceled: the server stopped the statement before it committed. */
const queryCanceled = '57014';
/** How long a cancel request may take to be delivered: a server that does not answer is not asked. */
const cancelDeliveryMs = 5_000;

/**
 * Runs one autocommit statement that `signal` can take back, and answers only once the server has
 * decided (the claim: docs/state-machine.md, "Stopping"). On abort the server is asked to cancel
 * it (a protocol CancelRequest, see cancelBackend) and the call still
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
  takeBack?: (result: T, client: pg.PoolClient) => Promise<unknown>,
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
  // Aborted as the connection came: nothing was sent, so nothing to cancel (a cancel reaching an
  // idle backend is dropped, and the statement sent after it would run whole).
  if (signal.aborted) {
    checkedOut.release();
    return cancelled;
  }
  let cancelSent = false;
  let cancelling: Promise<void> = Promise.resolve();
  const onAbort = () => {
    if (cancelSent) return;
    cancelSent = true;
    // In an abort listener: a throw here would be an uncaught exception, a rejection unhandled.
    try {
      cancelling = cancelBackend(checkedOut.client).catch(() => undefined);
    } catch {
      cancelling = Promise.resolve();
    }
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
      // The cancel, sent once, may still stop one statement: the first of the undo, tried again;
      // so is one PostgreSQL ended to break a deadlock (its rows locked in the join's order may
      // meet a dataset delete's cancel of the same jobs), which rolled back whole.
      await cancelling;
      try {
        await takeBack(result, checkedOut.client);
      } catch (error) {
        if (!isCanceled(error) && !isRetryable(error)) throw error;
        await takeBack(result, checkedOut.client);
      }
      return cancelled;
    }
    return result;
  } finally {
    signal.removeEventListener('abort', onAbort);
    // The cancel request is delivered before the connection goes: none outlives the call (nor
    // the pool's end), and none reaches the server after the backend it names was closed.
    if (cancelSent) await cancelling;
    // A connection whose socket failed is destroyed by release() itself.
    checkedOut.release(cancelSent ? new Error('closed after a cancel') : undefined);
  }
}

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

function isCanceled(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === queryCanceled;
}

/** What pg's Client knows of the connection it opened (set at connect; not in @types/pg). */
interface ClientKey {
  processID: number | null;
  secretKey: number | null;
  host: string;
  port: number;
  ssl: unknown;
  sslNegotiation?: string;
}

/** pg's protocol Connection, of which @types/pg declares the statements only. */
interface ProtocolConnection {
  stream: { destroy(): void };
  connect(port: number | string, host?: string): void;
  requestSsl(): void;
  cancel(processID: number, secretKey: number): void;
  on(event: 'connect' | 'sslconnect' | 'end' | 'error', listener: () => void): void;
}

/**
 * Asks the server to cancel what `client` runs: a protocol CancelRequest (the key the server gave
 * the connection at its start, processID and secretKey) on a socket of its own, as pg's
 * Client#cancel and libpq do. It needs no login and no free connection slot (the pool may be
 * full). Behind PgBouncer the key is PgBouncer's own and it forwards the request to the server
 * connection running the statement, where `pg_cancel_backend(pid)` would name a backend that does
 * not exist or, worse, an unrelated one; the secret key also rules out a pid the server has since
 * reused. Resolves once the server closed the socket (it signals the backend first), or errs, or
 * after cancelDeliveryMs: a server that cannot be reached is not asked.
 */
function cancelBackend(client: pg.PoolClient): Promise<void> {
  const { processID, secretKey, host, port, ssl, sslNegotiation } = client as unknown as ClientKey;
  if (!processID || secretKey === null) return Promise.resolve();
  const con = new pg.Connection({ ssl, sslNegotiation, keepAlive: false } as pg.ConnectionConfig) as unknown as ProtocolConnection;
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      con.stream.destroy();
      resolve();
    };
    const timer = setTimeout(done, cancelDeliveryMs);
    // The statement's own answer (or the drain's deadline) decides what happens next.
    con.on('error', done);
    con.on('end', done);
    const send = () => con.cancel(processID, secretKey);
    if (!ssl) con.on('connect', send);
    else {
      // Over TLS when the connection is: a server (or PgBouncer) may require it of every client.
      if (sslNegotiation !== 'direct') con.on('connect', () => con.requestSsl());
      con.on('sslconnect', send);
    }
    if (host.startsWith('/')) con.connect(`${host}/.s.PGSQL.${port}`);
    else con.connect(port, host);
  });
}
