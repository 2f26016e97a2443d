/**
 * A job result already written as JSON text. Store.complete() stores its text as it is instead of
 * serialising a value: the forecast handler's optimization thread stringifies its result there,
 * so the worker's main thread receives a string (a copy) rather than a cloned object tree that it
 * would then walk again to stringify (~0.1 ms of main-thread CPU per job, bench:e2e).
 * The text must be valid JSON; the stores do not parse it again (parsing would cost what this saves):
 * build one only from JSON.stringify's output. PostgreSQL's json column checks its syntax anyway;
 * SQLite stores it as given. A non-string (a thread of another build posting a value) is refused
 * here rather than bound by a store or stored as NULL.
 */
export class JsonText {
  constructor(readonly text: string) {
    if (typeof text !== 'string') throw new TypeError(`JsonText needs JSON text, got ${text === null ? 'null' : typeof text}`);
  }
}
