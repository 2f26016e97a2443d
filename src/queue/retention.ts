import { idempotencyKeepMs, type IdempotencyStore } from './idempotency-store.js';
import type { FinishedStatus, PruneCounts, QueueStore } from './queue-store.js';

/** The statuses retention deletes, in the order it deletes them (one DELETE each: counted by status). */
export const finishedStatuses: FinishedStatus[] = ['completed', 'failed', 'cancelled'];

/** A worker silent this long leaves the registry (with job retention on). */
export const defaultForgetWorkersAfterMs = 86_400_000;

/** What a prune deletes: `skucast worker` passes SKUCAST_RETENTION_DAYS and always the keys (maintenanceRetention). */
export interface RetentionPolicy {
  /** Finished jobs that finished longer ago than this; null keeps every job and every worker's row. */
  pruneAfterMs: number | null;
  /** Workers silent this long (default a day); only with pruneAfterMs set. */
  forgetWorkersAfterMs?: number;
  /** The API's idempotency keys claimed over a day ago (idempotencyKeepMs). */
  pruneIdempotencyKeys: boolean;
}

export type PruneStore = Pick<QueueStore, 'prune' | 'forgetWorkers' | 'countPrunable'> & Pick<IdempotencyStore, 'pruneIdempotencyKeys'>;

/** One prune's (or a dry run's) counts and cutoffs: the worker's log line, `skucast prune`'s answer. */
export interface PruneReport extends PruneCounts {
  /** Counted, nothing deleted (`skucast prune --dry-run`). */
  dryRun: boolean;
  /** Finished jobs, all statuses. */
  jobs: number;
  /** The cutoffs, epoch ms: jobs that finished before, workers whose last beat is before, keys claimed before; null where that part is off. */
  jobsFinishedBefore: number | null;
  workersBeatBefore: number | null;
  idempotencyKeysClaimedBefore: number | null;
  /** The bounds as ages, ms (null where off): the retention, the workers' silence, the keys' day. */
  retentionMs: number | null;
  forgetWorkersAfterMs: number | null;
  idempotencyKeepMs: number | null;
  /** A worker's stop cancelled it midway: the counts are what was deleted before. */
  interrupted: boolean;
}

/**
 * One prune (Maintenance's hourly one, `skucast prune`): finished jobs older than the retention,
 * one DELETE per status so each is counted (the newest completed job per SKU and model of an
 * existing dataset is kept: store.prune), workers silent a day, idempotency keys claimed over a
 * day ago. With `dryRun` it counts the same, deleting nothing (store.countPrunable). Throws what
 * the store throws; `signal` (a worker's stop) ends it after the statement it cancels.
 */
export async function runPrune(
  store: PruneStore, policy: RetentionPolicy, options: { now: number; dryRun?: boolean; signal?: AbortSignal },
): Promise<PruneReport> {
  const { now, signal } = options;
  const retention = policy.pruneAfterMs;
  const forgetAfter = retention == null ? null : policy.forgetWorkersAfterMs ?? defaultForgetWorkersAfterMs;
  const keysKeep = policy.pruneIdempotencyKeys ? idempotencyKeepMs : null;
  const report: PruneReport = {
    dryRun: options.dryRun === true, jobs: 0, completed: 0, failed: 0, cancelled: 0, workers: 0, idempotencyKeys: 0,
    jobsFinishedBefore: retention == null ? null : now - retention,
    workersBeatBefore: forgetAfter == null ? null : now - forgetAfter,
    // The worker's clock against the store's claimed_at: a skew between them moves the 24 hours by as much (harmless).
    idempotencyKeysClaimedBefore: keysKeep == null ? null : now - keysKeep,
    retentionMs: retention, forgetWorkersAfterMs: forgetAfter, idempotencyKeepMs: keysKeep, interrupted: false,
  };
  const done = () => ({ ...report, jobs: report.completed + report.failed + report.cancelled });
  if (report.dryRun) {
    const counts = await store.countPrunable({
      jobsBefore: report.jobsFinishedBefore, statuses: finishedStatuses,
      workersBefore: report.workersBeatBefore, idempotencyKeysBefore: report.idempotencyKeysClaimedBefore,
    });
    Object.assign(report, counts);
    return done();
  }
  const stopped = () => {
    report.interrupted = signal?.aborted === true;
    return report.interrupted;
  };
  if (report.jobsFinishedBefore != null) {
    for (const status of finishedStatuses) {
      report[status] = await store.prune({ before: report.jobsFinishedBefore, statuses: [status], signal });
      if (stopped()) return done();
    }
  }
  if (report.workersBeatBefore != null) {
    report.workers = await store.forgetWorkers(report.workersBeatBefore);
    if (stopped()) return done();
  }
  if (report.idempotencyKeysClaimedBefore != null) report.idempotencyKeys = await store.pruneIdempotencyKeys(report.idempotencyKeysClaimedBefore);
  return done();
}

/** 30 d, 24 h, 90 min, 45 s: an age as people write it. */
export function formatAge(ms: number): string {
  const units: Array<[number, string]> = [[86_400_000, 'd'], [3_600_000, 'h'], [60_000, 'min'], [1000, 's']];
  for (const [size, unit] of units) if (ms >= size && ms % size === 0) return `${ms / size} ${unit}`;
  for (const [size, unit] of units) if (ms >= size) return `${Math.round((ms / size) * 10) / 10} ${unit}`;
  return `${ms} ms`;
}

const isoSecond = (at: number) => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The report in words, one sentence, zeros included (an operator tells from it that retention
 * runs): `Pruned 358 finished job(s) that finished over 30 d ago (before 2026-11-07T03:22:59Z):
 * completed 127, failed 0, cancelled 231; forgot 0 worker(s) silent over 1 d; forgot 5 idempotency
 * key(s) claimed over 1 d ago`. A dry run says `Would prune`, `would forget`. `keptBecause` names
 * what turned job retention off (`skucast prune --retention-days 0` says so, not the variable).
 */
export function describePrune(report: PruneReport, keptBecause = 'SKUCAST_RETENTION_DAYS=0'): string {
  const [prune, forget] = report.dryRun ? ['Would prune', 'would forget'] : ['Pruned', 'forgot'];
  const parts: string[] = [];
  if (report.jobsFinishedBefore != null && report.retentionMs != null) {
    parts.push(`${prune} ${report.jobs} finished job(s) that finished over ${formatAge(report.retentionMs)} ago (before ${isoSecond(report.jobsFinishedBefore)}): `
      + finishedStatuses.map((s) => `${s} ${report[s]}`).join(', '));
  } else {
    parts.push(`${report.dryRun ? 'Would keep' : 'Kept'} every finished job (${keptBecause})`);
  }
  if (report.forgetWorkersAfterMs != null) parts.push(`${forget} ${report.workers} worker(s) silent over ${formatAge(report.forgetWorkersAfterMs)}`);
  if (report.idempotencyKeepMs != null) parts.push(`${forget} ${report.idempotencyKeys} idempotency key(s) claimed over ${formatAge(report.idempotencyKeepMs)} ago`);
  return `${parts.join('; ')}${report.interrupted ? ' (stopped midway: the worker is stopping)' : ''}`;
}

/** The report as the log line's and `--json`'s fields: cutoffs as ISO dates; `deleted` is the finished jobs (the log's field before the counts by status). */
export function pruneFields(report: PruneReport): Record<string, unknown> {
  const iso = (at: number | null) => (at == null ? null : new Date(at).toISOString());
  return {
    dryRun: report.dryRun,
    deleted: report.jobs,
    jobs: { completed: report.completed, failed: report.failed, cancelled: report.cancelled, total: report.jobs },
    workers: report.workers,
    idempotencyKeys: report.idempotencyKeys,
    cutoffs: {
      jobsFinishedBefore: iso(report.jobsFinishedBefore),
      workersBeatBefore: iso(report.workersBeatBefore),
      idempotencyKeysClaimedBefore: iso(report.idempotencyKeysClaimedBefore),
    },
    retentionDays: report.retentionMs == null ? null : report.retentionMs / 86_400_000,
    ...(report.interrupted ? { interrupted: true } : {}),
  };
}
