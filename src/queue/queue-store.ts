import type { JobStatus } from './job-state.js';
import type {
  ClaimedJob, EnqueueOptions, EnqueueResult, Job, JobFilter, JobPage, Lease, ListJobsQuery,
  NewJob, QueueSummary, RescueResult, WorkerInfo,
} from './job.js';
import type { JobDurations } from './job-durations.js';
import type { RecentThroughput } from './recent-throughput.js';

/**
 * What the queue needs from a database. One adapter per database lives in src/stores/;
 * every adapter passes the conformance suite in src/queue/testing/describe-store.ts.
 * Outside the adapters, code branches on `capabilities`, never on which database it is.
 *
 * Methods named after a transition in job-state.ts perform exactly that transition.
 * Worker writes (renew, progress, complete, fail, retry, release) are fenced: they only
 * change a row WHERE id = ? AND lease_token = ? AND status = 'running', and return false
 * (changing nothing) when the caller no longer holds the lease.
 */
export interface StoreCapabilities {
  /** Concurrent claimers skip each other's locked rows instead of waiting (FOR UPDATE SKIP LOCKED). */
  skipLocked: boolean;
  /** Wake-ups are pushed by the database across processes and hosts (LISTEN/NOTIFY). */
  listenNotify: boolean;
  /**
   * A new job that supersedes a job still waiting for the same work at the same priority takes
   * that job's turn when it is earlier, so a dataset enqueued again over its own waiting jobs keeps
   * its place between the others; without it the new jobs queue as a new batch of the dataset.
   */
  supersedeKeepsTurn: boolean;
  /**
   * The store reads how long ago each worker beat on the database's own clock (listWorkers'
   * heartbeatAgeMs), and judges a row stale for a heartbeat's takeover by it, for processes on
   * hosts whose clocks may disagree. Without it the store is one machine's (SQLite): the reader's
   * clock is the workers', and `now - lastHeartbeatAt` is the age.
   * The conformance suite's contract: it tells store-job-cases.ts what to expect. Callers read no
   * capability for this: heartbeatAge() goes by whether a row has heartbeatAgeMs (a beat of a
   * worker older than 041 has none, even on PostgreSQL).
   */
  databaseClock: boolean;
}

export interface ClaimRequest {
  workerId: string;
  limit: number;
  leaseMs: number;
  /**
   * Aborted when the worker stops: the jobs of a claim still waiting (for a lock, for the server)
   * would only be handed back. A claim that has not committed is given up and resolves with no
   * jobs; one that committed first either gives its jobs back itself and resolves with none
   * (PostgreSQL) or resolves with them as usual (the caller hands them back).
   * Either way it resolves only once the database has decided, so no claim commits after its
   * caller stopped listening while the database can still be reached (docs/state-machine.md, "Stopping").
   */
  signal?: AbortSignal;
  /**
   * Told, before the claim resolves, of the jobs a store gave back itself (a claim that committed
   * before the abort landed, handed back by the store on its own connection), so that the caller
   * counts and logs each as `release` as it does the jobs it hands back itself.
   */
  onReleased?: (jobIds: number[]) => void;
}

export interface RescueOptions {
  /**
   * Rescue only leases that ran out more than this long ago (default 0). Maintenance passes the
   * time the database refused writes: a holder that could not renew through another process's
   * lock is not dead, and its finished result must not be thrown away.
   */
  graceMs?: number;
  /**
   * A rescued job waits before it is claimable again: min(max, base * 2^(attempts-1)), half of it
   * fixed and half random (defaults 1 s and 5 min, as for retries).
   */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

/** The statuses prune deletes. */
export type FinishedStatus = 'completed' | 'failed' | 'cancelled';

/** What a prune deletes (or, counted by countPrunable, would): finished jobs by status, workers, idempotency keys. */
export interface PruneCounts {
  completed: number;
  failed: number;
  cancelled: number;
  workers: number;
  idempotencyKeys: number;
}

/** A status whose stored counter disagreed with the rows (recount fixed it). */
export interface CountDrift {
  status: JobStatus;
  /** What the counter said. */
  counted: number;
  /** How many rows there are. */
  actual: number;
}

export interface QueueStore {
  readonly capabilities: StoreCapabilities;
  /** A short name for logs and benchmark output ("sqlite", "postgres"). Never branch on it. */
  readonly kind: string;

  /**
   * Whether a refused write may go through if tried again as it is (the lock was busy, the
   * connection dropped, a serialization failure or deadlock). The runner retries a refused final
   * write only while this says yes; anything else (a constraint, a value that cannot be stored)
   * would be refused forever. Absent: every refusal counts as passing.
   */
  isTransient?(error: unknown): boolean;

  /** Brings the schema up to date; resolves with the migrations it applied (none: it was). Refuses a schema newer than this build. */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
  /** Throws when the database cannot be reached. */
  ping(): Promise<void>;

  /**
   * Inserts jobs all or nothing, superseding and reusing as the options say. Ids run from
   * firstId to lastId in the order the jobs are inserted: each run of consecutive jobs alike in
   * all but SKU, model and input hash (an import's, a request's) by SKU in code-unit order, a
   * SKU's own jobs in the order given (inKeyOrder, src/stores/enqueue-values.ts); runs in the order given.
   */
  enqueue(jobs: NewJob[], options: EnqueueOptions): Promise<EnqueueResult>;

  /**
   * Is there a pending job whose runAt has come? A read through the claim index, never the
   * counters: a worker asks it before a claim that would take a write lock, and a counter that
   * drifted (a row written outside the app) must never leave workers idle on a non-empty queue.
   */
  claimable(): Promise<boolean>;
  /**
   * Claims up to `limit` pending jobs whose runAt has come: lowest priority first; within one,
   * datasets take turns (a dataset's batch starts at the queue's head, or after its own jobs still
   * waiting), FIFO within a dataset (one enqueue's jobs in the order enqueue gave them ids: by SKU
   * within a run). The batch comes back in that same order: the order to start it in.
   */
  claim(request: ClaimRequest): Promise<ClaimedJob[]>;
  /** Extends the leases still held; returns the job ids whose lease was renewed. */
  renew(leases: Lease[], leaseMs: number): Promise<number[]>;
  /** Of these leases, the job ids that are no longer held (cancelled, rescued, superseded, deleted). */
  lost(leases: Lease[]): Promise<number[]>;
  progress(lease: Lease, progress: number): Promise<boolean>;
  /** Stores `result` as JSON (a JsonText's text as it is, already serialised). */
  complete(lease: Lease, result: unknown): Promise<boolean>;
  fail(lease: Lease, error: string): Promise<boolean>;
  retry(lease: Lease, error: string, runAt: number): Promise<boolean>;
  release(lease: Lease): Promise<boolean>;

  /**
   * Expired leases: back to pending after the retry backoff, or failed once attempts reached
   * maxAttempts (saying so when every attempt ended with its worker gone).
   */
  rescue(options?: RescueOptions): Promise<RescueResult>;
  /** Cancels pending and running jobs that match; returns how many. */
  cancel(filter: JobFilter): Promise<number>;
  /**
   * An operator's retry of failed or cancelled jobs: back to pending with attempts reset. Leaves a
   * job that a newer job for the same work replaced, and one whose dataset no longer exists.
   */
  requeue(filter: JobFilter): Promise<number>;
  /**
   * Deletes completed jobs (and, when asked, failed and cancelled ones) finished before `before`,
   * except the newest completed job per (dataset, sku, model) of a dataset that still exists: its
   * result is that SKU's current forecast (latestResults), so clearing the queue keeps forecasts.
   * `signal` is aborted when the worker stops: a delete still running (a backlog, a row another
   * transaction holds) is cancelled and deletes nothing (0), so closing the store does not wait.
   */
  prune(options: { before: number; statuses: FinishedStatus[]; signal?: AbortSignal }): Promise<number>;
  /**
   * Counts, deleting nothing, what prune (finished jobs, by status), forgetWorkers and
   * pruneIdempotencyKeys would delete with these bounds, in one read (`skucast prune --dry-run`).
   * A bound left null counts nothing of its kind.
   */
  countPrunable(options: {
    jobsBefore: number | null; statuses: FinishedStatus[]; workersBefore: number | null; idempotencyKeysBefore: number | null;
  }): Promise<PruneCounts>;
  /**
   * Where the database plans queries from statistics that a drain leaves stale (PostgreSQL): brings
   * them up to date when they hide finished or open jobs, without waiting on anyone; true when it
   * did. A store whose plans need no such care leaves it out. `signal` is aborted when the worker
   * stops: an ANALYZE in flight is cancelled and rolled back (the statistics stay as they were,
   * false), so closing the store does not wait for it.
   */
  refreshStatistics?(options?: { signal?: AbortSignal }): Promise<boolean>;
  /** Cancels running jobs, then deletes every job. */
  reset(): Promise<{ cancelled: number; deleted: number }>;

  getJob(id: number): Promise<Job | null>;
  /** Order: running, then pending by priority then id, then the rest newest first. Keyset paged. */
  listJobs(query: ListJobsQuery): Promise<JobPage>;
  /** Counts for the filter only when one is given; without, read from counters (no scan). */
  summary(filter?: JobFilter): Promise<QueueSummary>;
  /**
   * Counts the jobs by status from the rows and sets the summary counters to match, returning the
   * statuses whose counter had drifted (`skucast doctor`, also run by `migrate`).
   */
  recount(): Promise<CountDrift[]>;
  /** Jobs completed in the last `windowMs` and their mean duration, for an ETA; see RecentThroughput. */
  recentThroughput(windowMs: number): Promise<RecentThroughput>;
  /** How long finished attempts ran, by model and outcome, since the database began (never lowered by prune or reset). */
  jobDurations(): Promise<JobDurations>;

  /**
   * Worker registry, for /api/health and for spotting dead workers. Answers whether the beat was
   * written: false when the row holds a later beat of the same start, or a live later start of the
   * same id (a row of another start is replaced when that start is earlier, stopped, or stale).
   */
  heartbeatWorker(info: WorkerInfo): Promise<boolean>;
  listWorkers(): Promise<WorkerInfo[]>;
  /**
   * markStopped: the registry row of a worker process known to be dead (its supervisor saw it
   * exit: `skucast start`) says `stopped`, with nothing running, instead of `running` until it is
   * seen as stale and then forgotten a day later. Only the row of that id and pid, and only when
   * not stopped already (true when it changed one); a later beat of that start cannot undo it.
   * Its counters stay; its jobs are untouched: rescue takes them back by lease expiry, as for any
   * worker that died.
   */
  markWorkerStopped(worker: { workerId: string; pid: number }): Promise<boolean>;
  /**
   * Removes workers whose last heartbeat is older than `before` (retention); returns how many.
   * Their counters are retired (kept in workerEventTotals), as are those of a worker whose row a
   * heartbeat of another start replaces (a new process under the same id: see heartbeatWorker); a
   * heartbeat with an earlier startedAt than a live row's changes nothing.
   */
  forgetWorkers(before: number): Promise<number>;
  /**
   * The workers' counters summed per event, registered and retired, read in one snapshot: they
   * do not fall when a worker is forgotten or restarts under its id (a restore or a move to
   * another database starts them over).
   */
  workerEventTotals(): Promise<Record<string, number>>;

  /**
   * Calls `onWake` soon after jobs become claimable (enqueue, retry, release, rescue, requeue)
   * or change under a worker (cancel), in any process sharing the database. Where
   * capabilities.listenNotify is false the adapter watches cheaply (SQLite: PRAGMA data_version, on
   * the -wal file's write events).
   * Returns an unsubscribe function. `onWake` answers a 'jobs' wake with true when it will claim:
   * a store that wakes only some processes for a few new jobs (PostgreSQL) wakes everyone else
   * when the ones it chose all answer otherwise.
   */
  watch(onWake: (event: 'jobs' | 'cancel') => unknown): Promise<() => Promise<void>>;

  /**
   * Optional: writes a consistent copy of the whole database to `path` (a file for SQLite)
   * while workers keep running. Refuses to overwrite an existing file.
   */
  backup?(path: string): Promise<void>;
}

export interface StoreOptions {
  /** Epoch milliseconds; injected so tests can move time without sleeping. */
  now?: () => number;
}
