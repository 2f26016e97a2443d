import type { ActualsOutcome } from './actuals.js';

/**
 * What an append of actuals answers: POST /api/datasets/:id/actuals's JSON and `skucast actuals
 * --json`'s, one shape for both.
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
  };
}
