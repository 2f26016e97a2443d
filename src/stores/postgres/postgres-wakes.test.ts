import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { jobs, waitFor } from '../../queue/testing/store-fixtures.js';
import { postgresTestHarness } from './postgres-test-harness.js';
import { postgresTestUrl } from './postgres-test-schema.js';

/** LISTEN/NOTIFY on PostgreSQL: who is woken by a new job, targeted wakes, the LISTEN connection's recovery. */
const baseUrl = postgresTestUrl('PostgreSQL wakes');

if (baseUrl) {
  describe('PostgreSQL wakes', () => {
    const { cleanups, schema, open, admin } = postgresTestHarness(baseUrl);
    const terminate = (applicationName: string) =>
      admin((c) => c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationName]))
        .then((r) => r.rowCount ?? 0);

    it('LISTEN/NOTIFY wakes a store in another pool, for its own schema only', async () => {
      const db = await schema('listen');
      const elsewhere = await schema('listen_other');
      const [watcher, writer, stranger] = [await open(db.url), await open(db.url), await open(elsewhere.url)];
      await watcher.migrate();
      await stranger.migrate();
      const events: string[] = [];
      const unsubscribe = await watcher.watch((e) => events.push(e));
      cleanups.push(unsubscribe);
      // NOTIFYs reach a listener in commit order: once the writer's arrives, the stranger's would have.
      await stranger.enqueue(jobs(1), { batchId: 'other-schema' });
      await writer.enqueue(jobs(2), { batchId: 'wake' });
      await waitFor(() => events.length > 0, 5000, 'a jobs wake-up');
      expect(events).toEqual(['jobs']);
      const [running] = await writer.claim({ workerId: 'w', limit: 1, leaseMs: 60_000 });
      await writer.cancel({ ids: [running.jobId] });
      await waitFor(() => events.includes('cancel'), 5000, 'a cancel wake-up');
    });

    it('one new job wakes one of several listening processes, in turn; a named one that will not claim passes it on to all', async () => {
      const db = await schema('targeted');
      const writer = await open(db.url);
      await writer.migrate();
      const watchers = [await open(db.url), await open(db.url), await open(db.url)];
      const woken = watchers.map(() => 0);
      let claiming = true;
      for (const [i, w] of watchers.entries()) {
        cleanups.push(await w.watch((e) => {
          if (e === 'jobs') woken[i]++;
          return claiming;
        }));
      }
      // NOTIFYs reach each listener in commit order: once a batch of 3 (enough for everyone, so
      // everyone is woken) has arrived everywhere, every earlier single-job wake has too.
      const fence = async (expected: number) => {
        await writer.enqueue(jobs(3), { batchId: `fence-${expected}` });
        await waitFor(() => woken.reduce((a, b) => a + b, 0) === expected, 5000, `${expected} wakes`);
      };
      for (let i = 0; i < 3; i++) await writer.enqueue(jobs(1), { batchId: `one-${i}` });
      await fence(3 + 3);
      // each single job woke exactly one process, and round robin gave each its turn
      expect(woken).toEqual([2, 2, 2]);
      claiming = false; // every process busy: the named one wakes the others
      woken.fill(0);
      await writer.enqueue(jobs(1), { batchId: 'passed-on' });
      // the named one, then all three
      await waitFor(() => woken.reduce((a, b) => a + b, 0) === 4, 5000, 'the wake passed on to everyone');
      expect([...woken].sort()).toEqual([1, 1, 2]);
    });

    it('a targeted wake is sent to the named process alone: nothing goes out on the channel every process listens to', async () => {
      const db = await schema('own_channel');
      const writer = await open(db.url);
      await writer.migrate();
      const watchers = [await open(db.url), await open(db.url), await open(db.url)];
      const woken = watchers.map(() => 0);
      for (const [i, w] of watchers.entries()) {
        cleanups.push(await w.watch((e) => {
          if (e === 'jobs') woken[i]++;
          return true;
        }));
      }
      // What every listening process of the database gets on the shared channel about this schema.
      // The channel is database-wide: other test files' schemas (in parallel) send their plain
      // wakes on it too, so only this schema's payloads ('<schema>' or '<schema>:<pids>') count.
      const shared: string[] = [];
      const fence = `fence:${db.schema}`;
      const bystander = new pg.Client({ connectionString: baseUrl });
      bystander.on('error', () => undefined);
      await bystander.connect();
      cleanups.push(() => bystander.end());
      bystander.on('notification', (m) => {
        const payload = m.payload ?? '';
        if (payload === fence || payload === db.schema || payload.startsWith(`${db.schema}:`)) shared.push(payload);
      });
      await bystander.query('LISTEN skucast_jobs');
      // as another schema's enqueue would send it, while this test runs
      await admin((c) => c.query("SELECT pg_notify('skucast_jobs', $1)", [`${db.schema}_elsewhere`]));
      for (let i = 0; i < 3; i++) await writer.enqueue(jobs(1), { batchId: `one-${i}` });
      await waitFor(() => woken.reduce((a, b) => a + b, 0) === 3, 5000, 'three single-job wakes');
      expect([...woken].sort()).toEqual([1, 1, 1]);
      // Notifications arrive in commit order: once this one is in, the three wakes' would have been.
      await admin((c) => c.query("SELECT pg_notify('skucast_jobs', $1)", [fence]));
      await waitFor(() => shared.includes(fence), 5000, 'the fence notification');
      expect(shared).toEqual([fence]); // before 018: three '<schema>:<pid>' payloads every process read
    });

    it('a listener is named only once it listens: single jobs enqueued while its LISTEN is on its way wake a process that listens', async () => {
      const db = await schema('listen_first');
      const writer = await open(db.url);
      await writer.migrate();
      const woken = [0, 0];
      const early = await open(db.url);
      cleanups.push(await early.watch((e) => {
        if (e === 'jobs') woken[0]++;
        return true;
      }));
      // Hold the second store's LISTEN statement until the test lets it go: its connection is
      // up (the server lists it) but it does not listen yet, the window a wake could fall into.
      const query = pg.Client.prototype.query;
      cleanups.push(async () => {
        pg.Client.prototype.query = query;
      });
      let reached!: () => void;
      let release!: () => void;
      const atListen = new Promise<void>((resolve) => { reached = resolve; });
      const gate = new Promise<void>((resolve) => { release = resolve; });
      pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
        if (typeof args[0] === 'string' && args[0].startsWith('LISTEN')) {
          pg.Client.prototype.query = query;
          reached();
          return gate.then(() => (query as (...a: unknown[]) => unknown).apply(this, args));
        }
        return (query as (...a: unknown[]) => unknown).apply(this, args);
      } as typeof query;
      const late = await open(db.url);
      const watching = late.watch((e) => {
        if (e === 'jobs') woken[1]++;
        return true;
      });
      await atListen;
      // Two single jobs: round robin over two named listeners would name each once.
      for (let i = 0; i < 2; i++) await writer.enqueue(jobs(1), { batchId: `window-${i}` });
      release();
      cleanups.push(await watching);
      await writer.enqueue(jobs(3), { batchId: 'fence' }); // as many as listeners: everyone is woken
      await waitFor(() => woken[0] + woken[1] === 4, 5000, 'a wake for each job of the window, and the fence');
      expect(woken).toEqual([3, 1]);
    });

    it('a targeted wake names only listeners of this database: a same-named LISTEN connection on another database of the server is not one', async () => {
      const db = await schema('wake_db');
      const writer = await open(db.url);
      await writer.migrate();
      const watcher = await open(db.url);
      let woken = 0;
      cleanups.push(await watcher.watch((e) => {
        if (e === 'jobs') woken++;
        return true;
      }));
      // Two stores of the same schema name on another database of the server (staging beside
      // production): pg_stat_activity lists them too, but a NOTIFY never crosses databases.
      for (let i = 0; i < 2; i++) {
        const other = new URL(baseUrl);
        other.pathname = '/postgres';
        const client = new pg.Client({ connectionString: other.href, application_name: `skucast-listen:${db.schema}` });
        client.on('error', () => undefined);
        await client.connect();
        cleanups.push(() => client.end());
      }
      for (let i = 0; i < 3; i++) await writer.enqueue(jobs(1), { batchId: `one-${i}` });
      await writer.enqueue(jobs(3), { batchId: 'fence' }); // arrives after the three above
      // each single job wakes the only listener of this database (before: 2 in 3 named a pid elsewhere and were lost)
      await waitFor(() => woken === 4, 5000, 'every job to wake the one listener');
    });

    it('the LISTEN connection comes back by itself after it is killed, and wakes its watchers', async () => {
      const db = await schema('relisten');
      const [watcher, writer] = [await open(db.url), await open(db.url)];
      await watcher.migrate();
      const events: string[] = [];
      cleanups.push(await watcher.watch((e) => events.push(e)));
      expect(await terminate(`skucast-listen:${db.schema}`)).toBe(1);
      // nothing can be known about what was missed: both kinds of wake-up, then listening again
      await waitFor(() => events.includes('jobs') && events.includes('cancel'), 5000, 'the wake-up after reconnecting');
      events.length = 0;
      await writer.enqueue(jobs(1), { batchId: 'after-reconnect' });
      await waitFor(() => events.includes('jobs'), 5000, 'a wake-up on the new connection');
    });
  });
} else {
  describe.skip('PostgreSQL wakes (DATABASE_URL not set)', () => {
    it('needs DATABASE_URL', () => undefined);
  });
}
