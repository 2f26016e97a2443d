import type { Command } from 'commander';
import { defaultDatabasePath, isPostgresUrl, storeConfigFromEnv, type StoreConfig } from '../stores/open-store.js';

export interface DatabaseFlags {
  databasePath?: string;
  databaseUrl?: string;
}

/** --database-path / --database-url, shared by every command that opens the store. */
export function addDatabaseOptions(command: Command): Command {
  return command
    .option('--database-path <path>', `SQLite file (env DATABASE_PATH, default ${defaultDatabasePath})`)
    .option('--database-url <url>', 'PostgreSQL URL postgres://... (env DATABASE_URL, which wins over DATABASE_PATH; --database-path wins over it)');
}

/**
 * Flags win over the environment: `--database-path q.db` means that SQLite file even when
 * DATABASE_URL is set (it used to run on PostgreSQL, a doctor or backup of the wrong database).
 * Both flags at once name two databases: refused rather than guessed.
 */
export function storeConfigFrom(flags: DatabaseFlags, env?: NodeJS.ProcessEnv): StoreConfig {
  if (flags.databasePath !== undefined && flags.databaseUrl !== undefined) {
    throw new Error('--database-path and --database-url name two databases: give one (--database-path for SQLite, --database-url for PostgreSQL)');
  }
  const fromEnv = storeConfigFromEnv(env);
  const url = flags.databasePath !== undefined ? undefined : flags.databaseUrl ?? fromEnv.databaseUrl;
  // openStore would quietly fall back to SQLite on any other URL; a typo should not lose the database.
  const urlFrom = flags.databaseUrl !== undefined ? '--database-url' : 'DATABASE_URL';
  if (url && !isPostgresUrl(url)) {
    throw new Error(`${urlFrom} must be a PostgreSQL URL (postgres://user@host:5432/db), got '${withoutPassword(url)}'; for SQLite use DATABASE_PATH / --database-path`);
  }
  return {
    databaseUrl: url,
    ...(url && flags.databaseUrl !== undefined ? { databaseUrlFrom: urlFrom } : {}),
    databasePath: flags.databasePath ?? fromEnv.databasePath ?? defaultDatabasePath,
  };
}

/**
 * The value as given, for a refusal, its password hidden: it need not parse as a URL (`not a url`,
 * a path, `user:pw@host/db` with its scheme forgotten). Greedy up to the last `@` before a `/`,
 * since an unencoded `@` in a password is a common way to get here.
 */
export function withoutPassword(text: string): string {
  return text.replace(/(^|\/\/)([^@/:]*):[^/]*@/, '$1$2:***@').replace(/([?&]password=)[^&]*/gi, '$1***');
}

/** What to print about a store config: never the URL's password. */
export function describeStoreConfig(config: StoreConfig): string {
  if (config.databaseUrl && isPostgresUrl(config.databaseUrl)) {
    try {
      const url = new URL(config.databaseUrl);
      if (url.password) url.password = '***';
      return url.toString();
    } catch {
      return 'postgres://(unparsable URL)';
    }
  }
  return config.databasePath ?? defaultDatabasePath;
}
