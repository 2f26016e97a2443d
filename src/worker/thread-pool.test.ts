import { afterEach, describe, expect, it } from 'vitest';
import { FIT_THREAD_LIMITS } from './forecast-handler.js';
import { ThreadPool } from './thread-pool.js';

const spinThread = new URL('./testing/spin-thread.mjs', import.meta.url);
let pool: ThreadPool | null = null;

afterEach(async () => {
  await pool?.close();
  pool = null;
});

const live = () => new AbortController().signal;

describe('ThreadPool', () => {
  it('runs tasks on separate threads and passes results and progress back', async () => {
    pool = new ThreadPool(spinThread, 2);
    const progress: number[] = [];
    const [a, b] = await Promise.all([
      pool.run<{ threadId: number; echo: string }>({ spinMs: 100, echo: 'a' }, { signal: live(), onProgress: (p) => progress.push(p) }),
      pool.run<{ threadId: number; echo: string }>({ spinMs: 100, echo: 'b' }, { signal: live() }),
    ]);
    expect([a.echo, b.echo]).toEqual(['a', 'b']);
    expect(a.threadId).not.toBe(b.threadId);
    expect(progress.length).toBeGreaterThan(0);
  });

  it('starts every thread with the heap limits it was given, a replacement for an aborted one too (the fit pool doubles the young generation)', async () => {
    type Limits = { youngGenerationMb: number; heapLimitMb: number };
    const replaced: string[] = [];
    pool = new ThreadPool(spinThread, 1, { onReplaced: (reason) => replaced.push(reason), resourceLimits: FIT_THREAD_LIMITS });
    const first = await pool.run<Limits>({ spinMs: 0 }, { signal: live() });
    expect(first.youngGenerationMb).toBe(FIT_THREAD_LIMITS.maxYoungGenerationSizeMb);
    const aborted = new AbortController();
    const spinning = pool.run({ spinMs: 5_000 }, { signal: aborted.signal, onProgress: () => aborted.abort() });
    await expect(spinning).rejects.toThrow();
    const fresh = await pool.run<Limits>({ spinMs: 0 }, { signal: live() });
    expect(replaced).toEqual(['abort']);
    expect([fresh.youngGenerationMb, fresh.heapLimitMb]).toEqual([first.youngGenerationMb, first.heapLimitMb]);
    // Without limits a thread keeps V8's default young generation (48 MB on a host with 8 GB or
    // more; V8 scales it down with the memory limit) and the same old generation: V8 really grew
    // the heap's limit by the young generation's difference, nothing else. A --max-semi-space-size
    // flag (NODE_OPTIONS) overrides resourceLimits in every isolate; then there is no difference.
    const plain = new ThreadPool(spinThread, 1);
    try {
      const defaults = await plain.run<Limits>({ spinMs: 0 }, { signal: live() });
      expect(defaults.youngGenerationMb).toBeLessThan(FIT_THREAD_LIMITS.maxYoungGenerationSizeMb);
      const semiSpaceFlag = /--max-semi-space-size|--max-heap-size/.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`);
      if (!semiSpaceFlag) expect(first.heapLimitMb - defaults.heapLimitMb).toBe(FIT_THREAD_LIMITS.maxYoungGenerationSizeMb - defaults.youngGenerationMb);
    } finally {
      await plain.close();
    }
  });

  it('keeps the main thread free while a thread spins', async () => {
    pool = new ThreadPool(spinThread, 1);
    const task = pool.run({ spinMs: 1_500 }, { signal: live() });
    let finished = false;
    void task.then(() => (finished = true));
    let ticks = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        ticks++;
        if (ticks === 5) clearInterval(timer), resolve();
      }, 20);
    });
    // Five timer ticks ran on the main thread while the thread was still spinning (no wall-clock
    // bound: a loaded machine slows both sides alike).
    expect(finished).toBe(false);
    await task;
    expect(finished).toBe(true);
  });

  it('terminates the thread of an aborted task at once and replaces it', async () => {
    pool = new ThreadPool(spinThread, 1);
    const controller = new AbortController();
    let spinning!: () => void;
    const began = new Promise<void>((resolve) => (spinning = resolve));
    const task = pool.run({ spinMs: 30_000 }, { signal: controller.signal, onProgress: () => spinning() });
    await began;
    const abortedAt = Date.now();
    controller.abort(new Error('cancelled by the planner'));
    await expect(task).rejects.toThrow('cancelled by the planner');
    // terminated, not left to finish: the 30 s spin would still be running (a bound no load reaches)
    expect(Date.now() - abortedAt).toBeLessThan(25_000);
    expect(pool.threadCount).toBe(1);
    const after = await pool.run<{ echo: string }>({ spinMs: 1, echo: 'still works' }, { signal: live() });
    expect(after.echo).toBe('still works');
  });

  it('rejects with the thread error name and message, and survives a crashed thread', async () => {
    pool = new ThreadPool(spinThread, 1);
    await expect(pool.run({ fail: "SKU 'X' has no sales" }, { signal: live() })).rejects.toMatchObject({
      name: 'InputDataError', message: "SKU 'X' has no sales",
    });
    await expect(pool.run({ crash: true }, { signal: live() })).rejects.toThrow(/exit code 3/);
    expect(pool.threadCount).toBe(1);
    await expect(pool.run({ spinMs: 1, echo: 'ok' }, { signal: live() })).resolves.toMatchObject({ echo: 'ok' });
  });

  it('queues tasks beyond its threads in order and starts each when a thread frees (onStart)', async () => {
    pool = new ThreadPool(spinThread, 1);
    const started: string[] = [];
    const first = pool.run<{ echo: string }>({ spinMs: 50, echo: 'first' }, { signal: live(), onStart: () => started.push('first') });
    const second = pool.run<{ echo: string }>({ spinMs: 1, echo: 'second' }, { signal: live(), onStart: () => started.push('second') });
    await Promise.resolve();
    expect(started).toEqual(['first']);
    expect(pool.queued).toBe(1);
    await expect(first).resolves.toMatchObject({ echo: 'first' });
    await expect(second).resolves.toMatchObject({ echo: 'second' });
    expect(started).toEqual(['first', 'second']);
  });

  it('drops a queued task whose signal aborts before it gets a thread: it rejects at once and never runs', async () => {
    pool = new ThreadPool(spinThread, 1);
    const busy = new AbortController();
    let spinning!: () => void;
    const began = new Promise<void>((resolve) => (spinning = resolve));
    const running = pool.run({ spinMs: 30_000 }, { signal: busy.signal, onProgress: () => spinning() });
    await began;
    const cancelled = new AbortController();
    let cancelledStarted = false;
    const queued = pool.run({ spinMs: 30_000, echo: 'cancelled' }, { signal: cancelled.signal, onStart: () => (cancelledStarted = true) });
    const after = pool.run<{ echo: string }>({ spinMs: 1, echo: 'next in line' }, { signal: live() });
    expect(pool.queued).toBe(2);
    cancelled.abort(new Error('cancelled by the planner'));
    // Rejects while the only thread is still spinning on the first task: it left the queue.
    await expect(queued).rejects.toThrow('cancelled by the planner');
    expect(pool.queued).toBe(1);
    busy.abort(new Error('stop the spin'));
    await expect(running).rejects.toThrow('stop the spin');
    // The freed (replaced) thread goes to the task behind it; the cancelled one never started.
    await expect(after).resolves.toMatchObject({ echo: 'next in line' });
    expect(cancelledStarted).toBe(false);
    expect(pool.queued).toBe(0);
  });
});

describe('ThreadPool with depth 2 (each thread is posted its next task while it runs one)', () => {
  type Echo = { threadId: number; echo: string };

  it('posts the next task behind a running one, which starts as the first posts its result', async () => {
    pool = new ThreadPool(spinThread, 1, { depth: 2 });
    const started: string[] = [];
    const first = pool.run<Echo>({ spinMs: 50, echo: 'first' }, { signal: live(), onStart: () => started.push('first') });
    const second = pool.run<Echo>({ spinMs: 1, echo: 'second' }, { signal: live(), onStart: () => started.push('second') });
    const third = pool.run<Echo>({ spinMs: 1, echo: 'third' }, { signal: live(), onStart: () => started.push('third') });
    // Posted behind the first: not started, so still queued; the third waits in the pool.
    expect(started).toEqual(['first']);
    expect(pool.queued).toBe(2);
    const results = await Promise.all([first, second, third]);
    expect(results.map((r) => r.echo)).toEqual(['first', 'second', 'third']);
    expect(new Set(results.map((r) => r.threadId)).size).toBe(1);
    expect(started).toEqual(['first', 'second', 'third']);
  });

  it('withdraws a posted task that aborts before it starts: it rejects at once and the running task keeps its thread', async () => {
    const replaced: string[] = [];
    pool = new ThreadPool(spinThread, 1, { depth: 2, onReplaced: (reason) => replaced.push(reason) });
    let spinning!: () => void;
    const began = new Promise<void>((resolve) => (spinning = resolve));
    const running = pool.run<Echo>({ spinMs: 300, echo: 'running' }, { signal: live(), onProgress: () => spinning() });
    await began;
    const cancelled = new AbortController();
    let cancelledStarted = false;
    const behind = pool.run({ spinMs: 30_000, echo: 'cancelled' }, { signal: cancelled.signal, onStart: () => (cancelledStarted = true) });
    expect(pool.queued).toBe(1);
    cancelled.abort(new Error('cancelled by the planner'));
    await expect(behind).rejects.toThrow('cancelled by the planner');
    expect(pool.queued).toBe(0);
    // The thread was not terminated: the running task finishes there, and the withdrawn one (a
    // 30 s spin) never ran: the next task gets the same thread right after.
    const runningResult = await running;
    const next = await pool.run<Echo>({ spinMs: 1, echo: 'next' }, { signal: live() });
    expect(next.threadId).toBe(runningResult.threadId);
    expect(replaced).toEqual([]);
    expect(cancelledStarted).toBe(false);
  });

  it('terminates the thread of an aborted running task; the task posted behind it runs on the fresh thread', async () => {
    const replaced: string[] = [];
    pool = new ThreadPool(spinThread, 1, { depth: 2, onReplaced: (reason) => replaced.push(reason) });
    const controller = new AbortController();
    let spinning!: () => void;
    const began = new Promise<void>((resolve) => (spinning = resolve));
    const running = pool.run<Echo>({ spinMs: 30_000 }, { signal: controller.signal, onProgress: () => spinning() });
    const behind = pool.run<Echo>({ spinMs: 1, echo: 'behind' }, { signal: live() });
    await began;
    controller.abort(new Error('stop the spin'));
    await expect(running).rejects.toThrow('stop the spin');
    const result = await behind;
    expect(result.echo).toBe('behind');
    expect(replaced).toEqual(['abort']);
    expect(pool.threadCount).toBe(1);
  });

  it('lets an idle thread steal a task posted behind a busy one', async () => {
    pool = new ThreadPool(spinThread, 2, { depth: 2 });
    const long = new AbortController();
    let longSpinning!: () => void;
    const longBegan = new Promise<void>((resolve) => (longSpinning = resolve));
    // Posted in this order: long -> thread A (idle), short -> thread B (idle), stolen -> behind
    // long on A (both busy, A first). When short ends, B is idle with nothing waiting: it takes
    // `stolen` back from behind the 30 s spin.
    const spinningLong = pool.run<Echo>({ spinMs: 30_000, echo: 'long' }, { signal: long.signal, onProgress: () => longSpinning() });
    const short = pool.run<Echo>({ spinMs: 20, echo: 'short' }, { signal: live() });
    const stolen = pool.run<Echo>({ spinMs: 1, echo: 'stolen' }, { signal: live() });
    await longBegan;
    const [shortResult, stolenResult] = await Promise.all([short, stolen]);
    expect(stolenResult.threadId).toBe(shortResult.threadId);
    long.abort(new Error('done'));
    await expect(spinningLong).rejects.toThrow('done');
  });

  it('keeps the result of a task whose thread already started the aborted task behind it, then replaces the thread', async () => {
    const replaced: string[] = [];
    pool = new ThreadPool(spinThread, 1, { depth: 2, onReplaced: (reason) => replaced.push(reason) });
    const started = new Int32Array(new SharedArrayBuffer(4));
    const controller = new AbortController();
    let firstStarts = 0;
    const first = pool.run<Echo>({ spinMs: 20, echo: 'first' }, { signal: live(), onStart: () => firstStarts++ });
    const second = pool.run<Echo>({ spinMs: 30_000, started }, { signal: controller.signal });
    // Block the main thread until the thread has begun `second`: `first` has posted its result,
    // which the main thread has not read yet. Aborting `second` now cannot withdraw it, and
    // terminating the thread at once would lose `first`'s result.
    expect(Atomics.wait(started, 0, 0, 20_000)).not.toBe('timed-out');
    const secondOutcome = second.then(() => 'resolved', (e: Error) => e.message);
    controller.abort(new Error('cancelled while its thread started it'));
    // Read from the old thread, not run again on a fresh one.
    await expect(first).resolves.toMatchObject({ echo: 'first' });
    expect(firstStarts).toBe(1);
    expect(await secondOutcome).toBe('cancelled while its thread started it');
    const after = await pool.run<Echo>({ spinMs: 1, echo: 'after' }, { signal: live() });
    expect(after.echo).toBe('after');
    expect(replaced).toEqual(['abort']);
  });

  it('fails the task that crashed its thread and runs the one posted behind it on the fresh thread', async () => {
    const replaced: string[] = [];
    pool = new ThreadPool(spinThread, 1, { depth: 2, onReplaced: (reason) => replaced.push(reason) });
    const crash = pool.run({ spinMs: 0, crash: true }, { signal: live() });
    const behind = pool.run<Echo>({ spinMs: 1, echo: 'behind' }, { signal: live() });
    await expect(crash).rejects.toThrow(/exit code 3/);
    await expect(behind).resolves.toMatchObject({ echo: 'behind' });
    expect(replaced).toEqual(['crash']);
  });

  it('rejects every task it still holds when closed', async () => {
    pool = new ThreadPool(spinThread, 1, { depth: 2 });
    const outcomes = [0, 1, 2].map(() => pool!.run({ spinMs: 30_000 }, { signal: live() }).then(() => 'resolved', (e: Error) => e.message));
    await pool.close();
    pool = null;
    expect(await Promise.all(outcomes)).toEqual(Array(3).fill('the thread pool is closed'));
  });
});

describe('ThreadPool with depth 2: no task is left behind a long fit', () => {
  type Echo = { threadId: number; echo: string };
  const brokenThread = new URL('./testing/broken-thread.mjs', import.meta.url);

  it('gives a task posted behind a long fit to the other thread before the newer tasks it keeps getting', async () => {
    pool = new ThreadPool(spinThread, 2, { depth: 2 });
    const p = pool;
    const long = new AbortController();
    let longDone = false;
    const spinningLong = p.run({ spinMs: 30_000 }, { signal: long.signal }).finally(() => (longDone = true));
    const first = p.run<Echo>({ spinMs: 50, echo: 'first' }, { signal: live() }); // the other thread
    const behindLong = p.run<Echo>({ spinMs: 1, echo: 'behind' }, { signal: live() }); // posted behind the 30 s fit
    const next = p.run<Echo>({ spinMs: 50, echo: 'next' }, { signal: live() }); // behind `first`
    const newer = p.run<Echo>({ spinMs: 50, echo: 'newer' }, { signal: live() }); // waits in the queue
    const order: string[] = [];
    await Promise.all([first, behindLong, next, newer].map((t) => t.then((r) => order.push(r.echo))));
    // `behind` came before `newer`, so the thread that ran `first` took it back from behind the
    // long fit ahead of `newer` (only `next`, already posted there, ran before it).
    expect(order.indexOf('behind')).toBeLessThan(order.indexOf('newer'));
    expect(longDone).toBe(false);
    long.abort(new Error('done'));
    await expect(spinningLong).rejects.toThrow('done');
  });

  it('has a fresh thread (after an abort) take the task waiting behind a long fit', async () => {
    pool = new ThreadPool(spinThread, 2, { depth: 2 });
    const long = new AbortController();
    let longDone = false;
    const spinningLong = pool.run({ spinMs: 30_000 }, { signal: long.signal }).finally(() => (longDone = true));
    const killed = new AbortController();
    let spinning!: () => void;
    const began = new Promise<void>((resolve) => (spinning = resolve));
    const doomed = pool.run({ spinMs: 30_000 }, { signal: killed.signal, onProgress: () => spinning() });
    const behindLong = pool.run<Echo>({ spinMs: 1, echo: 'behind' }, { signal: live() });
    await began;
    killed.abort(new Error('cancel'));
    await expect(doomed).rejects.toThrow('cancel');
    await expect(behindLong).resolves.toMatchObject({ echo: 'behind' });
    expect(longDone).toBe(false);
    long.abort(new Error('done'));
    await expect(spinningLong).rejects.toThrow('done');
  });

  it('runs a task taken back from a thread there never: each later task gets its own result', async () => {
    pool = new ThreadPool(spinThread, 2, { depth: 2 });
    const long = pool.run<Echo>({ spinMs: 300, echo: 'long' }, { signal: live() });
    const short = pool.run<Echo>({ spinMs: 20, echo: 'short' }, { signal: live() });
    const stolen = pool.run<Echo>({ spinMs: 1, echo: 'stolen' }, { signal: live() });
    const [, s, st] = await Promise.all([long, short, stolen]);
    expect(st.threadId).toBe(s.threadId);
    const next = await Promise.all([0, 1, 2, 3].map((i) => pool!.run<Echo>({ spinMs: 1, echo: `n${i}` }, { signal: live() })));
    expect(next.map((r) => r.echo)).toEqual(['n0', 'n1', 'n2', 'n3']);
  });

  it('loses no task when a start callback aborts the task it announces', async () => {
    pool = new ThreadPool(spinThread, 2, { depth: 2 });
    const p = pool;
    const long = new AbortController();
    const spinningLong = p.run({ spinMs: 30_000 }, { signal: long.signal });
    const head = p.run<Echo>({ spinMs: 20, echo: 'head' }, { signal: live() });
    const behindLong = p.run<Echo>({ spinMs: 1, echo: 'behind' }, { signal: live() });
    const started = new Int32Array(new SharedArrayBuffer(4));
    const aborted = new AbortController();
    const announced = p.run({ spinMs: 30_000, started }, {
      signal: aborted.signal,
      onStart: () => {
        Atomics.wait(started, 0, 0, 20_000); // its thread has started it: the abort must stop the thread
        aborted.abort(new Error('abort in onStart'));
      },
    });
    await expect(announced).rejects.toThrow('abort in onStart');
    await head;
    // The replaced thread's fresh successor takes `behind` from behind the 30 s fit.
    await expect(behindLong).resolves.toMatchObject({ echo: 'behind' });
    long.abort(new Error('done'));
    await expect(spinningLong).rejects.toThrow('done');
  });

  it('fails the tasks of a thread that cannot load its file instead of respawning for them forever', async () => {
    const replaced: string[] = [];
    pool = new ThreadPool(brokenThread, 1, { depth: 2, onReplaced: (reason) => replaced.push(reason) });
    const outcomes = [0, 1].map(() => pool!.run({ spinMs: 1 }, { signal: live() }).then(() => 'resolved', (e: Error) => e.message));
    expect(await Promise.all(outcomes)).toEqual(['cannot load the engine', 'cannot load the engine']);
    expect(replaced[0]).toBe('crash');
  });
});
