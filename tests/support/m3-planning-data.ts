import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Real series for the planning-cycle tests: M3 monthly series (data/m3), dated month by month
 * from 2000-01, as a history CSV and, from their test parts, actuals CSVs.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface M3Series {
  id: string;
  train: number[];
  test: number[];
}

export function m3Monthly(count: number): M3Series[] {
  const out: M3Series[] = [];
  for (const line of readFileSync(path.join(root, 'data/m3/m3.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const s = JSON.parse(line) as M3Series & { period: string };
    if (s.period === 'MONTHLY' && s.train.length === 50) out.push({ id: s.id, train: s.train, test: s.test });
    if (out.length === count) break;
  }
  return out;
}

export const monthOf = (k: number) => `${2000 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}-01`;

export function historyCsv(series: M3Series[]): string {
  let out = 'sku,date,sales\n';
  for (const s of series) s.train.forEach((v, k) => (out += `${s.id},${monthOf(k)},${v}\n`));
  return out;
}

/** The first `periods` test values of each series, as the periods after its history. */
export function actualsCsv(series: M3Series[], periods: number): string {
  let out = 'sku,date,sales\n';
  for (const s of series) s.test.slice(0, periods).forEach((v, k) => (out += `${s.id},${monthOf(s.train.length + k)},${v}\n`));
  return out;
}
