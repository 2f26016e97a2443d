import { z } from 'zod';

/**
 * Every environment variable Skucast's production code reads, in one place, validated with zod.
 * Nothing else in src/ touches process.env: commands, the API and the stores take the parsed
 * `Settings` (or a function of them). A bad value is refused when the process starts
 * (`skucast: invalid configuration: DATASET_UPLOAD_LIMIT_MB ...`, exit 1) instead of turning
 * into NaN and a limit that silently never applies. The README's table and .env.example list
 * the same variables with the same defaults (a test compares them).
 *
 * An empty value counts as unset, as shells make `VAR=` easy to leave behind.
 */

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = z.string().trim().regex(/^\d+$/, 'must be an integer from 0 to 65535')
  .transform(Number).refine((n) => n <= 65535, 'must be an integer from 0 to 65535');
const positiveNumber = z.string().trim()
  .refine((s) => s !== '' && Number.isFinite(Number(s)) && Number(s) > 0, 'must be a positive number')
  .transform(Number);
// Every number has an upper bound, named in the message: past it a value does not mean "a lot"
// but something broken (a busy timeout past 2^31-1 ms is not a 32-bit int for SQLite; a retention
// of 1e300 days is a cutoff date that is not a date).
const maxMs = 2_147_483_647;
const maxRetentionDays = 36_500;
const maxUploadMb = 1_048_576;
const wholeMs = z.string().trim().regex(/^\d+$/, `must be a whole number of milliseconds from 0 to ${maxMs}`).transform(Number)
  .refine((n) => n <= maxMs, `must be a whole number of milliseconds from 0 to ${maxMs}`);
// SKUCAST_STORE_CLOSE_MS has a floor: a worker counts it from the end of its drain (--shutdown-ms),
// when its releases and last beat are still to be written, so 0 or a few ms cut those off on a
// database that answers (the jobs left running, their attempts spent, rescued a lease later).
// Only the setting has it: stopStart and closeStoreWithin take any bound, which unit tests shorten.
// Its own message for every bad value ('-5', 'abc', '1e3' as well as 500): the range is not wholeMs's.
// The floor applies to `skucast api` and `start` too, which write no releases: one setting, one rule.
const minStoreCloseMs = 1_000;
const storeCloseRange = `must be a whole number of milliseconds from ${minStoreCloseMs} to ${maxMs}`;
const storeCloseMs = z.string().trim().regex(/^\d+$/, storeCloseRange).transform(Number)
  .refine((n) => n <= maxMs, storeCloseRange)
  .refine((n) => n >= minStoreCloseMs,
    `${storeCloseRange} (it applies to api and start too): below ${minStoreCloseMs} a worker's stop exits before its own releases are written on a database that answers (its jobs left running, their attempts spent)`);
const days = z.string().trim()
  .refine((s) => s !== '' && Number.isFinite(Number(s)) && Number(s) >= 0 && Number(s) <= maxRetentionDays, `must be a number of days from 0 to ${maxRetentionDays} (0 keeps everything)`)
  .transform(Number);
// The hint says what unsetting the variable does, which differs: DATABASE_URL falls back to SQLite,
// DATABASE_LISTEN_URL to LISTEN on DATABASE_URL (still PostgreSQL).
const postgresUrl = (unset: string) => z.string().trim().regex(/^postgres(ql)?:\/\//i, `must be a postgres:// or postgresql:// URL (unset it to ${unset})`);
const oneOf = <T extends string>(values: readonly [T, ...T[]], caseInsensitive = false) =>
  z.string().trim().transform((s) => (caseInsensitive ? s.toLowerCase() : s)).pipe(z.enum(values, { error: `must be one of ${values.join(', ')}` }));

/** One row of the README's table: the variable, its default (as written in .env.example) and meaning. */
export interface EnvVariable {
  name: string;
  default: string;
  meaning: string;
}

const variables = {
  PORT: { schema: port, default: '3001', meaning: 'Port the API and web app listen on (`--port` wins).' },
  HOST: { schema: z.string().trim().min(1), default: '127.0.0.1', meaning: 'Address to listen on (`--host` wins); any other than loopback needs API_TOKEN.' },
  // Trimmed: HTTP drops the spaces around a header value, so a token ending in one (a stray space in
  // .env) could never be sent and every request would get 401; blank is refused, never "no token".
  API_TOKEN: { schema: z.string().trim().min(1, 'must not be blank (unset it for no token)'), default: '', meaning: 'When set, every /api route but /api/health and the contract (/api/openapi.json, /api/docs), and /metrics, need `Authorization: Bearer <token>`.' },
  CORS_ORIGINS: { schema: z.string(), default: '', meaning: 'Comma-separated origins allowed to call the API from a browser; empty: CORS off.' },
  DATABASE_URL: { schema: postgresUrl('use SQLite at DATABASE_PATH'), default: '', meaning: 'postgres://user@host:5432/db selects PostgreSQL (`?schema=`, `?connection_limit=`); unset: SQLite.' },
  DATABASE_LISTEN_URL: { schema: postgresUrl('LISTEN through DATABASE_URL'), default: '', meaning: 'Optional: a direct postgres:// URL for LISTEN when DATABASE_URL goes through PgBouncer in transaction mode (docs/deploy.md).' },
  DATABASE_PATH: { schema: z.string().trim().min(1), default: 'data/forecast-jobs.db', meaning: 'The SQLite file (its folder is created).' },
  SQLITE_SYNCHRONOUS: { schema: oneOf(['normal', 'full'], true), default: 'NORMAL', meaning: 'FULL fsyncs every commit (docs/durability.md); NORMAL may lose the last commits on power loss, never the file.' },
  SQLITE_BUSY_TIMEOUT_MS: { schema: wholeMs, default: '10000', meaning: "How long a SQLite write waits for another process's lock before SQLITE_BUSY (a refused final write is then retried by the worker)." },
  SKUCAST_HTTP_DRAIN_MS: { schema: wholeMs, default: '60000', meaning: 'On SIGTERM/SIGINT, how long HTTP requests in flight may still answer before their connections are dropped (`skucast api`, `skucast start`).' },
  SKUCAST_STORE_CLOSE_MS: { schema: storeCloseMs, default: '10000', meaning: 'On a stop, how long closing the store may take before the process exits 1 without it (`skucast api`, `worker`, `start`; a worker counts it after `--shutdown-ms`, for its releases too); at least 1000.' },
  SKUCAST_RETENTION_DAYS: { schema: days, default: '30', meaning: 'Workers prune finished jobs older than this (the newest result per SKU and model is kept); 0 keeps all (Idempotency-Keys go after a day all the same).' },
  DATASET_UPLOAD_LIMIT_MB: { schema: positiveNumber.refine((mb) => Math.round(mb * 1024 * 1024) >= 1, 'must be at least one byte (0.000001)').refine((mb) => mb <= maxUploadMb, `must be at most ${maxUploadMb} (1 TB)`), default: '1024', meaning: 'Largest CSV upload in MB (413 above it).' },
  LOG_LEVEL: { schema: oneOf(logLevels, true), default: 'info', meaning: `Log level: ${logLevels.join(', ')}.` },
  LOG_FORMAT: { schema: oneOf(['auto', 'json', 'pretty'], true), default: 'auto', meaning: 'auto: pretty lines on a terminal, JSON lines otherwise; json or pretty to force one.' },
} satisfies Record<string, { schema: z.ZodType<unknown, string>; default: string; meaning: string }>;

export type EnvName = keyof typeof variables;

/** The table, in README order. */
export const envVariables: EnvVariable[] = Object.entries(variables).map(([name, v]) => ({ name, default: v.default, meaning: v.meaning }));

export interface Settings {
  port: number;
  host: string;
  apiToken?: string;
  corsOrigins: string[];
  databaseUrl?: string;
  databaseListenUrl?: string;
  databasePath: string;
  sqliteSynchronous: 'NORMAL' | 'FULL';
  sqliteBusyTimeoutMs: number;
  /** SKUCAST_HTTP_DRAIN_MS (stop-start.ts). */
  httpDrainMs: number;
  /** SKUCAST_STORE_CLOSE_MS (close-store-within.ts). */
  storeCloseMs: number;
  retentionDays: number;
  uploadLimitBytes: number;
  logLevel: (typeof logLevels)[number];
  logFormat: 'auto' | 'json' | 'pretty';
}

/** Thrown for any bad variable; its message names every one that is wrong. */
export class ConfigError extends Error {
  constructor(readonly problems: Array<{ name: string; message: string }>) {
    super(`invalid configuration: ${problems.map((p) => `${p.name} ${p.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** The variable's value when set, else its default; the default is what .env.example writes. */
function parseOne(name: EnvName, env: NodeJS.ProcessEnv): { ok: true; value: unknown } | { ok: false; message: string } {
  const raw = env[name];
  const value = raw === undefined || raw === '' ? variables[name].default : raw;
  if (value === '') return { ok: true, value: undefined };
  const parsed = (variables[name].schema as z.ZodType<unknown, string>).safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const shown = name === 'API_TOKEN' || name === 'DATABASE_URL' || name === 'DATABASE_LISTEN_URL' ? '' : ` (got '${raw}')`;
  return { ok: false, message: `${parsed.error.issues[0]?.message ?? 'is invalid'}${shown}` };
}

/** Parses and validates every variable; throws a ConfigError naming each bad one. */
export function parseEnv(env: NodeJS.ProcessEnv): Settings {
  const values: Partial<Record<EnvName, unknown>> = {};
  const problems: Array<{ name: string; message: string }> = [];
  for (const name of Object.keys(variables) as EnvName[]) {
    const result = parseOne(name, env);
    if (result.ok) values[name] = result.value;
    else problems.push({ name, message: result.message });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port: values.PORT as number,
    host: values.HOST as string,
    apiToken: values.API_TOKEN as string | undefined,
    corsOrigins: String(values.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
    databaseUrl: values.DATABASE_URL as string | undefined,
    databaseListenUrl: values.DATABASE_LISTEN_URL as string | undefined,
    databasePath: values.DATABASE_PATH as string,
    sqliteSynchronous: (values.SQLITE_SYNCHRONOUS as string).toUpperCase() as 'NORMAL' | 'FULL',
    sqliteBusyTimeoutMs: values.SQLITE_BUSY_TIMEOUT_MS as number,
    httpDrainMs: values.SKUCAST_HTTP_DRAIN_MS as number,
    storeCloseMs: values.SKUCAST_STORE_CLOSE_MS as number,
    retentionDays: values.SKUCAST_RETENTION_DAYS as number,
    uploadLimitBytes: Math.round((values.DATASET_UPLOAD_LIMIT_MB as number) * 1024 * 1024),
    logLevel: values.LOG_LEVEL as Settings['logLevel'],
    logFormat: values.LOG_FORMAT as Settings['logFormat'],
  };
}

/** Where a retention in days came from: `skucast prune --retention-days`, SKUCAST_RETENTION_DAYS, or the default (the variable unset or empty). */
export type RetentionSource = 'flag' | 'env' | 'default';

/**
 * SKUCAST_RETENTION_DAYS's rule (0 to 36500, 0 keeps everything) for a value given another way
 * (`skucast prune --retention-days`): the number, or an Error saying what is wrong.
 */
export function parseRetentionDays(raw: string): number {
  const parsed = days.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'is invalid');
  return parsed.data;
}

/**
 * The retention in days and where it came from: the flag's value when given, else the variable
 * when set (validated as parseEnv does: a bad value throws its ConfigError), else the default.
 */
export function retentionDaysFrom(flag: number | undefined, env: NodeJS.ProcessEnv = process.env): { days: number; source: RetentionSource } {
  if (flag !== undefined) return { days: flag, source: 'flag' };
  const value = parseEnv(env).retentionDays;
  const raw = env.SKUCAST_RETENTION_DAYS;
  return { days: value, source: raw === undefined || raw === '' ? 'default' : 'env' };
}

/** This process's settings: the one read of process.env in production code (cheap; not cached, so tests may set variables). */
export function settings(): Settings {
  return parseEnv(process.env);
}

/**
 * The environment a child process (a worker started by `skucast start`) inherits. The only other
 * place process.env is touched: handed on whole, so variables this module does not know (PATH,
 * PG*, NODE_OPTIONS) reach the child too.
 */
export function inheritedEnv(): NodeJS.ProcessEnv {
  return { ...process.env };
}
