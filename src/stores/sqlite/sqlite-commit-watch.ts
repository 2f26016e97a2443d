/**
 * watchCommits calls `look` whenever another connection may have committed to a SQLite database:
 * the store's watch() behind it reads PRAGMA data_version, which alone decides whether anything
 * changed. This file only decides when to look.
 *
 * Modes and why:
 * - events (a database file, the default): fs.watch on the database's folder (inotify on Linux)
 *   for writes to `<file>-wal`. Every commit in WAL mode writes its frames to that file, so another
 *   process's enqueue is looked at within a loop turn instead of up to a poll interval later.
 *   The folder, not the file: the -wal file may not exist yet, is removed when the last connection
 *   closes and created again by the next (a watch on the file would go deaf with its old inode).
 *   After a checkpoint the next writer restarts the same file from its start (and cuts it back to
 *   journal_size_limit, 64 MB, when it grew past that), or a TRUNCATE cuts it to 0 bytes: all are
 *   writes to the same name, seen alike. An event is only a hint (own
 *   commits and checkpoints write the file too): it triggers a look, coalesced per loop turn.
 *   A commit's frames reach the -wal file before the WAL index (-shm, memory-mapped, which raises
 *   no events) makes them visible, and a writer descheduled in between (a loaded machine) delays
 *   that by a time slice or more. So every event is followed by `relooks` more looks, `relookMs`
 *   then doubling (1, 2, 4, ... 32 ms), whatever the first look found (it may have found an earlier
 *   commit, not the one whose frames raised the event); a later event restarts them. A commit
 *   whose index update lags its last frame by more than their sum (63 ms) waits for the backstop:
 *   that, pollMs, is the worst case of a wake.
 * - backstop poll, alongside events: a look every `pollMs` (100 ms) for what no event reports
 *   (a filesystem whose writes come through another kernel: NFS, some VM-shared mounts).
 * - poll only: ':memory:' (no other process can commit) looks every `pollMs`; when the watcher
 *   cannot start or fails later (the inotify watch limit, ENOSPC), one warning, then a look
 *   every `fallbackPollMs` (5 ms, as before events) until stop().
 */
import { watch as fsWatch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface CommitWatchOptions {
  /** The database file (absolute or relative), or null for an in-memory database. */
  file: string | null;
  /** Reads data_version and wakes listeners; true when another connection committed since the last look. */
  look: () => boolean;
  /** Backstop poll beside events, and the poll of an in-memory database (default 100 ms). */
  pollMs?: number;
  /** Poll once events failed (default 5 ms). */
  fallbackPollMs?: number;
  /** Delay of the first look again after an event; each next one doubles it (default 1 ms). */
  relookMs?: number;
  /** How many looks follow an event's first one (default 6: 1 to 32 ms, 63 ms in all). */
  relooks?: number;
  /** Injected in tests: a watcher that fails. */
  watchFolder?: (folder: string, onChange: (filename: string | null) => void) => FSWatcher;
  /** Told once, when events fail and the fast poll takes over (default: process.emitWarning). */
  warn?: (message: string) => void;
}

export interface CommitWatch {
  /** 'events' while fs events drive the looks, 'poll' otherwise. */
  readonly mode: 'events' | 'poll';
  stop(): void;
}

export const commitWatchDefaults = { pollMs: 100, fallbackPollMs: 5, relookMs: 1, relooks: 6 } as const;

const defaultWatchFolder = (folder: string, onChange: (filename: string | null) => void): FSWatcher =>
  fsWatch(folder, { persistent: false }, (_event, filename) => onChange(filename === null ? null : String(filename)));

export function watchCommits(options: CommitWatchOptions): CommitWatch {
  const pollMs = options.pollMs ?? commitWatchDefaults.pollMs;
  const fallbackPollMs = options.fallbackPollMs ?? commitWatchDefaults.fallbackPollMs;
  const relookMs = options.relookMs ?? commitWatchDefaults.relookMs;
  const relooks = options.relooks ?? commitWatchDefaults.relooks;
  const warn = options.warn ?? ((message: string) => process.emitWarning(message, { code: 'SKUCAST_SQLITE_WATCH' }));
  let stopped = false;
  let mode: CommitWatch['mode'] = 'poll';
  let watcher: FSWatcher | null = null;
  let poll: NodeJS.Timeout | null = null;
  let lookSoon: NodeJS.Immediate | null = null;
  let relook: NodeJS.Timeout | null = null;

  const look = () => {
    if (!stopped) options.look();
  };
  const startPoll = (ms: number) => {
    if (poll) clearInterval(poll);
    poll = setInterval(look, ms);
    poll.unref();
  };
  const lookAgain = (step: number) => {
    relook = setTimeout(() => {
      relook = null;
      look();
      if (!stopped && step + 1 < relooks) lookAgain(step + 1);
    }, relookMs * 2 ** step);
    relook.unref();
  };
  const onEvent = () => {
    if (stopped || lookSoon) return;
    lookSoon = setImmediate(() => {
      lookSoon = null;
      if (stopped) return;
      options.look();
      if (relook) clearTimeout(relook);
      relook = null;
      if (relooks > 0) lookAgain(0);
    });
    lookSoon.unref();
  };
  const fallBack = (error: unknown) => {
    if (stopped || mode === 'poll') return;
    mode = 'poll';
    watcher?.close();
    watcher = null;
    warn(`SQLite commit events failed (${(error as Error)?.message ?? error}): watching ${options.file} by polling every ${fallbackPollMs} ms instead`);
    startPoll(fallbackPollMs);
    look(); // whatever the dead watcher may have missed
  };

  if (options.file === null) {
    startPoll(pollMs);
  } else {
    const main = basename(options.file);
    const wal = `${main}-wal`;
    try {
      watcher = (options.watchFolder ?? defaultWatchFolder)(dirname(options.file), (filename) => {
        // null: the platform did not say which file; look anyway. The main file too: a database
        // that could not switch to WAL (a read-only folder) commits there.
        if (filename === null || filename === wal || filename === main) onEvent();
      });
      mode = 'events';
      watcher.on('error', fallBack);
      startPoll(pollMs);
    } catch (error) {
      mode = 'events'; // so fallBack warns and switches
      fallBack(error);
    }
  }

  return {
    get mode() {
      return mode;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      watcher?.close();
      watcher = null;
      if (poll) clearInterval(poll);
      if (lookSoon) clearImmediate(lookSoon);
      if (relook) clearTimeout(relook);
      poll = null;
      lookSoon = null;
      relook = null;
    },
  };
}
