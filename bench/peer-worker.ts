/**
 * A worker process of a PostgreSQL peer queue for bench-queue's comparison: a no-op handler,
 * the peer's own settings except where the comparison needs ours (see peers-postgres.ts).
 * Usage: node dist/bench/peer-worker.js pg-boss|graphile-worker <url> <schema> <queue> <concurrency>
 * Prints `ready` once it is taking jobs; exits 0 on SIGTERM after stopping the peer.
 */
const [kind, url, schema, queue, concurrencyText] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
if (!kind || !url || !schema || !queue || !(concurrency >= 1)) {
  console.error('usage: peer-worker.js pg-boss|graphile-worker <url> <schema> <queue> <concurrency>');
  process.exit(2);
}

/** pg-boss fetches `batchSize` jobs per poll and hands them to one handler call (its fastest mode). */
export const pgBossBatch = 100;

let stop: () => Promise<void>;
if (kind === 'pg-boss') {
  const { default: PgBoss } = await import('pg-boss');
  const boss = new PgBoss({ connectionString: url, schema, supervise: false, schedule: false, migrate: false });
  boss.on('error', (error: Error) => console.error(`pg-boss: ${error.message}`));
  await boss.start();
  // pg-boss 10 has no per-worker concurrency: as many batch subscriptions as cover ours.
  const subscriptions = Math.max(1, Math.ceil(concurrency / pgBossBatch));
  for (let i = 0; i < subscriptions; i++) {
    await boss.work(queue, { batchSize: pgBossBatch, pollingIntervalSeconds: 0.5 }, async () => undefined);
  }
  stop = () => boss.stop({ graceful: false, wait: true, close: true });
} else if (kind === 'graphile-worker') {
  const { run, Logger } = await import('graphile-worker');
  const runner = await run({
    connectionString: url, schema, concurrency, noHandleSignals: true, pollInterval: 1_000,
    taskList: { [queue]: async () => undefined },
    logger: new Logger(() => (level, message) => { if (level === 'error') console.error(message); }),
  });
  stop = () => runner.stop();
} else {
  console.error(`unknown peer ${kind}`);
  process.exit(2);
}
console.log('ready');
process.on('SIGTERM', () => void stop().finally(() => process.exit(0)));
