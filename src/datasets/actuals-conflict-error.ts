/**
 * appendActuals gave up: each time it merged the file again, a SKU of it had changed once more
 * (other uploads, or a planner's edits, kept landing between the merge's read and its write).
 * Nothing was stored; the same file sent again is merged with what is there then. The API answers
 * 409 naming `file`, the CLI one line and a non-zero exit.
 */
export class ActualsConflictError extends Error {
  readonly path = 'file';
  constructor(readonly datasetId: string, readonly sku: string, readonly attempts: number) {
    super(`another upload changed SKU ${sku} while this file was merged; send the file again`);
    this.name = 'ActualsConflictError';
  }

  /** The detail: what was tried, beside the message's what to do. */
  get detail(): string {
    return `SKU ${this.sku} changed before each of ${this.attempts} merges of this file could be written (another upload or an edit); nothing was stored`;
  }
}
