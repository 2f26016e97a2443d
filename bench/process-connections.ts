/**
 * Which PostgreSQL connections of a store belong to which OS process: pg_stat_activity gives each
 * backend's client TCP port, Linux's /proc gives each process's sockets (fd -> socket inode ->
 * local port in /proc/net/tcp). `bench:queue --procs N` counts the worker processes' connections
 * with it, not the bench's own store's (whose pool grows while it enqueues and polls), and not by
 * renaming anyone's application_name: targeted wakes find LISTEN connections by that name.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ProcessConnections {
  /** Pooled connections (application_name `skucast:<schema>`, or `skucast:<role>:<schema>` for a process that names its role) per process id. */
  pool: Map<number, number>;
  /** LISTEN connections (`skucast-listen:<schema>`) per process id. */
  listen: Map<number, number>;
  /** The schema's store connections held by none of the processes asked about (e.g. the bench's own store). */
  others: number;
}

/** Local TCP port -> socket inode for every TCP socket of this network namespace (null off Linux). */
function socketPorts(): Map<string, number> | null {
  const byInode = new Map<string, number>();
  let found = false;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    found = true;
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const port = parseInt(cols[1].split(':')[1], 16); // local_address is HEXIP:HEXPORT
      byInode.set(cols[9], port);
    }
  }
  return found ? byInode : null;
}

/** The local TCP ports of one process's open sockets (empty when it has gone). */
function portsOf(pid: number, ports: Map<string, number>): number[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const fd of fds) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed meanwhile
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    const port = inode === undefined ? undefined : ports.get(inode);
    if (port !== undefined) out.push(port);
  }
  return out;
}

/** Runs one query on a connection to the store's database (a client kept open: no connection churn while sampling). */
export type QueryRows = <R>(text: string, values: unknown[]) => Promise<R[]>;

/**
 * The store connections of `schema` held right now by each of `pids` (`query` runs on the store's
 * database); null where /proc cannot tell (not Linux). Connections of other processes are not counted.
 */
export async function connectionsByProcess(query: QueryRows, schema: string, pids: number[]): Promise<ProcessConnections | null> {
  const names = { pool: `skucast:${schema}`.slice(0, 63), listen: `skucast-listen:${schema}`.slice(0, 63) };
  // The sockets are read before and after the query: a connection the server lists was open at
  // some moment between the two, even if it closed (a pool's idle one) before the second reading.
  const owner = new Map<number, number>();
  const readSockets = () => {
    const ports = socketPorts();
    if (ports) for (const pid of pids) for (const port of portsOf(pid, ports)) owner.set(port, pid);
    return ports !== null;
  };
  if (!readSockets()) return null;
  const rows = await query<{ client_port: number | null; application_name: string }>(
    'SELECT client_port, application_name FROM pg_stat_activity WHERE datname = current_database() AND (application_name IN ($1, $2) OR (application_name LIKE \'skucast:%\' AND right(application_name, length($3)) = $3))',
    [names.pool, names.listen, `:${schema}`]);
  readSockets();
  const result: ProcessConnections = { pool: new Map(), listen: new Map(), others: 0 };
  for (const row of rows) {
    const pid = row.client_port === null ? undefined : owner.get(row.client_port);
    if (pid === undefined) {
      result.others++;
      continue;
    }
    const counts = row.application_name === names.listen ? result.listen : result.pool;
    counts.set(pid, (counts.get(pid) ?? 0) + 1);
  }
  return result;
}

/** The server backends of a schema's store connections, by who holds them: the bench's own store, the workers' pools, their LISTEN connections. */
export interface BackendRoles {
  bench: number[];
  workerPool: number[];
  workerListen: number[];
}

/**
 * The backend pids of `schema`'s store connections by role (`query` runs on the store's database),
 * so a CPU figure of "the server" can say how much of it the bench's own polling was; null off Linux.
 */
export async function backendRoles(query: QueryRows, schema: string, workerPids: number[], benchPid: number): Promise<BackendRoles | null> {
  const names = { pool: `skucast:${schema}`.slice(0, 63), listen: `skucast-listen:${schema}`.slice(0, 63) };
  const ports = socketPorts();
  if (!ports) return null;
  const owner = new Map<number, number>();
  for (const pid of [...workerPids, benchPid]) for (const port of portsOf(pid, ports)) owner.set(port, pid);
  const rows = await query<{ pid: number; client_port: number | null; application_name: string }>(
    'SELECT pid, client_port, application_name FROM pg_stat_activity WHERE datname = current_database() AND (application_name IN ($1, $2) OR (application_name LIKE \'skucast:%\' AND right(application_name, length($3)) = $3))',
    [names.pool, names.listen, `:${schema}`]);
  const roles: BackendRoles = { bench: [], workerPool: [], workerListen: [] };
  for (const row of rows) {
    const holder = row.client_port === null ? undefined : owner.get(row.client_port);
    if (holder === undefined) continue;
    if (holder === benchPid) roles.bench.push(row.pid);
    else if (row.application_name === names.listen) roles.workerListen.push(row.pid);
    else roles.workerPool.push(row.pid);
  }
  return roles;
}

/** One look at the worker processes' connections, as `bench:queue --procs` counts them. */
export interface WorkerConnections {
  /** The worker processes' connections together, and the most one of them held, pooled and LISTEN. */
  total: number;
  poolMax: number;
  listenMax: number;
  /** The bench process's own store's connections: not counted above. */
  bench: number;
  /**
   * Connections of the schema put on no process (a worker reaching the server through a Unix
   * socket, a proxy or NAT: the client port the server sees is no socket of its), and workers
   * whose LISTEN connection was not found. Either way the figures above may leave some out.
   */
  unattributed: number;
  workersWithoutListen: number;
}

export function workerConnections(held: ProcessConnections, workerPids: number[], benchPid: number): WorkerConnections {
  const get = (m: Map<number, number>, pid: number) => m.get(pid) ?? 0;
  let total = 0;
  let poolMax = 0;
  let listenMax = 0;
  let workersWithoutListen = 0;
  for (const pid of workerPids) {
    const [pool, listen] = [get(held.pool, pid), get(held.listen, pid)];
    total += pool + listen;
    poolMax = Math.max(poolMax, pool);
    listenMax = Math.max(listenMax, listen);
    if (listen === 0) workersWithoutListen++;
  }
  const bench = get(held.pool, benchPid) + get(held.listen, benchPid);
  return { total, poolMax, listenMax, bench, unattributed: held.others, workersWithoutListen };
}

/**
 * The goal of issue 15 item 4, at most 2 pooled + 1 LISTEN connection per worker process, judged
 * only when every connection was put on a process: a count that left some out would read as met.
 */
export function connectionsVerdict(w: WorkerConnections): 'met' | 'not met' | 'cannot tell' {
  if (w.unattributed > 0 || w.workersWithoutListen > 0) return 'cannot tell';
  return w.poolMax <= 2 && w.listenMax <= 1 ? 'met' : 'not met';
}
