import { afterEach, describe, expect, it, vi } from 'vitest';
import { scheduleCheckpoints, type CheckpointRow } from './sqlite-checkpoints.js';

const hour = 3_600_000;
const loopTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The row of a complete checkpoint that found `frames` in the WAL. */
const complete = (frames: number): CheckpointRow => ({ busy: 0, log: frames, checkpointed: frames });

describe('scheduleCheckpoints', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs nothing inside committed(): the everyCommits-th commit checkpoints in the next loop turn', async () => {
    let runs = 0;
    const schedule = scheduleCheckpoints({ checkpoint: () => (runs++, complete(50)), everyCommits: 3, maxDelayMs: hour });
    schedule.committed();
    schedule.committed();
    await loopTurn();
    expect(runs).toBe(0);
    schedule.committed();
    expect(runs).toBe(0);
    expect(schedule.waiting).toBe(3);
    await loopTurn();
    expect(runs).toBe(1);
    expect(schedule.waiting).toBe(0);
    schedule.stop();
  });

  it('scales the count so that about targetFrames are added between checkpoints, within 8 to 1,024 commits', async () => {
    let frames = 0; // what the WAL holds when the checkpoint runs
    let runs = 0;
    const schedule = scheduleCheckpoints({ checkpoint: () => (runs++, complete(frames)), everyCommits: 32, targetFrames: 1000, maxDelayMs: hour });
    const commits = async (n: number) => {
      for (let i = 0; i < n; i++) schedule.committed();
      await loopTurn();
    };
    frames = 800; // 32 commits added 800 frames
    await commits(32);
    expect(schedule.everyCommits).toBe(40);
    frames = 500; // shorter than before: the WAL started over, and 40 commits added 500
    await commits(40);
    expect(schedule.everyCommits).toBe(80);
    frames = 520; // 80 commits added only 20 (small transactions)
    await commits(80);
    expect(schedule.everyCommits).toBe(1024);
    frames = 100;
    await commits(1024);
    expect(schedule.everyCommits).toBe(1024);
    frames = 9000; // a WAL that did not start over: 1,024 commits added 8,900
    await commits(1024);
    expect(schedule.everyCommits).toBe(1); // long WAL: after every commit
    frames = 40; // started over
    await commits(1);
    expect(schedule.everyCommits).toBe(115); // the count the 8,900 frames gave
    expect(runs).toBe(6);
    schedule.stop();
  });

  it('while the WAL is long, checkpoints after every commit, in the next loop turn, until it is short again', async () => {
    let frames = 2500;
    let runs = 0;
    const schedule = scheduleCheckpoints({ checkpoint: () => (runs++, complete(frames)), everyCommits: 2, targetFrames: 1000, maxDelayMs: hour });
    schedule.committed();
    schedule.committed();
    await loopTurn();
    expect(runs).toBe(1);
    frames = 2600;
    schedule.committed();
    expect(runs).toBe(1); // never inside committed()
    await loopTurn();
    expect(runs).toBe(2);
    frames = 30; // started over
    schedule.committed();
    await loopTurn();
    expect(runs).toBe(3);
    schedule.committed(); // short again: counting, 8 commits (2 commits added 2,500 frames: the floor)
    await loopTurn();
    expect(runs).toBe(3);
    expect(schedule.everyCommits).toBe(8);
    schedule.stop();
  });

  it('checkpoints at most maxDelayMs after the first commit not yet checkpointed, even while commits go on', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let runs = 0;
    const schedule = scheduleCheckpoints({ checkpoint: () => (runs++, complete(50)), everyCommits: 1000, maxDelayMs: 1000 });
    schedule.committed();
    vi.advanceTimersByTime(600);
    schedule.committed(); // does not push the deadline back
    vi.advanceTimersByTime(399);
    expect(runs).toBe(0);
    vi.advanceTimersByTime(1);
    expect(runs).toBe(1);
    vi.advanceTimersByTime(10 * hour);
    expect(runs).toBe(1); // nothing committed since: no timer left running
    expect(schedule.everyCommits).toBe(1000); // 2 commits say nothing of what 1,000 write
    schedule.stop();
  });

  it('with deadline: false (SQLITE_SYNCHRONOUS=FULL) a quiet commit waits for the count, not for a deadline', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let runs = 0;
    const schedule = scheduleCheckpoints({ checkpoint: () => (runs++, complete(50)), everyCommits: 2, maxDelayMs: 1000, deadline: false });
    schedule.committed();
    vi.advanceTimersByTime(10 * hour);
    expect(runs).toBe(0);
    schedule.committed();
    await loopTurn();
    expect(runs).toBe(1);
    schedule.stop();
  });

  // A caller that awaits one store call after another never lets the loop turn: the next-turn
  // checkpoint and the timer wait, and the WAL would grow with every call.
  it('runs an overdue checkpoint inside committed(): past the deadline, or at four times the count', () => {
    let clock = 0;
    let runs = 0;
    const schedule = scheduleCheckpoints({ checkpoint: () => (runs++, complete(800 * runs)), everyCommits: 2, maxDelayMs: 1000, now: () => clock });
    for (let i = 0; i < 7; i++) schedule.committed();
    expect(runs).toBe(0);
    schedule.committed(); // the 8th: four times the count
    expect(runs).toBe(1);
    expect(schedule.waiting).toBe(0);
    expect(schedule.everyCommits).toBe(10); // 8 commits added 800 frames: 100 a commit
    schedule.committed();
    clock = 999;
    schedule.committed();
    expect(runs).toBe(1);
    clock = 1000;
    schedule.committed(); // a second after the first one waiting
    expect(runs).toBe(2);
    schedule.stop();
  });

  it('an incomplete checkpoint (busy, or a reader on an older snapshot) keeps its commits waiting; only the timer tries again, soon at first', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const rows: CheckpointRow[] = [
      { busy: 1, log: -1, checkpointed: -1 }, // another connection was checkpointing
      { busy: 0, log: 1200, checkpointed: 300 }, // a reader still reads frames 301 and on
      { busy: 0, log: 1250, checkpointed: 300 },
      complete(1300),
      { busy: 1, log: -1, checkpointed: -1 },
      complete(1350),
    ];
    let runs = 0;
    const schedule = scheduleCheckpoints({ checkpoint: () => rows[runs++], everyCommits: 2, maxDelayMs: 100 });
    schedule.committed();
    schedule.committed();
    await loopTurn();
    expect(runs).toBe(1);
    for (let i = 0; i < 20; i++) { // commits go on, the loop turning: no checkpoint per commit
      schedule.committed();
      await loopTurn();
    }
    expect(runs).toBe(1);
    expect(schedule.waiting).toBe(22);
    vi.advanceTimersByTime(9);
    expect(runs).toBe(1);
    vi.advanceTimersByTime(1); // 10 ms after the first
    expect(runs).toBe(2);
    expect(schedule.waiting).toBe(22);
    expect(schedule.everyCommits).toBe(2); // nothing learnt from incomplete rows
    vi.advanceTimersByTime(19);
    expect(runs).toBe(2);
    vi.advanceTimersByTime(1); // then 20 ms
    expect(runs).toBe(3);
    vi.advanceTimersByTime(40); // then 40 ms
    expect(runs).toBe(4);
    expect(schedule.waiting).toBe(0);
    expect(schedule.everyCommits).toBe(1); // 1,300 frames: the WAL is long
    schedule.committed();
    await loopTurn(); // busy again: the retries start over from 10 ms
    expect(runs).toBe(5);
    vi.advanceTimersByTime(10);
    expect(runs).toBe(6);
    vi.advanceTimersByTime(hour);
    expect(runs).toBe(6);
    schedule.stop();
  });

  it('a failing checkpoint warns once, keeps its commits waiting, and only the timer tries again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const warnings: string[] = [];
    let fail = true;
    let runs = 0;
    const schedule = scheduleCheckpoints({
      checkpoint: () => {
        runs++;
        if (fail) throw new Error('disk I/O error');
        return complete(10);
      },
      everyCommits: 2, maxDelayMs: 100, warn: (m) => warnings.push(m),
    });
    schedule.committed();
    schedule.committed();
    await loopTurn();
    expect(runs).toBe(1);
    for (let i = 0; i < 20; i++) schedule.committed(); // no checkpoint per commit while failing
    await loopTurn();
    expect(runs).toBe(1);
    vi.advanceTimersByTime(100);
    expect(runs).toBe(2);
    expect(schedule.waiting).toBe(22);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('disk I/O error');
    fail = false;
    vi.advanceTimersByTime(100);
    expect(runs).toBe(3);
    expect(schedule.waiting).toBe(0);
    vi.advanceTimersByTime(hour);
    expect(runs).toBe(3);
    schedule.stop();
  });

  it('restarts the WAL by force after a complete checkpoint that found it restartFrames long; not again before it grew as much more', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const rows: CheckpointRow[] = [
      complete(500),
      { busy: 0, log: 4500, checkpointed: 4400 }, // long, but another writer's snapshot held back its tail
      complete(4600),
      complete(5000),
      complete(8900),
      complete(9100),
      complete(300),
      complete(4100),
    ];
    const restarts: Array<CheckpointRow | Error> = [
      complete(4610), // done: the next writer starts the WAL over
      { busy: 1, log: -1, checkpointed: -1 }, // a reader stayed past the wait
      new Error('disk I/O error'),
      complete(4100),
    ];
    let runs = 0;
    let forced = 0;
    const schedule = scheduleCheckpoints({
      checkpoint: () => rows[runs++],
      restart: () => {
        const r = restarts[forced++];
        if (r instanceof Error) throw r;
        return r;
      },
      restartFrames: 4000, everyCommits: 2, maxDelayMs: 1000,
    });
    const commits = async (n: number) => {
      for (let i = 0; i < n; i++) schedule.committed();
      await loopTurn();
    };
    await commits(2);
    expect([runs, forced]).toEqual([1, 0]); // 500 frames: short of it
    await commits(8); // 2 commits wrote 500 frames: the count is the least, 8
    expect([runs, forced]).toEqual([2, 0]); // incomplete: no restart after it
    vi.advanceTimersByTime(10); // the first retry comes soon
    expect([runs, forced]).toEqual([3, 1]); // complete and 4,600 long: restarted
    expect(schedule.waiting).toBe(0);
    expect(schedule.everyCommits).toBe(8); // the next writer starts it over: not long-WAL mode
    await commits(8);
    expect([runs, forced]).toEqual([4, 2]); // 5,000 new frames: the restart is busy
    expect(schedule.everyCommits).toBe(1); // long-WAL mode
    await commits(1);
    expect([runs, forced]).toEqual([5, 2]); // 8,900: not 4,000 more than 5,000 yet
    await commits(1);
    expect([runs, forced]).toEqual([6, 3]); // 9,100: tried again, and it throws: no harm
    expect(schedule.waiting).toBe(0); // the checkpoint before it had completed
    await commits(1);
    expect([runs, forced]).toEqual([7, 3]); // 300: the WAL started over by itself
    await commits(8);
    expect([runs, forced]).toEqual([8, 4]); // 4,100: the bound is 4,000 again, not 13,100
    schedule.stop();
  });

  it('stop() checkpoints the commits still waiting, once, and nothing after it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let runs = 0;
    const schedule = scheduleCheckpoints({ checkpoint: () => (runs++, complete(10)), everyCommits: 2, maxDelayMs: 10 });
    schedule.committed();
    schedule.stop();
    expect(runs).toBe(1);
    schedule.committed();
    schedule.committed();
    schedule.stop();
    vi.advanceTimersByTime(hour);
    await loopTurn();
    expect(runs).toBe(1);
    const idle = scheduleCheckpoints({ checkpoint: () => (runs++, complete(0)) });
    idle.stop(); // nothing waiting: nothing to sync
    expect(runs).toBe(1);
  });
});
