import { existsSync, mkdtempSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopStart } from '../../src/cli/stop-start.js';
import { WorkerSupervisor } from '../../src/cli/worker-supervisor.js';
import { openPostgresStore } from '../../src/stores/postgres/postgres-store.js';
import { createPostgresTestSchema, postgresTestUrl } from '../../src/stores/postgres/postgres-test-schema.js';
import { holdTableLock } from '../support/postgres-lock-holder.js';
import { recordingLogger } from '../support/recording-logger.js';

/**
 * `skucast start`'s stop with a PostgreSQL that does not answer: the registry mark of an exited
 * worker waits on a lock another session holds, so the store's pool has a connection checked out
 * that never comes back, and `pool.end()` waits for it. The stop must still end, within its bound.
 */
const baseUrl = postgresTestUrl('skucast start stop with a hung database');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'skucast-stop-start-'));
  writeFileSync(
    path.join(dir, 'graceful.mjs'),
    "process.on('SIGTERM', () => process.exit(0));\nsetInterval(() => {}, 1000);\n" +
      "import('node:fs').then((fs) => fs.writeFileSync(process.env.READY_DIR + '/ready-' + process.pid, ''));\n",
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function untilReady(readyDir: string, pid: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const ready = () => existsSync(path.join(readyDir, `ready-${pid}`));
    const watcher = watch(readyDir, () => {
      if (ready()) {
        watcher.close();
        resolve();
      }
    });
    if (ready()) {
      watcher.close();
      resolve();
    }
  });
}

describe('stopStart', () => {
  it.skipIf(!baseUrl)('exits (code 1, and says so) when closing the store hangs on a statement that never answers', async () => {
    const db = await createPostgresTestSchema(baseUrl!, 'stop_start');
    const store = await openPostgresStore(`${db.url}&connection_limit=2`);
    await store.migrate();
    // Another session holds the registry table: markWorkerStopped's UPDATE waits on it, unanswered.
    const holder = await holdTableLock(baseUrl!, `${db.schema}.workers`, 'ACCESS EXCLUSIVE');
    const log = recordingLogger();
    const readyDir = mkdtempSync(path.join(dir, 'ready-'));
    const supervisor = new WorkerSupervisor({
      count: 1, serverJs: path.join(dir, 'graceful.mjs'), args: [], env: { ...process.env, READY_DIR: readyDir }, logger: log.logger,
      registry: store, markTimeoutMs: 50,
    });
    let closing: Promise<void> | undefined;
    try {
      supervisor.start();
      await untilReady(readyDir, supervisor.pids()[0]);
      const exits: number[] = [];
      const outcome = await stopStart({
        signal: 'SIGTERM', supervisor, logger: log.logger, closeTimeoutMs: 50,
        api: { closeHttp: async () => undefined, dropHttpConnections: () => undefined, closeStore: () => (closing = store.close()) },
        exit: (code) => void exits.push(code),
      });
      expect(outcome).toBe('cut short');
      expect(exits).toEqual([1]);
      expect(log.lines.map((l) => l.msg)).toEqual(expect.arrayContaining([
        expect.stringMatching(/^worker registry marks not written in time/),
        expect.stringMatching(/^the store did not close in time/),
      ]));
      expect(log.lines.some((l) => l.msg === 'stopped')).toBe(false);
    } finally {
      await supervisor.stop();
      // The lock let go, the hung mark answers and the pool ends.
      // Neither may skip the rest when the server went away (a restart): the store and schema too.
      await holder.release();
      await (closing ?? store.close()); // the close cut short ends now
      await db.drop();
    }
  });

  it('closes the HTTP server, then the store, and says stopped when they answer', async () => {
    const log = recordingLogger();
    const closed: string[] = [];
    const outcome = await stopStart({
      signal: 'SIGINT', supervisor: { stop: async () => void closed.push('workers') }, logger: log.logger,
      api: { closeHttp: async () => void closed.push('http'), dropHttpConnections: () => undefined, closeStore: async () => void closed.push('store') },
      exit: () => expect.unreachable('no exit when the close answers'),
    });
    expect(outcome).toBe('stopped');
    expect(closed).toEqual(['http', 'workers', 'store']);
    expect(log.lines.at(-1)).toMatchObject({ msg: 'stopped' });
  });
});
