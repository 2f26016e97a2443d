import { existsSync, mkdtempSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerSupervisor } from '../../src/cli/worker-supervisor.js';

/** The supervisor with stand-in worker scripts: one that crashes at once, one that waits for SIGTERM. */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'skucast-supervisor-'));
  writeFileSync(path.join(dir, 'crash.mjs'), 'process.exit(3);\n');
  writeFileSync(
    path.join(dir, 'graceful.mjs'),
    "process.on('SIGTERM', () => { console.log(JSON.stringify({ msg: 'got SIGTERM', pid: process.pid })); setTimeout(() => process.exit(0), 20); });\n" +
      "setInterval(() => {}, 1000);\n" +
      "import('node:fs').then((fs) => fs.writeFileSync(process.env.READY_DIR + '/ready-' + process.pid, ''));\n",
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      for (const w of waiters.splice(0)) w();
      done();
    },
  });
  const count = (msg: string) => lines.filter((l) => l.msg === msg).length;
  return {
    logger: pino({ level: 'info' }, sink),
    lines,
    /** Resolves once `msg` has been logged n times. */
    until(msg: string, n: number): Promise<void> {
      return new Promise((resolve) => {
        const check = () => (count(msg) >= n ? resolve() : void waiters.push(check));
        check();
      });
    },
  };
}

/** Resolves once every pid has written ready-<pid> (its SIGTERM handler is in place). */
function untilReady(readyDir: string, pids: number[]): Promise<void> {
  return new Promise<void>((resolve) => {
    const allReady = () => pids.every((pid) => existsSync(path.join(readyDir, `ready-${pid}`)));
    const watcher = watch(readyDir, () => {
      if (allReady()) {
        watcher.close();
        resolve();
      }
    });
    if (allReady()) {
      watcher.close();
      resolve();
    }
  });
}

describe('WorkerSupervisor', () => {
  it('restarts a worker that dies, with the backoff it is given', async () => {
    const log = recordingLogger();
    const delays: number[] = [];
    const supervisor = new WorkerSupervisor({
      count: 1, serverJs: path.join(dir, 'crash.mjs'), args: [], env: process.env, logger: log.logger,
      backoffMs: (n) => {
        delays.push(n);
        return 5;
      },
    });
    supervisor.start();
    await log.until('worker process started', 3);
    await supervisor.stop();
    expect(supervisor.restarts).toBeGreaterThanOrEqual(2);
    expect(delays.slice(0, 2)).toEqual([0, 1]); // the backoff grows with each restart
    const crash = log.lines.find((l) => l.msg === 'worker process exited unexpectedly; restarting');
    expect(crash).toMatchObject({ code: 3, restartInMs: 5 });
  });

  it('gives each start a worker id of its own, and marks that id and pid stopped once the process has exited', async () => {
    const log = recordingLogger();
    const marked: Array<{ workerId: string; pid: number }> = [];
    const supervisor = new WorkerSupervisor({
      count: 1, serverJs: path.join(dir, 'crash.mjs'), args: [], env: process.env, logger: log.logger, backoffMs: () => 5,
      registry: { markWorkerStopped: async (worker) => (marked.push(worker), true) },
    });
    supervisor.start();
    await log.until('worker process started', 3);
    await supervisor.stop();
    const starts = log.lines.filter((l) => l.msg === 'worker process started');
    // Every process that exited, by the id it was started with and its pid.
    expect(marked).toEqual(starts.slice(0, marked.length).map((l) => ({ workerId: l.workerId, pid: l.workerPid })));
    expect(marked.length).toBeGreaterThanOrEqual(2);
    expect(new Set(starts.map((l) => l.workerId)).size).toBe(starts.length); // a new id each start
    expect(log.lines.filter((l) => l.msg === 'worker process marked stopped in the registry; its running jobs go back to pending when their leases expire'))
      .toHaveLength(marked.length);
  });

  it('stop() waits for a mark still being written, so it lands before the caller closes the store', async () => {
    const log = recordingLogger();
    const readyDir = mkdtempSync(path.join(dir, 'ready-'));
    let markCalled!: () => void;
    const called = new Promise<void>((resolve) => (markCalled = resolve));
    let release!: () => void;
    const written = new Promise<void>((resolve) => (release = resolve));
    const supervisor = new WorkerSupervisor({
      count: 1, serverJs: path.join(dir, 'graceful.mjs'), args: [], env: { ...process.env, READY_DIR: readyDir }, logger: log.logger,
      registry: {
        async markWorkerStopped() {
          markCalled();
          await written;
          return false; // it wrote `stopped` itself: nothing to log
        },
      },
    });
    supervisor.start();
    await log.until('worker process started', 1);
    await untilReady(readyDir, supervisor.pids());
    let stopped = false;
    const stopping = supervisor.stop('SIGTERM').then(() => (stopped = true));
    await called; // the process has exited
    await new Promise(setImmediate); // every callback queued by its exit has run
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(stopped).toBe(true);
    expect(log.lines.some((l) => String(l.msg).includes('marked stopped'))).toBe(false);
  });

  it('stop() gives up on a mark that never answers after markTimeoutMs, and says so', async () => {
    const log = recordingLogger();
    const readyDir = mkdtempSync(path.join(dir, 'ready-'));
    const supervisor = new WorkerSupervisor({
      count: 1, serverJs: path.join(dir, 'graceful.mjs'), args: [], env: { ...process.env, READY_DIR: readyDir }, logger: log.logger,
      markTimeoutMs: 50,
      registry: { markWorkerStopped: () => new Promise<boolean>(() => {}) }, // a write hung after connecting
    });
    supervisor.start();
    await log.until('worker process started', 1);
    await untilReady(readyDir, supervisor.pids());
    await supervisor.stop('SIGTERM');
    expect(log.lines.find((l) => String(l.msg).startsWith('worker registry marks not written in time'))).toMatchObject({ pending: 1, timeoutMs: 50 });
  });

  it('forwards SIGTERM to every worker and waits for them to exit', async () => {
    const log = recordingLogger();
    const readyDir = mkdtempSync(path.join(dir, 'ready-'));
    const supervisor = new WorkerSupervisor({ count: 2, serverJs: path.join(dir, 'graceful.mjs'), args: [], env: { ...process.env, READY_DIR: readyDir }, logger: log.logger });
    supervisor.start();
    await log.until('worker process started', 2);
    const pids = supervisor.pids();
    expect(pids).toHaveLength(2);
    // Wait until both have installed their SIGTERM handler (each writes ready-<pid>).
    await untilReady(readyDir, pids);
    await supervisor.stop('SIGTERM');
    expect(supervisor.pids()).toEqual([]);
    expect(log.lines.filter((l) => l.msg === 'worker process stopped').map((l) => l.code)).toEqual([0, 0]);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    expect(supervisor.restarts).toBe(0);
  });
});
