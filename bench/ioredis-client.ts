/**
 * BullMQ needs a Redis client (ioredis), which is not a dependency of Skucast: the comparison in
 * bench-queue uses it when it can be loaded, from node_modules or from the folder named by
 * BENCH_IOREDIS_DIR (a separate `npm install --prefix DIR ioredis`), and reports null otherwise.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type RedisConstructor = new (options: Record<string, unknown>) => {
  quit(): Promise<unknown>; disconnect(): void; ping(): Promise<string>; on(event: string, fn: (...args: unknown[]) => void): unknown;
  config(op: 'GET', key: string): Promise<unknown>;
};

export async function loadIORedis(): Promise<{ Redis: RedisConstructor | null; why: string }> {
  const name = 'ioredis';
  try {
    const mod = await import(name);
    return { Redis: (mod.default ?? mod.Redis) as RedisConstructor, why: 'ioredis from node_modules' };
  } catch {
    // not installed with the project
  }
  const dir = process.env.BENCH_IOREDIS_DIR;
  if (dir) {
    try {
      const mod = await import(pathToFileURL(join(dir, 'node_modules', 'ioredis', 'built', 'index.js')).href);
      return { Redis: (mod.default?.default ?? mod.default ?? mod.Redis) as RedisConstructor, why: `ioredis from ${dir}` };
    } catch (error) {
      return { Redis: null, why: `BENCH_IOREDIS_DIR=${dir} has no loadable ioredis: ${(error as Error).message}` };
    }
  }
  return { Redis: null, why: 'ioredis is not installed (BullMQ needs it; set BENCH_IOREDIS_DIR to a folder where `npm install --prefix DIR ioredis` ran)' };
}

export function redisOptions(): Record<string, unknown> {
  return { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };
}
