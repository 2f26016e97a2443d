/**
 * Judges a chaos run from two independent records:
 * - the database: every job, its status, and the no-op handler's result, which says which
 *   worker ran it and on which attempt (written by the fenced complete, so it names the lease
 *   holder whose completion counted);
 * - the workers' own log lines, killed processes included: a `claim` line per execution started,
 *   a `complete` line per completion the store accepted, a `fenced` line per completion (or other
 *   write) the store refused because the lease had moved on.
 * "Exactly once" = one completed result per job, none lost, none left pending or running, and no
 * job with two accepted completions in the logs (a duplicate). Fenced executions are expected
 * (that is the fence working) and are reported, not counted as duplicates.
 */
import { allJobs } from '../../src/queue/testing/store-fixtures.js';
import type { Store } from '../../src/stores/store.js';
import type { LogLine, SkucastProcess } from '../support/skucast-process.js';

export interface KillRecord {
  workerId: string;
  killedAt: number;
  lines: LogLine[];
}

export interface ChaosFindings {
  jobs: number;
  completed: number;
  notCompleted: Record<string, number>;
  lost: number;
  /** Accepted completions beyond the first, per job, summed over all workers' logs. Must be 0. */
  duplicates: number;
  /** Results that do not name the job, its final worker or its final attempt. Must be 0. */
  resultMismatches: number;
  executions: number;
  completionsLogged: number;
  /** Completed in the database, but the worker died between the commit and its log line. */
  completionsUnlogged: number;
  fenced: number;
  rescued: number;
  orphaned: number;
  longestOrphanMs: number | null;
  /** Orphans for which no later claim was found (normally 0). */
  orphansUnaccounted: number;
  violations: string[];
}

export interface ChaosEvidence {
  store: Store;
  workers: SkucastProcess[];
  kills: KillRecord[];
  jobsRequested: number;
  jobsEnqueued: number;
  drained: boolean;
  badExits: string[];
  leaked: string[];
  reused: number;
  skipped: number;
  posterFailure: string | null;
}

const time = (line: LogLine) => Number(line.time);
const terminal = new Set(['complete', 'fenced', 'release', 'fail', 'retry', 'cancel']);

export async function judgeChaos(evidence: ChaosEvidence): Promise<ChaosFindings> {
  const violations: string[] = [];
  const jobs = await allJobs(evidence.store, { includeResult: true }, 1000);
  const byId = new Map(jobs.map((j) => [j.id, j]));

  const notCompleted: Record<string, number> = {};
  let resultMismatches = 0;
  for (const job of jobs) {
    if (job.status !== 'completed') {
      notCompleted[job.status] = (notCompleted[job.status] ?? 0) + 1;
      continue;
    }
    const result = job.result as { noop?: boolean; jobId?: number; workerId?: string; attempt?: number } | null;
    if (!result?.noop || result.jobId !== job.id || result.workerId !== job.workerId || result.attempt !== job.attempts) resultMismatches++;
  }
  const completed = jobs.filter((j) => j.status === 'completed').length;

  const lines = evidence.workers.flatMap((w) => w.lines.map((line) => ({ worker: w.name, line })));
  const completions = new Map<number, Array<{ worker: string; attempt: number }>>();
  let executions = 0;
  let fenced = 0;
  let rescued = 0;
  const claimsByJob = new Map<number, Array<{ worker: string; at: number }>>();
  for (const { worker, line } of lines) {
    const jobId = typeof line.jobId === 'number' ? line.jobId : null;
    if (line.event === 'claim' && jobId !== null) {
      executions++;
      const list = claimsByJob.get(jobId) ?? [];
      list.push({ worker, at: time(line) });
      claimsByJob.set(jobId, list);
    } else if (line.event === 'complete' && jobId !== null) {
      const list = completions.get(jobId) ?? [];
      list.push({ worker, attempt: Number(line.attempt) });
      completions.set(jobId, list);
    } else if (line.event === 'fenced') fenced++;
    else if (line.event === 'rescue' && jobId !== null) rescued++;
  }

  let duplicates = 0;
  let completionsLogged = 0;
  for (const [jobId, list] of completions) {
    completionsLogged += list.length;
    duplicates += list.length - 1;
    const job = byId.get(jobId);
    // The one accepted completion must be the one the database kept.
    if (job && list.length === 1 && (list[0].worker !== job.workerId || list[0].attempt !== job.attempts)) resultMismatches++;
  }
  const completionsUnlogged = jobs.filter((j) => j.status === 'completed' && !completions.has(j.id)).length;

  // Orphans: jobs a killed worker had claimed and not yet let go; rescued once another worker claims them.
  let orphaned = 0;
  let orphansUnaccounted = 0;
  let longestOrphanMs: number | null = null;
  for (const kill of evidence.kills) {
    const open = new Map<number, number>(); // jobId -> attempt
    for (const line of kill.lines) {
      if (typeof line.jobId !== 'number') continue;
      if (line.event === 'claim') open.set(line.jobId, Number(line.attempt));
      else if (terminal.has(String(line.event))) open.delete(line.jobId);
    }
    for (const [jobId, attempt] of open) {
      const job = byId.get(jobId);
      // Committed just before the kill, log line lost with the process: never orphaned.
      if (job?.status === 'completed' && job.workerId === kill.workerId && job.attempts === attempt) continue;
      orphaned++;
      const next = (claimsByJob.get(jobId) ?? []).filter((c) => c.worker !== kill.workerId && c.at >= kill.killedAt).sort((a, b) => a.at - b.at)[0];
      if (!next) {
        orphansUnaccounted++;
        continue;
      }
      const ms = next.at - kill.killedAt;
      longestOrphanMs = Math.max(longestOrphanMs ?? 0, ms);
    }
  }

  const lost = evidence.jobsRequested - jobs.length;
  if (evidence.posterFailure) violations.push(evidence.posterFailure);
  if (evidence.reused > 0 || evidence.skipped > 0) violations.push(`the API reused ${evidence.reused} and skipped ${evidence.skipped} job(s): each must run`);
  if (evidence.jobsEnqueued !== jobs.length) violations.push(`the API reported ${evidence.jobsEnqueued} jobs created, the database holds ${jobs.length}`);
  if (lost !== 0) violations.push(`${lost} job(s) lost (asked for ${evidence.jobsRequested}, found ${jobs.length})`);
  if (!evidence.drained) violations.push('the queue did not drain before the deadline');
  if (completed !== jobs.length) violations.push(`jobs not completed: ${JSON.stringify(notCompleted)}`);
  if (duplicates !== 0) violations.push(`${duplicates} duplicate completion(s)`);
  if (resultMismatches !== 0) violations.push(`${resultMismatches} result(s) that do not match their job's final lease holder`);
  if (orphansUnaccounted !== 0) violations.push(`${orphansUnaccounted} orphaned job(s) never claimed again`);
  if (evidence.badExits.length !== 0) violations.push(`did not exit 0 on SIGTERM: ${evidence.badExits.join('; ')}`);
  if (evidence.leaked.length !== 0) violations.push(`processes left running: ${evidence.leaked.join(', ')}`);

  return {
    jobs: jobs.length, completed, notCompleted, lost, duplicates, resultMismatches, executions, completionsLogged,
    completionsUnlogged, fenced, rescued, orphaned, longestOrphanMs, orphansUnaccounted, violations,
  };
}
