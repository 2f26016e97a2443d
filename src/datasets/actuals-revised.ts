import { recentPeriods } from './actuals-warnings.js';
import type { Dataset } from './dataset.js';
import { dayFromIso } from './date-parse.js';
import { periodGrid } from './period-grid.js';
import type { ActualsRevision } from './planning-cycle-store.js';

/** The revisions over all of them: SKUs, the earliest period, and how far back from the dataset's last it is. */
/** ActualsOutcome.revised (actuals.ts). */
export interface RevisedSummary { skus: number; earliest: string | null; periodsBack: number | null; onlyHistory: boolean; old: boolean }

export function revisedSummary(dataset: Dataset, revisions: ActualsRevision[], periodsAfterEnd: number): RevisedSummary {
  if (revisions.length === 0) return { skus: 0, earliest: null, periodsBack: null, onlyHistory: false, old: false };
  const earliest = revisions.reduce((min, r) => (r.date < min ? r.date : min), revisions[0].date);
  const end = dataset.report.dateRange?.end ?? null;
  let periodsBack: number | null = null;
  if (end !== null) {
    const grid = periodGrid(dataset.frequency, [dayFromIso(earliest), dayFromIso(end)]);
    periodsBack = Math.max(0, grid.index(dayFromIso(end)) - grid.index(dayFromIso(earliest)));
  }
  return {
    skus: new Set(revisions.map((r) => r.sku)).size, earliest, periodsBack,
    onlyHistory: periodsAfterEnd === 0,
    old: periodsBack !== null && periodsBack >= (recentPeriods[dataset.frequency] ?? 3),
  };
}
