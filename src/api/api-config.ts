/** How the API is exposed: where it listens and which doors (token, CORS, body limit) it keeps. */
export interface ApiConfig {
  host: string;
  port: number;
  /** When set, every /api route but /api/health (and /metrics) needs `Authorization: Bearer <token>`. */
  apiToken?: string;
  /** Origins allowed to call the API from a browser; empty: CORS off. */
  corsOrigins: string[];
  bodyLimitBytes: number;
  /** The built web app (web/dist); served at / when it exists. */
  webDistDir?: string;
}

export const defaultBodyLimitBytes = 50 * 1024 * 1024;
export const defaultHost = '127.0.0.1';
export const defaultPort = 3001;

export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** Refuses to expose the API beyond this machine without a token. */
export function assertSafeBinding(config: Pick<ApiConfig, 'host' | 'apiToken'>): void {
  if (!isLoopbackHost(config.host) && !config.apiToken) {
    throw new Error(
      `refusing to listen on ${config.host} without API_TOKEN: set API_TOKEN (clients then send ` +
        '"Authorization: Bearer <token>") or listen on 127.0.0.1',
    );
  }
}

export function parseCorsOrigins(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export function apiConfigFromEnv(
  env: NodeJS.ProcessEnv,
  overrides: Partial<ApiConfig> = {},
): ApiConfig {
  const port = overrides.port ?? (env.PORT ? Number(env.PORT) : defaultPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port '${overrides.port ?? env.PORT}'`);
  return {
    host: overrides.host ?? env.HOST ?? defaultHost,
    port,
    apiToken: overrides.apiToken ?? (env.API_TOKEN || undefined),
    corsOrigins: overrides.corsOrigins ?? parseCorsOrigins(env.CORS_ORIGINS),
    bodyLimitBytes: overrides.bodyLimitBytes ?? defaultBodyLimitBytes,
    webDistDir: overrides.webDistDir,
  };
}
