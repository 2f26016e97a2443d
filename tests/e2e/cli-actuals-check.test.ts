import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';
import { useBuiltCli } from '../support/built-cli.js';

/**
 * `skucast actuals ... --dry-run` (the check) and what the append prints of a planner's ERP
 * export: the rejected rows grouped with their lines, the SKU whose lines were all rejected, the
 * new SKU named; the check writes nothing. The built CLI (npm run build:server) on a SQLite file.
 */
const built = useBuiltCli('skucast-cli-actuals-check-');
const cli = (args: string[]) => built.run(args);
const file = (name: string, text: string) => {
  const at = path.join(built.dir, name);
  writeFileSync(at, text);
  return at;
};

describe('skucast actuals --dry-run', () => {
  it('checks the file: prints what the append would do, rejected rows and new SKUs named, and writes nothing; then appends the same', () => {
    let history = 'Artikelnummer;Woche;Menge\n';
    for (const sku of ['A-1000', 'A-1001', 'A-1002']) for (let k = 0; k < 12; k++) history += `${sku};${new Date(Date.UTC(2026, 0, 4 + 7 * k)).toISOString().slice(0, 10)};${10 + k},5\n`;
    const imported = cli(['import', file('history.csv', history), '--name', 'shop', '--models', 'naive', '--no-jobs']);
    expect(imported.status, imported.stderr).toBe(0);
    const week = 'Artikelnummer;Woche;Menge\nA-1000;2026-03-29;32,6\nA-1001;2O26-03-29;18,7\nA-1O02;2026-03-29;48,8\nSumme;;99,1\n';
    const actuals = file('week.csv', week);

    const check = cli(['actuals', 'shop', actuals, '--dry-run', '--absent-skus', 'zero']);
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/^check \(--dry-run\): nothing was written/);
    expect(check.stdout).toMatch(/ {2}rejected 1 row:\n {4}1 x date does not parse, e\.g\. date '2O26-03-29' does not parse \(lines 3\)\n/);
    // The ERP's total row is said as one, not as a rejected row.
    expect(check.stdout).toMatch(/warning: line 5 looks like a total row \('Summe', no date\)/);
    expect(check.stdout).toMatch(/new SKUs: A-1O02 \(new: did you mean A-1002\?\)\n/);
    expect(check.stdout).toMatch(/warning: 1 new SKU looks like one of the dataset's: A-1O02 \(new: did you mean A-1002\?\)/);
    expect(check.stdout).toMatch(/SKUs whose lines were all rejected, left as they were: A-1001 \(line 3\)/);
    expect(check.stdout).not.toMatch(/jobs queued/);

    const json = cli(['actuals', 'shop', actuals, '--dry-run', '--json']);
    expect(json.status, json.stderr).toBe(0);
    const answer = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(answer).toMatchObject({ dryRun: true, actualsId: null, newSkus: ['A-1O02'], newSkusLike: [{ sku: 'A-1O02', like: 'A-1002' }], rejectedSkus: { count: 1, skus: [{ sku: 'A-1001', line: 3 }] }, absent: { count: 1, skus: ['A-1002'] } });

    expect(cli(['actuals', 'shop', actuals, '--dry-run', '--watch']).status).toBe(1);
    return (async () => {
      const store = await openSqliteStore(built.database);
      try {
        const [dataset] = await store.listDatasets();
        expect(await store.listActuals(dataset.id)).toEqual([]);
      } finally {
        await store.close();
      }
      const applied = cli(['actuals', 'shop', actuals]);
      expect(applied.status, applied.stderr).toBe(0);
      expect(applied.stdout).not.toMatch(/check \(--dry-run\)/);
      expect(applied.stdout).toMatch(/new SKUs: A-1O02 \(new: did you mean A-1002\?\)\n/);
      // Picked again: the check says it changes nothing.
      const again = cli(['actuals', 'shop', actuals, '--dry-run']);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/warning: this file changes nothing: every value in it is already stored \(applied before\?\); its 1 rejected line aside\n/);
    })();
  });

  it('--based-on ties an append to its check: refused (exit 1, conflict_state, nothing stored) once the dataset changed since, applied when it did not', () => {
    let history = 'sku,date,qty\n';
    for (const sku of ['B-1', 'B-2']) for (let k = 0; k < 12; k++) history += `${sku},${new Date(Date.UTC(2026, 0, 4 + 7 * k)).toISOString().slice(0, 10)},${20 + k}\n`;
    const imported = cli(['import', file('b-history.csv', history), '--name', 'tied', '--models', 'naive', '--no-jobs']);
    expect(imported.status, imported.stderr).toBe(0);
    const week = file('b-week.csv', 'sku,date,qty\nB-1,2026-03-29,40\nB-2,2026-03-29,41\n');
    const checkedAt = (stdout: string) => Number(/dataset as checked: (\d+) \(append with --based-on \1 /.exec(stdout)?.[1]);

    const check = cli(['actuals', 'tied', week, '--dry-run']);
    expect(check.status, check.stderr).toBe(0);
    const seen = checkedAt(check.stdout);
    expect(seen).toBeGreaterThan(0);
    // Someone else's file lands between the check and the append.
    const other = cli(['actuals', 'tied', file('b-other.csv', 'sku,date,qty\nB-1,2026-03-29,7\n')]);
    expect(other.status, other.stderr).toBe(0);

    const stale = cli(['actuals', 'tied', week, '--based-on', String(seen)]);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toMatch(/skucast actuals: dataset \S+ changed since the check; check the file again \(--based-on: the check was of the dataset as at \d+, and it is at \d+ now .*nothing was stored\)/);
    const staleJson = cli(['actuals', 'tied', week, '--based-on', String(seen), '--json']);
    expect(staleJson.status).toBe(1);
    expect(JSON.parse(staleJson.stdout)).toMatchObject({ code: 'conflict_state', details: [expect.objectContaining({ path: 'basedOn' })] });

    const checkWithBasis = cli(['actuals', 'tied', week, '--dry-run', '--based-on', String(seen)]);
    expect(checkWithBasis.status).toBe(1);
    expect(checkWithBasis.stderr).toMatch(/--based-on ties an append to the check that printed it; a check \(--dry-run\) takes none/);
    const checkWithBasisJson = cli(['actuals', 'tied', week, '--dry-run', '--based-on', String(seen), '--json']);
    expect(checkWithBasisJson.status).toBe(1);
    expect(JSON.parse(checkWithBasisJson.stdout)).toMatchObject({ code: 'invalid_request', details: [expect.objectContaining({ path: 'basedOn' })] });
    const notNumber = cli(['actuals', 'tied', week, '--based-on', 'yesterday']);
    expect(notNumber.status).toBe(1);
    expect(notNumber.stderr).toMatch(/--based-on.*expected an integer/);

    return (async () => {
      const store = await openSqliteStore(built.database);
      try {
        const dataset = (await store.listDatasets()).find((d) => d.name === 'tied')!;
        // Only the other file's append is stored: the refused ones wrote nothing.
        expect(await store.listActuals(dataset.id)).toHaveLength(1);
      } finally {
        await store.close();
      }
      const again = cli(['actuals', 'tied', week, '--dry-run']);
      expect(again.status, again.stderr).toBe(0);
      const applied = cli(['actuals', 'tied', week, '--based-on', String(checkedAt(again.stdout))]);
      expect(applied.status, applied.stderr).toBe(0);
      expect(applied.stdout).toMatch(/values revised 1/);
    })();
  });
});
