/**
 * One drain's figures in bench:queue (ours and the PostgreSQL peers alike): its rate, the CPU of
 * the worker processes and of the bench process per 1,000 jobs, and what it cost the server
 * (server-cost.ts). With the server's CPU per job S and the workers' W on a machine of C cores,
 * no drain can beat about C / (S + W) jobs/s: `bound_jobs_per_s`.
 */
import { availableParallelism } from 'node:os';
import { rate } from './bench-support.js';
import type { ServerCost } from './server-cost.js';

export interface DrainRun {
  jobs_per_s: number;
  /** CPU of the worker processes (Linux /proc), ms per 1,000 jobs; null when unread. */
  worker_cpu_ms_per_1000: number | null;
  /** This process's CPU meanwhile (the enqueue, the polls for the end), ms per 1,000 jobs. */
  bench_cpu_ms_per_1000: number;
  /** What the drain cost the PostgreSQL server (null on SQLite). */
  server: ServerCost | null;
  /** cores / (server + workers CPU per job), jobs/s; null when either was not measured. */
  bound_jobs_per_s: number | null;
}

const per1000 = (ms: number, jobs: number) => Math.round((ms / jobs) * 1000 * 10) / 10;

export function drainRun(jobs: number, ms: number, workerCpuMs: number | null, benchCpu: NodeJS.CpuUsage, server: ServerCost | null,
  cores = availableParallelism()): DrainRun {
  const worker = workerCpuMs === null ? null : per1000(workerCpuMs, jobs);
  const s = server?.cpu_ms_per_1000?.drain ?? null;
  return {
    jobs_per_s: rate(jobs, ms),
    worker_cpu_ms_per_1000: worker,
    bench_cpu_ms_per_1000: per1000((benchCpu.user + benchCpu.system) / 1000, jobs),
    server,
    bound_jobs_per_s: worker === null || s === null || worker + s <= 0 ? null : Math.round((cores * 1_000_000) / (worker + s)),
  };
}
