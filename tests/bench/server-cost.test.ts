/**
 * bench:queue's server CPU and WAL per job (bench/server-cost.ts, bench/drain-run.ts): the /proc
 * parsing, who a process's CPU is put on (a process gone meanwhile counted once, and only from the
 * start), and against the real server: a figure when it is local, none (and why) when this
 * connection cannot be tied to a local backend, here through a proxy.
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { drainRun } from '../../bench/drain-run.js';
import { pgClient } from '../../bench/bench-support.js';
import { cpuSpentBetween, parseProcStat, parseTcpTable, serverCost, type Role, type ServerSnapshot } from '../../bench/server-cost.js';
import { PgFaultProxy } from '../../src/stores/postgres/pg-fault-proxy.js';
import { postgresTestUrl } from '../../src/stores/postgres/postgres-test-schema.js';

describe('/proc parsing', () => {
  it('reads ppid, utime + stime and cutime + cstime after the last parenthesis of the command name', () => {
    // A command name may hold spaces and parentheses; fields 14-17 are utime, stime, cutime, cstime.
    const line = '4242 (post) gres (x)) S 2293 4242 4242 0 -1 4194560 363 0 0 0 125 37 9 4 20 0 1 0 155 225 0 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n';
    expect(parseProcStat(line)).toEqual({ pid: 4242, comm: 'post) gres (x)', ppid: 2293, ticks: 162, childTicks: 13 });
  });

  it('refuses a line that is not one', () => {
    expect(() => parseProcStat('no parenthesis here')).toThrow(/not a \/proc\/PID\/stat line/);
    expect(() => parseProcStat('1 (x) S')).toThrow(/field 4 is not a number/);
  });

  it('reads the inode and both ports of /proc/net/tcp and tcp6 lines', () => {
    const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   104        0 21804 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1538 0100007F:E9E2 01 00000000:00000000 00:00000000 00000000   104        0 917360 1 0000000000000000 20 4 30 10 -1
`;
    const tcp6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:1538 00000000000000000000000001000000:D431 01 00000000:00000000 00:00000000 00000000   104        0 5150 1 0000000000000000 20 4 0 10 -1
`;
    expect(parseTcpTable(tcp)).toEqual([
      { inode: '21804', localPort: 5432, remotePort: 0 },
      { inode: '917360', localPort: 5432, remotePort: 59874 },
    ]);
    expect(parseTcpTable(tcp6)).toEqual([{ inode: '5150', localPort: 5432, remotePort: 54321 }]);
  });
});

describe('CPU between two readings', () => {
  const snap = (pm: [number, number], children: Array<[number, number]>): ServerSnapshot => ({
    postmaster: { pid: 1, comm: 'postgres', ppid: 0, ticks: pm[0], childTicks: pm[1] },
    children: new Map(children),
  });

  it('puts each process on its role, counts a newborn from zero and a gone one from the start only', () => {
    const before = snap([10, 500], [[11, 100], [12, 200], [13, 50], [14, 70], [15, 30]]);
    // 15 exited after spending 30 -> 45 ticks: the postmaster reaped its 45 (and 20 of another
    // process born and gone in between); 16 is new.
    const after = snap([12, 565], [[11, 130], [12, 260], [13, 58], [14, 90], [16, 5]]);
    const roles = new Map<number, Role>([[11, 'workers'], [12, 'workers'], [13, 'bench'], [14, 'others'], [16, 'bench']]);
    expect(cpuSpentBetween(before, after, roles, 100)).toEqual({
      workers: 900, bench: 130, background: 20, others: 200, unknown: 0, exited: 350, server: 1600,
    });
  });

  it('gives the bound of cores / (server + workers CPU per job), and none when one is missing', () => {
    const cost = { jobs: 20_000, cpu_ms_per_1000: { workers: 0, bench: 0, background: 0, others: 0, unknown: 0, exited: 0, server: 60, drain: 60 }, cpu_unmeasured: null, wal_bytes_per_job: 900, wal_unmeasured: null };
    const run = drainRun(20_000, 1_000, 800, { user: 200_000, system: 0 }, cost, 2);
    expect(run).toMatchObject({ jobs_per_s: 20_000, worker_cpu_ms_per_1000: 40, bench_cpu_ms_per_1000: 10, bound_jobs_per_s: 20_000 });
    expect(drainRun(20_000, 1_000, null, { user: 0, system: 0 }, cost, 2).bound_jobs_per_s).toBeNull();
    expect(drainRun(20_000, 1_000, 800, { user: 0, system: 0 }, { ...cost, cpu_ms_per_1000: null }, 2).bound_jobs_per_s).toBeNull();
  });
});

const url = postgresTestUrl('server CPU per job');
const onLinux = existsSync('/proc/net/tcp') && existsSync(`/proc/${process.pid}/fd`);
if (!onLinux) console.warn('\n*** SKIPPED the server CPU against a real server: it reads Linux /proc ***\n');

describe.skipIf(!url || !onLinux)('against the real server (PostgreSQL, Linux /proc)', () => {
  let proxy: PgFaultProxy | null = null;
  afterEach(async () => {
    await proxy?.stop();
    proxy = null;
  });

  async function work(target: string): Promise<void> {
    const client = await pgClient(target);
    try {
      await client.query('SELECT count(*) FROM generate_series(1, 3000000)');
      await client.query("SELECT pg_logical_emit_message(false, 'skucast-test', repeat('x', 100000))");
    } finally {
      await client.end();
    }
  }

  it("measures a local server's CPU, on this process's backends, and its WAL", async () => {
    const meter = await serverCost(url!, []);
    await work(url!);
    const cost = await meter.end(1_000);
    expect(cost.cpu_unmeasured).toBeNull();
    const cpu = cost.cpu_ms_per_1000!;
    // The query's backend may have exited before the end (then whose it was is not known, so it is
    // put apart), or be on its way out (gone from pg_stat_activity: no known role), or still be
    // this process's.
    expect(cpu.exited + cpu.unknown + cpu.bench).toBeGreaterThan(50);
    expect(cpu.others).toBeLessThan(cpu.server);
    expect(cpu.server).toBeGreaterThanOrEqual(cpu.drain);
    expect(cost.wal_bytes_per_job).toBeGreaterThanOrEqual(100);
  });

  it('says it could not measure, with no number, when the connection reaches the server through a proxy', async () => {
    const u = new URL(url!);
    proxy = await PgFaultProxy.start({ host: u.hostname, port: Number(u.port || 5432) });
    const meter = await serverCost(proxy.url(url!), []);
    await work(proxy.url(url!));
    const cost = await meter.end(1_000);
    expect(cost.cpu_ms_per_1000).toBeNull();
    expect(cost.cpu_unmeasured).toMatch(/holds no socket of this connection .*not local/);
    expect(cost.wal_bytes_per_job).toBeGreaterThanOrEqual(100); // WAL positions are SQL: read anyway
  });
});
