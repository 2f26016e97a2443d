import type { ActiveJob } from './settler.js';

/**
 * The jobs a Runner holds, by dataset, so that "does a job of this dataset still run here?" (asked
 * at every settle, by run-worker's snapshot check) stops at the first running one instead of
 * scanning every held job: that scan was quadratic in a batch (256 settles over 512 held jobs
 * while the next claim's jobs start, about 2 us a job).
 *
 * A job is added when it is claimed and removed when the Runner lets it go. In between it runs
 * until its handler returns or it is let go (finishing / letGo, never undone); such entries are
 * dropped as a scan meets them.
 */
export class HeldByDataset {
  private readonly byDataset = new Map<string, Set<ActiveJob>>();

  add(active: ActiveJob): void {
    const datasetId = active.claimed.job.datasetId;
    if (datasetId === null) return;
    let jobs = this.byDataset.get(datasetId);
    if (!jobs) this.byDataset.set(datasetId, (jobs = new Set()));
    jobs.add(active);
  }

  remove(active: ActiveJob): void {
    const datasetId = active.claimed.job.datasetId;
    if (datasetId === null) return;
    const jobs = this.byDataset.get(datasetId);
    jobs?.delete(active); // (a scan may have dropped it already)
    if (jobs?.size === 0) this.byDataset.delete(datasetId);
  }

  /** Jobs of the dataset whose handler still runs (not finishing ones: their own onSettled follows). */
  running(datasetId: string): number {
    let n = 0;
    for (const a of this.stillRunning(datasetId)) if (a) n++;
    return n;
  }

  /** Whether a job of the dataset still runs: stops at the first one. */
  anyRunning(datasetId: string): boolean {
    for (const a of this.stillRunning(datasetId)) if (a) return true;
    return false;
  }

  private *stillRunning(datasetId: string): Generator<ActiveJob> {
    const jobs = this.byDataset.get(datasetId);
    if (!jobs) return;
    for (const a of jobs) {
      if (a.letGo || a.finishing) jobs.delete(a);
      else yield a;
    }
    if (jobs.size === 0) this.byDataset.delete(datasetId);
  }
}
