import type { Clock, TimerHandle } from './clock.js';

/**
 * A Clock that only moves when a test says so. `advance(ms)` fires every timer that falls due,
 * in time order, and lets the promises each one starts settle before firing the next, so a test
 * reads like a timeline ("30 s later the lease has been renewed 3 times") and never sleeps.
 */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now = (): number => this.current;

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.timers.set(id, { at: this.current + Math.max(0, ms), fn });
    return { cancel: () => void this.timers.delete(id) };
  }

  /** How many timers are waiting: lets a test check that a stopped component left none behind. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  async advance(ms: number): Promise<void> {
    const end = this.current + ms;
    for (;;) {
      await settle();
      let next: [number, { at: number; fn: () => void }] | null = null;
      for (const entry of this.timers) {
        if (entry[1].at <= end && (next === null || entry[1].at < next[1].at)) next = entry;
      }
      if (next === null) break;
      this.timers.delete(next[0]);
      this.current = Math.max(this.current, next[1].at);
      next[1].fn();
    }
    this.current = end;
    await settle();
  }
}

/** Lets pending promise chains (store calls included) run to completion. Not a sleep: no time passes. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
