/**
 * `skucast migrate-store`'s onProgress for the log. A copy of a large file takes minutes: a line
 * when it moves on to the next table, and every few seconds within one, so the terminal shows it
 * is working (and where) without a line per page. When it moves on, the table it leaves gets a last
 * line with its final count if that was not logged yet: the first line of a table is its first
 * rows (datasets 1), and without it the log said "datasets rows 1" while the summary said 2.
 */
export function progressLog(log: (fields: { table: string; rows: number }) => void, everyMs = 5000, now = Date.now) {
  let table: string | null = null;
  let last = 0;
  let seen = 0;
  let logged = 0;
  return (what: string, n: number) => {
    if (what === table && now() - last < everyMs) {
      seen = n;
      return;
    }
    if (table !== null && what !== table && seen !== logged) log({ table, rows: seen });
    table = what;
    last = now();
    seen = n;
    logged = n;
    log({ table: what, rows: n });
  };
}
