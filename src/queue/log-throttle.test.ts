import { expect, it } from 'vitest';
import { LogThrottle, moreTimes } from './log-throttle.js';
import { ManualClock } from './manual-clock.js';

it('logs the first occurrence at once, counts the repeats within the interval, logs the next one after it with the count, and the recovery once with the total', async () => {
  const clock = new ManualClock();
  const throttle = new LogThrottle({ clock, kinds: ['times'] });
  expect(throttle.occur('times')).toEqual({ line: 'first' });
  for (let i = 0; i < 5; i++) {
    await clock.advance(10_000);
    expect(throttle.occur('times')).toBeNull(); // within the minute: counted, not logged
  }
  await clock.advance(10_000); // 60 s after the first line
  expect(throttle.occur('times')).toEqual({ line: 'repeat', counts: { times: 6 }, total: 6 });
  await clock.advance(1_000);
  expect(throttle.occur('times')).toBeNull();
  expect(throttle.occur('times')).toBeNull();
  await clock.advance(1_000);
  expect(throttle.recover()).toEqual({ elapsedMs: 62_000, counts: { times: 2 }, total: 2 });
  expect(throttle.recover()).toBeNull(); // one line, not one per answer
  expect(clock.pendingTimers).toBe(0); // without onIntervalEnd it never sets a timer

  // The recovery reset it: the next trouble's first occurrence is logged at once, though the last line is 2 s old.
  expect(throttle.occur('times')).toEqual({ line: 'first' });
  expect(throttle.recover()).toEqual({ elapsedMs: 0, counts: { times: 0 }, total: 0 });
});

it('a recovery with no line about the trouble standing writes none', () => {
  const throttle = new LogThrottle({ clock: new ManualClock(), kinds: ['times'] });
  expect(throttle.recover()).toBeNull();
  expect(throttle.troubled).toBe(false);
});

it('an occurrence an interval or more after a standing line is a repeat with the count, not a first line again', async () => {
  const clock = new ManualClock();
  const throttle = new LogThrottle({ clock, kinds: ['times'], intervalMs: 1_000 });
  throttle.occur('times');
  await clock.advance(5_000);
  expect(throttle.occur('times')).toEqual({ line: 'repeat', counts: { times: 1 }, total: 1 });
  expect(throttle.recover()).toMatchObject({ elapsedMs: 5_000, total: 0 });
});

it('counts kinds apart', async () => {
  const clock = new ManualClock();
  const throttle = new LogThrottle({ clock, kinds: ['lost', 'failed'] });
  expect(throttle.occur('failed')).toEqual({ line: 'first' });
  throttle.occur('lost');
  throttle.occur('failed');
  throttle.occur('failed');
  await clock.advance(60_000);
  expect(throttle.occur('lost')).toEqual({ line: 'repeat', counts: { lost: 2, failed: 2 }, total: 4 });
});

it('with onIntervalEnd: the interval spans recoveries, and its end reports what it counted, saying whether the trouble is on', async () => {
  const clock = new ManualClock();
  const ends: Array<{ counts: Record<string, number>; total: number; troubled: boolean }> = [];
  const throttle: LogThrottle<'lost' | 'failed'> = new LogThrottle({
    clock, kinds: ['lost', 'failed'],
    onIntervalEnd: (counts, total) => void ends.push({ counts, total, troubled: throttle.troubled }),
  });
  // A connection dropped and back 10 times in 10 s: the first drop and its return are lines.
  const lines: string[] = [];
  for (let i = 0; i < 10; i++) {
    const line = throttle.occur('lost');
    if (line) lines.push(line.line);
    await clock.advance(500);
    if (throttle.recover()) lines.push('recovered');
    await clock.advance(500);
  }
  expect(lines).toEqual(['first', 'recovered']);
  expect(clock.pendingTimers).toBe(1);
  await clock.advance(50_000); // the minute's end: the 9 drops not logged, back now
  expect(ends).toEqual([{ counts: { lost: 9, failed: 0 }, total: 9, troubled: false }]);
  expect(clock.pendingTimers).toBe(0);
  expect(throttle.recover()).toBeNull(); // that line said it was back

  // Down at the end of the next interval: its line stands, and the return is then a line.
  await clock.advance(10_000);
  expect(throttle.occur('failed')).toBeNull(); // 10 s after the last line
  await clock.advance(50_000);
  expect(ends.at(-1)).toEqual({ counts: { lost: 0, failed: 1 }, total: 1, troubled: true });
  await clock.advance(3_000);
  expect(throttle.recover()).toEqual({ elapsedMs: 3_000, counts: { lost: 0, failed: 0 }, total: 0 });
});

it('with onIntervalEnd: an occurrence after the interval, its timer not yet run, reports the counts at once and cancels the timer', () => {
  // A clock whose timers run late (a busy event loop): they run only when the test says.
  let now = 0;
  const timers = new Set<() => void>();
  const clock = {
    now: () => now,
    setTimeout: (fn: () => void) => {
      timers.add(fn);
      return { cancel: () => void timers.delete(fn) };
    },
  };
  const ends: number[] = [];
  const throttle = new LogThrottle({ clock, kinds: ['times'], intervalMs: 1_000, onIntervalEnd: (_c, total) => void ends.push(total) });
  throttle.occur('times');
  throttle.recover();
  throttle.occur('times');
  throttle.recover();
  expect(timers.size).toBe(1);
  now = 1_000;
  expect(throttle.occur('times')).toEqual({ line: 'repeat', counts: { times: 2 }, total: 2 });
  expect(timers.size).toBe(0);
  expect(ends).toEqual([]);
});

it('writes nothing after stop(), and leaves no timer', async () => {
  const clock = new ManualClock();
  const ends: number[] = [];
  const throttle = new LogThrottle({ clock, kinds: ['times'], onIntervalEnd: (_c, total) => void ends.push(total) });
  throttle.occur('times');
  throttle.occur('times');
  expect(clock.pendingTimers).toBe(1);
  throttle.stop();
  expect(clock.pendingTimers).toBe(0);
  await clock.advance(120_000);
  expect(throttle.occur('times')).toBeNull();
  expect(throttle.recover()).toBeNull();
  expect(ends).toEqual([]);
  expect(clock.pendingTimers).toBe(0);
});

it('moreTimes says "time" for one', () => {
  expect([moreTimes(1), moreTimes(2), moreTimes(0)]).toEqual(['1 more time', '2 more times', '0 more times']);
});
