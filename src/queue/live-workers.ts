import { heartbeatAge, staleWorkerMs, type WorkerInfo } from './job.js';

/**
 * The workers still using a database: those that beat within staleWorkerMs and have not said they
 * stopped (a worker killed without saying so counts until its beat is that old). Replacing or
 * moving a database under them (restore --force, migrate-store) is refused.
 */
export function liveWorkers(workers: WorkerInfo[], now: number): WorkerInfo[] {
  return workers.filter((w) => w.status !== 'stopped' && heartbeatAge(w, now) < staleWorkerMs);
}

/**
 * `hostA (pid 4242 on box1, last beat 2 s ago)`, one per live worker, for a refusal's message. A
 * beat dated ahead of `now` (its host's clock ahead, or a file from another host) says so:
 * `last beat dated 300 s ahead of this clock (clock skew?)`.
 */
export function describeLiveWorkers(workers: WorkerInfo[], now: number): string {
  const beat = (ageMs: number) => (ageMs < -500
    ? `last beat dated ${Math.round(-ageMs / 1000)} s ahead of this clock (clock skew?)`
    : `last beat ${Math.max(0, Math.round(ageMs / 1000))} s ago`);
  return workers.map((w) => `${w.workerId} (pid ${w.pid} on ${w.host}, ${beat(heartbeatAge(w, now))})`).join(', ');
}
