// The API of `npm run dev`: `node --watch server.js api`, restarted whenever a compiled file it
// loaded changes. Marked (SKUCAST_SUPERVISED=1), as its worker is (dev-worker.mjs): one Ctrl-C
// reaches the API twice (from the terminal, which signals the whole process group, and forwarded by
// node --watch), and that second copy is the same stop, not a second Ctrl-C cutting it short.
export function devApiSpawn(env, extraArgs = []) {
  return {
    args: ['--watch', 'server.js', 'api', ...extraArgs],
    env: { ...env, SKUCAST_SUPERVISED: '1' },
  };
}
