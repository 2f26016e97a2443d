// What `npm start` and `npm run dev` must redo before running: install when package-lock.json
// changed since the last install, build the server or the web app when their sources changed
// since their last build. Each step leaves a stamp (the SHA-256 of its inputs) beside its output:
// node_modules/.skucast-install, dist/.skucast-build, web/dist/.skucast-build. Content hashes, not
// mtimes: a checkout, a stash pop or an editor that touches files without changing them costs
// nothing; hashing the ~1,000 input files takes tens of milliseconds.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
export function fingerprint(inputs) {
  const hash = createHash('sha256');
  const files = inputs.flatMap((p) => listFiles(join(root, p), [])).sort();
  for (const file of files) {
    hash.update(relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Each step: what it reads, where its stamp lives, and the npm command that performs it. */
export const steps = [
  { name: 'install', inputs: ['package-lock.json', 'package.json'], stamp: 'node_modules/.skucast-install', command: ['install', '--no-audit', '--no-fund'] },
  { name: 'build:server', inputs: ['src', 'bench', 'tests/support', 'tests/chaos', 'tsconfig.json', 'tsconfig.build.json', 'scripts/copy-sql.mjs', 'package-lock.json'], stamp: 'dist/.skucast-build', command: ['run', 'build:server'] },
  { name: 'build:web', inputs: ['web/src', 'web/index.html', 'web/vite.config.ts', 'web/public', 'package-lock.json'], stamp: 'web/dist/.skucast-build', command: ['run', 'build:web'] },
];

function stampOf(step) {
  const path = join(root, step.stamp);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : null;
}

/**
 * Runs the steps whose inputs changed since their stamp (all of them on a fresh clone), in order,
 * and stamps each that succeeds. A failing step stops here with its exit code; its stamp is left
 * as it was, so the next start tries again. Returns what ran, for the log line.
 */
export function bringUpToDate(names = steps.map((s) => s.name), log = (line) => process.stderr.write(`${line}\n`)) {
  const ran = [];
  for (const step of steps.filter((s) => names.includes(s.name))) {
    const wanted = fingerprint(step.inputs);
    if (stampOf(step) === wanted) continue;
    log(`skucast: ${step.name} (${stampOf(step) === null ? 'never done here' : 'inputs changed'})`);
    const result = spawnSync('npm', step.command, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    if (result.status !== 0) {
      log(`skucast: npm ${step.command.join(' ')} failed (exit ${result.status ?? result.signal})`);
      process.exit(result.status || 1);
    }
    mkdirSync(dirname(join(root, step.stamp)), { recursive: true });
    // Hashed again after the step: `npm install` may rewrite package-lock.json.
    writeFileSync(join(root, step.stamp), `${fingerprint(step.inputs)}\n`);
    ran.push(step.name);
  }
  return ran;
}
