/**
 * The database cannot be reached right now (refused, reset, shutting down, restarting, out of
 * connections). A store throws this instead of the driver's error so callers can tell "try again
 * later" from "your request is wrong": the API answers 503, the worker keeps its jobs and retries.
 * Callers test `error.name === 'StoreUnavailableError'` (or instanceof) and never the driver's codes.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isStoreUnavailableError(error: unknown): error is StoreUnavailableError {
  return error instanceof Error && error.name === 'StoreUnavailableError';
}
