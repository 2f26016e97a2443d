import { describe, expect, it } from 'vitest';
import type { QueueSummary, WorkerInfo } from '../queue/job.js';
import { countStatuses, drainingWorkers, liveWorkers, queueProgress, waitingForThread } from './queue-progress.js';

function summary(counts: Partial<QueueSummary>): QueueSummary {
  const s = { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0, runningProgress: 0, version: 1, ...counts };
  return { ...s, total: s.pending + s.running + s.completed + s.failed + s.cancelled };
}

describe('queueProgress', () => {
  it('counts completed and failed as done, running by their progress, and leaves cancelled out', () => {
    const p = queueProgress(summary({ completed: 2, failed: 1, running: 2, runningProgress: 100, pending: 1, cancelled: 10 }), { completed: 0, avgDurationMs: null });
    expect(p.progress).toBe(66.6); // 400 of 600, floored
    expect(p.isOptimizing).toBe(true);
    expect(p.etaSeconds).toBeNull(); // nothing finished recently: no pace to go by
  });

  it('never reads 100 while a job is pending or running: 4,718 of 4,720 is 99.9, not a rounded 100', () => {
    expect(queueProgress(summary({ completed: 4718, running: 2 }), { completed: 100, avgDurationMs: 50 }).progress).toBe(99.9);
    expect(queueProgress(summary({ completed: 4718, pending: 2 }), { completed: 100, avgDurationMs: 50 }).progress).toBe(99.9);
    // Both running jobs' fits at 100, their completes not written yet.
    expect(queueProgress(summary({ completed: 3, running: 2, runningProgress: 200 }), { completed: 3, avgDurationMs: 50 }).progress).toBe(99.9);
    // Floored, not rounded, and exact where the share is: 2 of 3 is 66.6, 7 of 10 is 70.
    expect(queueProgress(summary({ completed: 2, pending: 1 }), { completed: 2, avgDurationMs: 50 }).progress).toBe(66.6);
    expect(queueProgress(summary({ completed: 7, pending: 3 }), { completed: 7, avgDurationMs: 50 }).progress).toBe(70);
  });

  it('estimates the time left from the recent pace', () => {
    // 60 completed in 5 minutes = 0.2/s; 10 pending + 2 running half done = 11 jobs left -> 55 s.
    const p = queueProgress(summary({ pending: 10, running: 2, runningProgress: 100, completed: 60 }), { completed: 60, avgDurationMs: 1000 }, 300_000);
    expect(p.etaSeconds).toBe(55);
  });

  it('measures the pace over the time the completions took when the run is younger than the window', () => {
    // 80 of 1,000 completed in the 3 s since the first started: 920 left at 26.7/s -> 35 s, not 58 min.
    const p = queueProgress(summary({ pending: 920, completed: 80 }), { completed: 80, avgDurationMs: 40, spanMs: 3000 }, 300_000);
    expect(p.etaSeconds).toBe(35);
  });

  it('is idle and done when nothing is left, and 0% for an empty queue', () => {
    expect(queueProgress(summary({ completed: 3 }), { completed: 3, avgDurationMs: 10 })).toMatchObject({ progress: 100, isOptimizing: false, etaSeconds: 0 });
    expect(queueProgress(summary({}), { completed: 0, avgDurationMs: null })).toMatchObject({ progress: 0, isOptimizing: false });
    expect(queueProgress(summary({ cancelled: 4 }), { completed: 0, avgDurationMs: null }).progress).toBe(0);
  });

  it('counts a status filter from the summary', () => {
    const s = summary({ pending: 3, running: 1, failed: 2 });
    expect(countStatuses(s, ['pending', 'failed'])).toBe(5);
    expect(countStatuses(s, undefined)).toBe(6);
  });
});

describe('waitingForThread', () => {
  const now = Date.UTC(2026, 0, 1);
  const worker = (w: Partial<WorkerInfo>): WorkerInfo => ({
    workerId: 'w', host: 'h', pid: 1, concurrency: 2, startedAt: now - 60_000, lastHeartbeatAt: now - 1_000, running: 0, status: 'running', ...w,
  });

  it('sums the counts the live workers sent with their last heartbeat', () => {
    expect(waitingForThread([
      // 4 held on 2 threads, 3 not started (one thread still reading its input): the estimate said 2.
      worker({ workerId: 'a', running: 4, waitingForThread: 3 }),
      // 3 held, 1 a complete still being written: the estimate said 1, none waits.
      worker({ workerId: 'b', running: 3, waitingForThread: 0 }),
      worker({ workerId: 'c', status: 'stopping', running: 2, waitingForThread: 1 }),
    ], now)).toBe(4);
  });

  it('leaves out stopped workers and ones silent over a minute', () => {
    expect(waitingForThread([
      worker({ workerId: 'stopped', status: 'stopped', running: 4, waitingForThread: 2 }),
      worker({ workerId: 'stale', lastHeartbeatAt: now - 61_000, running: 4, waitingForThread: 2 }),
      worker({ workerId: 'stale-old', lastHeartbeatAt: now - 61_000, running: 4 }),
      worker({ workerId: 'live', running: 4, waitingForThread: 1 }),
    ], now)).toBe(1);
  });

  it('estimates running - concurrency for a worker that reports no count (older than migration 040)', () => {
    expect(waitingForThread([
      worker({ workerId: 'old', running: 4, concurrency: 2 }),
      worker({ workerId: 'old-idle', running: 1, concurrency: 2 }), // never below 0
      worker({ workerId: 'new', running: 4, concurrency: 2, waitingForThread: 3 }),
    ], now)).toBe(2 + 0 + 3);
  });

  it('is bounded by the store\'s running in the summary (heartbeats lag the counters)', () => {
    expect(queueProgress(summary({ running: 2 }), { completed: 0, avgDurationMs: null }, undefined, 5).waitingForThread).toBe(2);
    expect(queueProgress(summary({ running: 2 }), { completed: 0, avgDurationMs: null }).waitingForThread).toBeNull();
  });
});

describe('liveWorkers', () => {
  const now = Date.UTC(2026, 0, 1);
  const worker = (w: Partial<WorkerInfo>): WorkerInfo => ({
    workerId: 'w', host: 'h', pid: 1, concurrency: 2, startedAt: now - 60_000, lastHeartbeatAt: now - 1_000, running: 0, status: 'running', ...w,
  });

  it('counts running workers that beat in the last minute, not stopping, stopped or silent ones', () => {
    expect(liveWorkers([
      worker({ workerId: 'live' }),
      worker({ workerId: 'killed', lastHeartbeatAt: now - 61_000, running: 2 }),
      worker({ workerId: 'stopped', status: 'stopped' }),
      worker({ workerId: 'draining', status: 'stopping' }),
    ], now)).toBe(1);
    expect(liveWorkers([], now)).toBe(0);
  });

  it("measures a beat's age on the database's clock where the store read it (heartbeatAgeMs), not by comparing the API's clock with the worker's", () => {
    // A worker host 10 minutes behind the API's, that beat a second ago by the database's clock: live.
    const behind = worker({ workerId: 'behind', lastHeartbeatAt: now - 600_000, heartbeatAgeMs: 1_000 });
    // One 10 minutes ahead, silent for 2 minutes by the database's clock: dead, and not draining either.
    const ahead = worker({ workerId: 'ahead', lastHeartbeatAt: now + 600_000, heartbeatAgeMs: 120_000 });
    // Each alone: by the two hosts' clocks, `behind` would be dead and `ahead` live, so a count of
    // both together would come out the same either way.
    expect(liveWorkers([behind], now)).toBe(1);
    expect(liveWorkers([ahead], now)).toBe(0);
    const stopping = (w: WorkerInfo): WorkerInfo => ({ ...w, status: 'stopping' });
    expect(drainingWorkers([stopping(behind)], now)).toBe(1);
    expect(drainingWorkers([stopping(ahead)], now)).toBe(0);
    expect(waitingForThread([{ ...behind, waitingForThread: 2 }], now)).toBe(2);
    expect(waitingForThread([{ ...ahead, waitingForThread: 5 }], now)).toBe(0);
  });

  it('gives no ETA while work waits and no worker is alive, whatever the recent pace', () => {
    const paced = { completed: 60, avgDurationMs: 1000 };
    expect(queueProgress(summary({ pending: 10, running: 2, completed: 60 }), paced, 300_000, null, 0)).toMatchObject({ etaSeconds: null, liveWorkers: 0 });
    expect(queueProgress(summary({ pending: 10, running: 2, completed: 60 }), paced, 300_000, null, 1).etaSeconds).toBeGreaterThan(0);
    // Unknown (the registry unreadable): the pace still answers.
    expect(queueProgress(summary({ pending: 10, completed: 60 }), paced, 300_000, null, null)).toMatchObject({ etaSeconds: 50, liveWorkers: null });
    // Nothing left: done, worker or not.
    expect(queueProgress(summary({ completed: 60 }), paced, 300_000, null, 0).etaSeconds).toBe(0);
  });
});
