/**
 * SKUCAST_SUPERVISED=1 marks a process whose parent forwards the signals it also gets straight,
 * so one stop reaches it more than once: `skucast start`'s workers under systemd's KillMode=control-group
 * (src/cli/worker-supervisor.ts), and `npm run dev`'s worker and API, whom the terminal signals as a
 * process group while `node --watch` forwards its own (scripts/dev-worker.mjs, scripts/dev-api.mjs).
 * Counted only with an IPC channel to that parent: a mark inherited by hand means nothing. The
 * second process.env reader beside env.ts, because the mark is removed once read: a process this
 * one starts is not supervised by being its child.
 */
export const supervisedMarkEnv = 'SKUCAST_SUPERVISED';

/** Whether this process is marked (and has its IPC channel); removes the mark either way. */
export function takeSupervisedMark(): boolean {
  const supervised = process.env[supervisedMarkEnv] === '1' && process.channel !== undefined;
  delete process.env[supervisedMarkEnv];
  return supervised;
}
