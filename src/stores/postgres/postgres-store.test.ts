import { describe, it } from 'vitest';
import { describeStore, storeHarness } from '../../queue/testing/describe-store.js';
import { openPostgresStore } from './postgres-store.js';
import { createPostgresTestSchema, postgresTestUrl } from './postgres-test-schema.js';

/** The conformance suite on PostgreSQL, a fresh schema per case. PostgreSQL-only behaviour: postgres-specifics.test.ts, postgres-plans.test.ts, postgres-wakes.test.ts. */
const baseUrl = postgresTestUrl('PostgreSQL store conformance suite');

if (baseUrl) {
  describeStore('postgres', async ({ now }) => {
    const db = await createPostgresTestSchema(baseUrl, 'conf');
    return storeHarness(() => openPostgresStore(`${db.url}&connection_limit=4`, { now }), () => db.drop());
  });
} else {
  describe.skip('PostgreSQL store (DATABASE_URL not set)', () => {
    it('needs DATABASE_URL', () => undefined);
  });
}
