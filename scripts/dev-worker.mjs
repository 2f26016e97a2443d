// The worker of `npm run dev`: `node --watch server.js worker --concurrency 1`, restarted whenever a
// compiled file it loaded changes. Marked as supervised (SKUCAST_SUPERVISED=1), as `skucast start`
// marks its workers: one Ctrl-C reaches the worker twice (from the terminal, which signals the whole
// process group, and forwarded by node --watch), and that must drain it, not stop it at once.
export function devWorkerSpawn(env, extraArgs = []) {
  return {
    args: ['--watch', 'server.js', 'worker', '--concurrency', '1', ...extraArgs],
    env: { ...env, SKUCAST_SUPERVISED: '1' },
  };
}
