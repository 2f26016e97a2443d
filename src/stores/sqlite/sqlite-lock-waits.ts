/**
 * The waits between tries for SQLite's write lock while another process holds it (ms): the next
 * one each time next() is called, after a try met the lock.
 * While other connections keep committing between two tries (PRAGMA data_version moved), the lock
 * changes hands every few ms between workers: try again after 1, then every 2 ms, so the lock is
 * not left idle while both processes wait (the 16 ms back-off did that in a two-process drain).
 * Once nothing has been committed for `longLockMs`, one transaction is holding it (a backup, a big
 * import, an operator's sqlite3 session, for seconds maybe): the wait doubles up to 16 ms. A
 * failed try costs tens of microseconds; at 2 ms each waiting process burns 1-4% of a core, which
 * 32 worker processes would take from the holder for as long as it holds the lock.
 * dataVersion returns null when it could not read: taken as a commit seen (keep trying often).
 */
export function lockWaits(now: () => number, dataVersion: () => number | null): () => number {
  let version = dataVersion();
  let quietSince = now();
  let waitMs = 0;
  return () => {
    const seen = dataVersion();
    if (seen === null || seen !== version) {
      version = seen;
      quietSince = now();
      waitMs = Math.min(waitMs, shortLockWaitMs);
    }
    const capMs = now() - quietSince < longLockMs ? shortLockWaitMs : longLockWaitMs;
    waitMs = waitMs === 0 ? firstLockWaitMs : Math.min(capMs, waitMs * 2);
    return waitMs;
  };
}

const firstLockWaitMs = 1;
/** The wait while the lock changes hands: a claim or a group of completes holds it a few ms. */
const shortLockWaitMs = 2;
/** The wait once one transaction has held the lock for longLockMs: the previous back-off's cap. */
const longLockWaitMs = 16;
/** No commit by anyone for this long while the lock is held: one long transaction holds it. */
export const longLockMs = 20;
