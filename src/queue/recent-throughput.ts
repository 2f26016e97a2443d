/** Jobs completed by a worker in a recent window, for an ETA (QueueStore.recentThroughput). */
export interface RecentThroughput {
  completed: number;
  avgDurationMs: number | null;
  /**
   * The time those completions took: the window, or, when the first of them started inside it (a
   * run younger than the window), from that start to the last completion. Dividing by the whole window made a 34 s run of 1,000 jobs
   * read '57 minutes left' at 8%. null when nothing completed.
   */
  spanMs: number | null;
}

/**
 * spanMs: the whole window when the first of its completions started before it (a run older than
 * the window); else from that start to the last completion, both times written by workers, so an
 * API host whose clock is off does not skew it (measured up to the API's own now, a worker 30 s
 * ahead made a 10 s run read as 1 s).
 */
export function throughputSpan(since: number, windowMs: number, firstStarted: number | null, lastFinished: number | null): number | null {
  if (firstStarted === null || lastFinished === null) return null;
  if (Number(firstStarted) < since) return windowMs;
  // At least a second: a first completion a few ms after its start is no pace yet.
  return Math.max(1000, Math.min(windowMs, Number(lastFinished) - Number(firstStarted)));
}
