import pg from 'pg';
import { pollUntil } from './skucast-process.js';

/**
 * Another PostgreSQL session that holds a table lock in an open transaction, so the statements of a
 * store or a process that conflict with it wait until `release()`: how the stop tests make a
 * database that does not answer without stopping the server (which other suites share).
 */
export interface LockHolder {
  client: pg.Client;
  /** The holder's backend pid: a wait can be told to be on this lock, not on another suite's. */
  pid: number;
  /** ROLLBACK and end the session; never throws, so a cleanup goes on when the server went away. */
  release(): Promise<void>;
}

/** A raw session whose socket errors (a terminate, a server restart) do not crash the test process. */
function rawClient(connectionString: string): pg.Client {
  const client = new pg.Client({ connectionString });
  client.on('error', () => undefined);
  return client;
}

/** `LOCK TABLE <table> IN <mode> MODE` on a session of its own; `table` is schema-qualified. */
export async function holdTableLock(connectionString: string, table: string, mode: string): Promise<LockHolder> {
  const client = rawClient(connectionString);
  const release = async () => {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end().catch(() => undefined);
  };
  try {
    await client.connect();
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    await client.query('BEGIN');
    await client.query(`LOCK TABLE ${table} IN ${mode} MODE`);
    return { client, pid, release };
  } catch (error) {
    // A lock not taken leaves no session open behind the test.
    await release();
    throw error;
  }
}

/**
 * Until a statement waits on `holder`'s lock (and, given `queryLike`, its text matches that ILIKE
 * pattern). Asked on a session of its own: the holder's transaction would keep reading the snapshot
 * of pg_stat_activity it took first.
 */
export async function untilBlockedBy(
  connectionString: string, holder: LockHolder, what: string, timeoutMs: number, queryLike = '%',
): Promise<void> {
  const watcher = rawClient(connectionString);
  try {
    await watcher.connect();
    await pollUntil(what, async () => {
      const { rows } = await watcher.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid)) AND query ILIKE $2',
        [holder.pid, queryLike]);
      return rows[0].n > 0;
    }, timeoutMs);
  } finally {
    await watcher.end().catch(() => undefined);
  }
}
