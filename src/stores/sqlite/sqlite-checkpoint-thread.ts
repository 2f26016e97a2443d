/**
 * checkpointThread runs this process's WAL checkpoints on a thread of their own, with a connection
 * of its own to the same file, so that their page copying and two fsyncs never hold up the thread
 * that claims, settles and wakes: a worker that checkpointed in a loop turn between two jobs picked
 * the next one up that much later (about half a millisecond of bench:queue's pickup p99).
 *
 * Modes and why:
 * - not started: the thread (about 60 ms of CPU and a few MB to start) is made when the store
 *   starts watching for other processes' commits (what the API and the workers do at once: the boot
 *   is then not in the middle of their first work), or at the first checkpoint asked for; a
 *   short-lived store (a CLI command, most tests) never pays for it.
 * - running: asking is one counter bump and a futex wake (Atomics.notify); the thread answers in
 *   shared memory (the PRAGMA's row, or its error's message), so the schedule can take the outcome
 *   inside its next committed() even when the event loop does not turn, and a message wakes the
 *   loop when it does. The thread waits on the counter (Atomics.wait), never on its event loop.
 * - broken: the thread failed to start or exited on its own. One warning, then every checkpoint
 *   asked for runs on the caller's thread, through `inline` (the store's own connection): slower
 *   callers, the same durability.
 * - stopped: asks for nothing; the thread closes its connection and exits. `closed()` resolves
 *   when it has (the store's close() awaits it, so no connection of the store outlives it).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CheckpointBackground, CheckpointRow } from './sqlite-checkpoints.js';

// Int32 slots of the shared buffer; the error's message follows them as UTF-8.
const ASKED = 0; // checkpoints asked for (the thread waits while it equals the ones it ran)
const DONE = 1; // the last one the thread finished
const BUSY = 2;
const LOG = 3;
const CHECKPOINTED = 4;
const FAILED = 5; // 1: the last one threw; its message is in the text
const STOP = 6;
const TEXT_LENGTH = 7;
const TEXT_AT = 32;
const TEXT_BYTES = 480;

// Run with \`eval\`: no file to resolve next to the compiled module, under dist/ or vitest. Only
// dynamic import(): the source is CommonJS or a module depending on the process's flags
// (--input-type=module makes it a module, where require is not defined).
const threadSource = `(async () => {
const { workerData, parentPort } = await import('node:worker_threads');
const Database = (await import(workerData.driver)).default;
const s = new Int32Array(workerData.shared);
const text = new Uint8Array(workerData.shared, ${TEXT_AT}, ${TEXT_BYTES});
let db = null;
let checkpoint = null;
let ran = 0;
for (;;) {
  Atomics.wait(s, ${ASKED}, ran);
  if (Atomics.load(s, ${STOP}) === 1) break;
  ran = Atomics.load(s, ${ASKED});
  try {
    if (checkpoint === null) {
      db = new Database(workerData.file, { timeout: workerData.busyTimeoutMs });
      db.pragma('synchronous = ' + workerData.synchronous);
      checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
    }
    const row = checkpoint.get();
    s[${BUSY}] = row.busy; s[${LOG}] = row.log; s[${CHECKPOINTED}] = row.checkpointed; s[${FAILED}] = 0;
  } catch (error) {
    const bytes = new TextEncoder().encode(String((error && error.message) || error)).subarray(0, ${TEXT_BYTES});
    text.set(bytes);
    s[${TEXT_LENGTH}] = bytes.length;
    s[${FAILED}] = 1;
  }
  Atomics.store(s, ${DONE}, ran);
  Atomics.notify(s, ${DONE});
  parentPort.postMessage(ran);
}
if (db !== null) db.close();
})();
`;

export interface CheckpointThreadOptions {
  /** The database file (absolute, as PRAGMA database_list names it). */
  file: string;
  synchronous: 'NORMAL' | 'FULL';
  busyTimeoutMs: number;
  /** The checkpoint on the store's own connection: the broken mode's. */
  inline: () => CheckpointRow;
  /** Told once when the thread breaks. */
  warn: (message: string) => void;
  /** Told with each row the thread's checkpoints return (tests). */
  onRow?: (row: CheckpointRow) => void;
  /** The driver module the thread loads (default better-sqlite3, resolved from here; tests break it). */
  driver?: string;
}

export interface CheckpointThread {
  /** For scheduleCheckpoints' `background`. */
  background: (done: () => void) => CheckpointBackground;
  /** Starts the thread now rather than at the first checkpoint (a long-lived process: its boot is off the clock of its first work). */
  warm(): void;
  /** Resolves once the thread, if it ever started, has closed its connection and exited. */
  closed(): Promise<void>;
}

export function checkpointThread(options: CheckpointThreadOptions): CheckpointThread {
  const shared = new SharedArrayBuffer(TEXT_AT + TEXT_BYTES);
  const slots = new Int32Array(shared);
  let worker: Worker | null = null;
  let exited: Promise<void> = Promise.resolve();
  let broken = false;
  let stopped = false;
  let asked = 0;
  let inlineOutcome: CheckpointRow | Error | null = null;
  let done: () => void = () => undefined;

  const breakDown = (why: string) => {
    if (broken) return;
    broken = true;
    options.warn(`SQLite checkpoint thread ${why}; checkpoints run on the main thread from now on`);
  };
  const startThread = () => {
    try {
      const driver = pathToFileURL(options.driver ?? createRequire(import.meta.url).resolve('better-sqlite3')).href;
      const thread = new Worker(threadSource, {
        eval: true,
        workerData: { driver, shared, file: options.file, synchronous: options.synchronous, busyTimeoutMs: options.busyTimeoutMs },
      });
      thread.unref();
      thread.on('message', () => done());
      thread.on('error', (error) => breakDown(`failed (${error.message})`));
      exited = new Promise((resolve) => {
        thread.once('exit', (code) => {
          if (!stopped) breakDown(`exited (code ${code})`);
          resolve();
          // A checkpoint asked for that the thread will never answer: the schedule takes the
          // broken mode's answer instead.
          done();
        });
      });
      worker = thread;
    } catch (error) {
      breakDown(`could not start (${(error as Error).message})`);
    }
  };
  const runInline = () => {
    try {
      inlineOutcome = options.inline();
    } catch (error) {
      inlineOutcome = error instanceof Error ? error : new Error(String(error));
    }
  };

  return {
    background(onDone) {
      done = onDone;
      return {
        start() {
          if (stopped) return;
          if (!worker && !broken) startThread();
          if (broken) {
            runInline();
            return;
          }
          asked = Atomics.add(slots, ASKED, 1) + 1;
          Atomics.notify(slots, ASKED);
          // A checkpoint asked for keeps the process alive until it is answered: the commits it
          // syncs matter, and its answer must not be lost to a process ending meanwhile.
          worker?.ref();
        },
        take() {
          if (inlineOutcome !== null) {
            const outcome = inlineOutcome;
            inlineOutcome = null;
            return outcome;
          }
          if (asked === 0) return null;
          if (Atomics.load(slots, DONE) !== asked) {
            // Never answered by a thread that broke meanwhile: run it here.
            if (!broken) return null;
            asked = 0;
            runInline();
            const outcome = inlineOutcome;
            inlineOutcome = null;
            return outcome;
          }
          asked = 0;
          if (!stopped) worker?.unref();
          if (slots[FAILED] === 1) {
            const message = new TextDecoder().decode(new Uint8Array(shared, TEXT_AT, slots[TEXT_LENGTH]));
            return new Error(message);
          }
          const row = { busy: slots[BUSY], log: slots[LOG], checkpointed: slots[CHECKPOINTED] };
          try {
            options.onRow?.(row);
          } catch {
            // a test's hook; not the checkpoint's failure
          }
          return row;
        },
        settle(timeoutMs) {
          const until = Date.now() + timeoutMs;
          for (let seen = Atomics.load(slots, DONE); asked !== 0 && seen !== asked && !broken; seen = Atomics.load(slots, DONE)) {
            const left = until - Date.now();
            if (left <= 0) return;
            Atomics.wait(slots, DONE, seen, left);
          }
        },
        stop() {
          if (stopped) return;
          stopped = true;
          // Unreferenced, its exit would not keep the loop alive: an awaited closed() would then
          // end the process as if nothing were pending.
          worker?.ref();
          Atomics.store(slots, STOP, 1);
          Atomics.add(slots, ASKED, 1); // a thread not yet waiting must not wait for it
          Atomics.notify(slots, ASKED);
        },
      };
    },
    warm() {
      if (!worker && !broken && !stopped) startThread();
    },
    closed() {
      return worker ? exited : Promise.resolve();
    },
  };
}
