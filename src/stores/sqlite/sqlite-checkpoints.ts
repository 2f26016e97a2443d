/**
 * scheduleCheckpoints decides when this process checkpoints the WAL of its SQLite connection, so
 * that no checkpoint runs inside a caller's commit. SQLite's own policy (wal_autocheckpoint, 1,000
 * frames) runs a PASSIVE checkpoint, with its two fsyncs, inside whichever COMMIT crosses the
 * threshold: an enqueue call, a claim or a complete that happens to be that one pays a few ms, and
 * those are the tails of pickup latency. The store turns that policy off on its connection and
 * calls `committed()` after each of its own write transactions that changed something.
 *
 * Modes and why:
 * - counting: every `everyCommits` own commits, a checkpoint in the next loop turn (setImmediate),
 *   after the caller's await has resumed and its wake-ups have gone out. The count starts at 32 and
 *   follows the WAL: each checkpoint reports the frames the WAL holds, and the next count is scaled
 *   so that about `targetFrames` (1,000, SQLite's own threshold) are added between checkpoints,
 *   within 8 to 1,024 commits. A queue transaction writes 9 frames (a claim of one job) to 80 (a
 *   claim of 64), so a fixed count would checkpoint several times as often as SQLite, or a fraction.
 * - long WAL: when a checkpoint finds `targetFrames` or more in the WAL, it did not start over
 *   since the last one (a writer restarts the WAL only if it begins while every frame is already
 *   in the main file: under two busy processes a checkpoint in the next loop turn often comes after
 *   the other's next commit). Then every own commit is followed by a checkpoint in the next loop
 *   turn, as SQLite's policy does whenever the WAL is that long, until one finds it short again. In
 *   counting mode alone the WAL grew to 40 MB in a 2-process drain, which drained 14% slower.
 * - at most `maxDelayMs` (1,000 ms) after the first commit not yet checkpointed: a timer. With
 *   synchronous=NORMAL the WAL is fsynced only by a checkpoint, so under SQLite's policy a quiet
 *   process left its last few hundred frames unsynced until the OS wrote them back (tens of
 *   seconds) or the next busy spell; the timer bounds what a power cut can take to about a second.
 *   A big transaction (an import) is checkpointed by this timer too, a second after it commits,
 *   instead of inside its own COMMIT.
 * - PASSIVE only: it never waits for readers or writers and never blocks one; frames a reader
 *   still needs stay in the WAL for the next checkpoint (as under SQLite's policy). A failure is
 *   not the caller's: it is reported once per failing spell, and the timer tries again.
 * - stop(): one last checkpoint when own commits are waiting (a worker that stops while the API is
 *   idle would otherwise leave its last results unsynced: SQLite checkpoints at close only on the
 *   last connection), then none after it.
 */

export interface CheckpointOptions {
  /** Runs one PASSIVE checkpoint (PRAGMA wal_checkpoint(PASSIVE)); the frames the WAL held (its `log`). */
  checkpoint: () => number;
  /** Own commits after which the first checkpoint runs in the next loop turn (default 32). */
  everyCommits?: number;
  /** Frames a checkpoint should find; later counts follow it (default 1,000). */
  targetFrames?: number;
  /** Longest wait from the first commit not yet checkpointed (default 1,000 ms). */
  maxDelayMs?: number;
  /** Told when a checkpoint throws, once until one succeeds again (default: process.emitWarning). */
  warn?: (message: string) => void;
}

export interface CheckpointSchedule {
  /** After an own write transaction that changed something has committed. */
  committed(): void;
  /** Own commits not yet checkpointed. */
  readonly waiting: number;
  /** Own commits after which the next checkpoint runs (1 while the WAL is long). */
  readonly everyCommits: number;
  stop(): void;
}

export const checkpointDefaults = { everyCommits: 32, targetFrames: 1000, minCommits: 8, maxCommits: 1024, maxDelayMs: 1000 } as const;

export function scheduleCheckpoints(options: CheckpointOptions): CheckpointSchedule {
  let everyCommits = options.everyCommits ?? checkpointDefaults.everyCommits;
  const targetFrames = options.targetFrames ?? checkpointDefaults.targetFrames;
  const { minCommits, maxCommits } = checkpointDefaults;
  const maxDelayMs = options.maxDelayMs ?? checkpointDefaults.maxDelayMs;
  const warn = options.warn ?? ((message: string) => process.emitWarning(message, { code: 'SKUCAST_SQLITE_CHECKPOINT' }));
  let waiting = 0;
  let walFrames = 0; // what the last checkpoint found in the WAL
  let stopped = false;
  let failing = false;
  let soon: NodeJS.Immediate | null = null;
  let timer: NodeJS.Timeout | null = null;

  const arm = () => {
    timer = setTimeout(run, maxDelayMs);
    timer.unref();
  };
  function run() {
    if (soon) clearImmediate(soon);
    if (timer) clearTimeout(timer);
    soon = null;
    timer = null;
    if (stopped) return;
    const had = waiting;
    waiting = 0;
    try {
      const frames = options.checkpoint();
      failing = false;
      // A WAL shorter than at the last checkpoint started over in between: all of it is new.
      const added = frames >= walFrames ? frames - walFrames : frames;
      // Only a count that was reached says how many frames that many commits add (the timer's
      // checkpoints come after fewer commits, in quiet spells; long-WAL ones after one).
      if (had >= everyCommits && added > 0) {
        everyCommits = Math.min(maxCommits, Math.max(minCommits, Math.round((everyCommits * targetFrames) / added)));
      }
      walFrames = frames;
    } catch (error) {
      if (!failing) warn(`SQLite checkpoint failed (${(error as Error)?.message ?? error}); trying again in ${maxDelayMs} ms`);
      failing = true;
      waiting = had;
      arm();
    }
  }

  return {
    committed() {
      if (stopped) return;
      waiting++;
      if (waiting >= everyCommits || walFrames >= targetFrames) {
        if (!soon) {
          soon = setImmediate(run);
          soon.unref();
        }
      } else if (!timer) {
        arm();
      }
    },
    get waiting() {
      return waiting;
    },
    get everyCommits() {
      return walFrames >= targetFrames ? 1 : everyCommits;
    },
    stop() {
      if (stopped) return;
      if (waiting > 0) run();
      stopped = true;
      if (soon) clearImmediate(soon);
      if (timer) clearTimeout(timer);
      soon = null;
      timer = null;
    },
  };
}
