/**
 * A process whose store started its checkpoint thread ends normally after `await store.close()`.
 * The thread is unreferenced while it runs (it must not keep a finished process alive); the close
 * awaits its exit, and if nothing else kept the loop alive that await alone once ended the process
 * early, with exit code 13 and the rest of the script not run. Runs the compiled store from dist/
 * (tests/support/global-setup.ts builds it).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const storeModule = pathToFileURL(join(root, 'dist/src/stores/sqlite/sqlite-store.js')).href;

const child = `
const [path] = process.argv.slice(1);
const { openSqliteStore } = await import(${JSON.stringify(storeModule)});
let started;
const checkpointed = new Promise((resolve) => { started = resolve; });
// everyCommits 1: the migration's commit asks for a checkpoint, which starts the thread.
const store = await openSqliteStore(path, { checkpoints: { everyCommits: 1, onCheckpoint: () => started() } });
await store.migrate();
await checkpointed;
const jobs = Array.from({ length: 3000 }, (_, i) => ({
  datasetId: 'ct', sku: 'sku-' + i, modelId: 'ets', method: 'grid', reason: 'manual_trigger', priority: 1,
}));
await store.enqueue(jobs, { batchId: 'ct' });
await store.close();
console.log('closed');
`;

describe('the SQLite checkpoint thread and the end of a process', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a process that closes its store after the thread started runs to its end, with its commits in the file', { timeout: 60_000 }, () => {
    dir = mkdtempSync(join(tmpdir(), 'skucast-checkpoint-thread-'));
    const path = join(dir, 'jobs.db');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', child, path], { encoding: 'utf8', timeout: 50_000 });
    expect(run.stderr).not.toMatch(/Error|Warning/); // a broken thread warns (it once could not load under --input-type=module)
    expect(run.stdout.trim()).toBe('closed');
    expect(run.status).toBe(0);
    const db = new Database(path, { readonly: true });
    try {
      expect((db.prepare('SELECT count(*) AS n FROM jobs').get() as { n: number }).n).toBe(3000);
    } finally {
      db.close();
    }
  });
});
