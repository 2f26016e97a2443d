import { createRequire } from 'node:module';
import type { DestinationStream } from 'pino';
import type { Settings } from './env.js';

/**
 * Where a process's pino logger writes. LOG_FORMAT=auto (the default): pretty, coloured lines
 * (pino-pretty) when stdout is a terminal, JSON lines otherwise (a pipe, a file, a log shipper).
 * Pretty printing runs in-process and synchronously, not in pino's transport thread: a crash's
 * last lines still reach the terminal. Returns undefined for pino's default (JSON to stdout).
 * pino-pretty is loaded only when wanted; where it is missing (a production install without it),
 * the logs stay JSON.
 */
export function logDestination(format: Settings['logFormat'], isTty = Boolean(process.stdout.isTTY)): DestinationStream | undefined {
  if (format === 'json' || (format === 'auto' && !isTty)) return undefined;
  try {
    const pretty = createRequire(import.meta.url)('pino-pretty') as (options: Record<string, unknown>) => DestinationStream;
    return pretty({ sync: true, colorize: isTty, translateTime: 'SYS:HH:MM:ss.l', ignore: 'hostname' });
  } catch {
    return undefined;
  }
}
