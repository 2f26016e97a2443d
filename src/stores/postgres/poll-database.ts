/**
 * For tests that wait for another session to reach a state only the database can show (a
 * statement waiting on a lock in pg_locks or pg_stat_activity, row counts reaching the statistics
 * views): reads `seen` until it answers true, with a short pause between reads so the loop does
 * not keep a core and the server busy with back-to-back queries while the other process works.
 * A bounded number of reads, then a failure that says what never came, rather than a test that
 * spins until its timeout. Not a timed assertion: the pause only spaces the reads.
 */
export async function pollDatabase(
  what: string, seen: () => Promise<boolean>, { tries = 2_000, pauseMs = 5 }: { tries?: number; pauseMs?: number } = {},
): Promise<void> {
  for (let read = 1; read <= tries; read++) {
    if (await seen()) return;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  throw new Error(`never saw ${what} (${tries} reads, ${pauseMs} ms apart)`);
}
