import pino, { type Logger } from 'pino';
import { settings } from '../config/env.js';
import { logDestination } from '../config/log-destination.js';

/** Paths pino must never print: the token, and any body a serializer might pull in. */
export const redactPaths = [
  'req.headers.authorization',
  'request.headers.authorization',
  'headers.authorization',
  'req.body',
  'request.body',
  'body',
  'apiToken',
  'config.apiToken',
];

/** To stdout, pretty on a terminal and JSON lines otherwise (LOG_FORMAT); the level from LOG_LEVEL (default info). */
export function createLogger(level: string = settings().logLevel, bindings: Record<string, unknown> = {}): Logger {
  const options = { level, base: { pid: process.pid, ...bindings }, redact: { paths: redactPaths, censor: '[redacted]' } };
  const destination = logDestination(settings().logFormat);
  return destination ? pino(options, destination) : pino(options);
}

/**
 * openStore's onNewerSchema for a command: the warning as a JSON warn line (event newer-schema),
 * since Node's own warning goes to stderr alone, which a stdout log pipeline misses.
 */
export function logNewerSchema(logger: Logger): (message: string) => void {
  return (message) => logger.warn({ event: 'newer-schema' }, message);
}
