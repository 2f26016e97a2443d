/**
 * The PostgreSQL peers' settings in bench-queue's comparison (peer-worker.ts runs them), measured
 * on this bench's 20,000 no-op jobs, 2 processes at concurrency 256 (docs/queue-measurements.md, "The
 * PostgreSQL peers in their fastest modes").
 * - graphile-worker: its documented batching (localQueue, completeJobBatchDelay), which it calls
 *   its way to "massively improve throughput": 30.4 s without, 1.4-1.7 s with (localQueue 256,
 *   500 and 1,000; the largest was fastest and is kept). Its pool stays at its default 10: its
 *   advice of concurrency + 2 would be 516 connections for two processes, past the server's 100.
 * - pg-boss: batch mode at about our concurrency (100 jobs x 3 subscriptions per process: 300
 *   in flight against our 256, a little in its favour). Its worker waits out its polling interval
 *   (0.5 s at least) after every fetch unless told otherwise; the handler calls notifyWorker on a
 *   full batch, pg-boss's documented way to fetch again at once: 3,336-3,487 jobs/s, against
 *   1,140 without (its ceiling there: 2 x 3 x 100 per 0.5 s = 1,200). With one fetch of the whole queue per process
 *   (batch 10,000: concurrency 10,000) it drained 12,200 jobs/s; not the same concurrency.
 */
export const peerSettings = {
  pgBoss: {
    /** Jobs per fetch, handed to one handler call (pg-boss's batch mode). */
    batchSize: 100,
    /** Polling interval in seconds: pg-boss's minimum. */
    pollingIntervalSeconds: 0.5,
  },
  graphile: {
    /** localQueue.size: jobs fetched (and locked) per query, served to its workers from memory. */
    localQueue: 1000,
    /** Pool connections per process (its default). */
    maxPoolSize: 10,
    /** completeJobBatchDelay and failJobBatchDelay, ms: 0 batches the completions of one loop turn. */
    batchDelayMs: 0,
  },
};

/** pg-boss 10 has no per-worker concurrency: as many batch subscriptions per process as cover ours. */
export const pgBossSubscriptions = (concurrency: number): number => Math.max(1, Math.ceil(concurrency / peerSettings.pgBoss.batchSize));
