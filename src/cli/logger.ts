import pino, { type Logger } from 'pino';

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

/** JSON lines to stdout; the level from LOG_LEVEL (default info). */
export function createLogger(level = process.env.LOG_LEVEL || 'info', bindings: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { pid: process.pid, ...bindings }, redact: { paths: redactPaths, censor: '[redacted]' } });
}
