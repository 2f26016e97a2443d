import type { Clock, TimerHandle } from './clock.js';

/**
 * ProgressThrottle turns a handler's stream of progress reports into at most one write per job
 * per `intervalMs`: the first report writes at once, later ones inside the window keep only
 * the newest value, and one shared timer (not one per job) flushes what is due. Writes for one
 * job never overlap. The final 100 is not ours: complete() writes it.
 */
interface JobProgress {
  lastWriteAt: number;
  pending: number | null;
  inflight: Promise<void> | null;
  last: number;
}

export interface ProgressThrottleOptions {
  clock: Clock;
  intervalMs: number;
  write(jobId: number, value: number): Promise<void>;
}

export class ProgressThrottle {
  private readonly jobs = new Map<number, JobProgress>();
  private timer: TimerHandle | null = null;
  private timerAt = Infinity;
  private stopped = false;

  constructor(private readonly options: ProgressThrottleOptions) {}

  report(jobId: number, progress: number): void {
    if (this.stopped || !Number.isFinite(progress)) return;
    const value = Math.round(Math.min(100, Math.max(0, progress)) * 100) / 100;
    let job = this.jobs.get(jobId);
    if (!job) {
      job = { lastWriteAt: -Infinity, pending: null, inflight: null, last: -1 };
      this.jobs.set(jobId, job);
    }
    if (value === job.last && job.pending === null) return; // nothing new to say
    job.pending = value;
    this.flushIfDue(jobId, job);
  }

  /** Drops what is pending for the job and waits for its write in flight, if any. */
  async settled(jobId: number): Promise<void> {
    const job = this.jobs.get(jobId);
    if (!job) return;
    job.pending = null;
    await job.inflight;
  }

  forget(jobId: number): void {
    this.jobs.delete(jobId);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    this.jobs.clear();
  }

  private flushIfDue(jobId: number, job: JobProgress): void {
    if (job.pending === null || job.inflight) return;
    const due = job.lastWriteAt + this.options.intervalMs;
    const now = this.options.clock.now();
    if (now < due) {
      this.armTimer(due);
      return;
    }
    const value = job.pending;
    job.pending = null;
    job.last = value;
    job.lastWriteAt = now;
    job.inflight = this.options
      .write(jobId, value)
      .catch(() => undefined)
      .finally(() => {
        job.inflight = null;
        if (this.jobs.get(jobId) === job) this.flushIfDue(jobId, job);
      });
  }

  private armTimer(at: number): void {
    if (this.stopped || (this.timer && this.timerAt <= at)) return;
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      for (const [jobId, job] of this.jobs) this.flushIfDue(jobId, job);
    }, Math.max(0, at - this.options.clock.now()));
  }
}
