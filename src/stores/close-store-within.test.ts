import { afterEach, describe, expect, it, vi } from 'vitest';
import { armStopBound, closeStoreWithin, maxTimerMs } from './close-store-within.js';
import { recordingLogger } from '../../tests/support/recording-logger.js';

/**
 * The stop's hard bound with the largest values the flags and the environment accept. Vitest's fake
 * timers fire a delay past 2^31-1 ms after 1 ms, as Node does, so an unclamped sum fails here.
 */
afterEach(() => {
  vi.useRealTimers();
});

describe('a stop\'s bound at the largest values accepted', () => {
  it('--shutdown-ms and SKUCAST_STORE_CLOSE_MS both at their maximum (2^31-1 ms, cli-command.ts and env.ts): the bound waits as long as a timer can, not 1 ms', () => {
    vi.useFakeTimers();
    const log = recordingLogger();
    const exits: number[] = [];
    armStopBound({ logger: log.logger, timeoutMs: maxTimerMs + maxTimerMs, exit: (code) => void exits.push(code) });
    vi.advanceTimersByTime(86_400_000);
    expect(exits).toEqual([]);
    vi.advanceTimersByTime(maxTimerMs - 86_400_000);
    expect(exits).toEqual([1]);
    expect(log.lines.at(-1)).toMatchObject({ level: 40, timeoutMs: maxTimerMs, msg: expect.stringMatching(/^the store did not close in time/) });
  });

  it('closeStoreWithin past the timer\'s maximum: the close is still waited for', async () => {
    vi.useFakeTimers();
    const log = recordingLogger();
    const exits: number[] = [];
    let closeNow!: () => void;
    const outcome = closeStoreWithin({
      logger: log.logger, timeoutMs: maxTimerMs + 1, exit: (code) => void exits.push(code),
      close: () => new Promise<void>((resolve) => (closeNow = resolve)),
    });
    await vi.advanceTimersByTimeAsync(86_400_000);
    expect(exits).toEqual([]);
    closeNow();
    expect(await outcome).toBe('closed');
    expect(log.lines).toEqual([]);
  });

  it('says what the caller says was pending', async () => {
    vi.useFakeTimers();
    const log = recordingLogger();
    const exits: number[] = [];
    armStopBound({
      logger: log.logger, timeoutMs: 5, exit: (code) => void exits.push(code),
      pending: () => ({ message: 'Worker: its drain had not ended', fields: { stage: 'drain', running: 2 } }),
    });
    vi.advanceTimersByTime(5);
    expect(exits).toEqual([1]);
    expect(log.lines).toEqual([expect.objectContaining({ level: 40, timeoutMs: 5, stage: 'drain', running: 2, msg: 'Worker: its drain had not ended' })]);
  });
});
