import type { ImportOutcome } from './import-dataset.js';

/**
 * What an import answers: POST /api/datasets's JSON and `skucast import --json`'s, one shape for
 * both so a script can move between them.
 */
export function importAnswer(outcome: ImportOutcome, dryRun: boolean) {
  return {
    datasetId: outcome.datasetId,
    report: outcome.report,
    jobsCreated: outcome.jobsCreated,
    jobsSkipped: outcome.jobsSkipped,
    jobsReused: outcome.enqueue?.jobsReused ?? 0,
    batchId: outcome.enqueue?.batchId ?? null,
    ...(dryRun ? { dryRun: true as const, mapping: outcome.report.mapping ?? null, format: outcome.report.format, columns: outcome.columns ?? [] } : {}),
  };
}
