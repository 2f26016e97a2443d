import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';

/**
 * Another process holding SQLite's write lock, as a backup, a big import or an operator's sqlite3
 * session does: a child process opens the file, runs BEGIN IMMEDIATE, and holds the lock until
 * `release()` (or `holdMs`, when given) - then commits and exits. Used by the tests and the chaos
 * scenario that check a worker keeps its finished results through a long lock.
 *
 * Modes: starting -> holding (`holdWriteLock` resolves once the lock is taken) -> released
 * (the child committed and exited; `released` resolves).
 */
export interface WriteLockHolder {
  readonly pid: number;
  /** Commits and waits for the child to exit. Idempotent. */
  release(): Promise<void>;
  /** Resolves when the child has committed and exited (on release or after holdMs). */
  readonly released: Promise<void>;
}

const childSource = `
const [modulePath, path, holdMs] = process.argv.slice(1);
const Database = (await import(modulePath)).default;
const db = new Database(path, { timeout: 30000 });
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\\n');
let done = false;
const finish = () => {
  if (done) return;
  done = true;
  db.exec('COMMIT');
  db.close();
  process.exit(0);
};
process.stdin.on('data', finish);
process.stdin.on('end', finish);
if (Number(holdMs) > 0) setTimeout(finish, Number(holdMs));
`;

export function holdWriteLock(path: string, options: { holdMs?: number } = {}): Promise<WriteLockHolder> {
  const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--input-type=module', '-e', childSource, modulePath, path, String(options.holdMs ?? 0)],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const released = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lock holder exited ${code}`))));
  });
  released.catch(() => undefined); // observed by whoever awaits it
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`lock holder exited ${code} before taking the lock: ${err}`)));
    child.stdout!.once('data', () => {
      resolve({
        pid: child.pid!,
        released,
        async release() {
          if (child.exitCode === null) child.stdin!.end('release\n');
          await released;
        },
      });
    });
  });
}
