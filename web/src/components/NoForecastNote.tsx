/**
 * The history a SKU needs before any model is fitted: the dataset's holdout plus 4 periods
 * (docs/datasets.md). The API skips the jobs of a shorter SKU at import, at an append and after a
 * settings change, so no forecast will ever come for it: saying "no forecast yet" would have the
 * planner wait for the queue forever.
 */
export function minimumHistory(holdout: number): number {
  return holdout + 4;
}

interface NoForecastNoteProps {
  /** Periods of history the SKU has. */
  length: number;
  /** The dataset's holdout (undefined while its settings load). */
  holdout: number | undefined;
  /** Jobs of this SKU pending or running. */
  openJobs: number;
}

/** Why a SKU shows no forecast: the queue is still on it, its history is too short, or neither is known. */
export function NoForecastNote({ length, holdout, openJobs }: NoForecastNoteProps) {
  if (openJobs > 0) return <p className="muted">No forecast yet: the queue is working on it.</p>;
  if (holdout !== undefined && length < minimumHistory(holdout)) {
    return (
      <p className="banner" data-testid="too-short">
        Too short to forecast: {length} period{length === 1 ? '' : 's'} of history; {minimumHistory(holdout)} needed (the holdout of {holdout} + 4).
        Append more actuals, or lower the holdout in Settings.
      </p>
    );
  }
  return <p className="muted">No forecast yet.</p>;
}
