import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStore } from '../../queue/testing/describe-store.js';
import type { Store } from '../store.js';
import { openSqliteStore } from './sqlite-store.js';

describeStore('sqlite', async ({ now }) => {
  const dir = mkdtempSync(join(tmpdir(), 'skucast-store-'));
  const path = join(dir, 'jobs.db');
  const opened: Store[] = [];
  const open = async () => {
    const store = await openSqliteStore(path, { now });
    opened.push(store);
    await store.migrate();
    return store;
  };
  const store = await open();
  return {
    store,
    openAnother: open,
    async cleanup() {
      for (const s of opened) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
