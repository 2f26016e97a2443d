/**
 * vitest globalSetup: compiles the server (`npm run build:server`) and the web app (`npm run
 * build:web`) once per run, so tests that start real processes (`node server.js worker`, `node
 * server.js api`) and the browser suites run the code under test.
 * Skipped when dist/ is newer than every source file, when the run is given only paths outside
 * tests/ and bench/, and with SKUCAST_SKIP_BUILD=1. Concurrent runs build one at a time.
 *
 * A shared tree may hold someone's half-finished file: tsc then reports type errors but still
 * emits JavaScript. That is a warning here, not a failure, as long as the entries the process
 * tests start were emitted; the typecheck step of `npm test` is where type errors fail.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const entries = ['dist/src/cli/main.js', 'dist/src/worker/worker-command.js', 'dist/src/worker/optimization-thread.js'];

/** The newest modification time of the files below `dir` whose names `counts` (0 for none). */
function newestFile(dir: string, counts: (name: string) => boolean): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestFile(path, counts));
    else if (counts(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const serverSource = (name: string) => /\.(ts|sql|mjs)$/.test(name) && !name.endsWith('.test.ts');
const webSource = (name: string) => !/\.test\.tsx?$/.test(name);

/**
 * Whether this run may start processes: a run given only paths outside tests/ (say
 * `vitest run src/queue`) never does, so it does not pay for a build. Filters are the
 * positional arguments after `run`.
 */
function runNeedsBuild(argv: string[]): boolean {
  const at = argv.findIndex((a) => a === 'run' || a === 'watch' || a === 'dev');
  const rest = argv.slice(at >= 0 ? at + 1 : 2);
  const takesValue = new Set(['-t', '--testNamePattern', '-c', '--config', '-r', '--root', '--dir', '--project', '--reporter', '--shard', '--pool', '--maxWorkers', '--outputFile']);
  const filters = rest.filter((a, i) => !a.startsWith('-') && !takesValue.has(rest[i - 1] ?? ''));
  return filters.length === 0 || filters.some((f) => /(^|\/)(tests|bench)(\/|$)|e2e|chaos/.test(f));
}

/** One build at a time across concurrent vitest runs in the same checkout. */
function withBuildLock(fn: () => void): void {
  const lock = join(root, 'dist', '.build-lock');
  mkdirSync(join(root, 'dist'), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      // A stale lock (its build died) is older than any build takes.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { force: true });
      if (Date.now() > deadline) throw new Error(`another build holds ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

export default function setup(): void {
  if (process.env.SKUCAST_SKIP_BUILD === '1' || !runNeedsBuild(process.argv)) return;
  withBuildLock(() => {
    build();
    buildWeb();
  });
}

/**
 * The web app the browser suites serve (web/dist), built here once, before any suite starts: when
 * each suite ran `npm run build:web` in its own beforeAll, two of them at once emptied web/dist
 * under the other's API, and its page never loaded ('No data yet' waited 60 s). Skipped when
 * web/dist is newer than every file of web/ it is built from.
 */
function buildWeb(): void {
  const index = join(root, 'web/dist/index.html');
  const sources = Math.max(newestFile(join(root, 'web/src'), webSource), ...['web/index.html', 'web/vite.config.ts'].map((f) => (existsSync(join(root, f)) ? statSync(join(root, f)).mtimeMs : 0)));
  if (existsSync(index) && statSync(index).mtimeMs > sources) return;
  const out = spawnSync('npm', ['run', 'build:web'], { cwd: root, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`npm run build:web failed:\n${`${out.stdout}\n${out.stderr}`.trim().split('\n').slice(-15).join('\n')}`);
}

function build(): void {
  const sources = Math.max(...['src', 'bench', 'tests/support', 'tests/chaos'].map((d) => newestFile(join(root, d), serverSource)));
  // tsc rewrites every output on each build, so the entries' age is the build's age
  // (whether `npm test`, `npm run build` or this setup ran it).
  const built = entries.every((e) => existsSync(join(root, e)))
    ? Math.min(...entries.map((e) => statSync(join(root, e)).mtimeMs))
    : 0;
  if (built > sources) return;
  const build = spawnSync('npm', ['run', 'build:server'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) {
    // tsc stops the script before the SQL files are copied; copy them anyway.
    if (existsSync(join(root, 'scripts/copy-sql.mjs'))) spawnSync('node', ['scripts/copy-sql.mjs'], { cwd: root });
    const missing = entries.filter((e) => !existsSync(join(root, e)));
    const output = `${build.stdout}\n${build.stderr}`.trim().split('\n').slice(-15).join('\n');
    if (missing.length > 0) throw new Error(`npm run build:server failed and did not emit ${missing.join(', ')}:\n${output}`);
    console.warn(`[global-setup] npm run build:server reported errors; running the emitted JavaScript anyway:\n${output}`);
  }
}
