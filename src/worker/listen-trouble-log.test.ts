import { expect, it } from 'vitest';
import { ManualClock } from '../queue/manual-clock.js';
import type { QueueLogger } from '../queue/queue-logger.js';
import { ListenTroubleLog } from './listen-trouble-log.js';

function recording(): { logger: QueueLogger; lines: Array<{ level: string; msg?: string; obj: Record<string, unknown> }> } {
  const lines: Array<{ level: string; msg?: string; obj: Record<string, unknown> }> = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, msg, obj: obj as Record<string, unknown> });
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

const terminated = new Error('terminating connection due to administrator command');

it('connections dropped over and over: the first loss at warn, then one line a minute, the return only after a logged loss', async () => {
  const clock = new ManualClock();
  const { logger, lines } = recording();
  const log = new ListenTroubleLog({ logger, clock });
  // 73 drops in 45 s, each back 0.3 s later (the operator's pg_terminate_backend loop).
  for (let i = 0; i < 73; i++) {
    log.report({ state: 'lost', error: terminated });
    await clock.advance(300);
    log.report({ state: 'listening' });
    await clock.advance(316);
  }
  // Was 146 lines: a warn and an info per drop.
  expect(lines.map((l) => [l.level, l.msg])).toEqual([
    ['warn', 'Worker: the LISTEN connection was lost; new jobs are found by the backstop poll until it is back (trying again)'],
    ['info', 'Worker: listening for new jobs again'],
  ]);
  // The minute's end sums up the 72 losses not logged, and says it is listening now.
  await clock.advance(60_000);
  expect(lines).toHaveLength(3);
  expect(lines[2]).toMatchObject({
    level: 'warn',
    msg: 'Worker: the LISTEN connection was lost 72 more times in the last minute; listening again now',
    obj: { event: 'listen', state: 'listening', lost: 72, err: terminated.message },
  });
  expect(clock.pendingTimers).toBe(0);

  // A minute after that line: the next loss is a first loss again, and its return is logged.
  await clock.advance(60_000);
  log.report({ state: 'lost', error: terminated });
  log.report({ state: 'listening' });
  expect(lines.slice(3).map((l) => l.level)).toEqual(['warn', 'info']);
});

it('a summary while the connection is still lost says so, and its return is then logged', async () => {
  const clock = new ManualClock();
  const { logger, lines } = recording();
  const log = new ListenTroubleLog({ logger, clock });
  log.report({ state: 'lost', error: terminated });
  log.report({ state: 'listening' });
  await clock.advance(1_000);
  log.report({ state: 'lost', error: terminated }); // not logged: within the minute
  await clock.advance(59_000);
  expect(lines.map((l) => l.msg)).toEqual([
    'Worker: the LISTEN connection was lost; new jobs are found by the backstop poll until it is back (trying again)',
    'Worker: listening for new jobs again',
    'Worker: the LISTEN connection was lost 1 more time in the last minute; new jobs are found by the backstop poll until it is back (trying again)',
  ]);
  log.report({ state: 'listening' });
  expect(lines.at(-1)).toMatchObject({ level: 'info', msg: 'Worker: listening for new jobs again' });
  log.stop();
  expect(clock.pendingTimers).toBe(0);
});

it('a connection that could not be opened is counted as such, apart from one lost, in the summary (was: "lost" for both)', async () => {
  const clock = new ManualClock();
  const { logger, lines } = recording();
  const log = new ListenTroubleLog({ logger, clock });
  const refused = new Error('connect ECONNREFUSED 127.0.0.1:5432');
  log.report({ state: 'failed', error: refused });
  for (let i = 0; i < 3; i++) {
    await clock.advance(5_000);
    log.report({ state: 'failed', error: refused });
  }
  await clock.advance(60_000);
  expect(lines.map((l) => l.msg)).toEqual([
    'Worker: the LISTEN connection could not be opened; new jobs are found by the backstop poll until it is back (trying again)',
    'Worker: the LISTEN connection could not be opened 3 more times in the last minute; new jobs are found by the backstop poll until it is back (trying again)',
  ]);
  expect(lines[1].obj).toMatchObject({ event: 'listen', state: 'lost', lost: 0, failed: 3 });
  // Both within one minute: each named with its count.
  log.report({ state: 'listening' });
  log.report({ state: 'lost', error: terminated });
  log.report({ state: 'failed', error: refused });
  log.report({ state: 'failed', error: refused });
  log.report({ state: 'listening' });
  await clock.advance(60_000);
  expect(lines.at(-1)).toMatchObject({
    level: 'warn',
    msg: 'Worker: the LISTEN connection was lost 1 more time and could not be opened 2 more times in the last minute; listening again now',
    obj: { lost: 1, failed: 2, state: 'listening' },
  });
});

it('writes no line after stop(): neither a first loss, nor its return, nor a summary', async () => {
  const clock = new ManualClock();
  const { logger, lines } = recording();
  const log = new ListenTroubleLog({ logger, clock });
  log.report({ state: 'lost', error: terminated });
  await clock.advance(1_000);
  log.report({ state: 'lost', error: terminated }); // within the minute: a summary is due
  log.stop();
  expect(clock.pendingTimers).toBe(0);
  await clock.advance(120_000);
  log.report({ state: 'lost', error: terminated }); // a minute on: was a first-loss line after the stop
  log.report({ state: 'listening' });
  log.report({ state: 'failed', error: terminated });
  await clock.advance(120_000);
  expect(lines.map((l) => l.msg)).toEqual([
    'Worker: the LISTEN connection was lost; new jobs are found by the backstop poll until it is back (trying again)',
  ]);
  expect(clock.pendingTimers).toBe(0);
});
