/**
 * A BullMQ worker process for bench-queue's comparison: a no-op processor on Redis
 * 127.0.0.1:6379, BullMQ's default settings unless a concurrency is given.
 * Usage: node dist/bench/bullmq-worker.js <queueName> [concurrency]
 */
import { Worker } from 'bullmq';
import { loadIORedis, redisOptions } from './ioredis-client.js';

const [queueName, concurrency] = process.argv.slice(2);
if (!queueName) {
  console.error('usage: bullmq-worker.js <queueName> [concurrency]');
  process.exit(2);
}
const { Redis, why } = await loadIORedis();
if (!Redis) {
  console.error(why);
  process.exit(3);
}
// startedAtMonotonicMs as the no-op handler reports it, for bench-queue's pickup comparison.
const worker = new Worker(queueName, async () => ({ ok: true, startedAtMonotonicMs: Number(process.hrtime.bigint()) / 1e6 }), {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  connection: new Redis(redisOptions()) as any,
  ...(concurrency ? { concurrency: Number(concurrency) } : {}),
});
worker.on('error', (error) => console.error(`BullMQ worker: ${error.message}`));
await worker.waitUntilReady();
console.log('ready');
const stop = async () => {
  await worker.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
