import { describe, it } from 'vitest';
import { describeStore } from '../../queue/testing/describe-store.js';
import type { Store } from '../store.js';
import { openPostgresStore } from './postgres-store.js';
import { createPostgresTestSchema, postgresTestUrl } from './postgres-test-schema.js';

/** The conformance suite on PostgreSQL, a fresh schema per case. PostgreSQL-only behaviour: postgres-specifics.test.ts. */
const baseUrl = postgresTestUrl('PostgreSQL store conformance suite');

if (baseUrl) {
  describeStore('postgres', async ({ now }) => {
    const db = await createPostgresTestSchema(baseUrl, 'conf');
    const opened: Store[] = [];
    const open = async () => {
      const store = await openPostgresStore(`${db.url}&connection_limit=4`, { now });
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
        await db.drop();
      },
    };
  });
} else {
  describe.skip('PostgreSQL store (DATABASE_URL not set)', () => {
    it('needs DATABASE_URL', () => undefined);
  });
}
