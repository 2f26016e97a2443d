/**
 * A dataset write planned its jobs from a dataset that changed before the write could land: a
 * settings change read the series and results before another write (an append, an edit, another
 * settings change) committed, or an append or an edit planned with settings that a settings change
 * replaced meanwhile. The store refuses it and writes nothing; the caller reads the dataset again and
 * plans anew (withFreshDataset). Only when that keeps failing does a client see it: HTTP 409 naming
 * `path`, "send it again".
 */
export class DatasetChangedError extends Error {
  /**
   * `deadlocks`: how many of the `attempts` PostgreSQL rolled back to end a deadlock (40P01) rather
   * than the store refused as changed: the message and detail say which, since a deadlock is not a
   * write of the dataset that landed first.
   */
  constructor(readonly datasetId: string, readonly path: string, readonly attempts = 1, readonly deadlocks = 0) {
    const change = path === 'settings' ? 'settings change' : 'change';
    super(deadlocks > 0 && deadlocks === attempts
      ? `dataset ${datasetId}: this ${change} met other requests' writes in a deadlock each time it was tried; send it again`
      : `dataset ${datasetId} changed while this ${change} was planned; send it again`);
    this.name = 'DatasetChangedError';
  }

  /** The detail: what was tried, beside the message's what to do. */
  get detail(): string {
    const plans = `${this.attempts} ${this.attempts === 1 ? 'plan' : 'plans'}`;
    const deadlocked = "rolled back by the database to end a deadlock with another request's transaction (40P01)";
    if (this.deadlocks === 0) return `the dataset was written by another request before each of ${plans} of this change could be stored (an upload, an edit or a settings change); nothing was stored`;
    if (this.deadlocks === this.attempts) return `each of ${plans} of this change was ${deadlocked}; nothing was stored`;
    return `of ${plans} of this change, ${this.attempts - this.deadlocks} found the dataset written by another request first (an upload, an edit or a settings change) and ${this.deadlocks} ${this.deadlocks === 1 ? 'was' : 'were'} ${deadlocked}; nothing was stored`;
  }
}
