import type { Clock } from '../queue/clock.js';
import type { QueueLogger } from '../queue/queue-logger.js';
import { errorText } from '../queue/lease-keeper.js';
import { LogThrottle, logThrottleIntervalMs, moreTimes } from '../queue/log-throttle.js';

/** What the PostgreSQL store reports of its LISTEN connection (open-store's onListenTrouble). */
export type ListenTroubleEvent = { state: 'failed' | 'lost'; error: unknown } | { state: 'listening' };

/** At most one line about LISTEN losses per this period, after the first. */
export const listenSummaryMs = logThrottleIntervalMs;

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
 * it writes a line. Which report gets a line is LogThrottle's call (src/queue/log-throttle.ts, with
 * its end-of-interval report); this class writes the lines.
 */
export class ListenTroubleLog {
  /** Which losses get a line. Its interval spans the returns: a connection back in 0.3 s is lost again. */
  private readonly losses: LogThrottle<'lost' | 'failed'>;
  private lastError: unknown = null;

  constructor(private readonly o: { logger: QueueLogger; clock: Clock; periodMs?: number }) {
    this.losses = new LogThrottle({
      clock: o.clock, kinds: ['lost', 'failed'], intervalMs: this.periodMs,
      onIntervalEnd: (counts) => this.summary(counts),
    });
  }

  private get periodMs(): number {
    return this.o.periodMs ?? listenSummaryMs;
  }

  report(trouble: ListenTroubleEvent): void {
    if (trouble.state === 'listening') {
      if (this.losses.recover()) this.o.logger.info({ event: 'listen', state: 'listening' }, 'Worker: listening for new jobs again');
      return;
    }
    this.lastError = trouble.error;
    const line = this.losses.occur(trouble.state);
    if (line?.line === 'first') {
      this.o.logger.warn({ event: 'listen', state: trouble.state, err: errorText(trouble.error) },
        `Worker: the LISTEN connection ${trouble.state === 'failed' ? 'could not be opened' : 'was lost'}; new jobs are found by the backstop poll until it is back (trying again)`);
    } else if (line?.line === 'repeat') {
      this.summary(line.counts);
    }
  }

  private summary({ lost, failed }: Record<'lost' | 'failed', number>): void {
    const listening = !this.losses.troubled;
    const what = [lost > 0 ? `was lost ${moreTimes(lost)}` : '', failed > 0 ? `could not be opened ${moreTimes(failed)}` : ''].filter(Boolean).join(' and ');
    this.o.logger.warn({ event: 'listen', state: listening ? 'listening' : 'lost', lost, failed, err: errorText(this.lastError) },
      `Worker: the LISTEN connection ${what} in the last ${this.periodMs === 60_000 ? 'minute' : `${Math.round(this.periodMs / 1000)} s`}; `
      + (listening ? 'listening again now' : 'new jobs are found by the backstop poll until it is back (trying again)'));
  }

  /** No line after this: the worker is stopping. */
  stop(): void {
    this.losses.stop();
  }
}
