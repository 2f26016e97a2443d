/** Counters per event as an object (rows of worker-event-totals.sql; pg may give a sum as a string). */
export function countersFromRows(rows: ReadonlyArray<{ event: string; n: number | string }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of rows) out[row.event] = Number(row.n);
  return out;
}
