import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { completeAllJobs } from '../../src/datasets/testing/complete-jobs.js';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';
import { openApiTestApp } from '../support/api-test-app.js';
import { useBuiltCli } from '../support/built-cli.js';
import { pollUntil } from '../support/skucast-process.js';

/**
 * `--json` as a script uses it: the built CLI (npm run build:server) on a SQLite file, each answer
 * one JSON object on stdout with the HTTP route's keys, each refusal the route's error body and exit 1.
 */
const built = useBuiltCli('skucast-cli-json-');
const cli = (args: string[]) => built.run(args);

/** stdout as the one JSON object it must be: a second line or a stray word fails here. */
function answer(r: { stdout: string }): Record<string, unknown> {
  const lines = r.stdout.split('\n').filter(Boolean);
  expect(lines, r.stdout).toHaveLength(1);
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

function file(name: string, text: string): string {
  const at = path.join(built.dir, name);
  writeFileSync(at, text);
  return at;
}

let history = 'sku,date,sales\n';
for (const sku of ['A', 'B']) for (let m = 0; m < 24; m++) history += `${sku},${2022 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01,${sku === 'A' ? 100 : 40}\n`;

describe('skucast --json', () => {
  it('import, actuals, snapshots and accuracy answer with the routes\' keys; refusals with their error bodies and exit 1', async () => {
    // The same file over HTTP: the CLI's keys must be the route's.
    const http = await openApiTestApp();
    let routeImport: Record<string, unknown>;
    let routeActuals: Record<string, unknown>;
    try {
      const posted = await http.app.inject({ method: 'POST', url: '/api/datasets?models=naive', headers: { 'content-type': 'text/csv' }, payload: history });
      expect(posted.statusCode).toBe(201);
      routeImport = posted.json();
      await completeAllJobs(http.store);
      const appended = await http.app.inject({ method: 'POST', url: `/api/datasets/${routeImport.datasetId as string}/actuals`, headers: { 'content-type': 'text/csv' }, payload: 'sku,date,sales\nA,2024-01-01,90\nB,2024-01-01,50\n' });
      expect(appended.statusCode).toBe(200);
      routeActuals = appended.json();
    } finally {
      await http.close();
    }

    const imported = cli(['import', file('shop.csv', history), '--models', 'naive', '--name', 'shop', '--json']);
    expect(imported.status, imported.stderr).toBe(0);
    const importJson = answer(imported);
    expect(Object.keys(importJson).sort()).toEqual(Object.keys(routeImport).sort());
    expect(importJson).toMatchObject({ datasetId: expect.any(String), jobsCreated: 2, report: { skus: 2, rows: 48, frequency: 'monthly' } });
    expect(typeof importJson.batchId).toBe('string');

    // A refused file: the route's 400 body on stdout, the one error line on stderr, nothing stored.
    const refused = cli(['import', file('bad.csv', 'sku,date,sales\nA,2024-01-01,1\n'), '--models', 'naive', '--horizon', '2', '--json']);
    expect(refused.status).toBe(1);
    const refusal = answer(refused);
    expect(refusal).toMatchObject({ error: expect.any(String), details: expect.arrayContaining([expect.objectContaining({ path: expect.any(String) })]) });
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/^skucast import: /);

    const store = await openSqliteStore(built.database);
    try {
      expect((await store.listDatasets()).map((d) => d.name)).toEqual(['shop']);
      await completeAllJobs(store);
    } finally {
      await store.close();
    }

    const appended = cli(['actuals', 'shop', file('jan.csv', 'sku,date,sales\nA,2024-01-01,90\nB,2024-01-01,50\n'), '--json']);
    expect(appended.status, appended.stderr).toBe(0);
    const actualsJson = answer(appended);
    expect(Object.keys(actualsJson).sort()).toEqual(Object.keys(routeActuals).sort());
    expect(actualsJson).toMatchObject({ skusChanged: 2, periodsAdded: 2, lastDate: '2024-01-01', jobsCreated: 2 });

    const listed = cli(['snapshots', 'list', 'shop', '--json']);
    expect(listed.status, listed.stderr).toBe(0);
    const snapshots = answer(listed).snapshots as Array<{ id: number; skuCount: number }>;
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0].skuCount).toBe(2);

    // naive forecast A 100 and B 40 for January; the actuals 90 and 50: WAPE 20 / 140.
    const scored = cli(['accuracy', 'shop', '--json']);
    expect(scored.status, scored.stderr).toBe(0);
    const accuracy = answer(scored) as { snapshot: { id: number }; portfolio: { wape: number; points: number }; items: unknown[] };
    expect(accuracy.snapshot.id).toBe(snapshots[0].id);
    expect(accuracy.portfolio.points).toBe(2);
    expect(accuracy.portfolio.wape).toBeCloseTo((20 / 140) * 100, 2);
    expect(accuracy.items).toHaveLength(2);

    // Refusals name the field the route's would: the newest snapshot, an unknown one, a bad --by.
    const newest = cli(['snapshots', 'delete', 'shop', String(snapshots[0].id), '--json']);
    expect(newest.status).toBe(1);
    expect(answer(newest)).toMatchObject({ code: 'conflict_state', details: [{ path: 'snapshotId' }] });
    expect(newest.stderr).toMatch(/^skucast: .*newest/);
    const unknown = cli(['accuracy', 'shop', '--snapshot', '999', '--json']);
    expect(unknown.status).toBe(1);
    const missing = `no snapshot 999 of dataset '${importJson.datasetId as string}'`;
    expect(answer(unknown)).toEqual({ error: missing, code: 'not_found', details: [{ path: 'snapshot', message: missing }] });
    const badBy = cli(['accuracy', 'shop', '--by', 'colour', '--json']);
    expect(badBy.status).toBe(1);
    expect(answer(badBy)).toMatchObject({ code: 'invalid_request', details: [expect.objectContaining({ path: 'by' })] });
    // Any other failure: its message as the error body, exit 1.
    const noDataset = cli(['snapshots', 'list', 'nope', '--json']);
    expect(noDataset.status).toBe(1);
    expect(answer(noDataset)).toMatchObject({ error: expect.stringContaining('nope'), code: 'not_found', details: [{ path: 'dataset' }] });
    // stdout cannot be both the CSV and the JSON.
    const both = cli(['accuracy', 'shop', '--json', '--out', '-']);
    expect(both.status).toBe(1);
    expect(answer(both).error).toMatch(/--out - makes stdout the CSV alone/);
    // Without --json the lines for people are as they were: no JSON on stdout.
    const lines = cli(['snapshots', 'list', 'shop']);
    expect(lines.status, lines.stderr).toBe(0);
    expect(lines.stdout).toMatch(/^dataset \S+ \(shop\): 1 snapshot/);
  });

  it('answers in JSON before the action too (a bad option, a bad variable, no database), and a watch stopped by SIGINT still prints the answer', async () => {
    const bogus = cli(['import', file('x.csv', history), '--json', '--bogus']);
    expect(bogus.status).toBe(1);
    expect(answer(bogus)).toEqual({ error: "unknown option '--bogus'", code: 'invalid_request', details: [] });
    // A command that takes no --json refuses it in words, not as a JSON answer it never gives.
    const exported = cli(['export', 'shop', '--out', '-', '--json']);
    expect(exported.status).toBe(1);
    expect(exported.stdout).toBe('');
    expect(exported.stderr).toMatch(/unknown option '--json'/);
    const badValue = cli(['import', file('x.csv', history), '--json', '--max-rejected', 'abc']);
    expect(badValue.status).toBe(1);
    expect(answer(badValue).error).toMatch(/--max-rejected/);
    const none = cli(['snapshots', 'list', 'shop', '--json', '--database-path', path.join(built.dir, 'no-such.db')]);
    expect(none.status).toBe(1);
    expect(answer(none).error).toMatch(/no SQLite database at/);
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: built.database, LOG_LEVEL: 'loud' };
    delete env.DATABASE_URL;
    const badVariable = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, ['server.js', 'snapshots', 'list', 'shop', '--json'], { cwd: built.root, env });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += String(d)));
      child.on('close', (status) => resolve({ status, stdout }));
    });
    expect(badVariable.status).toBe(1);
    expect(answer(badVariable).error).toMatch(/LOG_LEVEL/);

    // No worker runs here: --watch waits until the signal, then the answer comes with watch.interrupted.
    // Other sales than shop's: its jobs would be reused, already completed, and the watch over at once.
    const child = spawn(process.execPath, ['server.js', 'import', file('w.csv', history.replace(/,100\n/g, ',101\n')), '--models', 'naive', '--name', 'watched', '--watch', '--json'],
      { cwd: built.root, env: { ...env, LOG_LEVEL: 'warn' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = once(child, 'close');
    await pollUntil('the watch to start', async () => stderr.includes('jobs') || undefined, 30_000, 50);
    child.kill('SIGINT');
    const [status] = await exited;
    expect(status, stderr).toBe(130);
    expect(answer({ stdout })).toMatchObject({ datasetId: expect.stringMatching(/^ds_/), jobsCreated: 2, watch: { interrupted: true } });
  });
});
