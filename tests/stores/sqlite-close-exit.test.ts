/**
 * A process that closes its SQLite store while finished jobs' completes wait (on a timer) for a
 * write lock another process holds: close writes them and cancels the timer, and the process goes
 * on as usual (its later setImmediate runs) and exits by itself. Runs the compiled store from dist/
 * in a child process (tests/support/global-setup.ts builds it): how a process ends is only seen
 * from outside it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const storeModule = pathToFileURL(join(root, 'dist/src/stores/sqlite/sqlite-store.js')).href;
const holderModule = pathToFileURL(join(root, 'dist/src/stores/sqlite/sqlite-lock-holder.js')).href;

const child = `
const [path] = process.argv.slice(1);
const { openSqliteStore } = await import(${JSON.stringify(storeModule)});
const { holdWriteLock } = await import(${JSON.stringify(holderModule)});
const store = await openSqliteStore(path);
await store.migrate();
await store.enqueue([{ datasetId: 'd', sku: 'A', modelId: 'ets', method: 'grid', reason: 'manual_trigger', priority: 1 }], { batchId: 'b' });
const [lease] = await store.claim({ workerId: 'w', limit: 1, leaseMs: 30000 });
const holder = await holdWriteLock(path, { holdMs: 300 });
const answer = store.complete(lease, { ok: true });
await new Promise((resolve) => setTimeout(resolve, 50)); // the batch met the lock: it waits on a timer
await store.close();
process.stdout.write(JSON.stringify({ completed: await answer }) + '\\n');
await holder.released;
await new Promise((resolve) => setImmediate(resolve)); // whatever runs after the close (a logger's flush)
`;

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('closing a SQLite store while completes wait for the lock', () => {
  it('writes them and lets the process exit by itself', async () => {
    dir = mkdtempSync(join(tmpdir(), 'skucast-close-exit-'));
    const proc = spawn(process.execPath, ['--input-type=module', '-e', child, join(dir, 'jobs.db')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (err += d));
    const exited = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        resolve('still running after 10 s');
      }, 10_000);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code ?? 'killed');
      });
    });
    expect(out.trim(), err).toBe(JSON.stringify({ completed: true }));
    expect(exited, err).toBe(0);
  }, 20_000);
});
