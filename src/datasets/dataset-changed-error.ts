/**
 * A dataset write planned its jobs from a dataset that changed before the write could land: a
 * settings change read the series and results before another write (an append, an edit, another
 * settings change) committed, or an append or an edit planned with settings that a settings change
 * replaced meanwhile. The store refuses it and writes nothing; the caller reads the dataset again and
 * plans anew (withFreshDataset). Only when that keeps failing does a client see it: HTTP 409 naming
 * `path`, "send it again".
 */
export class DatasetChangedError extends Error {
  constructor(readonly datasetId: string, readonly path: string, readonly attempts = 1) {
    super(`dataset ${datasetId} changed while this ${path === 'settings' ? 'settings change' : 'change'} was planned; send it again`);
    this.name = 'DatasetChangedError';
  }

  /** The detail: what was tried, beside the message's what to do. */
  get detail(): string {
    return `the dataset was written by another request before each of ${this.attempts} ${this.attempts === 1 ? 'plan' : 'plans'} of this change could be stored (an upload, an edit or a settings change); nothing was stored`;
  }
}
