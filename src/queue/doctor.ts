import type { CountDrift, QueueStore } from './queue-store.js';

/**
 * The doctor: checks what the queue keeps on the side and repairs it. Today, the summary
 * counters: recounted from the rows, each status that had drifted reported (and fixed). Run by
 * `skucast doctor` and after every `skucast migrate`.
 */
export interface DoctorReport {
  drift: CountDrift[];
}

export async function runDoctor(store: QueueStore): Promise<DoctorReport> {
  return { drift: await store.recount() };
}

/** One line per finding, for a terminal and a log. */
export function doctorLines(report: DoctorReport): string[] {
  if (report.drift.length === 0) return ['counters: exact'];
  return report.drift.map((d) =>
    `counters: ${d.status} said ${d.counted}, there are ${d.actual} (${d.actual - d.counted >= 0 ? '+' : ''}${d.actual - d.counted}); recounted`);
}
