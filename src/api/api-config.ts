import { parseEnv, type Settings } from '../config/env.js';

/** How the API is exposed: where it listens and which doors (token, CORS, body limit) it keeps. */
export interface ApiConfig {
  host: string;
  port: number;
  /** When set, every /api route but /api/health (and /metrics) needs `Authorization: Bearer <token>`. */
  apiToken?: string;
  /** Origins allowed to call the API from a browser; empty: CORS off. */
  corsOrigins: string[];
  bodyLimitBytes: number;
  /** Largest CSV upload (DATASET_UPLOAD_LIMIT_MB); default 1 GB. */
  uploadLimitBytes?: number;
  /** The built web app (web/dist); served at / when it exists. */
  webDistDir?: string;
}

export const defaultBodyLimitBytes = 50 * 1024 * 1024;
export const defaultUploadLimitBytes = 1024 * 1024 * 1024;
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

/** The API's part of the validated settings (src/config/env.ts), overrides (flags) winning. */
export function apiConfigFromSettings(settings: Settings, overrides: Partial<ApiConfig> = {}): ApiConfig {
  return {
    host: overrides.host ?? settings.host,
    port: overrides.port ?? settings.port,
    apiToken: overrides.apiToken ?? settings.apiToken,
    corsOrigins: overrides.corsOrigins ?? settings.corsOrigins,
    bodyLimitBytes: overrides.bodyLimitBytes ?? defaultBodyLimitBytes,
    uploadLimitBytes: overrides.uploadLimitBytes ?? settings.uploadLimitBytes,
    webDistDir: overrides.webDistDir,
  };
}

export function apiConfigFromEnv(env: NodeJS.ProcessEnv, overrides: Partial<ApiConfig> = {}): ApiConfig {
  return apiConfigFromSettings(parseEnv(env), overrides);
}
