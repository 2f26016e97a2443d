/**
 * What a PostgreSQL drain cost the server: its CPU (Linux /proc: utime + stime of the postmaster's
 * processes, before and after) and the WAL it wrote (pg_current_wal_insert_lsn() before and after).
 * On 2 cores the server's CPU per job bounds the drain rate (about 2 cores / (server + workers)),
 * so bench:queue prints it for ours and for each peer in the same drain.
 *
 * The CPU is read only when the server is provably local: the process PostgreSQL names as this
 * connection's backend (pg_backend_pid()) must hold the server end of this very TCP connection
 * (/proc/PID/fd and /proc/net/tcp). A server in a container, behind a proxy, on another host, or
 * whose processes this user may not read gives no CPU figure and says why: never a wrong number.
 *
 * Who a process's CPU is put on (the server is shared: other clients may use it meanwhile):
 * - workers / bench: backends whose client socket belongs to the drain's worker processes or to
 *   the bench process (its enqueue, its polls for the end of the drain);
 * - background: the postmaster itself and its processes without a client (WAL writer,
 *   checkpointer, background writer, autovacuum), whoever made their work;
 * - others: backends of other clients (other databases, other programs): left out of the drain's
 *   figure, printed so a busy server shows;
 * - unknown: a process whose role was never seen (gone from pg_stat_activity before asked about);
 * - exited: processes that ended during the drain (their CPU reaches the postmaster's cutime and
 *   cstime when it reaps them): whose is unknown, so printed apart, not put in the drain's figure.
 * WAL positions are the server's: other clients' writes in the same window are in the WAL figure,
 * which says so when other clients' backends used CPU meanwhile.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import pg from 'pg';
import { pgClient } from './bench-support.js';

/** The fields of /proc/PID/stat read here; CPU in clock ticks (CLK_TCK a second). */
export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime: this process's own CPU. */
  ticks: number;
  /** cutime + cstime: its children's that it has waited for. */
  childTicks: number;
}

/** Parses one /proc/PID/stat line; the command name may hold spaces and parentheses, so fields are counted after its last ')'. */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/PID/stat line: ${text.slice(0, 80)}`);
  // After ") ": state (field 3), ppid (4), ... utime (14), stime (15), cutime (16), cstime (17).
  const f = text.slice(close + 2).trim().split(/\s+/);
  const num = (i: number) => {
    const n = Number(f[i - 3]);
    if (!Number.isFinite(n)) throw new Error(`/proc/PID/stat field ${i} is not a number: ${text.slice(0, 80)}`);
    return n;
  };
  return { pid: Number(text.slice(0, open).trim()), comm: text.slice(open + 1, close), ppid: num(4), ticks: num(14) + num(15), childTicks: num(16) + num(17) };
}

/** One socket of /proc/net/tcp{,6}: its inode and the local and remote ports. */
export interface TcpSocket {
  inode: string;
  localPort: number;
  remotePort: number;
}

/** Parses /proc/net/tcp or tcp6 (header line first; addresses are HEXIP:HEXPORT). */
export function parseTcpTable(text: string): TcpSocket[] {
  const out: TcpSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 10) continue;
    const port = (address: string) => parseInt(address.slice(address.lastIndexOf(':') + 1), 16);
    out.push({ inode: cols[9], localPort: port(cols[1]), remotePort: port(cols[2]) });
  }
  return out;
}

/** CPU of the server's processes at one moment, in ticks. */
export interface ServerSnapshot {
  /** The postmaster's own CPU and its reaped children's. */
  postmaster: ProcStat;
  /** Each live child of the postmaster: its own CPU and its reaped children's. */
  children: Map<number, number>;
}

export type Role = 'workers' | 'bench' | 'background' | 'others' | 'unknown';

/** CPU in ms spent between two snapshots, put on who spent it. */
export interface CpuSpent {
  workers: number;
  bench: number;
  background: number;
  others: number;
  /** Processes whose role was never seen (a backend gone from pg_stat_activity before it was asked about). */
  unknown: number;
  exited: number;
  /** Everything: the sum of the above. */
  server: number;
}

/**
 * The CPU spent between `before` and `after` (ticks to ms with `clkTck`), by the role of each
 * process (`roleOf`; a process without one counts as unknown). A process alive at both counts
 * its difference, one born in between all of its CPU; one gone by `after` had its CPU, before and
 * after `before`, added to the postmaster's reaped children's: only the part after `before` is
 * counted, as exited.
 */
export function cpuSpentBetween(before: ServerSnapshot, after: ServerSnapshot, roleOf: Map<number, Role>, clkTck: number): CpuSpent {
  const ms = (ticks: number) => (ticks * 1000) / clkTck;
  const spent: CpuSpent = { workers: 0, bench: 0, background: 0, others: 0, unknown: 0, exited: 0, server: 0 };
  for (const [pid, ticks] of after.children) spent[roleOf.get(pid) ?? 'unknown'] += ms(ticks - (before.children.get(pid) ?? 0));
  let goneBefore = 0;
  for (const [pid, ticks] of before.children) if (!after.children.has(pid)) goneBefore += ticks;
  spent.exited = ms(after.postmaster.childTicks - before.postmaster.childTicks - goneBefore);
  spent.background += ms(after.postmaster.ticks - before.postmaster.ticks);
  spent.server = spent.workers + spent.bench + spent.background + spent.others + spent.unknown + spent.exited;
  return spent;
}

const readStat = (pid: number | string) => parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));

/**
 * The postmaster's CPU and its children's, read so that no child's CPU is lost or counted twice:
 * a child reaped while the children are read moves the postmaster's reaped-children time, and the
 * reading is taken again.
 */
function snapshot(postmasterPid: number): ServerSnapshot {
  for (let attempt = 0; ; attempt++) {
    const first = readStat(postmasterPid);
    const children = new Map<number, number>();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readStat(name);
        if (stat.ppid === postmasterPid) children.set(stat.pid, stat.ticks + stat.childTicks);
      } catch {
        // gone meanwhile: counted by the postmaster's reaped children's time if it was a child
      }
    }
    const last = readStat(postmasterPid);
    if (last.childTicks === first.childTicks || attempt >= 20) return { postmaster: last, children };
  }
}

function tcpSockets(): Map<string, TcpSocket> | null {
  const out = new Map<string, TcpSocket>();
  let found = false;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      for (const s of parseTcpTable(readFileSync(file, 'utf8'))) out.set(s.inode, s);
      found = true;
    } catch {
      // no IPv6 table, or not Linux
    }
  }
  return found ? out : null;
}

/** The socket inodes a process holds (throws when its fds cannot be read: another user's process). */
function socketInodes(pid: number): string[] {
  const out: string[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
      if (inode) out.push(inode);
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

let clkTckCache: number | null | undefined;
function clockTicks(): number | null {
  if (clkTckCache === undefined) {
    try {
      const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
      clkTckCache = Number.isInteger(n) && n > 0 ? n : null;
    } catch {
      clkTckCache = null;
    }
  }
  return clkTckCache;
}

/** Why the server's CPU cannot be read from here (null: it can), and its postmaster's pid. */
async function localServer(client: pg.Client): Promise<{ postmaster: number } | { why: string }> {
  const localPort = (client as unknown as { connection?: { stream?: { localPort?: number } } }).connection?.stream?.localPort;
  if (typeof localPort !== 'number') return { why: 'not connected over TCP (a Unix socket cannot be tied to its backend here)' };
  const sockets = tcpSockets();
  if (!sockets) return { why: 'no Linux /proc/net/tcp here' };
  const backend = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  let inodes: string[];
  let stat: ProcStat;
  try {
    stat = readStat(backend);
    inodes = socketInodes(backend);
  } catch (error) {
    return { why: `backend ${backend} is not a process readable here (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): the server is not local, or runs as a user whose processes this one cannot read` };
  }
  if (!inodes.some((inode) => sockets.get(inode)?.remotePort === localPort)) {
    return { why: `process ${backend} (${stat.comm}) holds no socket of this connection (port ${localPort}): the server is not local (another host, a container, a proxy)` };
  }
  return { postmaster: stat.ppid };
}

/** What `serverCost(...).end()` gives: per job, or null with why. */
export interface ServerCost {
  jobs: number;
  /** ms per 1,000 jobs, by role; null when the server's CPU could not be read. */
  cpu_ms_per_1000: (CpuSpent & { drain: number }) | null;
  cpu_unmeasured: string | null;
  wal_bytes_per_job: number | null;
  wal_unmeasured: string | null;
}

export interface ServerCostMeter {
  end(jobs: number): Promise<ServerCost>;
  /** Closes the connection without a figure (the drain failed); end() closes it too. */
  close(): Promise<void>;
}

/**
 * Starts measuring the server of `url` for a drain by `workerPids` fed and watched by this process;
 * opens one connection of its own (idle during the drain). Call end() the moment the drain is done.
 */
export async function serverCost(url: string, workerPids: number[]): Promise<ServerCostMeter> {
  const client = await pgClient(url);
  const clientPids = { workers: workerPids, bench: [process.pid] };
  const roles = async (): Promise<Map<number, Role>> => {
    const sockets = tcpSockets() ?? new Map<string, TcpSocket>();
    const portOwner = new Map<number, 'workers' | 'bench'>();
    for (const role of ['workers', 'bench'] as const) {
      for (const pid of clientPids[role]) {
        try {
          for (const inode of socketInodes(pid)) {
            const s = sockets.get(inode);
            if (s) portOwner.set(s.localPort, role);
          }
        } catch {
          // a worker gone
        }
      }
    }
    const rows = (await client.query<{ pid: number; backend_type: string; client_port: number | null; leader_pid: number | null }>(
      'SELECT pid, backend_type, client_port, leader_pid FROM pg_stat_activity')).rows;
    const out = new Map<number, Role>();
    for (const row of rows) {
      out.set(row.pid, row.backend_type !== 'client backend' ? 'background' : (row.client_port !== null && portOwner.get(row.client_port)) || 'others');
    }
    // A parallel worker works for its leader.
    for (const row of rows) if (row.leader_pid !== null && row.leader_pid !== row.pid) out.set(row.pid, out.get(row.leader_pid) ?? 'others');
    return out;
  };
  const lsn = async () => (await client.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0].lsn;

  let walUnmeasured: string | null = null;
  const lsn0 = await lsn().catch((error: Error) => {
    walUnmeasured = `pg_current_wal_insert_lsn() failed: ${error.message}`;
    return null;
  });
  const clkTck = clockTicks();
  const server = clkTck === null ? { why: 'getconf CLK_TCK gave no clock tick rate' } : await localServer(client);
  const rolesBefore = 'postmaster' in server ? await roles() : null;
  const before = 'postmaster' in server ? snapshot(server.postmaster) : null;
  let closed = false;
  const close = async () => {
    if (!closed) await client.end().catch(() => undefined);
    closed = true;
  };
  return {
    close,
    async end(jobs: number) {
      try {
        // Asked before the reading too: a backend that exits right after it is still known then.
        const rolesAtEnd = rolesBefore ? await roles() : null;
        const after = 'postmaster' in server ? snapshot(server.postmaster) : null;
        let cpu: ServerCost['cpu_ms_per_1000'] = null;
        if (before && after && rolesBefore && rolesAtEnd && clkTck !== null) {
          const roleOf = new Map([...rolesBefore, ...rolesAtEnd, ...(await roles())]);
          const spent = cpuSpentBetween(before, after, roleOf, clkTck);
          const per1000 = (ms: number) => Math.round((ms / jobs) * 1000 * 10) / 10;
          cpu = {
            workers: per1000(spent.workers), bench: per1000(spent.bench), background: per1000(spent.background),
            others: per1000(spent.others), unknown: per1000(spent.unknown), exited: per1000(spent.exited), server: per1000(spent.server),
            drain: per1000(spent.workers + spent.bench + spent.background),
          };
        }
        let wal: number | null = null;
        if (lsn0 !== null) {
          try {
            const bytes = Number((await client.query<{ b: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1::pg_lsn)::text AS b', [lsn0])).rows[0].b);
            wal = Math.round(bytes / jobs);
          } catch (error) {
            walUnmeasured = `pg_wal_lsn_diff failed: ${(error as Error).message}`;
          }
        }
        return { jobs, cpu_ms_per_1000: cpu, cpu_unmeasured: 'why' in server ? server.why : null, wal_bytes_per_job: wal, wal_unmeasured: walUnmeasured };
      } finally {
        await close();
      }
    },
  };
}

/** One line for the bench's log. */
export function serverCostLine(label: string, cost: ServerCost): string {
  const c = cost.cpu_ms_per_1000;
  const cpu = c === null
    ? `server CPU: could not be measured (${cost.cpu_unmeasured})`
    : `server CPU ${c.drain} ms per 1,000 jobs (backends of the workers ${c.workers}, of the bench ${c.bench}, background processes ${c.background}); ` +
      `left out: other clients' backends ${c.others}, processes that exited meanwhile ${c.exited}, of no known role ${c.unknown}; the whole server ${c.server}`;
  const busy = c !== null && c.others + c.exited + c.unknown > 0 ? ' (the server\'s: includes the other clients\' writes)' : '';
  const wal = cost.wal_bytes_per_job === null ? `WAL: could not be measured (${cost.wal_unmeasured})` : `WAL ${cost.wal_bytes_per_job.toLocaleString('en-US')} bytes per job${busy}`;
  return `${label}: ${cpu}; ${wal}`;
}
