/**
 * The history a SKU needs before any model is fitted: 4 periods (docs/datasets.md#too-short). A
 * SKU shorter than the dataset's holdout plus 4 is still forecast, with a smaller holdout (or none),
 * and its forecast says so; the API skips the jobs of a SKU shorter than this at import, at an
 * append and after a settings change, so no forecast will ever come for it: saying "no forecast
 * yet" would have the planner wait for the queue forever.
 */
export const MINIMUM_HISTORY = 4;

interface NoForecastNoteProps {
  /** Periods of history the SKU has. */
  length: number;
  /** Jobs of this SKU pending or running. */
  openJobs: number;
}

/** Why a SKU shows no forecast: the queue is still on it, its history is too short, or neither is known. */
export function NoForecastNote({ length, openJobs }: NoForecastNoteProps) {
  if (openJobs > 0) return <p className="muted">No forecast yet: the queue is working on it.</p>;
  if (length < MINIMUM_HISTORY) {
    return (
      <p className="banner" data-testid="too-short">
        Too short to forecast: {length} period{length === 1 ? '' : 's'} of history; at least {MINIMUM_HISTORY} needed.
        Append more actuals: a forecast comes once the SKU has {MINIMUM_HISTORY}.
      </p>
    );
  }
  return <p className="muted">No forecast yet.</p>;
}
