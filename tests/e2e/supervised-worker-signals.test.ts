import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkerSupervisor } from '../../src/cli/worker-supervisor.js';
import type { Store } from '../../src/stores/store.js';
// @ts-expect-error: a plain .mjs script, without types
import { devWorkerSpawn } from '../../scripts/dev-worker.mjs';
import { pollUntil, serverJs } from '../support/skucast-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { recordingLogger } from '../support/recording-logger.js';

/**
 * A real `node server.js worker` under the supervisor, stopped the way systemd's default
 * KillMode=control-group stops a `skucast start` unit: SIGTERM to every process of the unit (the
 * worker gets it straight), then the one the supervisor forwards. The second is not "at once".
 */
let db: TestDatabase;
let store: Store;

beforeEach(async () => {
  db = await createTestDatabase('supervised-signals', 'sqlite');
  store = await db.open();
});

afterEach(async () => {
  await store.close();
  await db.cleanup();
});

describe('a worker under the supervisor', () => {
  it('drains on SIGTERM from systemd followed by the supervisor\'s: its jobs complete, none waits out a lease', async () => {
    const result = await store.enqueue(
      [0, 1].map((i) => ({ datasetId: 'e2e', sku: `SKU-${i}`, modelId: 'naive', method: 'grid', reason: 'manual_trigger', priority: 3 })),
      { batchId: 'supervised', supersede: false, reuse: false },
    );
    const log = recordingLogger();
    const supervisor = new WorkerSupervisor({
      count: 1, serverJs, env: { ...process.env, LOG_LEVEL: 'warn', ...db.env }, logger: log.logger,
      args: ['worker', '--handler', 'noop', '--concurrency', '2', '--noop-ms', '5000', '--shutdown-ms', '60000', '--lease-ms', '60000'],
    });
    supervisor.start();
    try {
      await pollUntil('both jobs running', async () => (await store.summary()).running === 2, 30_000);
      const [pid] = supervisor.pids();
      process.kill(pid, 'SIGTERM'); // systemd's, to every process of the unit
      await pollUntil('the worker to say stopping', async () => (await store.listWorkers()).some((w) => w.status === 'stopping'), 30_000);
      await supervisor.stop('SIGTERM'); // and the one `skucast start` forwards
    } finally {
      await supervisor.stop('SIGKILL');
    }
    expect(log.lines.filter((l) => l.msg === 'worker process stopped').map((l) => l.code)).toEqual([0]);
    for (let id = result.firstId!; id <= result.lastId!; id++) {
      expect(await store.getJob(id)).toMatchObject({ status: 'completed', attempts: 1 });
    }
    expect((await store.summary()).running).toBe(0);
  });

  it('stops at once when the supervisor\'s IPC channel closes while it drains: its job is left to its lease', async () => {
    const jobId = await enqueueOne('orphaned');
    const child = spawnWorker({ supervised: true });
    try {
      await pollUntil('the job running', async () => (await store.summary()).running === 1, 30_000);
      child.process.kill('SIGTERM');
      await pollUntil('the worker to say stopping', async () => (await store.listWorkers()).some((w) => w.status === 'stopping'), 30_000);
      child.process.kill('SIGTERM'); // still draining
      child.process.disconnect(); // then the supervisor is gone
      expect(await child.exited).toBe(143);
    } finally {
      child.process.kill('SIGKILL');
    }
    expect(await store.getJob(jobId)).toMatchObject({ status: 'running' });
  });

  it('stops at once on a signal after the supervisor is gone: an orphan\'s drain has no SIGKILL to end it', async () => {
    const jobId = await enqueueOne('orphan-signal');
    const child = spawnWorker({ supervised: true });
    try {
      await pollUntil('the job running', async () => (await store.summary()).running === 1, 30_000);
      child.process.disconnect(); // the supervisor dies first: the worker drains (its first stop)
      await pollUntil('the worker to say stopping', async () => (await store.listWorkers()).some((w) => w.status === 'stopping'), 30_000);
      child.process.kill('SIGTERM');
      expect(await child.exited).toBe(143);
    } finally {
      child.process.kill('SIGKILL');
    }
    expect(await store.getJob(jobId)).toMatchObject({ status: 'running' });
  });

  it('an IPC channel without SKUCAST_SUPERVISED (node --watch, PM2, fork) is not supervision: a second signal stops at once', async () => {
    const jobId = await enqueueOne('forked');
    const child = spawnWorker({ supervised: false });
    try {
      await pollUntil('the job running', async () => (await store.summary()).running === 1, 30_000);
      child.process.kill('SIGINT');
      await pollUntil('the worker to say stopping', async () => (await store.listWorkers()).some((w) => w.status === 'stopping'), 30_000);
      child.process.kill('SIGINT'); // the channel is still connected
      expect(await child.exited).toBe(130);
    } finally {
      child.process.kill('SIGKILL');
    }
    expect(await store.getJob(jobId)).toMatchObject({ status: 'running' });
  });
});

describe("npm run dev's worker (node --watch)", () => {
  it('drains on one Ctrl-C, which reaches it twice (the terminal signals the process group, node --watch forwards another): its job completes', async () => {
    const jobId = await enqueueOne('dev-ctrl-c');
    const { SKUCAST_SUPERVISED: _inherited, ...env } = process.env;
    const dev = devWorkerSpawn({ ...env, LOG_LEVEL: 'warn', ...db.env }, ['--handler', 'noop', '--noop-ms', '3000', '--shutdown-ms', '60000']) as { args: string[]; env: NodeJS.ProcessEnv };
    // Its own process group, as a terminal's foreground job: the group's signal reaches watcher and worker alike.
    const watcher = spawn(process.execPath, dev.args, { cwd: dirname(serverJs), env: dev.env, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
    const exited = new Promise<number | null>((resolve) => watcher.once('exit', (code) => resolve(code)));
    try {
      await pollUntil('the job running', async () => (await store.summary()).running === 1, 30_000);
      process.kill(-watcher.pid!, 'SIGINT'); // Ctrl-C
      await exited;
    } finally {
      try {
        process.kill(-watcher.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    expect(await store.getJob(jobId)).toMatchObject({ status: 'completed', attempts: 1 });
  });
});

async function enqueueOne(batchId: string): Promise<number> {
  const result = await store.enqueue([{ datasetId: 'e2e', sku: 'SKU-0', modelId: 'naive', method: 'grid', reason: 'manual_trigger', priority: 3 }],
    { batchId, supersede: false, reuse: false });
  return result.firstId!;
}

/** A worker with an IPC channel to this test process, which plays its parent (supervised: as `skucast start` does). */
function spawnWorker(opts: { supervised: boolean }) {
  const { SKUCAST_SUPERVISED: _inherited, ...env } = process.env;
  const child = spawn(process.execPath, [serverJs, 'worker', '--handler', 'noop', '--concurrency', '1', '--noop-ms', '60000', '--shutdown-ms', '60000'], {
    env: { ...env, LOG_LEVEL: 'warn', ...db.env, ...(opts.supervised ? { SKUCAST_SUPERVISED: '1' } : {}) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, exited };
}
