import { Worker, type ResourceLimits } from 'node:worker_threads';
import { newTaskFlag, taskStarted, withdrawTask, type TaskFlag } from './task-flag.js';

/**
 * ThreadPool: one worker thread per slot, so CPU-bound fits never block the main thread (where
 * the lease heartbeat and the claim loop live). Threads are started up front and reused.
 *
 * Modes of a task: 'waiting' (in the pool's FIFO while every thread holds `depth` tasks) ->
 * 'posted' (sent to a thread, which runs its tasks one after another: the first is running, the
 * ones behind it are its next, picked up the moment it posts a result, without waiting for the
 * main thread to read that result and answer) -> settled. Each posted task carries a TaskFlag, so
 * one that has not started can still be taken back: on abort (it rejects at once; the thread
 * keeps the task it is running) or by another thread with room, which always takes the oldest
 * task not started, queued or posted (so no job waits behind a long fit while newer ones run).
 * A task whose signal aborts once it runs gets its thread terminated, which is the only way to
 * stop a tight numeric loop at once; a fresh thread replaces it and the tasks posted behind it go
 * to the front of the queue. A thread that crashes is replaced the same way, and the tasks it had
 * started reject (all of its tasks, if it died before it answered or started any: its file does
 * not load).
 *
 * Messages to a thread: ThreadEnvelope. From a thread, for the task it runs: {type: 'progress',
 * progress} | {type: 'result', result} | {type: 'error', error: {name, message}}.
 */
export type ThreadMessage =
  | { type: 'progress'; progress: number }
  | { type: 'result'; result: unknown }
  | { type: 'error'; error: { name: string; message: string } };

/** What a thread receives: it runs `payload` only if startTask(flag) says the task is still its own. */
export interface ThreadEnvelope<P = unknown> {
  payload: P;
  flag: TaskFlag;
}

export interface ThreadTask {
  signal: AbortSignal;
  onProgress?(progress: number): void;
  /**
   * The task is its thread's current one: it runs now (run timeouts count from here). Told when
   * the task before it on the thread settles, so it may be told again if its thread is replaced
   * and it starts over elsewhere.
   */
  onStart?(): void;
}

export interface ThreadPoolOptions {
  /** Told each time a thread is terminated or died and a fresh one took its place. */
  onReplaced?: (reason: 'abort' | 'crash') => void;
  /** Each thread's V8 heap limits (e.g. a larger young generation for allocation-heavy work). */
  resourceLimits?: ResourceLimits;
  /** Tasks posted to a thread at once: 1 runs one and waits; 2 also posts its next one. Default 1. */
  depth?: number;
}

interface Entry {
  /** Order of arrival: a thread with room takes the oldest task that has not started, wherever it is. */
  readonly seq: number;
  readonly payload: unknown;
  readonly task: ThreadTask;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly onAbort: () => void;
  slot: Slot | null;
  flag: TaskFlag | null;
  /** Aborted after its thread had started it behind another task: the thread goes when it reaches the head. */
  abandoned: boolean;
  done: boolean;
}

interface Slot {
  readonly thread: Worker;
  /** The thread answered or started a task, so its file loads: a crash before that is the file's, not a task's. */
  ready: boolean;
  /** Posted tasks in the thread's order: [0] is running (or next to start), the rest wait behind it. */
  posted: Entry[];
}

export class ThreadPool {
  private readonly slots = new Set<Slot>();
  private readonly waiting: Entry[] = [];
  private readonly depth: number;
  private seq = 0;
  private closed = false;

  constructor(
    private readonly file: URL,
    readonly size: number,
    private readonly options: ThreadPoolOptions = {},
  ) {
    const depth = Math.floor(options.depth ?? 1);
    this.depth = Number.isFinite(depth) && depth > 1 ? depth : 1;
    for (let i = 0; i < size; i++) this.spawn();
  }

  /** Threads alive right now (idle or busy): stays `size` across cancels. */
  get threadCount(): number {
    return this.slots.size;
  }

  /** Tasks that have not started: waiting for a thread, or posted behind a running one. */
  get queued(): number {
    let n = this.waiting.length;
    for (const slot of this.slots) n += Math.max(0, slot.posted.filter((e) => !e.done).length - 1);
    return n;
  }

  /**
   * Runs `payload` on a thread: an idle one first, else one with room in its `depth`. Tasks wait
   * in FIFO order while every thread is full (a worker holds more jobs than threads so each
   * thread's next input is ready); a task whose signal aborts before it starts rejects at once
   * and never runs.
   */
  run<T>(payload: unknown, task: ThreadTask): Promise<T> {
    if (task.signal.aborted) return Promise.reject(task.signal.reason);
    if (this.closed) return Promise.reject(new Error('the thread pool is closed'));
    return new Promise<T>((resolve, reject) => {
      const entry: Entry = {
        seq: this.seq++, payload, task, resolve: resolve as (value: unknown) => void, reject,
        onAbort: () => this.abort(entry), slot: null, flag: null, abandoned: false, done: false,
      };
      task.signal.addEventListener('abort', entry.onAbort, { once: true });
      this.waiting.push(entry);
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = [...this.slots];
    this.slots.clear();
    const closedError = new Error('the thread pool is closed');
    for (const entry of this.waiting.splice(0)) this.fail(entry, closedError);
    for (const slot of slots) for (const entry of slot.posted) this.fail(entry, closedError);
    await Promise.all(slots.map((slot) => slot.thread.terminate()));
  }

  private spawn(): Slot {
    const { resourceLimits } = this.options;
    const thread = new Worker(this.file, resourceLimits ? { resourceLimits } : {});
    const slot: Slot = { thread, ready: false, posted: [] };
    thread.on('message', (message: ThreadMessage) => this.onMessage(slot, message));
    thread.on('error', (error: Error) => this.replace(slot, 'crash', error));
    thread.on('exit', (code: number) => this.replace(slot, 'crash', new Error(`the optimization thread stopped unexpectedly (exit code ${code})`)));
    this.slots.add(slot);
    return slot;
  }

  /** Posts waiting tasks while some thread has room: idle threads first, then the least loaded. */
  private pump(): void {
    while (this.waiting.length > 0) {
      const slot = this.roomiest();
      if (!slot) return;
      this.post(slot, this.waiting.shift()!);
    }
  }

  private roomiest(): Slot | null {
    let best: Slot | null = null;
    for (const slot of this.slots) {
      if (slot.posted.length >= this.depth) continue;
      if (!best || slot.posted.length < best.posted.length) best = slot;
      if (slot.posted.length === 0) break;
    }
    return best;
  }

  private post(slot: Slot, entry: Entry): void {
    entry.slot = slot;
    entry.flag = newTaskFlag();
    slot.posted.push(entry);
    slot.thread.postMessage({ payload: entry.payload, flag: entry.flag } satisfies ThreadEnvelope);
    if (slot.posted.length === 1) tell(() => entry.task.onStart?.());
  }

  private onMessage(slot: Slot, message: ThreadMessage): void {
    if (!this.slots.has(slot)) return;
    slot.ready = true;
    const head = slot.posted[0];
    if (!head) return;
    if (message.type === 'progress') {
      if (!head.done) tell(() => head.task.onProgress?.(message.progress));
      return;
    }
    slot.posted.shift();
    if (message.type === 'result') this.fulfil(head, message.result);
    else this.fail(head, rebuildError(message.error));
    this.advance(slot);
  }

  /** The slot's head task settled or left: the thread moves on to the next posted one. */
  private advance(slot: Slot): void {
    const next = slot.posted[0];
    if (next?.abandoned) {
      this.replace(slot, 'abort');
      return;
    }
    if (next) tell(() => next.task.onStart?.());
    this.refill(slot);
  }

  /** A thread has room: it takes the oldest unstarted tasks, then any other thread with room takes queued ones. */
  private refill(slot: Slot): void {
    this.fill(slot); // a no-op for a slot replaced meanwhile (e.g. by an onStart that aborted its task)
    this.pump();
  }

  /**
   * Gives a thread with room the oldest tasks that have not started: from the queue, or taken back
   * from behind another thread's running fit. Without taking back, a short job posted behind an
   * hour-long fit would wait for it while the other threads run every newer job (the Runner keeps
   * them all supplied), and a fresh thread after a replacement would idle beside it.
   */
  private fill(slot: Slot): void {
    const skip = new Set<Entry>(); // started behind another thread's head: not ours to take
    while (this.slots.has(slot) && slot.posted.length < this.depth) {
      let oldest: Entry | null = this.waiting[0] ?? null;
      let from: Slot | null = null;
      for (const other of this.slots) {
        if (other === slot) continue;
        for (let i = 1; i < other.posted.length; i++) {
          const entry = other.posted[i]!;
          if (entry.done || skip.has(entry) || (oldest && oldest.seq < entry.seq)) continue;
          oldest = entry;
          from = other;
        }
      }
      if (!oldest) return;
      if (!from) {
        this.post(slot, this.waiting.shift()!);
        continue;
      }
      if (!withdrawTask(oldest.flag!)) {
        skip.add(oldest);
        continue;
      }
      from.posted.splice(from.posted.indexOf(oldest), 1);
      this.post(slot, oldest);
    }
  }

  private abort(entry: Entry): void {
    if (entry.done) return;
    const reason = entry.task.signal.reason;
    const slot = entry.slot;
    if (!slot) {
      const at = this.waiting.indexOf(entry);
      if (at >= 0) this.waiting.splice(at, 1);
      this.fail(entry, reason);
      return;
    }
    const at = slot.posted.indexOf(entry);
    if (withdrawTask(entry.flag!)) {
      slot.posted.splice(at, 1);
      this.fail(entry, reason);
      if (at === 0) this.advance(slot);
      else this.refill(slot);
      return;
    }
    this.fail(entry, reason);
    // Started. At the head it is what the thread runs now: stop the thread. Behind the head, the
    // task before it has finished and its result is on its way: terminating now would lose that
    // result, so the thread goes when the result has been read (advance).
    if (at === 0) this.replace(slot, 'abort');
    else entry.abandoned = true;
  }

  /** Terminates the slot's thread (if it still runs) and puts a fresh one in its place. */
  private replace(slot: Slot, reason: 'abort' | 'crash', crash?: Error): void {
    if (!this.slots.delete(slot)) return; // already replaced, or closed
    slot.thread.removeAllListeners('message');
    slot.thread.on('error', () => undefined); // a terminated thread must not take the process with it
    void slot.thread.terminate().catch(() => undefined);
    const orphans = slot.posted.filter((entry) => !entry.done);
    slot.posted = [];
    const again: Entry[] = [];
    const crashError = crash ?? new Error('the optimization thread stopped');
    if (orphans.some((entry) => taskStarted(entry.flag!))) slot.ready = true;
    for (const entry of orphans) {
      // One the thread never started runs elsewhere, unless the thread died loading its file (a
      // fresh one would too: the old pool's answer, the task fails, rather than respawning for it
      // forever). One it started: a crash may be its own doing, so it fails; after an abort (of the
      // task before it) it is pure work, run again elsewhere.
      const unstarted = withdrawTask(entry.flag!);
      if (reason === 'abort' || (unstarted && slot.ready)) again.push(entry);
      else this.fail(entry, crashError);
    }
    for (const entry of again) {
      entry.slot = null;
      entry.flag = null;
    }
    this.waiting.unshift(...again);
    if (this.closed) return;
    this.options.onReplaced?.(reason);
    this.refill(this.spawn());
  }

  private fulfil(entry: Entry, value: unknown): void {
    if (this.finish(entry)) entry.resolve(value);
  }

  private fail(entry: Entry, error: unknown): void {
    if (this.finish(entry)) entry.reject(error);
  }

  /** Marks the task settled; false if it already was. */
  private finish(entry: Entry): boolean {
    if (entry.done) return false;
    entry.done = true;
    entry.task.signal.removeEventListener('abort', entry.onAbort);
    return true;
  }
}

/**
 * Runs a task's callback (the Runner's). They must not throw; if one does, inside a thread's
 * message handler, the pool's bookkeeping must still finish, so the error is dropped here.
 */
function tell(callback: () => void): void {
  try {
    callback();
  } catch {
    // see above
  }
}

function rebuildError(error: { name: string; message: string }): Error {
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return rebuilt;
}
