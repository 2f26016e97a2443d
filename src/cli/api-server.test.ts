import { afterEach, describe, expect, it } from 'vitest';
import { recordingLogger } from '../../tests/support/recording-logger.js';
import { sameStopWindowMs, waitForShutdownSignal } from './api-server.js';

/**
 * waitForShutdownSignal with a fake clock and a fake exit. The signals are given to the handlers
 * it installs, not raised: the test runner's own handlers stay out of it.
 */
const installed: Array<{ signal: NodeJS.Signals; listener: (...args: unknown[]) => void }> = [];
afterEach(() => {
  for (const { signal, listener } of installed.splice(0)) process.off(signal, listener);
});

function setUp(options: { supervised?: boolean }) {
  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  const log = recordingLogger();
  let time = 1_000_000;
  const exits: number[] = [];
  const waiting = waitForShutdownSignal({
    logger: log.logger, abandons: 'the store is not closed', supervised: options.supervised, now: () => time, exit: (code) => exits.push(code),
  });
  const added = new Map<NodeJS.Signals, Array<(...args: unknown[]) => void>>();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const mine = process.listeners(signal).filter((l) => !before[signal].includes(l)) as Array<(...args: unknown[]) => void>;
    added.set(signal, mine);
    for (const listener of mine) installed.push({ signal, listener });
  }
  return {
    waiting, exits,
    send: (signal: NodeJS.Signals) => { for (const listener of added.get(signal)!) listener(signal); },
    advance: (ms: number) => void (time += ms),
    signalLines: () => log.lines.filter((l) => l.event === 'signal').map((l) => ({ level: l.level, msg: l.msg })),
  };
}

const again = { level: 30, msg: expect.stringMatching(/^SIGINT again within 1000 ms: taken as the same stop/) };
const cutShort = (signal: string) => ({ level: 40, msg: `second ${signal}: stopping at once, the stop cut short: the store is not closed` });

describe('waitForShutdownSignal', () => {
  it('resolves on the first signal', async () => {
    const t = setUp({ supervised: true });
    t.send('SIGTERM');
    expect((await t.waiting).signal).toBe('SIGTERM');
    expect(t.exits).toEqual([]);
  });

  it.each([1, 2, 3])('supervised: one Ctrl-C reaching it %i times is one stop, and a real second Ctrl-C after the window stops at once', async (copies) => {
    const t = setUp({ supervised: true });
    for (let i = 0; i < copies; i++) {
      t.send('SIGINT');
      t.advance(sameStopWindowMs / 4);
    }
    expect((await t.waiting).signal).toBe('SIGINT');
    expect(t.exits).toEqual([]);
    expect(t.signalLines()).toEqual(Array(copies - 1).fill(again));
    t.advance(sameStopWindowMs);
    t.send('SIGINT'); // the operator's second Ctrl-C
    expect(t.exits).toEqual([130]);
    expect(t.signalLines().at(-1)).toEqual(cutShort('SIGINT'));
  });

  it('supervised: another signal within the window is no copy: it stops at once', async () => {
    const t = setUp({ supervised: true });
    t.send('SIGINT');
    await t.waiting;
    t.send('SIGTERM');
    expect(t.exits).toEqual([143]);
  });

  it('not supervised: the second signal stops at once, however soon', async () => {
    const t = setUp({});
    t.send('SIGINT');
    await t.waiting;
    t.send('SIGINT');
    expect(t.exits).toEqual([130]);
    expect(t.signalLines()).toEqual([cutShort('SIGINT')]);
  });

  it('a signal once the stop has ended is logged and ignored, not a stop cut short', async () => {
    const t = setUp({});
    t.send('SIGTERM');
    const { stopped } = await t.waiting;
    stopped();
    t.send('SIGTERM');
    t.send('SIGINT');
    expect(t.exits).toEqual([]);
    expect(t.signalLines()).toEqual([
      { level: 30, msg: 'SIGTERM after the stop had ended: ignored' },
      { level: 30, msg: 'SIGINT after the stop had ended: ignored' },
    ]);
  });
});
