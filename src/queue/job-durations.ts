/**
 * How long job attempts ran, by model and outcome: a histogram the store keeps as attempts end
 * (a trigger on the job table), so every API instance reads the same numbers and they only ever
 * grow: pruning finished jobs, or resetting the queue, takes nothing away from it.
 *
 * An attempt counts when a running job becomes completed, failed (by its worker or by rescue once
 * its attempts are used up) or cancelled, its duration finishedAt - startedAt; or when it goes
 * back to pending with the attempt kept, retried by its worker or rescued with attempts left
 * (outcome 'retried', up to that moment). Results reused at enqueue never ran and are not
 * counted; a release (graceful shutdown) gives the attempt back and is not counted either.
 */
export type JobOutcome = 'completed' | 'failed' | 'cancelled' | 'retried';

export interface JobDurationSeries {
  modelId: string;
  outcome: JobOutcome;
  /** Attempts per bucket, NOT cumulative: counts[i] ran at most boundsMs[i] and more than boundsMs[i-1]; the last one above every bound. */
  counts: number[];
  sumMs: number;
}

export interface JobDurations {
  /** Upper bounds of the buckets in ms, ascending (the store's own; a +Inf bucket follows). */
  boundsMs: number[];
  series: JobDurationSeries[];
}

/** Rows as both adapters read them: one per (model, outcome, bucket) with attempts. */
export interface JobDurationRow {
  model_id: string;
  outcome: string;
  bucket: number;
  n: number;
  sum_ms: number;
}

export function jobDurationsFromRows(boundsMs: number[], rows: JobDurationRow[]): JobDurations {
  const series = new Map<string, JobDurationSeries>();
  for (const row of rows) {
    const key = `${row.model_id}\u0000${row.outcome}`;
    let s = series.get(key);
    if (!s) {
      s = { modelId: row.model_id, outcome: row.outcome as JobOutcome, counts: new Array<number>(boundsMs.length + 1).fill(0), sumMs: 0 };
      series.set(key, s);
    }
    s.counts[Math.min(Number(row.bucket), boundsMs.length)] += Number(row.n);
    s.sumMs += Number(row.sum_ms);
  }
  return {
    boundsMs,
    series: [...series.values()].sort((a, b) => a.modelId.localeCompare(b.modelId) || a.outcome.localeCompare(b.outcome)),
  };
}
