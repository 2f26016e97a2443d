/** The slice of pino the queue logs through: one structured line per job event. */
export interface QueueLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** The job events a worker logs and counts; each is a verb of job-state.ts (plus `fenced`). */
export const jobEvents = [
  'claim', 'renew', 'progress', 'complete', 'fail', 'retry', 'release', 'rescue', 'cancel', 'fenced',
] as const;
export type JobEvent = (typeof jobEvents)[number];

export const silentLogger: QueueLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
