/** Retired worker counters as an object (rows of worker-counters-retired.sql; pg gives numbers as strings for some types). */
export function countersFromRows(rows: ReadonlyArray<{ event: string; n: number | string }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of rows) out[row.event] = Number(row.n);
  return out;
}
