/**
 * Time as the queue sees it: the current epoch milliseconds and one-shot timers. Everything
 * periodic in src/queue (claim backstop, lease renewal, lost-lease checks, progress flushes,
 * rescue) goes through a Clock, so tests move time with a ManualClock instead of sleeping.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): number;
  /** Calls `fn` once after `ms`. The handle cancels it; a cancelled or fired timer costs nothing. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    // Not unref'd: a draining worker may have nothing else keeping the process alive while it
    // waits for its deadline. Every component stops its timers when it stops.
    const timer = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(timer) };
  },
};

/**
 * Runs `fn` every `ms` until stopped. The next run is scheduled when the previous one has
 * finished, so a slow store call never stacks runs on top of each other.
 */
export function every(clock: Clock, ms: number, fn: () => Promise<void> | void): { stop(): void } {
  let stopped = false;
  let timer: TimerHandle | null = null;
  const schedule = () => {
    if (stopped) return;
    timer = clock.setTimeout(() => {
      timer = null;
      void Promise.resolve()
        .then(fn)
        .catch(() => undefined) // callers log their own failures; a throw must not stop the loop
        .finally(schedule);
    }, ms);
  };
  schedule();
  return {
    stop() {
      stopped = true;
      timer?.cancel();
      timer = null;
    },
  };
}
