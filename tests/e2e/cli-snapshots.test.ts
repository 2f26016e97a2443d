import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/datasets/planning-cycle-store.js';
import { encodeSnapshotValues } from '../../src/datasets/snapshot-values.js';
import { bareDataset, newJob } from '../../src/queue/testing/store-fixtures.js';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';
import type { Store } from '../../src/stores/store.js';
import { useBuiltCli } from '../support/built-cli.js';
import Database from 'better-sqlite3';

/** `skucast snapshots list|delete` as a user runs them: the built CLI (npm run build:server) on a SQLite file. */
const built = useBuiltCli('skucast-cli-snapshots-');
const cli = (args: string[]) => built.run(args);
const run = (args: string[]) => cli(['snapshots', ...args]);

/** One run of the dataset's jobs, completed, and the snapshot of its mark (forecasts of SKU A). */
async function runAndSnapshot(store: Store, datasetId: string, batchId: string): Promise<Snapshot> {
  const { lastId } = await store.enqueue([newJob({ datasetId, sku: 'A' })], { batchId, reuse: false });
  for (const c of await store.claim({ workerId: 'w', limit: 10, leaseMs: 60_000 })) await store.complete(c, { ok: true });
  const mean = [1, 2, 3];
  const saved = await store.saveSnapshot({
    datasetId, mark: lastId!, cause: 'manual', historyEnd: '2024-04-01', forecastStart: '2024-05-01', forecastEnd: '2024-07-01',
    skuCount: 1, skusWithForecast: 1, portfolio: { wape: 10, bias: 0 },
  }, [{ sku: 'A', modelId: 'ets', selectedBy: 'metric', error: 1, dates: ['2024-05-01', '2024-06-01', '2024-07-01'],
    values: encodeSnapshotValues({ mean, lower80: mean, upper80: mean, lower95: null, upper95: null }) }]);
  return saved!;
}

describe('skucast snapshots', () => {
  it('lists a dataset\'s snapshots, deletes an older one, and refuses the newest or an unknown id with a clear message and exit 1', async () => {
    const store = await openSqliteStore(built.database);
    let older: Snapshot;
    let newer: Snapshot;
    try {
      await store.migrate();
      await bareDataset(store, 'weekly-sales');
      older = await runAndSnapshot(store, 'weekly-sales', 'first');
      newer = await runAndSnapshot(store, 'weekly-sales', 'second');
    } finally {
      await store.close();
    }

    const listed = run(['list', 'weekly-sales']);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('dataset weekly-sales (weekly-sales): 2 snapshots');
    const lines = listed.stdout.trim().split('\n').slice(1);
    expect(lines.map((l) => Number(l.trim().split(/\s+/)[0]))).toEqual([newer.id, older.id]);
    expect(lines[0]).toContain('(newest: kept)');

    const refused = run(['delete', 'weekly-sales', String(newer.id)]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^skucast: snapshot ${newer.id} is the newest of dataset 'weekly-sales' and is kept: it carries the dataset's snapshot mark`));

    const deleted = run(['delete', 'weekly-sales', String(older.id)]);
    expect(deleted.status, deleted.stderr).toBe(0);
    expect(deleted.stdout).toBe(`deleted snapshot ${older.id} of dataset weekly-sales (${(older.bytes / 1000).toFixed(1)} kB of forecasts)\n`);

    const again = run(['delete', 'weekly-sales', String(older.id)]);
    expect(again.status).toBe(1);
    // The dataset quoted as in the newest refusal and the HTTP answers (was: unquoted here and below).
    expect(again.stderr).toBe(`skucast: no snapshot ${older.id} of dataset 'weekly-sales' (skucast snapshots list weekly-sales)\n`);
    for (const command of ['accuracy', 'export']) {
      const gone = cli([command, 'weekly-sales', '--snapshot', String(older.id), ...(command === 'export' ? ['--out', '-'] : [])]);
      expect(gone.status, command).toBe(1);
      expect(gone.stderr, command).toContain(`no snapshot ${older.id} of dataset 'weekly-sales'`);
    }
    const unknownDataset = run(['delete', 'no-such-dataset', '1']);
    expect(unknownDataset.status).toBe(1);
    expect(unknownDataset.stderr).toContain("no dataset 'no-such-dataset'");
    // Not an id: a name, which no snapshot holds; 0 is an id, and refused as one.
    const notAnId = run(['delete', 'weekly-sales', 'abc']);
    expect(notAnId.status).toBe(1);
    expect(notAnId.stderr).toBe(`skucast: no snapshot named "abc" of dataset 'weekly-sales' (skucast snapshots list weekly-sales)\n`);
    const zero = run(['delete', 'weekly-sales', '0']);
    expect(zero.status).toBe(1);
    expect(zero.stderr).toContain('skucast snapshots delete --help');

    const after = run(['list', 'weekly-sales']);
    expect(after.stdout).toContain('1 snapshot,');
    expect(after.stdout).not.toMatch(new RegExp(`^\\s+${older.id}\\s`, 'm'));
  }, 60_000);

  it('names a snapshot (list shows it, --json answers {snapshot} as PATCH does), clears it, refuses a bad name or id, and delete says the name', async () => {
    const store = await openSqliteStore(built.database);
    let older: Snapshot;
    let newer: Snapshot;
    try {
      await store.migrate();
      await bareDataset(store, 'monthly-sales');
      older = await runAndSnapshot(store, 'monthly-sales', 'first');
      newer = await runAndSnapshot(store, 'monthly-sales', 'second');
    } finally {
      await store.close();
    }

    const named = run(['name', 'monthly-sales', String(older.id), '  S&OP Dec  ']);
    expect(named.status, named.stderr).toBe(0);
    expect(named.stdout).toBe(`named snapshot ${older.id} of dataset monthly-sales "S&OP Dec"\n`);
    const listed = run(['list', 'monthly-sales']).stdout.trim().split('\n').slice(1);
    expect(listed[1]).toMatch(new RegExp(`^\\s+${older.id}\\s.*  "S&OP Dec"$`));
    expect(listed[0]).not.toContain('"');
    expect(JSON.parse(run(['list', 'monthly-sales', '--json']).stdout).snapshots.map((s: Snapshot) => s.name)).toEqual([null, 'S&OP Dec']);

    const asJson = run(['name', 'monthly-sales', String(newer.id), 'Jan review', '--json']);
    expect(asJson.status, asJson.stderr).toBe(0);
    expect(JSON.parse(asJson.stdout)).toEqual({ snapshot: { ...newer, name: 'Jan review' } });
    const cleared = run(['name', 'monthly-sales', String(newer.id), '--clear', '--json']);
    expect(JSON.parse(cleared.stdout)).toEqual({ snapshot: { ...newer, name: null } });

    for (const args of [[String(newer.id), '   '], [String(newer.id), 'x'.repeat(121)], [String(newer.id)], [String(newer.id), 'both', '--clear']]) {
      const refused = run(['name', 'monthly-sales', ...args, '--json']);
      expect(refused.status, args.join(' ')).toBe(1);
      expect(JSON.parse(refused.stdout)).toMatchObject({ code: 'invalid_request', details: [{ path: 'name' }] });
    }
    // --json is read from the arguments before they are parsed (main.ts): an option refused answers in JSON too.
    const bogus = run(['name', 'monthly-sales', String(newer.id), 'x', '--json', '--bogus']);
    expect(bogus.status).toBe(1);
    expect(JSON.parse(bogus.stdout)).toEqual({ error: "unknown option '--bogus'", code: 'invalid_request', details: [] });
    const unknown = run(['name', 'monthly-sales', String(newer.id + 1000), 'x']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe(`skucast: no snapshot ${newer.id + 1000} of dataset 'monthly-sales' (skucast snapshots list monthly-sales)\n`);

    // A named snapshot is deleted like any other; the CLI says which it was.
    const deleted = run(['delete', 'monthly-sales', String(older.id)]);
    expect(deleted.status, deleted.stderr).toBe(0);
    expect(deleted.stdout).toBe(`deleted snapshot ${older.id} "S&OP Dec" of dataset monthly-sales (${(older.bytes / 1000).toFixed(1)} kB of forecasts)\n`);
  }, 60_000);

  it('finds a snapshot by name where it takes an id (accuracy and export --snapshot, snapshots name and delete), refuses a name another snapshot holds, and a name two old snapshots share', async () => {
    const store = await openSqliteStore(built.database);
    let first: Snapshot;
    let second: Snapshot;
    let third: Snapshot;
    try {
      await store.migrate();
      await bareDataset(store, 'named-sales');
      first = await runAndSnapshot(store, 'named-sales', 'first');
      second = await runAndSnapshot(store, 'named-sales', 'second');
      third = await runAndSnapshot(store, 'named-sales', 'third');
    } finally {
      await store.close();
    }
    expect(run(['name', 'named-sales', String(first.id), 'S&OP Dec']).status).toBe(0);

    // Taken, letter case and runs of spaces aside: exit 1 naming the snapshot that holds it; --json answers PATCH's 409.
    const taken = run(['name', 'named-sales', String(second.id), 's&op  dec']);
    expect(taken.status).toBe(1);
    const refusal = `snapshot ${first.id} of dataset 'named-sales' is named "S&OP Dec": a name is unique within a dataset (letter case and runs of spaces aside); rename or clear that one first, or choose another name`;
    expect(taken.stderr).toBe(`skucast: ${refusal}\n`);
    expect(JSON.parse(run(['name', 'named-sales', String(second.id), 'S&OP DEC', '--json']).stdout))
      .toEqual({ error: refusal, code: 'conflict_state', details: [{ path: 'name', message: refusal }], snapshotIds: [first.id] });
    const digits = run(['name', 'named-sales', String(second.id), '2024']);
    expect(digits.status).toBe(1);
    expect(digits.stderr).toContain('not digits alone');

    // accuracy and export --snapshot NAME: the snapshot of that name, as by its id.
    const byName = cli(['accuracy', 'named-sales', '--snapshot', 's&op dec', '--json']);
    expect(byName.status, byName.stderr).toBe(0);
    expect(JSON.parse(byName.stdout).snapshot).toMatchObject({ id: first.id, name: 'S&OP Dec' });
    expect(cli(['accuracy', 'named-sales', '--snapshot', 'S&OP Dec']).stdout).toContain(`snapshot ${first.id} of `);
    const exported = cli(['export', 'named-sales', '--snapshot', 'S&OP Dec', '--out', '-']);
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stdout).toBe(cli(['export', 'named-sales', '--snapshot', String(first.id), '--out', '-']).stdout);
    const unknown = cli(['accuracy', 'named-sales', '--snapshot', 'S&OP Jan', '--json']);
    expect(unknown.status).toBe(1);
    const missing = "no snapshot named \"S&OP Jan\" of dataset 'named-sales'";
    expect(JSON.parse(unknown.stdout)).toEqual({ error: missing, code: 'not_found', details: [{ path: 'snapshot', message: missing }] });
    expect(unknown.stderr).toBe(`skucast: ${missing}\n`);

    // snapshots name and delete take the name too: rename by name, delete by name.
    const renamed = run(['name', 'named-sales', 'S&OP DEC', 'S&OP Nov']);
    expect(renamed.status, renamed.stderr).toBe(0);
    expect(renamed.stdout).toBe(`named snapshot ${first.id} of dataset named-sales "S&OP Nov"\n`);
    const deleted = run(['delete', 'named-sales', 's&op nov']);
    expect(deleted.status, deleted.stderr).toBe(0);
    expect(deleted.stdout).toMatch(new RegExp(`^deleted snapshot ${first.id} "S&OP Nov" of dataset named-sales`));

    // Two snapshots named alike before names were unique: each still listed and found by id; by name, exit 1 listing their ids.
    const db = new Database(built.database);
    try {
      db.prepare('INSERT INTO snapshot_names (snapshot_id, name) VALUES (?, ?), (?, ?)').run(second.id, 'Q4', third.id, 'q4');
    } finally {
      db.close();
    }
    const ambiguous = `2 snapshots of dataset 'named-sales' are named "Q4" (${third.id}, ${second.id}): give the id`;
    for (const args of [['accuracy', 'named-sales', '--snapshot', 'Q4'], ['snapshots', 'delete', 'named-sales', 'Q4'], ['snapshots', 'name', 'named-sales', 'Q4', 'Other']]) {
      const res = cli([...args, '--json']);
      expect(res.status, args.join(' ')).toBe(1);
      expect(res.stderr, args.join(' ')).toContain(ambiguous);
      expect(JSON.parse(res.stdout), args.join(' ')).toMatchObject({ code: 'conflict_state', details: [{ path: args[0] === 'accuracy' ? 'snapshot' : 'snapshotId' }] });
    }
    expect(JSON.parse(run(['list', 'named-sales', '--json']).stdout).snapshots.map((s: Snapshot) => s.name)).toEqual(['q4', 'Q4']);
    expect(JSON.parse(cli(['accuracy', 'named-sales', '--snapshot', String(second.id), '--json']).stdout).snapshot.id).toBe(second.id);
  }, 60_000);
});
