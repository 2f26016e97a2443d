/**
 * A snapshot found by its id was deleted before its items were read (a delete between two
 * statements). Answered as a request for a snapshot that does not exist (HTTP: 404 naming
 * `snapshot`), rather than as a snapshot with no forecasts: every SKU `none`, or nothing to score.
 */
export class SnapshotGoneError extends Error {
  constructor(readonly datasetId: string, readonly snapshotId: number) {
    super(`no snapshot ${snapshotId} of dataset '${datasetId}' (deleted while it was read)`);
    this.name = 'SnapshotGoneError';
  }
}
