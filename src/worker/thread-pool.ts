import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * ThreadPool: one worker thread per slot, so CPU-bound fits never block the main thread (where
 * the lease heartbeat and the claim loop live). Threads are started up front and reused. A task
 * whose signal aborts (cancel, lost lease, shutdown) gets its thread terminated, which is the only
 * way to stop a tight numeric loop at once; a fresh thread replaces it. A thread that crashes is
 * replaced the same way, and its task rejects.
 *
 * Messages from a thread: {type: 'progress', progress} | {type: 'result', result} |
 * {type: 'error', error: {name, message}}.
 */
export type ThreadMessage =
  | { type: 'progress'; progress: number }
  | { type: 'result'; result: unknown }
  | { type: 'error'; error: { name: string; message: string } };

export interface ThreadTask {
  signal: AbortSignal;
  onProgress?(progress: number): void;
  /** The task got a thread and its payload was posted: its work starts now (run timeouts count from here). */
  onStart?(): void;
}

export class ThreadPool {
  private readonly idle: Worker[] = [];
  private readonly threads = new Set<Worker>();
  private readonly waiting: Array<(thread: Worker) => void> = [];
  private closed = false;

  constructor(
    private readonly file: URL,
    readonly size: number,
    /** Told each time a thread is terminated or died and a fresh one took its place. */
    private readonly onReplaced?: (reason: 'abort' | 'crash') => void,
    /** Each thread's V8 heap limits (e.g. a larger young generation for allocation-heavy work). */
    private readonly resourceLimits?: ResourceLimits,
  ) {
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  /** Threads alive right now (idle or busy): stays `size` across cancels. */
  get threadCount(): number {
    return this.threads.size;
  }

  /**
   * Runs `payload` on the next free thread. Tasks wait in FIFO order while every thread is busy
   * (a worker holds a few more jobs than threads so each thread's next input is ready); a task
   * whose signal aborts while it waits leaves the queue at once and never runs.
   */
  async run<T>(payload: unknown, task: ThreadTask): Promise<T> {
    if (task.signal.aborted) throw task.signal.reason;
    const thread = await this.acquire(task.signal);
    if (task.signal.aborted) {
      // Aborted between getting the thread and now: an abort listener added now would never fire.
      this.giveBack(thread);
      throw task.signal.reason;
    }
    return new Promise<T>((resolve, reject) => {
      const cleanup = () => {
        thread.off('message', onMessage);
        thread.off('error', onError);
        thread.off('exit', onExit);
        task.signal.removeEventListener('abort', onAbort);
      };
      const onMessage = (message: ThreadMessage) => {
        if (message.type === 'progress') {
          task.onProgress?.(message.progress);
          return;
        }
        cleanup();
        this.giveBack(thread);
        if (message.type === 'result') resolve(message.result as T);
        else reject(rebuildError(message.error));
      };
      const onError = (error: Error) => {
        cleanup();
        this.replace(thread, 'crash');
        reject(error);
      };
      const onExit = (code: number) => {
        cleanup();
        this.replace(thread, 'crash');
        reject(new Error(`the optimization thread stopped unexpectedly (exit code ${code})`));
      };
      const onAbort = () => {
        cleanup();
        this.replace(thread, 'abort');
        reject(task.signal.reason);
      };
      thread.on('message', onMessage);
      thread.on('error', onError);
      thread.on('exit', onExit);
      task.signal.addEventListener('abort', onAbort, { once: true });
      thread.postMessage(payload);
      task.onStart?.();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.threads];
    this.threads.clear();
    this.idle.length = 0;
    await Promise.all(all.map((thread) => thread.terminate()));
  }

  private spawn(): Worker {
    const thread = new Worker(this.file, this.resourceLimits ? { resourceLimits: this.resourceLimits } : {});
    // An idle thread dying (out of memory, a bug at import) must not take the process with it.
    thread.on('exit', () => this.replace(thread, 'crash'));
    thread.on('error', () => undefined);
    this.threads.add(thread);
    return thread;
  }

  /** Tasks waiting for a thread right now. */
  get queued(): number {
    return this.waiting.length;
  }

  private acquire(signal: AbortSignal): Promise<Worker> {
    if (this.closed) return Promise.reject(new Error('the thread pool is closed'));
    const thread = this.idle.pop();
    if (thread) return Promise.resolve(thread);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const at = this.waiting.indexOf(take);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal.reason);
      };
      const take = (t: Worker) => {
        signal.removeEventListener('abort', onAbort);
        resolve(t);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(take);
    });
  }

  private giveBack(thread: Worker): void {
    if (this.closed) return;
    const next = this.waiting.shift();
    if (next) next(thread);
    else this.idle.push(thread);
  }

  /** Terminates `thread` (if it still runs) and puts a fresh one in its place. */
  private replace(thread: Worker, reason: 'abort' | 'crash'): void {
    if (!this.threads.delete(thread)) return; // already replaced
    const idleAt = this.idle.indexOf(thread);
    if (idleAt >= 0) this.idle.splice(idleAt, 1);
    void thread.terminate().catch(() => undefined);
    if (this.closed) return;
    this.onReplaced?.(reason);
    this.giveBack(this.spawn());
  }
}

function rebuildError(error: { name: string; message: string }): Error {
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return rebuilt;
}
