import type { QueueStore } from './queue-store.js';
import type { QueueLogger } from './queue-logger.js';
import type { RunnerCounters } from './runner-counters.js';
import type { ActiveJob } from './settler.js';

export interface ExplainLossOptions {
  store: QueueStore;
  logger: QueueLogger;
  workerId: string;
  counters: RunnerCounters;
}

/**
 * A held job whose lease is gone was already stopped; this finds out why, for the log: `cancel`
 * when the job was cancelled, `fenced` for anything else (rescued, taken, deleted).
 */
export async function explainLoss(o: ExplainLossOptions, active: ActiveJob): Promise<void> {
  const { job } = active.claimed;
  let status: string | null = null;
  try {
    status = (await o.store.getJob(job.id))?.status ?? null;
  } catch {
    status = null;
  }
  if (status === 'cancelled') {
    o.counters.cancelled++;
    o.logger.info({ event: 'cancel', jobId: job.id, sku: job.sku, modelId: job.modelId, workerId: o.workerId },
      `Worker: Job ${job.id} was cancelled; stopped its run`);
  } else {
    o.counters.fenced++;
    o.logger.warn({ event: 'fenced', jobId: job.id, status, workerId: o.workerId },
      `Worker: Fenced: job ${job.id} lost its lease (now ${status ?? 'deleted'}); stopped its run, writing nothing`);
  }
}
