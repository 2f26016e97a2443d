/**
 * A job result already written as JSON text. Store.complete() stores its text as it is instead of
 * serialising a value: the forecast handler's optimization thread stringifies its result there,
 * so the worker's main thread receives a string (a copy) rather than a cloned object tree that it
 * would then walk again to stringify (~0.1 ms of main-thread CPU per job, bench:e2e).
 * The text must be valid JSON; the stores do not parse it again.
 */
export class JsonText {
  constructor(readonly text: string) {}
}
