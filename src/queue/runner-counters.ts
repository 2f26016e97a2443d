/** What a worker counts, sent with its heartbeat for /metrics (WorkerInfo.counters). */
export const counterNames = [
  'claimed', 'completed', 'failed', 'retried', 'fenced', 'rescued', 'released', 'cancelled', 'renewed',
  'settleRetries', // final writes the database refused and the runner tried again
  'timedOut', // attempts stopped by their run timeout (then failed or retried like any error)
] as const;
export type RunnerCounters = Record<(typeof counterNames)[number], number>;
