import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '../support/skucast-process.js';

/**
 * The CLI as a user runs it: `node server.js ...` from compiled dist/. Builds dist first when the
 * CLI or API sources are newer than it (npm test has built already).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const serverJs = path.join(root, 'server.js');
const mainJs = path.join(root, 'dist/src/cli/main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

let dir: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  const sources = Math.max(...['src/cli', 'src/api', 'src/stores', 'src/worker', 'src/queue', 'src/config'].map((d) => newestMtime(path.join(root, d))));
  if (!existsSync(mainJs) || statSync(mainJs).mtimeMs < sources) {
    spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'ignore' });
  }
  if (!existsSync(mainJs)) throw new Error('dist/src/cli/main.js is missing: run `npm run build:server`');
  dir = mkdtempSync(path.join(tmpdir(), 'skucast-cli-'));
}, 180_000);

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', ...extra };
  delete env.DATABASE_URL;
  delete env.API_TOKEN;
  delete env.HOST;
  delete env.PORT;
  delete env.CORS_ORIGINS;
  return { ...env, ...extra };
}

function run(args: string[], env: NodeJS.ProcessEnv = baseEnv()) {
  return spawnSync(process.execPath, [serverJs, ...args], { cwd: root, env, encoding: 'utf8', timeout: 30_000 });
}

interface Running {
  child: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first stdout JSON line whose msg matches. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<Record<string, unknown>>;
}

function launch(args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [serverJs, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (chunk) => {
    out += chunk;
    for (const w of waiters.splice(0)) w();
  });
  child.stderr!.on('data', (chunk) => {
    out += chunk;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const w of waiters.splice(0)) w();
      resolve({ code, signal });
    });
  });
  const find = (pattern: RegExp) => {
    for (const line of out.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const record = JSON.parse(line) as Record<string, unknown>;
        if (typeof record.msg === 'string' && pattern.test(record.msg)) return record;
      } catch {
        // a partial line; the next chunk completes it
      }
    }
    return null;
  };
  return {
    child, exit, output: () => out,
    waitForLog(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no log line matching ${pattern} within ${timeoutMs} ms; output:\n${out}`)), timeoutMs);
        const check = () => {
          const found = find(pattern);
          if (found) {
            clearTimeout(timer);
            resolve(found);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            reject(new Error(`exited before logging ${pattern}; output:\n${out}`));
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}

describe('skucast CLI', () => {
  it('prints help listing the commands', () => {
    const res = run(['--help']);
    expect(res.status).toBe(0);
    for (const command of ['start', 'api', 'worker', 'migrate']) expect(res.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    const bin = spawnSync(process.execPath, [path.join(root, 'bin/skucast.js'), '--help'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(bin.status).toBe(0);
    expect(bin.stdout).toMatch(/^Usage: skucast /m);
    const api = run(['api', '--help']);
    expect(api.status).toBe(0);
    expect(api.stdout).toContain('--database-path');
    expect(api.stdout).toContain('--port');
  });

  it('fails clearly on an unknown command or a bad option', () => {
    const unknown = run(['frobnicate']);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    const badPort = run(['api', '--port', 'abc']);
    expect(badPort.status).not.toBe(0);
    expect(badPort.stderr).toMatch(/--port/);
    const badUrl = run(['migrate', '--database-url', 'mysql://root@localhost/db']);
    expect(badUrl.status).toBe(1);
    expect(badUrl.stderr).toMatch(/^skucast: --database-url must be a PostgreSQL URL/m); // the flag gave it: named as such
  });

  it('a usage error is one line on stderr, the hint included', () => {
    const bad = run(['import', path.join(root, 'data/sample/sample-sales.csv'), '--format', 'diag', '--database-path', path.join(dir, 'usage.db')]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toBe("error: option '--format <format>' argument 'diag' is invalid. expected long, wide or auto (run `skucast import --help` for usage)\n");
  });

  it("a subcommand's usage error points to that subcommand's help; the program's own to skucast --help", () => {
    const unknownOption = run(['export', 'latest', '--out', '-', '--bad']);
    expect(unknownOption.status).not.toBe(0);
    expect(unknownOption.stderr).toBe("error: unknown option '--bad' (run `skucast export --help` for usage)\n");
    // --snapshot takes an id or a name: digits are an id, and 0 is none.
    const badValue = run(['export', 'latest', '--snapshot', '0']);
    expect(badValue.status).not.toBe(0);
    expect(badValue.stderr).toBe("error: option '--snapshot <snapshot>' argument '0' is invalid. expected a snapshot id from 1 to 9007199254740991 (digits are read as an id) or a name (run `skucast export --help` for usage)\n");
    const missing = run(['worker', '--concurrency']);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/\(run `skucast worker --help` for usage\)\n$/);
    const unknownCommand = run(['frobnicate']);
    expect(unknownCommand.stderr).toMatch(/\(run `skucast --help` for usage\)\n$/);
  });

  it('exits quietly with 141, as a Unix tool killed by SIGPIPE, when its stdout is closed early (| head)', async () => {
    const dbPath = path.join(dir, 'pipe.db');
    const sample = path.join(root, 'data/sample/sample-sales.csv');
    // An existing database: an import that creates one warns on stderr (below), which is not this test's.
    expect(run(['migrate', '--database-path', dbPath]).status).toBe(0);
    for (const args of [['import', sample, '--no-jobs'], ['export', 'latest', '--out', '-'], ['doctor'], ['--help']]) {
      const child = spawn(process.execPath, [serverJs, ...args, '--database-path', dbPath], { cwd: root, env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      // the reader goes away before the command writes a byte
      child.stdout!.destroy();
      let stderr = '';
      child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
      const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)));
      expect(stderr, args.join(' ')).toBe('');
      expect(code, args.join(' ')).toBe(141);
    }
  });

  it('import run from another directory names the database it wrote to on its first line, and warns on stderr that it created it', () => {
    // DATABASE_PATH's default is relative to the current directory: from elsewhere it is a new file
    // no server or worker uses, which the import used to make without a word.
    const elsewhere = mkdtempSync(path.join(dir, 'elsewhere-'));
    const env = baseEnv();
    delete env.DATABASE_PATH;
    const sample = path.join(root, 'data/sample/sample-sales.csv');
    const created = path.join(elsewhere, 'data', 'forecast-jobs.db');
    const first = spawnSync(process.execPath, [serverJs, 'import', sample, '--no-jobs'], { cwd: elsewhere, env, encoding: 'utf8', timeout: 30_000 });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout.split('\n')[0]).toMatch(new RegExp(`^imported ${sample} as dataset ds_\\w+ in [\\d.]+ s, into SQLite ${created} \\(a new file\\)$`));
    expect(first.stderr).toBe(`skucast import: warning: there was no database at ${created}, so this import created it: no worker or API server can be using it yet. If you meant an existing database, give it (DATABASE_PATH / --database-path, relative to the current directory; or DATABASE_URL / --database-url) and import again; to forecast this one, start a worker on it: skucast worker --database-path ${created}\n`);
    expect(existsSync(created)).toBe(true);
    const again = spawnSync(process.execPath, [serverJs, 'import', sample, '--no-jobs'], { cwd: elsewhere, env, encoding: 'utf8', timeout: 30_000 });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout.split('\n')[0]).toMatch(new RegExp(`, into SQLite ${created}$`));
    expect(again.stderr).toBe('');
  });

  it('stops at start on a bad setting, naming it, before opening anything', () => {
    const dbPath = path.join(dir, 'never', 'jobs.db');
    const bad = run(['api', '--port', '0', '--database-path', dbPath], baseEnv({ DATASET_UPLOAD_LIMIT_MB: 'abc' }));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^skucast: invalid configuration: DATASET_UPLOAD_LIMIT_MB must be a positive number \(got 'abc'\)$/m);
    expect(existsSync(dbPath)).toBe(false);
    const worker = run(['worker', '--database-path', dbPath], baseEnv({ LOG_LEVEL: 'chatty', SQLITE_SYNCHRONOUS: 'sometimes' }));
    expect(worker.status).toBe(1);
    expect(worker.stderr).toMatch(/LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent \(got 'chatty'\)/);
    expect(worker.stderr).toMatch(/SQLITE_SYNCHRONOUS must be one of normal, full \(got 'sometimes'\)/);
    expect(existsSync(dbPath)).toBe(false);
  });

  it('migrates a new database saying which migrations it applied, then finds it up to date; refuses a newer schema in migrate', () => {
    const dbPath = path.join(dir, 'migrate', 'jobs.db');
    // --database-path wins over a DATABASE_URL in the environment (it used to run on PostgreSQL).
    const res = run(['migrate', '--database-path', dbPath], baseEnv({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }));
    expect(res.status, res.stderr).toBe(0);
    expect(existsSync(dbPath)).toBe(true);
    expect(res.stdout).toMatch(/migrate: applied \d+ migration\(s\): 001_jobs, /);
    expect(run(['migrate', '--database-path', dbPath]).stdout).toMatch(/migrate: schema up to date/);

    const db = new Database(dbPath);
    db.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '999_later', 0)");
    db.close();
    // migrate refuses it; the API and workers warn and run (a rolling upgrade's old processes; src/stores/sqlite/sqlite-migrate.test.ts)
    const newer = run(['migrate', '--database-path', dbPath], baseEnv({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' })); // the flag wins here too
    expect(newer.status).toBe(1);
    expect(newer.stderr).toMatch(/schema is newer than this Skucast knows: it has migration 999 \(999_later\)/);
    // Other commands run on it, and say so in their JSON log too (stdout), not only as a Node warning on stderr.
    const doctor = run(['doctor', '--database-path', dbPath], baseEnv({ LOG_FORMAT: 'json' }));
    expect(doctor.status, doctor.stderr).toBe(0);
    expect(doctor.stderr).toMatch(/NewerSchemaWarning: the database's schema is newer/);
    const warned = doctor.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).find((l) => l.event === 'newer-schema');
    expect(warned).toMatchObject({ level: 40, role: 'doctor' });
    expect(warned.msg).toMatch(/it has migration 999 \(999_later\).*Running on it as this older release/);
  });

  it('refuses at once, exit 1, a SQLite folder it cannot create (/proc: Node\'s recursive mkdir looped for ever), and option values past their bound', () => {
    if (process.platform === 'linux') {
      const res = run(['worker', '--database-path', '/proc/nope/x.db']);
      expect(res.error).toBeUndefined(); // not killed by the 30 s timeout
      expect(res.status).toBe(1);
      expect(res.stderr).toMatch(/cannot create the folder \/proc\/nope/);
    }
    const timeout = run(['worker', '--run-timeout-s', '2200000', '--database-path', path.join(dir, 'bounds', 'jobs.db')]);
    expect(timeout.status).not.toBe(0);
    expect(timeout.stderr).toMatch(/--run-timeout-s <s>' argument '2200000' is invalid\. expected an integer from 1 to 86400/);
    expect(existsSync(path.join(dir, 'bounds'))).toBe(false);
  });

  it('doctor recounts drifted counters and says which; migrate runs it too', async () => {
    const dbPath = path.join(dir, 'doctor', 'jobs.db');
    expect(run(['migrate', '--database-path', dbPath]).status).toBe(0);
    const clean = run(['doctor', '--database-path', dbPath]);
    expect(clean.status, clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/^counters: exact$/m);
    const db = new Database(dbPath);
    db.prepare(`INSERT INTO jobs (sku, model_id, method, reason, priority, status, created_at, updated_at, run_at)
                VALUES ('X', 'naive', 'grid', 'manual_trigger', 3, 'pending', 1, 1, 1)`).run();
    db.close();
    const drifted = run(['doctor', '--database-path', dbPath]);
    expect(drifted.status, drifted.stderr).toBe(0);
    expect(drifted.stdout).toMatch(/^counters: pending said 0, there are 1 \(\+1\); recounted$/m);
    expect(run(['doctor', '--database-path', dbPath]).stdout).toMatch(/^counters: exact$/m);
    const db2 = new Database(dbPath);
    db2.prepare("UPDATE job_counts SET n = 7 WHERE status = 'failed'").run();
    db2.close();
    const migrated = run(['migrate', '--database-path', dbPath]);
    expect(migrated.stdout).toMatch(/counters: failed said 7, there are 0 \(-7\); recounted/);
    // 0 after a repair is documented where a cron job's author looks.
    expect(run(['doctor', '--help']).stdout).toMatch(/Exit codes:\n {2}0 {2}the counters were exact, or drifted and were recounted/);
  });

  it('serves the API on a random port and stops cleanly on SIGTERM', async () => {
    const api = launch(['api'], baseEnv({ PORT: '0', DATABASE_PATH: path.join(dir, 'api', 'jobs.db') }));
    const listening = await api.waitForLog(/skucast api listening/);
    const url = String(listening.url);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const health = await fetch(new URL('/api/health', url));
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok', store: 'sqlite' });
    api.child.kill('SIGTERM');
    const { code } = await api.exit;
    expect(code, api.output()).toBe(0);
    expect(api.output()).not.toMatch(/"level":50/);
  });

  it('refuses to listen beyond loopback without API_TOKEN', () => {
    const res = run(['api', '--host', '0.0.0.0', '--port', '0'], baseEnv({ DATABASE_PATH: path.join(dir, 'refused', 'jobs.db') }));
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 without API_TOKEN/);
    expect(existsSync(path.join(dir, 'refused', 'jobs.db'))).toBe(false); // refused before touching the database
  });

  it('listens beyond loopback with API_TOKEN, and then asks for it', async () => {
    const api = launch(['api', '--host', '0.0.0.0'], baseEnv({ PORT: '0', API_TOKEN: 'cli-test-token', DATABASE_PATH: path.join(dir, 'token', 'jobs.db') }));
    const listening = await api.waitForLog(/skucast api listening/);
    const port = new URL(String(listening.url)).port;
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/api/jobs/status`)).status).toBe(401);
    expect((await fetch(`${base}/api/jobs/status`, { headers: { authorization: 'Bearer cli-test-token' } })).status).toBe(200);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    api.child.kill('SIGTERM');
    expect((await api.exit).code).toBe(0);
    expect(api.output()).not.toContain('cli-test-token');
  });

  it('start runs the API and a worker, and stops both on SIGTERM', async () => {
    const system = launch(['start', '--workers', '1'], baseEnv({ PORT: '0', DATABASE_PATH: path.join(dir, 'start', 'jobs.db') }));
    const listening = await system.waitForLog(/skucast is running/);
    const base = new URL(String(listening.url));
    const started = await system.waitForLog(/worker process started/);
    const workerPid = Number(started.workerPid);
    expect(workerPid).toBeGreaterThan(0);
    // The worker registers itself; /api/health lists it.
    const workers = await pollUntil('a worker in /api/health', async () => {
      const listed: Array<{ pid: number }> = (await (await fetch(new URL('/api/health', base))).json()).workers;
      return listed.length > 0 ? listed : undefined;
    }, 20_000, 100);
    expect(workers.map((w) => w.pid)).toContain(workerPid);
    system.child.kill('SIGTERM');
    const { code } = await system.exit;
    expect(code, system.output()).toBe(0);
    expect(() => process.kill(workerPid, 0)).toThrow(); // the worker is gone too
  });

  it('start: a worker SIGKILLed is restarted, and its registry row is marked stopped instead of staying running (stale) for a day', async () => {
    const system = launch(['start', '--workers', '1'], baseEnv({ PORT: '0', DATABASE_PATH: path.join(dir, 'crashed', 'jobs.db') }));
    const base = new URL(String((await system.waitForLog(/skucast is running/)).url));
    const started = await system.waitForLog(/worker process started/);
    const workerId = String(started.workerId);
    const workerPid = Number(started.workerPid);
    type Listed = { workerId: string; pid: number; status: string; running: number; stale: boolean };
    const health = async (): Promise<Listed[]> => (await (await fetch(new URL('/api/health', base))).json()).workers;
    // It registered under the id the supervisor gave it.
    await pollUntil('the worker in /api/health', async () => (await health()).find((w) => w.workerId === workerId && w.status === 'running'), 20_000, 100);
    process.kill(workerPid, 'SIGKILL');
    await system.waitForLog(/marked stopped in the registry/);
    // Was {"status":"running","stale":true,"running":2} for 24 h: the `stale > 0` alert fired after a recovered crash.
    expect((await health()).find((w) => w.workerId === workerId)).toMatchObject({ pid: workerPid, status: 'stopped', running: 0, stale: false });
    const restarted = await pollUntil('the restarted worker in /api/health',
      async () => (await health()).find((w) => w.workerId !== workerId && w.status === 'running'), 20_000, 100);
    expect(restarted.pid).not.toBe(workerPid);
    system.child.kill('SIGTERM');
    expect((await system.exit).code, system.output()).toBe(0);
  });

  it('start SIGKILLed: its worker notices the parent is gone and exits instead of running on', async () => {
    const system = launch(['start', '--workers', '1'], baseEnv({ PORT: '0', DATABASE_PATH: path.join(dir, 'orphan', 'jobs.db') }));
    await system.waitForLog(/skucast is running/);
    const started = await system.waitForLog(/worker process started/);
    const workerPid = Number(started.workerPid);
    system.child.kill('SIGKILL');
    await system.exit;
    // The IPC channel closing is the signal; poll the pid (bounded) since it is not our child.
    const isGone = async () => {
      try {
        process.kill(workerPid, 0);
        return false;
      } catch {
        return true;
      }
    };
    const alive = !(await pollUntil('the orphaned worker to exit', isGone, 15_000, 50).catch(() => false));
    expect(alive, 'the worker outlived its SIGKILLed parent').toBe(false);
  });
});
