import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

/**
 * The built CLI (`node server.js ...`, npm run build:server) as a user runs it, on a SQLite file
 * in a temporary folder the suite gets for its own files too; DATABASE_URL is cleared so the
 * commands never reach a PostgreSQL the environment names. Registers the suite's beforeAll/afterAll.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const serverJs = path.join(root, 'server.js');

export interface BuiltCli {
  /** The temporary folder and the SQLite file in it, once beforeAll has run. */
  readonly dir: string;
  readonly database: string;
  /** Where `node server.js` runs from, for a suite that spawns it itself (a signal to send). */
  readonly root: string;
  run(args: string[]): { status: number | null; stdout: string; stderr: string };
}

export function useBuiltCli(prefix: string): BuiltCli {
  let dir = '';
  beforeAll(() => {
    if (!existsSync(path.join(root, 'dist/src/cli/main.js'))) throw new Error('dist/src/cli/main.js is missing: run `npm run build:server`');
    dir = mkdtempSync(path.join(tmpdir(), prefix));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    get dir() {
      return dir;
    },
    get database() {
      return path.join(dir, 'cli.db');
    },
    root,
    run(args) {
      const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: path.join(dir, 'cli.db'), LOG_LEVEL: 'warn' };
      delete env.DATABASE_URL;
      const r = spawnSync(process.execPath, [serverJs, ...args], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
  };
}
