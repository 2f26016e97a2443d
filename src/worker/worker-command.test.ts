import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Store } from '../stores/store.js';

/**
 * workerCommand when startWorker throws after a signal came during the start: the stop's bound
 * (armStopBound, here a spy) must not stay armed, nor the handlers and the store stay open.
 */
const bound = vi.hoisted(() => ({ armed: 0, disarmed: 0 }));
const opened = vi.hoisted(() => ({ stores: [] as Array<{ closed: boolean }> }));
vi.mock('../stores/close-store-within.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../stores/close-store-within.js')>()),
  armStopBound: () => {
    bound.armed++;
    return () => void bound.disarmed++;
  },
}));
vi.mock('../stores/open-store.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../stores/open-store.js')>();
  return {
    ...actual,
    openStore: async (...args: Parameters<typeof actual.openStore>): Promise<Store> => {
      const store = await actual.openStore(...args);
      const seen = { closed: false };
      opened.stores.push(seen);
      const close = store.close.bind(store);
      store.close = async () => {
        seen.closed = true;
        await close();
      };
      return store;
    },
  };
});
vi.mock('./run-worker.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./run-worker.js')>()),
  startWorker: async () => {
    // A SIGTERM while the worker starts (its handler called, not the signal raised), then a failure.
    const handler = process.listeners('SIGTERM').at(-1) as (signal: NodeJS.Signals) => void;
    handler('SIGTERM');
    throw new Error('start failed');
  },
}));

const { workerCommand } = await import('./worker-command.js');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'skucast-worker-command-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('workerCommand', () => {
  it('rethrows a start that failed after a signal, with the bound disarmed, its handlers removed and the store closed', async () => {
    const before = { SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') };
    await expect(workerCommand({ databasePath: path.join(dir, 'jobs.db'), logLevel: 'silent', handler: 'noop' })).rejects.toThrow('start failed');
    expect(bound).toEqual({ armed: 1, disarmed: 1 });
    expect({ SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') }).toEqual(before);
    expect(opened.stores).toEqual([{ closed: true }]);
  });
});
