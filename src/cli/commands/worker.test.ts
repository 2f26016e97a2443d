import { CommanderError } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../main.js';

/**
 * `skucast worker` refuses, before anything is opened, values it would otherwise run with to no
 * good: an empty --worker-id (a worker nobody can tell apart in logs and /api/health) and a lease
 * too short to be renewed in time (renewed every lease/3: --lease-ms 5 meant a write every 1 ms).
 */
let stderr: string;
beforeEach(() => {
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** The program with the worker's action replaced: parse only, so a value let through fails the test instead of starting a worker. */
function parseOnly() {
  const program = buildProgram();
  const worker = program.commands.find((c) => c.name() === 'worker')!;
  worker.action(() => undefined);
  return { program, worker };
}

const refused = async (...argv: string[]) => {
  await expect(parseOnly().program.parseAsync(['worker', ...argv], { from: 'user' })).rejects.toBeInstanceOf(CommanderError);
  return stderr;
};

describe('skucast worker', () => {
  it('refuses an empty or blank --worker-id, naming the flag', async () => {
    expect(await refused('--worker-id', '')).toMatch(/option '--worker-id <id>' argument '' is invalid\. expected a non-empty value/);
    expect(await refused('--worker-id', '   ')).toMatch(/option '--worker-id <id>' argument ' {3}' is invalid/);
  });

  it('refuses a --lease-ms under 1000, naming the flag and the minimum', async () => {
    for (const ms of ['5', '999', '0']) {
      stderr = '';
      expect(await refused('--lease-ms', ms)).toMatch(new RegExp(`option '--lease-ms <ms>' argument '${ms}' is invalid\\. expected an integer from 1000 to 2147483647`));
    }
  });

  it('refuses values past their upper bound, naming the flag and the bound (a timer past 2^31-1 ms fires at once)', async () => {
    const cases: Array<[string, string, string]> = [
      ['--run-timeout-s', '2200000', 'from 1 to 86400'],
      ['--lease-ms', '99999999999', 'from 1000 to 2147483647'],
      ['--shutdown-ms', '99999999999', 'from 0 to 2147483647'],
      ['--noop-ms', '2147483648', 'from 0 to 2147483647'],
      ['--prefetch', '99999999999999999999', 'from 0 to 10000'],
      ['--concurrency', '1025', 'from 1 to 1024'],
    ];
    for (const [flag, value, bound] of cases) {
      stderr = '';
      expect(await refused(flag, value)).toMatch(new RegExp(`option '${flag} <\\w+>' argument '${value}' is invalid\\. expected an integer ${bound}`));
    }
  });

  it('takes each bound itself', async () => {
    const { program, worker } = parseOnly();
    await program.parseAsync(['worker', '--run-timeout-s', '86400', '--lease-ms', '2147483647', '--shutdown-ms', '2147483647', '--prefetch', '10000'], { from: 'user' });
    expect(worker.opts()).toMatchObject({ runTimeoutS: 86_400, leaseMs: 2_147_483_647, shutdownMs: 2_147_483_647, prefetch: 10_000 });
  });

  it('takes a lease of 1000 ms or more and any other id', async () => {
    const { program, worker } = parseOnly();
    await program.parseAsync(['worker', '--lease-ms', '1000', '--worker-id', 'w-1'], { from: 'user' });
    expect(worker.opts()).toMatchObject({ leaseMs: 1000, workerId: 'w-1' });
  });

  it("--help says each option's default, --shutdown-ms's 30 s included (it showed none)", () => {
    const { worker } = parseOnly();
    const help = worker.helpInformation().replace(/\s+/g, ' ');
    expect(help).toMatch(/--shutdown-ms <ms> on SIGTERM, how long running jobs may finish before they are released \(default 30000: 30 s\)/);
    expect(help).toMatch(/--noop-ms <ms> with --handler noop: how long each job takes \(default 0: at once\)/);
    // Every option that takes a value says what it is without one (--database-url: unset is SQLite, said there).
    const valued = worker.options.filter((o) => o.required && o.long !== '--database-url');
    expect(valued.map((o) => o.long)).toContain('--shutdown-ms');
    for (const o of valued) expect(o.description.includes('default') || o.defaultValue !== undefined, o.long).toBe(true);
  });
});

describe('skucast import --help', () => {
  it('says the defaults of --method, --horizon and --holdout (from the dataset settings)', () => {
    const help = buildProgram().commands.find((c) => c.name() === 'import')!.helpInformation().replace(/\s+/g, ' ');
    expect(help).toMatch(/--method <method> grid or mle \(default grid\)/);
    expect(help).toMatch(/--horizon <n> periods to forecast \(at most 1000, as over HTTP; default by frequency: daily 14, weekly 13, monthly 12, quarterly 8, yearly 6\)/);
    expect(help).toMatch(/--holdout <n> .*default by frequency: daily 6, weekly 6, monthly 6, quarterly 6, yearly 4\)/);
  });
});
