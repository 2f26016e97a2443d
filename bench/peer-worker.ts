/**
 * A worker process of a PostgreSQL peer queue for bench-queue's comparison: a no-op handler,
 * the peer's own settings except where the comparison needs ours (see peers-postgres.ts).
 * Usage: node dist/bench/peer-worker.js pg-boss|graphile-worker <url> <schema> <queue> <concurrency>
 * Prints `ready` once it is taking jobs; exits 0 on SIGTERM after stopping the peer.
 */
import { peerSettings, pgBossSubscriptions } from './peer-settings.js';

const [kind, url, schema, queue, concurrencyText] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
if (!kind || !url || !schema || !queue || !(concurrency >= 1)) {
  console.error('usage: peer-worker.js pg-boss|graphile-worker <url> <schema> <queue> <concurrency>');
  process.exit(2);
}

const { batchSize: pgBossBatch, pollingIntervalSeconds } = peerSettings.pgBoss;
const { localQueue, maxPoolSize, batchDelayMs } = peerSettings.graphile;

let stop: () => Promise<void>;
if (kind === 'pg-boss') {
  const { default: PgBoss } = await import('pg-boss');
  const boss = new PgBoss({ connectionString: url, schema, supervise: false, schedule: false, migrate: false });
  boss.on('error', (error: Error) => console.error(`pg-boss: ${error.message}`));
  await boss.start();
  const subscriptions = pgBossSubscriptions(concurrency);
  for (let i = 0; i < subscriptions; i++) {
    let id = ''; // the first batch may come before work() has returned its id: that one waits its poll
    id = await boss.work(queue, { batchSize: pgBossBatch, pollingIntervalSeconds }, async (jobs: unknown[]) => {
      // A full batch means more are waiting: fetch again at once rather than wait out the poll
      // (notifyWorker is pg-boss's documented way to skip its interval).
      if (jobs.length === pgBossBatch && id) boss.notifyWorker(id);
    });
  }
  stop = () => boss.stop({ graceful: false, wait: true, close: true });
} else if (kind === 'graphile-worker') {
  const { run, Logger } = await import('graphile-worker');
  const runner = await run({
    connectionString: url, schema, concurrency, noHandleSignals: true, pollInterval: 1_000, maxPoolSize,
    taskList: { [queue]: async () => undefined },
    // Its warnings too (one about its pool size went unseen before).
    logger: new Logger(() => (level, message) => { if (level === 'error' || level === 'warning') console.error(message); }),
    preset: { worker: { localQueue: { size: localQueue }, completeJobBatchDelay: batchDelayMs, failJobBatchDelay: batchDelayMs } },
  });
  stop = () => runner.stop();
} else {
  console.error(`unknown peer ${kind}`);
  process.exit(2);
}
console.log('ready');
process.on('SIGTERM', () => void stop().finally(() => process.exit(0)));
