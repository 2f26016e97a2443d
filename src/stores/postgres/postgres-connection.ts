import pg from 'pg';
import { StoreUnavailableError } from '../store-unavailable-error.js';
import { refuseUnknownParameters, skucastParameters } from './postgres-url-parameters.js';

/**
 * How a PostgreSQL URL becomes pg settings. Some query parameters are ours (the first two are the
 * Prisma names, familiar to operators) and are removed before pg sees the URL:
 * - `schema=name`: the store's tables live in that schema (created on migrate); default `public`.
 *   Tests give each file its own schema in one database.
 * - `connection_limit=n`: the most connections this process's pool opens (default 10; a worker
 *   process passes its own default of 2: see workerPoolMax in open-store.ts).
 * - `connect_timeout=s`: libpq's name for how long connecting may take (default 5 s); pg ignores it
 *   in a URL, so it is read here.
 * - `options=...`: kept beside our `-c search_path`.
 * Any parameter neither we nor pg read is refused (postgres-url-parameters.ts).
 * The LISTEN connection may go to another URL (`listenUrl`, env DATABASE_LISTEN_URL): behind
 * PgBouncer in transaction pooling the pool goes through it and LISTEN straight to the server.
 */
export interface PostgresSettings {
  connectionString: string;
  schema: string;
  /** libpq `options` given in the URL (e.g. `-c statement_timeout=5000`), kept beside our search_path. */
  serverOptions: string | null;
  poolMax: number;
  connectTimeoutMs: number;
  /** The URL without its password, for messages. */
  safeUrl: string;
  /** Who connects (`worker:<id>`, `api`, `import`): named in the pool's application_name (applicationName). */
  processRole?: string;
}

const schemaPattern = /^[a-z_][a-z0-9_]{0,62}$/;
export const defaultPoolMax = 10;
// A dead server must turn into an error quickly, not a hang.
const defaultConnectTimeoutMs = 5_000;

/** `name` says which setting the URL came from, in messages (DATABASE_LISTEN_URL is not DATABASE_URL). */
export function parsePostgresUrl(url: string, poolMaxDefault = defaultPoolMax, name = 'DATABASE_URL'): PostgresSettings {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${name} is not a valid postgres:// URL`);
  }
  const shown = masked(parsed);
  refuseUnknownParameters(parsed.searchParams, `${name} ${shown}`);
  const repeated = [...new Set(parsed.searchParams.keys())].find((key) => parsed.searchParams.getAll(key).length > 1);
  if (repeated) throw new Error(`${name} ${shown}: '${repeated}' is given more than once; give it once`);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  if (!schemaPattern.test(schema)) {
    throw new Error(`schema must be a lower-case identifier (letters, digits, _): ${schema}`);
  }
  const limitText = parsed.searchParams.get('connection_limit');
  const poolMax = limitText === null ? poolMaxDefault : Number(limitText);
  if (!Number.isInteger(poolMax) || poolMax < 1) throw new Error(`connection_limit must be a positive integer: ${limitText}`);
  const timeoutText = parsed.searchParams.get('connect_timeout');
  const timeoutSeconds = timeoutText === null ? defaultConnectTimeoutMs / 1000 : Number(timeoutText);
  // libpq reads 0 as "wait forever": refused, a hang is what the timeout is for.
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 2_147_483) {
    throw new Error(`connect_timeout must be a whole number of seconds from 1 to 2147483: ${timeoutText}`);
  }
  const connectTimeoutMs = timeoutSeconds * 1000;
  const serverOptions = parsed.searchParams.get('options');
  for (const ours of skucastParameters) parsed.searchParams.delete(ours);
  return { connectionString: parsed.href, schema, poolMax, connectTimeoutMs, serverOptions, safeUrl: masked(parsed) };
}

/**
 * The LISTEN connection's settings: DATABASE_LISTEN_URL's server, DATABASE_URL's schema (the
 * channel is the schema's). A `?schema=` on the LISTEN URL that names another schema is refused:
 * it was silently replaced, so the process listened where it was not told to.
 */
export function listenSettingsFor(settings: PostgresSettings, listenUrl: string | undefined): PostgresSettings {
  if (!listenUrl) return settings;
  const listen = parsePostgresUrl(listenUrl, undefined, 'DATABASE_LISTEN_URL');
  if (new URL(listenUrl).searchParams.has('schema') && listen.schema !== settings.schema) {
    throw new Error(`DATABASE_LISTEN_URL ${listen.safeUrl}: schema '${listen.schema}' differs from DATABASE_URL's '${settings.schema}'; the LISTEN connection uses DATABASE_URL's schema: remove ?schema= from DATABASE_LISTEN_URL or make them the same`);
  }
  return { ...listen, schema: settings.schema };
}

/** The URL for messages: its password hidden, in the user part and in `?password=` (which pg reads too). */
function masked(url: URL): string {
  const safe = new URL(url.href);
  if (safe.password) safe.password = '***';
  if (safe.searchParams.has('password')) safe.searchParams.set('password', '***');
  return safe.href;
}

/** int8 (counts, epoch milliseconds, ids) as a JS number: all of ours stay far below 2^53. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** Settings shared by the pool and the LISTEN client. */
export function clientConfig(settings: PostgresSettings, role: 'pool' | 'listen' | 'cancel' = 'pool'): pg.ClientConfig {
  return {
    connectionString: settings.connectionString,
    // Every session works in the store's schema; the functions pin theirs at creation.
    options: [`-c search_path=${settings.schema}`, settings.serverOptions].filter(Boolean).join(' '),
    // Operators (and tests) can tell whose connection is whose in pg_stat_activity.
    application_name: role === 'pool' ? applicationName(settings.schema, settings.processRole) : `skucast-${role}:${settings.schema}`.slice(0, 63),
    // A dead server must turn into an error quickly, not a hang: connecting gives up after
    // connect_timeout (5 s) and TCP keepalive notices a host that vanished without closing its sockets.
    connectionTimeoutMillis: settings.connectTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    types,
  } as pg.ClientConfig;
}

/** PostgreSQL keeps at most NAMEDATALEN - 1 bytes of an application_name and cuts the rest. */
const maxApplicationNameBytes = 63;

/**
 * A pooled connection's application_name, as pg_stat_activity shows it: `skucast:<role>:<schema>`
 * for a process that says who it is (`skucast:worker:hostA:public`, `skucast:api:public`), so an
 * operator can tell the API's backends from each worker's (pg_terminate_backend, lock waits, a
 * count per role); `skucast:<schema>` for a store opened without one (tests, tools). The schema
 * stays last and whole: stores of several schemas can share a database (each test suite has its
 * own), and it is how their connections are told apart (c19ca165). A role too long for the 63
 * bytes PostgreSQL keeps is shortened, not the schema: its kind (`worker:`) and the END of the rest
 * are kept, behind `...` (`skucast:worker:...pod-7f9c-4242-a1b2c3:public`), since the end of a
 * worker id (`-<pid>-<random>`) is what tells apart workers whose hosts share a prefix (the pods of
 * one deployment). A character outside printable ASCII is shown as `?`, as the server would (it
 * accepts only those). The LISTEN connection keeps its `skucast-listen:<schema>`: targeted wakes
 * find it by that exact name (migrations/014, 016, 018).
 */
export function applicationName(schema: string, processRole?: string): string {
  const plain = `skucast:${schema}`;
  if (!processRole) return plain.slice(0, maxApplicationNameBytes);
  const room = maxApplicationNameBytes - plain.length - 1; // 'skucast:' + role + ':' + schema
  if (room <= 0) return plain.slice(0, maxApplicationNameBytes);
  return `skucast:${shortenRole(processRole.replace(/[^\x20-\x7e]/g, '?'), room)}:${schema}`;
}

/** The role within `room` characters (ASCII by now): its kind before the first ':' and its end, `...` for what is cut. */
function shortenRole(role: string, room: number): string {
  if (role.length <= room) return role;
  const ellipsis = '...';
  const colon = role.indexOf(':');
  const kind = colon > 0 ? role.slice(0, colon + 1) : '';
  const tail = (n: number) => role.slice(role.length - n);
  if (room - kind.length - ellipsis.length >= 8) return `${kind}${ellipsis}${tail(room - kind.length - ellipsis.length)}`;
  return room > ellipsis.length ? `${ellipsis}${tail(room - ellipsis.length)}` : tail(room);
}

/** `keepOpen`: connections idle for 30 s are not closed (a worker's pool, see postgres-warm-pool.ts). */
export function poolConfig(settings: PostgresSettings, keepOpen = false): pg.PoolConfig {
  return { ...clientConfig(settings, 'pool'), max: settings.poolMax, min: keepOpen ? settings.poolMax : 0, idleTimeoutMillis: 30_000 };
}

const networkCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH',
  'ECONNABORTED', 'EHOSTDOWN', 'ENETDOWN',
]);
// SQLSTATE: class 08 connection exception; admin/crash shutdown, cannot connect now (starting or
// stopping); too many connections. All mean "the server is not there for us right now".
const unavailableStates = new Set(['57P01', '57P02', '57P03', '53300']);
const unavailableMessages =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Connection ended unexpectedly|the database system is (starting up|shutting down|in recovery)/i;

export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (networkCodes.has(code) || unavailableStates.has(code) || code.startsWith('08'))) return true;
  if (error instanceof AggregateError && error.errors.some(isConnectionError)) return true;
  return unavailableMessages.test(error.message);
}

/** The driver's connection failures become StoreUnavailableError; every other error passes unchanged. */
export function toStoreError(error: unknown, settings: PostgresSettings): unknown {
  if (error instanceof StoreUnavailableError || !isConnectionError(error)) return error;
  const detail = (error as Error).message || (error as { code?: string }).code || 'connection failed';
  return new StoreUnavailableError(`PostgreSQL at ${settings.safeUrl} is unavailable: ${detail}`, { cause: error });
}
