/**
 * `npm run chaos`: the whole system under faults, on SQLite and (when DATABASE_URL is a
 * PostgreSQL URL) on PostgreSQL. See chaos-run.ts for what happens and chaos-evidence.ts for how
 * "exactly once" is judged. Exits 1 on any violation.
 *
 *   npm run chaos -- --jobs 5000 --workers 4 --seconds 60 --kill-every-ms 3000 --store both --seed 1
 */
import { cliArgs } from '../support/cli-args.js';
import { wantsPostgres } from '../support/test-database.js';
import { formatChaosReport } from './chaos-format.js';
import { runChaos, type ChaosOptions } from './chaos-run.js';

const { values } = cliArgs('chaos', {
  jobs: { type: 'string', default: '5000' },
  workers: { type: 'string', default: '4' },
  seconds: { type: 'string', default: '60' },
  'kill-every-ms': { type: 'string', default: '3000' },
  'lease-ms': { type: 'string', default: '2000' },
  concurrency: { type: 'string', default: '4' },
  'noop-min-ms': { type: 'string', default: '100' },
  'noop-max-ms': { type: 'string', default: '400' },
  store: { type: 'string', default: 'both' },
  seed: { type: 'string', default: '1' },
  'drain-timeout-s': { type: 'string', default: '300' },
  help: { type: 'boolean', default: false },
});

if (values.help) {
  console.log('npm run chaos -- [--jobs 5000] [--workers 4] [--seconds 60] [--kill-every-ms 3000] [--lease-ms 2000] [--concurrency 8] [--noop-min-ms 100] [--noop-max-ms 400] [--store sqlite|postgres|both] [--seed 1] [--drain-timeout-s 300]');
  process.exit(0);
}

function int(name: keyof typeof values, min: number): number {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < min) {
    console.error(`chaos: --${name} must be an integer >= ${min}, got '${String(values[name])}'`);
    process.exit(2);
  }
  return n;
}

const storeArg = values.store;
if (!['sqlite', 'postgres', 'both'].includes(storeArg)) {
  console.error(`chaos: --store must be sqlite, postgres or both, got '${storeArg}'`);
  process.exit(2);
}
let stores: Array<'sqlite' | 'postgres'> = storeArg === 'both' ? ['sqlite', 'postgres'] : [storeArg as 'sqlite' | 'postgres'];
if (!wantsPostgres() && stores.includes('postgres')) {
  if (storeArg === 'postgres') {
    console.error('chaos: --store postgres needs DATABASE_URL=postgres://...');
    process.exit(2);
  }
  console.warn('chaos: DATABASE_URL is not a PostgreSQL URL: running on SQLite only');
  stores = ['sqlite'];
}

const base: Omit<ChaosOptions, 'store'> = {
  jobs: int('jobs', 1),
  workers: int('workers', 1),
  seconds: int('seconds', 1),
  killEveryMs: int('kill-every-ms', 100),
  leaseMs: int('lease-ms', 100),
  concurrency: int('concurrency', 1),
  noopMinMs: int('noop-min-ms', 0),
  noopMaxMs: Math.max(int('noop-max-ms', 0), int('noop-min-ms', 0)),
  seed: int('seed', 0),
  drainTimeoutMs: int('drain-timeout-s', 1) * 1000,
};

let failed = false;
for (const store of stores) {
  const report = await runChaos({ ...base, store });
  console.log(formatChaosReport(report));
  if (report.violations.length > 0) failed = true;
}
process.exit(failed ? 1 : 0);
