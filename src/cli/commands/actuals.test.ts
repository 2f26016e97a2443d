import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../main.js';

/** `skucast actuals` in-process, on a temp SQLite file. */
let dir: string;
let db: string;
let out: string[];
beforeEach(() => {
  // The test asserts on its own SQLite file, whatever DATABASE_URL the environment has.
  vi.stubEnv('DATABASE_URL', '');
  dir = mkdtempSync(path.join(tmpdir(), 'skucast-cli-actuals-'));
  db = path.join(dir, 'jobs.db');
  out = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  process.exitCode = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function run(...argv: string[]): Promise<number> {
  process.exitCode = undefined;
  await buildProgram().parseAsync([...argv, '--database-path', db], { from: 'user' });
  return Number(process.exitCode ?? 0);
}

function file(name: string, text: string): string {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
}

describe('skucast actuals', () => {
  it('reads a month-first dataset\'s 04/01/2024 as April (QA: it revised January), and prints the warnings of a file it had to read one way', async () => {
    let history = 'sku,date,qty\n';
    for (let k = 0; k < 15; k++) history += `A,${String((k % 12) + 1).padStart(2, '0')}/01/${2023 + Math.floor(k / 12)},${k < 12 ? 10 * (k + 1) : 101 + k - 12}\n`;
    expect(await run('import', file('us_monthly.csv', history), '--models', 'seasonal_naive')).toBe(0);
    expect(await run('actuals', 'latest', file('april.csv', 'sku,date,qty\nA,04/01/2024,555\n'))).toBe(0);
    expect(out.join('')).toMatch(/SKUs changed 1 \(new 0\), periods added 1, values revised 0\n/);
    out = [];
    let tenDays = 'sku,date,qty\n';
    for (let d = 1; d <= 10; d++) tenDays += `A,01/${String(d).padStart(2, '0')}/24,2\n`;
    expect(await run('actuals', 'latest', file('ten-days.csv', tenDays))).toBe(0);
    const printed = out.join('');
    expect(printed).toMatch(/periods added 0, values revised 1\n {4}A 2024-01-01: 101 -> 20\n/);
    expect(printed).toMatch(/ {2}warning: partial periods summed as if whole: .*2024-01-01/);
  });
});
