/**
 * JobStatusPoller polls GET /api/jobs/status for useBackendJobStatus. Its modes:
 * - active: something is pending or running, so the next poll is `activeMs` (2 s) away;
 * - idle: the queue is quiet, polls every `idleMs` (10 s) so jobs started elsewhere still show up;
 * - hidden: the tab is hidden, nothing is scheduled until it is visible again (then it polls at once);
 * - down: the last request failed; the delay doubles from `activeMs` up to `maxBackoffMs` and the
 *   first success brings it back to active/idle by itself.
 * Exactly one request is ever in flight: a refresh asked for meanwhile runs when it returns.
 * It sends If-None-Match with the last ETag; a 304 leaves the state as it was.
 */
import { ApiError, type ApiClient } from '../api/client.js';
import type { Job, JobStatusQuery, JobSummary } from '../api/types.js';

export interface JobStatusState {
  jobs: Job[];
  summary: JobSummary;
  total: number;
  nextCursor: string | null;
  error: string | null;
  apiDown: boolean;
  /** The API asks for a token (401): the app shows the token prompt. */
  unauthorized: boolean;
  loaded: boolean;
  /**
   * A poll is in flight after one failed: the Retry of "Could not load jobs" says "Retrying…".
   * Not every poll's in-flight time: that would re-render the app twice per poll for nothing.
   */
  retrying: boolean;
  lastUpdatedAt: number | null;
}

export const emptySummary: JobSummary = {
  pending: 0,
  running: 0,
  completed: 0,
  failed: 0,
  cancelled: 0,
  isOptimizing: false,
  progress: 0,
  etaSeconds: null,
};

export const initialJobStatusState: JobStatusState = {
  jobs: [],
  summary: emptySummary,
  total: 0,
  nextCursor: null,
  error: null,
  apiDown: false,
  unauthorized: false,
  loaded: false,
  retrying: false,
  lastUpdatedAt: null,
};

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export interface Visibility {
  isHidden(): boolean;
  subscribe(onChange: () => void): () => void;
}

export interface PollerOptions {
  client: Pick<ApiClient, 'jobStatus'>;
  query?: JobStatusQuery;
  activeMs?: number;
  idleMs?: number;
  maxBackoffMs?: number;
  timers?: Timers;
  visibility?: Visibility;
  onState: (state: JobStatusState) => void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export function documentVisibility(doc: Document | undefined = globalThis.document): Visibility {
  return {
    isHidden: () => doc?.visibilityState === 'hidden',
    subscribe(onChange) {
      if (!doc) return () => {};
      doc.addEventListener('visibilitychange', onChange);
      return () => doc.removeEventListener('visibilitychange', onChange);
    },
  };
}

export class JobStatusPoller {
  private state: JobStatusState = initialJobStatusState;
  private etag: string | null = null;
  private timer: unknown = null;
  private inFlight = false;
  private refreshAsked = false;
  private failures = 0;
  private stopped = true;
  private abort: AbortController | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly activeMs: number;
  private readonly idleMs: number;
  private readonly maxBackoffMs: number;
  private readonly timers: Timers;
  private readonly visibility: Visibility;

  constructor(private readonly options: PollerOptions) {
    this.activeMs = options.activeMs ?? 2000;
    this.idleMs = options.idleMs ?? 10_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.timers = options.timers ?? realTimers;
    this.visibility = options.visibility ?? documentVisibility();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.visibility.subscribe(() => this.onVisibilityChange());
    if (!this.visibility.isHidden()) void this.poll();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.abort?.abort();
  }

  /** Poll now (after a mutation); if a request is in flight, poll again as soon as it returns. */
  refresh(): void {
    if (this.stopped) return;
    if (this.inFlight) {
      this.refreshAsked = true;
      return;
    }
    this.clearTimer();
    void this.poll();
  }

  /** The delay before the next poll in the current mode (exposed for tests and the UI). */
  nextDelay(): number {
    if (this.failures > 0) return Math.min(this.activeMs * 2 ** (this.failures - 1), this.maxBackoffMs);
    const { pending, running, isOptimizing } = this.state.summary;
    return isOptimizing || pending + running > 0 ? this.activeMs : this.idleMs;
  }

  private onVisibilityChange(): void {
    if (this.stopped) return;
    if (this.visibility.isHidden()) {
      this.clearTimer();
    } else if (!this.inFlight) {
      this.clearTimer();
      void this.poll();
    }
  }

  private async poll(): Promise<void> {
    if (this.inFlight || this.stopped) return;
    this.inFlight = true;
    this.abort = new AbortController();
    if (this.state.error !== null && !this.state.retrying) this.setState({ ...this.state, retrying: true });
    try {
      const result = await this.options.client.jobStatus(this.options.query ?? {}, this.etag, this.abort.signal);
      if (this.stopped) return;
      this.failures = 0;
      this.etag = result.etag;
      if (!result.notModified) {
        const { jobs, summary, total, nextCursor } = result.body;
        this.setState({ jobs, summary, total, nextCursor, error: null, apiDown: false, unauthorized: false, loaded: true, retrying: false, lastUpdatedAt: this.timers.now() });
      } else if (this.state.error || this.state.apiDown || this.state.unauthorized || this.state.retrying) {
        this.setState({ ...this.state, error: null, apiDown: false, unauthorized: false, retrying: false });
      }
    } catch (error) {
      if (this.stopped) return;
      this.failures += 1;
      const apiDown = !(error instanceof ApiError) || error.isUnavailable;
      const message = error instanceof Error ? error.message : String(error);
      const unauthorized = error instanceof ApiError && error.status === 401;
      this.setState({ ...this.state, error: message, apiDown, unauthorized, retrying: false });
    } finally {
      this.inFlight = false;
      this.abort = null;
    }
    if (this.stopped) return;
    if (this.refreshAsked) {
      this.refreshAsked = false;
      void this.poll();
    } else {
      this.schedule();
    }
  }

  private schedule(): void {
    this.clearTimer();
    if (this.visibility.isHidden()) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.poll();
    }, this.nextDelay());
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private setState(state: JobStatusState): void {
    this.state = state;
    this.options.onState(state);
  }
}
