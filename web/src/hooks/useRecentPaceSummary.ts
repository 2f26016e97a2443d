import { useMemo, useRef } from 'react';
import type { JobSummary } from '../api/types.js';
import { addSample, etaFromSamples, workOf, type PaceSample } from './recent-pace-eta.js';
import { runProgress, type ShownSummary } from './run-progress.js';

/**
 * The polled summary with `etaSeconds` taken from the pace this browser saw over the last 30 s
 * (recent-pace-eta.ts) instead of the API's, which reads a young run as far slower than it is.
 * and its `progress` over the current run, not every job in the queue (run-progress.ts).
 * ForecastPage applies it once, so the badge and the dialog still show one snapshot.
 */
export function useRecentPaceSummary(summary: JobSummary, loaded = true, now: () => number = Date.now): ShownSummary {
  const samples = useRef<PaceSample[]>([]);
  const runStart = useRef<number | null>(null);
  return useMemo(() => {
    // The empty summary shown before the first poll answers is no idle queue: a run's start
    // taken from it would count the jobs finished before the page opened.
    const run = loaded ? runProgress(summary, runStart.current) : { before: null, shown: summary };
    runStart.current = run.before;
    if (!summary.isOptimizing) {
      samples.current = [];
      return run.shown;
    }
    const work = workOf(summary);
    samples.current = addSample(samples.current, { at: now(), done: work.done });
    // No live worker (the API says so): a pace seen before it died says nothing about when.
    const eta = summary.liveWorkers === 0 ? null : etaFromSamples(samples.current, work.left);
    return { ...run.shown, etaSeconds: eta };
    // a new sample per new summary from the poller, not per render
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [summary, loaded]);
}
