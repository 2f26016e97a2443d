/**
 * `skucast migrate-store`'s onProgress for the log. A copy of a large file takes minutes: a line
 * when it moves on to the next table, and every few seconds within one, so the terminal shows it
 * is working (and where) without a line per page.
 */
export function progressLog(log: (fields: { table: string; rows: number }) => void, everyMs = 5000, now = Date.now) {
  let table: string | null = null;
  let last = 0;
  return (what: string, n: number) => {
    if (what === table && now() - last < everyMs) return;
    table = what;
    last = now();
    log({ table: what, rows: n });
  };
}
