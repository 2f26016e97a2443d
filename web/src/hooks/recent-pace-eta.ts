import type { JobSummary } from '../api/types.js';

/** One observation of the queue: when, and how many jobs' worth of work was done by then. */
export interface PaceSample {
  at: number;
  done: number;
}

/** The pace is measured over this much of the recent past: long enough to smooth, short enough to follow a run. */
export const paceWindowMs = 30_000;
/** Below this span of samples there is no pace to trust yet. */
const minSpanMs = 4_000;

/** Jobs' worth of work done and left, from the summary's counts and its progress (which counts a running job by its progress). */
export function workOf(summary: JobSummary): { done: number; left: number } {
  const counted = summary.pending + summary.running + summary.completed + summary.failed;
  const done = (counted * Math.max(0, Math.min(100, summary.progress))) / 100;
  return { done, left: counted - done };
}

/**
 * Adds a sample and drops those older than the window. Work done that went down (jobs deleted:
 * "Clear completed", a reset) starts the measurement afresh; new jobs queued do not change the
 * work done, only the work left.
 */
export function addSample(samples: PaceSample[], sample: PaceSample, windowMs = paceWindowMs): PaceSample[] {
  const last = samples[samples.length - 1];
  const kept = last && sample.done < last.done ? [] : samples.filter((s) => s.at >= sample.at - windowMs);
  return [...kept, sample];
}

/**
 * Seconds left at the pace of the recent samples: work left divided by work done per second over
 * the window. Null while the samples span too little time or show no progress (estimating).
 *
 * The API's `etaSeconds` divides the jobs completed in its last 5 minutes by the whole 5 minutes,
 * so a run younger than that reads as many times slower than it is (QA: "8% · 57m left" for a run
 * that finished in 34 s) and the estimate lags at the end ("2m left" with 2 s to go).
 */
export function etaFromSamples(samples: PaceSample[], left: number): number | null {
  if (left <= 0) return 0;
  if (samples.length < 2) return null;
  const first = samples[0];
  const last = samples[samples.length - 1];
  const span = last.at - first.at;
  const rate = (last.done - first.done) / (span / 1000);
  if (span < minSpanMs || !(rate > 0)) return null;
  return Math.ceil(left / rate);
}
