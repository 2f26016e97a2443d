import type { Clock, TimerHandle } from '../queue/clock.js';
import type { QueueLogger } from '../queue/queue-logger.js';
import { errorText } from '../queue/lease-keeper.js';

/** What the PostgreSQL store reports of its LISTEN connection (open-store's onListenTrouble). */
export type ListenTroubleEvent = { state: 'failed' | 'lost'; error: unknown } | { state: 'listening' };

/** At most one line about LISTEN losses per this period, after the first. */
export const listenSummaryMs = 60_000;

/**
 * ListenTroubleLog turns the LISTEN connection's losses and returns into log lines an operator can
 * read while connections are being dropped over and over (an operator terminating backends, a
 * flapping pooler): the first loss at warn, then at most one line a minute saying how many more
 * times it was lost ("lost N more times in the last minute", warn, with whether it is listening
 * now), and "listening for new jobs again" (info) only after a loss that was logged. Was a warn +
 * info pair per drop: 146 lines in 45 s. A minute with losses that were not logged is summed up
 * at its end by a timer on the injected clock, so the last line always tells the state as it is.
 * The summary counts connections lost (`lost`) apart from connections that could not be opened
 * (`failed`), and says which. `stop()` (the worker's stop) cancels the timer, and no report after
 * it writes a line.
 */
export class ListenTroubleLog {
  /** A loss was logged and its return not yet. */
  private lossLogged = false;
  /** When the last loss line was written (-Infinity: none yet). */
  private lastLineAt = -Infinity;
  /** Losses since that line that were not logged: connections lost, and connections that could not be opened. */
  private unlogged = { lost: 0, failed: 0 };
  private listening = true;
  private lastError: unknown = null;
  private timer: TimerHandle | null = null;
  private stopped = false;

  constructor(private readonly o: { logger: QueueLogger; clock: Clock; periodMs?: number }) {}

  private get periodMs(): number {
    return this.o.periodMs ?? listenSummaryMs;
  }

  private get unloggedTotal(): number {
    return this.unlogged.lost + this.unlogged.failed;
  }

  report(trouble: ListenTroubleEvent): void {
    if (this.stopped) return;
    const now = this.o.clock.now();
    if (trouble.state === 'listening') {
      this.listening = true;
      if (this.lossLogged) {
        this.lossLogged = false;
        this.o.logger.info({ event: 'listen', state: 'listening' }, 'Worker: listening for new jobs again');
      }
      return;
    }
    this.listening = false;
    this.lastError = trouble.error;
    if (now - this.lastLineAt >= this.periodMs) {
      if (this.unloggedTotal > 0) {
        this.unlogged[trouble.state]++;
        this.summary(now);
        return;
      }
      this.lastLineAt = now;
      this.lossLogged = true;
      this.o.logger.warn({ event: 'listen', state: trouble.state, err: errorText(trouble.error) },
        `Worker: the LISTEN connection ${trouble.state === 'failed' ? 'could not be opened' : 'was lost'}; new jobs are found by the backstop poll until it is back (trying again)`);
      return;
    }
    this.unlogged[trouble.state]++;
    this.timer ??= this.o.clock.setTimeout(() => {
      this.timer = null;
      if (this.unloggedTotal > 0) this.summary(this.o.clock.now());
    }, this.lastLineAt + this.periodMs - now);
  }

  private summary(now: number): void {
    const { lost, failed } = this.unlogged;
    this.unlogged = { lost: 0, failed: 0 };
    this.timer?.cancel();
    this.timer = null;
    this.lastLineAt = now;
    // Its return is logged only when it is lost now: otherwise this line already says it is back.
    this.lossLogged = !this.listening;
    const times = (n: number) => `${n} more time${n === 1 ? '' : 's'}`;
    const what = [lost > 0 ? `was lost ${times(lost)}` : '', failed > 0 ? `could not be opened ${times(failed)}` : ''].filter(Boolean).join(' and ');
    this.o.logger.warn({ event: 'listen', state: this.listening ? 'listening' : 'lost', lost, failed, err: errorText(this.lastError) },
      `Worker: the LISTEN connection ${what} in the last ${this.periodMs === 60_000 ? 'minute' : `${Math.round(this.periodMs / 1000)} s`}; `
      + (this.listening ? 'listening again now' : 'new jobs are found by the backstop poll until it is back (trying again)'));
  }

  /** No line after this: the worker is stopping. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
  }
}
