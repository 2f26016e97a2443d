import { useMemo, useRef } from 'react';
import type { JobSummary } from '../api/types.js';
import { addSample, etaFromSamples, workOf, type PaceSample } from './recent-pace-eta.js';

/**
 * The polled summary with `etaSeconds` taken from the pace this browser saw over the last 30 s
 * (recent-pace-eta.ts) instead of the API's, which reads a young run as far slower than it is.
 * ForecastPage applies it once, so the badge and the dialog still show one snapshot.
 */
export function useRecentPaceSummary(summary: JobSummary, now: () => number = Date.now): JobSummary {
  const samples = useRef<PaceSample[]>([]);
  return useMemo(() => {
    if (!summary.isOptimizing) {
      samples.current = [];
      return summary;
    }
    const work = workOf(summary);
    samples.current = addSample(samples.current, { at: now(), done: work.done });
    return { ...summary, etaSeconds: etaFromSamples(samples.current, work.left) };
    // a new sample per new summary from the poller, not per render
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [summary]);
}
