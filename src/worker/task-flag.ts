/**
 * A task flag: one shared 32-bit word that decides, once, whether a task posted to a thread runs
 * there or is taken back. The thread moves it from 'posted' to 'started' as it picks the task up;
 * the pool moves it from 'posted' to 'withdrawn' to take the task back (an abort, or another thread
 * with room taking it over). Both are compare-and-swaps on the same word, so exactly one side wins and a task
 * never runs after the pool was told it would not, nor is lost after the thread skipped it.
 */
const POSTED = 0;
const STARTED = 1;
const WITHDRAWN = 2;

export type TaskFlag = Int32Array;

export function newTaskFlag(): TaskFlag {
  return new Int32Array(new SharedArrayBuffer(4));
}

/** Thread side: true if the task is the thread's to run; false if the pool took it back. */
export function startTask(flag: TaskFlag): boolean {
  return Atomics.compareExchange(flag, 0, POSTED, STARTED) === POSTED;
}

/** Pool side: true if the task was taken back before its thread started it (it will never run there). */
export function withdrawTask(flag: TaskFlag): boolean {
  return Atomics.compareExchange(flag, 0, POSTED, WITHDRAWN) === POSTED;
}

/** Pool side: whether the thread has started the task (it may have finished it since). */
export function taskStarted(flag: TaskFlag): boolean {
  return Atomics.load(flag, 0) === STARTED;
}
