/**
 * Starts real Skucast processes (`node server.js <command> ...`) for cross-process tests and
 * benchmarks, collects their JSON log lines, and makes sure none outlives its test:
 * `stopAll()` kills what is left and reports it, so a test can fail on a leaked process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's server.js, found from tests/support/ or from its compiled copy in dist/tests/support/. */
export const serverJs = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!(existsSync(join(dir, 'server.js')) && existsSync(join(dir, 'package.json')))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('server.js not found above tests/support');
    dir = up;
  }
  return join(dir, 'server.js');
})();

export interface LogLine {
  level: number;
  msg?: string;
  event?: string;
  jobId?: number;
  [key: string]: unknown;
}

export interface SkucastProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly lines: LogLine[];
  readonly stderr: string[];
  /** Resolves with the first log line matching (already seen or future); rejects after `timeoutMs` or on exit. */
  waitForLine(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly running: boolean;
  events(event: string): LogLine[];
}

const live = new Set<SkucastProcess>();

export interface StartOptions {
  /** Keep parsed log lines (default true). */
  keepLines?: boolean;
  /** 'ignore' sends stdout to /dev/null (benchmarks: the parent must not spend CPU parsing logs). */
  stdout?: 'pipe' | 'ignore';
  /** Flags for node itself, before server.js (flags NODE_OPTIONS refuses, such as --cpu-prof). */
  nodeArgs?: string[];
}

export function startSkucast(name: string, args: string[], env: Record<string, string>, options: StartOptions = {}): SkucastProcess {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), serverJs, ...args], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const stderr: string[] = [];
  let waiters: Array<{ match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }> = [];
  let running = true;
  if (child.stdout) createInterface({ input: child.stdout }).on('line', (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      line = { level: 30, msg: text };
    }
    if (options.keepLines !== false) lines.push(line);
    waiters = waiters.filter((w) => {
      if (!w.match(line)) return true;
      w.resolve(line);
      return false;
    });
  });
  createInterface({ input: child.stderr! }).on('line', (text) => stderr.push(text));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      live.delete(proc);
      resolve({ code, signal });
    });
  });
  const proc: SkucastProcess = {
    name, child, lines, stderr, exited,
    get running() {
      return running;
    },
    events: (event) => lines.filter((l) => l.event === event),
    waitForLine(match, timeoutMs = 20_000) {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise<LogLine>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`${name}: no matching log line within ${timeoutMs} ms; stderr: ${stderr.slice(-5).join(' | ')}`));
        }, timeoutMs);
        const waiter = { match, resolve: (l: LogLine) => (clearTimeout(timer), resolve(l)) };
        waiters.push(waiter);
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(new Error(`${name} exited (code ${code}, signal ${signal}) before the expected log line; stderr: ${stderr.slice(-5).join(' | ')}`));
        });
      });
    },
  };
  live.add(proc);
  return proc;
}

/** Kills every process still running (SIGKILL) and returns their names: a non-empty list is a leak. */
export async function stopAll(): Promise<string[]> {
  const leaked = [...live];
  for (const proc of leaked) proc.child.kill('SIGKILL');
  await Promise.all(leaked.map((p) => p.exited));
  return leaked.map((p) => p.name);
}

/** Polls `check` (a database read) every `intervalMs` until it returns a value other than undefined/false. */
export async function pollUntil<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
