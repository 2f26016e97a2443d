// What `npm start` and `npm run dev` must redo before running: install when package-lock.json
// changed since the last install, build the server or the web app when their sources changed
// since their last build. Each step leaves a stamp beside its output (node_modules/.skucast-install,
// dist/.skucast-build, web/dist/.skucast-build) holding two fingerprints:
// - inputs: the SHA-256 of its inputs' paths and contents. Content hashes, not mtimes: a checkout,
//   a stash pop or an editor that touches files without changing them costs nothing; hashing the
//   ~1,000 input files takes tens of milliseconds;
// - output: the paths, sizes and mtimes of what the step wrote (stat only, no reads). Any other
//   writer of the output (a manual `npm run build` from other sources, `npm run dev`'s tsc --watch,
//   an `npm install` by hand) changes it, and the step runs again: a build is used only when this
//   script saw it made from the sources it has now.
// The stamp is removed before a step runs and written only when it succeeds: a step that fails
// half way (a broken install, a build error) never leaves a stamp that a later start could trust.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

function listFiles(path, out) {
  if (!existsSync(path)) return out;
  if (statSync(path).isFile()) {
    out.push(path);
    return out;
  }
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = join(path, entry.name);
    if (entry.isDirectory()) listFiles(full, out);
    else if (!/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** The SHA-256 of the named files and folders (paths and contents; tests left out: builds skip them). */
export function fingerprint(inputs, base = root) {
  const hash = createHash('sha256');
  const files = inputs.flatMap((p) => listFiles(join(base, p), [])).sort();
  for (const file of files) {
    hash.update(relative(base, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** What a step wrote, as paths, sizes and mtimes (its stamp left out): cheap, and moved by any rewrite. */
function outputPrint(step, base) {
  const out = join(base, step.output);
  const stampPath = join(base, step.stamp);
  const files = [];
  const walk = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) walk(join(path, name));
    } else if (path !== stampPath) files.push(`${relative(base, path)}\0${stat.size}\0${stat.mtimeMs}`);
  };
  walk(out);
  return createHash('sha256').update(files.sort().join('\n')).digest('hex');
}

/**
 * Each step: what it reads, what it writes (for install, npm's record of the installed tree,
 * rewritten by every install), where its stamp lives, and the npm command that performs it.
 */
export const steps = [
  { name: 'install', inputs: ['package-lock.json', 'package.json'], output: 'node_modules/.package-lock.json', stamp: 'node_modules/.skucast-install', command: ['install', '--no-audit', '--no-fund'] },
  { name: 'build:server', inputs: ['src', 'bench', 'tests/support', 'tests/chaos', 'tsconfig.json', 'tsconfig.build.json', 'scripts/copy-sql.mjs', 'package-lock.json'], output: 'dist', stamp: 'dist/.skucast-build', command: ['run', 'build:server'] },
  { name: 'build:web', inputs: ['web/src', 'web/index.html', 'web/vite.config.ts', 'web/public', 'package-lock.json'], output: 'web/dist', stamp: 'web/dist/.skucast-build', command: ['run', 'build:web'] },
];

/** The stamp a step should carry now: its inputs' hash and its output's print. */
function currentStamp(step, base) {
  return `inputs ${fingerprint(step.inputs, base)}\noutput ${outputPrint(step, base)}`;
}

function stampOf(step, base) {
  const path = join(base, step.stamp);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : null;
}

function runNpm(step, base) {
  const result = spawnSync('npm', step.command, { cwd: base, stdio: 'inherit', shell: process.platform === 'win32' });
  return result.status === 0 ? 0 : result.status || 1;
}

/**
 * Runs the steps whose inputs or output changed since their stamp (all of them on a fresh clone),
 * in order, and stamps each that succeeds. A failing step stops here with its exit code and
 * without a stamp, so the next start does it again. Returns what ran, for the log line.
 * `options` is for tests: another root, other steps, another runner (step, root) => exit code.
 */
export function bringUpToDate(names = steps.map((s) => s.name), log = (line) => process.stderr.write(`${line}\n`), options = {}) {
  const { root: base = root, steps: all = steps, run = runNpm, exit = (code) => process.exit(code) } = options;
  const ran = [];
  for (const step of all.filter((s) => names.includes(s.name))) {
    const stamp = stampOf(step, base);
    if (stamp === currentStamp(step, base)) continue;
    log(`skucast: ${step.name} (${stamp === null ? 'never done here' : 'inputs or output changed'})`);
    rmSync(join(base, step.stamp), { force: true });
    const code = run(step, base);
    if (code !== 0) {
      log(`skucast: npm ${step.command.join(' ')} failed (exit ${code})`);
      exit(code);
      return ran;
    }
    mkdirSync(dirname(join(base, step.stamp)), { recursive: true });
    // Printed again after the step: `npm install` may rewrite package-lock.json.
    writeFileSync(join(base, step.stamp), `${currentStamp(step, base)}\n`);
    ran.push(step.name);
  }
  return ran;
}
