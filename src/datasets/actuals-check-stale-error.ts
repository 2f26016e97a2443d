/**
 * An append sent with `basedOn` (the dataset's `datasetUpdatedAt` its check answered) found the
 * dataset changed since that check (another append, an edit, a settings change): the outcome the
 * planner approved is not the one it would have. Nothing was stored; the API answers 409
 * `conflict_state` naming `basedOn`: check the file again.
 */
export class ActualsCheckStaleError extends Error {
  readonly path = 'basedOn';
  constructor(readonly datasetId: string, readonly basedOn: number, readonly now: number) {
    super(`dataset ${datasetId} changed since the check; check the file again`);
    this.name = 'ActualsCheckStaleError';
  }

  get detail(): string {
    return `the check was of the dataset as at ${this.basedOn}, and it is at ${this.now} now (another append, an edit or a settings change since): nothing was stored`;
  }
}
