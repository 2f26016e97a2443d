import type { Clock, TimerHandle } from './clock.js';

/** At most one line about a trouble per this period, after its first line. */
export const logThrottleIntervalMs = 60_000;

/** What `occur()` asks its caller to log now. */
export type ThrottledLine<K extends string> =
  | { line: 'first' }
  /** Occurrences counted since the last line, this one included. */
  | { line: 'repeat'; counts: Record<K, number>; total: number };

/** What `recover()` asks its caller to log: the trouble is over. */
export interface RecoveryLine<K extends string> {
  /** Since the first line of the trouble that is over. */
  elapsedMs: number;
  /** Occurrences counted since the last line that this line reports (none with `onIntervalEnd`: it reports them). */
  counts: Record<K, number>;
  total: number;
}

export interface LogThrottleOptions<K extends string> {
  clock: Clock;
  /** The kinds of occurrence, counted apart (one is fine). */
  kinds: readonly K[];
  intervalMs?: number; // default logThrottleIntervalMs
  /**
   * Reports, at the end of the interval, the occurrences it counted and no line reported, by a
   * timer on the clock. With it the interval spans recoveries: a trouble that comes and goes many
   * times a minute (a flapping connection) writes one line a minute, not two per flap, and the last
   * line tells the state as it is. Without it a recovery line reports what was counted and ends the
   * interval, so the next trouble's first occurrence is logged at once.
   */
  onIntervalEnd?: (counts: Record<K, number>, total: number) => void;
}

/**
 * LogThrottle decides when a trouble that repeats (a store that does not answer, a connection
 * dropped over and over) is worth a log line, so an outage writes a few lines, not one per retry:
 * the first occurrence is logged at once; further ones within the interval after a line are
 * counted, not logged; the next line after the interval carries their count; and the recovery
 * is one line, only after a line about the trouble. It only decides: the caller writes the lines,
 * with its own event names and fields. Time comes from the injected clock.
 */
export class LogThrottle<K extends string> {
  private readonly intervalMs: number;
  /** When the last line about the trouble was written (-Infinity: none in this interval). */
  private lastLineAt = -Infinity;
  /** Occurrences since that line that no line reported. */
  private counts: Record<K, number>;
  /** A line about the trouble was written, and no line since says it is over. */
  private standing = false;
  /** When the standing trouble's first line was written. */
  private since = 0;
  /** Whether the last thing reported was an occurrence, not a recovery. */
  private troubledNow = false;
  private timer: TimerHandle | null = null;
  private stopped = false;

  constructor(private readonly o: LogThrottleOptions<K>) {
    this.intervalMs = o.intervalMs ?? logThrottleIntervalMs;
    this.counts = this.zeros();
  }

  /** Whether the trouble is on now: an occurrence was reported since the last recovery. */
  get troubled(): boolean {
    return this.troubledNow;
  }

  /** The trouble happened (again). Returns the line to write now, or null: it was counted. */
  occur(kind: K): ThrottledLine<K> | null {
    if (this.stopped) return null;
    const now = this.o.clock.now();
    this.troubledNow = true;
    if (now - this.lastLineAt >= this.intervalMs) {
      if (!this.standing && this.countedTotal() === 0) {
        this.lastLineAt = now;
        this.standing = true;
        this.since = now;
        return { line: 'first' };
      }
      this.counts[kind]++;
      return { line: 'repeat', ...this.take(now) };
    }
    this.counts[kind]++;
    if (this.o.onIntervalEnd) {
      this.timer ??= this.o.clock.setTimeout(() => this.intervalEnd(), this.lastLineAt + this.intervalMs - now);
    }
    return null;
  }

  /** The trouble is over. Returns the line to write, or null when no line about it stands. */
  recover(): RecoveryLine<K> | null {
    if (this.stopped) return null;
    this.troubledNow = false;
    if (!this.standing) return null;
    this.standing = false;
    const elapsedMs = this.o.clock.now() - this.since;
    if (this.o.onIntervalEnd) return { elapsedMs, counts: this.zeros(), total: 0 };
    const total = this.countedTotal();
    const counts = this.counts;
    this.counts = this.zeros();
    this.lastLineAt = -Infinity;
    return { elapsedMs, counts, total };
  }

  /** No line after this (the caller is stopping); cancels the interval's timer. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
  }

  private intervalEnd(): void {
    this.timer = null;
    if (this.stopped || this.countedTotal() === 0) return;
    const { counts, total } = this.take(this.o.clock.now());
    this.o.onIntervalEnd?.(counts, total);
  }

  /** A line reports the counted occurrences now: they start again from 0, and so does the interval. */
  private take(now: number): { counts: Record<K, number>; total: number } {
    const total = this.countedTotal();
    const counts = this.counts;
    this.counts = this.zeros();
    this.timer?.cancel();
    this.timer = null;
    this.lastLineAt = now;
    if (!this.standing) this.since = now;
    // A line that says the trouble is over already (it reports while recovered) needs no recovery line.
    this.standing = this.troubledNow;
    return { counts, total };
  }

  private countedTotal(): number {
    let total = 0;
    for (const kind of this.o.kinds) total += this.counts[kind];
    return total;
  }

  private zeros(): Record<K, number> {
    return Object.fromEntries(this.o.kinds.map((kind) => [kind, 0])) as Record<K, number>;
  }
}

/** "1 more time", "3 more times". */
export function moreTimes(n: number): string {
  return `${n} more time${n === 1 ? '' : 's'}`;
}
