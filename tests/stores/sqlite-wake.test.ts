/**
 * Another process's enqueue wakes a SQLite watcher through the -wal file's write event, not the
 * poll: here no poll can fire (setInterval frozen, backstop an hour), so only the event can wake
 * it. The child runs the compiled store from dist/ (tests/support/global-setup.ts builds it).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';
import type { Store } from '../../src/stores/store.js';

const root = new URL('../../', import.meta.url).pathname;
const storeModule = pathToFileURL(join(root, 'dist/src/stores/sqlite/sqlite-store.js')).href;

const child = `
const [path] = process.argv.slice(1);
const { openSqliteStore } = await import(${JSON.stringify(storeModule)});
const store = await openSqliteStore(path);
await store.enqueue([{ datasetId: 'w', sku: 'from-another-process', modelId: 'ets', method: 'grid', reason: 'manual_trigger', priority: 1 }], { batchId: 'other' });
await store.close();
`;

function enqueueFromAnotherProcess(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', child, path], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 30_000, // a stuck child is killed, never left running
    });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

describe('SQLite wake across processes', () => {
  let dir = '';
  let store: Store | null = null;
  afterEach(async () => {
    vi.useRealTimers();
    await store?.close();
    store = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("another process's enqueue wakes an idle watcher by the -wal file's event, with no poll running", async () => {
    dir = mkdtempSync(join(tmpdir(), 'skucast-wake-'));
    const path = join(dir, 'queue.db');
    store = await openSqliteStore(path, { commitWatch: { pollMs: 3_600_000 } });
    await store.migrate();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let woken!: () => void;
    const wake = new Promise<void>((resolve) => (woken = resolve));
    const stop = await store.watch((event) => { if (event === 'jobs') woken(); });
    await enqueueFromAnotherProcess(path);
    await wake;
    expect((await store.listJobs({ limit: 5 })).jobs.map((j) => j.sku)).toEqual(['from-another-process']);
    await stop();
  }, 40_000);
});
