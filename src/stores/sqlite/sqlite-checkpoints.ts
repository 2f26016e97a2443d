/**
 * scheduleCheckpoints decides when this process checkpoints the WAL of its SQLite connection, so
 * that no checkpoint runs inside a caller's commit. SQLite's own policy (wal_autocheckpoint, 1,000
 * frames) runs a PASSIVE checkpoint, with its two fsyncs, inside whichever COMMIT crosses the
 * threshold: an enqueue call, a claim or a complete that happens to be that one pays a few ms, and
 * those are the tails of pickup latency. The store turns that policy off on its connection and
 * calls `committed()` after each of its own write transactions that changed something. (One fsync
 * stays in a commit under either policy: the first commit after a complete checkpoint restarts the
 * WAL and syncs its new header, before its own frames.)
 *
 * Modes and why:
 * - counting: every `everyCommits` own commits, a checkpoint in the next loop turn (setImmediate),
 *   after the caller's await has resumed and its wake-ups have gone out. The count starts at 32 and
 *   follows the WAL: after each complete checkpoint the next count is scaled so that about
 *   `targetFrames` (1,000, SQLite's own threshold) are added between two, within 8 to 1,024
 *   commits. A queue transaction writes 9 frames (a claim of one job) to 80 (a claim of 64), so a
 *   fixed count would checkpoint several times as often as SQLite, or a fraction as often. The
 *   frames are the whole WAL's (other processes' too), and a WAL that started over and grew past
 *   its last size reads as having grown little: the count drifts up, and the next checkpoint's
 *   frames bring it back.
 * - long WAL: when a checkpoint finds `targetFrames` or more in the WAL, it did not start over
 *   since the last one (a writer restarts the WAL only if it begins while every frame is already in
 *   the main file and no reader still reads from the WAL: under two busy processes a checkpoint in
 *   the next loop turn often comes after the other's next commit). Then every own commit is
 *   followed by a checkpoint in the next loop turn, as SQLite's policy does whenever the WAL is that
 *   long, until one finds it short again. In counting mode alone the WAL grew to 40 MB in a
 *   2-process drain, which drained 14% slower.
 * - deadline: at most `maxDelayMs` (1,000 ms) after the first commit not yet checkpointed. With
 *   synchronous=NORMAL the WAL is fsynced only by checkpoints (a restart syncs its new header
 *   before the commit's frames, which makes that commit no safer), so under SQLite's policy a
 *   quiet process left its last few hundred frames unsynced until the operating system wrote them
 *   back or the next busy spell; a timer bounds that to about a second. The price, in quiet
 *   spells: each commit is followed by a checkpoint's two fsyncs a second later, and the next
 *   commit restarts the WAL (one fsync). Off with SQLITE_SYNCHRONOUS=FULL (`deadline: false`),
 *   where every commit syncs the WAL itself; retries still use the timer.
 * - overdue, inside committed(): a caller that awaits one store call after another never lets the
 *   loop turn (the calls are synchronous underneath), so neither the next-turn checkpoint nor the
 *   timer runs. Past the deadline, or at 4 times the count (4 commits while the WAL is long), the
 *   checkpoint runs at once, inside the caller's call, as SQLite's policy would have: the WAL stays
 *   bounded.
 * - retrying: a checkpoint that could not copy every frame (another connection was checkpointing:
 *   busy; a reader still reads an older snapshot: checkpointed < log) may have synced nothing, and
 *   one that throws synced nothing. Its commits stay waiting and, until a checkpoint completes,
 *   only the timer tries again (also with `deadline: false`; inside committed() once it is due,
 *   when the loop does not turn): after 10 ms, then twice as long each time up to `maxDelayMs`,
 *   back to 10 ms once one completes; after a throw, every `maxDelayMs`. No checkpoint per commit
 *   while a reader holds the WAL back (each would copy the few frames the reader let go, with two
 *   fsyncs), and a failure is reported once per failing spell. (A fixed second between tries let
 *   another busy process add 20,000 frames after a try that met its transaction.)
 * - forced restart (WAL growth): a writer starts the WAL over only when it begins with every frame
 *   already in the main file and no reader in the WAL. Two processes committing back to back (two
 *   workers claiming one job at a time) rarely leave such a moment: each one's checkpoint is
 *   followed by the other's commit, and the WAL grew past 1.7 GB in a 20,000-job drain. When a
 *   complete checkpoint finds `restartFrames` (4,000, about 16 MB) or more, a RESTART checkpoint
 *   follows it (the store's `restart`): it takes the write lock, copies the frames committed
 *   since, and waits until no reader is in the WAL (20 ms of busy-handler sleep at most, for the
 *   lock and the readers together), so that the next writer starts it over. One that could not is
 *   not tried again before the WAL has grown by `restartFrames` more. A reader that holds an old
 *   snapshot for long (a backup) still keeps the WAL growing: nothing can copy past it.
 * - stop(): one last checkpoint when own commits are waiting (a worker that stops while the API is
 *   idle would otherwise leave its last results unsynced: SQLite checkpoints at close only on the
 *   last connection), then none after it.
 */

/** PRAGMA wal_checkpoint's row: busy 1 when another checkpoint ran (log and checkpointed then -1). */
export interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface CheckpointOptions {
  /** Runs one PASSIVE checkpoint (PRAGMA wal_checkpoint(PASSIVE)) and returns its row. */
  checkpoint: () => CheckpointRow;
  /** Own commits after which the first checkpoint runs in the next loop turn (default 32). */
  everyCommits?: number;
  /** Frames a checkpoint should find; later counts follow it (default 1,000). */
  targetFrames?: number;
  /** Longest wait from the first commit not yet checkpointed (default 1,000 ms). */
  maxDelayMs?: number;
  /** false: no one-second deadline (SQLITE_SYNCHRONOUS=FULL syncs each commit; default true). */
  deadline?: boolean;
  /** Told when a checkpoint throws, once until one succeeds again (default: process.emitWarning). */
  warn?: (message: string) => void;
  /** The clock of the overdue check (tests). */
  now?: () => number;
  /** Runs PRAGMA wal_checkpoint(RESTART), waiting only briefly for other connections, and returns its row. */
  restart?: () => CheckpointRow;
  /** Frames a complete checkpoint may find in the WAL before `restart` runs after it (default 4,000). */
  restartFrames?: number;
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

export const checkpointDefaults = {
  everyCommits: 32, targetFrames: 1000, minCommits: 8, maxCommits: 1024, overdueCounts: 4, maxDelayMs: 1000, restartFrames: 4000, retryFirstMs: 10,
} as const;

export function scheduleCheckpoints(options: CheckpointOptions): CheckpointSchedule {
  let everyCommits = options.everyCommits ?? checkpointDefaults.everyCommits;
  const targetFrames = options.targetFrames ?? checkpointDefaults.targetFrames;
  const { minCommits, maxCommits, overdueCounts } = checkpointDefaults;
  const maxDelayMs = options.maxDelayMs ?? checkpointDefaults.maxDelayMs;
  const restartFrames = options.restartFrames ?? checkpointDefaults.restartFrames;
  const retryFirstMs = Math.min(checkpointDefaults.retryFirstMs, maxDelayMs);
  const deadline = options.deadline ?? true;
  const now = options.now ?? Date.now;
  const warn = options.warn ?? ((message: string) => process.emitWarning(message, { code: 'SKUCAST_SQLITE_CHECKPOINT' }));
  let waiting = 0;
  let firstWaitingAt = 0;
  let walFrames = 0; // what the last complete checkpoint found in the WAL
  let stopped = false;
  // Set after a checkpoint that failed or could not finish: until one completes, only the timer tries.
  let retrying: 'failing' | 'incomplete' | null = null;
  // The timer's next try after one that could not finish: soon at first (another writer's
  // snapshot or checkpoint holds back only a moment), then twice as long each time up to
  // maxDelayMs (a reader that holds an old snapshot gets one try a second, not one per commit).
  let retryMs = retryFirstMs;
  // The WAL length at which the next forced restart is tried.
  let restartAt = restartFrames;
  let soon: NodeJS.Immediate | null = null;
  let timer: NodeJS.Timeout | null = null;
  let timerDue = 0;

  /** The timer, due in `ms` (one already armed stays: run() clears it before it arms the next). */
  const arm = (ms = maxDelayMs) => {
    if (timer) return;
    timerDue = now() + ms;
    timer = setTimeout(run, ms);
    timer.unref();
  };
  const longWal = () => walFrames >= targetFrames;
  function run() {
    if (soon) clearImmediate(soon);
    if (timer) clearTimeout(timer);
    soon = null;
    timer = null;
    if (stopped || waiting === 0) return;
    let row: CheckpointRow;
    try {
      row = options.checkpoint();
    } catch (error) {
      if (retrying !== 'failing') warn(`SQLite checkpoint failed (${(error as Error)?.message ?? error}); trying again every ${maxDelayMs} ms`);
      retrying = 'failing';
      arm();
      return;
    }
    if (row.busy !== 0 || row.log < 0 || row.checkpointed < row.log) {
      retrying = 'incomplete';
      arm(retryMs);
      retryMs = Math.min(maxDelayMs, retryMs * 2);
      return;
    }
    retrying = null;
    retryMs = retryFirstMs;
    // A WAL shorter than at the last checkpoint started over in between: all of it is new.
    const startedOver = row.log < walFrames;
    const added = startedOver ? row.log : row.log - walFrames;
    // Only a count that was reached says how many frames a commit adds (the timer's checkpoints
    // come after fewer commits, in quiet spells; long-WAL ones after one).
    if (waiting >= everyCommits && added > 0) {
      everyCommits = Math.min(maxCommits, Math.max(minCommits, Math.round((waiting * targetFrames) / added)));
    }
    walFrames = row.log;
    waiting = 0;
    if (startedOver) restartAt = restartFrames;
    // A WAL this long did not start over: another connection kept committing while this one
    // checkpointed (a writer restarts it only when it begins with every frame in the main file and
    // no reader in the WAL). Two workers committing back to back grew it past a gigabyte.
    if (options.restart && row.log >= restartAt) {
      if (restart()) {
        walFrames = 0; // the next writer starts it over
        restartAt = restartFrames;
      } else {
        restartAt = row.log + restartFrames; // not again before it has grown by as much
      }
    }
  }

  /**
   * RESTART: takes the write lock, copies what is left, waits (briefly) until no reader is in the
   * WAL, so that the next writer starts it over. It holds the write lock from before it reads the
   * WAL's length to the end, so no frame can come in between: a row with every frame copied means
   * every commit before it is in the main file, synced. False when it could not (busy, or threw).
   */
  function restart(): boolean {
    try {
      const row = options.restart!();
      return row.busy === 0 && row.log >= 0 && row.checkpointed === row.log;
    } catch {
      return false;
    }
  }

  return {
    committed() {
      if (stopped) return;
      if (waiting === 0) firstWaitingAt = now();
      waiting++;
      if (retrying) {
        // A caller that never lets the loop turn never lets the timer fire either: a retry that is
        // due runs here (it arms the next one, later still: never one per commit).
        if (timer && now() >= timerDue) run();
        else arm();
        return;
      }
      const count = longWal() ? 1 : everyCommits;
      if ((deadline && now() - firstWaitingAt >= maxDelayMs) || waiting >= overdueCounts * count) {
        run();
        return;
      }
      if (waiting >= count) {
        if (!soon) {
          soon = setImmediate(run);
          soon.unref();
        }
      } else if (deadline) {
        arm();
      }
    },
    get waiting() {
      return waiting;
    },
    get everyCommits() {
      return longWal() ? 1 : everyCommits;
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
