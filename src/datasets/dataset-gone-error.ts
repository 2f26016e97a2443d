/**
 * A dataset write was refused (DatasetChangedError, SeriesChangedError, a deadlock) and, read again
 * to plan anew, the dataset was gone: deleted meanwhile. Not a collision to send again (a resend
 * would find nothing, or, where the dataset was chosen as the newest, silently target another), so
 * withFreshDataset ends with this rather than DatasetChangedError; callers answer it as they answer
 * a request for a dataset that does not exist (HTTP: 404 naming `id`; POST /api/jobs: 400 naming
 * `datasetId`).
 */
export class DatasetGoneError extends Error {
  constructor(readonly datasetId: string) {
    super(`dataset ${datasetId} was deleted while this change was planned; nothing was stored`);
    this.name = 'DatasetGoneError';
  }
}
