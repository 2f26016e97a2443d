/**
 * A fit posts progress only once it has run `intervalMs`, and then at most that often. A default
 * fit of a SKU takes milliseconds and reported once per grid candidate (75 for damped_trend): each
 * post wakes the main thread, and the first one of a job wrote its row (ProgressThrottle writes a
 * job's first report at once). Such a job now completes without a progress write; a long fit
 * still shows its progress (the runner writes at most one per job per 250 ms anyway).
 */
export const PROGRESS_POST_MS = 200;

/** The onProgress callback (fraction 0..1) of one fit: whole percents, posted through `post` when due. */
export function progressPoster(post: (percent: number) => void, now: () => number, intervalMs = PROGRESS_POST_MS): (fraction: number) => void {
  let lastPosted = -1;
  let lastPostAt = now();
  return (fraction) => {
    const progress = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
    if (progress === lastPosted) return;
    const t = now();
    if (t - lastPostAt < intervalMs) return;
    lastPosted = progress;
    lastPostAt = t;
    post(progress);
  };
}
