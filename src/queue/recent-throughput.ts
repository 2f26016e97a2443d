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
 * spanMs: from the first of the window's completions' start (or the window's start, if earlier) to
 * the last completion. Times written by workers: measured up to the API host's own now, a worker
 * 30 s ahead made a 10 s run read as 1 s. (Workers whose clocks differ from each other still skew
 * it; their lease clock is the database's, their started_at and finished_at their own.)
 */
export function throughputSpan(since: number, windowMs: number, firstStarted: number | null, lastFinished: number | null): number | null {
  if (firstStarted === null || lastFinished === null) return null;
  // From the later of the window's start and the first start (continuous as the first start leaves
  // the window), to the last completion; at least a second: one a few ms after its start is no pace yet.
  return Math.max(1000, Math.min(windowMs, Number(lastFinished) - Math.max(Number(firstStarted), since)));
}
