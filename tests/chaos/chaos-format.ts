import type { ChaosReport } from './chaos-run.js';

/** The figures a chaos run is judged by, one line each, then the violations (none, when it passed). */
export function formatChaosReport(r: ChaosReport): string {
  const orphan = r.longestOrphanMs === null ? 'none orphaned' : `${r.longestOrphanMs} ms (lease ${r.leaseMs} ms)`;
  return [
    `chaos on ${r.store} (seed ${r.seed}, ${(r.elapsedMs / 1000).toFixed(1)} s)`,
    `  jobs:                 ${r.jobs} (asked ${r.jobsRequested}), completed ${r.completed}, lost ${r.lost}${Object.keys(r.notCompleted).length ? `, not completed ${JSON.stringify(r.notCompleted)}` : ''}`,
    `  kills:                ${r.kills} SIGKILLed workers (${r.workerStarts} worker starts)`,
    `  API restarts:         ${r.apiRestarts} (status polls missed ${r.apiPollsMissed} of ${r.apiPolls})`,
    `  longest orphaned:     ${orphan}; ${r.orphaned} job(s) orphaned by kills`,
    `  executions:           ${r.executions} started, ${r.completionsLogged} completions accepted (+${r.completionsUnlogged} committed unlogged), ${r.fenced} fenced, ${r.rescued} rescued`,
    `  duplicates:           ${r.duplicates}`,
    `  result mismatches:    ${r.resultMismatches}`,
    r.violations.length === 0 ? '  verdict:              PASS (every job completed exactly once)' : `  verdict:              FAIL\n${r.violations.map((v) => `    - ${v}`).join('\n')}`,
  ].join('\n');
}
