import type { ActualsOutcome } from './actuals.js';

/**
 * What an append of actuals answers: POST /api/datasets/:id/actuals's JSON and `skucast actuals
 * --json`'s, one shape for both; a check (dryRun) answers the same, with `dryRun: true` and no
 * actualsId, batch or jobs.
 */
export function answerActuals(outcome: ActualsOutcome) {
  return {
    report: outcome.report,
    actualsId: outcome.actuals?.id ?? null,
    skusChanged: outcome.skusChanged,
    skusAdded: outcome.skusAdded,
    periodsAdded: outcome.periodsAdded,
    valuesRevised: outcome.valuesRevised,
    revisions: outcome.revisions,
    partial: outcome.partial,
    lastDate: outcome.actuals?.lastDate ?? null,
    historyEnd: outcome.actuals?.historyEnd ?? null,
    batchId: outcome.batchId,
    jobsCreated: outcome.jobsCreated,
    jobsReused: outcome.jobsReused,
    jobsCancelled: outcome.jobsCancelled,
    jobsSkipped: outcome.jobsSkipped,
    newSkus: outcome.newSkus,
    newSkusLike: outcome.newSkusLike,
    absent: outcome.absent,
    rejectedSkus: outcome.rejectedSkus,
    revised: outcome.revised,
    datasetUpdatedAt: outcome.datasetUpdatedAt,
    // As an import's check says it (importAnswer): present only on a check.
    ...(outcome.dryRun ? { dryRun: true as const } : {}),
  };
}
